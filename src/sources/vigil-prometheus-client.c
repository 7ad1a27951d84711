/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "vigil-prometheus-client"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "vigil-http.h"
#include "vigil-parse.h"
#include "vigil-prometheus-client.h"

/* Prometheus refuses range queries with more points per series. */
#define MAX_POINTS 11000.0

struct _VigilPrometheusClient
{
  GObject      parent_instance;

  SoupSession *session;
  char        *base_url;
};

G_DEFINE_FINAL_TYPE (VigilPrometheusClient, vigil_prometheus_client, G_TYPE_OBJECT)

static gpointer
parse_query (GBytes  *body,
             GError **error)
{
  return vigil_prometheus_parse_query (body, error);
}

static gpointer
parse_alerts (GBytes  *body,
              GError **error)
{
  return vigil_prometheus_parse_alerts (body, error);
}

/* Seconds with millisecond precision, whatever the locale's decimal mark. */
static char *
format_time (double seconds)
{
  char buffer[G_ASCII_DTOSTR_BUF_SIZE];

  return g_strdup (g_ascii_formatd (buffer, sizeof buffer, "%.3f", seconds));
}

static char *
build_url (VigilPrometheusClient *self,
           const char            *path,
           ...) G_GNUC_NULL_TERMINATED;

/* base + path + "?k=v&…" with every value escaped. */
static char *
build_url (VigilPrometheusClient *self,
           const char            *path,
           ...)
{
  GString *url = g_string_new (self->base_url);
  const char *key;
  char separator = '?';
  va_list args;

  g_string_append (url, path);

  va_start (args, path);
  while ((key = va_arg (args, const char *)) != NULL)
    {
      const char *value = va_arg (args, const char *);

      g_string_append_c (url, separator);
      g_string_append (url, key);
      g_string_append_c (url, '=');
      g_string_append_uri_escaped (url, value, NULL, FALSE);
      separator = '&';
    }
  va_end (args);

  return g_string_free (url, FALSE);
}

/* The task data of every request is the function that frees its result. */
static void
parsed_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  GDestroyNotify free_result = (GDestroyNotify) g_task_get_task_data (task);
  gpointer parsed;

  parsed = vigil_http_get_parsed_finish (result, &error);
  if (parsed == NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_pointer (task, parsed, free_result);
}

static void
vigil_prometheus_client_finalize (GObject *object)
{
  VigilPrometheusClient *self = VIGIL_PROMETHEUS_CLIENT (object);

  g_clear_object (&self->session);
  g_clear_pointer (&self->base_url, g_free);

  G_OBJECT_CLASS (vigil_prometheus_client_parent_class)->finalize (object);
}

static void
vigil_prometheus_client_class_init (VigilPrometheusClientClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = vigil_prometheus_client_finalize;
}

static void
vigil_prometheus_client_init (VigilPrometheusClient *self)
{
}

VigilPrometheusClient *
vigil_prometheus_client_new (SoupSession *session,
                             const char  *base_url)
{
  VigilPrometheusClient *self;

  g_return_val_if_fail (SOUP_IS_SESSION (session), NULL);
  g_return_val_if_fail (base_url != NULL, NULL);

  self = g_object_new (VIGIL_TYPE_PROMETHEUS_CLIENT, NULL);
  self->session = g_object_ref (session);
  self->base_url = g_strdup (base_url);

  return self;
}

void
vigil_prometheus_client_query_async (VigilPrometheusClient *self,
                                     const char            *promql,
                                     double                 time,
                                     GCancellable          *cancellable,
                                     GAsyncReadyCallback    callback,
                                     gpointer               user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autofree char *url = NULL;

  g_return_if_fail (VIGIL_IS_PROMETHEUS_CLIENT (self));
  g_return_if_fail (promql != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, vigil_prometheus_client_query_async);

  if (time > 0)
    {
      g_autofree char *time_text = format_time (time);

      url = build_url (self, "/api/v1/query", "query", promql, "time", time_text, NULL);
    }
  else
    url = build_url (self, "/api/v1/query", "query", promql, NULL);

  g_task_set_task_data (task, (gpointer) g_object_unref, NULL);
  vigil_http_get_parsed_async (self->session, url, parse_query, g_object_unref,
                               cancellable, parsed_cb, g_steal_pointer (&task));
}

VigilQueryResult *
vigil_prometheus_client_query_finish (VigilPrometheusClient  *self,
                                      GAsyncResult           *result,
                                      GError                **error)
{
  g_return_val_if_fail (VIGIL_IS_PROMETHEUS_CLIENT (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

void
vigil_prometheus_client_query_range_async (VigilPrometheusClient *self,
                                           const char            *promql,
                                           double                 start,
                                           double                 end,
                                           double                 step,
                                           GCancellable          *cancellable,
                                           GAsyncReadyCallback    callback,
                                           gpointer               user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autofree char *url = NULL;
  g_autofree char *start_text = NULL;
  g_autofree char *end_text = NULL;
  g_autofree char *step_text = NULL;

  g_return_if_fail (VIGIL_IS_PROMETHEUS_CLIENT (self));
  g_return_if_fail (promql != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, vigil_prometheus_client_query_range_async);

  /* The server would refuse these with a 400; say so without asking. */
  if (!isfinite (start) || !isfinite (end) || end < start)
    {
      g_task_return_new_error (task, VIGIL_SOURCE_ERROR, VIGIL_SOURCE_ERROR_BAD_REQUEST,
                               _("The graph’s time range ends before it starts."));
      return;
    }
  if (!isfinite (step) || step <= 0)
    {
      g_task_return_new_error (task, VIGIL_SOURCE_ERROR, VIGIL_SOURCE_ERROR_BAD_REQUEST,
                               _("The graph’s resolution must be more than zero seconds."));
      return;
    }

  step = MAX (step, ceil ((end - start) / MAX_POINTS));

  start_text = format_time (start);
  end_text = format_time (end);
  step_text = format_time (step);
  url = build_url (self, "/api/v1/query_range",
                   "query", promql,
                   "start", start_text,
                   "end", end_text,
                   "step", step_text,
                   NULL);

  g_task_set_task_data (task, (gpointer) g_object_unref, NULL);
  vigil_http_get_parsed_async (self->session, url, parse_query, g_object_unref,
                               cancellable, parsed_cb, g_steal_pointer (&task));
}

VigilQueryResult *
vigil_prometheus_client_query_range_finish (VigilPrometheusClient  *self,
                                            GAsyncResult           *result,
                                            GError                **error)
{
  g_return_val_if_fail (VIGIL_IS_PROMETHEUS_CLIENT (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

void
vigil_prometheus_client_get_alerts_async (VigilPrometheusClient *self,
                                          GCancellable          *cancellable,
                                          GAsyncReadyCallback    callback,
                                          gpointer               user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autofree char *url = NULL;

  g_return_if_fail (VIGIL_IS_PROMETHEUS_CLIENT (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, vigil_prometheus_client_get_alerts_async);

  url = build_url (self, "/api/v1/alerts", NULL);
  g_task_set_task_data (task, (gpointer) g_ptr_array_unref, NULL);
  vigil_http_get_parsed_async (self->session, url, parse_alerts,
                               (GDestroyNotify) g_ptr_array_unref,
                               cancellable, parsed_cb, g_steal_pointer (&task));
}

GPtrArray *
vigil_prometheus_client_get_alerts_finish (VigilPrometheusClient  *self,
                                           GAsyncResult           *result,
                                           GError                **error)
{
  g_return_val_if_fail (VIGIL_IS_PROMETHEUS_CLIENT (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

double
vigil_prometheus_choose_step (double start,
                              double end,
                              int    width_px,
                              double scrape_interval)
{
  double range = MAX (end - start, 0);
  double step;

  step = MAX (scrape_interval, 1.0);
  if (width_px > 0)
    step = MAX (step, range / width_px);
  step = MAX (step, range / MAX_POINTS);

  return ceil (step);
}
