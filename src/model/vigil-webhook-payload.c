/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "vigil-webhook-payload"

#include "config.h"

#include <glib/gi18n.h>

#include "vigil-json-private.h"
#include "vigil-parse.h"
#include "vigil-webhook-payload.h"

/* The only payload version Alertmanager has sent since 0.x; a new one would
 * change the shape, and polling still covers what push cannot read. */
#define SUPPORTED_VERSION "4"

struct _VigilWebhookPayload
{
  GObject             parent_instance;

  char               *receiver;
  char               *group_key;
  char               *external_url;
  VigilWebhookStatus  status;
  guint               truncated_alerts;
  GHashTable         *group_labels;
  GHashTable         *common_labels;
  GHashTable         *common_annotations;
  GPtrArray          *firing;
  GPtrArray          *resolved;
};

G_DEFINE_FINAL_TYPE (VigilWebhookPayload, vigil_webhook_payload, G_TYPE_OBJECT)

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

static void
add_to_map (const char *name,
            const char *value,
            gpointer    user_data)
{
  /* The same rule as VigilAlert's maps: an empty value is an absent one. */
  if (name[0] == '\0' || value[0] == '\0')
    return;

  g_hash_table_replace (user_data, g_strdup (name), g_strdup (value));
}

static GDateTime *
parse_time (JsonObject *object,
            const char *member)
{
  g_autoptr(GDateTime) when = vigil_parse_timestamp (vigil_json_get_string (object, member));

  /* Alertmanager writes Go's zero time, 0001-01-01T00:00:00Z, for "not
   * set" (the endsAt of a firing alert). */
  if (when == NULL || g_date_time_get_year (when) <= 1)
    return NULL;

  return g_steal_pointer (&when);
}

static VigilAlert *
parse_alert (JsonNode    *node,
             const char  *receiver,
             gboolean    *resolved)
{
  g_autoptr(VigilAlert) alert = NULL;
  g_autoptr(GDateTime) starts_at = NULL;
  g_autoptr(GDateTime) ends_at = NULL;
  const char *receivers[] = { receiver, NULL };
  JsonObject *object;
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
      /* Alertmanager before 0.19 sent no fingerprint; the computed one is
       * the one it would have sent, so polls and pushes still agree. */
      g_autofree char *computed = vigil_alert_compute_fingerprint (alert);

      vigil_alert_set_fingerprint (alert, computed);
    }
  else
    {
      return NULL;
    }

  /* "firing" or "resolved"; a word a later version adds is read as firing,
   * since an alert shown by mistake costs less than one hidden, and the
   * next poll corrects it. */
  *resolved = g_strcmp0 (vigil_json_get_string (object, "status"), "resolved") == 0;

  /* Silenced and inhibited alerts never reach a notifier, so whatever a
   * webhook says is firing was active when it was sent. */
  vigil_alert_set_state (alert, VIGIL_ALERT_STATE_ACTIVE);

  starts_at = parse_time (object, "startsAt");
  if (starts_at != NULL)
    vigil_alert_set_starts_at (alert, starts_at);

  if (*resolved)
    {
      ends_at = parse_time (object, "endsAt");
      if (ends_at != NULL)
        vigil_alert_set_ends_at (alert, ends_at);
    }

  vigil_alert_set_generator_url (alert, vigil_json_get_string (object, "generatorURL"));
  if (receiver[0] != '\0')
    vigil_alert_set_receivers (alert, receivers);

  return g_steal_pointer (&alert);
}

static gboolean
parse_payload (VigilWebhookPayload  *self,
               JsonObject           *root,
               GError              **error)
{
  const char *version;
  const char *text;
  JsonArray *alerts;
  double truncated;
  guint length;

  version = vigil_json_get_string (root, "version");
  alerts = vigil_json_get_array (root, "alerts");

  if (version == NULL || alerts == NULL)
    {
      g_set_error_literal (error, VIGIL_PARSE_ERROR, VIGIL_PARSE_ERROR_UNEXPECTED,
                           _("The request is not an Alertmanager webhook notification"));
      return FALSE;
    }

  if (g_strcmp0 (version, SUPPORTED_VERSION) != 0)
    {
      g_set_error (error, VIGIL_PARSE_ERROR, VIGIL_PARSE_ERROR_UNEXPECTED,
                   _("Alertmanager sent webhook payload version “%s”; Vigil reads version %s"),
                   version, SUPPORTED_VERSION);
      return FALSE;
    }

  text = vigil_json_get_string (root, "receiver");
  self->receiver = g_strdup (text != NULL ? text : "");
  text = vigil_json_get_string (root, "groupKey");
  self->group_key = g_strdup (text != NULL ? text : "");
  text = vigil_json_get_string (root, "externalURL");
  self->external_url = g_strdup (text != NULL ? text : "");

  self->status = g_strcmp0 (vigil_json_get_string (root, "status"), "resolved") == 0
                 ? VIGIL_WEBHOOK_STATUS_RESOLVED
                 : VIGIL_WEBHOOK_STATUS_FIRING;

  if (vigil_json_node_get_number (json_object_get_member (root, "truncatedAlerts"), &truncated)
      && truncated >= 1 && truncated < G_MAXUINT)
    self->truncated_alerts = (guint) truncated;

  vigil_json_foreach_string (vigil_json_get_object (root, "groupLabels"),
                             add_to_map, self->group_labels);
  vigil_json_foreach_string (vigil_json_get_object (root, "commonLabels"),
                             add_to_map, self->common_labels);
  vigil_json_foreach_string (vigil_json_get_object (root, "commonAnnotations"),
                             add_to_map, self->common_annotations);

  length = json_array_get_length (alerts);
  for (guint i = 0; i < length; i++)
    {
      gboolean resolved = FALSE;
      VigilAlert *alert = parse_alert (json_array_get_element (alerts, i), self->receiver, &resolved);

      if (alert == NULL)
        g_debug ("Skipping element %u: not an alert (no fingerprint, no labels)", i);
      else
        g_ptr_array_add (resolved ? self->resolved : self->firing, alert);
    }

  if (length > 0 && self->firing->len == 0 && self->resolved->len == 0)
    {
      g_set_error_literal (error, VIGIL_PARSE_ERROR, VIGIL_PARSE_ERROR_UNEXPECTED,
                           _("The webhook notification lists alerts, but none of them is readable"));
      return FALSE;
    }

  return TRUE;
}

static void
vigil_webhook_payload_finalize (GObject *object)
{
  VigilWebhookPayload *self = VIGIL_WEBHOOK_PAYLOAD (object);

  g_clear_pointer (&self->receiver, g_free);
  g_clear_pointer (&self->group_key, g_free);
  g_clear_pointer (&self->external_url, g_free);
  g_clear_pointer (&self->group_labels, g_hash_table_unref);
  g_clear_pointer (&self->common_labels, g_hash_table_unref);
  g_clear_pointer (&self->common_annotations, g_hash_table_unref);
  g_clear_pointer (&self->firing, g_ptr_array_unref);
  g_clear_pointer (&self->resolved, g_ptr_array_unref);

  G_OBJECT_CLASS (vigil_webhook_payload_parent_class)->finalize (object);
}

static void
vigil_webhook_payload_class_init (VigilWebhookPayloadClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = vigil_webhook_payload_finalize;
}

static void
vigil_webhook_payload_init (VigilWebhookPayload *self)
{
  self->group_labels = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->common_labels = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->common_annotations = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->firing = g_ptr_array_new_with_free_func (g_object_unref);
  self->resolved = g_ptr_array_new_with_free_func (g_object_unref);
}

VigilWebhookPayload *
vigil_webhook_payload_new_from_bytes (GBytes  *body,
                                      GError **error)
{
  g_autoptr(VigilWebhookPayload) self = NULL;
  g_autoptr(JsonNode) root = NULL;

  g_return_val_if_fail (body != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  root = vigil_json_parse_bytes (body, FALSE, error);
  if (root == NULL)
    return NULL;

  if (!JSON_NODE_HOLDS_OBJECT (root))
    {
      g_set_error_literal (error, VIGIL_PARSE_ERROR, VIGIL_PARSE_ERROR_UNEXPECTED,
                           _("The request is not an Alertmanager webhook notification"));
      return NULL;
    }

  self = g_object_new (VIGIL_TYPE_WEBHOOK_PAYLOAD, NULL);
  if (!parse_payload (self, json_node_get_object (root), error))
    return NULL;

  return g_steal_pointer (&self);
}

const char *
vigil_webhook_payload_get_receiver (VigilWebhookPayload *self)
{
  g_return_val_if_fail (VIGIL_IS_WEBHOOK_PAYLOAD (self), NULL);

  return self->receiver;
}

const char *
vigil_webhook_payload_get_group_key (VigilWebhookPayload *self)
{
  g_return_val_if_fail (VIGIL_IS_WEBHOOK_PAYLOAD (self), NULL);

  return self->group_key;
}

const char *
vigil_webhook_payload_get_external_url (VigilWebhookPayload *self)
{
  g_return_val_if_fail (VIGIL_IS_WEBHOOK_PAYLOAD (self), NULL);

  return self->external_url;
}

VigilWebhookStatus
vigil_webhook_payload_get_status (VigilWebhookPayload *self)
{
  g_return_val_if_fail (VIGIL_IS_WEBHOOK_PAYLOAD (self), VIGIL_WEBHOOK_STATUS_FIRING);

  return self->status;
}

guint
vigil_webhook_payload_get_truncated_alerts (VigilWebhookPayload *self)
{
  g_return_val_if_fail (VIGIL_IS_WEBHOOK_PAYLOAD (self), 0);

  return self->truncated_alerts;
}

GHashTable *
vigil_webhook_payload_get_group_labels (VigilWebhookPayload *self)
{
  g_return_val_if_fail (VIGIL_IS_WEBHOOK_PAYLOAD (self), NULL);

  return self->group_labels;
}

GHashTable *
vigil_webhook_payload_get_common_labels (VigilWebhookPayload *self)
{
  g_return_val_if_fail (VIGIL_IS_WEBHOOK_PAYLOAD (self), NULL);

  return self->common_labels;
}

GHashTable *
vigil_webhook_payload_get_common_annotations (VigilWebhookPayload *self)
{
  g_return_val_if_fail (VIGIL_IS_WEBHOOK_PAYLOAD (self), NULL);

  return self->common_annotations;
}

GPtrArray *
vigil_webhook_payload_get_firing (VigilWebhookPayload *self)
{
  g_return_val_if_fail (VIGIL_IS_WEBHOOK_PAYLOAD (self), NULL);

  return self->firing;
}

GPtrArray *
vigil_webhook_payload_get_resolved (VigilWebhookPayload *self)
{
  g_return_val_if_fail (VIGIL_IS_WEBHOOK_PAYLOAD (self), NULL);

  return self->resolved;
}
