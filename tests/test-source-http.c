/* SPDX-License-Identifier: GPL-3.0-or-later */

/* Configured sources over real HTTP: local libsoup servers check that the
 * tenant, extra headers and credentials arrive, serve the two replicas of
 * an Alertmanager cluster (case 15) and go away one by one, and answer
 * "Test connection" with captured buildinfo and status bodies. The
 * keyring is libsecret's file backend in a folder of the test's own. */

#include "config.h"

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "vigil-http.h"
#include "vigil-secrets.h"
#include "vigil-source.h"
#include "vigil-status-report.h"

typedef struct {
  guint   status;
  char   *content_type;
  GBytes *body;
} Route;

typedef struct {
  SoupServer *server;
  GHashTable *routes;          /* path -> Route */
  GHashTable *last_headers;    /* lower-case name -> value */
  char       *last_path;
  char       *base_url;
  guint       port;
} Server;

static void
route_free (Route *route)
{
  g_free (route->content_type);
  g_bytes_unref (route->body);
  g_free (route);
}

static void
serve_bytes (Server     *server,
             const char *path,
             guint       status,
             const char *content_type,
             GBytes     *body)
{
  Route *route = g_new0 (Route, 1);

  route->status = status;
  route->content_type = g_strdup (content_type);
  route->body = g_bytes_ref (body);
  g_hash_table_replace (server->routes, g_strdup (path), route);
}

static void
serve (Server     *server,
       const char *path,
       guint       status,
       const char *content_type,
       const char *body)
{
  g_autoptr(GBytes) bytes = g_bytes_new (body, strlen (body));

  serve_bytes (server, path, status, content_type, bytes);
}

static void
remember_header (const char *name,
                 const char *value,
                 gpointer    user_data)
{
  g_hash_table_replace (user_data, g_ascii_strdown (name, -1), g_strdup (value));
}

static void
handler (SoupServer        *soup_server,
         SoupServerMessage *message,
         const char        *path,
         GHashTable        *query,
         gpointer           user_data)
{
  Server *server = user_data;
  Route *route = g_hash_table_lookup (server->routes, path);

  g_hash_table_remove_all (server->last_headers);
  soup_message_headers_foreach (soup_server_message_get_request_headers (message),
                                remember_header, server->last_headers);
  g_free (server->last_path);
  server->last_path = g_strdup (path);

  if (route == NULL)
    {
      soup_server_message_set_status (message, 404, NULL);
      soup_server_message_set_response (message, "text/plain; charset=utf-8", SOUP_MEMORY_COPY,
                                        "404 page not found\n", 19);
      return;
    }

  soup_server_message_set_status (message, route->status, NULL);
  if (route->status == 401)
    soup_message_headers_replace (soup_server_message_get_response_headers (message),
                                  "WWW-Authenticate", "Basic");
  soup_server_message_set_response (message, route->content_type, SOUP_MEMORY_COPY,
                                    g_bytes_get_data (route->body, NULL),
                                    g_bytes_get_size (route->body));
}

static Server *
server_new (void)
{
  Server *server = g_new0 (Server, 1);
  g_autoptr(GError) error = NULL;
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, 0);
  GSList *uris;

  server->routes = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) route_free);
  server->last_headers = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  server->server = soup_server_new (NULL, NULL);
  soup_server_add_handler (server->server, NULL, handler, server, NULL);
  soup_server_listen (server->server, address, 0, &error);
  g_assert_no_error (error);

  uris = soup_server_get_uris (server->server);
  server->port = g_uri_get_port (uris->data);
  server->base_url = g_strdup_printf ("http://127.0.0.1:%u", server->port);
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);

  return server;
}

/* Stops listening, as a server that went down: connections are refused. */
static void
server_stop (Server *server)
{
  if (server->server == NULL)
    return;

  soup_server_disconnect (server->server);
  g_clear_object (&server->server);
}

static void
server_free (Server *server)
{
  server_stop (server);
  g_hash_table_unref (server->routes);
  g_hash_table_unref (server->last_headers);
  g_free (server->last_path);
  g_free (server->base_url);
  g_free (server);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Server, server_free)

static const char *
header (Server     *server,
        const char *name)
{
  return g_hash_table_lookup (server->last_headers, name);
}

static char *
read_file (const char *dir,
           const char *name)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "fixtures", dir != NULL ? dir : name,
                                                 dir != NULL ? name : NULL, NULL);
  g_autoptr(GError) error = NULL;
  char *contents = NULL;

  g_file_get_contents (path, &contents, NULL, &error);
  g_assert_no_error (error);

  return contents;
}

/* Serves the body of response `index` of a case bundle. */
static void
serve_bundle (Server     *server,
              const char *path,
              const char *name,
              guint       index)
{
  g_autofree char *contents = read_file (NULL, name);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  JsonObject *response;

  json_parser_load_from_data (parser, contents, -1, &error);
  g_assert_no_error (error);
  response = json_array_get_object_element (json_object_get_array_member (json_node_get_object (json_parser_get_root (parser)),
                                                                           "responses"),
                                            index);
  serve (server, path, json_object_get_int_member (response, "status"), "application/json",
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

static char *
test_source (VigilSource  *source,
             GError      **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  vigil_source_test_async (source, NULL, result_cb, &result);

  return vigil_source_test_finish (source, wait_for (&result), error);
}

static VigilSourceConfig *
config_for (VigilSourceKind  kind,
            const char      *urls)
{
  VigilSourceConfig *config = vigil_source_config_new (kind);

  config->name = g_strdup ("test source");
  g_strfreev (config->urls);
  config->urls = g_strsplit (urls, ",", -1);

  return config;
}

static guint
closed_port (void)
{
  g_autoptr(GSocket) socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM,
                                            G_SOCKET_PROTOCOL_TCP, NULL);
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;

  g_assert_true (g_socket_bind (socket, address, TRUE, NULL));
  bound = g_socket_get_local_address (socket, NULL);

  return g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
}

static const char *empty_prometheus_alerts = "{\"status\":\"success\",\"data\":{\"alerts\":[]}}";

static void
test_headers_reach_the_server (void)
{
  g_autoptr(Server) server = server_new ();
  g_autofree char *url = g_strconcat (server->base_url, "/prometheus/", NULL);
  g_autoptr(VigilSourceConfig) config = config_for (VIGIL_SOURCE_KIND_PROMETHEUS, url);
  g_autoptr(VigilSource) source = NULL;
  g_autoptr(GPtrArray) alerts = NULL;
  g_autoptr(GError) error = NULL;

  serve (server, "/prometheus/api/v1/alerts", 200, "application/json", empty_prometheus_alerts);

  config->tenant = g_strdup ("team-a");
  g_strfreev (config->headers);
  config->headers = g_strsplit ("X-Team|on-call|X-Trace-Sampled|1", "|", -1);
  config->auth = VIGIL_AUTH_BEARER;
  source = vigil_source_new_from_config (config, "s3cr3t-token", &error);
  g_assert_no_error (error);

  alerts = poll_source (source, &error);
  g_assert_no_error (error);
  g_assert_nonnull (alerts);

  /* The path prefix is kept. */
  g_assert_cmpstr (server->last_path, ==, "/prometheus/api/v1/alerts");
  g_assert_cmpstr (header (server, "x-scope-orgid"), ==, "team-a");
  g_assert_cmpstr (header (server, "x-team"), ==, "on-call");
  g_assert_cmpstr (header (server, "x-trace-sampled"), ==, "1");
  g_assert_cmpstr (header (server, "authorization"), ==, "Bearer s3cr3t-token");
  g_assert_null (vigil_source_get_warning (source));

  /* A new secret from the keyring applies from the next request. */
  vigil_source_set_secret (source, "rotated");
  g_clear_pointer (&alerts, g_ptr_array_unref);
  alerts = poll_source (source, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (header (server, "authorization"), ==, "Bearer rotated");
}

static void
test_basic_auth_and_401 (void)
{
  g_autoptr(Server) server = server_new ();
  g_autoptr(VigilSourceConfig) config = config_for (VIGIL_SOURCE_KIND_ALERTMANAGER, server->base_url);
  g_autoptr(VigilSource) source = NULL;
  g_autoptr(GPtrArray) alerts = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GListStore) sources = g_list_store_new (VIGIL_TYPE_SOURCE);
  g_autoptr(GListStore) no_alerts = g_list_store_new (VIGIL_TYPE_ALERT);
  g_autofree char *report = NULL;

  serve (server, "/api/v2/alerts", 401, "text/plain; charset=utf-8", "Unauthorized\n");

  config->auth = VIGIL_AUTH_BASIC;
  config->username = g_strdup ("vigil");
  source = vigil_source_new_from_config (config, "hunter2", &error);
  g_assert_no_error (error);

  alerts = poll_source (source, &error);
  g_assert_null (alerts);
  g_assert_cmpstr (header (server, "authorization"), ==, "Basic dmlnaWw6aHVudGVyMg==");
  g_assert_error (error, VIGIL_SOURCE_ERROR, VIGIL_SOURCE_ERROR_UNAUTHORIZED);
  g_assert_nonnull (strstr (error->message, "check the user name, password or token"));
  g_assert_null (strstr (error->message, "hunter2"));
  g_assert_cmpint (vigil_source_get_health (source), ==, VIGIL_SOURCE_HEALTH_ERROR);

  /* Nor in anything `vigil --status` prints. */
  g_list_store_append (sources, source);
  for (VigilStatusFormat format = VIGIL_STATUS_FORMAT_TEXT; format <= VIGIL_STATUS_FORMAT_WAYBAR; format++)
    {
      g_free (report);
      report = vigil_status_report_format (format, G_LIST_MODEL (sources), G_LIST_MODEL (no_alerts));
      g_assert_null (strstr (report, "hunter2"));
      g_assert_null (strstr (report, "dmlnaWw6aHVudGVyMg"));
      if (format != VIGIL_STATUS_FORMAT_WAYBAR)
        g_assert_nonnull (strstr (report, "check the user name, password or token"));
    }
}

/* Fingerprints of case 15, listed by both replicas. */
static guint
count_fingerprint (GPtrArray  *alerts,
                   const char *fingerprint)
{
  guint n = 0;

  for (guint i = 0; i < alerts->len; i++)
    if (g_strcmp0 (vigil_alert_get_fingerprint (g_ptr_array_index (alerts, i)), fingerprint) == 0)
      n++;

  return n;
}

static void
test_cluster_members_merged (void)
{
  g_autoptr(Server) one = server_new ();
  g_autoptr(Server) two = server_new ();
  g_autofree char *urls = g_strdup_printf ("%s,%s", one->base_url, two->base_url);
  g_autoptr(VigilSourceConfig) config = config_for (VIGIL_SOURCE_KIND_ALERTMANAGER, urls);
  g_autoptr(VigilSource) source = NULL;
  g_autoptr(GPtrArray) alerts = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *down = NULL;
  guint n_merged;

  serve_bundle (one, "/api/v2/alerts", "15-ha-duplicate-fingerprints.json", 0);
  serve_bundle (two, "/api/v2/alerts", "15-ha-duplicate-fingerprints.json", 1);

  source = vigil_source_new_from_config (config, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_strv_length ((char **) vigil_source_get_urls (source)), ==, 2);

  alerts = poll_source (source, &error);
  g_assert_no_error (error);
  /* Both replicas list both fingerprints: each is shown once. */
  g_assert_cmpuint (count_fingerprint (alerts, "982df89a804bd383"), ==, 1);
  g_assert_cmpuint (count_fingerprint (alerts, "c9a73c0efebff583"), ==, 1);
  n_merged = alerts->len;
  g_assert_cmpint (vigil_source_get_health (source), ==, VIGIL_SOURCE_HEALTH_OK);
  g_assert_null (vigil_source_get_warning (source));
  for (guint i = 0; i < alerts->len; i++)
    g_assert_cmpstr (vigil_alert_get_source (g_ptr_array_index (alerts, i)), ==, "test source");

  /* One member goes down: the alerts stay, and the warning says which. */
  server_stop (two);
  g_clear_pointer (&alerts, g_ptr_array_unref);
  alerts = poll_source (source, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (alerts->len, ==, n_merged);
  g_assert_cmpint (vigil_source_get_health (source), ==, VIGIL_SOURCE_HEALTH_OK);
  g_assert_null (vigil_source_get_error_message (source));
  down = g_strdup_printf ("Connection refused by 127.0.0.1:%u", two->port);
  g_assert_nonnull (vigil_source_get_warning (source));
  g_assert_nonnull (strstr (vigil_source_get_warning (source), "1 of 2 cluster members did not answer"));
  g_assert_nonnull (strstr (vigil_source_get_warning (source), down));

  /* The answering member is the truth: what it no longer lists is gone. */
  serve (one, "/api/v2/alerts", 200, "application/json", "[]");
  g_clear_pointer (&alerts, g_ptr_array_unref);
  alerts = poll_source (source, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (alerts->len, ==, 0);

  /* Both down: an error, and the last good list is kept. */
  serve_bundle (one, "/api/v2/alerts", "15-ha-duplicate-fingerprints.json", 0);
  g_clear_pointer (&alerts, g_ptr_array_unref);
  alerts = poll_source (source, &error);
  g_assert_no_error (error);
  server_stop (one);
  g_clear_pointer (&alerts, g_ptr_array_unref);
  alerts = poll_source (source, &error);
  g_assert_null (alerts);
  g_assert_error (error, VIGIL_SOURCE_ERROR, VIGIL_SOURCE_ERROR_CONNECTION);
  g_assert_true (g_str_has_prefix (error->message, "No member of the cluster answered (2 members)."));
  g_assert_cmpint (vigil_source_get_health (source), ==, VIGIL_SOURCE_HEALTH_ERROR);
  g_assert_cmpuint (vigil_source_get_alerts (source)->len, >, 0);
  g_assert_null (vigil_source_get_warning (source));
}

static void
test_connection_prometheus (void)
{
  g_autoptr(Server) server = server_new ();
  g_autoptr(VigilSourceConfig) config = config_for (VIGIL_SOURCE_KIND_PROMETHEUS, server->base_url);
  g_autoptr(VigilSource) source = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *buildinfo = read_file ("status", "prometheus-buildinfo.json");
  g_autofree char *answer = NULL;
  g_autofree char *fallback = NULL;

  source = vigil_source_new_from_config (config, NULL, &error);
  g_assert_no_error (error);

  serve (server, "/api/v1/status/buildinfo", 200, "application/json", buildinfo);
  answer = test_source (source, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (answer, ==, "Prometheus 2.42.0+ds.");
  /* Testing does not change what the health line says. */
  g_assert_cmpint (vigil_source_get_health (source), ==, VIGIL_SOURCE_HEALTH_UNKNOWN);

  /* A server without buildinfo (404) is asked a query instead. */
  g_hash_table_remove_all (server->routes);
  serve (server, "/api/v1/query", 200, "application/json",
         "{\"status\":\"success\",\"data\":{\"resultType\":\"scalar\",\"result\":[1700000000,\"1\"]}}");
  fallback = test_source (source, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (fallback, ==, "A Prometheus-compatible server answered a test query; it does not report its version.");

  /* An HTML page is the error in words. */
  g_hash_table_remove_all (server->routes);
  serve (server, "/api/v1/status/buildinfo", 200, "text/html", "<html><body>Sign in</body></html>");
  g_assert_null (test_source (source, &error));
  g_assert_error (error, VIGIL_SOURCE_ERROR, VIGIL_SOURCE_ERROR_NOT_JSON);
  g_assert_nonnull (strstr (error->message, "HTML page"));
}

static void
test_connection_alertmanager_cluster (void)
{
  g_autoptr(Server) server = server_new ();
  guint port = closed_port ();
  g_autofree char *urls = g_strdup_printf ("%s,http://127.0.0.1:%u", server->base_url, port);
  g_autoptr(VigilSourceConfig) config = config_for (VIGIL_SOURCE_KIND_ALERTMANAGER, urls);
  g_autoptr(VigilSource) source = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *status = read_file ("status", "alertmanager-status-cluster.json");
  g_autofree char *answer = NULL;
  g_auto(GStrv) lines = NULL;
  g_autofree char *first_prefix = g_strdup_printf ("127.0.0.1:%u: Alertmanager 0.25.0, cluster ready with 2 members", server->port);
  g_autofree char *second_prefix = g_strdup_printf ("127.0.0.1:%u: Connection refused by 127.0.0.1:%u", port, port);

  serve (server, "/api/v2/status", 200, "application/json", status);
  source = vigil_source_new_from_config (config, NULL, &error);
  g_assert_no_error (error);

  answer = test_source (source, &error);
  g_assert_no_error (error);
  lines = g_strsplit (answer, "\n", -1);
  g_assert_cmpuint (g_strv_length (lines), ==, 2);
  g_assert_true (g_str_has_prefix (lines[0], first_prefix));
  g_assert_true (g_str_has_prefix (lines[1], second_prefix));

  /* A Prometheus at an Alertmanager address is told apart. */
  serve (server, "/api/v2/status", 200, "application/json",
         "{\"status\":\"success\",\"data\":{\"version\":\"2.42.0\"}}");
  g_assert_null (test_source (source, &error));
  g_assert_nonnull (error);
  g_assert_true (g_str_has_prefix (error->message, "No member of the cluster answered (2 members)."));
  g_assert_nonnull (strstr (error->message, "is this the address of an Alertmanager?"));
}

static void
test_tls_warning_and_bad_files (void)
{
  g_autoptr(Server) server = server_new ();
  g_autoptr(VigilSourceConfig) config = config_for (VIGIL_SOURCE_KIND_PROMETHEUS, server->base_url);
  g_autoptr(VigilSourceConfig) bad_ca = config_for (VIGIL_SOURCE_KIND_PROMETHEUS, server->base_url);
  g_autoptr(VigilSource) source = NULL;
  g_autoptr(VigilSource) broken = NULL;
  g_autoptr(GPtrArray) alerts = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GListStore) sources = g_list_store_new (VIGIL_TYPE_SOURCE);
  g_autoptr(GListStore) no_alerts = g_list_store_new (VIGIL_TYPE_ALERT);
  g_autofree char *text = NULL;
  g_autofree char *json = NULL;

  serve (server, "/api/v1/alerts", 200, "application/json", empty_prometheus_alerts);

  /* Turning verification off is never silent. */
  config->tls_verify = FALSE;
  source = vigil_source_new_from_config (config, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (vigil_source_get_warning (source));
  g_assert_nonnull (strstr (vigil_source_get_warning (source), "TLS certificate checks are off"));
  alerts = poll_source (source, &error);
  g_assert_no_error (error);
  g_assert_nonnull (strstr (vigil_source_get_warning (source), "TLS certificate checks are off"));

  g_list_store_append (sources, source);
  text = vigil_status_report_format (VIGIL_STATUS_FORMAT_TEXT, G_LIST_MODEL (sources), G_LIST_MODEL (no_alerts));
  g_assert_true (g_str_has_prefix (text, "WARN "));
  g_assert_nonnull (strstr (text, "TLS certificate checks are off"));
  json = vigil_status_report_format (VIGIL_STATUS_FORMAT_JSON, G_LIST_MODEL (sources), G_LIST_MODEL (no_alerts));
  g_assert_nonnull (strstr (json, "\"warning\" : \"TLS certificate checks are off"));

  /* A CA file that is not there: the source exists and says why it
   * cannot work. */
  bad_ca->ca_file = g_strdup ("/nonexistent/vigil-test-ca.pem");
  broken = vigil_source_new_from_config (bad_ca, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (vigil_source_get_health (broken), ==, VIGIL_SOURCE_HEALTH_ERROR);
  g_assert_nonnull (strstr (vigil_source_get_error_message (broken),
                            "The CA file “/nonexistent/vigil-test-ca.pem” does not exist"));
  g_assert_null (poll_source (broken, &error));
  g_assert_error (error, VIGIL_SOURCE_ERROR, VIGIL_SOURCE_ERROR_TLS);
}

static void
store_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

static void
test_secrets_round_trip (void)
{
  g_autoptr(GAsyncResult) stored = NULL;
  g_autoptr(GAsyncResult) found = NULL;
  g_autoptr(GAsyncResult) missing = NULL;
  g_autoptr(GAsyncResult) cleared = NULL;
  g_autoptr(GAsyncResult) gone = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *keyring = NULL;
  char *secret;

  vigil_secrets_store_async ("source-1", "Production", "hunter2-in-keyring", NULL, store_cb, &stored);
  g_assert_true (vigil_secrets_store_finish (wait_for (&stored), &error));
  g_assert_no_error (error);

  vigil_secrets_lookup_async ("source-1", NULL, result_cb, &found);
  secret = vigil_secrets_lookup_finish (wait_for (&found), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (secret, ==, "hunter2-in-keyring");
  vigil_secrets_free (secret);

  /* Another source has none: NULL, and no error. */
  vigil_secrets_lookup_async ("source-2", NULL, result_cb, &missing);
  g_assert_null (vigil_secrets_lookup_finish (wait_for (&missing), &error));
  g_assert_no_error (error);

  /* The keyring file is encrypted: the password is not in it as text. */
  g_file_get_contents (g_getenv ("SECRET_FILE_TEST_PATH"), &keyring, NULL, &error);
  g_assert_no_error (error);
  g_assert_null (strstr (keyring, "hunter2-in-keyring"));

  vigil_secrets_clear_async ("source-1", NULL, result_cb, &cleared);
  g_assert_true (vigil_secrets_clear_finish (wait_for (&cleared), &error));
  g_assert_no_error (error);
  vigil_secrets_lookup_async ("source-1", NULL, result_cb, &gone);
  g_assert_null (vigil_secrets_lookup_finish (wait_for (&gone), &error));
  g_assert_no_error (error);
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *keyring_dir = NULL;
  g_autofree char *keyring = NULL;
  int status;

  /* A keyring of the test's own, which needs no D-Bus and no unlocking. */
  keyring_dir = g_dir_make_tmp ("vigil-test-keyring-XXXXXX", NULL);
  g_assert_nonnull (keyring_dir);
  keyring = g_build_filename (keyring_dir, "keyring", NULL);
  g_setenv ("SECRET_BACKEND", "file", TRUE);
  g_setenv ("SECRET_FILE_TEST_PATH", keyring, TRUE);
  g_setenv ("SECRET_FILE_TEST_PASSWORD", "vigil-test", TRUE);

  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/vigil/source-http/headers-reach-the-server", test_headers_reach_the_server);
  g_test_add_func ("/vigil/source-http/basic-auth-and-401", test_basic_auth_and_401);
  g_test_add_func ("/vigil/source-http/cluster-members-merged", test_cluster_members_merged);
  g_test_add_func ("/vigil/source-http/test-connection-prometheus", test_connection_prometheus);
  g_test_add_func ("/vigil/source-http/test-connection-alertmanager-cluster", test_connection_alertmanager_cluster);
  g_test_add_func ("/vigil/source-http/tls-warning-and-bad-files", test_tls_warning_and_bad_files);
  g_test_add_func ("/vigil/secrets/round-trip", test_secrets_round_trip);

  status = g_test_run ();

  g_unlink (keyring);
  g_rmdir (keyring_dir);

  return status;
}
