/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "vigil-source"

#include "config.h"

#include <glib/gi18n.h>

#include "vigil-alertmanager-client.h"
#include "vigil-http.h"
#include "vigil-prometheus-client.h"
#include "vigil-source.h"

struct _VigilSource
{
  GObject                  parent_instance;

  VigilSourceKind          kind;
  char                    *name;
  char                    *url;
  SoupSession             *session;
  VigilAlertmanagerClient *alertmanager;
  VigilPrometheusClient   *prometheus;

  VigilSourceHealth        health;
  char                    *error_message;
  gint64                   last_success;
  GPtrArray               *alerts;
};

G_DEFINE_FINAL_TYPE (VigilSource, vigil_source, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_HEALTH,
  PROP_ERROR_MESSAGE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
set_health (VigilSource       *self,
            VigilSourceHealth  health,
            const char        *message)
{
  if (self->health != health)
    {
      self->health = health;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_HEALTH]);
    }

  if (g_strcmp0 (self->error_message, message) != 0)
    {
      g_free (self->error_message);
      self->error_message = g_strdup (message);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ERROR_MESSAGE]);
    }
}

static void
poll_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  VigilSource *self = g_task_get_source_object (task);
  gint64 now_us = *(gint64 *) g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) alerts = NULL;

  if (self->kind == VIGIL_SOURCE_KIND_ALERTMANAGER)
    alerts = vigil_alertmanager_client_get_alerts_finish (self->alertmanager, result, &error);
  else
    alerts = vigil_prometheus_client_get_alerts_finish (self->prometheus, result, &error);

  if (alerts == NULL)
    {
      /* A cancelled poll says nothing about the server. */
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        set_health (self, VIGIL_SOURCE_HEALTH_ERROR, error->message);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  for (guint i = 0; i < alerts->len; i++)
    vigil_alert_set_source (g_ptr_array_index (alerts, i), self->name);

  g_clear_pointer (&self->alerts, g_ptr_array_unref);
  self->alerts = g_ptr_array_ref (alerts);
  self->last_success = now_us;
  set_health (self, VIGIL_SOURCE_HEALTH_OK, NULL);

  g_task_return_pointer (task, g_steal_pointer (&alerts), (GDestroyNotify) g_ptr_array_unref);
}

static void
vigil_source_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  VigilSource *self = VIGIL_SOURCE (object);

  switch (prop_id)
    {
    case PROP_HEALTH:
      g_value_set_int (value, self->health);
      break;
    case PROP_ERROR_MESSAGE:
      g_value_set_string (value, self->error_message);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
vigil_source_finalize (GObject *object)
{
  VigilSource *self = VIGIL_SOURCE (object);

  g_clear_pointer (&self->name, g_free);
  g_clear_pointer (&self->url, g_free);
  g_clear_pointer (&self->error_message, g_free);
  g_clear_pointer (&self->alerts, g_ptr_array_unref);
  g_clear_object (&self->alertmanager);
  g_clear_object (&self->prometheus);
  g_clear_object (&self->session);

  G_OBJECT_CLASS (vigil_source_parent_class)->finalize (object);
}

static void
vigil_source_class_init (VigilSourceClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->get_property = vigil_source_get_property;
  object_class->finalize = vigil_source_finalize;

  properties[PROP_HEALTH] =
    g_param_spec_int ("health", NULL, NULL,
                      VIGIL_SOURCE_HEALTH_UNKNOWN, VIGIL_SOURCE_HEALTH_STALE,
                      VIGIL_SOURCE_HEALTH_UNKNOWN,
                      G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_ERROR_MESSAGE] =
    g_param_spec_string ("error-message", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
vigil_source_init (VigilSource *self)
{
  self->alerts = g_ptr_array_new_with_free_func (g_object_unref);
}

VigilSource *
vigil_source_new (VigilSourceKind   kind,
                  const char       *name,
                  const char       *url,
                  GError          **error)
{
  g_autoptr(VigilSource) self = NULL;
  g_autoptr(GUri) uri = NULL;
  const char *scheme;
  gsize len;

  g_return_val_if_fail (name != NULL, NULL);
  g_return_val_if_fail (url != NULL, NULL);

  uri = g_uri_parse (url, G_URI_FLAGS_NONE, NULL);
  scheme = uri != NULL ? g_uri_get_scheme (uri) : NULL;
  if (uri == NULL
      || (g_strcmp0 (scheme, "http") != 0 && g_strcmp0 (scheme, "https") != 0)
      || g_uri_get_host (uri) == NULL || *g_uri_get_host (uri) == '\0')
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   _("“%s” is not a web address: it should look like http://host:port."), url);
      return NULL;
    }

  /* Credentials never belong in a URL, where they end up in logs. */
  if (g_uri_get_userinfo (uri) != NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   _("Put the user name and password in the source’s settings, not in the address."));
      return NULL;
    }

  self = g_object_new (VIGIL_TYPE_SOURCE, NULL);
  self->kind = kind;
  self->name = g_strdup (name);
  self->url = g_strdup (url);
  len = strlen (self->url);
  while (len > 0 && self->url[len - 1] == '/')
    self->url[--len] = '\0';

  self->session = vigil_http_session_new ();
  if (kind == VIGIL_SOURCE_KIND_ALERTMANAGER)
    self->alertmanager = vigil_alertmanager_client_new (self->session, self->url);
  else
    self->prometheus = vigil_prometheus_client_new (self->session, self->url);

  return g_steal_pointer (&self);
}

VigilSourceKind
vigil_source_get_kind (VigilSource *self)
{
  g_return_val_if_fail (VIGIL_IS_SOURCE (self), 0);

  return self->kind;
}

const char *
vigil_source_get_name (VigilSource *self)
{
  g_return_val_if_fail (VIGIL_IS_SOURCE (self), NULL);

  return self->name;
}

const char *
vigil_source_get_url (VigilSource *self)
{
  g_return_val_if_fail (VIGIL_IS_SOURCE (self), NULL);

  return self->url;
}

SoupSession *
vigil_source_get_session (VigilSource *self)
{
  g_return_val_if_fail (VIGIL_IS_SOURCE (self), NULL);

  return self->session;
}

VigilSourceHealth
vigil_source_get_health (VigilSource *self)
{
  g_return_val_if_fail (VIGIL_IS_SOURCE (self), VIGIL_SOURCE_HEALTH_UNKNOWN);

  return self->health;
}

const char *
vigil_source_get_error_message (VigilSource *self)
{
  g_return_val_if_fail (VIGIL_IS_SOURCE (self), NULL);

  return self->error_message;
}

gint64
vigil_source_get_last_success (VigilSource *self)
{
  g_return_val_if_fail (VIGIL_IS_SOURCE (self), 0);

  return self->last_success;
}

GPtrArray *
vigil_source_get_alerts (VigilSource *self)
{
  g_return_val_if_fail (VIGIL_IS_SOURCE (self), NULL);

  return self->alerts;
}

void
vigil_source_check_stale (VigilSource *self,
                          gint64       now_us,
                          gint64       stale_after_us)
{
  g_return_if_fail (VIGIL_IS_SOURCE (self));

  /* Only healthy data goes stale; an error already says more. */
  if (self->health == VIGIL_SOURCE_HEALTH_OK
      && self->last_success > 0
      && now_us - self->last_success > stale_after_us)
    set_health (self, VIGIL_SOURCE_HEALTH_STALE, NULL);
}

void
vigil_source_poll_async (VigilSource         *self,
                         gint64               now_us,
                         GCancellable        *cancellable,
                         GAsyncReadyCallback  callback,
                         gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (VIGIL_IS_SOURCE (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, vigil_source_poll_async);
  g_task_set_task_data (task, g_memdup2 (&now_us, sizeof now_us), g_free);

  if (self->kind == VIGIL_SOURCE_KIND_ALERTMANAGER)
    vigil_alertmanager_client_get_alerts_async (self->alertmanager, cancellable,
                                                poll_cb, g_steal_pointer (&task));
  else
    vigil_prometheus_client_get_alerts_async (self->prometheus, cancellable,
                                              poll_cb, g_steal_pointer (&task));
}

GPtrArray *
vigil_source_poll_finish (VigilSource   *self,
                          GAsyncResult  *result,
                          GError       **error)
{
  g_return_val_if_fail (VIGIL_IS_SOURCE (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

VigilPrometheusClient *
vigil_source_get_prometheus_client (VigilSource *self)
{
  g_return_val_if_fail (VIGIL_IS_SOURCE (self), NULL);

  return self->prometheus;
}

const char *
vigil_source_kind_to_string (VigilSourceKind kind)
{
  return kind == VIGIL_SOURCE_KIND_ALERTMANAGER ? "alertmanager" : "prometheus";
}

const char *
vigil_source_health_to_string (VigilSourceHealth health)
{
  switch (health)
    {
    case VIGIL_SOURCE_HEALTH_OK:
      return "ok";
    case VIGIL_SOURCE_HEALTH_ERROR:
      return "error";
    case VIGIL_SOURCE_HEALTH_STALE:
      return "stale";
    case VIGIL_SOURCE_HEALTH_UNKNOWN:
    default:
      return "unknown";
    }
}
