/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-parsers"

#include "config.h"

#include <math.h>
#include <string.h>

#include <json-glib/json-glib.h>

#include "vigil-alert.h"
#include "vigil-parse.h"
#include "vigil-query-result.h"
#include "vigil-series.h"

/* The parsers are checked against the real server answers in
 * tests/fixtures (see cases/README.md for where each comes from), plus
 * hand-made bodies for the shapes no real server sends. */

typedef GPtrArray *(*AlertsParser) (GBytes *body, GError **error);

static GBytes *
load_fixture (const char *name)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "fixtures", name, NULL);
  g_autoptr(GError) error = NULL;
  char *contents = NULL;
  gsize length = 0;

  g_file_get_contents (path, &contents, &length, &error);
  g_assert_no_error (error);

  return g_bytes_new_take (contents, length);
}

/* A bundle holds the exact bytes of each response as a JSON string. */
static GBytes *
load_bundle_body (const char *name,
                  guint       index)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "fixtures", name, NULL);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  JsonArray *responses;
  JsonObject *response;
  const char *body;

  json_parser_load_from_file (parser, path, &error);
  g_assert_no_error (error);

  responses = json_object_get_array_member (json_node_get_object (json_parser_get_root (parser)),
                                            "responses");
  g_assert_nonnull (responses);
  g_assert_cmpuint (index, <, json_array_get_length (responses));

  response = json_array_get_object_element (responses, index);
  body = json_object_get_string_member (response, "body");
  g_assert_nonnull (body);

  return g_bytes_new (body, strlen (body));
}

static guint
bundle_length (const char *name)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "fixtures", name, NULL);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  json_parser_load_from_file (parser, path, &error);
  g_assert_no_error (error);

  return json_array_get_length (json_object_get_array_member (json_node_get_object (json_parser_get_root (parser)),
                                                              "responses"));
}

static GBytes *
bytes_from_string (const char *text)
{
  return g_bytes_new (text, strlen (text));
}

static VigilQueryResult *
parse_query_ok (GBytes *body)
{
  g_autoptr(GError) error = NULL;
  VigilQueryResult *result;

  result = vigil_prometheus_parse_query (body, &error);
  g_assert_no_error (error);
  g_assert_true (VIGIL_IS_QUERY_RESULT (result));

  return result;
}

static VigilQueryResult *
parse_query_string_ok (const char *text)
{
  g_autoptr(GBytes) body = bytes_from_string (text);

  return parse_query_ok (body);
}

static GPtrArray *
parse_alerts_ok (AlertsParser  parse,
                 GBytes       *body)
{
  g_autoptr(GError) error = NULL;
  GPtrArray *alerts;

  alerts = parse (body, &error);
  g_assert_no_error (error);
  g_assert_nonnull (alerts);

  return alerts;
}

static void
assert_query_fails (const char *text,
                    GQuark      domain,
                    int         code)
{
  g_autoptr(GBytes) body = bytes_from_string (text);
  g_autoptr(GError) error = NULL;
  g_autoptr(VigilQueryResult) result = NULL;

  result = vigil_prometheus_parse_query (body, &error);
  g_assert_null (result);
  g_assert_error (error, domain, code);
  g_assert_true (g_utf8_validate (error->message, -1, NULL));
  g_assert_cmpstr (error->message, !=, "");
}

static void
assert_alerts_fail (AlertsParser  parse,
                    const char   *text,
                    GQuark        domain,
                    int           code)
{
  g_autoptr(GBytes) body = bytes_from_string (text);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) alerts = NULL;

  alerts = parse (body, &error);
  g_assert_null (alerts);
  g_assert_error (error, domain, code);
  g_assert_cmpstr (error->message, !=, "");
}

static VigilSeries *
find_series (VigilQueryResult *result,
             const char       *label,
             const char       *value)
{
  GPtrArray *series = vigil_query_result_get_series (result);

  for (guint i = 0; i < series->len; i++)
    {
      if (g_strcmp0 (vigil_series_get_label (series->pdata[i], label), value) == 0)
        return series->pdata[i];
    }

  g_assert_not_reached ();
}

static double
single_value (VigilQueryResult *result,
              const char       *case_name)
{
  VigilSeries *series = find_series (result, "case", case_name);

  g_assert_cmpuint (vigil_series_get_n_samples (series), ==, 1);
  g_assert_cmpfloat (vigil_series_get_samples (series)[0].time, ==, 1796312434.576);

  return vigil_series_get_samples (series)[0].value;
}

static VigilAlert *
find_alert (GPtrArray  *alerts,
            const char *name)
{
  for (guint i = 0; i < alerts->len; i++)
    {
      if (g_strcmp0 (vigil_alert_get_name (alerts->pdata[i]), name) == 0)
        return alerts->pdata[i];
    }

  g_assert_not_reached ();
}

static void
assert_time (GDateTime  *when,
             const char *expected_utc)
{
  g_autofree char *rest = NULL;
  g_autofree char *text = NULL;

  g_assert_nonnull (when);
  g_assert_cmpint (g_date_time_get_utc_offset (when), ==, 0);
  /* %Y does not pad year 1, which Alertmanager uses for "no time". */
  rest = g_date_time_format (when, "-%m-%dT%H:%M:%S.%fZ");
  text = g_strdup_printf ("%04d%s", g_date_time_get_year (when), rest);
  g_assert_cmpstr (text, ==, expected_utc);
}

static void
assert_strv (const char * const *actual,
             const char * const *expected)
{
  g_assert_nonnull (actual);
  g_assert_cmpstrv (actual, expected);
}

static void
count_notify_cb (GObject    *object,
                 GParamSpec *pspec,
                 guint      *count)
{
  (*count)++;
}

/* 01: every special spelling maps to the right double, exactly. */
static void
test_nan_inf (void)
{
  g_autoptr(GBytes) body = load_fixture ("01-nan-inf-values.json");
  g_autoptr(VigilQueryResult) result = parse_query_ok (body);
  double value;

  g_assert_cmpint (vigil_query_result_get_result_type (result), ==, VIGIL_RESULT_VECTOR);
  g_assert_cmpuint (vigil_query_result_get_series (result)->len, ==, 8);

  value = single_value (result, "plus_inf");
  g_assert_true (isinf (value) && value > 0);
  value = single_value (result, "minus_inf");
  g_assert_true (isinf (value) && value < 0);
  g_assert_true (isnan (single_value (result, "nan")));
  g_assert_cmpfloat (single_value (result, "tiny"), ==, 1e-9);
  g_assert_cmpfloat (single_value (result, "huge"), ==, 1.5e300);
  value = single_value (result, "neg_zero");
  g_assert_cmpfloat (value, ==, 0.0);
  g_assert_true (signbit (value));
  g_assert_cmpfloat (single_value (result, "many_digits"), ==, 123456789.12345679);
  g_assert_cmpfloat (single_value (result, "point_three"), ==, 0.30000000000000004);
  g_assert_cmpfloat (single_value (result, "point_three"), !=, 0.3);
}

static void
test_sample_value (void)
{
  static const struct {
    const char *text;
    double      value;
  } good[] = {
    { "1", 1.0 },
    { "-1", -1.0 },
    { "0", 0.0 },
    { "1e-09", 1e-9 },
    { "1.5e+300", 1.5e300 },
    { "1E3", 1000.0 },
    { ".5", 0.5 },
    { "5.", 5.0 },
    { "+2.5", 2.5 },
    { "1e+00", 1.0 },
  };
  static const char * const inf_spellings[] = {
    "+Inf", "Inf", "inf", "INF", "+inf", "Infinity", "+INFINITY",
  };
  static const char * const minus_inf_spellings[] = { "-Inf", "-inf", "-INF", "-Infinity" };
  static const char * const nan_spellings[] = { "NaN", "nan", "NAN", "nAn" };
  static const char * const bad[] = {
    "", " 1", "1 ", "\t1", "1x", "0x10", "0x1p3", "nan(1)", "+NaN", "-nan", "Inf ",
    "e5", "+", "-", ".", "1e", "1,5", "--1", "infinite", "in", "1e5e3", "١",
  };
  double value;

  for (guint i = 0; i < G_N_ELEMENTS (good); i++)
    {
      value = 42.0;
      g_assert_true (vigil_parse_sample_value (good[i].text, &value));
      g_assert_cmpfloat (value, ==, good[i].value);
    }

  for (guint i = 0; i < G_N_ELEMENTS (inf_spellings); i++)
    {
      value = 42.0;
      g_assert_true (vigil_parse_sample_value (inf_spellings[i], &value));
      g_assert_true (isinf (value) && value > 0);
    }

  for (guint i = 0; i < G_N_ELEMENTS (minus_inf_spellings); i++)
    {
      value = 42.0;
      g_assert_true (vigil_parse_sample_value (minus_inf_spellings[i], &value));
      g_assert_true (isinf (value) && value < 0);
    }

  for (guint i = 0; i < G_N_ELEMENTS (nan_spellings); i++)
    {
      value = 42.0;
      g_assert_true (vigil_parse_sample_value (nan_spellings[i], &value));
      g_assert_true (isnan (value));
    }

  value = 42.0;
  g_assert_true (vigil_parse_sample_value ("-0", &value));
  g_assert_true (value == 0.0 && signbit (value));

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      value = 42.0;
      if (vigil_parse_sample_value (bad[i], &value))
        g_error ("“%s” was accepted as %g", bad[i], value);
      /* A refused text leaves the output alone. */
      g_assert_cmpfloat (value, ==, 42.0);
    }

  g_assert_false (vigil_parse_sample_value (NULL, &value));
}

/* 03: scalar and string results are one value, never two series. */
static void
test_scalar_and_string (void)
{
  const char *fixture = "03-scalar-and-string-results.json";
  g_autoptr(GBytes) scalar_body = load_bundle_body (fixture, 0);
  g_autoptr(GBytes) time_body = load_bundle_body (fixture, 1);
  g_autoptr(GBytes) string_body = load_bundle_body (fixture, 2);
  g_autoptr(VigilQueryResult) scalar = parse_query_ok (scalar_body);
  g_autoptr(VigilQueryResult) time_result = parse_query_ok (time_body);
  g_autoptr(VigilQueryResult) string = parse_query_ok (string_body);

  g_assert_cmpint (vigil_query_result_get_result_type (scalar), ==, VIGIL_RESULT_SCALAR);
  g_assert_cmpuint (vigil_query_result_get_series (scalar)->len, ==, 0);
  g_assert_cmpfloat (vigil_query_result_get_time (scalar), ==, 1796312434.463);
  g_assert_cmpfloat (vigil_query_result_get_scalar (scalar), ==, 4.0);
  g_assert_null (vigil_query_result_get_string (scalar));

  g_assert_cmpint (vigil_query_result_get_result_type (time_result), ==, VIGIL_RESULT_SCALAR);
  g_assert_cmpuint (vigil_query_result_get_series (time_result)->len, ==, 0);
  g_assert_cmpfloat (vigil_query_result_get_time (time_result), ==, 1796312400.123);
  g_assert_cmpfloat (vigil_query_result_get_scalar (time_result), ==, 1796312400.123);

  g_assert_cmpint (vigil_query_result_get_result_type (string), ==, VIGIL_RESULT_STRING);
  g_assert_cmpuint (vigil_query_result_get_series (string)->len, ==, 0);
  g_assert_cmpfloat (vigil_query_result_get_time (string), ==, 1796312434.539);
  g_assert_cmpstr (vigil_query_result_get_string (string), ==, "hello world");

  g_assert_finalize_object (g_steal_pointer (&scalar));
  g_assert_finalize_object (g_steal_pointer (&string));
}

/* 03 and 10: an empty vector is "no data", not an error. */
static void
test_empty_vector (void)
{
  g_autoptr(GBytes) body = load_bundle_body ("03-scalar-and-string-results.json", 3);
  g_autoptr(GBytes) startup_body = load_bundle_body ("10-startup-503-plain-text.json", 1);
  g_autoptr(VigilQueryResult) result = parse_query_ok (body);
  g_autoptr(VigilQueryResult) startup = parse_query_ok (startup_body);

  g_assert_cmpint (vigil_query_result_get_result_type (result), ==, VIGIL_RESULT_VECTOR);
  g_assert_cmpuint (vigil_query_result_get_series (result)->len, ==, 0);
  g_assert_cmpint (vigil_query_result_get_result_type (startup), ==, VIGIL_RESULT_VECTOR);
  g_assert_cmpuint (vigil_query_result_get_series (startup)->len, ==, 0);
}

static void
test_unknown_result_type (void)
{
  assert_query_fails ("{\"status\":\"success\",\"data\":{\"resultType\":\"histogram\",\"result\":[]}}",
                      VIGIL_PARSE_ERROR, VIGIL_PARSE_ERROR_UNEXPECTED);
  assert_query_fails ("{\"status\":\"success\",\"data\":{\"result\":[]}}",
                      VIGIL_PARSE_ERROR, VIGIL_PARSE_ERROR_UNEXPECTED);
  assert_query_fails ("{\"status\":\"success\",\"data\":{\"resultType\":\"Vector\",\"result\":[]}}",
                      VIGIL_PARSE_ERROR, VIGIL_PARSE_ERROR_UNEXPECTED);
}

static void
assert_envelope_error (GBytes     *body,
                       int         code,
                       const char *message)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) alerts_error = NULL;
  g_autoptr(VigilQueryResult) result = NULL;
  g_autoptr(GPtrArray) alerts = NULL;
  g_autofree char *text = NULL;

  result = vigil_prometheus_parse_query (body, &error);
  g_assert_null (result);
  g_assert_error (error, VIGIL_PROMETHEUS_ERROR, code);
  g_assert_cmpstr (error->message, ==, message);

  /* The alert list endpoint answers errors with the same envelope. */
  alerts = vigil_prometheus_parse_alerts (body, &alerts_error);
  g_assert_null (alerts);
  g_assert_error (alerts_error, VIGIL_PROMETHEUS_ERROR, code);
  g_assert_cmpstr (alerts_error->message, ==, message);

  text = vigil_parse_error_body (body);
  g_assert_cmpstr (text, ==, message);
}

/* 05 and 07: bad_data, with the server's own words. */
static void
test_bad_data (void)
{
  static const char * const messages[] = {
    "invalid parameter \"query\": 1:40: parse error: unclosed left parenthesis",
    "invalid parameter \"query\": 1:1: parse error: no expression found in input",
    "invalid parameter \"time\": Invalid time value for 'time': cannot parse \"yesterday\" to a valid timestamp",
    "invalid parameter \"end\": end timestamp must not be before start time",
    "invalid parameter \"step\": zero or negative query resolution step widths are not accepted. Try a positive integer",
  };
  g_autoptr(GBytes) step_body = load_fixture ("07-step-too-small-11000-points.json");

  g_assert_cmpuint (bundle_length ("05-bad-data-400.json"), ==, G_N_ELEMENTS (messages));
  for (guint i = 0; i < G_N_ELEMENTS (messages); i++)
    {
      g_autoptr(GBytes) body = load_bundle_body ("05-bad-data-400.json", i);

      assert_envelope_error (body, VIGIL_PROMETHEUS_ERROR_BAD_DATA, messages[i]);
    }

  assert_envelope_error (step_body, VIGIL_PROMETHEUS_ERROR_BAD_DATA,
                         "exceeded maximum resolution of 11,000 points per timeseries. "
                         "Try decreasing the query resolution (?step=XX)");
}

/* 06: execution errors and timeouts are different codes. */
static void
test_execution_and_timeout (void)
{
  const char *fixture = "06-execution-and-timeout-errors.json";
  g_autoptr(GBytes) duplicate = load_bundle_body (fixture, 0);
  g_autoptr(GBytes) too_many = load_bundle_body (fixture, 1);
  g_autoptr(GBytes) timeout = load_bundle_body (fixture, 2);

  assert_envelope_error (duplicate, VIGIL_PROMETHEUS_ERROR_EXECUTION,
                         "vector cannot contain metrics with the same labelset");
  assert_envelope_error (too_many, VIGIL_PROMETHEUS_ERROR_EXECUTION,
                         "query processing would load too many samples into memory in query execution");
  assert_envelope_error (timeout, VIGIL_PROMETHEUS_ERROR_TIMEOUT,
                         "query timed out in query queue");
}

static void
test_error_types (void)
{
  static const struct {
    const char *type;
    int         code;
  } types[] = {
    { "\"canceled\"", VIGIL_PROMETHEUS_ERROR_CANCELED },
    { "\"internal\"", VIGIL_PROMETHEUS_ERROR_INTERNAL },
    { "\"unavailable\"", VIGIL_PROMETHEUS_ERROR_UNAVAILABLE },
    { "\"not_found\"", VIGIL_PROMETHEUS_ERROR_OTHER },
    { "\"\"", VIGIL_PROMETHEUS_ERROR_OTHER },
    { "7", VIGIL_PROMETHEUS_ERROR_OTHER },
    { "null", VIGIL_PROMETHEUS_ERROR_OTHER },
  };

  for (guint i = 0; i < G_N_ELEMENTS (types); i++)
    {
      g_autofree char *text = g_strdup_printf ("{\"status\":\"error\",\"errorType\":%s,\"error\":\"boom %u\"}",
                                               types[i].type, i);
      g_autofree char *message = g_strdup_printf ("boom %u", i);
      g_autoptr(GBytes) body = bytes_from_string (text);

      assert_envelope_error (body, types[i].code, message);
    }

  /* No errorType at all, and an error without text: still an error, with
   * some words for the user. */
  assert_query_fails ("{\"status\":\"error\",\"error\":\"x\"}",
                      VIGIL_PROMETHEUS_ERROR, VIGIL_PROMETHEUS_ERROR_OTHER);
  assert_query_fails ("{\"status\":\"error\",\"errorType\":\"timeout\"}",
                      VIGIL_PROMETHEUS_ERROR, VIGIL_PROMETHEUS_ERROR_TIMEOUT);
  assert_query_fails ("{\"status\":\"error\",\"errorType\":\"execution\",\"error\":42}",
                      VIGIL_PROMETHEUS_ERROR, VIGIL_PROMETHEUS_ERROR_EXECUTION);
  /* An error envelope wins over a data member next to it. */
  assert_query_fails ("{\"status\":\"error\",\"errorType\":\"bad_data\",\"error\":\"x\","
                      "\"data\":{\"resultType\":\"vector\",\"result\":[]}}",
                      VIGIL_PROMETHEUS_ERROR, VIGIL_PROMETHEUS_ERROR_BAD_DATA);
}

static void
assert_not_json (GBytes     *body,
                 const char *quoted)
{
  AlertsParser parsers[] = { vigil_alertmanager_parse_alerts, vigil_prometheus_parse_alerts };
  g_autoptr(GError) error = NULL;
  g_autoptr(VigilQueryResult) result = NULL;
  g_autofree char *text = NULL;

  result = vigil_prometheus_parse_query (body, &error);
  g_assert_null (result);
  g_assert_error (error, VIGIL_PARSE_ERROR, VIGIL_PARSE_ERROR_NOT_JSON);
  g_assert_true (g_utf8_validate (error->message, -1, NULL));
  if (quoted != NULL)
    g_assert_nonnull (strstr (error->message, quoted));

  for (guint i = 0; i < G_N_ELEMENTS (parsers); i++)
    {
      g_autoptr(GError) alerts_error = NULL;
      g_autoptr(GPtrArray) alerts = parsers[i] (body, &alerts_error);

      g_assert_null (alerts);
      g_assert_error (alerts_error, VIGIL_PARSE_ERROR, VIGIL_PARSE_ERROR_NOT_JSON);
    }

  text = vigil_parse_error_body (body);
  g_assert_null (text);
}

/* 10 and 11: text and HTML, whatever the status, never reach json-glib. */
static void
test_not_json (void)
{
  static const char * const odd[] = { "", "   \r\n\t", "null", "42", "true", "-1", "\"text\"", "\xef\xbb\xbf{}" };
  g_autoptr(GBytes) startup = load_bundle_body ("10-startup-503-plain-text.json", 0);
  guint n_responses = bundle_length ("11-non-json-responses.json");

  assert_not_json (startup, "Service Unavailable");

  g_assert_cmpuint (n_responses, ==, 6);
  for (guint i = 0; i < n_responses; i++)
    {
      g_autoptr(GBytes) body = load_bundle_body ("11-non-json-responses.json", i);

      assert_not_json (body, NULL);
    }

  {
    g_autoptr(GBytes) not_found = load_bundle_body ("11-non-json-responses.json", 1);
    g_autoptr(GBytes) https = load_bundle_body ("11-non-json-responses.json", 4);
    g_autoptr(GBytes) garbage = bytes_from_string ("\xff\xfe not UTF-8 \x01\x02");

    assert_not_json (not_found, "404 page not found");
    assert_not_json (https, "Client sent an HTTP request to an HTTPS server.");
    assert_not_json (garbage, NULL);
  }

  for (guint i = 0; i < G_N_ELEMENTS (odd); i++)
    {
      g_autoptr(GBytes) body = bytes_from_string (odd[i]);
      g_autoptr(GError) error = NULL;
      g_autoptr(VigilQueryResult) result = vigil_prometheus_parse_query (body, &error);

      g_assert_null (result);
      g_assert_error (error, VIGIL_PARSE_ERROR, VIGIL_PARSE_ERROR_NOT_JSON);
    }
}

/* 14: UTF-8, escapes and markup characters arrive intact; an empty label
 * is no label. */
static void
test_unicode (void)
{
  const char *fixture = "14-unicode-empty-and-many-labels.json";
  g_autoptr(GBytes) am_body = load_bundle_body (fixture, 1);
  g_autoptr(GBytes) direct_body = load_bundle_body (fixture, 3);
  g_autoptr(GBytes) query_body = load_bundle_body (fixture, 4);
  g_autoptr(GPtrArray) alerts = parse_alerts_ok (vigil_alertmanager_parse_alerts, am_body);
  g_autoptr(GPtrArray) direct = parse_alerts_ok (vigil_alertmanager_parse_alerts, direct_body);
  g_autoptr(VigilQueryResult) result = parse_query_ok (query_body);
  g_autofree char *computed = NULL;
  GHashTableIter iter;
  gpointer key, value;
  VigilAlert *alert;
  VigilSeries *series;
  const char *summary;

  g_assert_cmpuint (alerts->len, ==, 1);
  alert = alerts->pdata[0];

  g_assert_cmpstr (vigil_alert_get_name (alert), ==, "UnicodeAndManyLabels");
  g_assert_cmpuint (g_hash_table_size (vigil_alert_get_labels (alert)), ==, 27);
  g_assert_cmpstr (vigil_alert_get_label (alert, "team"), ==, "Zürich Ops ✓");
  g_assert_cmpstr (vigil_alert_get_label (alert, "region"), ==, "東京-1");
  g_assert_cmpstr (vigil_alert_get_label (alert, "rtl"), ==, "שלום");
  g_assert_cmpstr (vigil_alert_get_label (alert, "emoji"), ==, "🔥 hot");
  g_assert_cmpstr (vigil_alert_get_label (alert, "quote"), ==, "say \"hi\" \\ back");
  g_assert_cmpstr (vigil_alert_get_label (alert, "l20"), ==, "v20");
  g_assert_null (vigil_alert_get_label (alert, "empty_value"));
  g_assert_false (g_hash_table_contains (vigil_alert_get_labels (alert), "empty_value"));
  g_assert_cmpint (vigil_alert_get_severity (alert), ==, VIGIL_SEVERITY_WARNING);

  summary = vigil_alert_get_summary (alert);
  g_assert_nonnull (strstr (summary, "<html> &"));
  g_assert_cmpstr (summary, ==, "Ünïcödé summary — with <html> & \"quotes\"");
  g_assert_cmpstr (vigil_alert_get_annotation (alert, "description"), ==,
                   "Line one of a multi-line description.\nLine two with a tab:\tend.\n");

  g_hash_table_iter_init (&iter, vigil_alert_get_labels (alert));
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      g_assert_true (g_utf8_validate (key, -1, NULL));
      g_assert_true (g_utf8_validate (value, -1, NULL));
      g_assert_cmpstr (value, !=, "");
    }

  g_assert_cmpstr (vigil_alert_get_fingerprint (alert), ==, "ad4bc6cf433e42c5");
  computed = vigil_alert_compute_fingerprint (alert);
  g_assert_cmpstr (computed, ==, "ad4bc6cf433e42c5");
  g_assert_cmpint (vigil_alert_get_state (alert), ==, VIGIL_ALERT_STATE_SUPPRESSED);
  assert_strv (vigil_alert_get_silenced_by (alert),
               (const char * const[]) { "f77c57fb-920c-4d00-b63f-012c4924d406", NULL });

  /* The alert POSTed with `empty: ""` was stored without it; the
   * fingerprint is that of the one remaining label. */
  g_assert_cmpuint (direct->len, ==, 1);
  alert = direct->pdata[0];
  g_assert_cmpuint (g_hash_table_size (vigil_alert_get_labels (alert)), ==, 1);
  g_assert_cmpstr (vigil_alert_get_fingerprint (alert), ==, "44588530d62211e2");
  g_clear_pointer (&computed, g_free);
  computed = vigil_alert_compute_fingerprint (alert);
  g_assert_cmpstr (computed, ==, "44588530d62211e2");
  g_assert_cmpuint (g_hash_table_size (vigil_alert_get_annotations (alert)), ==, 0);
  g_assert_cmpstr (vigil_alert_get_summary (alert), ==, "DirectPostEmptyLabel");
  assert_time (vigil_alert_get_starts_at (alert), "2026-12-03T15:42:16.834000Z");

  g_assert_cmpuint (vigil_query_result_get_series (result)->len, ==, 1);
  series = vigil_query_result_get_series (result)->pdata[0];
  g_assert_cmpstr (vigil_series_get_label (series, "emoji"), ==, "🔥");
  g_assert_cmpstr (vigil_series_get_label (series, "region"), ==, "東京-1");
  g_assert_cmpstr (vigil_series_get_label (series, "team"), ==, "Zürich Ops ✓");
  g_assert_cmpfloat (vigil_series_get_samples (series)[0].value, ==, 1.0);
}

static void
test_empty_label_dropped (void)
{
  g_autoptr(GBytes) body = bytes_from_string ("[{\"fingerprint\":\"0123456789abcdef\","
                                              "\"labels\":{\"alertname\":\"A\",\"empty\":\"\"},"
                                              "\"annotations\":{\"summary\":\"\",\"note\":\"n\"}}]");
  g_autoptr(GPtrArray) alerts = parse_alerts_ok (vigil_alertmanager_parse_alerts, body);
  VigilAlert *alert = alerts->pdata[0];

  g_assert_cmpuint (g_hash_table_size (vigil_alert_get_labels (alert)), ==, 1);
  g_assert_false (g_hash_table_contains (vigil_alert_get_labels (alert), "empty"));
  g_assert_false (g_hash_table_contains (vigil_alert_get_annotations (alert), "summary"));
  /* An empty summary is no summary: the name stands in. */
  g_assert_cmpstr (vigil_alert_get_summary (alert), ==, "A");
  g_assert_cmpstr (vigil_alert_get_annotation (alert, "note"), ==, "n");
}

/* 15: two replicas of one cluster give the same fingerprints, and times
 * written in different zones are the same instant. */
static void
test_ha_fingerprints (void)
{
  const char *fixture = "15-ha-duplicate-fingerprints.json";
  g_autoptr(GBytes) body1 = load_bundle_body (fixture, 0);
  g_autoptr(GBytes) body2 = load_bundle_body (fixture, 1);
  g_autoptr(GBytes) silences = load_bundle_body (fixture, 2);
  g_autoptr(GBytes) empty = load_bundle_body (fixture, 4);
  g_autoptr(GPtrArray) replica1 = parse_alerts_ok (vigil_alertmanager_parse_alerts, body1);
  g_autoptr(GPtrArray) replica2 = parse_alerts_ok (vigil_alertmanager_parse_alerts, body2);
  g_autoptr(GPtrArray) none = parse_alerts_ok (vigil_alertmanager_parse_alerts, empty);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) not_alerts = NULL;
  static const char * const fingerprints[] = { "982df89a804bd383", "c9a73c0efebff583" };

  g_assert_cmpuint (replica1->len, ==, 2);
  g_assert_cmpuint (replica2->len, ==, 2);
  for (guint i = 0; i < 2; i++)
    {
      VigilAlert *a = replica1->pdata[i];
      VigilAlert *b = replica2->pdata[i];
      g_autofree char *computed = vigil_alert_compute_fingerprint (a);

      g_assert_cmpstr (vigil_alert_get_fingerprint (a), ==, fingerprints[i]);
      g_assert_cmpstr (vigil_alert_get_fingerprint (b), ==, fingerprints[i]);
      g_assert_cmpstr (computed, ==, fingerprints[i]);
      g_assert_true (g_date_time_equal (vigil_alert_get_starts_at (a),
                                        vigil_alert_get_starts_at (b)));
    }

  /* The first alert's updatedAt is one instant written in two zones. */
  g_assert_true (g_date_time_equal (vigil_alert_get_updated_at (replica1->pdata[0]),
                                    vigil_alert_get_updated_at (replica2->pdata[0])));
  assert_time (vigil_alert_get_updated_at (replica1->pdata[0]), "2026-12-03T15:40:53.446000Z");
  assert_time (vigil_alert_get_updated_at (replica1->pdata[1]), "2026-12-03T15:40:58.448000Z");
  assert_time (vigil_alert_get_updated_at (replica2->pdata[1]), "2026-12-03T15:40:58.450000Z");
  assert_strv (vigil_alert_get_receivers (replica1->pdata[1]),
               (const char * const[]) { "critical-pager", "default", NULL });
  g_assert_cmpstr (vigil_alert_get_generator_url (replica1->pdata[1]), ==,
                   "http://prometheus.example.invalid:19090/graph?g0.expr=up+%3D%3D+0&g0.tab=1");

  /* An empty list is "nothing firing"; a list of silences is not. */
  g_assert_cmpuint (none->len, ==, 0);
  not_alerts = vigil_alertmanager_parse_alerts (silences, &error);
  g_assert_null (not_alerts);
  g_assert_error (error, VIGIL_PARSE_ERROR, VIGIL_PARSE_ERROR_UNEXPECTED);
}

/* 18: suppressed, inhibited and silenced alerts, and their reasons. */
static void
test_alertmanager_states (void)
{
  g_autoptr(GBytes) body = load_fixture ("18-suppressed-inhibited-silenced.json");
  g_autoptr(GPtrArray) alerts = parse_alerts_ok (vigil_alertmanager_parse_alerts, body);
  const char * const empty[] = { NULL };
  VigilAlert *alert;

  g_assert_cmpuint (alerts->len, ==, 4);

  alert = find_alert (alerts, "AlwaysFiringWarning");
  g_assert_cmpstr (vigil_alert_get_fingerprint (alert), ==, "1e5418d296bd2f59");
  g_assert_cmpint (vigil_alert_get_state (alert), ==, VIGIL_ALERT_STATE_SUPPRESSED);
  g_assert_false (vigil_alert_is_active (alert));
  assert_strv (vigil_alert_get_inhibited_by (alert),
               (const char * const[]) { "c9a73c0efebff583", NULL });
  assert_strv (vigil_alert_get_silenced_by (alert), empty);
  assert_strv (vigil_alert_get_receivers (alert), (const char * const[]) { "default", NULL });
  g_assert_cmpint (vigil_alert_get_severity (alert), ==, VIGIL_SEVERITY_WARNING);
  g_assert_cmpstr (vigil_alert_get_summary (alert), ==, "Always-firing warning test alert");
  g_assert_cmpstr (vigil_alert_get_annotation (alert, "runbook_url"), ==,
                   "https://runbooks.example.invalid/always-firing-warning");
  g_assert_cmpstr (vigil_alert_get_generator_url (alert), ==,
                   "http://prometheus.example.invalid:19090/graph?g0.expr=vector%281%29&g0.tab=1");
  assert_time (vigil_alert_get_starts_at (alert), "2026-12-03T15:39:52.444000Z");
  assert_time (vigil_alert_get_ends_at (alert), "2026-12-03T15:45:54.444000Z");
  /* Sent as 21:11:54.449+05:30. */
  assert_time (vigil_alert_get_updated_at (alert), "2026-12-03T15:41:54.449000Z");

  alert = find_alert (alerts, "NoAnnotations");
  g_assert_cmpstr (vigil_alert_get_fingerprint (alert), ==, "2fcb106b1f2983c2");
  g_assert_cmpint (vigil_alert_get_state (alert), ==, VIGIL_ALERT_STATE_SUPPRESSED);
  assert_strv (vigil_alert_get_silenced_by (alert),
               (const char * const[]) { "61b45eff-ddb2-4127-a7d6-a5d580dceb24", NULL });
  assert_strv (vigil_alert_get_inhibited_by (alert), empty);
  g_assert_cmpuint (g_hash_table_size (vigil_alert_get_annotations (alert)), ==, 0);
  g_assert_cmpstr (vigil_alert_get_summary (alert), ==, "NoAnnotations");
  g_assert_cmpint (vigil_alert_get_severity (alert), ==, VIGIL_SEVERITY_INFO);

  alert = find_alert (alerts, "AlwaysFiringCritical");
  g_assert_cmpstr (vigil_alert_get_fingerprint (alert), ==, "982df89a804bd383");
  g_assert_cmpint (vigil_alert_get_state (alert), ==, VIGIL_ALERT_STATE_ACTIVE);
  g_assert_true (vigil_alert_is_active (alert));
  assert_strv (vigil_alert_get_silenced_by (alert), empty);
  assert_strv (vigil_alert_get_inhibited_by (alert), empty);
  assert_strv (vigil_alert_get_receivers (alert),
               (const char * const[]) { "critical-pager", "default", NULL });
  g_assert_cmpint (vigil_alert_get_severity (alert), ==, VIGIL_SEVERITY_CRITICAL);
  assert_time (vigil_alert_get_updated_at (alert), "2026-12-03T15:41:54.448000Z");

  alert = find_alert (alerts, "TargetDown");
  g_assert_cmpstr (vigil_alert_get_fingerprint (alert), ==, "c9a73c0efebff583");
  g_assert_cmpint (vigil_alert_get_state (alert), ==, VIGIL_ALERT_STATE_SUPPRESSED);
  assert_strv (vigil_alert_get_silenced_by (alert),
               (const char * const[]) { "101c569e-1c08-4082-807f-658bb3991b51", NULL });
  g_assert_cmpuint (g_hash_table_size (vigil_alert_get_labels (alert)), ==, 4);
  g_assert_cmpstr (vigil_alert_get_label (alert, "instance"), ==, "127.0.0.1:19999");
  assert_time (vigil_alert_get_starts_at (alert), "2026-12-03T15:39:57.444000Z");
  assert_time (vigil_alert_get_updated_at (alert), "2026-12-03T15:40:58.448000Z");

  for (guint i = 0; i < alerts->len; i++)
    {
      g_autofree char *computed = vigil_alert_compute_fingerprint (alerts->pdata[i]);

      g_assert_cmpstr (computed, ==, vigil_alert_get_fingerprint (alerts->pdata[i]));
    }
}

/* Newer Alertmanagers add states and members; an unknown state is shown
 * as active rather than hidden. */
static void
test_alertmanager_unknown_state (void)
{
  g_autoptr(GBytes) body = bytes_from_string (
    "[{\"fingerprint\":\"aaaaaaaaaaaaaaaa\",\"labels\":{\"alertname\":\"Muted\"},"
    "\"status\":{\"state\":\"muted\",\"mutedBy\":[\"x\"],\"silencedBy\":[],\"inhibitedBy\":[]},"
    "\"mutedBy\":{\"deep\":[1,2,{\"a\":null}]}},"
    "{\"fingerprint\":\"bbbbbbbbbbbbbbbb\",\"labels\":{\"alertname\":\"New\"},"
    "\"status\":{\"state\":\"unprocessed\"}},"
    "{\"fingerprint\":\"cccccccccccccccc\",\"labels\":{\"alertname\":\"NoStatus\"}}]");
  g_autoptr(GPtrArray) alerts = parse_alerts_ok (vigil_alertmanager_parse_alerts, body);

  g_assert_cmpuint (alerts->len, ==, 3);
  g_assert_cmpint (vigil_alert_get_state (alerts->pdata[0]), ==, VIGIL_ALERT_STATE_ACTIVE);
  g_assert_cmpint (vigil_alert_get_state (alerts->pdata[1]), ==, VIGIL_ALERT_STATE_UNPROCESSED);
  g_assert_true (vigil_alert_is_active (alerts->pdata[1]));
  g_assert_cmpint (vigil_alert_get_state (alerts->pdata[2]), ==, VIGIL_ALERT_STATE_ACTIVE);
  g_assert_null (vigil_alert_get_starts_at (alerts->pdata[2]));
  g_assert_null (vigil_alert_get_generator_url (alerts->pdata[2]));
  g_assert_nonnull (vigil_alert_get_receivers (alerts->pdata[2]));
  g_assert_null (vigil_alert_get_receivers (alerts->pdata[2])[0]);
}

/* 20: Prometheus' own list: pending is not firing, and the computed
 * fingerprints match Alertmanager's for the same labels (case 18). */
static void
test_prometheus_alerts (void)
{
  g_autoptr(GBytes) body = load_fixture ("20-pending-alerts.json");
  g_autoptr(GBytes) am_body = load_fixture ("18-suppressed-inhibited-silenced.json");
  g_autoptr(GPtrArray) alerts = parse_alerts_ok (vigil_prometheus_parse_alerts, body);
  g_autoptr(GPtrArray) am_alerts = parse_alerts_ok (vigil_alertmanager_parse_alerts, am_body);
  guint n_firing = 0;
  VigilAlert *alert;

  g_assert_cmpuint (alerts->len, ==, 3);

  alert = find_alert (alerts, "PendingTenMinutes");
  g_assert_cmpint (vigil_alert_get_state (alert), ==, VIGIL_ALERT_STATE_PENDING);
  g_assert_false (vigil_alert_is_active (alert));
  g_assert_cmpstr (vigil_alert_get_summary (alert), ==, "Pending for 10 minutes before it fires");
  assert_time (vigil_alert_get_starts_at (alert), "2026-12-03T15:39:52.444458Z");

  for (guint i = 0; i < alerts->len; i++)
    {
      VigilAlert *am_alert;

      alert = alerts->pdata[i];
      g_assert_nonnull (vigil_alert_get_fingerprint (alert));
      g_assert_cmpuint (strlen (vigil_alert_get_fingerprint (alert)), ==, 16);

      if (vigil_alert_get_state (alert) != VIGIL_ALERT_STATE_ACTIVE)
        continue;

      n_firing++;
      g_assert_true (vigil_alert_is_active (alert));
      assert_time (vigil_alert_get_starts_at (alert), "2026-12-03T15:39:52.444458Z");
      am_alert = find_alert (am_alerts, vigil_alert_get_name (alert));
      g_assert_cmpstr (vigil_alert_get_fingerprint (alert), ==, vigil_alert_get_fingerprint (am_alert));
    }

  g_assert_cmpuint (n_firing, ==, 2);
  g_assert_cmpstr (vigil_alert_get_fingerprint (find_alert (alerts, "AlwaysFiringWarning")), ==,
                   "1e5418d296bd2f59");
  g_assert_cmpstr (vigil_alert_get_fingerprint (find_alert (alerts, "NoAnnotations")), ==,
                   "2fcb106b1f2983c2");
  g_assert_cmpint (vigil_alert_get_severity (find_alert (alerts, "NoAnnotations")), ==,
                   VIGIL_SEVERITY_INFO);
}

/* vmalert serves the same API with extra members and no `value` quoting
 * differences that matter. */
static void
test_victoriametrics_alerts (void)
{
  g_autoptr(GBytes) body = bytes_from_string (
    "{\"status\":\"success\",\"data\":{\"alerts\":[{\"state\":\"firing\",\"name\":\"TargetDown\","
    "\"value\":\"0\",\"labels\":{\"alertname\":\"TargetDown\",\"instance\":\"127.0.0.1:19999\","
    "\"job\":\"always-down\",\"severity\":\"critical\"},\"annotations\":{\"summary\":\"s\"},"
    "\"activeAt\":\"2026-12-03T15:39:57.444Z\",\"id\":\"1234\",\"rule_id\":\"5678\",\"group_id\":\"9\","
    "\"expression\":\"up == 0\",\"source\":\"http://vmalert.invalid\",\"restarts\":0}]}}");
  g_autoptr(GBytes) empty = bytes_from_string ("{\"status\":\"success\",\"data\":{\"alerts\":[]}}");
  g_autoptr(GPtrArray) alerts = parse_alerts_ok (vigil_prometheus_parse_alerts, body);
  g_autoptr(GPtrArray) none = parse_alerts_ok (vigil_prometheus_parse_alerts, empty);

  g_assert_cmpuint (alerts->len, ==, 1);
  /* The same labels as case 18's TargetDown give its fingerprint. */
  g_assert_cmpstr (vigil_alert_get_fingerprint (alerts->pdata[0]), ==, "c9a73c0efebff583");
  g_assert_cmpint (vigil_alert_get_state (alerts->pdata[0]), ==, VIGIL_ALERT_STATE_ACTIVE);
  assert_time (vigil_alert_get_starts_at (alerts->pdata[0]), "2026-12-03T15:39:57.444000Z");
  g_assert_cmpuint (none->len, ==, 0);
}

static void
test_fingerprint (void)
{
  g_autoptr(VigilAlert) alert = vigil_alert_new ();
  g_autoptr(VigilAlert) reversed = vigil_alert_new ();
  g_autoptr(VigilAlert) a = vigil_alert_new ();
  g_autoptr(VigilAlert) b = vigil_alert_new ();
  g_autofree char *empty = NULL;
  g_autofree char *fp1 = NULL;
  g_autofree char *fp2 = NULL;
  g_autofree char *fp3 = NULL;
  g_autofree char *fp_a = NULL;
  g_autofree char *fp_b = NULL;

  /* The empty label set hashes to the FNV-1a offset basis. */
  empty = vigil_alert_compute_fingerprint (alert);
  g_assert_cmpstr (empty, ==, "cbf29ce484222325");

  vigil_alert_set_label (alert, "alertname", "TargetDown");
  vigil_alert_set_label (alert, "instance", "127.0.0.1:19999");
  vigil_alert_set_label (alert, "job", "always-down");
  vigil_alert_set_label (alert, "severity", "critical");
  vigil_alert_set_label (reversed, "severity", "critical");
  vigil_alert_set_label (reversed, "job", "always-down");
  vigil_alert_set_label (reversed, "instance", "127.0.0.1:19999");
  vigil_alert_set_label (reversed, "alertname", "TargetDown");
  fp1 = vigil_alert_compute_fingerprint (alert);
  fp2 = vigil_alert_compute_fingerprint (reversed);
  g_assert_cmpstr (fp1, ==, "c9a73c0efebff583");
  g_assert_cmpstr (fp2, ==, fp1);

  /* Empty labels do not count, as in Alertmanager. */
  vigil_alert_set_label (alert, "extra", "");
  fp3 = vigil_alert_compute_fingerprint (alert);
  g_assert_cmpstr (fp3, ==, fp1);

  /* The separator keeps {a="bc"} and {ab="c"} apart. */
  vigil_alert_set_label (a, "a", "bc");
  vigil_alert_set_label (b, "ab", "c");
  fp_a = vigil_alert_compute_fingerprint (a);
  fp_b = vigil_alert_compute_fingerprint (b);
  g_assert_cmpstr (fp_a, !=, fp_b);

  g_assert_finalize_object (g_steal_pointer (&alert));
  g_assert_finalize_object (g_steal_pointer (&reversed));
}

static void
assert_check_depth (const char *text,
                    guint       max_depth,
                    gboolean    ok)
{
  g_autoptr(GBytes) body = bytes_from_string (text);
  g_autoptr(GError) error = NULL;

  if (ok)
    {
      g_assert_true (vigil_json_check_depth (body, max_depth, &error));
      g_assert_no_error (error);
    }
  else
    {
      g_assert_false (vigil_json_check_depth (body, max_depth, &error));
      g_assert_error (error, VIGIL_PARSE_ERROR, VIGIL_PARSE_ERROR_TOO_DEEP);
    }
}

static char *
repeat (const char *unit,
        guint       times)
{
  GString *str = g_string_sized_new (strlen (unit) * times + 1);

  for (guint i = 0; i < times; i++)
    g_string_append (str, unit);

  return g_string_free (str, FALSE);
}

/* json-glib would overflow its stack on this; the scanner refuses it
 * first, and brackets inside strings do not count. */
static void
test_depth (void)
{
  g_autofree char *deep = repeat ("[", 100000);
  g_autofree char *deep_objects = repeat ("{\"a\":", 100000);
  g_autofree char *open64 = repeat ("[", VIGIL_JSON_MAX_DEPTH);
  g_autofree char *close64 = repeat ("]", VIGIL_JSON_MAX_DEPTH);
  g_autofree char *ok64 = g_strconcat (open64, close64, NULL);
  g_autofree char *bad65 = g_strconcat ("[", open64, close64, "]", NULL);
  g_autofree char *many = repeat ("[", 100000);
  g_autofree char *in_string = g_strconcat ("[\"", many, "\"]", NULL);
  g_autofree char *after_escaped_quote = g_strconcat ("[\"\\\"", many, "\"]", NULL);
  g_autofree char *after_escaped_backslash = g_strconcat ("[\"\\\\\",", open64, close64, "]", NULL);
  g_autofree char *sequential = repeat ("[[]],", 10000);
  g_autofree char *wide = g_strconcat ("[", sequential, "[]]", NULL);
  AlertsParser parsers[] = { vigil_alertmanager_parse_alerts, vigil_prometheus_parse_alerts };

  assert_check_depth (deep, VIGIL_JSON_MAX_DEPTH, FALSE);
  assert_check_depth (deep_objects, VIGIL_JSON_MAX_DEPTH, FALSE);
  assert_check_depth (ok64, VIGIL_JSON_MAX_DEPTH, TRUE);
  assert_check_depth (bad65, VIGIL_JSON_MAX_DEPTH, FALSE);
  assert_check_depth ("[[[]]]", 3, TRUE);
  assert_check_depth ("[[[]]]", 2, FALSE);
  assert_check_depth ("{\"a\":{\"b\":[1]}}", 3, TRUE);
  assert_check_depth ("{\"a\":{\"b\":[1]}}", 2, FALSE);
  assert_check_depth ("", 1, TRUE);
  assert_check_depth (in_string, VIGIL_JSON_MAX_DEPTH, TRUE);
  assert_check_depth ("[\"]]]]]]]]]]\",[[[]]]]", 4, TRUE);
  assert_check_depth ("[\"]]]]]]]]]]\",[[[]]]]", 3, FALSE);
  /* `\"` does not end a string... */
  assert_check_depth (after_escaped_quote, VIGIL_JSON_MAX_DEPTH, TRUE);
  /* ...but `\\"` does. */
  assert_check_depth (after_escaped_backslash, VIGIL_JSON_MAX_DEPTH, FALSE);
  /* Depth is nesting, not the number of brackets. */
  assert_check_depth (wide, 3, TRUE);

  assert_query_fails (deep, VIGIL_PARSE_ERROR, VIGIL_PARSE_ERROR_TOO_DEEP);
  assert_query_fails (deep_objects, VIGIL_PARSE_ERROR, VIGIL_PARSE_ERROR_TOO_DEEP);
  for (guint i = 0; i < G_N_ELEMENTS (parsers); i++)
    {
      assert_alerts_fail (parsers[i], deep, VIGIL_PARSE_ERROR, VIGIL_PARSE_ERROR_TOO_DEEP);
      assert_alerts_fail (parsers[i], deep_objects, VIGIL_PARSE_ERROR, VIGIL_PARSE_ERROR_TOO_DEEP);
    }

  {
    g_autoptr(GBytes) body = bytes_from_string (deep);
    g_autofree char *text = vigil_parse_error_body (body);

    g_assert_null (text);
  }

  /* A body that is only deep inside a string parses: it is one string in
   * a list, which is not an alert. */
  assert_alerts_fail (vigil_alertmanager_parse_alerts, in_string,
                      VIGIL_PARSE_ERROR, VIGIL_PARSE_ERROR_UNEXPECTED);
}

static void
assert_truncations_invalid (GBytes *whole,
                            guint   stride)
{
  gsize size;
  const char *data = g_bytes_get_data (whole, &size);
  const char *last = data + size;

  while (last > data && last[-1] != ']' && last[-1] != '}')
    last--;
  g_assert_true (last > data);

  for (gsize cut = 1; cut < (gsize) (last - 1 - data); cut += stride)
    {
      g_autoptr(GBytes) body = g_bytes_new_from_bytes (whole, 0, cut);
      g_autoptr(GError) query_error = NULL;
      g_autoptr(GError) am_error = NULL;
      g_autoptr(GError) prom_error = NULL;
      g_autoptr(VigilQueryResult) result = vigil_prometheus_parse_query (body, &query_error);
      g_autoptr(GPtrArray) am_alerts = vigil_alertmanager_parse_alerts (body, &am_error);
      g_autoptr(GPtrArray) prom_alerts = vigil_prometheus_parse_alerts (body, &prom_error);

      g_assert_null (result);
      g_assert_null (am_alerts);
      g_assert_null (prom_alerts);
      g_assert_error (query_error, VIGIL_PARSE_ERROR, VIGIL_PARSE_ERROR_INVALID);
      g_assert_error (am_error, VIGIL_PARSE_ERROR, VIGIL_PARSE_ERROR_INVALID);
      g_assert_error (prom_error, VIGIL_PARSE_ERROR, VIGIL_PARSE_ERROR_INVALID);
    }
}

/* A connection that drops mid-body gives a clean INVALID, at any byte
 * (including inside a multi-byte UTF-8 sequence). */
static void
test_truncated (void)
{
  g_autoptr(GBytes) am_body = load_fixture ("18-suppressed-inhibited-silenced.json");
  g_autoptr(GBytes) query_body = load_fixture ("01-nan-inf-values.json");
  g_autoptr(GBytes) unicode_body = load_bundle_body ("14-unicode-empty-and-many-labels.json", 1);
  g_autoptr(GBytes) alerts_body = load_fixture ("20-pending-alerts.json");

  assert_truncations_invalid (am_body, 7);
  assert_truncations_invalid (query_body, 3);
  assert_truncations_invalid (unicode_body, 1);
  assert_truncations_invalid (alerts_body, 5);

  assert_query_fails ("{\"status\":\"success\",}", VIGIL_PARSE_ERROR, VIGIL_PARSE_ERROR_INVALID);
  assert_query_fails ("{\"status\":\"success\"} trailing", VIGIL_PARSE_ERROR, VIGIL_PARSE_ERROR_INVALID);
  assert_query_fails ("{\"a\":\"\xc3\x28\"}", VIGIL_PARSE_ERROR, VIGIL_PARSE_ERROR_INVALID);
  assert_alerts_fail (vigil_alertmanager_parse_alerts, "[{]", VIGIL_PARSE_ERROR, VIGIL_PARSE_ERROR_INVALID);
}

/* Valid JSON of the wrong shape is a clean error, never a crash or a
 * critical warning. */
static void
test_wrong_shapes (void)
{
  static const char * const queries[] = {
    "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":{}}}",
    "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":null}}",
    "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\"}}",
    "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":[1,2]}}",
    "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":[{}]}}",
    "{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\",\"result\":\"x\"}}",
    "{\"status\":\"success\",\"data\":{\"resultType\":\"scalar\",\"result\":[1]}}",
    "{\"status\":\"success\",\"data\":{\"resultType\":\"scalar\",\"result\":[1,\"2\",3]}}",
    "{\"status\":\"success\",\"data\":{\"resultType\":\"scalar\",\"result\":[\"a\",\"1\"]}}",
    "{\"status\":\"success\",\"data\":{\"resultType\":\"scalar\",\"result\":{\"0\":1}}}",
    "{\"status\":\"success\",\"data\":{\"resultType\":\"scalar\",\"result\":[[1,\"1\"],[2,\"2\"]]}}",
    "{\"status\":\"success\",\"data\":{\"resultType\":\"string\",\"result\":[1,2]}}",
    "{\"status\":\"success\",\"data\":{\"resultType\":\"string\",\"result\":[1,null]}}",
    "{\"status\":\"success\",\"data\":{\"resultType\":5,\"result\":[]}}",
    "{\"status\":\"success\",\"data\":{\"resultType\":null,\"result\":[]}}",
    "{\"status\":\"success\",\"data\":null}",
    "{\"status\":\"success\",\"data\":[]}",
    "{\"status\":\"success\"}",
    "{\"status\":\"partial\",\"data\":{\"resultType\":\"vector\",\"result\":[]}}",
    "{}",
    "[1,2]",
    "[]",
    "[{\"status\":\"success\"}]",
  };
  static const char * const am_alerts[] = {
    "[1,2]",
    "[null]",
    "[[]]",
    "[{}]",
    "[\"alert\"]",
    "[{\"labels\":{}},{\"labels\":null}]",
    "[{\"fingerprint\":\"\",\"labels\":{\"a\":\"\"}}]",
    "{}",
    "{\"status\":\"success\",\"data\":[]}",
  };
  static const char * const prom_alerts[] = {
    "[1,2]",
    "[]",
    "{\"status\":\"success\",\"data\":{\"alerts\":{}}}",
    "{\"status\":\"success\",\"data\":{\"alerts\":null}}",
    "{\"status\":\"success\",\"data\":{\"alerts\":[1]}}",
    "{\"status\":\"success\",\"data\":{\"alerts\":[{\"labels\":{}}]}}",
    "{\"status\":\"success\",\"data\":{}}",
    "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":[]}}",
  };

  for (guint i = 0; i < G_N_ELEMENTS (queries); i++)
    assert_query_fails (queries[i], VIGIL_PARSE_ERROR, VIGIL_PARSE_ERROR_UNEXPECTED);

  for (guint i = 0; i < G_N_ELEMENTS (am_alerts); i++)
    assert_alerts_fail (vigil_alertmanager_parse_alerts, am_alerts[i],
                        VIGIL_PARSE_ERROR, VIGIL_PARSE_ERROR_UNEXPECTED);

  for (guint i = 0; i < G_N_ELEMENTS (prom_alerts); i++)
    assert_alerts_fail (vigil_prometheus_parse_alerts, prom_alerts[i],
                        VIGIL_PARSE_ERROR, VIGIL_PARSE_ERROR_UNEXPECTED);
}

/* Numbers where strings belong, nulls, nested junk: the odd member is
 * skipped, the rest of the alert kept. */
static void
test_odd_types (void)
{
  g_autoptr(GBytes) am_body = bytes_from_string (
    "[1,"
    "{\"fingerprint\":7,\"labels\":{\"alertname\":\"Odd\",\"n\":5,\"z\":null,\"o\":{},\"l\":[\"x\"],\"b\":true},"
    "\"annotations\":{\"summary\":6,\"ok\":\"yes\"},"
    "\"status\":{\"state\":3,\"silencedBy\":[1,null,\"s1\",{},\"\"],\"inhibitedBy\":\"i1\"},"
    "\"receivers\":[{\"name\":5},\"bare\",{\"x\":1},{\"name\":\"ok\"},null],"
    "\"startsAt\":12345,\"endsAt\":\"not a date\",\"updatedAt\":null,\"generatorURL\":5},"
    "null,"
    "{\"fingerprint\":\"ffffffffffffffff\"},"
    "{\"labels\":\"alertname\"},"
    "{\"status\":\"active\",\"labels\":{\"alertname\":\"OnlyLabels\"},\"annotations\":[]}]");
  g_autoptr(GBytes) query_body = bytes_from_string (
    "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":["
    "{\"metric\":{\"a\":\"1\",\"b\":2,\"c\":null},\"value\":[100,\"zzz\"]},"
    "{\"metric\":{\"case\":\"short\"},\"value\":[100]},"
    "{\"metric\":{\"case\":\"flat\"},\"value\":\"oops\"},"
    "{\"metric\":{\"case\":\"null-time\"},\"value\":[null,\"1\"]},"
    "{\"metric\":{\"case\":\"number\"},\"value\":[100,5]},"
    "{\"metric\":{\"case\":\"int-time\"},\"value\":[1796312434,\"2\"]},"
    "7,"
    "{\"metric\":{\"case\":\"null-value\"},\"value\":[100,null]},"
    "{\"metric\":{\"case\":\"inf-time\"},\"value\":[1e400,\"1\"]},"
    "{\"metric\":{\"case\":\"histogram\"},\"histogram\":[100,{\"count\":\"1\"}]},"
    "{\"metric\":5,\"value\":[100,\"3\"]}"
    "]}}");
  g_autoptr(GPtrArray) alerts = parse_alerts_ok (vigil_alertmanager_parse_alerts, am_body);
  g_autoptr(VigilQueryResult) result = parse_query_ok (query_body);
  g_autofree char *computed = NULL;
  VigilAlert *alert;
  VigilSeries *series;
  GPtrArray *list;

  g_assert_cmpuint (alerts->len, ==, 3);

  alert = alerts->pdata[0];
  g_assert_cmpuint (g_hash_table_size (vigil_alert_get_labels (alert)), ==, 1);
  computed = vigil_alert_compute_fingerprint (alert);
  g_assert_cmpstr (vigil_alert_get_fingerprint (alert), ==, computed);
  g_assert_cmpstr (vigil_alert_get_summary (alert), ==, "Odd");
  g_assert_cmpstr (vigil_alert_get_annotation (alert, "ok"), ==, "yes");
  g_assert_cmpint (vigil_alert_get_state (alert), ==, VIGIL_ALERT_STATE_ACTIVE);
  assert_strv (vigil_alert_get_silenced_by (alert), (const char * const[]) { "s1", NULL });
  assert_strv (vigil_alert_get_inhibited_by (alert), (const char * const[]) { NULL });
  assert_strv (vigil_alert_get_receivers (alert), (const char * const[]) { "bare", "ok", NULL });
  g_assert_null (vigil_alert_get_starts_at (alert));
  g_assert_null (vigil_alert_get_ends_at (alert));
  g_assert_null (vigil_alert_get_updated_at (alert));
  g_assert_null (vigil_alert_get_generator_url (alert));

  /* A fingerprint alone is enough to keep an alert. */
  alert = alerts->pdata[1];
  g_assert_cmpstr (vigil_alert_get_fingerprint (alert), ==, "ffffffffffffffff");
  g_assert_cmpstr (vigil_alert_get_summary (alert), ==, "ffffffffffffffff");
  g_assert_cmpint (vigil_alert_get_severity (alert), ==, VIGIL_SEVERITY_NONE);

  alert = alerts->pdata[2];
  g_assert_cmpstr (vigil_alert_get_name (alert), ==, "OnlyLabels");
  g_assert_cmpuint (g_hash_table_size (vigil_alert_get_annotations (alert)), ==, 0);

  list = vigil_query_result_get_series (result);
  g_assert_cmpuint (list->len, ==, 10);

  series = find_series (result, "a", "1");
  g_assert_cmpuint (g_hash_table_size (vigil_series_get_labels (series)), ==, 1);
  g_assert_cmpuint (vigil_series_get_n_samples (series), ==, 1);
  g_assert_cmpfloat (vigil_series_get_samples (series)[0].time, ==, 100.0);
  g_assert_true (isnan (vigil_series_get_samples (series)[0].value));

  g_assert_cmpuint (vigil_series_get_n_samples (find_series (result, "case", "short")), ==, 0);
  g_assert_cmpuint (vigil_series_get_n_samples (find_series (result, "case", "flat")), ==, 0);
  g_assert_cmpuint (vigil_series_get_n_samples (find_series (result, "case", "null-time")), ==, 0);
  g_assert_cmpuint (vigil_series_get_n_samples (find_series (result, "case", "inf-time")), ==, 0);
  g_assert_cmpuint (vigil_series_get_n_samples (find_series (result, "case", "histogram")), ==, 0);

  series = find_series (result, "case", "number");
  g_assert_cmpfloat (vigil_series_get_samples (series)[0].value, ==, 5.0);
  series = find_series (result, "case", "int-time");
  g_assert_cmpfloat (vigil_series_get_samples (series)[0].time, ==, 1796312434.0);
  g_assert_cmpfloat (vigil_series_get_samples (series)[0].value, ==, 2.0);
  series = find_series (result, "case", "null-value");
  g_assert_true (isnan (vigil_series_get_samples (series)[0].value));

  /* The series whose metric is a number: no labels, but a sample. */
  series = list->pdata[list->len - 1];
  g_assert_cmpuint (g_hash_table_size (vigil_series_get_labels (series)), ==, 0);
  g_assert_cmpfloat (vigil_series_get_samples (series)[0].value, ==, 3.0);
}

/* query_range, as Prometheus and VictoriaMetrics send it (VictoriaMetrics
 * adds `isPartial` and `stats`, and may send whole-second times as
 * integers). */
static void
test_matrix (void)
{
  g_autoptr(VigilQueryResult) result = parse_query_string_ok (
    "{\"status\":\"success\",\"isPartial\":false,\"data\":{\"resultType\":\"matrix\",\"result\":["
    "{\"metric\":{\"__name__\":\"up\",\"job\":\"a\"},\"values\":[[1796312400,\"1\"],[1796312415.5,\"0\"],"
    "[1796312430,\"NaN\"],[\"bad\"],[1796312445,\"x\"],[1796312460,\"+Inf\"]]},"
    "{\"metric\":{\"__name__\":\"up\",\"job\":\"b\"},\"values\":[]},"
    "{\"metric\":{\"job\":\"c\"},\"values\":\"none\"}"
    "]},\"stats\":{\"seriesFetched\":\"3\",\"executionTimeMsec\":1}}");
  const VigilSample *samples;
  VigilSeries *series;

  g_assert_cmpint (vigil_query_result_get_result_type (result), ==, VIGIL_RESULT_MATRIX);
  g_assert_cmpuint (vigil_query_result_get_series (result)->len, ==, 3);

  series = find_series (result, "job", "a");
  g_assert_cmpuint (vigil_series_get_n_samples (series), ==, 5);
  samples = vigil_series_get_samples (series);
  g_assert_cmpfloat (samples[0].time, ==, 1796312400.0);
  g_assert_cmpfloat (samples[0].value, ==, 1.0);
  g_assert_cmpfloat (samples[1].time, ==, 1796312415.5);
  g_assert_cmpfloat (samples[1].value, ==, 0.0);
  g_assert_false (signbit (samples[1].value));
  g_assert_true (isnan (samples[2].value));
  g_assert_cmpfloat (samples[3].time, ==, 1796312445.0);
  g_assert_true (isnan (samples[3].value));
  g_assert_true (isinf (samples[4].value));

  g_assert_cmpuint (vigil_series_get_n_samples (find_series (result, "job", "b")), ==, 0);
  g_assert_cmpuint (vigil_series_get_n_samples (find_series (result, "job", "c")), ==, 0);
}

static void
test_warnings (void)
{
  g_autoptr(VigilQueryResult) result = parse_query_string_ok (
    "{\"status\":\"success\",\"warnings\":[\"w1\",5,\"w2\"],\"infos\":[\"i1\"],"
    "\"data\":{\"resultType\":\"vector\",\"result\":[]}}");
  g_autoptr(VigilQueryResult) plain = parse_query_string_ok (
    "{\"status\":\"success\",\"warnings\":\"not a list\",\"data\":{\"resultType\":\"vector\",\"result\":[]}}");

  assert_strv (vigil_query_result_get_warnings (result), (const char * const[]) { "w1", "w2", NULL });
  assert_strv (vigil_query_result_get_infos (result), (const char * const[]) { "i1", NULL });
  assert_strv (vigil_query_result_get_warnings (plain), (const char * const[]) { NULL });
  assert_strv (vigil_query_result_get_infos (plain), (const char * const[]) { NULL });
}

static void
test_timestamp (void)
{
  static const struct {
    const char *text;
    const char *utc;
  } good[] = {
    { "2026-12-03T15:39:52.444Z", "2026-12-03T15:39:52.444000Z" },
    { "2026-12-03T21:11:54.449+05:30", "2026-12-03T15:41:54.449000Z" },
    { "2026-12-03T10:00:00-04:00", "2026-12-03T14:00:00.000000Z" },
    { "2026-12-03T00:30:00+01:00", "2026-12-02T23:30:00.000000Z" },
    { "2026-12-03T15:39:52.444458754Z", "2026-12-03T15:39:52.444458Z" },
    { "2026-12-03t15:39:52z", "2026-12-03T15:39:52.000000Z" },
    { "0001-01-01T00:00:00Z", "0001-01-01T00:00:00.000000Z" },
  };
  static const char * const bad[] = {
    "", "2026-12-03 15:00:00", "2026-12-03T15:00:00", "2026-12-03", "yesterday",
    "2026-12-03T15:00:00+0530", "2026-12-03T15:00:00+05", "2026-13-03T15:00:00Z",
    "2026-12-03T15:00:00.Z", "2026-W49-4T15:00:00Z", "2026-12-03T15:00:00Z trailing",
    "2026-12-03T25:00:00Z", " 2026-12-03T15:00:00Z", "2026-12-03 15:00:00Z", "1796312434",
    "2026-12-03T15:00Z",
  };

  for (guint i = 0; i < G_N_ELEMENTS (good); i++)
    {
      g_autoptr(GDateTime) when = vigil_parse_timestamp (good[i].text);

      assert_time (when, good[i].utc);
    }

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GDateTime) when = vigil_parse_timestamp (bad[i]);

      if (when != NULL)
        g_error ("“%s” was accepted as a timestamp", bad[i]);
    }

  g_assert_null (vigil_parse_timestamp (NULL));
}

/* 22 and 05: the three shapes of error body. */
static void
test_error_body (void)
{
  static const char * const expected[] = {
    "Failed to create silence: start time must be before end time",
    "Failed to create silence: end time can't be in the past",
    "silence invalid: at least one matcher must not match the empty string",
    "silence invalid: invalid label matcher 0: invalid regular expression \"(unclosed\": "
      "error parsing regexp: missing closing ): `(unclosed`",
    "parsing silence body from \"\" failed, because unexpected EOF",
    "comment in body is required",
    "matchers in body should have at least 1 items",
    NULL, /* {"silenceID": …} is a success */
    "silence not found",
    NULL, /* empty body */
  };
  static const struct {
    const char *body;
    const char *text;
  } synthetic[] = {
    { "{\"error\":\"\",\"message\":\"m\"}", "m" },
    { "{\"error\":\"e\",\"message\":\"m\"}", "e" },
    { "{\"error\":5}", NULL },
    { "{\"message\":null}", NULL },
    { "\"\"", NULL },
    { "  \"padded\"  \n", "padded" },
    { "[\"a\"]", NULL },
    { "\"unterminated", NULL },
  };

  g_assert_cmpuint (bundle_length ("22-silence-create-errors.json"), ==, G_N_ELEMENTS (expected));
  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    {
      g_autoptr(GBytes) body = load_bundle_body ("22-silence-create-errors.json", i);
      g_autofree char *text = vigil_parse_error_body (body);

      g_assert_cmpstr (text, ==, expected[i]);
    }

  for (guint i = 0; i < G_N_ELEMENTS (synthetic); i++)
    {
      g_autoptr(GBytes) body = bytes_from_string (synthetic[i].body);
      g_autofree char *text = vigil_parse_error_body (body);

      g_assert_cmpstr (text, ==, synthetic[i].text);
    }

  g_assert_null (vigil_parse_error_body (NULL));
}

/* 08: 1756 series in 300 KB, all of them read, every value exact. */
static void
test_large (void)
{
  g_autoptr(GBytes) body = load_fixture ("large/prometheus__api_v1_query__all_series_large.json");
  g_autoptr(VigilQueryResult) result = parse_query_ok (body);
  g_autoptr(GHashTable) names = g_hash_table_new (g_str_hash, g_str_equal);
  GPtrArray *list = vigil_query_result_get_series (result);
  VigilSeries *widest = NULL;
  guint n_nan = 0;
  guint n_up = 0;
  double sum = 0.0;

  g_assert_cmpint (vigil_query_result_get_result_type (result), ==, VIGIL_RESULT_VECTOR);
  g_assert_cmpuint (list->len, ==, 1756);

  for (guint i = 0; i < list->len; i++)
    {
      VigilSeries *series = list->pdata[i];
      const VigilSample *sample;

      g_assert_cmpuint (vigil_series_get_n_samples (series), ==, 1);
      sample = vigil_series_get_samples (series);
      g_assert_cmpfloat (sample->time, ==, 1796312641.944);

      if (isnan (sample->value))
        n_nan++;
      else
        sum += sample->value;

      if (g_strcmp0 (vigil_series_get_label (series, "__name__"), "up") == 0)
        n_up++;
      g_hash_table_add (names, (gpointer) vigil_series_get_label (series, "__name__"));

      if (widest == NULL
          || g_hash_table_size (vigil_series_get_labels (series))
             > g_hash_table_size (vigil_series_get_labels (widest)))
        widest = series;
    }

  g_assert_cmpuint (n_nan, ==, 20);
  g_assert_cmpuint (n_up, ==, 5);
  g_assert_cmpuint (g_hash_table_size (names), ==, 308);
  /* Summed in file order, as the reference value was: any value read
   * differently from its text changes the sum. */
  g_assert_cmpfloat (sum, ==, 7.378726076718336e+19);

  g_assert_nonnull (widest);
  g_assert_cmpuint (g_hash_table_size (vigil_series_get_labels (widest)), ==, 29);
  g_assert_cmpstr (vigil_series_get_label (widest, "__name__"), ==, "ALERTS");
  g_assert_cmpstr (vigil_series_get_label (widest, "alertname"), ==, "UnicodeAndManyLabels");
  g_assert_cmpstr (vigil_series_get_label (widest, "quote"), ==, "say \"hi\" \\ back");
}

static void
test_alert_model (void)
{
  g_autoptr(VigilAlert) alert = vigil_alert_new ();
  g_autoptr(GTimeZone) zone = g_time_zone_new_offset (5 * 3600 + 1800);
  g_autoptr(GDateTime) local = g_date_time_new (zone, 2026, 12, 3, 21, 11, 54.5);
  g_autofree const char **names = NULL;
  guint state_notifies = 0;
  guint severity_notifies = 0;
  guint summary_notifies = 0;
  guint name_notifies = 0;
  guint starts_notifies = 0;

  g_signal_connect (alert, "notify::state", G_CALLBACK (count_notify_cb), &state_notifies);
  g_signal_connect (alert, "notify::severity", G_CALLBACK (count_notify_cb), &severity_notifies);
  g_signal_connect (alert, "notify::summary", G_CALLBACK (count_notify_cb), &summary_notifies);
  g_signal_connect (alert, "notify::name", G_CALLBACK (count_notify_cb), &name_notifies);
  g_signal_connect (alert, "notify::starts-at", G_CALLBACK (count_notify_cb), &starts_notifies);

  g_assert_null (vigil_alert_get_fingerprint (alert));
  g_assert_null (vigil_alert_get_name (alert));
  g_assert_cmpstr (vigil_alert_get_summary (alert), ==, "");
  g_assert_cmpint (vigil_alert_get_severity (alert), ==, VIGIL_SEVERITY_NONE);
  g_assert_cmpint (vigil_alert_get_state (alert), ==, VIGIL_ALERT_STATE_ACTIVE);
  g_assert_nonnull (vigil_alert_get_silenced_by (alert));
  g_assert_null (vigil_alert_get_silenced_by (alert)[0]);
  g_assert_false (vigil_alert_is_heartbeat (alert));

  /* The summary falls back from annotation to name to fingerprint. */
  vigil_alert_set_fingerprint (alert, "0123456789abcdef");
  g_assert_cmpstr (vigil_alert_get_summary (alert), ==, "0123456789abcdef");
  vigil_alert_set_label (alert, "alertname", "HighLatency");
  g_assert_cmpstr (vigil_alert_get_summary (alert), ==, "HighLatency");
  vigil_alert_set_annotation (alert, "summary", "p99 above 2 s");
  g_assert_cmpstr (vigil_alert_get_summary (alert), ==, "p99 above 2 s");
  vigil_alert_set_annotation (alert, "summary", "");
  g_assert_cmpstr (vigil_alert_get_summary (alert), ==, "HighLatency");
  g_assert_cmpuint (summary_notifies, ==, 4);
  g_assert_cmpuint (name_notifies, ==, 1);

  /* Unrelated labels do not notify derived properties. */
  vigil_alert_set_label (alert, "team", "db");
  vigil_alert_set_label (alert, "alertname", "HighLatency");
  g_assert_cmpuint (name_notifies, ==, 1);
  g_assert_cmpuint (summary_notifies, ==, 4);

  vigil_alert_set_label (alert, "team", "");
  g_assert_null (vigil_alert_get_label (alert, "team"));
  vigil_alert_set_label (alert, "team", "db");
  vigil_alert_set_label (alert, "team", NULL);
  g_assert_false (g_hash_table_contains (vigil_alert_get_labels (alert), "team"));

  vigil_alert_set_label (alert, "severity", "CRITICAL");
  g_assert_cmpint (vigil_alert_get_severity (alert), ==, VIGIL_SEVERITY_CRITICAL);
  vigil_alert_set_label (alert, "severity", "page");
  g_assert_cmpint (vigil_alert_get_severity (alert), ==, VIGIL_SEVERITY_CRITICAL);
  g_assert_cmpuint (severity_notifies, ==, 1);
  vigil_alert_set_label (alert, "severity", "Warning");
  g_assert_cmpint (vigil_alert_get_severity (alert), ==, VIGIL_SEVERITY_WARNING);
  vigil_alert_set_label (alert, "severity", "");
  g_assert_cmpint (vigil_alert_get_severity (alert), ==, VIGIL_SEVERITY_NONE);
  g_assert_cmpuint (severity_notifies, ==, 3);

  vigil_alert_set_state (alert, VIGIL_ALERT_STATE_ACTIVE);
  g_assert_cmpuint (state_notifies, ==, 0);
  vigil_alert_set_state (alert, VIGIL_ALERT_STATE_SUPPRESSED);
  g_assert_cmpuint (state_notifies, ==, 1);
  g_assert_false (vigil_alert_is_active (alert));
  vigil_alert_set_state (alert, VIGIL_ALERT_STATE_PENDING);
  g_assert_false (vigil_alert_is_active (alert));
  vigil_alert_set_state (alert, VIGIL_ALERT_STATE_UNPROCESSED);
  g_assert_true (vigil_alert_is_active (alert));
  g_assert_cmpuint (state_notifies, ==, 3);

  /* Whatever zone a time comes in, the alert keeps it in UTC. */
  vigil_alert_set_starts_at (alert, local);
  assert_time (vigil_alert_get_starts_at (alert), "2026-12-03T15:41:54.500000Z");
  g_assert_true (g_date_time_equal (vigil_alert_get_starts_at (alert), local));
  vigil_alert_set_starts_at (alert, local);
  g_assert_cmpuint (starts_notifies, ==, 1);
  vigil_alert_set_starts_at (alert, NULL);
  g_assert_null (vigil_alert_get_starts_at (alert));
  g_assert_cmpuint (starts_notifies, ==, 2);

  vigil_alert_set_silenced_by (alert, (const char * const[]) { "s1", "s2", NULL });
  assert_strv (vigil_alert_get_silenced_by (alert), (const char * const[]) { "s1", "s2", NULL });
  vigil_alert_set_silenced_by (alert, NULL);
  assert_strv (vigil_alert_get_silenced_by (alert), (const char * const[]) { NULL });

  vigil_alert_set_label (alert, "b", "1");
  vigil_alert_set_label (alert, "a", "1");
  vigil_alert_set_label (alert, "C", "1");
  vigil_alert_set_label (alert, "__name__", "1");
  names = vigil_alert_dup_sorted_label_names (alert);
  assert_strv (names, (const char * const[]) { "C", "__name__", "a", "alertname", "b", NULL });

  vigil_alert_set_label (alert, "alertname", "Watchdog");
  g_assert_true (vigil_alert_is_heartbeat (alert));
  vigil_alert_set_label (alert, "alertname", "DeadMansSwitch");
  g_assert_true (vigil_alert_is_heartbeat (alert));
  vigil_alert_set_label (alert, "alertname", "TargetDown");
  g_assert_false (vigil_alert_is_heartbeat (alert));

  g_assert_finalize_object (g_steal_pointer (&alert));
}

static void
count_signal_cb (VigilAlert *alert,
                 guint      *count)
{
  (*count)++;
}

/* The tracker keeps one object per fingerprint and refreshes it from each
 * poll's report. */
static void
test_alert_update_from (void)
{
  g_autoptr(GBytes) body = load_fixture ("18-suppressed-inhibited-silenced.json");
  g_autoptr(GPtrArray) alerts = parse_alerts_ok (vigil_alertmanager_parse_alerts, body);
  g_autoptr(VigilAlert) shown = vigil_alert_new ();
  g_autoptr(VigilAlert) report = NULL;
  g_autofree char *computed = NULL;
  VigilAlert *warning = find_alert (alerts, "AlwaysFiringWarning");
  guint changed = 0;
  guint state_notifies = 0;
  guint summary_notifies = 0;

  g_signal_connect (shown, "changed", G_CALLBACK (count_signal_cb), &changed);
  g_signal_connect (shown, "notify::state", G_CALLBACK (count_notify_cb), &state_notifies);
  g_signal_connect (shown, "notify::summary", G_CALLBACK (count_notify_cb), &summary_notifies);

  g_assert_true (vigil_alert_update_from (shown, warning));
  g_assert_cmpuint (changed, ==, 1);
  g_assert_cmpuint (state_notifies, ==, 1);
  g_assert_cmpuint (summary_notifies, ==, 1);
  g_assert_cmpstr (vigil_alert_get_fingerprint (shown), ==, "1e5418d296bd2f59");
  g_assert_cmpstr (vigil_alert_get_summary (shown), ==, "Always-firing warning test alert");
  g_assert_cmpint (vigil_alert_get_severity (shown), ==, VIGIL_SEVERITY_WARNING);
  g_assert_cmpint (vigil_alert_get_state (shown), ==, VIGIL_ALERT_STATE_SUPPRESSED);
  assert_strv (vigil_alert_get_inhibited_by (shown), (const char * const[]) { "c9a73c0efebff583", NULL });
  assert_strv (vigil_alert_get_receivers (shown), (const char * const[]) { "default", NULL });
  assert_time (vigil_alert_get_updated_at (shown), "2026-12-03T15:41:54.449000Z");
  g_assert_cmpstr (vigil_alert_get_generator_url (shown), ==, vigil_alert_get_generator_url (warning));
  computed = vigil_alert_compute_fingerprint (shown);
  g_assert_cmpstr (computed, ==, "1e5418d296bd2f59");

  /* The same report again changes nothing and says so. */
  g_assert_false (vigil_alert_update_from (shown, warning));
  g_assert_cmpuint (changed, ==, 1);
  g_assert_cmpuint (state_notifies, ==, 1);

  /* The next poll: the inhibiting alert is gone, a label went away. */
  report = vigil_alert_new ();
  vigil_alert_set_fingerprint (report, "ffffffffffffffff");
  vigil_alert_set_label (report, "alertname", "AlwaysFiringWarning");
  vigil_alert_set_state (report, VIGIL_ALERT_STATE_ACTIVE);
  g_assert_true (vigil_alert_update_from (shown, report));
  g_assert_cmpuint (changed, ==, 2);
  g_assert_cmpuint (state_notifies, ==, 2);
  g_assert_true (vigil_alert_is_active (shown));
  /* An alert keeps the fingerprint it has. */
  g_assert_cmpstr (vigil_alert_get_fingerprint (shown), ==, "1e5418d296bd2f59");
  g_assert_cmpuint (g_hash_table_size (vigil_alert_get_labels (shown)), ==, 1);
  g_assert_cmpint (vigil_alert_get_severity (shown), ==, VIGIL_SEVERITY_NONE);
  g_assert_cmpstr (vigil_alert_get_summary (shown), ==, "AlwaysFiringWarning");
  g_assert_cmpuint (summary_notifies, ==, 2);
  g_assert_null (vigil_alert_get_inhibited_by (shown)[0]);
  g_assert_null (vigil_alert_get_receivers (shown)[0]);
  g_assert_null (vigil_alert_get_updated_at (shown));
  g_assert_null (vigil_alert_get_generator_url (shown));

  g_assert_false (vigil_alert_update_from (shown, shown));

  g_assert_finalize_object (g_steal_pointer (&shown));
}

static void
test_severity_words (void)
{
  static const struct {
    const char    *word;
    VigilSeverity  severity;
  } words[] = {
    { "critical", VIGIL_SEVERITY_CRITICAL },
    { "Critical", VIGIL_SEVERITY_CRITICAL },
    { "PAGE", VIGIL_SEVERITY_CRITICAL },
    { "error", VIGIL_SEVERITY_CRITICAL },
    { "warning", VIGIL_SEVERITY_WARNING },
    { "WARN", VIGIL_SEVERITY_WARNING },
    { "info", VIGIL_SEVERITY_INFO },
    { "none", VIGIL_SEVERITY_INFO },
    { "low", VIGIL_SEVERITY_INFO },
    { "", VIGIL_SEVERITY_NONE },
    { NULL, VIGIL_SEVERITY_NONE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (words); i++)
    g_assert_cmpint (vigil_severity_from_string (words[i].word), ==, words[i].severity);

  for (VigilSeverity s = VIGIL_SEVERITY_NONE; s <= VIGIL_SEVERITY_CRITICAL; s++)
    {
      const char *word = vigil_severity_to_string (s);

      g_assert_nonnull (word);
      /* "none" reads back as info by design; the others round-trip. */
      if (s != VIGIL_SEVERITY_NONE)
        g_assert_cmpint (vigil_severity_from_string (word), ==, s);
    }

  g_assert_cmpstr (vigil_alert_state_to_string (VIGIL_ALERT_STATE_ACTIVE), ==, "active");
  g_assert_cmpstr (vigil_alert_state_to_string (VIGIL_ALERT_STATE_SUPPRESSED), ==, "suppressed");
  g_assert_cmpstr (vigil_alert_state_to_string (VIGIL_ALERT_STATE_UNPROCESSED), ==, "unprocessed");
  g_assert_cmpstr (vigil_alert_state_to_string (VIGIL_ALERT_STATE_PENDING), ==, "pending");
}

static void
test_series_model (void)
{
  g_autoptr(VigilSeries) series = vigil_series_new ();
  g_autoptr(VigilSeries) bare = vigil_series_new ();
  g_autoptr(VigilSeries) nameless = vigil_series_new ();
  g_autoptr(VigilSeries) empty = vigil_series_new ();
  g_autofree char *display = NULL;
  g_autofree char *bare_display = NULL;
  g_autofree char *nameless_display = NULL;
  g_autofree char *empty_display = NULL;

  vigil_series_set_label (series, "job", "api");
  vigil_series_set_label (series, "__name__", "http_requests_total");
  vigil_series_set_label (series, "code", "500");
  vigil_series_set_label (series, "quote", "a\"b\\c");
  vigil_series_set_label (series, "gone", "");
  display = vigil_series_dup_display_name (series);
  g_assert_cmpstr (display, ==, "http_requests_total{code=\"500\", job=\"api\", quote=\"a\\\"b\\\\c\"}");
  g_assert_null (vigil_series_get_label (series, "gone"));

  vigil_series_set_label (bare, "__name__", "up");
  bare_display = vigil_series_dup_display_name (bare);
  g_assert_cmpstr (bare_display, ==, "up");

  vigil_series_set_label (nameless, "job", "x");
  nameless_display = vigil_series_dup_display_name (nameless);
  g_assert_cmpstr (nameless_display, ==, "{job=\"x\"}");

  empty_display = vigil_series_dup_display_name (empty);
  g_assert_cmpstr (empty_display, ==, "{}");

  g_assert_cmpuint (vigil_series_get_n_samples (series), ==, 0);
  vigil_series_append (series, 1.0, 2.0);
  vigil_series_append (series, 3.0, NAN);
  g_assert_cmpuint (vigil_series_get_n_samples (series), ==, 2);
  g_assert_cmpfloat (vigil_series_get_samples (series)[0].value, ==, 2.0);
  g_assert_cmpfloat (vigil_series_get_samples (series)[1].time, ==, 3.0);
  g_assert_true (isnan (vigil_series_get_samples (series)[1].value));

  g_assert_finalize_object (g_steal_pointer (&series));
}

static void
test_query_result_model (void)
{
  g_autoptr(VigilQueryResult) result = vigil_query_result_new (VIGIL_RESULT_MATRIX);
  g_autoptr(VigilSeries) series = vigil_series_new ();

  g_assert_cmpint (vigil_query_result_get_result_type (result), ==, VIGIL_RESULT_MATRIX);
  g_assert_true (isnan (vigil_query_result_get_time (result)));
  g_assert_true (isnan (vigil_query_result_get_scalar (result)));
  g_assert_null (vigil_query_result_get_warnings (result)[0]);

  vigil_query_result_add_series (result, series);
  g_assert_cmpuint (vigil_query_result_get_series (result)->len, ==, 1);
  g_assert_true (vigil_query_result_get_series (result)->pdata[0] == series);

  vigil_query_result_add_warning (result, "a");
  vigil_query_result_add_warning (result, "b");
  assert_strv (vigil_query_result_get_warnings (result), (const char * const[]) { "a", "b", NULL });

  g_assert_cmpstr (vigil_result_type_to_string (VIGIL_RESULT_VECTOR), ==, "vector");
  g_assert_cmpstr (vigil_result_type_to_string (VIGIL_RESULT_MATRIX), ==, "matrix");
  g_assert_cmpstr (vigil_result_type_to_string (VIGIL_RESULT_SCALAR), ==, "scalar");
  g_assert_cmpstr (vigil_result_type_to_string (VIGIL_RESULT_STRING), ==, "string");

  g_assert_finalize_object (g_steal_pointer (&result));
  g_assert_finalize_object (g_steal_pointer (&series));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/vigil/parsers/nan-inf", test_nan_inf);
  g_test_add_func ("/vigil/parsers/sample-value", test_sample_value);
  g_test_add_func ("/vigil/parsers/scalar-and-string", test_scalar_and_string);
  g_test_add_func ("/vigil/parsers/empty-vector", test_empty_vector);
  g_test_add_func ("/vigil/parsers/unknown-result-type", test_unknown_result_type);
  g_test_add_func ("/vigil/parsers/bad-data", test_bad_data);
  g_test_add_func ("/vigil/parsers/execution-and-timeout", test_execution_and_timeout);
  g_test_add_func ("/vigil/parsers/error-types", test_error_types);
  g_test_add_func ("/vigil/parsers/not-json", test_not_json);
  g_test_add_func ("/vigil/parsers/unicode", test_unicode);
  g_test_add_func ("/vigil/parsers/empty-label-dropped", test_empty_label_dropped);
  g_test_add_func ("/vigil/parsers/ha-fingerprints", test_ha_fingerprints);
  g_test_add_func ("/vigil/parsers/alertmanager-states", test_alertmanager_states);
  g_test_add_func ("/vigil/parsers/alertmanager-unknown-state", test_alertmanager_unknown_state);
  g_test_add_func ("/vigil/parsers/prometheus-alerts", test_prometheus_alerts);
  g_test_add_func ("/vigil/parsers/victoriametrics-alerts", test_victoriametrics_alerts);
  g_test_add_func ("/vigil/parsers/fingerprint", test_fingerprint);
  g_test_add_func ("/vigil/parsers/depth", test_depth);
  g_test_add_func ("/vigil/parsers/truncated", test_truncated);
  g_test_add_func ("/vigil/parsers/wrong-shapes", test_wrong_shapes);
  g_test_add_func ("/vigil/parsers/odd-types", test_odd_types);
  g_test_add_func ("/vigil/parsers/matrix", test_matrix);
  g_test_add_func ("/vigil/parsers/warnings", test_warnings);
  g_test_add_func ("/vigil/parsers/timestamp", test_timestamp);
  g_test_add_func ("/vigil/parsers/error-body", test_error_body);
  g_test_add_func ("/vigil/parsers/large", test_large);
  g_test_add_func ("/vigil/model/alert", test_alert_model);
  g_test_add_func ("/vigil/model/alert-update-from", test_alert_update_from);
  g_test_add_func ("/vigil/model/severity-words", test_severity_words);
  g_test_add_func ("/vigil/model/series", test_series_model);
  g_test_add_func ("/vigil/model/query-result", test_query_result_model);

  return g_test_run ();
}
