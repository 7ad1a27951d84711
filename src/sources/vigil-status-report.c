/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "vigil-status-report"

#include "config.h"

#include <math.h>
#include <string.h>

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>

#include "vigil-alert.h"
#include "vigil-source.h"
#include "vigil-status-report.h"

gboolean
vigil_status_format_from_string (const char        *word,
                                 VigilStatusFormat *format)
{
  g_return_val_if_fail (format != NULL, FALSE);

  if (g_strcmp0 (word, "text") == 0)
    *format = VIGIL_STATUS_FORMAT_TEXT;
  else if (g_strcmp0 (word, "json") == 0)
    *format = VIGIL_STATUS_FORMAT_JSON;
  else if (g_strcmp0 (word, "waybar") == 0)
    *format = VIGIL_STATUS_FORMAT_WAYBAR;
  else
    return FALSE;

  return TRUE;
}

static gboolean
source_answered (VigilSource *source)
{
  VigilSourceHealth health = vigil_source_get_health (source);

  return health == VIGIL_SOURCE_HEALTH_OK || health == VIGIL_SOURCE_HEALTH_STALE;
}

/* The reason the report is not all good, in words, with each failing
 * source's own sentence (a status bar shows only this); NULL when all is
 * well. `extra` is a problem found before polling, such as a bad URL. */
static char *
dup_problem (GListModel *sources,
             const char *extra)
{
  guint n = g_list_model_get_n_items (sources);
  guint failed = 0;
  g_autoptr(GString) reasons = g_string_new (NULL);
  GString *problem = g_string_new (extra);

  if (n == 0 && extra == NULL)
    g_string_append (problem, _("No source is configured: pass --alertmanager=URL or --prometheus=URL, or add one in Vigil’s window."));

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(VigilSource) source = g_list_model_get_item (sources, i);
      const char *message;

      if (source_answered (source))
        continue;

      failed++;
      message = vigil_source_get_error_message (source);
      g_string_append_c (reasons, ' ');
      g_string_append (reasons, message != NULL ? message : _("It did not answer."));
    }

  if (failed > 0)
    {
      if (problem->len > 0)
        g_string_append_c (problem, ' ');
      g_string_append_printf (problem,
                              g_dngettext (GETTEXT_PACKAGE,
                                           "%u of %u sources did not answer.",
                                           "%u of %u sources did not answer.", n),
                              failed, n);
      g_string_append (problem, reasons->str);
    }

  if (problem->len == 0)
    {
      g_string_free (problem, TRUE);
      return NULL;
    }

  return g_string_free (problem, FALSE);
}

static int
compare_keys (const void *a,
              const void *b)
{
  /* qsort() passes pointers to the array's elements, not the strings. */
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

static void
add_string_map (JsonBuilder *builder,
                const char  *member,
                GHashTable  *map)
{
  g_autofree const char **keys = (const char **) g_hash_table_get_keys_as_array (map, NULL);
  guint n = g_strv_length ((char **) keys);

  qsort (keys, n, sizeof (char *), compare_keys);
  json_builder_set_member_name (builder, member);
  json_builder_begin_object (builder);
  for (guint i = 0; i < n; i++)
    {
      json_builder_set_member_name (builder, keys[i]);
      json_builder_add_string_value (builder, g_hash_table_lookup (map, keys[i]));
    }
  json_builder_end_object (builder);
}

static void
add_strv (JsonBuilder        *builder,
          const char         *member,
          const char * const *values)
{
  json_builder_set_member_name (builder, member);
  json_builder_begin_array (builder);
  for (guint i = 0; values != NULL && values[i] != NULL; i++)
    json_builder_add_string_value (builder, values[i]);
  json_builder_end_array (builder);
}

/* Prometheus' own words for the state of an alert in /api/v1/alerts. */
static const char *
prometheus_state (VigilAlert *alert)
{
  return vigil_alert_get_state (alert) == VIGIL_ALERT_STATE_PENDING ? "pending" : "firing";
}

static int
compare_prometheus_alerts (gconstpointer a,
                           gconstpointer b)
{
  VigilAlert *alert_a = *(VigilAlert * const *) a;
  VigilAlert *alert_b = *(VigilAlert * const *) b;
  gboolean pending_a = vigil_alert_get_state (alert_a) == VIGIL_ALERT_STATE_PENDING;
  gboolean pending_b = vigil_alert_get_state (alert_b) == VIGIL_ALERT_STATE_PENDING;
  int by_name;

  /* Firing first, then by name, so that the output of two runs can be
   * compared line by line whatever order the server chose. */
  if (pending_a != pending_b)
    return pending_a ? 1 : -1;

  by_name = g_strcmp0 (vigil_alert_get_name (alert_a), vigil_alert_get_name (alert_b));
  if (by_name != 0)
    return by_name;

  return g_strcmp0 (vigil_alert_get_fingerprint (alert_a), vigil_alert_get_fingerprint (alert_b));
}

/* The pending and firing alerts of every Prometheus source, as its last
 * good answer to /api/v1/alerts listed them: Prometheus' own view, which
 * knows nothing of Alertmanager's silences and inhibitions. */
static GPtrArray *
collect_prometheus_alerts (GListModel *sources)
{
  GPtrArray *collected = g_ptr_array_new_with_free_func (g_object_unref);
  guint n = g_list_model_get_n_items (sources);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(VigilSource) source = g_list_model_get_item (sources, i);
      GPtrArray *alerts;

      if (vigil_source_get_kind (source) != VIGIL_SOURCE_KIND_PROMETHEUS)
        continue;

      alerts = vigil_source_get_alerts (source);
      for (guint j = 0; alerts != NULL && j < alerts->len; j++)
        g_ptr_array_add (collected, g_object_ref (g_ptr_array_index (alerts, j)));
    }

  g_ptr_array_sort (collected, compare_prometheus_alerts);

  return collected;
}

/* JSON has no NaN or infinities; Prometheus writes them as these strings,
 * and so does the report, so that a script reads every value the same
 * way Prometheus' own API gives it. */
static void
add_value (JsonBuilder *builder,
           double       value)
{
  if (isnan (value))
    json_builder_add_string_value (builder, "NaN");
  else if (isinf (value))
    json_builder_add_string_value (builder, value > 0 ? "+Inf" : "-Inf");
  else
    json_builder_add_double_value (builder, value);
}

static void
add_time (JsonBuilder *builder,
          const char  *member,
          GDateTime   *when)
{
  json_builder_set_member_name (builder, member);
  if (when != NULL)
    {
      g_autofree char *text = g_date_time_format_iso8601 (when);

      json_builder_add_string_value (builder, text);
    }
  else
    json_builder_add_null_value (builder);
}

static void
add_prometheus_alerts (JsonBuilder *builder,
                       GListModel  *sources)
{
  g_autoptr(GPtrArray) alerts = collect_prometheus_alerts (sources);

  json_builder_set_member_name (builder, "prometheus_alerts");
  json_builder_begin_array (builder);
  for (guint i = 0; i < alerts->len; i++)
    {
      VigilAlert *alert = g_ptr_array_index (alerts, i);

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "fingerprint");
      json_builder_add_string_value (builder, vigil_alert_get_fingerprint (alert));
      add_string_map (builder, "labels", vigil_alert_get_labels (alert));
      add_string_map (builder, "annotations", vigil_alert_get_annotations (alert));
      json_builder_set_member_name (builder, "state");
      json_builder_add_string_value (builder, prometheus_state (alert));
      json_builder_set_member_name (builder, "severity");
      json_builder_add_string_value (builder, vigil_severity_to_string (vigil_alert_get_severity (alert)));
      add_time (builder, "activeAt", vigil_alert_get_starts_at (alert));
      json_builder_set_member_name (builder, "value");
      add_value (builder, vigil_alert_get_value (alert));
      json_builder_set_member_name (builder, "source");
      json_builder_add_string_value (builder, vigil_alert_get_source (alert));
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
}

static char *
format_json (GListModel           *sources,
             GListModel           *alerts,
             const char           *problem,
             VigilStatusAlarmFunc  alarm_func,
             gpointer              user_data)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  guint n;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "ok");
  json_builder_add_boolean_value (builder, problem == NULL);
  json_builder_set_member_name (builder, "error");
  if (problem != NULL)
    json_builder_add_string_value (builder, problem);
  else
    json_builder_add_null_value (builder);

  json_builder_set_member_name (builder, "sources");
  json_builder_begin_array (builder);
  n = g_list_model_get_n_items (sources);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(VigilSource) source = g_list_model_get_item (sources, i);

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "name");
      json_builder_add_string_value (builder, vigil_source_get_name (source));
      json_builder_set_member_name (builder, "url");
      json_builder_add_string_value (builder, vigil_source_get_url (source));
      add_strv (builder, "urls", vigil_source_get_urls (source));
      json_builder_set_member_name (builder, "kind");
      json_builder_add_string_value (builder, vigil_source_kind_to_string (vigil_source_get_kind (source)));
      json_builder_set_member_name (builder, "ok");
      json_builder_add_boolean_value (builder, source_answered (source));
      json_builder_set_member_name (builder, "health");
      json_builder_add_string_value (builder, vigil_source_health_to_string (vigil_source_get_health (source)));
      json_builder_set_member_name (builder, "error");
      if (vigil_source_get_error_message (source) != NULL)
        json_builder_add_string_value (builder, vigil_source_get_error_message (source));
      else
        json_builder_add_null_value (builder);
      json_builder_set_member_name (builder, "warning");
      if (vigil_source_get_warning (source) != NULL)
        json_builder_add_string_value (builder, vigil_source_get_warning (source));
      else
        json_builder_add_null_value (builder);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);

  json_builder_set_member_name (builder, "alerts");
  json_builder_begin_array (builder);
  n = g_list_model_get_n_items (alerts);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(VigilAlert) alert = g_list_model_get_item (alerts, i);
      GDateTime *starts_at = vigil_alert_get_starts_at (alert);

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "fingerprint");
      json_builder_add_string_value (builder, vigil_alert_get_fingerprint (alert));
      add_string_map (builder, "labels", vigil_alert_get_labels (alert));
      add_string_map (builder, "annotations", vigil_alert_get_annotations (alert));
      json_builder_set_member_name (builder, "state");
      json_builder_add_string_value (builder, vigil_alert_state_to_string (vigil_alert_get_state (alert)));
      add_strv (builder, "silencedBy", vigil_alert_get_silenced_by (alert));
      add_strv (builder, "inhibitedBy", vigil_alert_get_inhibited_by (alert));
      json_builder_set_member_name (builder, "severity");
      json_builder_add_string_value (builder, vigil_severity_to_string (vigil_alert_get_severity (alert)));
      json_builder_set_member_name (builder, "startsAt");
      if (starts_at != NULL)
        {
          g_autofree char *text = g_date_time_format_iso8601 (starts_at);

          json_builder_add_string_value (builder, text);
        }
      else
        json_builder_add_null_value (builder);
      json_builder_set_member_name (builder, "source");
      json_builder_add_string_value (builder, vigil_alert_get_source (alert));
      if (alarm_func != NULL)
        {
          guint level = 0;
          gboolean acknowledged = alarm_func (vigil_alert_get_fingerprint (alert), &level, user_data);

          json_builder_set_member_name (builder, "acknowledged");
          json_builder_add_boolean_value (builder, acknowledged);
          json_builder_set_member_name (builder, "escalation_level");
          json_builder_add_int_value (builder, level);
        }
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);

  add_prometheus_alerts (builder, sources);
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  json_generator_set_pretty (generator, TRUE);

  return json_generator_to_data (generator, NULL);
}

static void
count_alerts (GListModel *alerts,
              guint      *firing,
              guint      *critical,
              guint      *muted)
{
  guint n = g_list_model_get_n_items (alerts);

  *firing = *critical = *muted = 0;
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(VigilAlert) alert = g_list_model_get_item (alerts, i);

      if (vigil_alert_is_active (alert))
        {
          (*firing)++;
          if (vigil_alert_get_severity (alert) == VIGIL_SEVERITY_CRITICAL)
            (*critical)++;
        }
      else if (vigil_alert_get_state (alert) == VIGIL_ALERT_STATE_SUPPRESSED)
        (*muted)++;
    }
}

/* "12 min", "3 h 5 min", for how long an alert has fired. */
static char *
format_age (GDateTime *since,
            GDateTime *now)
{
  GTimeSpan span;
  gint64 minutes;

  if (since == NULL)
    return g_strdup ("?");

  span = g_date_time_difference (now, since);
  minutes = MAX (span / G_TIME_SPAN_MINUTE, 0);

  if (minutes < 60)
    return g_strdup_printf (_("%d min"), (int) minutes);
  if (minutes < 48 * 60)
    return g_strdup_printf (_("%d h %d min"), (int) (minutes / 60), (int) (minutes % 60));

  return g_strdup_printf (_("%d days"), (int) (minutes / (24 * 60)));
}

/* "1.5", "+Inf", "NaN": the value as Prometheus would print it. */
static char *
format_value (double value)
{
  char buffer[G_ASCII_DTOSTR_BUF_SIZE];

  if (isnan (value))
    return g_strdup ("NaN");
  if (isinf (value))
    return g_strdup (value > 0 ? "+Inf" : "-Inf");

  return g_strdup (g_ascii_formatd (buffer, sizeof buffer, "%.6g", value));
}

static void
append_prometheus_alerts (GString    *out,
                          GListModel *sources,
                          GDateTime  *now)
{
  g_autoptr(GPtrArray) alerts = NULL;
  gboolean any_prometheus = FALSE;
  guint pending = 0;
  guint n = g_list_model_get_n_items (sources);

  for (guint i = 0; i < n && !any_prometheus; i++)
    {
      g_autoptr(VigilSource) source = g_list_model_get_item (sources, i);

      any_prometheus = vigil_source_get_kind (source) == VIGIL_SOURCE_KIND_PROMETHEUS;
    }

  if (!any_prometheus)
    return;

  alerts = collect_prometheus_alerts (sources);
  for (guint i = 0; i < alerts->len; i++)
    {
      if (vigil_alert_get_state (g_ptr_array_index (alerts, i)) == VIGIL_ALERT_STATE_PENDING)
        pending++;
    }

  g_string_append_printf (out, _("Prometheus: %u firing, %u pending\n"),
                          alerts->len - pending, pending);

  for (guint i = 0; i < alerts->len; i++)
    {
      VigilAlert *alert = g_ptr_array_index (alerts, i);
      g_autofree char *age = format_age (vigil_alert_get_starts_at (alert), now);
      g_autofree char *value = format_value (vigil_alert_get_value (alert));

      g_string_append_printf (out, "  %-8s %s = %s (%s)\n",
                              prometheus_state (alert),
                              vigil_alert_get_name (alert) ? vigil_alert_get_name (alert) : "?",
                              value, age);
    }
}

static char *
format_text (GListModel           *sources,
             GListModel           *alerts,
             const char           *problem,
             VigilStatusAlarmFunc  alarm_func,
             gpointer              user_data)
{
  GString *out = g_string_new (NULL);
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  guint firing, critical, muted;
  guint n;

  n = g_list_model_get_n_items (sources);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(VigilSource) source = g_list_model_get_item (sources, i);
      const char *message = vigil_source_get_error_message (source);

      g_autofree char *urls = g_strjoinv (", ", (char **) vigil_source_get_urls (source));
      const char *warning = vigil_source_get_warning (source);

      g_string_append_printf (out, "%-5s %-12s %s%s%s\n",
                              source_answered (source) ? (warning != NULL ? "WARN" : "ok") : "FAIL",
                              vigil_source_kind_to_string (vigil_source_get_kind (source)),
                              urls,
                              message != NULL ? " — " : "",
                              message != NULL ? message : "");
      /* A source that answers with TLS checks off or with cluster members
       * down still says so, on a line of its own. */
      if (warning != NULL)
        g_string_append_printf (out, "      %s\n", warning);
    }

  count_alerts (alerts, &firing, &critical, &muted);
  g_string_append_printf (out, _("%u firing (%u critical), %u silenced or inhibited\n"),
                          firing, critical, muted);

  n = g_list_model_get_n_items (alerts);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(VigilAlert) alert = g_list_model_get_item (alerts, i);
      g_autofree char *age = format_age (vigil_alert_get_starts_at (alert), now);
      g_autofree char *severity = NULL;
      g_autofree char *mark = NULL;

      /* Upper case marks what is firing, so `grep CRITICAL` counts only
       * that; a muted or pending alert says its state first. */
      if (vigil_alert_is_active (alert))
        severity = g_ascii_strup (vigil_severity_to_string (vigil_alert_get_severity (alert)), -1);
      else
        severity = g_strdup_printf ("%s %s",
                                    vigil_alert_state_to_string (vigil_alert_get_state (alert)),
                                    vigil_severity_to_string (vigil_alert_get_severity (alert)));

      if (alarm_func != NULL)
        {
          guint level = 0;

          if (alarm_func (vigil_alert_get_fingerprint (alert), &level, user_data))
            mark = g_strdup_printf (" [%s]", _("acknowledged"));
          else if (level > 1)
            mark = g_strdup_printf (" [%s %u]", _("level"), level);
        }

      g_string_append_printf (out, "%-9s %s — %s (%s)%s\n",
                              severity,
                              vigil_alert_get_name (alert) ? vigil_alert_get_name (alert) : "?",
                              vigil_alert_get_summary (alert),
                              age,
                              mark != NULL ? mark : "");
    }

  append_prometheus_alerts (out, sources, now);

  if (problem != NULL)
    g_string_append_printf (out, "%s\n", problem);

  return g_string_free (out, FALSE);
}

/* One line of JSON as Waybar's custom module reads it. */
static char *
format_waybar (GListModel *sources,
               GListModel *alerts,
               const char *problem)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GString) tooltip = g_string_new (NULL);
  g_autofree char *text = NULL;
  const char *klass;
  guint firing, critical, muted;
  guint n;

  count_alerts (alerts, &firing, &critical, &muted);

  if (problem != NULL)
    klass = "error";
  else if (critical > 0)
    klass = "critical";
  else if (firing > 0)
    klass = "warning";
  else
    klass = "ok";

  text = g_strdup_printf ("%u", firing);

  n = g_list_model_get_n_items (alerts);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(VigilAlert) alert = g_list_model_get_item (alerts, i);

      if (!vigil_alert_is_active (alert))
        continue;
      if (tooltip->len > 0)
        g_string_append_c (tooltip, '\n');
      g_string_append_printf (tooltip, "%s: %s",
                              vigil_severity_to_string (vigil_alert_get_severity (alert)),
                              vigil_alert_get_summary (alert));
    }
  if (problem != NULL)
    {
      if (tooltip->len > 0)
        g_string_append_c (tooltip, '\n');
      g_string_append (tooltip, problem);
    }
  if (tooltip->len == 0)
    g_string_append (tooltip, _("No alerts firing"));

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "text");
  json_builder_add_string_value (builder, text);
  json_builder_set_member_name (builder, "alt");
  json_builder_add_string_value (builder, klass);
  json_builder_set_member_name (builder, "class");
  json_builder_add_string_value (builder, klass);
  json_builder_set_member_name (builder, "tooltip");
  json_builder_add_string_value (builder, tooltip->str);
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);

  return json_generator_to_data (generator, NULL);
}

char *
vigil_status_report_format (VigilStatusFormat  format,
                            GListModel        *sources,
                            GListModel        *alerts)
{
  return vigil_status_report_format_with_problem (format, sources, alerts, NULL);
}

char *
vigil_status_report_format_with_problem (VigilStatusFormat  format,
                                         GListModel        *sources,
                                         GListModel        *alerts,
                                         const char        *problem_before_polling)
{
  return vigil_status_report_format_full (format, sources, alerts, problem_before_polling, NULL, NULL);
}

char *
vigil_status_report_format_full (VigilStatusFormat     format,
                                 GListModel           *sources,
                                 GListModel           *alerts,
                                 const char           *problem_before_polling,
                                 VigilStatusAlarmFunc  alarm_func,
                                 gpointer              user_data)
{
  g_autofree char *problem = NULL;

  g_return_val_if_fail (G_IS_LIST_MODEL (sources), NULL);
  g_return_val_if_fail (G_IS_LIST_MODEL (alerts), NULL);

  problem = dup_problem (sources, problem_before_polling);

  switch (format)
    {
    case VIGIL_STATUS_FORMAT_JSON:
      return format_json (sources, alerts, problem, alarm_func, user_data);
    case VIGIL_STATUS_FORMAT_WAYBAR:
      return format_waybar (sources, alerts, problem);
    case VIGIL_STATUS_FORMAT_TEXT:
    default:
      return format_text (sources, alerts, problem, alarm_func, user_data);
    }
}
