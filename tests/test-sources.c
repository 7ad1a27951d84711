/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <json-glib/json-glib.h>
#include <math.h>

#include "vigil-alert-tracker.h"
#include "vigil-http.h"
#include "vigil-poller.h"
#include "vigil-prometheus-client.h"
#include "vigil-source.h"
#include "vigil-status-report.h"

/* A local server that answers each path with bytes set by the test: the
 * exact responses of ../shared/cases, served over real HTTP. */
typedef struct {
  guint       status;
  char       *content_type;
  GBytes     *body;
  char       *location;
} Route;

typedef struct {
  SoupServer *server;
  GHashTable *routes;          /* path -> Route */
  GHashTable *hits;            /* path -> count */
  char       *last_query;
  char       *base_url;
} Fixture;

static void
route_free (Route *route)
{
  g_free (route->content_type);
  g_bytes_unref (route->body);
  g_free (route->location);
  g_free (route);
}

static void
serve (Fixture    *fixture,
       const char *path,
       guint       status,
       const char *content_type,
       const char *body)
{
  Route *route = g_new0 (Route, 1);

  route->status = status;
  route->content_type = g_strdup (content_type);
  route->body = g_bytes_new (body, strlen (body));
  g_hash_table_replace (fixture->routes, g_strdup (path), route);
}

static void
handler (SoupServer        *server,
         SoupServerMessage *message,
         const char        *path,
         GHashTable        *query,
         gpointer           user_data)
{
  Fixture *fixture = user_data;
  Route *route = g_hash_table_lookup (fixture->routes, path);
  GUri *uri = soup_server_message_get_uri (message);

  g_hash_table_replace (fixture->hits, g_strdup (path),
                        GUINT_TO_POINTER (GPOINTER_TO_UINT (g_hash_table_lookup (fixture->hits, path)) + 1));
  g_free (fixture->last_query);
  fixture->last_query = g_strdup (g_uri_get_query (uri));

  if (route == NULL)
    {
      soup_server_message_set_status (message, 404, NULL);
      soup_server_message_set_response (message, "text/plain; charset=utf-8", SOUP_MEMORY_COPY,
                                        "404 page not found\n", 19);
      return;
    }

  soup_server_message_set_status (message, route->status, NULL);
  if (route->location != NULL)
    soup_message_headers_replace (soup_server_message_get_response_headers (message),
                                  "Location", route->location);
  soup_server_message_set_response (message, route->content_type, SOUP_MEMORY_COPY,
                                    g_bytes_get_data (route->body, NULL),
                                    g_bytes_get_size (route->body));
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, 0);
  GSList *uris;

  fixture->routes = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) route_free);
  fixture->hits = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  fixture->server = soup_server_new (NULL, NULL);
  soup_server_add_handler (fixture->server, NULL, handler, fixture, NULL);
  soup_server_listen (fixture->server, address, 0, &error);
  g_assert_no_error (error);

  uris = soup_server_get_uris (fixture->server);
  fixture->base_url = g_strdup_printf ("http://127.0.0.1:%d", g_uri_get_port (uris->data));
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  soup_server_disconnect (fixture->server);
  g_assert_finalize_object (fixture->server);
  g_hash_table_unref (fixture->routes);
  g_hash_table_unref (fixture->hits);
  g_free (fixture->last_query);
  g_free (fixture->base_url);
}

static guint
hits (Fixture    *fixture,
      const char *path)
{
  return GPOINTER_TO_UINT (g_hash_table_lookup (fixture->hits, path));
}

static char *
read_fixture (const char *name)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "fixtures", name, NULL);
  g_autoptr(GError) error = NULL;
  char *contents = NULL;

  g_file_get_contents (path, &contents, NULL, &error);
  g_assert_no_error (error);

  return contents;
}

/* Serves response `index` of a case bundle at `path`. */
static void
serve_bundle (Fixture    *fixture,
              const char *path,
              const char *name,
              guint       index)
{
  g_autofree char *contents = read_fixture (name);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  JsonObject *response;
  const char *content_type;

  json_parser_load_from_data (parser, contents, -1, &error);
  g_assert_no_error (error);

  response = json_array_get_object_element (json_object_get_array_member (json_node_get_object (json_parser_get_root (parser)),
                                                                           "responses"),
                                            index);
  content_type = json_object_get_string_member_with_default (response, "content_type", "");
  serve (fixture, path,
         json_object_get_int_member (response, "status"),
         *content_type != '\0' ? content_type : "text/plain",
         json_object_get_string_member (response, "body"));
}

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

static VigilSource *
new_source (Fixture         *fixture,
            VigilSourceKind  kind)
{
  g_autoptr(GError) error = NULL;
  VigilSource *source = vigil_source_new (kind, "test", fixture->base_url, &error);

  g_assert_no_error (error);
  /* Retries stay on, as in use, but with short waits: test-faults checks
   * the real delays. */
  vigil_http_set_retries (vigil_source_get_session (source), 2, 10);

  return source;
}

static void
test_alertmanager_alerts (Fixture       *fixture,
                          gconstpointer  data)
{
  g_autofree char *body = read_fixture ("18-suppressed-inhibited-silenced.json");
  g_autoptr(VigilSource) source = new_source (fixture, VIGIL_SOURCE_KIND_ALERTMANAGER);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) alerts = NULL;

  serve (fixture, "/api/v2/alerts", 200, "application/json", body);
  alerts = poll_source (source, &error);

  g_assert_no_error (error);
  g_assert_cmpuint (alerts->len, ==, 4);
  g_assert_cmpint (vigil_source_get_health (source), ==, VIGIL_SOURCE_HEALTH_OK);
  g_assert_null (vigil_source_get_error_message (source));
  g_assert_cmpstr (vigil_alert_get_source (g_ptr_array_index (alerts, 0)), ==, "test");
  g_assert_cmpint (vigil_source_get_last_success (source), >, 0);
}

static void
test_keeps_last_good_data (Fixture       *fixture,
                           gconstpointer  data)
{
  g_autofree char *body = read_fixture ("18-suppressed-inhibited-silenced.json");
  g_autoptr(VigilSource) source = new_source (fixture, VIGIL_SOURCE_KIND_ALERTMANAGER);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) good = NULL;
  g_autoptr(GPtrArray) bad = NULL;
  g_autoptr(GPtrArray) recovered = NULL;

  serve (fixture, "/api/v2/alerts", 200, "application/json", body);
  good = poll_source (source, &error);
  g_assert_no_error (error);

  /* Case 10: Prometheus-style plain-text 503 while starting. */
  serve_bundle (fixture, "/api/v2/alerts", "10-startup-503-plain-text.json", 0);
  bad = poll_source (source, &error);
  g_assert_null (bad);
  g_assert_error (error, VIGIL_SOURCE_ERROR, VIGIL_SOURCE_ERROR_UNAVAILABLE);
  g_assert_nonnull (strstr (error->message, "starting"));
  g_assert_cmpint (vigil_source_get_health (source), ==, VIGIL_SOURCE_HEALTH_ERROR);
  g_assert_cmpstr (vigil_source_get_error_message (source), ==, error->message);
  /* The last good alerts are still there. */
  g_assert_cmpuint (vigil_source_get_alerts (source)->len, ==, 4);
  g_clear_error (&error);

  serve (fixture, "/api/v2/alerts", 200, "application/json", body);
  recovered = poll_source (source, &error);
  g_assert_no_error (error);
  g_assert_cmpint (vigil_source_get_health (source), ==, VIGIL_SOURCE_HEALTH_OK);
}

static void
test_query_special_values (Fixture       *fixture,
                           gconstpointer  data)
{
  g_autofree char *body = read_fixture ("01-nan-inf-values.json");
  g_autoptr(VigilSource) source = new_source (fixture, VIGIL_SOURCE_KIND_PROMETHEUS);
  VigilPrometheusClient *client = vigil_source_get_prometheus_client (source);
  g_autoptr(VigilQueryResult) result = NULL;
  g_autoptr(GError) error = NULL;
  GPtrArray *series;
  gboolean seen_neg_inf = FALSE, seen_nan = FALSE;

  serve (fixture, "/api/v1/query", 200, "application/json", body);
  result = run_query (client, "special floats", &error);
  g_assert_no_error (error);
  g_assert_nonnull (strstr (fixture->last_query, "query=special%20floats"));

  series = vigil_query_result_get_series (result);
  g_assert_cmpuint (series->len, ==, 8);
  for (guint i = 0; i < series->len; i++)
    {
      VigilSeries *each = g_ptr_array_index (series, i);
      const VigilSample *sample = vigil_series_get_samples (each);

      if (g_strcmp0 (vigil_series_get_label (each, "case"), "minus_inf") == 0)
        seen_neg_inf = isinf (sample->value) && sample->value < 0;
      if (g_strcmp0 (vigil_series_get_label (each, "case"), "nan") == 0)
        seen_nan = isnan (sample->value);
    }
  g_assert_true (seen_neg_inf);
  g_assert_true (seen_nan);
}

static void
test_scalar_result (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(VigilSource) source = new_source (fixture, VIGIL_SOURCE_KIND_PROMETHEUS);
  VigilPrometheusClient *client = vigil_source_get_prometheus_client (source);
  g_autoptr(VigilQueryResult) result = NULL;
  g_autoptr(GError) error = NULL;

  serve_bundle (fixture, "/api/v1/query", "03-scalar-and-string-results.json", 0);
  result = run_query (client, "scalar(sum(up))", &error);
  g_assert_no_error (error);
  g_assert_cmpint (vigil_query_result_get_result_type (result), ==, VIGIL_RESULT_SCALAR);
  g_assert_cmpfloat (vigil_query_result_get_scalar (result), ==, 4.0);
  g_assert_cmpuint (vigil_query_result_get_series (result)->len, ==, 0);
}

typedef struct {
  const char     *fixture;
  guint           index;
  VigilSourceKind kind;
  int             code;
  const char     *words;     /* must appear in the sentence */
} ErrorCase;

static const ErrorCase error_cases[] = {
  { "05-bad-data-400.json", 0, VIGIL_SOURCE_KIND_PROMETHEUS, VIGIL_SOURCE_ERROR_QUERY, "unclosed left parenthesis" },
  { "06-execution-and-timeout-errors.json", 1, VIGIL_SOURCE_KIND_PROMETHEUS, VIGIL_SOURCE_ERROR_QUERY, "too many samples" },
  { "06-execution-and-timeout-errors.json", 2, VIGIL_SOURCE_KIND_PROMETHEUS, VIGIL_SOURCE_ERROR_UNAVAILABLE, "query timed out" },
  { "10-startup-503-plain-text.json", 0, VIGIL_SOURCE_KIND_PROMETHEUS, VIGIL_SOURCE_ERROR_UNAVAILABLE, "starting" },
  { "11-non-json-responses.json", 1, VIGIL_SOURCE_KIND_PROMETHEUS, VIGIL_SOURCE_ERROR_NOT_FOUND, "path prefix" },
  { "11-non-json-responses.json", 2, VIGIL_SOURCE_KIND_ALERTMANAGER, VIGIL_SOURCE_ERROR_NOT_FOUND, "right kind of server" },
  { "11-non-json-responses.json", 3, VIGIL_SOURCE_KIND_ALERTMANAGER, VIGIL_SOURCE_ERROR_NOT_JSON, "HTML page" },
  { "11-non-json-responses.json", 4, VIGIL_SOURCE_KIND_PROMETHEUS, VIGIL_SOURCE_ERROR_HTTP, "HTTPS" },
  { "11-non-json-responses.json", 5, VIGIL_SOURCE_KIND_PROMETHEUS, VIGIL_SOURCE_ERROR_NOT_JSON, "login proxy" },
  { "25-auth-and-tls-failures.json", 0, VIGIL_SOURCE_KIND_PROMETHEUS, VIGIL_SOURCE_ERROR_UNAUTHORIZED, "credentials" },
  { "25-auth-and-tls-failures.json", 1, VIGIL_SOURCE_KIND_ALERTMANAGER, VIGIL_SOURCE_ERROR_UNAUTHORIZED, "credentials" },
};

static void
test_error_sentences (Fixture       *fixture,
                      gconstpointer  data)
{
  for (guint i = 0; i < G_N_ELEMENTS (error_cases); i++)
    {
      const ErrorCase *c = &error_cases[i];
      g_autoptr(VigilSource) source = new_source (fixture, c->kind);
      g_autoptr(GError) error = NULL;
      g_autoptr(GPtrArray) alerts = NULL;
      g_autoptr(VigilQueryResult) result = NULL;

      g_test_message ("%s response %u", c->fixture, c->index);
      g_hash_table_remove_all (fixture->routes);

      if (c->kind == VIGIL_SOURCE_KIND_ALERTMANAGER)
        {
          serve_bundle (fixture, "/api/v2/alerts", c->fixture, c->index);
          alerts = poll_source (source, &error);
          g_assert_null (alerts);
        }
      else
        {
          serve_bundle (fixture, "/api/v1/query", c->fixture, c->index);
          result = run_query (vigil_source_get_prometheus_client (source), "up", &error);
          g_assert_null (result);
        }

      g_assert_error (error, VIGIL_SOURCE_ERROR, c->code);
      g_assert_nonnull (strstr (error->message, c->words));
      /* Sentences name the server, never dump a body. */
      g_assert_nonnull (strstr (error->message, "127.0.0.1:"));
      g_assert_null (strstr (error->message, "<html"));
    }
}

static void
test_redirect_not_followed (Fixture       *fixture,
                            gconstpointer  data)
{
  g_autoptr(VigilSource) source = new_source (fixture, VIGIL_SOURCE_KIND_PROMETHEUS);
  g_autoptr(VigilQueryResult) result = NULL;
  g_autoptr(GError) error = NULL;
  Route *route;

  serve_bundle (fixture, "/api/v1/query", "11-non-json-responses.json", 0);
  route = g_hash_table_lookup (fixture->routes, "/api/v1/query");
  route->location = g_strdup ("/classic/graph");

  result = run_query (vigil_source_get_prometheus_client (source), "up", &error);
  g_assert_error (error, VIGIL_SOURCE_ERROR, VIGIL_SOURCE_ERROR_HTTP);
  g_assert_nonnull (strstr (error->message, "/classic/graph"));
  g_assert_cmpuint (hits (fixture, "/classic/graph"), ==, 0);
}

static void
test_connection_refused (void)
{
  g_autoptr(GSocket) socket = NULL;
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) any = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;
  g_autoptr(VigilSource) source = NULL;
  g_autoptr(GPtrArray) alerts = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *url = NULL;
  g_autofree char *expected = NULL;
  guint port;

  /* A port that is bound but not listening refuses connections. */
  socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, &error);
  g_assert_no_error (error);
  g_socket_bind (socket, any, TRUE, &error);
  g_assert_no_error (error);
  bound = g_socket_get_local_address (socket, &error);
  port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));

  url = g_strdup_printf ("http://127.0.0.1:%u", port);
  source = vigil_source_new (VIGIL_SOURCE_KIND_ALERTMANAGER, "down", url, &error);
  g_assert_no_error (error);

  alerts = poll_source (source, &error);
  g_assert_error (error, VIGIL_SOURCE_ERROR, VIGIL_SOURCE_ERROR_CONNECTION);
  expected = g_strdup_printf ("Connection refused by 127.0.0.1:%u", port);
  g_assert_nonnull (strstr (error->message, expected));
  g_assert_cmpint (vigil_source_get_health (source), ==, VIGIL_SOURCE_HEALTH_ERROR);
}

static void
test_bad_urls (void)
{
  const char *bad[] = { "", "localhost:9093", "ftp://host/", "http://", "https://user:secret@host:9093", "not a url" };

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(VigilSource) source = vigil_source_new (VIGIL_SOURCE_KIND_PROMETHEUS, "x", bad[i], &error);

      g_assert_null (source);
      g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
      /* The password never shows in the message. */
      g_assert_null (strstr (error->message, "secret"));
    }
}

static void
test_trailing_slash (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(VigilSource) source = vigil_source_new (VIGIL_SOURCE_KIND_PROMETHEUS, "p",
                                                    "https://host/prometheus//", &error);

  g_assert_no_error (error);
  g_assert_cmpstr (vigil_source_get_url (source), ==, "https://host/prometheus");
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

static void
test_range_checked_before_sending (Fixture       *fixture,
                                   gconstpointer  data)
{
  g_autoptr(VigilSource) source = new_source (fixture, VIGIL_SOURCE_KIND_PROMETHEUS);
  VigilPrometheusClient *client = vigil_source_get_prometheus_client (source);
  g_autoptr(GError) error = NULL;
  g_autoptr(VigilQueryResult) backwards = NULL;
  g_autoptr(VigilQueryResult) zero_step = NULL;
  g_autoptr(VigilQueryResult) wide = NULL;
  g_autofree char *expected_step = NULL;

  serve (fixture, "/api/v1/query_range", 200, "application/json",
         "{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\",\"result\":[]}}");

  backwards = run_range (client, 2000, 1000, 15, &error);
  g_assert_error (error, VIGIL_SOURCE_ERROR, VIGIL_SOURCE_ERROR_BAD_REQUEST);
  g_clear_error (&error);
  zero_step = run_range (client, 1000, 2000, 0, &error);
  g_assert_error (error, VIGIL_SOURCE_ERROR, VIGIL_SOURCE_ERROR_BAD_REQUEST);
  g_clear_error (&error);
  g_assert_cmpuint (hits (fixture, "/api/v1/query_range"), ==, 0);

  /* Case 07: two days at 1 s would be refused; the step is raised so the
   * server never sees more than 11,000 points per series. */
  wide = run_range (client, 1796140800, 1796140800 + 172800, 1, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (hits (fixture, "/api/v1/query_range"), ==, 1);
  expected_step = g_strdup_printf ("step=%.3f", ceil (172800 / 11000.0));
  g_assert_nonnull (strstr (fixture->last_query, expected_step));
}

static void
test_choose_step (void)
{
  /* One point per pixel, at least the scrape interval, whole seconds. */
  g_assert_cmpfloat (vigil_prometheus_choose_step (0, 3600, 800, 15), ==, 15);
  g_assert_cmpfloat (vigil_prometheus_choose_step (0, 86400, 800, 15), ==, 108);
  g_assert_cmpfloat (vigil_prometheus_choose_step (0, 7 * 86400, 10000, 1), ==, 61);
  g_assert_cmpfloat (vigil_prometheus_choose_step (0, 60, 0, 0), ==, 1);
}

static void
poll_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

static void
source_polled_cb (VigilPoller       *poller,
                  VigilSource       *source,
                  GPtrArray         *alerts,
                  VigilAlertTracker *tracker)
{
  if (alerts != NULL)
    vigil_alert_tracker_update_source (tracker, vigil_source_get_name (source), TRUE, alerts);
}

static gboolean
poll_all (VigilPoller *poller)
{
  g_autoptr(GAsyncResult) result = NULL;

  vigil_poller_poll_once_async (poller, NULL, poll_cb, &result);

  return vigil_poller_poll_once_finish (poller, wait_for (&result), NULL);
}

static void
test_poller_failure_resolves_nothing (Fixture       *fixture,
                                      gconstpointer  data)
{
  g_autofree char *body = read_fixture ("18-suppressed-inhibited-silenced.json");
  g_autoptr(VigilPoller) poller = vigil_poller_new ();
  g_autoptr(VigilClock) clock = vigil_clock_new_system ();
  g_autoptr(VigilAlertTracker) tracker = vigil_alert_tracker_new (clock);
  g_autoptr(VigilSource) source = new_source (fixture, VIGIL_SOURCE_KIND_ALERTMANAGER);
  GListModel *alerts = vigil_alert_tracker_get_alerts (tracker);
  g_autofree char *report = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  JsonObject *root;
  JsonObject *first_source;

  vigil_poller_add_source (poller, source);
  g_signal_connect (poller, "source-polled", G_CALLBACK (source_polled_cb), tracker);

  serve (fixture, "/api/v2/alerts", 200, "application/json", body);
  g_assert_true (poll_all (poller));
  g_assert_cmpuint (g_list_model_get_n_items (alerts), ==, 4);

  /* An HTML login page now: the poll fails and the alerts stay. */
  serve_bundle (fixture, "/api/v2/alerts", "11-non-json-responses.json", 5);
  g_assert_false (poll_all (poller));
  g_assert_cmpuint (g_list_model_get_n_items (alerts), ==, 4);

  /* What `vigil --status --format=json` prints for that state. */
  report = vigil_status_report_format (VIGIL_STATUS_FORMAT_JSON, vigil_poller_get_sources (poller), alerts);
  json_parser_load_from_data (parser, report, -1, &error);
  g_assert_no_error (error);
  root = json_node_get_object (json_parser_get_root (parser));
  g_assert_false (json_object_get_boolean_member (root, "ok"));
  g_assert_nonnull (json_object_get_string_member (root, "error"));
  first_source = json_array_get_object_element (json_object_get_array_member (root, "sources"), 0);
  g_assert_cmpstr (json_object_get_string_member (first_source, "kind"), ==, "alertmanager");
  g_assert_false (json_object_get_boolean_member (first_source, "ok"));
  g_assert_nonnull (strstr (json_object_get_string_member (first_source, "error"), "HTML page"));
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (root, "alerts")), ==, 4);
}

static void
test_status_formats (void)
{
  g_autoptr(GListStore) sources = g_list_store_new (VIGIL_TYPE_SOURCE);
  g_autoptr(GListStore) alerts = g_list_store_new (VIGIL_TYPE_ALERT);
  g_autoptr(VigilAlert) alert = vigil_alert_new ();
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *waybar = NULL;
  g_autofree char *json = NULL;
  g_autofree char *text = NULL;
  JsonObject *root;
  JsonObject *first;
  VigilStatusFormat format;

  g_assert_true (vigil_status_format_from_string ("waybar", &format));
  g_assert_cmpint (format, ==, VIGIL_STATUS_FORMAT_WAYBAR);
  g_assert_false (vigil_status_format_from_string ("xml", &format));

  vigil_alert_set_fingerprint (alert, "982df89a804bd383");
  vigil_alert_set_label (alert, "alertname", "AlwaysFiringCritical");
  vigil_alert_set_label (alert, "severity", "critical");
  vigil_alert_set_annotation (alert, "summary", "Disk <full> & \"hot\"");
  vigil_alert_set_state (alert, VIGIL_ALERT_STATE_ACTIVE);
  g_list_store_append (alerts, alert);

  /* No source: not ok, and the reason is in words. */
  json = vigil_status_report_format (VIGIL_STATUS_FORMAT_JSON, G_LIST_MODEL (sources), G_LIST_MODEL (alerts));
  json_parser_load_from_data (parser, json, -1, &error);
  g_assert_no_error (error);
  root = json_node_get_object (json_parser_get_root (parser));
  g_assert_false (json_object_get_boolean_member (root, "ok"));
  g_assert_nonnull (strstr (json_object_get_string_member (root, "error"), "No source"));
  first = json_array_get_object_element (json_object_get_array_member (root, "alerts"), 0);
  g_assert_cmpstr (json_object_get_string_member (first, "severity"), ==, "critical");
  g_assert_cmpstr (json_object_get_string_member (first, "state"), ==, "active");
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (first, "annotations"), "summary"),
                   ==, "Disk <full> & \"hot\"");

  waybar = vigil_status_report_format (VIGIL_STATUS_FORMAT_WAYBAR, G_LIST_MODEL (sources), G_LIST_MODEL (alerts));
  g_assert_null (strchr (waybar, '\n'));
  json_parser_load_from_data (parser, waybar, -1, &error);
  g_assert_no_error (error);
  root = json_node_get_object (json_parser_get_root (parser));
  g_assert_cmpstr (json_object_get_string_member (root, "text"), ==, "1");
  g_assert_cmpstr (json_object_get_string_member (root, "class"), ==, "error");

  text = vigil_status_report_format (VIGIL_STATUS_FORMAT_TEXT, G_LIST_MODEL (sources), G_LIST_MODEL (alerts));
  g_assert_nonnull (strstr (text, "CRITICAL"));
  g_assert_nonnull (strstr (text, "AlwaysFiringCritical"));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("/vigil/sources/alertmanager-alerts", test_alertmanager_alerts);
  ADD ("/vigil/sources/keeps-last-good-data", test_keeps_last_good_data);
  ADD ("/vigil/sources/query-special-values", test_query_special_values);
  ADD ("/vigil/sources/scalar-result", test_scalar_result);
  ADD ("/vigil/sources/error-sentences", test_error_sentences);
  ADD ("/vigil/sources/redirect-not-followed", test_redirect_not_followed);
  ADD ("/vigil/sources/range-checked-before-sending", test_range_checked_before_sending);
  ADD ("/vigil/sources/poller-failure-resolves-nothing", test_poller_failure_resolves_nothing);
  g_test_add_func ("/vigil/sources/connection-refused", test_connection_refused);
  g_test_add_func ("/vigil/sources/bad-urls", test_bad_urls);
  g_test_add_func ("/vigil/sources/trailing-slash", test_trailing_slash);
  g_test_add_func ("/vigil/sources/choose-step", test_choose_step);
  g_test_add_func ("/vigil/sources/status-formats", test_status_formats);

  return g_test_run ();
}
