/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "vigil-alertmanager-parser"

#include "config.h"

#include <glib/gi18n.h>

#include "vigil-json-private.h"
#include "vigil-parse.h"

static void
add_label (const char *name,
           const char *value,
           gpointer    user_data)
{
  vigil_alert_set_label (user_data, name, value);
}

static void
add_annotation (const char *name,
                const char *value,
                gpointer    user_data)
{
  vigil_alert_set_annotation (user_data, name, value);
}

static GStrv
dup_string_array (JsonArray  *array,
                  const char *member)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  guint length = array != NULL ? json_array_get_length (array) : 0;

  for (guint i = 0; i < length; i++)
    {
      JsonNode *node = json_array_get_element (array, i);
      const char *text = vigil_json_node_get_string (node);

      /* Receivers are objects ({"name": …}) in API v2; a bare string is
       * accepted as well, it can only mean the name. */
      if (text == NULL && member != NULL && JSON_NODE_HOLDS_OBJECT (node))
        text = vigil_json_get_string (json_node_get_object (node), member);

      if (text != NULL && text[0] != '\0')
        g_strv_builder_add (builder, text);
    }

  return g_strv_builder_end (builder);
}

static VigilAlertState
state_from_string (const char *state)
{
  if (g_strcmp0 (state, "suppressed") == 0)
    return VIGIL_ALERT_STATE_SUPPRESSED;
  if (g_strcmp0 (state, "unprocessed") == 0)
    return VIGIL_ALERT_STATE_UNPROCESSED;

  /* "active", and whatever later versions add: an alert the client does
   * not understand is safer shown than hidden. */
  return VIGIL_ALERT_STATE_ACTIVE;
}

static void
set_time (VigilAlert  *alert,
          JsonObject  *object,
          const char  *member,
          void       (*set) (VigilAlert *, GDateTime *))
{
  g_autoptr(GDateTime) when = vigil_parse_timestamp (vigil_json_get_string (object, member));

  if (when != NULL)
    set (alert, when);
}

static VigilAlert *
parse_alert (JsonNode *node)
{
  g_autoptr(VigilAlert) alert = NULL;
  g_auto(GStrv) receivers = NULL;
  JsonObject *object;
  JsonObject *status;
  const char *fingerprint;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    return NULL;

  object = json_node_get_object (node);
  alert = vigil_alert_new ();

  vigil_json_foreach_string (vigil_json_get_object (object, "labels"), add_label, alert);
  vigil_json_foreach_string (vigil_json_get_object (object, "annotations"), add_annotation, alert);

  fingerprint = vigil_json_get_string (object, "fingerprint");
  if (fingerprint != NULL && fingerprint[0] != '\0')
    {
      vigil_alert_set_fingerprint (alert, fingerprint);
    }
  else if (g_hash_table_size (vigil_alert_get_labels (alert)) > 0)
    {
      /* Everything downstream keys alerts by fingerprint; the computed
       * one is the one Alertmanager would have given. */
      g_autofree char *computed = vigil_alert_compute_fingerprint (alert);

      vigil_alert_set_fingerprint (alert, computed);
    }
  else
    {
      return NULL;
    }

  status = vigil_json_get_object (object, "status");
  if (status != NULL)
    {
      g_auto(GStrv) silenced_by = dup_string_array (vigil_json_get_array (status, "silencedBy"), NULL);
      g_auto(GStrv) inhibited_by = dup_string_array (vigil_json_get_array (status, "inhibitedBy"), NULL);

      vigil_alert_set_state (alert, state_from_string (vigil_json_get_string (status, "state")));
      vigil_alert_set_silenced_by (alert, (const char * const *) silenced_by);
      vigil_alert_set_inhibited_by (alert, (const char * const *) inhibited_by);
    }

  receivers = dup_string_array (vigil_json_get_array (object, "receivers"), "name");
  vigil_alert_set_receivers (alert, (const char * const *) receivers);

  set_time (alert, object, "startsAt", vigil_alert_set_starts_at);
  set_time (alert, object, "endsAt", vigil_alert_set_ends_at);
  set_time (alert, object, "updatedAt", vigil_alert_set_updated_at);
  vigil_alert_set_generator_url (alert, vigil_json_get_string (object, "generatorURL"));

  return g_steal_pointer (&alert);
}

GPtrArray *
vigil_alertmanager_parse_alerts (GBytes  *body,
                                 GError **error)
{
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GPtrArray) alerts = NULL;
  JsonArray *array;
  guint length;

  g_return_val_if_fail (body != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  root = vigil_json_parse_bytes (body, FALSE, error);
  if (root == NULL)
    return NULL;

  if (!JSON_NODE_HOLDS_ARRAY (root))
    {
      g_set_error_literal (error, VIGIL_PARSE_ERROR, VIGIL_PARSE_ERROR_UNEXPECTED,
                           _("The answer is not a list of alerts; is this the address of an Alertmanager?"));
      return NULL;
    }

  array = json_node_get_array (root);
  length = json_array_get_length (array);
  alerts = g_ptr_array_new_full (length, g_object_unref);

  for (guint i = 0; i < length; i++)
    {
      VigilAlert *alert = parse_alert (json_array_get_element (array, i));

      if (alert != NULL)
        g_ptr_array_add (alerts, alert);
      else
        g_debug ("Skipping element %u: not an alert (no fingerprint, no labels)", i);
    }

  /* One broken element is skipped, but a list in which nothing is an
   * alert is some other answer (silences, say) and must not read as "no
   * alerts firing". */
  if (length > 0 && alerts->len == 0)
    {
      g_set_error_literal (error, VIGIL_PARSE_ERROR, VIGIL_PARSE_ERROR_UNEXPECTED,
                           _("The answer is a list, but none of its entries is an alert"));
      return NULL;
    }

  return g_steal_pointer (&alerts);
}
