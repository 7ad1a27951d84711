/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "vigil-prometheus-parser"

#include "config.h"

#include <math.h>
#include <string.h>

#include <glib/gi18n.h>

#include "vigil-json-private.h"
#include "vigil-parse.h"

/* Prometheus, Thanos Query, Mimir/Cortex and VictoriaMetrics all answer
 * with the same envelope (`status`, `data`, `errorType`, `error`,
 * `warnings`, `infos`); members only some of them send (`isPartial`,
 * `stats`) are ignored. */

static VigilPrometheusError
error_code_from_type (const char *type)
{
  static const struct {
    const char           *type;
    VigilPrometheusError  code;
  } types[] = {
    { "bad_data", VIGIL_PROMETHEUS_ERROR_BAD_DATA },
    { "execution", VIGIL_PROMETHEUS_ERROR_EXECUTION },
    { "timeout", VIGIL_PROMETHEUS_ERROR_TIMEOUT },
    { "canceled", VIGIL_PROMETHEUS_ERROR_CANCELED },
    { "internal", VIGIL_PROMETHEUS_ERROR_INTERNAL },
    { "unavailable", VIGIL_PROMETHEUS_ERROR_UNAVAILABLE },
  };

  for (guint i = 0; type != NULL && i < G_N_ELEMENTS (types); i++)
    {
      if (strcmp (type, types[i].type) == 0)
        return types[i].code;
    }

  return VIGIL_PROMETHEUS_ERROR_OTHER;
}

/* Returns the envelope's `data` object (owned by @root), or NULL with
 * @error set: the server's own error, or a shape that is not the API's. */
static JsonObject *
read_envelope (JsonNode  *root,
               GError   **error)
{
  JsonObject *object;
  JsonObject *data;
  const char *status;

  if (!JSON_NODE_HOLDS_OBJECT (root))
    {
      g_set_error_literal (error, VIGIL_PARSE_ERROR, VIGIL_PARSE_ERROR_UNEXPECTED,
                           _("The answer is not a Prometheus API response; is this the address of a Prometheus-compatible server?"));
      return NULL;
    }

  object = json_node_get_object (root);
  status = vigil_json_get_string (object, "status");

  if (g_strcmp0 (status, "error") == 0)
    {
      const char *type = vigil_json_get_string (object, "errorType");
      const char *text = vigil_json_get_string (object, "error");

      /* The server's text names the parameter and the position in the
       * query, which is what the user needs; it is passed on as is. */
      if (text != NULL && text[0] != '\0')
        g_set_error_literal (error, VIGIL_PROMETHEUS_ERROR, error_code_from_type (type), text);
      else
        g_set_error_literal (error, VIGIL_PROMETHEUS_ERROR, error_code_from_type (type),
                             _("The server reported an error without saying which"));
      return NULL;
    }

  if (status != NULL && strcmp (status, "success") != 0)
    {
      g_set_error (error, VIGIL_PARSE_ERROR, VIGIL_PARSE_ERROR_UNEXPECTED,
                   _("The server answered with the unknown status “%s”"), status);
      return NULL;
    }

  data = vigil_json_get_object (object, "data");
  if (data == NULL)
    {
      g_set_error_literal (error, VIGIL_PARSE_ERROR, VIGIL_PARSE_ERROR_UNEXPECTED,
                           _("The answer is not a Prometheus API response; it has no data"));
      return NULL;
    }

  return data;
}

static void
add_strings (JsonArray        *array,
             VigilQueryResult *result,
             void            (*add) (VigilQueryResult *, const char *))
{
  guint length = array != NULL ? json_array_get_length (array) : 0;

  for (guint i = 0; i < length; i++)
    {
      const char *text = vigil_json_node_get_string (json_array_get_element (array, i));

      if (text != NULL)
        add (result, text);
    }
}

/* A `[time, "value"]` pair. FALSE when it is not one; a value that does
 * not parse is NaN, a gap in a graph, so that one odd sample does not cost
 * the whole answer. */
static gboolean
read_sample (JsonNode *node,
             double   *time,
             double   *value)
{
  JsonArray *pair;

  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node))
    return FALSE;

  pair = json_node_get_array (node);
  if (json_array_get_length (pair) < 2)
    return FALSE;

  if (!vigil_json_node_get_number (json_array_get_element (pair, 0), time)
      || !isfinite (*time))
    return FALSE;

  if (!vigil_json_node_get_number (json_array_get_element (pair, 1), value))
    *value = NAN;

  return TRUE;
}

static void
add_series_label (const char *name,
                  const char *value,
                  gpointer    user_data)
{
  vigil_series_set_label (user_data, name, value);
}

static void
add_alert_label (const char *name,
                 const char *value,
                 gpointer    user_data)
{
  vigil_alert_set_label (user_data, name, value);
}

static void
add_alert_annotation (const char *name,
                      const char *value,
                      gpointer    user_data)
{
  vigil_alert_set_annotation (user_data, name, value);
}

static VigilSeries *
parse_series (JsonNode *node,
              gboolean  matrix)
{
  g_autoptr(VigilSeries) series = NULL;
  JsonObject *object;
  JsonObject *metric;
  double time;
  double value;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    return NULL;

  object = json_node_get_object (node);
  metric = vigil_json_get_object (object, "metric");

  /* An object with neither labels nor samples is not a series. One with
   * labels and a sample in a form this client does not read (a native
   * histogram, say) is kept: it still says that the series exists. */
  if (metric == NULL
      && !json_object_has_member (object, "value")
      && !json_object_has_member (object, "values"))
    return NULL;

  series = vigil_series_new ();
  vigil_json_foreach_string (metric, add_series_label, series);

  if (matrix)
    {
      JsonArray *values = vigil_json_get_array (object, "values");
      guint length = values != NULL ? json_array_get_length (values) : 0;

      for (guint i = 0; i < length; i++)
        {
          if (read_sample (json_array_get_element (values, i), &time, &value))
            vigil_series_append (series, time, value);
        }
    }
  else if (read_sample (json_object_get_member (object, "value"), &time, &value))
    {
      vigil_series_append (series, time, value);
    }

  return g_steal_pointer (&series);
}

static gboolean
read_series_list (VigilQueryResult  *result,
                  JsonNode          *node,
                  gboolean           matrix,
                  GError           **error)
{
  JsonArray *array;
  guint length;
  guint n_series = 0;

  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node))
    {
      g_set_error_literal (error, VIGIL_PARSE_ERROR, VIGIL_PARSE_ERROR_UNEXPECTED,
                           _("The query result is not a list of series"));
      return FALSE;
    }

  array = json_node_get_array (node);
  length = json_array_get_length (array);

  for (guint i = 0; i < length; i++)
    {
      g_autoptr(VigilSeries) series = parse_series (json_array_get_element (array, i), matrix);

      if (series == NULL)
        {
          g_debug ("Skipping result element %u: not a series", i);
          continue;
        }

      vigil_query_result_add_series (result, series);
      n_series++;
    }

  if (length > 0 && n_series == 0)
    {
      g_set_error_literal (error, VIGIL_PARSE_ERROR, VIGIL_PARSE_ERROR_UNEXPECTED,
                           _("The query result is a list, but none of its entries is a series"));
      return FALSE;
    }

  return TRUE;
}

static gboolean
read_single_value (VigilQueryResult  *result,
                   JsonNode          *node,
                   GError           **error)
{
  JsonArray *pair = NULL;
  double time;
  double value;

  /* A scalar or string result is one `[time, "value"]` pair, not a list
   * of two series. */
  if (node != NULL && JSON_NODE_HOLDS_ARRAY (node))
    pair = json_node_get_array (node);

  if (pair == NULL || json_array_get_length (pair) != 2
      || !vigil_json_node_get_number (json_array_get_element (pair, 0), &time))
    {
      g_set_error (error, VIGIL_PARSE_ERROR, VIGIL_PARSE_ERROR_UNEXPECTED,
                   _("The %s result is not a time and a value"),
                   vigil_result_type_to_string (vigil_query_result_get_result_type (result)));
      return FALSE;
    }

  if (vigil_query_result_get_result_type (result) == VIGIL_RESULT_SCALAR)
    {
      if (!vigil_json_node_get_number (json_array_get_element (pair, 1), &value))
        value = NAN;
      vigil_query_result_set_scalar (result, time, value);
    }
  else
    {
      const char *text = vigil_json_node_get_string (json_array_get_element (pair, 1));

      if (text == NULL)
        {
          g_set_error_literal (error, VIGIL_PARSE_ERROR, VIGIL_PARSE_ERROR_UNEXPECTED,
                               _("The string result holds no text"));
          return FALSE;
        }

      vigil_query_result_set_string (result, time, text);
    }

  return TRUE;
}

static gboolean
result_type_from_string (const char      *text,
                         VigilResultType *type)
{
  for (VigilResultType t = VIGIL_RESULT_VECTOR; t <= VIGIL_RESULT_STRING; t++)
    {
      if (g_strcmp0 (text, vigil_result_type_to_string (t)) == 0)
        {
          *type = t;
          return TRUE;
        }
    }

  return FALSE;
}

static VigilAlert *
parse_alert (JsonNode *node)
{
  g_autoptr(VigilAlert) alert = NULL;
  g_autoptr(GDateTime) active_at = NULL;
  g_autofree char *fingerprint = NULL;
  JsonObject *object;
  const char *state;
  double value;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    return NULL;

  object = json_node_get_object (node);
  alert = vigil_alert_new ();

  vigil_json_foreach_string (vigil_json_get_object (object, "labels"), add_alert_label, alert);
  vigil_json_foreach_string (vigil_json_get_object (object, "annotations"), add_alert_annotation, alert);

  /* The fingerprint is all that identifies an alert, and it comes from
   * the labels. */
  if (g_hash_table_size (vigil_alert_get_labels (alert)) == 0)
    return NULL;

  fingerprint = vigil_alert_compute_fingerprint (alert);
  vigil_alert_set_fingerprint (alert, fingerprint);

  /* Only "pending" keeps an alert from the engineer; "firing", and any
   * state a later version invents, is shown. */
  state = vigil_json_get_string (object, "state");
  if (g_strcmp0 (state, "pending") == 0)
    vigil_alert_set_state (alert, VIGIL_ALERT_STATE_PENDING);
  else
    vigil_alert_set_state (alert, VIGIL_ALERT_STATE_ACTIVE);

  active_at = vigil_parse_timestamp (vigil_json_get_string (object, "activeAt"));
  vigil_alert_set_starts_at (alert, active_at);

  /* Prometheus quotes the value ("1e+00", "+Inf") as it does samples; a
   * missing or odd one costs only the value, not the alert. */
  if (!vigil_json_node_get_number (json_object_get_member (object, "value"), &value))
    value = NAN;
  vigil_alert_set_value (alert, value);

  return g_steal_pointer (&alert);
}

VigilQueryResult *
vigil_prometheus_parse_query (GBytes  *body,
                              GError **error)
{
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(VigilQueryResult) result = NULL;
  JsonObject *data;
  JsonNode *result_node;
  const char *type_name;
  VigilResultType type;
  gboolean ok;

  g_return_val_if_fail (body != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  root = vigil_json_parse_bytes (body, FALSE, error);
  if (root == NULL)
    return NULL;

  data = read_envelope (root, error);
  if (data == NULL)
    return NULL;

  /* The type decides what `result` is, so it is read first. */
  type_name = vigil_json_get_string (data, "resultType");
  if (type_name == NULL)
    {
      g_set_error_literal (error, VIGIL_PARSE_ERROR, VIGIL_PARSE_ERROR_UNEXPECTED,
                           _("The answer does not say what type of result it holds"));
      return NULL;
    }

  if (!result_type_from_string (type_name, &type))
    {
      g_set_error (error, VIGIL_PARSE_ERROR, VIGIL_PARSE_ERROR_UNEXPECTED,
                   _("The server answered with the unknown result type “%s”"), type_name);
      return NULL;
    }

  result = vigil_query_result_new (type);
  result_node = json_object_get_member (data, "result");

  if (type == VIGIL_RESULT_VECTOR || type == VIGIL_RESULT_MATRIX)
    ok = read_series_list (result, result_node, type == VIGIL_RESULT_MATRIX, error);
  else
    ok = read_single_value (result, result_node, error);

  if (!ok)
    return NULL;

  add_strings (vigil_json_get_array (json_node_get_object (root), "warnings"),
               result, vigil_query_result_add_warning);
  add_strings (vigil_json_get_array (json_node_get_object (root), "infos"),
               result, vigil_query_result_add_info);

  return g_steal_pointer (&result);
}

GPtrArray *
vigil_prometheus_parse_alerts (GBytes  *body,
                               GError **error)
{
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GPtrArray) alerts = NULL;
  JsonObject *data;
  JsonArray *array;
  guint length;

  g_return_val_if_fail (body != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  root = vigil_json_parse_bytes (body, FALSE, error);
  if (root == NULL)
    return NULL;

  data = read_envelope (root, error);
  if (data == NULL)
    return NULL;

  array = vigil_json_get_array (data, "alerts");
  if (array == NULL)
    {
      g_set_error_literal (error, VIGIL_PARSE_ERROR, VIGIL_PARSE_ERROR_UNEXPECTED,
                           _("The answer holds no list of alerts"));
      return NULL;
    }

  length = json_array_get_length (array);
  alerts = g_ptr_array_new_full (length, g_object_unref);

  for (guint i = 0; i < length; i++)
    {
      VigilAlert *alert = parse_alert (json_array_get_element (array, i));

      if (alert != NULL)
        g_ptr_array_add (alerts, alert);
      else
        g_debug ("Skipping element %u: not an alert (no labels)", i);
    }

  if (length > 0 && alerts->len == 0)
    {
      g_set_error_literal (error, VIGIL_PARSE_ERROR, VIGIL_PARSE_ERROR_UNEXPECTED,
                           _("The answer is a list, but none of its entries is an alert"));
      return NULL;
    }

  return g_steal_pointer (&alerts);
}
