/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "vigil-poller"

#include "config.h"

#include "vigil-poller.h"

struct _VigilPoller
{
  GObject       parent_instance;

  GListStore   *sources;
  guint         interval;
  guint         timeout_id;
  GCancellable *cancellable;
  gboolean      running;         /* a round of polls is in flight */
};

G_DEFINE_FINAL_TYPE (VigilPoller, vigil_poller, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_INTERVAL,
  N_PROPS
};

enum {
  SOURCE_POLLED,
  POLL_FINISHED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

typedef struct {
  guint    pending;
  gboolean all_ok;
} Round;

static void schedule (VigilPoller *self);

static void
source_poll_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  VigilPoller *self = g_task_get_source_object (task);
  VigilSource *source = VIGIL_SOURCE (object);
  Round *round = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) alerts = NULL;

  alerts = vigil_source_poll_finish (source, result, &error);
  if (alerts == NULL)
    round->all_ok = FALSE;

  if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_signal_emit (self, signals[SOURCE_POLLED], 0, source, alerts);

  if (--round->pending > 0)
    return;

  self->running = FALSE;

  if (!g_task_return_error_if_cancelled (task))
    {
      gint64 now = g_get_real_time ();
      guint n = g_list_model_get_n_items (G_LIST_MODEL (self->sources));

      for (guint i = 0; i < n; i++)
        {
          g_autoptr(VigilSource) each = g_list_model_get_item (G_LIST_MODEL (self->sources), i);

          vigil_source_check_stale (each, now, 3 * (gint64) self->interval * G_USEC_PER_SEC);
        }

      g_signal_emit (self, signals[POLL_FINISHED], 0);
      g_task_return_boolean (task, round->all_ok);
    }
}

static void
round_done_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  vigil_poller_poll_once_finish (VIGIL_POLLER (object), result, NULL);
}

static gboolean
tick_cb (gpointer user_data)
{
  VigilPoller *self = user_data;

  /* A slow server must not pile up requests: skip the tick while the
   * previous round is still waiting. */
  if (!self->running)
    vigil_poller_poll_once_async (self, self->cancellable, round_done_cb, NULL);

  return G_SOURCE_CONTINUE;
}

static void
schedule (VigilPoller *self)
{
  g_clear_handle_id (&self->timeout_id, g_source_remove);
  self->timeout_id = g_timeout_add_seconds (self->interval, tick_cb, self);
}

static void
vigil_poller_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  VigilPoller *self = VIGIL_POLLER (object);

  switch (prop_id)
    {
    case PROP_INTERVAL:
      g_value_set_uint (value, self->interval);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
vigil_poller_set_property (GObject      *object,
                           guint         prop_id,
                           const GValue *value,
                           GParamSpec   *pspec)
{
  VigilPoller *self = VIGIL_POLLER (object);

  switch (prop_id)
    {
    case PROP_INTERVAL:
      vigil_poller_set_interval (self, g_value_get_uint (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
vigil_poller_dispose (GObject *object)
{
  VigilPoller *self = VIGIL_POLLER (object);

  g_clear_handle_id (&self->timeout_id, g_source_remove);
  g_cancellable_cancel (self->cancellable);

  G_OBJECT_CLASS (vigil_poller_parent_class)->dispose (object);
}

static void
vigil_poller_finalize (GObject *object)
{
  VigilPoller *self = VIGIL_POLLER (object);

  g_clear_object (&self->sources);
  g_clear_object (&self->cancellable);

  G_OBJECT_CLASS (vigil_poller_parent_class)->finalize (object);
}

static void
vigil_poller_class_init (VigilPollerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->get_property = vigil_poller_get_property;
  object_class->set_property = vigil_poller_set_property;
  object_class->dispose = vigil_poller_dispose;
  object_class->finalize = vigil_poller_finalize;

  properties[PROP_INTERVAL] =
    g_param_spec_uint ("interval", NULL, NULL, 1, 24 * 3600, VIGIL_POLLER_DEFAULT_INTERVAL,
                       G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * VigilPoller::source-polled:
   * @source: the source that answered or failed
   * @alerts: (nullable): its alerts, or %NULL when the poll failed
   */
  signals[SOURCE_POLLED] =
    g_signal_new ("source-polled", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 2,
                  VIGIL_TYPE_SOURCE, G_TYPE_PTR_ARRAY);
  signals[POLL_FINISHED] =
    g_signal_new ("poll-finished", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
vigil_poller_init (VigilPoller *self)
{
  self->sources = g_list_store_new (VIGIL_TYPE_SOURCE);
  self->interval = VIGIL_POLLER_DEFAULT_INTERVAL;
  self->cancellable = g_cancellable_new ();
}

VigilPoller *
vigil_poller_new (void)
{
  return g_object_new (VIGIL_TYPE_POLLER, NULL);
}

GListModel *
vigil_poller_get_sources (VigilPoller *self)
{
  g_return_val_if_fail (VIGIL_IS_POLLER (self), NULL);

  return G_LIST_MODEL (self->sources);
}

void
vigil_poller_add_source (VigilPoller *self,
                         VigilSource *source)
{
  g_return_if_fail (VIGIL_IS_POLLER (self));
  g_return_if_fail (VIGIL_IS_SOURCE (source));

  g_list_store_append (self->sources, source);
}

void
vigil_poller_clear_sources (VigilPoller *self)
{
  g_return_if_fail (VIGIL_IS_POLLER (self));

  g_list_store_remove_all (self->sources);
}

gboolean
vigil_poller_has_alertmanager (VigilPoller *self)
{
  guint n;

  g_return_val_if_fail (VIGIL_IS_POLLER (self), FALSE);

  n = g_list_model_get_n_items (G_LIST_MODEL (self->sources));
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(VigilSource) source = g_list_model_get_item (G_LIST_MODEL (self->sources), i);

      if (vigil_source_get_kind (source) == VIGIL_SOURCE_KIND_ALERTMANAGER)
        return TRUE;
    }

  return FALSE;
}

guint
vigil_poller_get_interval (VigilPoller *self)
{
  g_return_val_if_fail (VIGIL_IS_POLLER (self), 0);

  return self->interval;
}

void
vigil_poller_set_interval (VigilPoller *self,
                           guint        seconds)
{
  g_return_if_fail (VIGIL_IS_POLLER (self));

  seconds = MAX (seconds, 1);
  if (self->interval == seconds)
    return;

  self->interval = seconds;
  if (self->timeout_id != 0)
    schedule (self);

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_INTERVAL]);
}

void
vigil_poller_start (VigilPoller *self)
{
  g_return_if_fail (VIGIL_IS_POLLER (self));

  if (self->timeout_id != 0)
    return;

  if (g_cancellable_is_cancelled (self->cancellable))
    {
      g_object_unref (self->cancellable);
      self->cancellable = g_cancellable_new ();
    }

  schedule (self);
  tick_cb (self);
}

void
vigil_poller_stop (VigilPoller *self)
{
  g_return_if_fail (VIGIL_IS_POLLER (self));

  g_clear_handle_id (&self->timeout_id, g_source_remove);
  g_cancellable_cancel (self->cancellable);
}

void
vigil_poller_poll_once_async (VigilPoller         *self,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  Round *round;
  guint n;

  g_return_if_fail (VIGIL_IS_POLLER (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, vigil_poller_poll_once_async);

  n = g_list_model_get_n_items (G_LIST_MODEL (self->sources));
  round = g_new0 (Round, 1);
  round->pending = n;
  round->all_ok = TRUE;
  g_task_set_task_data (task, round, g_free);

  if (n == 0)
    {
      g_signal_emit (self, signals[POLL_FINISHED], 0);
      g_task_return_boolean (task, FALSE);
      return;
    }

  self->running = TRUE;

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(VigilSource) source = g_list_model_get_item (G_LIST_MODEL (self->sources), i);

      vigil_source_poll_async (source, g_get_real_time (), cancellable,
                               source_poll_cb, g_object_ref (task));
    }
}

gboolean
vigil_poller_poll_once_finish (VigilPoller   *self,
                               GAsyncResult  *result,
                               GError       **error)
{
  g_return_val_if_fail (VIGIL_IS_POLLER (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}
