/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "vigil-poller"

#include "config.h"

#include <glib/gi18n.h>

#include "vigil-poller.h"

/* Data older than this many intervals is stale: at least two polls in a
 * row brought nothing newer. */
#define STALE_AFTER_INTERVALS 3

struct _VigilPoller
{
  GObject       parent_instance;

  GListStore   *sources;
  guint         interval;
  guint         timeout_id;
  GCancellable *cancellable;
  struct Round *round;           /* the round of polls in flight, or NULL */
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

/* One poll of every source. Whoever asks for a poll while one is in
 * flight waits for that one, so a slow or stalled server never has two
 * requests from Vigil at once, however often the timer or the user asks. */
typedef struct Round {
  VigilPoller  *poller;
  guint         pending;
  gboolean      all_ok;
  GCancellable *cancellable;
  GPtrArray    *waiters;         /* Waiter */
} Round;

/* Someone waiting for a round; their cancellable ends only their wait. */
typedef struct {
  GTask   *task;
  GSource *cancelled_source;
} Waiter;

static void schedule (VigilPoller *self);

static void
waiter_free (Waiter *waiter)
{
  if (waiter->cancelled_source != NULL)
    {
      g_source_destroy (waiter->cancelled_source);
      g_source_unref (waiter->cancelled_source);
    }
  g_clear_object (&waiter->task);
  g_free (waiter);
}

static void
round_free (Round *round)
{
  g_clear_object (&round->cancellable);
  g_ptr_array_unref (round->waiters);
  g_clear_object (&round->poller);
  g_free (round);
}

static gboolean
waiter_cancelled_cb (GCancellable *cancellable,
                     gpointer      user_data)
{
  Round *round = user_data;

  for (guint i = 0; i < round->waiters->len; i++)
    {
      Waiter *waiter = g_ptr_array_index (round->waiters, i);

      if (g_task_get_cancellable (waiter->task) == cancellable)
        {
          g_autoptr(GTask) task = g_object_ref (waiter->task);

          g_clear_pointer (&waiter->cancelled_source, g_source_unref);
          g_ptr_array_remove_index (round->waiters, i);
          g_task_return_error_if_cancelled (task);
          break;
        }
    }

  return G_SOURCE_REMOVE;
}

static void
add_waiter (Round *round,
            GTask *task)
{
  Waiter *waiter = g_new0 (Waiter, 1);
  GCancellable *cancellable = g_task_get_cancellable (task);

  waiter->task = task;
  if (cancellable != NULL)
    {
      waiter->cancelled_source = g_cancellable_source_new (cancellable);
      g_source_set_callback (waiter->cancelled_source,
                             (GSourceFunc) (void (*) (void)) waiter_cancelled_cb, round, NULL);
      g_source_attach (waiter->cancelled_source, g_main_context_get_thread_default ());
    }
  g_ptr_array_add (round->waiters, waiter);
}

static gint64
stale_after_us (VigilPoller *self)
{
  return (gint64) STALE_AFTER_INTERVALS * self->interval * G_USEC_PER_SEC;
}

/* "less than a minute", "12 min", "3 h 5 min", "2 days". */
static char *
format_age (gint64 age_us)
{
  gint64 minutes = MAX (age_us, 0) / (60 * G_USEC_PER_SEC);

  if (minutes < 1)
    return g_strdup (_("less than a minute"));
  if (minutes < 60)
    /* Translators: an age, as in "showing data from 12 min ago". */
    return g_strdup_printf (_("%d min"), (int) minutes);
  if (minutes < 48 * 60)
    {
      if (minutes % 60 == 0)
        /* Translators: an age in hours, as in "showing data from 3 h ago". */
        return g_strdup_printf (_("%d h"), (int) (minutes / 60));
      /* Translators: an age, as in "showing data from 3 h 5 min ago". */
      return g_strdup_printf (_("%d h %d min"), (int) (minutes / 60), (int) (minutes % 60));
    }

  return g_strdup_printf (ngettext ("%d day", "%d days", (unsigned long) (minutes / (24 * 60))),
                          (int) (minutes / (24 * 60)));
}

static void
finish_round (VigilPoller *self,
              Round       *round)
{
  gboolean cancelled = g_cancellable_is_cancelled (round->cancellable);

  if (self->round == round)
    self->round = NULL;

  if (!cancelled)
    {
      gint64 now = g_get_real_time ();
      guint n = g_list_model_get_n_items (G_LIST_MODEL (self->sources));

      for (guint i = 0; i < n; i++)
        {
          g_autoptr(VigilSource) each = g_list_model_get_item (G_LIST_MODEL (self->sources), i);

          vigil_source_check_stale (each, now, stale_after_us (self));
        }

      g_signal_emit (self, signals[POLL_FINISHED], 0);
    }

  while (round->waiters->len > 0)
    {
      Waiter *waiter = g_ptr_array_steal_index (round->waiters, 0);
      g_autoptr(GTask) task = g_steal_pointer (&waiter->task);

      waiter_free (waiter);
      if (cancelled)
        g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED, "The poll was stopped");
      else
        g_task_return_boolean (task, round->all_ok);
    }

  round_free (round);
}

static void
source_poll_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  Round *round = user_data;
  VigilPoller *self = round->poller;
  VigilSource *source = VIGIL_SOURCE (object);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) alerts = NULL;

  /* A failed poll hands NULL on, never an empty list: listeners must not
   * read a source that did not answer as one whose alerts all resolved. */
  alerts = vigil_source_poll_finish (source, result, &error);
  if (alerts == NULL)
    round->all_ok = FALSE;

  if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_signal_emit (self, signals[SOURCE_POLLED], 0, source, alerts);

  if (--round->pending == 0)
    finish_round (self, round);
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
  if (self->round == NULL)
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
  /* The cancelled round winds down by itself; a poll asked for now starts
   * a new one instead of waiting for it. */
  self->round = NULL;
}

void
vigil_poller_poll_once_async (VigilPoller         *self,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GPtrArray) sources = NULL;
  Round *round;

  g_return_if_fail (VIGIL_IS_POLLER (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, vigil_poller_poll_once_async);

  if (self->round != NULL)
    {
      add_waiter (self->round, g_steal_pointer (&task));
      return;
    }

  sources = g_ptr_array_new_with_free_func (g_object_unref);
  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (self->sources)); i++)
    g_ptr_array_add (sources, g_list_model_get_item (G_LIST_MODEL (self->sources), i));

  if (sources->len == 0)
    {
      g_signal_emit (self, signals[POLL_FINISHED], 0);
      g_task_return_boolean (task, FALSE);
      return;
    }

  /* A poll asked for after vigil_poller_stop() is a new request. */
  if (g_cancellable_is_cancelled (self->cancellable))
    {
      g_object_unref (self->cancellable);
      self->cancellable = g_cancellable_new ();
    }

  round = g_new0 (Round, 1);
  round->poller = g_object_ref (self);
  round->pending = sources->len;
  round->all_ok = TRUE;
  round->waiters = g_ptr_array_new_with_free_func ((GDestroyNotify) waiter_free);
  /* The round runs on the poller's cancellable, which vigil_poller_stop()
   * cancels; a caller's cancellable only ends that caller's wait. */
  round->cancellable = g_object_ref (self->cancellable);
  add_waiter (round, g_steal_pointer (&task));
  self->round = round;

  for (guint i = 0; i < sources->len; i++)
    vigil_source_poll_async (g_ptr_array_index (sources, i), g_get_real_time (),
                             round->cancellable, source_poll_cb, round);
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

char *
vigil_poller_describe_source (VigilPoller *self,
                              VigilSource *source,
                              gint64       now_us)
{
  VigilSourceHealth health;
  gint64 last_success;
  g_autofree char *age = NULL;

  g_return_val_if_fail (VIGIL_IS_POLLER (self), NULL);
  g_return_val_if_fail (VIGIL_IS_SOURCE (source), NULL);

  health = vigil_source_get_health (source);
  last_success = vigil_source_get_last_success (source);
  if (last_success > 0)
    age = format_age (now_us - last_success);

  /* Data can go stale before the poller marks it, e.g. after a suspend. */
  if (health == VIGIL_SOURCE_HEALTH_OK && last_success > 0
      && now_us - last_success > stale_after_us (self))
    health = VIGIL_SOURCE_HEALTH_STALE;

  switch (health)
    {
    case VIGIL_SOURCE_HEALTH_OK:
      return g_strdup (_("Up to date."));

    case VIGIL_SOURCE_HEALTH_STALE:
      if (age == NULL)
        return g_strdup (_("No data yet."));
      /* Translators: %s is an age: "12 min", "3 h 5 min". */
      return g_strdup_printf (_("No fresh data: showing data from %s ago."), age);

    case VIGIL_SOURCE_HEALTH_ERROR:
      {
        const char *message = vigil_source_get_error_message (source);

        if (message == NULL)
          message = _("It did not answer.");
        if (age == NULL)
          return g_strdup (message);
        /* Translators: the error sentence, then an age ("12 min"). The
         * alerts of the last good poll stay on screen. */
        return g_strdup_printf (_("%s Showing data from %s ago."), message, age);
      }

    case VIGIL_SOURCE_HEALTH_UNKNOWN:
    default:
      return g_strdup (_("Not polled yet."));
    }
}
