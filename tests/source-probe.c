/* SPDX-License-Identifier: GPL-3.0-or-later */

/* A helper of the integration tests: builds one source from a
 * configuration (the a{sv} of the `sources` key, in GVariant text), runs
 * "Test connection", one poll and optionally one query against the real
 * server, and prints what Vigil made of it as JSON.
 *
 *   source-probe CONFIG [--query=PROMQL]    the secret, if any, on stdin
 *   source-probe CONFIG --store-secret      stores stdin in the keyring
 *
 * Secrets come on stdin, never on the command line. */

#include "config.h"

#include <json-glib/json-glib.h>
#include <stdio.h>

#include "vigil-prometheus-client.h"
#include "vigil-secrets.h"
#include "vigil-source.h"

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

static char *
read_stdin (void)
{
  g_autoptr(GString) text = g_string_new (NULL);
  char buffer[256];
  size_t n;

  while ((n = fread (buffer, 1, sizeof buffer, stdin)) > 0)
    g_string_append_len (text, buffer, n);

  /* A trailing newline from `echo` is not part of a password. */
  while (text->len > 0 && (text->str[text->len - 1] == '\n' || text->str[text->len - 1] == '\r'))
    g_string_truncate (text, text->len - 1);

  return g_string_free (g_steal_pointer (&text), FALSE);
}

static void
add_string_or_null (JsonBuilder *builder,
                    const char  *member,
                    const char  *value)
{
  json_builder_set_member_name (builder, member);
  if (value != NULL)
    json_builder_add_string_value (builder, value);
  else
    json_builder_add_null_value (builder);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GVariant) variant = NULL;
  g_autoptr(VigilSourceConfig) config = NULL;
  g_autoptr(VigilSource) source = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) test_error = NULL;
  g_autoptr(GError) poll_error = NULL;
  g_autoptr(GError) query_error = NULL;
  g_autoptr(GAsyncResult) tested = NULL;
  g_autoptr(GAsyncResult) polled = NULL;
  g_autoptr(GAsyncResult) queried = NULL;
  g_autoptr(GPtrArray) alerts = NULL;
  g_autoptr(VigilQueryResult) result = NULL;
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *answer = NULL;
  g_autofree char *secret = NULL;
  g_autofree char *json = NULL;
  const char *query = NULL;
  gboolean store = FALSE;

  /* As vigil_application_new() does: see there. */
  g_setenv ("SOUP_FORCE_HTTP1", "1", FALSE);

  if (argc < 2)
    {
      g_printerr ("usage: %s CONFIG [--query=PROMQL | --store-secret]\n", argv[0]);
      return 2;
    }

  for (int i = 2; i < argc; i++)
    {
      if (g_str_has_prefix (argv[i], "--query="))
        query = argv[i] + strlen ("--query=");
      else if (g_strcmp0 (argv[i], "--store-secret") == 0)
        store = TRUE;
    }

  variant = g_variant_parse (G_VARIANT_TYPE ("a{sv}"), argv[1], NULL, NULL, &error);
  if (variant == NULL)
    {
      g_printerr ("%s\n", error->message);
      return 2;
    }
  config = vigil_source_config_from_variant (variant);

  if (store)
    {
      g_autoptr(GAsyncResult) stored = NULL;

      secret = read_stdin ();
      vigil_secrets_store_async (config->id, config->name, secret, NULL, result_cb, &stored);
      if (!vigil_secrets_store_finish (wait_for (&stored), &error))
        {
          g_printerr ("%s\n", error->message);
          return 1;
        }
      return 0;
    }

  if (vigil_source_config_needs_secret (config))
    secret = read_stdin ();

  source = vigil_source_new_from_config (config, secret, &error);
  if (source == NULL)
    {
      g_printerr ("%s\n", error->message);
      return 2;
    }

  vigil_source_test_async (source, NULL, result_cb, &tested);
  answer = vigil_source_test_finish (source, wait_for (&tested), &test_error);

  vigil_source_poll_async (source, g_get_real_time (), NULL, result_cb, &polled);
  alerts = vigil_source_poll_finish (source, wait_for (&polled), &poll_error);

  if (query != NULL && vigil_source_get_prometheus_client (source) != NULL)
    {
      VigilPrometheusClient *client = vigil_source_get_prometheus_client (source);

      vigil_prometheus_client_query_async (client, query, 0, NULL, result_cb, &queried);
      result = vigil_prometheus_client_query_finish (client, wait_for (&queried), &query_error);
    }

  json_builder_begin_object (builder);
  add_string_or_null (builder, "test", answer);
  add_string_or_null (builder, "test_error", test_error != NULL ? test_error->message : NULL);
  json_builder_set_member_name (builder, "poll_ok");
  json_builder_add_boolean_value (builder, alerts != NULL);
  add_string_or_null (builder, "error", poll_error != NULL ? poll_error->message : NULL);
  add_string_or_null (builder, "health", vigil_source_health_to_string (vigil_source_get_health (source)));
  add_string_or_null (builder, "warning", vigil_source_get_warning (source));
  json_builder_set_member_name (builder, "alerts");
  json_builder_begin_array (builder);
  for (guint i = 0; alerts != NULL && i < alerts->len; i++)
    json_builder_add_string_value (builder, vigil_alert_get_name (g_ptr_array_index (alerts, i)));
  json_builder_end_array (builder);
  if (query != NULL)
    {
      GPtrArray *series = result != NULL ? vigil_query_result_get_series (result) : NULL;

      add_string_or_null (builder, "query_error", query_error != NULL ? query_error->message : NULL);
      json_builder_set_member_name (builder, "series");
      json_builder_begin_array (builder);
      for (guint i = 0; series != NULL && i < series->len; i++)
        {
          VigilSeries *one = g_ptr_array_index (series, i);
          g_autofree char *name = vigil_series_dup_display_name (one);
          guint n = vigil_series_get_n_samples (one);

          json_builder_begin_object (builder);
          add_string_or_null (builder, "name", name);
          json_builder_set_member_name (builder, "value");
          if (n > 0)
            json_builder_add_double_value (builder, vigil_series_get_samples (one)[n - 1].value);
          else
            json_builder_add_null_value (builder);
          json_builder_end_object (builder);
        }
      json_builder_end_array (builder);
    }
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  json = json_generator_to_data (generator, NULL);
  g_print ("%s\n", json);

  return 0;
}
