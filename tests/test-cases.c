/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-cases"

#include "config.h"

#include <math.h>
#include <string.h>

#include <json-glib/json-glib.h>

#include "vigil-alert-tracker.h"
#include "vigil-http.h"
#include "vigil-parse.h"
#include "vigil-prometheus-client.h"
#include "vigil-silences-client.h"
#include "vigil-source.h"
#include "vigil-status-report.h"

/* Every case of tests/fixtures (see ../shared/cases/README.md), served byte
 * for byte by a local libsoup server on 127.0.0.1 and read through Vigil's
 * clients, sources and tracker: what the engineer would see, not only what
 * a parser returns. tests/test-sources.c covers some of the same bytes from
 * the poller's side. */

/* ------------------------------------------------------------------ */
/* The local server                                                    */

typedef struct {
  guint       status;
  char       *content_type;
  GBytes     *body;
  GPtrArray  *headers;          /* "Name: value" */
} Route;

typedef struct {
  SoupServer *server;
  GHashTable *routes;           /* "METHOD /path" -> Route */
  GHashTable *hits;             /* "METHOD /path" -> count */
  GBytes     *last_body;        /* body of the last request */
  char       *last_query;
  char       *base_url;
} Fixture;

static void
route_free (Route *route)
{
  g_free (route->content_type);
  g_bytes_unref (route->body);
  g_ptr_array_unref (route->headers);
  g_free (route);
}

static Route *
serve_bytes (Fixture    *fixture,
             const char *method,
             const char *path,
             guint       status,
             const char *content_type,
             GBytes     *body)
{
  Route *route = g_new0 (Route, 1);

  route->status = status;
  route->content_type = g_strdup (content_type);
  route->body = g_bytes_ref (body);
  route->headers = g_ptr_array_new_with_free_func (g_free);
  g_hash_table_replace (fixture->routes, g_strconcat (method, " ", path, NULL), route);

  return route;
}

static Route *
serve (Fixture    *fixture,
       const char *method,
       const char *path,
       guint       status,
       const char *content_type,
       const char *body)
{
  g_autoptr(GBytes) bytes = g_bytes_new (body, strlen (body));

  return serve_bytes (fixture, method, path, status, content_type, bytes);
}

static void
handler (SoupServer        *server,
         SoupServerMessage *message,
         const char        *path,
         GHashTable        *query,
         gpointer           user_data)
{
  Fixture *fixture = user_data;
  g_autofree char *key = g_strconcat (soup_server_message_get_method (message), " ", path, NULL);
  Route *route = g_hash_table_lookup (fixture->routes, key);
  SoupMessageBody *request_body = soup_server_message_get_request_body (message);
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (message);

  g_hash_table_replace (fixture->hits, g_strdup (key),
                        GUINT_TO_POINTER (GPOINTER_TO_UINT (g_hash_table_lookup (fixture->hits, key)) + 1));
  g_clear_pointer (&fixture->last_body, g_bytes_unref);
  fixture->last_body = soup_message_body_flatten (request_body);
  g_free (fixture->last_query);
  fixture->last_query = g_strdup (g_uri_get_query (soup_server_message_get_uri (message)));

  if (route == NULL)
    {
      soup_server_message_set_status (message, 404, NULL);
      soup_server_message_set_response (message, "text/plain; charset=utf-8", SOUP_MEMORY_COPY,
                                        "404 page not found\n", 19);
      return;
    }

  soup_server_message_set_status (message, route->status, NULL);
  for (guint i = 0; i < route->headers->len; i++)
    {
      g_auto(GStrv) pair = g_strsplit (g_ptr_array_index (route->headers, i), ":", 2);

      soup_message_headers_replace (headers, g_strstrip (pair[0]), g_strstrip (pair[1]));
    }
  /* An empty body is sent without a content type, as Alertmanager does. */
  if (route->content_type != NULL && route->content_type[0] != '\0')
    soup_server_message_set_response (message, route->content_type, SOUP_MEMORY_COPY,
                                      g_bytes_get_data (route->body, NULL),
                                      g_bytes_get_size (route->body));
  else if (g_bytes_get_size (route->body) > 0)
    soup_message_body_append_bytes (soup_server_message_get_response_body (message), route->body);
}

static void
start_server (Fixture         *fixture,
              GTlsCertificate *certificate)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, 0);
  GSList *uris;

  fixture->routes = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) route_free);
  fixture->hits = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  fixture->server = soup_server_new ("tls-certificate", certificate, NULL);
  soup_server_add_handler (fixture->server, NULL, handler, fixture, NULL);
  soup_server_listen (fixture->server, address,
                      certificate != NULL ? SOUP_SERVER_LISTEN_HTTPS : 0, &error);
  g_assert_no_error (error);

  uris = soup_server_get_uris (fixture->server);
  fixture->base_url = g_strdup_printf ("%s://127.0.0.1:%d",
                                       certificate != NULL ? "https" : "http",
                                       g_uri_get_port (uris->data));
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  start_server (fixture, NULL);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  soup_server_disconnect (fixture->server);
  g_assert_finalize_object (fixture->server);
  g_hash_table_unref (fixture->routes);
  g_hash_table_unref (fixture->hits);
  g_clear_pointer (&fixture->last_body, g_bytes_unref);
  g_free (fixture->last_query);
  g_free (fixture->base_url);
}

static guint
hits (Fixture    *fixture,
      const char *method,
      const char *path)
{
  g_autofree char *key = g_strconcat (method, " ", path, NULL);

  return GPOINTER_TO_UINT (g_hash_table_lookup (fixture->hits, key));
}

/* ------------------------------------------------------------------ */
/* Case files                                                          */

static GBytes *
read_fixture (const char *name)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "fixtures", name, NULL);
  g_autoptr(GError) error = NULL;
  char *contents = NULL;
  gsize length = 0;

  g_file_get_contents (path, &contents, &length, &error);
  g_assert_no_error (error);

  return g_bytes_new_take (contents, length);
}

/* Serves response `index` of a bundle at `method path` with its status,
 * content type, captured headers and exact body. */
static Route *
serve_bundle (Fixture    *fixture,
              const char *method,
              const char *path,
              const char *name,
              guint       index)
{
  g_autoptr(GBytes) contents = read_fixture (name);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) body = NULL;
  JsonArray *responses;
  JsonObject *response;
  JsonArray *headers;
  const char *text;
  Route *route;

  json_parser_load_from_data (parser, g_bytes_get_data (contents, NULL), g_bytes_get_size (contents), &error);
  g_assert_no_error (error);

  responses = json_object_get_array_member (json_node_get_object (json_parser_get_root (parser)), "responses");
  g_assert_cmpuint (index, <, json_array_get_length (responses));
  response = json_array_get_object_element (responses, index);
  text = json_object_get_string_member (response, "body");
  body = g_bytes_new (text, strlen (text));

  route = serve_bytes (fixture, method, path,
                       json_object_get_int_member (response, "status"),
                       json_object_get_string_member_with_default (response, "content_type", ""),
                       body);

  /* The captured headers that say something to a client; the framing
   * ones are libsoup's business. */
  headers = json_object_has_member (response, "headers")
            ? json_object_get_array_member (response, "headers") : NULL;
  for (guint i = 0; headers != NULL && i < json_array_get_length (headers); i++)
    {
      const char *header = json_array_get_string_element (headers, i);

      if (g_ascii_strncasecmp (header, "content-length:", 15) == 0
          || g_ascii_strncasecmp (header, "content-type:", 13) == 0)
        continue;
      g_ptr_array_add (route->headers, g_strdup (header));
    }

  return route;
}

/* ------------------------------------------------------------------ */
/* Waiting for the clients                                             */

static void
result_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

static GAsyncResult *
wait_for (GAsyncResult **slot)
{
  while (*slot == NULL)
    g_main_context_iteration (NULL, TRUE);

  return *slot;
}

static VigilSource *
new_source (Fixture         *fixture,
            VigilSourceKind  kind,
            const char      *name)
{
  g_autoptr(GError) error = NULL;
  VigilSource *source = vigil_source_new (kind, name, fixture->base_url, &error);

  g_assert_no_error (error);

  return source;
}

static GPtrArray *
poll_source (VigilSource  *source,
             GError      **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  vigil_source_poll_async (source, g_get_real_time (), NULL, result_cb, &result);

  return vigil_source_poll_finish (source, wait_for (&result), error);
}

static VigilQueryResult *
run_query (VigilPrometheusClient  *client,
           const char             *promql,
           GError                **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  vigil_prometheus_client_query_async (client, promql, 0, NULL, result_cb, &result);

  return vigil_prometheus_client_query_finish (client, wait_for (&result), error);
}

static VigilQueryResult *
run_range (VigilPrometheusClient  *client,
           double                  start,
           double                  end,
           double                  step,
           GError                **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  vigil_prometheus_client_query_range_async (client, "up", start, end, step, NULL, result_cb, &result);

  return vigil_prometheus_client_query_range_finish (client, wait_for (&result), error);
}

static GPtrArray *
list_silences (VigilSilencesClient  *client,
               GError              **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  vigil_silences_client_list_async (client, NULL, result_cb, &result);

  return vigil_silences_client_list_finish (client, wait_for (&result), error);
}

static char *
create_silence (VigilSilencesClient  *client,
                VigilSilence         *silence,
                GError              **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  vigil_silences_client_create_async (client, silence, NULL, result_cb, &result);

  return vigil_silences_client_create_finish (client, wait_for (&result), error);
}

static gboolean
expire_silence (VigilSilencesClient  *client,
                const char           *id,
                GError              **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  vigil_silences_client_expire_async (client, id, NULL, result_cb, &result);

  return vigil_silences_client_expire_finish (client, wait_for (&result), error);
}

static VigilSilencesClient *
new_silences_client (Fixture *fixture)
{
  g_autoptr(SoupSession) session = vigil_http_session_new ();

  return vigil_silences_client_new (session, fixture->base_url);
}

static void
assert_sentence (const GError *error,
                 const char   *words)
{
  g_assert_nonnull (error);
  g_test_message ("sentence: %s", error->message);
  g_assert_nonnull (strstr (error->message, words));
  /* Sentences name the server and never dump a body at the engineer. */
  g_assert_nonnull (strstr (error->message, "127.0.0.1:"));
  g_assert_null (strstr (error->message, "<html"));
  g_assert_null (strstr (error->message, "<!DOCTYPE"));
}

static VigilSeries *
find_series (VigilQueryResult *result,
             const char       *label,
             const char       *value)
{
  GPtrArray *series = vigil_query_result_get_series (result);

  for (guint i = 0; i < series->len; i++)
    {
      if (g_strcmp0 (vigil_series_get_label (g_ptr_array_index (series, i), label), value) == 0)
        return g_ptr_array_index (series, i);
    }

  g_assert_not_reached ();
}

static VigilAlert *
find_alert (GPtrArray  *alerts,
            const char *name)
{
  for (guint i = 0; i < alerts->len; i++)
    {
      if (g_strcmp0 (vigil_alert_get_name (g_ptr_array_index (alerts, i)), name) == 0)
        return g_ptr_array_index (alerts, i);
    }

  return NULL;
}

static void
count_cb (VigilAlertTracker *tracker,
          VigilAlert        *alert,
          guint             *count)
{
  (*count)++;
}

/* alert-fired per fingerprint, to check "one notification per alert". */
static void
count_by_fingerprint_cb (VigilAlertTracker *tracker,
                         VigilAlert        *alert,
                         GHashTable        *counts)
{
  const char *fingerprint = vigil_alert_get_fingerprint (alert);

  g_hash_table_replace (counts, g_strdup (fingerprint),
                        GUINT_TO_POINTER (GPOINTER_TO_UINT (g_hash_table_lookup (counts, fingerprint)) + 1));
}

static double
sample_value (VigilQueryResult *result,
              const char       *label_value)
{
  VigilSeries *series = find_series (result, "case", label_value);

  g_assert_cmpuint (vigil_series_get_n_samples (series), ==, 1);

  return vigil_series_get_samples (series)[0].value;
}

/* ------------------------------------------------------------------ */
/* 01: NaN and infinities                                              */

static void
test_01_nan_inf (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autoptr(GBytes) body = read_fixture ("01-nan-inf-values.json");
  g_autoptr(VigilSource) source = new_source (fixture, VIGIL_SOURCE_KIND_PROMETHEUS, "prom");
  g_autoptr(VigilQueryResult) result = NULL;
  g_autoptr(GError) error = NULL;
  double value;

  serve_bytes (fixture, "GET", "/api/v1/query", 200, "application/json", body);
  result = run_query (vigil_source_get_prometheus_client (source), "special floats", &error);
  g_assert_no_error (error);

  /* One odd value never costs the answer: all eight series are there. */
  g_assert_cmpuint (vigil_query_result_get_series (result)->len, ==, 8);

  value = sample_value (result, "plus_inf");
  g_assert_true (isinf (value) && value > 0);
  value = sample_value (result, "minus_inf");
  g_assert_true (isinf (value) && value < 0);
  g_assert_true (isnan (sample_value (result, "nan")));
  g_assert_cmpfloat (sample_value (result, "tiny"), ==, 1e-9);
  g_assert_cmpfloat (sample_value (result, "huge"), ==, 1.5e300);
  value = sample_value (result, "neg_zero");
  g_assert_true (value == 0.0 && signbit (value));
  g_assert_cmpfloat (sample_value (result, "many_digits"), ==, 123456789.12345679);
  g_assert_cmpfloat (sample_value (result, "point_three"), ==, 0.30000000000000004);
  g_assert_cmpfloat (vigil_series_get_samples (find_series (result, "case", "nan"))[0].time,
                     ==, 1796312434.576);
}

/* ------------------------------------------------------------------ */
/* 03: scalar and string results                                       */

static void
test_03_scalar_and_string (Fixture       *fixture,
                           gconstpointer  data)
{
  g_autoptr(VigilSource) source = new_source (fixture, VIGIL_SOURCE_KIND_PROMETHEUS, "prom");
  VigilPrometheusClient *client = vigil_source_get_prometheus_client (source);
  g_autoptr(GError) error = NULL;

  {
    g_autoptr(VigilQueryResult) result = NULL;

    serve_bundle (fixture, "GET", "/api/v1/query", "03-scalar-and-string-results.json", 0);
    result = run_query (client, "scalar(sum(up))", &error);
    g_assert_no_error (error);
    g_assert_cmpint (vigil_query_result_get_result_type (result), ==, VIGIL_RESULT_SCALAR);
    g_assert_cmpfloat (vigil_query_result_get_scalar (result), ==, 4.0);
    g_assert_cmpfloat (vigil_query_result_get_time (result), ==, 1796312434.463);
    /* One value, never "2 series". */
    g_assert_cmpuint (vigil_query_result_get_series (result)->len, ==, 0);
  }

  {
    g_autoptr(VigilQueryResult) result = NULL;

    /* time() at a sub-millisecond time comes back rounded to the
     * millisecond: read it, do not expect an echo. */
    serve_bundle (fixture, "GET", "/api/v1/query", "03-scalar-and-string-results.json", 1);
    result = run_query (client, "time()", &error);
    g_assert_no_error (error);
    g_assert_cmpint (vigil_query_result_get_result_type (result), ==, VIGIL_RESULT_SCALAR);
    g_assert_cmpfloat (vigil_query_result_get_scalar (result), ==, 1796312400.123);
    g_assert_cmpfloat_with_epsilon (vigil_query_result_get_time (result), 1796312400.123, 1e-6);
  }

  {
    g_autoptr(VigilQueryResult) result = NULL;

    serve_bundle (fixture, "GET", "/api/v1/query", "03-scalar-and-string-results.json", 2);
    result = run_query (client, "\"hello world\"", &error);
    g_assert_no_error (error);
    g_assert_cmpint (vigil_query_result_get_result_type (result), ==, VIGIL_RESULT_STRING);
    g_assert_cmpstr (vigil_query_result_get_string (result), ==, "hello world");
    g_assert_cmpuint (vigil_query_result_get_series (result)->len, ==, 0);
  }

  {
    g_autoptr(VigilQueryResult) result = NULL;

    /* No data is an answer, not an error. */
    serve_bundle (fixture, "GET", "/api/v1/query", "03-scalar-and-string-results.json", 3);
    result = run_query (client, "up{job=\"does-not-exist\"}", &error);
    g_assert_no_error (error);
    g_assert_cmpint (vigil_query_result_get_result_type (result), ==, VIGIL_RESULT_VECTOR);
    g_assert_cmpuint (vigil_query_result_get_series (result)->len, ==, 0);
  }
}

/* ------------------------------------------------------------------ */
/* 05, 06, 07: the server's errors in its own words                    */

typedef struct {
  const char *fixture;
  guint       index;
  gboolean    range;     /* served at /api/v1/query_range */
  int         code;
  const char *words;
} QueryErrorCase;

static const QueryErrorCase query_error_cases[] = {
  { "05-bad-data-400.json", 0, FALSE, VIGIL_SOURCE_ERROR_QUERY, "1:40: parse error: unclosed left parenthesis" },
  { "05-bad-data-400.json", 1, FALSE, VIGIL_SOURCE_ERROR_QUERY, "no expression found in input" },
  { "05-bad-data-400.json", 2, FALSE, VIGIL_SOURCE_ERROR_QUERY, "cannot parse \"yesterday\"" },
  { "05-bad-data-400.json", 3, TRUE, VIGIL_SOURCE_ERROR_QUERY, "end timestamp must not be before start time" },
  { "05-bad-data-400.json", 4, TRUE, VIGIL_SOURCE_ERROR_QUERY, "zero or negative query resolution" },
  { "06-execution-and-timeout-errors.json", 0, FALSE, VIGIL_SOURCE_ERROR_QUERY, "same labelset" },
  { "06-execution-and-timeout-errors.json", 1, TRUE, VIGIL_SOURCE_ERROR_QUERY, "too many samples" },
  /* A JSON 503 with errorType timeout is transient: "unavailable", not
   * "the query is wrong". */
  { "06-execution-and-timeout-errors.json", 2, TRUE, VIGIL_SOURCE_ERROR_UNAVAILABLE, "query timed out in query queue" },
};

static void
test_05_06_query_errors (Fixture       *fixture,
                         gconstpointer  data)
{
  g_autoptr(VigilSource) source = new_source (fixture, VIGIL_SOURCE_KIND_PROMETHEUS, "prom");
  VigilPrometheusClient *client = vigil_source_get_prometheus_client (source);

  for (guint i = 0; i < G_N_ELEMENTS (query_error_cases); i++)
    {
      const QueryErrorCase *c = &query_error_cases[i];
      g_autoptr(VigilQueryResult) result = NULL;
      g_autoptr(GError) error = NULL;

      g_test_message ("%s response %u", c->fixture, c->index);
      g_hash_table_remove_all (fixture->routes);
      serve_bundle (fixture, "GET", c->range ? "/api/v1/query_range" : "/api/v1/query", c->fixture, c->index);

      if (c->range)
        result = run_range (client, 1796312000, 1796312090, 5, &error);
      else
        result = run_query (client, "up", &error);

      g_assert_null (result);
      g_assert_error (error, VIGIL_SOURCE_ERROR, c->code);
      assert_sentence (error, c->words);
    }
}

static void
test_07_step_too_small (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autoptr(GBytes) body = read_fixture ("07-step-too-small-11000-points.json");
  g_autoptr(VigilSource) source = new_source (fixture, VIGIL_SOURCE_KIND_PROMETHEUS, "prom");
  VigilPrometheusClient *client = vigil_source_get_prometheus_client (source);
  g_autoptr(VigilQueryResult) result = NULL;
  g_autoptr(GError) error = NULL;
  const char *step;

  serve_bytes (fixture, "GET", "/api/v1/query_range", 400, "application/json", body);

  /* Two days at 1 s: Vigil raises the step before sending, so a server
   * that counts points the same way never needs to say this... */
  result = run_range (client, 1796140800, 1796140800 + 172800, 1, &error);
  step = strstr (fixture->last_query, "step=");
  g_assert_nonnull (step);
  g_assert_cmpfloat (172800 / g_ascii_strtod (step + 5, NULL), <=, 11000);

  /* ...and when one says it anyway (its own limit may be lower), the
   * sentence carries its words. */
  g_assert_null (result);
  g_assert_error (error, VIGIL_SOURCE_ERROR, VIGIL_SOURCE_ERROR_QUERY);
  assert_sentence (error, "exceeded maximum resolution of 11,000 points");
}

/* ------------------------------------------------------------------ */
/* 10: Prometheus starting up                                          */

static void
test_10_startup (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autoptr(VigilSource) source = new_source (fixture, VIGIL_SOURCE_KIND_PROMETHEUS, "prom");
  VigilPrometheusClient *client = vigil_source_get_prometheus_client (source);
  g_autoptr(VigilQueryResult) during = NULL;
  g_autoptr(VigilQueryResult) after = NULL;
  g_autoptr(GError) error = NULL;

  serve_bundle (fixture, "GET", "/api/v1/query", "10-startup-503-plain-text.json", 0);
  during = run_query (client, "up", &error);
  g_assert_null (during);
  /* Not fed to the JSON parser: "starting", not "broken JSON". */
  g_assert_error (error, VIGIL_SOURCE_ERROR, VIGIL_SOURCE_ERROR_UNAVAILABLE);
  assert_sentence (error, "starting");
  g_clear_error (&error);

  /* 15 ms later: an empty vector, because nothing was scraped yet. */
  serve_bundle (fixture, "GET", "/api/v1/query", "10-startup-503-plain-text.json", 1);
  after = run_query (client, "up", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (vigil_query_result_get_series (after)->len, ==, 0);
}

static void
test_10_startup_keeps_alerts (Fixture       *fixture,
                              gconstpointer  data)
{
  g_autoptr(GBytes) alerts_body = read_fixture ("20-pending-alerts.json");
  g_autoptr(VigilSource) source = new_source (fixture, VIGIL_SOURCE_KIND_PROMETHEUS, "prom");
  g_autoptr(VigilClock) clock = vigil_clock_new_system ();
  g_autoptr(VigilAlertTracker) tracker = vigil_alert_tracker_new (clock);
  g_autoptr(GPtrArray) good = NULL;
  g_autoptr(GPtrArray) failed = NULL;
  g_autoptr(GError) error = NULL;
  guint resolved = 0;

  g_signal_connect (tracker, "alert-resolved", G_CALLBACK (count_cb), &resolved);

  serve_bytes (fixture, "GET", "/api/v1/alerts", 200, "application/json", alerts_body);
  good = poll_source (source, &error);
  g_assert_no_error (error);
  vigil_alert_tracker_update_source (tracker, "prom", FALSE, good);
  g_assert_cmpuint (g_list_model_get_n_items (vigil_alert_tracker_get_alerts (tracker)), ==, 3);

  /* The restart: a 503 is a failed poll, which the tracker never sees. */
  serve_bundle (fixture, "GET", "/api/v1/alerts", "10-startup-503-plain-text.json", 0);
  failed = poll_source (source, &error);
  g_assert_null (failed);
  g_assert_error (error, VIGIL_SOURCE_ERROR, VIGIL_SOURCE_ERROR_UNAVAILABLE);
  g_assert_cmpint (vigil_source_get_health (source), ==, VIGIL_SOURCE_HEALTH_ERROR);
  g_assert_cmpuint (vigil_source_get_alerts (source)->len, ==, 3);
  g_assert_cmpuint (g_list_model_get_n_items (vigil_alert_tracker_get_alerts (tracker)), ==, 3);
  g_assert_cmpuint (resolved, ==, 0);
}

/* ------------------------------------------------------------------ */
/* 11: answers that are not the API's JSON                             */

typedef struct {
  guint           index;
  VigilSourceKind kind;
  int             code;
  const char     *words;
} NotJsonCase;

static const NotJsonCase not_json_cases[] = {
  /* A redirect from the web root (no Location captured): not followed. */
  { 0, VIGIL_SOURCE_KIND_PROMETHEUS, VIGIL_SOURCE_ERROR_HTTP, "redirects" },
  { 1, VIGIL_SOURCE_KIND_PROMETHEUS, VIGIL_SOURCE_ERROR_NOT_FOUND, "path prefix" },
  { 2, VIGIL_SOURCE_KIND_ALERTMANAGER, VIGIL_SOURCE_ERROR_NOT_FOUND, "right kind of server" },
  /* HTTP 200 proves nothing. */
  { 3, VIGIL_SOURCE_KIND_ALERTMANAGER, VIGIL_SOURCE_ERROR_NOT_JSON, "HTML page" },
  { 4, VIGIL_SOURCE_KIND_PROMETHEUS, VIGIL_SOURCE_ERROR_HTTP, "HTTPS" },
  { 5, VIGIL_SOURCE_KIND_PROMETHEUS, VIGIL_SOURCE_ERROR_NOT_JSON, "login proxy" },
  { 5, VIGIL_SOURCE_KIND_ALERTMANAGER, VIGIL_SOURCE_ERROR_NOT_JSON, "login proxy" },
};

static void
test_11_not_json (Fixture       *fixture,
                  gconstpointer  data)
{
  for (guint i = 0; i < G_N_ELEMENTS (not_json_cases); i++)
    {
      const NotJsonCase *c = &not_json_cases[i];
      g_autoptr(VigilSource) source = new_source (fixture, c->kind, "source");
      g_autoptr(GPtrArray) alerts = NULL;
      g_autoptr(GError) error = NULL;
      const char *path = c->kind == VIGIL_SOURCE_KIND_ALERTMANAGER ? "/api/v2/alerts" : "/api/v1/alerts";

      g_test_message ("11-non-json-responses.json response %u as %s", c->index,
                      vigil_source_kind_to_string (c->kind));
      g_hash_table_remove_all (fixture->routes);
      serve_bundle (fixture, "GET", path, "11-non-json-responses.json", c->index);

      /* Through the source, as the poller sees it: an error in words and
       * the source marked as failing, never an empty alert list. */
      alerts = poll_source (source, &error);
      g_assert_null (alerts);
      g_assert_error (error, VIGIL_SOURCE_ERROR, c->code);
      assert_sentence (error, c->words);
      g_assert_cmpint (vigil_source_get_health (source), ==, VIGIL_SOURCE_HEALTH_ERROR);
      g_assert_cmpstr (vigil_source_get_error_message (source), ==, error->message);
    }
}

/* ------------------------------------------------------------------ */
/* 14: Unicode, escapes, empty values, many labels                     */

static void
test_14_unicode (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autoptr(VigilSource) alertmanager = new_source (fixture, VIGIL_SOURCE_KIND_ALERTMANAGER, "am");
  g_autoptr(VigilSource) prometheus = new_source (fixture, VIGIL_SOURCE_KIND_PROMETHEUS, "prom");
  g_autoptr(GError) error = NULL;

  {
    g_autoptr(GPtrArray) alerts = NULL;
    VigilAlert *alert;

    serve_bundle (fixture, "GET", "/api/v2/alerts", "14-unicode-empty-and-many-labels.json", 1);
    alerts = poll_source (alertmanager, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (alerts->len, ==, 1);
    alert = g_ptr_array_index (alerts, 0);

    g_assert_cmpstr (vigil_alert_get_fingerprint (alert), ==, "ad4bc6cf433e42c5");
    g_assert_cmpstr (vigil_alert_get_label (alert, "team"), ==, "Zürich Ops ✓");
    g_assert_cmpstr (vigil_alert_get_label (alert, "region"), ==, "東京-1");
    g_assert_cmpstr (vigil_alert_get_label (alert, "rtl"), ==, "שלום");
    g_assert_cmpstr (vigil_alert_get_label (alert, "emoji"), ==, "🔥 hot");
    g_assert_cmpstr (vigil_alert_get_label (alert, "quote"), ==, "say \"hi\" \\ back");
    g_assert_null (vigil_alert_get_label (alert, "empty_value"));
    g_assert_cmpuint (g_hash_table_size (vigil_alert_get_labels (alert)), ==, 27);
    /* Go's \u003c escapes come back as the characters; escaping them for
     * markup is the notifier's job, on the way out. */
    g_assert_cmpstr (vigil_alert_get_summary (alert), ==,
                     "Ünïcödé summary — with <html> & \"quotes\"");
    g_assert_cmpstr (vigil_alert_get_annotation (alert, "description"), ==,
                     "Line one of a multi-line description.\nLine two with a tab:\tend.\n");
    g_assert_cmpint (vigil_alert_get_state (alert), ==, VIGIL_ALERT_STATE_SUPPRESSED);
    g_assert_cmpstr (vigil_alert_get_silenced_by (alert)[0], ==, "f77c57fb-920c-4d00-b63f-012c4924d406");
    /* updatedAt came with +05:30; the model keeps UTC. */
    g_assert_cmpint (g_date_time_get_hour (vigil_alert_get_updated_at (alert)), ==, 15);
    g_assert_cmpint (g_date_time_get_minute (vigil_alert_get_updated_at (alert)), ==, 41);

    /* `vigil --status --format=json` keeps every value intact and lists
     * the 27 labels in byte order, so two reports compare line by line. */
    {
      g_autoptr(GListStore) sources = g_list_store_new (VIGIL_TYPE_SOURCE);
      g_autoptr(GListStore) listed = g_list_store_new (VIGIL_TYPE_ALERT);
      g_autoptr(JsonParser) parser = json_parser_new ();
      g_autofree char *json = NULL;
      g_autoptr(GList) names = NULL;
      JsonObject *labels;
      const char *previous = "";

      g_list_store_append (sources, alertmanager);
      g_list_store_append (listed, alert);
      json = vigil_status_report_format (VIGIL_STATUS_FORMAT_JSON, G_LIST_MODEL (sources), G_LIST_MODEL (listed));
      json_parser_load_from_data (parser, json, -1, &error);
      g_assert_no_error (error);
      labels = json_object_get_object_member (json_array_get_object_element (json_object_get_array_member (json_node_get_object (json_parser_get_root (parser)),
                                                                                                             "alerts"),
                                                                             0),
                                              "labels");
      g_assert_cmpstr (json_object_get_string_member (labels, "quote"), ==, "say \"hi\" \\ back");
      g_assert_cmpstr (json_object_get_string_member (labels, "rtl"), ==, "שלום");
      names = json_object_get_members (labels);
      g_assert_cmpuint (g_list_length (names), ==, 27);
      for (GList *l = names; l != NULL; l = l->next)
        {
          g_assert_cmpint (strcmp (previous, l->data), <, 0);
          previous = l->data;
        }
    }
  }

  {
    g_autoptr(GPtrArray) alerts = NULL;
    VigilAlert *alert;

    /* The alert POSTed with `empty: ""` was stored without it. */
    serve_bundle (fixture, "GET", "/api/v2/alerts", "14-unicode-empty-and-many-labels.json", 3);
    alerts = poll_source (alertmanager, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (alerts->len, ==, 1);
    alert = g_ptr_array_index (alerts, 0);
    g_assert_cmpstr (vigil_alert_get_name (alert), ==, "DirectPostEmptyLabel");
    g_assert_null (vigil_alert_get_label (alert, "empty"));
    g_assert_cmpuint (g_hash_table_size (vigil_alert_get_labels (alert)), ==, 1);
    g_assert_cmpint (g_date_time_get_hour (vigil_alert_get_starts_at (alert)), ==, 15);
  }

  {
    g_autoptr(GPtrArray) alerts = NULL;

    /* Response 2 is Alertmanager's answer to the POST: 200 and nothing.
     * Vigil does not post alerts, but the same empty 200 where a list is
     * expected must be an error, never "no alerts". */
    serve_bundle (fixture, "GET", "/api/v2/alerts", "14-unicode-empty-and-many-labels.json", 2);
    alerts = poll_source (alertmanager, &error);
    g_assert_null (alerts);
    g_assert_error (error, VIGIL_SOURCE_ERROR, VIGIL_SOURCE_ERROR_NOT_JSON);
    assert_sentence (error, "empty");
    g_clear_error (&error);
    g_assert_cmpuint (vigil_source_get_alerts (alertmanager)->len, ==, 1);
  }

  {
    g_autoptr(VigilQueryResult) result = NULL;
    VigilSeries *series;
    g_autofree char *name = NULL;

    serve_bundle (fixture, "GET", "/api/v1/query", "14-unicode-empty-and-many-labels.json", 4);
    result = run_query (vigil_source_get_prometheus_client (prometheus), "label_replace(...)", &error);
    g_assert_no_error (error);
    g_assert_cmpuint (vigil_query_result_get_series (result)->len, ==, 1);
    series = g_ptr_array_index (vigil_query_result_get_series (result), 0);
    g_assert_cmpstr (vigil_series_get_label (series, "region"), ==, "東京-1");
    g_assert_cmpstr (vigil_series_get_label (series, "team"), ==, "Zürich Ops ✓");
    g_assert_cmpstr (vigil_series_get_label (series, "emoji"), ==, "🔥");
    name = vigil_series_dup_display_name (series);
    g_assert_true (g_utf8_validate (name, -1, NULL));
    g_assert_nonnull (strstr (name, "東京-1"));
  }

  {
    g_autoptr(GBytes) expected = NULL;
    g_autoptr(GBytes) received = NULL;
    g_autoptr(GAsyncResult) result = NULL;
    g_autoptr(SoupSession) session = vigil_http_session_new ();
    g_autofree char *url = g_strconcat (fixture->base_url, "/api/v1/rules", NULL);
    Route *route;

    /* Vigil reads no rules; what it shares with every reader is the HTTP
     * layer, which must hand over the UTF-8 bytes untouched. */
    route = serve_bundle (fixture, "GET", "/api/v1/rules", "14-unicode-empty-and-many-labels.json", 0);
    expected = g_bytes_ref (route->body);
    vigil_http_get_json_async (session, url, NULL, result_cb, &result);
    received = vigil_http_get_json_finish (wait_for (&result), &error);
    g_assert_no_error (error);
    g_assert_true (g_bytes_equal (expected, received));
  }
}

/* ------------------------------------------------------------------ */
/* 15: two replicas of one HA cluster                                  */

static void
test_15_ha_replicas (void)
{
  Fixture replica1 = { 0 }, replica2 = { 0 };
  g_autoptr(VigilClock) clock = vigil_clock_new_system ();
  g_autoptr(VigilAlertTracker) tracker = vigil_alert_tracker_new (clock);
  g_autoptr(GHashTable) fired = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(VigilSource) source1 = NULL;
  g_autoptr(VigilSource) source2 = NULL;
  g_autoptr(GError) error = NULL;
  GListModel *shown = vigil_alert_tracker_get_alerts (tracker);
  guint resolved = 0;

  start_server (&replica1, NULL);
  start_server (&replica2, NULL);
  source1 = new_source (&replica1, VIGIL_SOURCE_KIND_ALERTMANAGER, "am-1");
  source2 = new_source (&replica2, VIGIL_SOURCE_KIND_ALERTMANAGER, "am-2");
  g_signal_connect (tracker, "alert-fired", G_CALLBACK (count_by_fingerprint_cb), fired);
  g_signal_connect (tracker, "alert-resolved", G_CALLBACK (count_cb), &resolved);

  serve_bundle (&replica1, "GET", "/api/v2/alerts", "15-ha-duplicate-fingerprints.json", 0);
  serve_bundle (&replica2, "GET", "/api/v2/alerts", "15-ha-duplicate-fingerprints.json", 1);

  for (guint round = 0; round < 2; round++)
    {
      g_autoptr(GPtrArray) alerts1 = poll_source (source1, &error);
      g_autoptr(GPtrArray) alerts2 = NULL;

      g_assert_no_error (error);
      alerts2 = poll_source (source2, &error);
      g_assert_no_error (error);
      g_assert_cmpuint (alerts1->len, ==, 2);
      g_assert_cmpuint (alerts2->len, ==, 2);
      vigil_alert_tracker_update_source (tracker, "am-1", TRUE, alerts1);
      vigil_alert_tracker_update_source (tracker, "am-2", TRUE, alerts2);
    }

  /* Both replicas list both fingerprints: shown once, notified once, on
   * every poll. */
  g_assert_cmpuint (g_list_model_get_n_items (shown), ==, 2);
  g_assert_cmpuint (g_hash_table_size (fired), ==, 2);
  g_assert_cmpuint (GPOINTER_TO_UINT (g_hash_table_lookup (fired, "982df89a804bd383")), ==, 1);
  g_assert_cmpuint (GPOINTER_TO_UINT (g_hash_table_lookup (fired, "c9a73c0efebff583")), ==, 1);

  /* Replica 2 lacks what was posted only to replica 1 (response 4): while
   * replica 1 lists the alerts, they stay. */
  {
    g_autoptr(GPtrArray) empty = NULL;

    serve_bundle (&replica2, "GET", "/api/v2/alerts", "15-ha-duplicate-fingerprints.json", 4);
    empty = poll_source (source2, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (empty->len, ==, 0);
    vigil_alert_tracker_update_source (tracker, "am-2", TRUE, empty);
    g_assert_cmpuint (g_list_model_get_n_items (shown), ==, 2);
    g_assert_cmpuint (resolved, ==, 0);
  }

  /* A replica that is down resolves nothing. */
  {
    g_autoptr(GPtrArray) failed = NULL;

    soup_server_disconnect (replica1.server);
    failed = poll_source (source1, &error);
    g_assert_null (failed);
    g_assert_error (error, VIGIL_SOURCE_ERROR, VIGIL_SOURCE_ERROR_CONNECTION);
    g_clear_error (&error);
    g_assert_cmpuint (g_list_model_get_n_items (shown), ==, 2);
    g_assert_cmpuint (resolved, ==, 0);
  }

  /* The silences: same ids in another order on each replica; their union
   * by id is six silences, not twelve. */
  {
    g_autoptr(VigilSilencesClient) client2 = new_silences_client (&replica2);
    g_autoptr(GHashTable) ids = g_hash_table_new (g_str_hash, g_str_equal);
    g_autoptr(GPtrArray) list1 = NULL;
    g_autoptr(GPtrArray) list2 = NULL;

    serve_bundle (&replica2, "GET", "/api/v2/silences", "15-ha-duplicate-fingerprints.json", 3);
    list2 = list_silences (client2, &error);
    g_assert_no_error (error);

    /* Replica 1 is down by now: its captured list is read through a new
     * server on its bytes. */
    fixture_tear_down (&replica1, NULL);
    memset (&replica1, 0, sizeof replica1);
    start_server (&replica1, NULL);
    serve_bundle (&replica1, "GET", "/api/v2/silences", "15-ha-duplicate-fingerprints.json", 2);
    {
      g_autoptr(VigilSilencesClient) client1 = new_silences_client (&replica1);

      list1 = list_silences (client1, &error);
      g_assert_no_error (error);
    }

    g_assert_cmpuint (list1->len, ==, 6);
    g_assert_cmpuint (list2->len, ==, 6);
    for (guint i = 0; i < 6; i++)
      {
        g_hash_table_add (ids, (gpointer) vigil_silence_get_id (g_ptr_array_index (list1, i)));
        g_hash_table_add (ids, (gpointer) vigil_silence_get_id (g_ptr_array_index (list2, i)));
      }
    g_assert_cmpuint (g_hash_table_size (ids), ==, 6);
    /* The trimmed captures hold only id, state and updatedAt. */
    g_assert_true (vigil_silence_is_active (g_ptr_array_index (list1, 0)));
    g_assert_cmpint (vigil_silence_get_state (g_ptr_array_index (list1, 5)), ==, VIGIL_SILENCE_STATE_EXPIRED);
  }

  fixture_tear_down (&replica1, NULL);
  fixture_tear_down (&replica2, NULL);
}

/* ------------------------------------------------------------------ */
/* 17: silences in every state                                         */

static VigilSilence *
find_silence (GPtrArray  *silences,
              const char *id)
{
  for (guint i = 0; i < silences->len; i++)
    {
      if (g_strcmp0 (vigil_silence_get_id (g_ptr_array_index (silences, i)), id) == 0)
        return g_ptr_array_index (silences, i);
    }

  g_assert_not_reached ();
}

static void
test_17_silence_states (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autoptr(GBytes) body = read_fixture ("17-silence-states.json");
  g_autoptr(VigilSilencesClient) client = new_silences_client (fixture);
  g_autoptr(GPtrArray) silences = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *starts = NULL;
  VigilSilence *silence;
  const VigilMatcher *matcher;
  guint active = 0;

  serve_bytes (fixture, "GET", "/api/v2/silences", 200, "application/json", body);
  silences = list_silences (client, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (silences->len, ==, 6);

  for (guint i = 0; i < silences->len; i++)
    {
      if (vigil_silence_is_active (g_ptr_array_index (silences, i)))
        active++;
    }
  g_assert_cmpuint (active, ==, 4);

  /* The server's receive time, read back, not the time that was sent. */
  silence = find_silence (silences, "61b45eff-ddb2-4127-a7d6-a5d580dceb24");
  starts = g_date_time_format (vigil_silence_get_starts_at (silence), "%FT%T.%fZ");
  g_assert_cmpstr (starts, ==, "2026-12-03T15:41:36.254000Z");
  g_assert_cmpstr (vigil_silence_get_created_by (silence), ==, "desktop-client");
  g_assert_cmpstr (vigil_silence_get_comment (silence), ==, "Acknowledged from desktop client");
  matcher = g_ptr_array_index (vigil_silence_get_matchers (silence), 0);
  g_assert_cmpstr (matcher->name, ==, "alertname");
  g_assert_cmpstr (matcher->value, ==, "NoAnnotations");
  g_assert_false (matcher->is_regex);
  g_assert_true (matcher->is_equal);

  /* The unicode matcher and the `empty_value=""` one, which matches
   * alerts without that label. */
  silence = find_silence (silences, "f77c57fb-920c-4d00-b63f-012c4924d406");
  g_assert_cmpuint (vigil_silence_get_matchers (silence)->len, ==, 2);
  matcher = g_ptr_array_index (vigil_silence_get_matchers (silence), 0);
  g_assert_cmpstr (matcher->value, ==, "Zürich Ops ✓");
  g_assert_false (vigil_matcher_matches_empty (matcher));
  matcher = g_ptr_array_index (vigil_silence_get_matchers (silence), 1);
  g_assert_cmpstr (matcher->name, ==, "empty_value");
  g_assert_cmpstr (matcher->value, ==, "");
  g_assert_true (vigil_matcher_matches_empty (matcher));

  /* Sent as "2026-12-03 15:00:00"; the server kept its own now. */
  silence = find_silence (silences, "25076e3c-7dc7-4028-aba9-9b8319defb7d");
  g_assert_true (vigil_silence_is_active (silence));
  g_assert_cmpint (g_date_time_get_minute (vigil_silence_get_starts_at (silence)), ==, 41);

  /* Pending: scheduled, not muting; a regex and a `!=` matcher. */
  silence = find_silence (silences, "6961a14a-ca9a-4ab2-b813-ef35c87367c4");
  g_assert_cmpint (vigil_silence_get_state (silence), ==, VIGIL_SILENCE_STATE_PENDING);
  g_assert_false (vigil_silence_is_active (silence));
  g_assert_cmpint (g_date_time_compare (vigil_silence_get_starts_at (silence),
                                        vigil_silence_get_updated_at (silence)), >, 0);
  matcher = g_ptr_array_index (vigil_silence_get_matchers (silence), 0);
  g_assert_true (matcher->is_regex);
  g_assert_true (matcher->is_equal);
  g_assert_cmpstr (matcher->value, ==, "Infinite.*|NaN.*");
  g_assert_false (vigil_matcher_matches_empty (matcher));
  matcher = g_ptr_array_index (vigil_silence_get_matchers (silence), 1);
  g_assert_false (matcher->is_regex);
  g_assert_false (matcher->is_equal);
  g_assert_true (vigil_matcher_matches_empty (matcher));

  /* Expired by DELETE: history, ended when it was updated. */
  silence = find_silence (silences, "b9561998-0885-4a94-83bd-f9e766c7f40f");
  g_assert_cmpint (vigil_silence_get_state (silence), ==, VIGIL_SILENCE_STATE_EXPIRED);
  g_assert_false (vigil_silence_is_active (silence));
  g_assert_true (g_date_time_equal (vigil_silence_get_ends_at (silence),
                                    vigil_silence_get_updated_at (silence)));

  /* Alerts where silences were expected: an error, not "no silences". */
  {
    g_autoptr(GBytes) alerts = read_fixture ("18-suppressed-inhibited-silenced.json");
    g_autoptr(GPtrArray) wrong = NULL;

    serve_bytes (fixture, "GET", "/api/v2/silences", 200, "application/json", alerts);
    wrong = list_silences (client, &error);
    g_assert_null (wrong);
    g_assert_error (error, VIGIL_SOURCE_ERROR, VIGIL_SOURCE_ERROR_INVALID);
    assert_sentence (error, "silence");
  }
}

/* ------------------------------------------------------------------ */
/* 18: suppressed, inhibited, silenced                                 */

static void
test_18_suppressed (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(GBytes) body = read_fixture ("18-suppressed-inhibited-silenced.json");
  g_autoptr(VigilSource) source = new_source (fixture, VIGIL_SOURCE_KIND_ALERTMANAGER, "am");
  g_autoptr(VigilClock) clock = vigil_clock_new_system ();
  g_autoptr(VigilAlertTracker) tracker = vigil_alert_tracker_new (clock);
  g_autoptr(GHashTable) fired = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GPtrArray) alerts = NULL;
  g_autoptr(GError) error = NULL;
  VigilAlert *alert;

  g_signal_connect (tracker, "alert-fired", G_CALLBACK (count_by_fingerprint_cb), fired);

  serve_bytes (fixture, "GET", "/api/v2/alerts", 200, "application/json", body);
  alerts = poll_source (source, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (alerts->len, ==, 4);

  alert = find_alert (alerts, "AlwaysFiringWarning");
  g_assert_cmpint (vigil_alert_get_state (alert), ==, VIGIL_ALERT_STATE_SUPPRESSED);
  g_assert_cmpstr (vigil_alert_get_inhibited_by (alert)[0], ==, "c9a73c0efebff583");
  g_assert_null (vigil_alert_get_silenced_by (alert)[0]);
  alert = find_alert (alerts, "TargetDown");
  g_assert_cmpint (vigil_alert_get_state (alert), ==, VIGIL_ALERT_STATE_SUPPRESSED);
  g_assert_cmpstr (vigil_alert_get_silenced_by (alert)[0], ==, "101c569e-1c08-4082-807f-658bb3991b51");
  alert = find_alert (alerts, "NoAnnotations");
  g_assert_cmpint (vigil_alert_get_state (alert), ==, VIGIL_ALERT_STATE_SUPPRESSED);
  /* No annotations: the name stands in for the summary. */
  g_assert_cmpstr (vigil_alert_get_summary (alert), ==, "NoAnnotations");
  alert = find_alert (alerts, "AlwaysFiringCritical");
  g_assert_cmpint (vigil_alert_get_state (alert), ==, VIGIL_ALERT_STATE_ACTIVE);

  /* Listed, all four; notified, only the active one. */
  vigil_alert_tracker_update_source (tracker, "am", TRUE, alerts);
  g_assert_cmpuint (g_list_model_get_n_items (vigil_alert_tracker_get_alerts (tracker)), ==, 4);
  g_assert_cmpuint (g_hash_table_size (fired), ==, 1);
  g_assert_true (g_hash_table_contains (fired, "982df89a804bd383"));
  g_assert_cmpuint (vigil_alert_tracker_count_active (tracker, VIGIL_SEVERITY_NONE), ==, 1);
}

/* ------------------------------------------------------------------ */
/* 20: Prometheus' pending alerts                                      */

static void
test_20_pending_never_notifies (void)
{
  Fixture prometheus = { 0 }, alertmanager = { 0 };
  g_autoptr(GBytes) pending_body = read_fixture ("20-pending-alerts.json");
  g_autoptr(GBytes) muted_body = read_fixture ("18-suppressed-inhibited-silenced.json");
  g_autoptr(VigilClock) clock = vigil_clock_new_system ();
  g_autoptr(VigilAlertTracker) tracker = vigil_alert_tracker_new (clock);
  g_autoptr(VigilAlertTracker) alone = vigil_alert_tracker_new (clock);
  g_autoptr(GHashTable) fired = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GHashTable) fired_alone = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(VigilSource) prom_source = NULL;
  g_autoptr(VigilSource) am_source = NULL;
  g_autoptr(GPtrArray) prom_alerts = NULL;
  g_autoptr(GPtrArray) am_alerts = NULL;
  g_autoptr(GError) error = NULL;
  VigilAlert *pending;

  start_server (&prometheus, NULL);
  start_server (&alertmanager, NULL);
  prom_source = new_source (&prometheus, VIGIL_SOURCE_KIND_PROMETHEUS, "prom");
  am_source = new_source (&alertmanager, VIGIL_SOURCE_KIND_ALERTMANAGER, "am");
  serve_bytes (&prometheus, "GET", "/api/v1/alerts", 200, "application/json", pending_body);
  serve_bytes (&alertmanager, "GET", "/api/v2/alerts", 200, "application/json", muted_body);
  g_signal_connect (tracker, "alert-fired", G_CALLBACK (count_by_fingerprint_cb), fired);
  g_signal_connect (alone, "alert-fired", G_CALLBACK (count_by_fingerprint_cb), fired_alone);

  prom_alerts = poll_source (prom_source, &error);
  g_assert_no_error (error);
  am_alerts = poll_source (am_source, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (prom_alerts->len, ==, 3);

  pending = find_alert (prom_alerts, "PendingTenMinutes");
  g_assert_cmpint (vigil_alert_get_state (pending), ==, VIGIL_ALERT_STATE_PENDING);
  g_assert_false (vigil_alert_is_active (pending));
  /* "Pending since activeAt": when the condition became true. */
  g_assert_cmpint (g_date_time_get_minute (vigil_alert_get_starts_at (pending)), ==, 39);
  g_assert_cmpfloat (vigil_alert_get_value (pending), ==, 1.0);
  /* Prometheus' fingerprints are Alertmanager's, so the two views meet. */
  g_assert_cmpstr (vigil_alert_get_fingerprint (find_alert (prom_alerts, "AlwaysFiringWarning")), ==,
                   "1e5418d296bd2f59");

  /* Prometheus alone: the firing ones notify, the pending one never. */
  for (guint round = 0; round < 3; round++)
    vigil_alert_tracker_update_source (alone, "prom", FALSE, prom_alerts);
  g_assert_cmpuint (g_list_model_get_n_items (vigil_alert_tracker_get_alerts (alone)), ==, 3);
  g_assert_cmpuint (g_hash_table_size (fired_alone), ==, 2);
  g_assert_false (g_hash_table_contains (fired_alone, vigil_alert_get_fingerprint (pending)));

  /* With the Alertmanager of case 18, which mutes NoAnnotations and
   * AlwaysFiringWarning at that moment: Prometheus' "firing" does not
   * override it, and the pending alert is an early warning, not a
   * notification. */
  vigil_alert_tracker_update_source (tracker, "am", TRUE, am_alerts);
  vigil_alert_tracker_update_source (tracker, "prom", FALSE, prom_alerts);
  vigil_alert_tracker_update_source (tracker, "am", TRUE, am_alerts);
  vigil_alert_tracker_update_source (tracker, "prom", FALSE, prom_alerts);
  g_assert_cmpuint (g_hash_table_size (fired), ==, 1);
  g_assert_true (g_hash_table_contains (fired, "982df89a804bd383"));
  g_assert_cmpuint (g_list_model_get_n_items (vigil_alert_tracker_get_alerts (tracker)), ==, 5);

  fixture_tear_down (&prometheus, NULL);
  fixture_tear_down (&alertmanager, NULL);
}

/* `vigil --status --format=json` lists Prometheus' own pending and firing
 * alerts next to the merged list, with their values. */
static void
test_20_status_report (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autoptr(GBytes) body = read_fixture ("20-pending-alerts.json");
  g_autoptr(VigilSource) source = new_source (fixture, VIGIL_SOURCE_KIND_PROMETHEUS, "prom");
  g_autoptr(GListStore) sources = g_list_store_new (VIGIL_TYPE_SOURCE);
  g_autoptr(GListStore) merged = g_list_store_new (VIGIL_TYPE_ALERT);
  g_autoptr(GPtrArray) alerts = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *json = NULL;
  g_autofree char *text = NULL;
  JsonArray *listed;
  JsonObject *entry;

  g_list_store_append (sources, source);
  serve_bytes (fixture, "GET", "/api/v1/alerts", 200, "application/json", body);
  alerts = poll_source (source, &error);
  g_assert_no_error (error);

  json = vigil_status_report_format (VIGIL_STATUS_FORMAT_JSON, G_LIST_MODEL (sources), G_LIST_MODEL (merged));
  json_parser_load_from_data (parser, json, -1, &error);
  g_assert_no_error (error);
  listed = json_object_get_array_member (json_node_get_object (json_parser_get_root (parser)),
                                         "prometheus_alerts");
  g_assert_nonnull (listed);
  g_assert_cmpuint (json_array_get_length (listed), ==, 3);

  /* Firing first, then pending; by name within each. */
  entry = json_array_get_object_element (listed, 0);
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (entry, "labels"), "alertname"),
                   ==, "AlwaysFiringWarning");
  g_assert_cmpstr (json_object_get_string_member (entry, "state"), ==, "firing");
  g_assert_cmpstr (json_object_get_string_member (entry, "source"), ==, "prom");
  g_assert_cmpstr (json_object_get_string_member (entry, "fingerprint"), ==, "1e5418d296bd2f59");
  g_assert_cmpstr (json_object_get_string_member (entry, "severity"), ==, "warning");
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (entry, "annotations"), "summary"),
                   ==, "Always-firing warning test alert");
  g_assert_true (JSON_NODE_HOLDS_VALUE (json_object_get_member (entry, "value")));
  g_assert_cmpfloat (json_object_get_double_member (entry, "value"), ==, 1.0);
  g_assert_nonnull (strstr (json_object_get_string_member (entry, "activeAt"), "2026-12-03T15:39:52.444458"));

  entry = json_array_get_object_element (listed, 1);
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (entry, "labels"), "alertname"),
                   ==, "NoAnnotations");
  g_assert_cmpstr (json_object_get_string_member (entry, "state"), ==, "firing");

  entry = json_array_get_object_element (listed, 2);
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (entry, "labels"), "alertname"),
                   ==, "PendingTenMinutes");
  g_assert_cmpstr (json_object_get_string_member (entry, "state"), ==, "pending");

  text = vigil_status_report_format (VIGIL_STATUS_FORMAT_TEXT, G_LIST_MODEL (sources), G_LIST_MODEL (merged));
  g_assert_nonnull (strstr (text, "Prometheus: 2 firing, 1 pending"));
  g_assert_nonnull (strstr (text, "pending  PendingTenMinutes = 1"));
}

/* The special values of case 01 as alert values: a JSON number where
 * there is one, else Prometheus' own string. */
static void
test_status_report_special_values (Fixture       *fixture,
                                   gconstpointer  data)
{
  static const char body[] =
    "{\"status\":\"success\",\"data\":{\"alerts\":["
    "{\"labels\":{\"alertname\":\"A\",\"case\":\"nan\"},\"state\":\"firing\",\"value\":\"NaN\"},"
    "{\"labels\":{\"alertname\":\"B\",\"case\":\"plus_inf\"},\"state\":\"firing\",\"value\":\"+Inf\"},"
    "{\"labels\":{\"alertname\":\"C\",\"case\":\"minus_inf\"},\"state\":\"pending\",\"value\":\"-Inf\"},"
    "{\"labels\":{\"alertname\":\"D\",\"case\":\"number\"},\"state\":\"firing\",\"value\":\"0.30000000000000004\"},"
    "{\"labels\":{\"alertname\":\"E\",\"case\":\"tiny\"},\"state\":\"pending\",\"value\":\"1e-09\"}"
    "]}}";
  g_autoptr(VigilSource) source = new_source (fixture, VIGIL_SOURCE_KIND_PROMETHEUS, "prom");
  g_autoptr(GListStore) sources = g_list_store_new (VIGIL_TYPE_SOURCE);
  g_autoptr(GListStore) merged = g_list_store_new (VIGIL_TYPE_ALERT);
  g_autoptr(GPtrArray) alerts = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *json = NULL;
  JsonArray *listed;
  struct {
    const char *name;
    const char *text;     /* NULL: a number */
    double      number;
  } expected[] = {
    { "A", "NaN", 0 }, { "B", "+Inf", 0 }, { "D", NULL, 0.30000000000000004 },
    { "C", "-Inf", 0 }, { "E", NULL, 1e-9 },
  };

  g_list_store_append (sources, source);
  serve (fixture, "GET", "/api/v1/alerts", 200, "application/json", body);
  alerts = poll_source (source, &error);
  g_assert_no_error (error);

  json = vigil_status_report_format (VIGIL_STATUS_FORMAT_JSON, G_LIST_MODEL (sources), G_LIST_MODEL (merged));
  json_parser_load_from_data (parser, json, -1, &error);
  g_assert_no_error (error);
  listed = json_object_get_array_member (json_node_get_object (json_parser_get_root (parser)),
                                         "prometheus_alerts");
  g_assert_cmpuint (json_array_get_length (listed), ==, G_N_ELEMENTS (expected));

  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    {
      JsonObject *entry = json_array_get_object_element (listed, i);
      JsonNode *value = json_object_get_member (entry, "value");

      g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (entry, "labels"), "alertname"),
                       ==, expected[i].name);
      if (expected[i].text != NULL)
        {
          g_assert_cmpint (json_node_get_value_type (value), ==, G_TYPE_STRING);
          g_assert_cmpstr (json_node_get_string (value), ==, expected[i].text);
        }
      else
        {
          g_assert_cmpint (json_node_get_value_type (value), ==, G_TYPE_DOUBLE);
          g_assert_cmpfloat (json_node_get_double (value), ==, expected[i].number);
        }
    }
}

/* ------------------------------------------------------------------ */
/* 22: creating and expiring silences                                  */

static VigilSilence *
new_valid_silence (void)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) later = g_date_time_add_hours (now, 1);
  VigilSilence *silence = vigil_silence_new ();

  vigil_silence_add_matcher (silence, "alertname", "NoAnnotations", FALSE, TRUE);
  vigil_silence_set_starts_at (silence, now);
  vigil_silence_set_ends_at (silence, later);
  vigil_silence_set_created_by (silence, "desktop-client");
  vigil_silence_set_comment (silence, "Acknowledged from Vigil");

  return silence;
}

typedef struct {
  guint       index;
  int         code;
  const char *words;
} SilenceErrorCase;

static const SilenceErrorCase silence_error_cases[] = {
  /* Bare JSON strings. */
  { 0, VIGIL_SOURCE_ERROR_QUERY, "start time must be before end time" },
  { 1, VIGIL_SOURCE_ERROR_QUERY, "end time can't be in the past" },
  { 2, VIGIL_SOURCE_ERROR_QUERY, "at least one matcher must not match the empty string" },
  { 3, VIGIL_SOURCE_ERROR_QUERY, "error parsing regexp: missing closing )" },
  /* {"code":…,"message":…} objects. */
  { 4, VIGIL_SOURCE_ERROR_QUERY, "unexpected EOF" },
  { 5, VIGIL_SOURCE_ERROR_QUERY, "comment in body is required" },
  { 6, VIGIL_SOURCE_ERROR_QUERY, "matchers in body should have at least 1 items" },
};

static void
test_22_server_refuses (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autoptr(VigilSilencesClient) client = new_silences_client (fixture);

  /* The server may refuse what passed the local checks (its clock, RE2,
   * a newer schema): its own words reach the engineer, whichever of the
   * two shapes they come in. */
  for (guint i = 0; i < G_N_ELEMENTS (silence_error_cases); i++)
    {
      const SilenceErrorCase *c = &silence_error_cases[i];
      g_autoptr(VigilSilence) silence = new_valid_silence ();
      g_autoptr(GError) error = NULL;
      g_autofree char *id = NULL;

      g_test_message ("22-silence-create-errors.json response %u", c->index);
      serve_bundle (fixture, "POST", "/api/v2/silences", "22-silence-create-errors.json", c->index);
      id = create_silence (client, silence, &error);
      g_assert_null (id);
      g_assert_error (error, VIGIL_SOURCE_ERROR, c->code);
      assert_sentence (error, c->words);
      g_assert_null (strstr (error->message, "\"code\""));
    }
}

static void
test_22_create_and_expire (Fixture       *fixture,
                           gconstpointer  data)
{
  g_autoptr(VigilSilencesClient) client = new_silences_client (fixture);
  g_autoptr(VigilSilence) silence = new_valid_silence ();
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *id = NULL;
  JsonObject *sent;
  JsonObject *matcher;
  const char *starts_at;

  vigil_silence_add_matcher (silence, "team", "Zürich Ops ✓", FALSE, TRUE);
  vigil_silence_add_matcher (silence, "instance", "db-.*", TRUE, FALSE);

  serve_bundle (fixture, "POST", "/api/v2/silences", "22-silence-create-errors.json", 7);
  id = create_silence (client, silence, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (id, ==, "25076e3c-7dc7-4028-aba9-9b8319defb7d");
  g_assert_cmpuint (hits (fixture, "POST", "/api/v2/silences"), ==, 1);

  /* What was sent: RFC 3339 UTC times (never "2026-12-03 15:00:00"), the
   * matchers with both flags, creator and comment. */
  json_parser_load_from_data (parser, g_bytes_get_data (fixture->last_body, NULL),
                              g_bytes_get_size (fixture->last_body), &error);
  g_assert_no_error (error);
  sent = json_node_get_object (json_parser_get_root (parser));
  starts_at = json_object_get_string_member (sent, "startsAt");
  g_assert_true (g_regex_match_simple ("^\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(\\.\\d+)?Z$", starts_at, 0, 0));
  g_assert_true (g_regex_match_simple ("Z$", json_object_get_string_member (sent, "endsAt"), 0, 0));
  g_assert_cmpstr (json_object_get_string_member (sent, "createdBy"), ==, "desktop-client");
  g_assert_cmpstr (json_object_get_string_member (sent, "comment"), ==, "Acknowledged from Vigil");
  g_assert_false (json_object_has_member (sent, "id"));
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (sent, "matchers")), ==, 3);
  matcher = json_array_get_object_element (json_object_get_array_member (sent, "matchers"), 1);
  g_assert_cmpstr (json_object_get_string_member (matcher, "value"), ==, "Zürich Ops ✓");
  matcher = json_array_get_object_element (json_object_get_array_member (sent, "matchers"), 2);
  g_assert_true (json_object_get_boolean_member (matcher, "isRegex"));
  g_assert_false (json_object_get_boolean_member (matcher, "isEqual"));

  /* Expiring an id the server does not know: HTTP 500 "silence not
   * found", which means it is gone already. */
  serve_bundle (fixture, "DELETE", "/api/v2/silence/00000000-0000-0000-0000-000000000000",
                "22-silence-create-errors.json", 8);
  g_assert_true (expire_silence (client, "00000000-0000-0000-0000-000000000000", &error));
  g_assert_no_error (error);

  /* Expiring an expired one: 200 with an empty body is success. */
  serve_bundle (fixture, "DELETE", "/api/v2/silence/b9561998-0885-4a94-83bd-f9e766c7f40f",
                "22-silence-create-errors.json", 9);
  g_assert_true (expire_silence (client, "b9561998-0885-4a94-83bd-f9e766c7f40f", &error));
  g_assert_no_error (error);
  g_assert_cmpuint (hits (fixture, "DELETE", "/api/v2/silence/b9561998-0885-4a94-83bd-f9e766c7f40f"), ==, 1);

  /* Any other 500 is an error in words, and the plural path is not used. */
  serve (fixture, "DELETE", "/api/v2/silence/other", 500, "application/json", "\"silence store is broken\"\n");
  g_assert_false (expire_silence (client, "other", &error));
  g_assert_error (error, VIGIL_SOURCE_ERROR, VIGIL_SOURCE_ERROR_HTTP);
  assert_sentence (error, "silence store is broken");
  g_assert_cmpuint (hits (fixture, "DELETE", "/api/v2/silences/other"), ==, 0);
}

typedef void (*BreakSilence) (VigilSilence *silence);

static void
no_matchers (VigilSilence *silence)
{
  g_ptr_array_set_size (vigil_silence_get_matchers (silence), 0);
}

static void
matches_everything (VigilSilence *silence)
{
  g_ptr_array_set_size (vigil_silence_get_matchers (silence), 0);
  vigil_silence_add_matcher (silence, "alertname", ".*", TRUE, TRUE);
  vigil_silence_add_matcher (silence, "empty_value", "", FALSE, TRUE);
  vigil_silence_add_matcher (silence, "severity", "critical", FALSE, FALSE);
}

static void
ends_before_start (VigilSilence *silence)
{
  g_autoptr(GDateTime) before = g_date_time_add_minutes (vigil_silence_get_starts_at (silence), -5);

  vigil_silence_set_ends_at (silence, before);
}

static void
ends_in_past (VigilSilence *silence)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) start = g_date_time_add_hours (now, -2);
  g_autoptr(GDateTime) end = g_date_time_add_hours (now, -1);

  vigil_silence_set_starts_at (silence, start);
  vigil_silence_set_ends_at (silence, end);
}

static void
no_creator (VigilSilence *silence)
{
  vigil_silence_set_created_by (silence, "  ");
}

static void
no_comment (VigilSilence *silence)
{
  vigil_silence_set_comment (silence, NULL);
}

static void
no_end (VigilSilence *silence)
{
  vigil_silence_set_ends_at (silence, NULL);
}

static void
test_22_checked_before_sending (Fixture       *fixture,
                                gconstpointer  data)
{
  static const struct {
    BreakSilence       apply;
    VigilSilenceError  code;
  } cases[] = {
    { no_matchers, VIGIL_SILENCE_ERROR_NO_MATCHERS },
    { matches_everything, VIGIL_SILENCE_ERROR_MATCHES_EVERYTHING },
    { ends_before_start, VIGIL_SILENCE_ERROR_ENDS_BEFORE_START },
    { ends_in_past, VIGIL_SILENCE_ERROR_ENDS_IN_PAST },
    { no_creator, VIGIL_SILENCE_ERROR_NO_CREATOR },
    { no_comment, VIGIL_SILENCE_ERROR_NO_COMMENT },
    { no_end, VIGIL_SILENCE_ERROR_NO_TIMES },
  };
  g_autoptr(VigilSilencesClient) client = new_silences_client (fixture);

  serve_bundle (fixture, "POST", "/api/v2/silences", "22-silence-create-errors.json", 7);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(VigilSilence) silence = new_valid_silence ();
      g_autoptr(GError) error = NULL;
      g_autofree char *id = NULL;

      cases[i].apply (silence);
      id = create_silence (client, silence, &error);
      g_assert_null (id);
      g_assert_error (error, VIGIL_SILENCE_ERROR, (int) cases[i].code);
      g_test_message ("refused before sending: %s", error->message);
    }

  g_assert_cmpuint (hits (fixture, "POST", "/api/v2/silences"), ==, 0);
}

/* The server's clock decides what "in the past" means (alertmanager#558):
 * once an answer's Date header shows it two hours ahead, a silence ending
 * in one hour is refused here, with a sentence, before it is sent. */
static void
test_22_server_clock (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(VigilSilencesClient) client = new_silences_client (fixture);
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) server_now = g_date_time_add_hours (now, 2);
  g_autofree char *date = soup_date_time_to_string (server_now, SOUP_DATE_HTTP);
  g_autofree char *header = g_strconcat ("Date: ", date, NULL);
  g_autoptr(VigilSilence) first = new_valid_silence ();
  g_autoptr(VigilSilence) second = new_valid_silence ();
  g_autoptr(GError) error = NULL;
  g_autofree char *id = NULL;
  Route *route;

  route = serve_bundle (fixture, "POST", "/api/v2/silences", "22-silence-create-errors.json", 1);
  g_ptr_array_add (route->headers, g_strdup (header));

  id = create_silence (client, first, &error);
  g_assert_error (error, VIGIL_SOURCE_ERROR, VIGIL_SOURCE_ERROR_QUERY);
  g_clear_error (&error);
  g_assert_cmpint (ABS (vigil_silences_client_get_clock_skew (client) - 2 * G_TIME_SPAN_HOUR),
                   <, 5 * G_TIME_SPAN_SECOND);

  id = create_silence (client, second, &error);
  g_assert_error (error, VIGIL_SILENCE_ERROR, VIGIL_SILENCE_ERROR_ENDS_IN_PAST);
  g_assert_cmpuint (hits (fixture, "POST", "/api/v2/silences"), ==, 1);
}

/* ------------------------------------------------------------------ */
/* 25: credentials and certificates                                    */

static void
test_25_unauthorized (Fixture       *fixture,
                      gconstpointer  data)
{
  for (guint index = 0; index < 2; index++)
    {
      g_autoptr(VigilSource) prometheus = new_source (fixture, VIGIL_SOURCE_KIND_PROMETHEUS, "prom");
      g_autoptr(VigilSource) alertmanager = new_source (fixture, VIGIL_SOURCE_KIND_ALERTMANAGER, "am");
      g_autoptr(VigilQueryResult) result = NULL;
      g_autoptr(GPtrArray) alerts = NULL;
      g_autoptr(GError) error = NULL;

      serve_bundle (fixture, "GET", "/api/v1/query", "25-auth-and-tls-failures.json", index);
      serve_bundle (fixture, "GET", "/api/v2/alerts", "25-auth-and-tls-failures.json", index);

      /* Bad credentials, told apart from "not JSON" (case 11). */
      result = run_query (vigil_source_get_prometheus_client (prometheus), "up", &error);
      g_assert_null (result);
      g_assert_error (error, VIGIL_SOURCE_ERROR, VIGIL_SOURCE_ERROR_UNAUTHORIZED);
      assert_sentence (error, "credentials");
      g_clear_error (&error);

      alerts = poll_source (alertmanager, &error);
      g_assert_null (alerts);
      g_assert_error (error, VIGIL_SOURCE_ERROR, VIGIL_SOURCE_ERROR_UNAUTHORIZED);
      assert_sentence (error, "credentials");
    }
}

static GTlsCertificate *
load_certificate (const char *name)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "fixtures", "tls", name, NULL);
  g_autoptr(GError) error = NULL;
  GTlsCertificate *certificate;

  if (!g_file_test (path, G_FILE_TEST_EXISTS))
    return NULL;

  certificate = g_tls_certificate_new_from_file (path, &error);
  g_assert_no_error (error);

  return certificate;
}

/* Responses 2 and 3 have no HTTP answer at all: the handshake fails. They
 * are re-created with the test certificates of tests/fixtures/tls (made by
 * build-aux/gen-test-certs.sh). */
static void
test_25_tls (void)
{
  static const struct {
    const char *certificate;
    gboolean    trust_test_ca;
    const char *words;
  } cases[] = {
    /* Response 2: "self-signed certificate". */
    { "self-signed.pem", FALSE, "not signed by an authority this computer trusts" },
    /* Response 3: the CA is trusted, the name is not the certificate's. */
    { "wrong-host.pem", TRUE, "wrong-host.invalid" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GTlsCertificate) certificate = load_certificate (cases[i].certificate);
      g_autoptr(SoupSession) session = vigil_http_session_new ();
      g_autoptr(VigilPrometheusClient) client = NULL;
      g_autoptr(VigilQueryResult) result = NULL;
      g_autoptr(GError) error = NULL;
      Fixture fixture = { 0 };

      if (certificate == NULL)
        {
          g_test_skip ("tests/fixtures/tls has no test certificates");
          return;
        }

      if (cases[i].trust_test_ca)
        {
          g_autofree char *ca = g_test_build_filename (G_TEST_DIST, "fixtures", "tls", "ca.pem", NULL);
          g_autoptr(GTlsDatabase) database = g_tls_file_database_new (ca, &error);

          g_assert_no_error (error);
          soup_session_set_tls_database (session, database);
        }

      start_server (&fixture, certificate);
      serve (&fixture, "GET", "/api/v1/query", 200, "application/json",
             "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":[]}}");
      client = vigil_prometheus_client_new (session, fixture.base_url);

      result = run_query (client, "up", &error);
      g_assert_null (result);
      g_assert_error (error, VIGIL_SOURCE_ERROR, VIGIL_SOURCE_ERROR_TLS);
      /* The reason in words, one that tells the two apart. */
      assert_sentence (error, cases[i].words);
      /* Nothing was answered over a connection that was not trusted. */
      g_assert_cmpuint (hits (&fixture, "GET", "/api/v1/query"), ==, 0);

      fixture_tear_down (&fixture, NULL);
    }
}

/* ------------------------------------------------------------------ */
/* 08: the large answer                                                */

static void
test_large (Fixture       *fixture,
            gconstpointer  data)
{
  g_autoptr(GBytes) body = read_fixture ("large/prometheus__api_v1_query__all_series_large.json");
  g_autoptr(VigilSource) source = new_source (fixture, VIGIL_SOURCE_KIND_PROMETHEUS, "prom");
  g_autoptr(VigilQueryResult) result = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  JsonArray *expected;
  GPtrArray *series;
  gint64 began;

  /* What the answer holds, read independently of Vigil. */
  json_parser_load_from_data (parser, g_bytes_get_data (body, NULL), g_bytes_get_size (body), &error);
  g_assert_no_error (error);
  expected = json_object_get_array_member (json_object_get_object_member (json_node_get_object (json_parser_get_root (parser)),
                                                                          "data"),
                                           "result");

  serve_bytes (fixture, "GET", "/api/v1/query", 200, "application/json", body);
  began = g_get_monotonic_time ();
  result = run_query (vigil_source_get_prometheus_client (source), "{__name__=~\".+\"}", &error);
  g_assert_no_error (error);
  g_test_message ("%zu bytes, %u series through the client in %.1f ms",
                  g_bytes_get_size (body), json_array_get_length (expected),
                  (g_get_monotonic_time () - began) / 1000.0);

  series = vigil_query_result_get_series (result);
  g_assert_cmpuint (series->len, ==, json_array_get_length (expected));
  for (guint i = 0; i < series->len; i++)
    {
      JsonObject *metric = json_object_get_object_member (json_array_get_object_element (expected, i), "metric");

      g_assert_cmpuint (vigil_series_get_n_samples (g_ptr_array_index (series, i)), ==, 1);
      g_assert_cmpstr (vigil_series_get_label (g_ptr_array_index (series, i), "__name__"), ==,
                       json_object_get_string_member_with_default (metric, "__name__", NULL));
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("/vigil/cases/01-nan-inf-values", test_01_nan_inf);
  ADD ("/vigil/cases/03-scalar-and-string-results", test_03_scalar_and_string);
  ADD ("/vigil/cases/05-06-query-errors", test_05_06_query_errors);
  ADD ("/vigil/cases/07-step-too-small", test_07_step_too_small);
  ADD ("/vigil/cases/10-startup-503", test_10_startup);
  ADD ("/vigil/cases/10-startup-503-keeps-alerts", test_10_startup_keeps_alerts);
  ADD ("/vigil/cases/11-non-json-responses", test_11_not_json);
  ADD ("/vigil/cases/14-unicode-empty-and-many-labels", test_14_unicode);
  g_test_add_func ("/vigil/cases/15-ha-duplicate-fingerprints", test_15_ha_replicas);
  ADD ("/vigil/cases/17-silence-states", test_17_silence_states);
  ADD ("/vigil/cases/18-suppressed-inhibited-silenced", test_18_suppressed);
  g_test_add_func ("/vigil/cases/20-pending-never-notifies", test_20_pending_never_notifies);
  ADD ("/vigil/cases/20-status-report", test_20_status_report);
  ADD ("/vigil/cases/20-status-report-special-values", test_status_report_special_values);
  ADD ("/vigil/cases/22-server-refuses", test_22_server_refuses);
  ADD ("/vigil/cases/22-create-and-expire", test_22_create_and_expire);
  ADD ("/vigil/cases/22-checked-before-sending", test_22_checked_before_sending);
  ADD ("/vigil/cases/22-server-clock", test_22_server_clock);
  ADD ("/vigil/cases/25-unauthorized", test_25_unauthorized);
  g_test_add_func ("/vigil/cases/25-tls", test_25_tls);
  ADD ("/vigil/cases/08-large", test_large);

  return g_test_run ();
}
