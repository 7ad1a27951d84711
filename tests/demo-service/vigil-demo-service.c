/* SPDX-License-Identifier: GPL-3.0-or-later */

/* vigil-demo-service: a small HTTP service for the demo stack and the
 * integration tests.  It generates its own traffic from a timer (no load
 * generator needed), records each simulated request in a latency histogram
 * and a request counter, and serves them on /metrics in the Prometheus text
 * format.  Its latency and error ratio can be turned up while it runs through
 * POST /control, so that real alerts fire in Prometheus and Alertmanager.
 *
 * It only ever binds 127.0.0.1.
 */

#define G_LOG_DOMAIN "vigil-demo-service"

#include "config.h"

#include <errno.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include <glib.h>
#include <glib-unix.h>
#include <gio/gio.h>
#include <libsoup/soup.h>

/* Prometheus' default buckets; the label text is kept next to the bound so
 * the exposition shows "1", not "1.000000".
 */
static const struct
{
  double bound;
  const char *label;
} buckets[] = {
  { 0.005, "0.005" },
  { 0.01, "0.01" },
  { 0.025, "0.025" },
  { 0.05, "0.05" },
  { 0.1, "0.1" },
  { 0.25, "0.25" },
  { 0.5, "0.5" },
  { 1.0, "1" },
  { 2.5, "2.5" },
  { 5.0, "5" },
  { 10.0, "10" },
};

#define N_BUCKETS G_N_ELEMENTS (buckets)

/* Simulated traffic is generated in slices of this many milliseconds; the
 * number of requests per slice comes from the elapsed monotonic time, so the
 * rate stays right even when the timer runs late.
 */
#define TICK_MS 100

/* Spread of the simulated latency: log-normal around the base latency, so
 * p95 is about 1.4 times the base.
 */
#define LATENCY_SIGMA 0.2

#define MAX_LATENCY 60.0
#define MAX_RATE 10000.0

#define HANDLER_LABEL "/api"

typedef enum
{
  CODE_200,
  CODE_500,
  CODE_503,
  N_CODES
} Code;

static const char *code_labels[N_CODES] = { "200", "500", "503" };

typedef struct
{
  /* Settings, changed through /control. */
  double latency;
  double error_ratio;
  double rate;

  /* Metrics. Buckets are stored non-cumulative and summed when served. */
  guint64 bucket_counts[N_BUCKETS + 1];
  double duration_sum;
  guint64 duration_count;
  guint64 code_counts[N_CODES];
  guint64 scrapes;

  /* Traffic generator. */
  GRand *rand;
  gint64 last_tick_us;
  double carry;
  guint tick_id;

  gint64 start_time_us;
  SoupServer *server;
  GMainLoop *loop;
} DemoService;

static double
normal_sample (GRand *rand)
{
  /* Box-Muller; 1 - u keeps the logarithm away from zero. */
  double u1 = 1.0 - g_rand_double (rand);
  double u2 = g_rand_double (rand);

  return sqrt (-2.0 * log (u1)) * cos (2.0 * G_PI * u2);
}

static void
record_request (DemoService *self)
{
  double duration;
  double draw;
  Code code;
  gsize i;

  duration = self->latency * exp (LATENCY_SIGMA * normal_sample (self->rand));

  for (i = 0; i < N_BUCKETS; i++)
    if (duration <= buckets[i].bound)
      break;
  self->bucket_counts[i]++;
  self->duration_sum += duration;
  self->duration_count++;

  /* Two thirds of the failures are 500s, the rest 503s. */
  draw = g_rand_double (self->rand);
  if (draw < self->error_ratio * 2.0 / 3.0)
    code = CODE_500;
  else if (draw < self->error_ratio)
    code = CODE_503;
  else
    code = CODE_200;
  self->code_counts[code]++;
}

static gboolean
tick_cb (gpointer user_data)
{
  DemoService *self = user_data;
  gint64 now = g_get_monotonic_time ();
  double due;
  guint64 n;

  due = self->carry + self->rate * (double) (now - self->last_tick_us) / G_USEC_PER_SEC;
  self->last_tick_us = now;

  /* A machine that was suspended would otherwise replay hours of traffic at
   * once; a few seconds' worth is plenty to keep the rate honest.
   */
  due = MIN (due, self->rate * 5.0);

  n = (guint64) floor (due);
  self->carry = due - (double) n;

  for (guint64 i = 0; i < n; i++)
    record_request (self);

  return G_SOURCE_CONTINUE;
}

static void
append_double (GString *out,
               double   value)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];

  /* Always a dot as decimal separator, whatever the locale; 15 digits print
   * 0.05 as "0.05", not as its exact binary value.
   */
  g_string_append (out, g_ascii_formatd (buf, sizeof buf, "%.15g", value));
}

static char *
render_metrics (DemoService *self)
{
  GString *out = g_string_sized_new (4096);
  guint64 cumulative = 0;

  g_string_append (out,
                   "# HELP http_request_duration_seconds Duration of the simulated requests.\n"
                   "# TYPE http_request_duration_seconds histogram\n");
  for (gsize i = 0; i < N_BUCKETS; i++)
    {
      cumulative += self->bucket_counts[i];
      g_string_append_printf (out,
                              "http_request_duration_seconds_bucket{handler=\"" HANDLER_LABEL "\",le=\"%s\"} %" G_GUINT64_FORMAT "\n",
                              buckets[i].label, cumulative);
    }
  cumulative += self->bucket_counts[N_BUCKETS];
  g_string_append_printf (out,
                          "http_request_duration_seconds_bucket{handler=\"" HANDLER_LABEL "\",le=\"+Inf\"} %" G_GUINT64_FORMAT "\n",
                          cumulative);
  g_string_append (out, "http_request_duration_seconds_sum{handler=\"" HANDLER_LABEL "\"} ");
  append_double (out, self->duration_sum);
  g_string_append_printf (out,
                          "\nhttp_request_duration_seconds_count{handler=\"" HANDLER_LABEL "\"} %" G_GUINT64_FORMAT "\n",
                          self->duration_count);

  g_string_append (out,
                   "# HELP http_requests_total Simulated requests by status code.\n"
                   "# TYPE http_requests_total counter\n");
  for (gsize i = 0; i < N_CODES; i++)
    g_string_append_printf (out,
                            "http_requests_total{code=\"%s\",handler=\"" HANDLER_LABEL "\"} %" G_GUINT64_FORMAT "\n",
                            code_labels[i], self->code_counts[i]);

  /* The settings are exported too, so a graph can show when a fault was
   * injected and tests can check that a change arrived.
   */
  g_string_append (out,
                   "# HELP demo_service_latency_seconds Base latency of the simulated requests.\n"
                   "# TYPE demo_service_latency_seconds gauge\n"
                   "demo_service_latency_seconds ");
  append_double (out, self->latency);
  g_string_append (out,
                   "\n# HELP demo_service_error_ratio Share of the simulated requests that fail.\n"
                   "# TYPE demo_service_error_ratio gauge\n"
                   "demo_service_error_ratio ");
  append_double (out, self->error_ratio);
  g_string_append (out,
                   "\n# HELP demo_service_requests_per_second Rate of the simulated requests.\n"
                   "# TYPE demo_service_requests_per_second gauge\n"
                   "demo_service_requests_per_second ");
  append_double (out, self->rate);
  g_string_append_printf (out,
                          "\n# HELP demo_service_scrapes_total Requests served on /metrics.\n"
                          "# TYPE demo_service_scrapes_total counter\n"
                          "demo_service_scrapes_total %" G_GUINT64_FORMAT "\n",
                          self->scrapes);
  g_string_append (out,
                   "# HELP process_start_time_seconds Start time of the process since the Unix epoch.\n"
                   "# TYPE process_start_time_seconds gauge\n"
                   "process_start_time_seconds ");
  append_double (out, floor ((double) self->start_time_us / G_USEC_PER_SEC));
  g_string_append_c (out, '\n');

  return g_string_free (out, FALSE);
}

static char *
render_settings (DemoService *self)
{
  GString *out = g_string_new ("{\"latency\":");

  append_double (out, self->latency);
  g_string_append (out, ",\"error_ratio\":");
  append_double (out, self->error_ratio);
  g_string_append (out, ",\"rate\":");
  append_double (out, self->rate);
  g_string_append (out, "}\n");

  return g_string_free (out, FALSE);
}

static void
respond (SoupServerMessage *msg,
         guint              status,
         const char        *content_type,
         char              *body)
{
  soup_server_message_set_status (msg, status, NULL);
  soup_server_message_set_response (msg, content_type, SOUP_MEMORY_TAKE,
                                    body, strlen (body));
}

static gboolean
parse_setting (const char  *text,
               double       min,
               double       max,
               double      *out_value,
               const char  *name,
               GError     **error)
{
  char *end = NULL;
  double value;

  errno = 0;
  value = g_ascii_strtod (text, &end);
  if (errno != 0 || end == text || *end != '\0' || !isfinite (value)
      || value < min || value > max)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   "%s must be a number from %g to %g, not “%s”",
                   name, min, max, text);
      return FALSE;
    }

  *out_value = value;
  return TRUE;
}

/* All values are checked before any is applied, so a request with one bad
 * value changes nothing.
 */
static gboolean
apply_settings (DemoService  *self,
                GHashTable   *params,
                GError      **error)
{
  double latency = self->latency;
  double error_ratio = self->error_ratio;
  double rate = self->rate;
  GHashTableIter iter;
  gpointer key, value;

  if (params == NULL || g_hash_table_size (params) == 0)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                           "nothing to change: pass latency, error_ratio or rate");
      return FALSE;
    }

  g_hash_table_iter_init (&iter, params);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      const char *text = value != NULL ? value : "";

      if (g_str_equal (key, "latency"))
        {
          if (!parse_setting (text, 0.0, MAX_LATENCY, &latency, "latency", error))
            return FALSE;
        }
      else if (g_str_equal (key, "error_ratio"))
        {
          if (!parse_setting (text, 0.0, 1.0, &error_ratio, "error_ratio", error))
            return FALSE;
        }
      else if (g_str_equal (key, "rate"))
        {
          if (!parse_setting (text, 0.0, MAX_RATE, &rate, "rate", error))
            return FALSE;
        }
      else
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                       "unknown setting “%s”: use latency, error_ratio or rate",
                       (const char *) key);
          return FALSE;
        }
    }

  if (latency != self->latency || error_ratio != self->error_ratio || rate != self->rate)
    g_message ("settings changed: latency %g s, error ratio %g, rate %g/s",
               latency, error_ratio, rate);

  self->latency = latency;
  self->error_ratio = error_ratio;
  self->rate = rate;
  return TRUE;
}

static void
metrics_cb (SoupServer        *server,
            SoupServerMessage *msg,
            const char        *path,
            GHashTable        *query,
            gpointer           user_data)
{
  DemoService *self = user_data;
  const char *method = soup_server_message_get_method (msg);

  if (method != SOUP_METHOD_GET && method != SOUP_METHOD_HEAD)
    {
      soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                    "Allow", "GET, HEAD");
      respond (msg, SOUP_STATUS_METHOD_NOT_ALLOWED, "text/plain; charset=utf-8",
               g_strdup ("use GET\n"));
      return;
    }

  self->scrapes++;
  respond (msg, SOUP_STATUS_OK, "text/plain; version=0.0.4; charset=utf-8",
           render_metrics (self));
}

static void
control_cb (SoupServer        *server,
            SoupServerMessage *msg,
            const char        *path,
            GHashTable        *query,
            gpointer           user_data)
{
  DemoService *self = user_data;
  const char *method = soup_server_message_get_method (msg);
  g_autoptr(GHashTable) params = NULL;
  g_autoptr(GError) error = NULL;

  if (method == SOUP_METHOD_GET || method == SOUP_METHOD_HEAD)
    {
      respond (msg, SOUP_STATUS_OK, "application/json", render_settings (self));
      return;
    }

  if (method != SOUP_METHOD_POST)
    {
      soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                    "Allow", "GET, HEAD, POST");
      respond (msg, SOUP_STATUS_METHOD_NOT_ALLOWED, "text/plain; charset=utf-8",
               g_strdup ("use GET to read the settings and POST to change them\n"));
      return;
    }

  /* Settings come from the query string, or from a form-encoded body as
   * `curl -d latency=0.8` sends it; the query string wins.
   */
  params = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  {
    SoupMessageBody *body = soup_server_message_get_request_body (msg);
    const char *content_type;

    content_type = soup_message_headers_get_content_type (soup_server_message_get_request_headers (msg), NULL);
    if (body != NULL && body->length > 0 && content_type != NULL
        && g_ascii_strcasecmp (content_type, "application/x-www-form-urlencoded") == 0)
      {
        g_autofree char *text = g_strndup (body->data, body->length);
        g_autoptr(GHashTable) form = soup_form_decode (text);
        GHashTableIter iter;
        gpointer key, value;

        g_hash_table_iter_init (&iter, form);
        while (g_hash_table_iter_next (&iter, &key, &value))
          g_hash_table_replace (params, g_strdup (key), g_strdup (value));
      }
  }
  if (query != NULL)
    {
      GHashTableIter iter;
      gpointer key, value;

      g_hash_table_iter_init (&iter, query);
      while (g_hash_table_iter_next (&iter, &key, &value))
        g_hash_table_replace (params, g_strdup (key), g_strdup (value));
    }

  if (!apply_settings (self, params, &error))
    {
      respond (msg, SOUP_STATUS_BAD_REQUEST, "text/plain; charset=utf-8",
               g_strdup_printf ("%s\n", error->message));
      return;
    }

  respond (msg, SOUP_STATUS_OK, "application/json", render_settings (self));
}

static void
ready_cb (SoupServer        *server,
          SoupServerMessage *msg,
          const char        *path,
          GHashTable        *query,
          gpointer           user_data)
{
  respond (msg, SOUP_STATUS_OK, "text/plain; charset=utf-8", g_strdup ("ready\n"));
}

static void
default_cb (SoupServer        *server,
            SoupServerMessage *msg,
            const char        *path,
            GHashTable        *query,
            gpointer           user_data)
{
  if (g_strcmp0 (path, "/") != 0)
    {
      respond (msg, SOUP_STATUS_NOT_FOUND, "text/plain; charset=utf-8",
               g_strdup ("not found: try /metrics or /control\n"));
      return;
    }

  respond (msg, SOUP_STATUS_OK, "text/plain; charset=utf-8",
           g_strdup ("vigil-demo-service " PACKAGE_VERSION "\n"
                     "\n"
                     "GET  /metrics    Prometheus metrics of the simulated traffic\n"
                     "GET  /control    current settings as JSON\n"
                     "POST /control?latency=0.8&error_ratio=0.3&rate=50\n"
                     "                 change the settings\n"
                     "GET  /-/ready    200 once serving\n"));
}

static gboolean
quit_cb (gpointer user_data)
{
  DemoService *self = user_data;

  g_message ("stopping on signal");
  g_main_loop_quit (self->loop);

  return G_SOURCE_CONTINUE;
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GSocketAddress) address = NULL;
  g_autoptr(GInetAddress) loopback = NULL;
  GSList *uris;
  DemoService self = { 0 };
  int port = 0;
  double latency = 0.05;
  double error_ratio = 0.01;
  double rate = 50.0;
  int seed = -1;
  guint sigterm_id, sigint_id;
  const GOptionEntry entries[] = {
    { "port", 0, 0, G_OPTION_ARG_INT, &port,
      "Port on 127.0.0.1 (0 picks a free one; the URL is printed)", "N" },
    { "latency", 0, 0, G_OPTION_ARG_DOUBLE, &latency,
      "Base latency of the simulated requests in seconds (0.05)", "SECONDS" },
    { "error-ratio", 0, 0, G_OPTION_ARG_DOUBLE, &error_ratio,
      "Share of the simulated requests that fail with 500 or 503 (0.01)", "RATIO" },
    { "rate", 0, 0, G_OPTION_ARG_DOUBLE, &rate,
      "Simulated requests per second (50)", "N" },
    { "seed", 0, 0, G_OPTION_ARG_INT, &seed,
      "Seed of the random numbers, for repeatable runs", "N" },
    { NULL }
  };

  context = g_option_context_new ("- simulated service for Vigil's demo and tests");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("%s\n", error->message);
      return 2;
    }

  if (port < 0 || port > 65535)
    {
      g_printerr ("--port must be from 0 to 65535\n");
      return 2;
    }
  if (!isfinite (latency) || latency < 0.0 || latency > MAX_LATENCY)
    {
      g_printerr ("--latency must be from 0 to %g seconds\n", MAX_LATENCY);
      return 2;
    }
  if (!isfinite (error_ratio) || error_ratio < 0.0 || error_ratio > 1.0)
    {
      g_printerr ("--error-ratio must be from 0 to 1\n");
      return 2;
    }
  if (!isfinite (rate) || rate < 0.0 || rate > MAX_RATE)
    {
      g_printerr ("--rate must be from 0 to %g\n", MAX_RATE);
      return 2;
    }

  self.latency = latency;
  self.error_ratio = error_ratio;
  self.rate = rate;
  self.rand = seed >= 0 ? g_rand_new_with_seed ((guint32) seed) : g_rand_new ();
  self.start_time_us = g_get_real_time ();
  self.last_tick_us = g_get_monotonic_time ();
  self.loop = g_main_loop_new (NULL, FALSE);

  self.server = soup_server_new ("server-header", "vigil-demo-service/" PACKAGE_VERSION " ",
                                 NULL);
  soup_server_add_handler (self.server, NULL, default_cb, &self, NULL);
  soup_server_add_handler (self.server, "/metrics", metrics_cb, &self, NULL);
  soup_server_add_handler (self.server, "/control", control_cb, &self, NULL);
  soup_server_add_handler (self.server, "/-/ready", ready_cb, &self, NULL);
  soup_server_add_handler (self.server, "/-/healthy", ready_cb, &self, NULL);

  loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  address = g_inet_socket_address_new (loopback, (guint16) port);
  if (!soup_server_listen (self.server, address, 0, &error))
    {
      g_printerr ("cannot listen on 127.0.0.1:%d: %s\n", port, error->message);
      g_clear_object (&self.server);
      g_main_loop_unref (self.loop);
      g_rand_free (self.rand);
      return 1;
    }

  uris = soup_server_get_uris (self.server);
  if (uris != NULL)
    {
      printf ("listening on http://127.0.0.1:%d\n", g_uri_get_port (uris->data));
      fflush (stdout);
    }
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);

  self.tick_id = g_timeout_add (TICK_MS, tick_cb, &self);
  sigterm_id = g_unix_signal_add (SIGTERM, quit_cb, &self);
  sigint_id = g_unix_signal_add (SIGINT, quit_cb, &self);

  g_main_loop_run (self.loop);

  g_source_remove (sigterm_id);
  g_source_remove (sigint_id);
  g_clear_handle_id (&self.tick_id, g_source_remove);
  soup_server_disconnect (self.server);
  g_clear_object (&self.server);
  g_main_loop_unref (self.loop);
  g_rand_free (self.rand);

  return 0;
}
