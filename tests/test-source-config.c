/* SPDX-License-Identifier: GPL-3.0-or-later */

/* The configured sources as the `sources` key keeps them, and the pure
 * parsers of what servers say about themselves (Prometheus' buildinfo,
 * Alertmanager's status), on answers captured from Debian's servers. */

#include "config.h"

#include "vigil-parse.h"
#include "vigil-server-info.h"
#include "vigil-source-config.h"

static GBytes *
read_status_fixture (const char *name)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "fixtures", "status", name, NULL);
  g_autoptr(GError) error = NULL;
  char *contents = NULL;
  gsize length = 0;

  g_file_get_contents (path, &contents, &length, &error);
  g_assert_no_error (error);

  return g_bytes_new_take (contents, length);
}

static GBytes *
bytes_from_string (const char *text)
{
  return g_bytes_new (text, strlen (text));
}

static VigilSourceConfig *
full_config (void)
{
  VigilSourceConfig *config = vigil_source_config_new (VIGIL_SOURCE_KIND_ALERTMANAGER);

  config->name = g_strdup ("Production “EU”");
  g_strfreev (config->urls);
  config->urls = g_strsplit ("https://am-1.example.com:9093,https://am-2.example.com:9093/prefix", ",", -1);
  config->tenant = g_strdup ("team-a");
  g_strfreev (config->headers);
  config->headers = g_strsplit ("X-Team|on-call|X-Trace|1", "|", -1);
  config->auth = VIGIL_AUTH_BASIC;
  config->username = g_strdup ("vigil");
  config->ca_file = g_strdup ("/etc/ssl/private-ca.pem");
  config->client_certificate = g_strdup ("/home/me/client.pem");
  config->client_key = g_strdup ("/home/me/client.key");
  config->tls_verify = FALSE;

  return config;
}

static void
test_variant_round_trip (void)
{
  g_autoptr(VigilSourceConfig) config = full_config ();
  g_autoptr(VigilSourceConfig) back = NULL;
  g_autoptr(GVariant) variant = g_variant_ref_sink (vigil_source_config_to_variant (config));
  g_autofree char *text = g_variant_print (variant, TRUE);

  g_assert_true (g_variant_is_of_type (variant, G_VARIANT_TYPE ("a{sv}")));
  back = vigil_source_config_from_variant (variant);
  g_assert_nonnull (back);
  g_assert_true (vigil_source_config_equal (config, back));
  g_assert_cmpstr (back->headers[2], ==, "X-Trace");
  g_assert_false (back->tls_verify);

  /* The settings never hold a secret: there is no member for one. */
  g_assert_null (strstr (text, "password"));
  g_assert_null (strstr (text, "token"));
  g_assert_nonnull (strstr (text, "'auth': <'basic'>"));
}

static void
test_variant_defaults (void)
{
  g_autoptr(GVariant) variant = NULL;
  g_autoptr(VigilSourceConfig) config = NULL;
  g_autoptr(GVariant) not_a_dict = g_variant_ref_sink (g_variant_new_string ("x"));

  /* A newer Vigil may add members; an older one may lack some. */
  variant = g_variant_parse (G_VARIANT_TYPE ("a{sv}"),
                             "{'kind': <'prometheus'>, 'urls': <['http://127.0.0.1:9090/', '']>,"
                             " 'auth': <'kerberos'>, 'future': <42>}",
                             NULL, NULL, NULL);
  config = vigil_source_config_from_variant (variant);
  g_assert_nonnull (config);
  g_assert_cmpint (config->kind, ==, VIGIL_SOURCE_KIND_PROMETHEUS);
  g_assert_cmpuint (g_strv_length (config->urls), ==, 1);
  g_assert_cmpstr (config->name, ==, "127.0.0.1:9090");
  g_assert_nonnull (config->id);
  g_assert_cmpint (config->auth, ==, VIGIL_AUTH_NONE);
  g_assert_true (config->tls_verify);
  g_assert_null (config->tenant);
  g_assert_cmpuint (g_strv_length (config->headers), ==, 0);

  g_assert_null (vigil_source_config_from_variant (not_a_dict));
}

static void
test_list_with_legacy_keys (void)
{
  const char *alertmanagers[] = { "http://127.0.0.1:9093", " ", "http://127.0.0.1:9094/", NULL };
  const char *prometheus[] = { "http://127.0.0.1:9090", NULL };
  g_autoptr(GVariant) sources = NULL;
  g_autoptr(GPtrArray) configs = NULL;
  g_autoptr(GVariant) saved = NULL;
  VigilSourceConfig *first, *second;

  sources = g_variant_parse (G_VARIANT_TYPE ("aa{sv}"),
                             "[{'id': <'a'>, 'name': <'127.0.0.1:9093'>, 'kind': <'alertmanager'>,"
                             "  'urls': <['http://10.0.0.1:9093', 'http://10.0.0.2:9093']>},"
                             " {'id': <'a'>, 'name': <'second'>, 'kind': <'prometheus'>,"
                             "  'urls': <['http://10.0.0.3:9090']>}]",
                             NULL, NULL, NULL);
  configs = vigil_source_config_list_load (sources, alertmanagers, prometheus);

  g_assert_cmpuint (configs->len, ==, 5);
  first = g_ptr_array_index (configs, 0);
  second = g_ptr_array_index (configs, 1);
  g_assert_cmpuint (g_strv_length (first->urls), ==, 2);
  g_assert_false (first->legacy);
  /* Two sources never share a keyring entry. */
  g_assert_cmpstr (first->id, !=, second->id);

  /* The legacy URL has the same name as the first source: names tell
   * sources apart in the alert list, so it is renamed. */
  g_assert_true (((VigilSourceConfig *) g_ptr_array_index (configs, 2))->legacy);
  g_assert_cmpstr (((VigilSourceConfig *) g_ptr_array_index (configs, 2))->name, ==, "127.0.0.1:9093 (2)");
  g_assert_cmpstr (((VigilSourceConfig *) g_ptr_array_index (configs, 3))->name, ==, "127.0.0.1:9094");
  g_assert_cmpint (((VigilSourceConfig *) g_ptr_array_index (configs, 4))->kind, ==, VIGIL_SOURCE_KIND_PROMETHEUS);

  saved = g_variant_ref_sink (vigil_source_config_list_to_variant (configs));
  g_assert_cmpuint (g_variant_n_children (saved), ==, 5);
}

typedef struct {
  const char *what;
  void      (*change) (VigilSourceConfig *config);
  const char *expected;
} ValidationCase;

static void
set_url_with_password (VigilSourceConfig *config)
{
  g_free (config->urls[0]);
  config->urls[0] = g_strdup ("https://vigil:hunter2@am.example.com");
}

static void
set_ftp_url (VigilSourceConfig *config)
{
  g_free (config->urls[0]);
  config->urls[0] = g_strdup ("ftp://am.example.com");
}

static void
set_prometheus_with_two_urls (VigilSourceConfig *config)
{
  config->kind = VIGIL_SOURCE_KIND_PROMETHEUS;
}

static void
set_authorization_header (VigilSourceConfig *config)
{
  g_free (config->headers[0]);
  config->headers[0] = g_strdup ("authorization");
}

static void
set_header_with_newline (VigilSourceConfig *config)
{
  g_free (config->headers[1]);
  config->headers[1] = g_strdup ("a\r\nHost: evil");
}

static void
set_bad_header_name (VigilSourceConfig *config)
{
  g_free (config->headers[0]);
  config->headers[0] = g_strdup ("X Team");
}

static void
set_basic_without_user (VigilSourceConfig *config)
{
  g_clear_pointer (&config->username, g_free);
}

static void
set_no_name (VigilSourceConfig *config)
{
  g_free (config->name);
  config->name = g_strdup ("  ");
}

static void
set_key_without_certificate (VigilSourceConfig *config)
{
  g_clear_pointer (&config->client_certificate, g_free);
}

static const ValidationCase validation_cases[] = {
  { "password in the URL", set_url_with_password, "not in the address" },
  { "not http", set_ftp_url, "is not a web address" },
  { "Prometheus with two URLs", set_prometheus_with_two_urls, "A Prometheus source has one address" },
  { "Authorization as an extra header", set_authorization_header, "carries a credential" },
  { "header injection", set_header_with_newline, "must be one line" },
  { "header name with a space", set_bad_header_name, "is not a valid header name" },
  { "basic auth without a user", set_basic_without_user, "needs a user name" },
  { "no name", set_no_name, "Give the source a name" },
  { "key without certificate", set_key_without_certificate, "needs its client certificate" },
};

static void
test_validation (void)
{
  g_autoptr(VigilSourceConfig) good = full_config ();
  g_autoptr(GError) error = NULL;

  g_assert_true (vigil_source_config_validate (good, &error));
  g_assert_no_error (error);

  for (guint i = 0; i < G_N_ELEMENTS (validation_cases); i++)
    {
      g_autoptr(VigilSourceConfig) config = full_config ();
      g_autoptr(GError) case_error = NULL;

      g_test_message ("%s", validation_cases[i].what);
      validation_cases[i].change (config);
      g_assert_false (vigil_source_config_validate (config, &case_error));
      g_assert_error (case_error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
      g_assert_nonnull (strstr (case_error->message, validation_cases[i].expected));
      /* The sentence never repeats the password it refused. */
      g_assert_null (strstr (case_error->message, "hunter2"));
    }
}

static void
test_split_and_names (void)
{
  g_auto(GStrv) urls = vigil_source_config_split_urls (" http://a:1 ,http://b:2\nhttp://c:3,, ");
  const char *members[] = { "http://127.0.0.1:9093/", "https://am.example.com/prefix/", NULL };
  g_autoptr(VigilSourceConfig) cluster = vigil_source_config_new_for_urls (VIGIL_SOURCE_KIND_ALERTMANAGER, members);
  g_autofree char *name = vigil_source_config_name_from_url ("https://host/prometheus/");

  g_assert_cmpuint (g_strv_length (urls), ==, 3);
  g_assert_cmpstr (urls[1], ==, "http://b:2");
  g_assert_cmpstr (cluster->name, ==, "127.0.0.1:9093, am.example.com/prefix");
  g_assert_cmpuint (g_strv_length (cluster->urls), ==, 2);
  g_assert_cmpstr (name, ==, "host/prometheus");
}

static void
test_buildinfo (void)
{
  g_autoptr(GBytes) prometheus = read_status_fixture ("prometheus-buildinfo.json");
  g_autoptr(GBytes) victoria = read_status_fixture ("victoriametrics-buildinfo.json");
  g_autoptr(GBytes) envelope_error = bytes_from_string ("{\"status\":\"error\",\"errorType\":\"internal\",\"error\":\"boom\"}");
  g_autoptr(GBytes) html = bytes_from_string ("<html>login</html>");
  g_autoptr(VigilServerInfo) info = NULL;
  g_autoptr(VigilServerInfo) vm = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *sentence = NULL;
  g_autofree char *vm_sentence = NULL;

  info = vigil_prometheus_parse_buildinfo (prometheus, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (info->version, ==, "2.42.0+ds");
  sentence = vigil_server_info_describe (info, NULL);
  g_assert_cmpstr (sentence, ==, "Prometheus 2.42.0+ds.");

  vm = vigil_prometheus_parse_buildinfo (victoria, &error);
  g_assert_no_error (error);
  g_assert_null (vm->version);
  vm_sentence = vigil_server_info_describe (vm, NULL);
  g_assert_cmpstr (vm_sentence, ==, "A Prometheus-compatible server that does not say its version.");

  g_assert_null (vigil_prometheus_parse_buildinfo (envelope_error, &error));
  g_assert_error (error, VIGIL_PROMETHEUS_ERROR, VIGIL_PROMETHEUS_ERROR_OTHER);
  g_assert_cmpstr (error->message, ==, "boom");
  g_clear_error (&error);

  g_assert_null (vigil_prometheus_parse_buildinfo (html, &error));
  g_assert_error (error, VIGIL_PARSE_ERROR, VIGIL_PARSE_ERROR_NOT_JSON);
}

static void
test_alertmanager_status (void)
{
  g_autoptr(GBytes) cluster = read_status_fixture ("alertmanager-status-cluster.json");
  g_autoptr(GBytes) single = read_status_fixture ("alertmanager-status-single.json");
  g_autoptr(GBytes) prometheus = read_status_fixture ("prometheus-buildinfo.json");
  g_autoptr(VigilServerInfo) info = NULL;
  g_autoptr(VigilServerInfo) alone = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GDateTime) later = NULL;
  g_autofree char *sentence = NULL;
  g_autofree char *alone_sentence = NULL;

  info = vigil_alertmanager_parse_status (cluster, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (info->version, ==, "0.25.0");
  g_assert_cmpstr (info->cluster_status, ==, "ready");
  g_assert_cmpuint (g_strv_length (info->peers), ==, 2);
  g_assert_true (g_str_has_prefix (info->peers[0], "127.0.0.1:"));
  g_assert_nonnull (info->uptime);

  later = g_date_time_add_minutes (info->uptime, 125);
  sentence = vigil_server_info_describe (info, later);
  g_assert_true (g_str_has_prefix (sentence, "Alertmanager 0.25.0, cluster ready with 2 members (127.0.0.1:"));
  g_assert_true (g_str_has_suffix (sentence, "), up for 2 h 5 min."));

  alone = vigil_alertmanager_parse_status (single, &error);
  g_assert_no_error (error);
  alone_sentence = vigil_server_info_describe (alone, NULL);
  g_assert_cmpstr (alone_sentence, ==, "Alertmanager 0.25.0, not clustered.");

  /* A Prometheus answer at an Alertmanager address is not a status. */
  g_assert_null (vigil_alertmanager_parse_status (prometheus, &error));
  g_assert_error (error, VIGIL_PARSE_ERROR, VIGIL_PARSE_ERROR_UNEXPECTED);
  g_assert_nonnull (strstr (error->message, "Alertmanager"));
}

static void
test_hostile_status (void)
{
  g_autoptr(GString) long_version = g_string_new ("{\"versionInfo\":{\"version\":\"");
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GBytes) odd = bytes_from_string ("{\"versionInfo\":{\"version\":7},\"cluster\":{\"status\":\"ready\",\"peers\":[1,{\"address\":\"a\\nb\"},{}]}}");
  g_autoptr(VigilServerInfo) info = NULL;
  g_autoptr(VigilServerInfo) odd_info = NULL;
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < 10000; i++)
    g_string_append_c (long_version, 'x');
  g_string_append (long_version, "\"}}");
  body = g_bytes_new (long_version->str, long_version->len);

  /* A sentence stays readable whatever the server sends. */
  info = vigil_alertmanager_parse_status (body, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (strlen (info->version), <=, 120);

  odd_info = vigil_alertmanager_parse_status (odd, &error);
  g_assert_no_error (error);
  g_assert_null (odd_info->version);
  g_assert_cmpuint (g_strv_length (odd_info->peers), ==, 1);
  g_assert_cmpstr (odd_info->peers[0], ==, "a b");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/vigil/source-config/variant-round-trip", test_variant_round_trip);
  g_test_add_func ("/vigil/source-config/variant-defaults", test_variant_defaults);
  g_test_add_func ("/vigil/source-config/list-with-legacy-keys", test_list_with_legacy_keys);
  g_test_add_func ("/vigil/source-config/validation", test_validation);
  g_test_add_func ("/vigil/source-config/split-and-names", test_split_and_names);
  g_test_add_func ("/vigil/server-info/buildinfo", test_buildinfo);
  g_test_add_func ("/vigil/server-info/alertmanager-status", test_alertmanager_status);
  g_test_add_func ("/vigil/server-info/hostile", test_hostile_status);

  return g_test_run ();
}
