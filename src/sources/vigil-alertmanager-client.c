/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "vigil-alertmanager-client"

#include "config.h"

#include "vigil-alertmanager-client.h"
#include "vigil-http.h"
#include "vigil-parse.h"

struct _VigilAlertmanagerClient
{
  GObject      parent_instance;

  SoupSession *session;
  char        *base_url;
};

G_DEFINE_FINAL_TYPE (VigilAlertmanagerClient, vigil_alertmanager_client, G_TYPE_OBJECT)

static gpointer
parse_alerts (GBytes  *body,
              GError **error)
{
  return vigil_alertmanager_parse_alerts (body, error);
}

static void
get_alerts_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  GPtrArray *alerts;

  alerts = vigil_http_get_parsed_finish (result, &error);
  if (alerts == NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_pointer (task, alerts, (GDestroyNotify) g_ptr_array_unref);
}

static void
vigil_alertmanager_client_finalize (GObject *object)
{
  VigilAlertmanagerClient *self = VIGIL_ALERTMANAGER_CLIENT (object);

  g_clear_object (&self->session);
  g_clear_pointer (&self->base_url, g_free);

  G_OBJECT_CLASS (vigil_alertmanager_client_parent_class)->finalize (object);
}

static void
vigil_alertmanager_client_class_init (VigilAlertmanagerClientClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = vigil_alertmanager_client_finalize;
}

static void
vigil_alertmanager_client_init (VigilAlertmanagerClient *self)
{
}

VigilAlertmanagerClient *
vigil_alertmanager_client_new (SoupSession *session,
                               const char  *base_url)
{
  VigilAlertmanagerClient *self;

  g_return_val_if_fail (SOUP_IS_SESSION (session), NULL);
  g_return_val_if_fail (base_url != NULL, NULL);

  self = g_object_new (VIGIL_TYPE_ALERTMANAGER_CLIENT, NULL);
  self->session = g_object_ref (session);
  self->base_url = g_strdup (base_url);

  return self;
}

void
vigil_alertmanager_client_get_alerts_async (VigilAlertmanagerClient *self,
                                            GCancellable            *cancellable,
                                            GAsyncReadyCallback      callback,
                                            gpointer                 user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autofree char *url = NULL;

  g_return_if_fail (VIGIL_IS_ALERTMANAGER_CLIENT (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, vigil_alertmanager_client_get_alerts_async);

  url = g_strconcat (self->base_url, "/api/v2/alerts", NULL);
  vigil_http_get_parsed_async (self->session, url, parse_alerts,
                               (GDestroyNotify) g_ptr_array_unref,
                               cancellable, get_alerts_cb, g_steal_pointer (&task));
}

GPtrArray *
vigil_alertmanager_client_get_alerts_finish (VigilAlertmanagerClient  *self,
                                             GAsyncResult             *result,
                                             GError                  **error)
{
  g_return_val_if_fail (VIGIL_IS_ALERTMANAGER_CLIENT (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
