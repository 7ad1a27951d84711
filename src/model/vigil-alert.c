/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "vigil-alert"

#include "config.h"

#include <math.h>
#include <string.h>

#include "vigil-alert.h"

struct _VigilAlert
{
  GObject          parent_instance;

  char            *fingerprint;
  GHashTable      *labels;         /* char* -> char*, values never empty */
  GHashTable      *annotations;    /* char* -> char*, values never empty */
  VigilAlertState  state;
  GStrv            silenced_by;    /* never NULL */
  GStrv            inhibited_by;   /* never NULL */
  GStrv            receivers;      /* never NULL */
  GDateTime       *starts_at;
  GDateTime       *ends_at;
  GDateTime       *updated_at;
  char            *generator_url;
  char            *source;
  double           value;          /* NaN when the source gives none */
};

/* The derived values as they were before a change, so that only the
 * properties that really changed are notified. */
typedef struct {
  char          *name;
  VigilSeverity  severity;
  char          *summary;
} Derived;

G_DEFINE_FINAL_TYPE (VigilAlert, vigil_alert, G_TYPE_OBJECT)

G_DEFINE_ENUM_TYPE (VigilAlertState, vigil_alert_state,
  G_DEFINE_ENUM_VALUE (VIGIL_ALERT_STATE_ACTIVE, "active"),
  G_DEFINE_ENUM_VALUE (VIGIL_ALERT_STATE_SUPPRESSED, "suppressed"),
  G_DEFINE_ENUM_VALUE (VIGIL_ALERT_STATE_UNPROCESSED, "unprocessed"),
  G_DEFINE_ENUM_VALUE (VIGIL_ALERT_STATE_PENDING, "pending"))

G_DEFINE_ENUM_TYPE (VigilSeverity, vigil_severity,
  G_DEFINE_ENUM_VALUE (VIGIL_SEVERITY_NONE, "none"),
  G_DEFINE_ENUM_VALUE (VIGIL_SEVERITY_INFO, "info"),
  G_DEFINE_ENUM_VALUE (VIGIL_SEVERITY_WARNING, "warning"),
  G_DEFINE_ENUM_VALUE (VIGIL_SEVERITY_CRITICAL, "critical"))

enum {
  PROP_0,
  PROP_FINGERPRINT,
  PROP_STATE,
  PROP_SILENCED_BY,
  PROP_INHIBITED_BY,
  PROP_RECEIVERS,
  PROP_STARTS_AT,
  PROP_ENDS_AT,
  PROP_UPDATED_AT,
  PROP_GENERATOR_URL,
  PROP_SOURCE,
  PROP_VALUE,
  PROP_NAME,
  PROP_SEVERITY,
  PROP_SUMMARY,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static const char * const empty_strv[] = { NULL };

static gboolean
is_derived_key (const char *key)
{
  return strcmp (key, "alertname") == 0
         || strcmp (key, "severity") == 0
         || strcmp (key, "summary") == 0;
}

static void
capture_derived (VigilAlert *self,
                 Derived    *derived)
{
  derived->name = g_strdup (vigil_alert_get_name (self));
  derived->severity = vigil_alert_get_severity (self);
  derived->summary = g_strdup (vigil_alert_get_summary (self));
}

static void
notify_derived (VigilAlert *self,
                Derived    *before)
{
  if (g_strcmp0 (before->name, vigil_alert_get_name (self)) != 0)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_NAME]);
  if (before->severity != vigil_alert_get_severity (self))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SEVERITY]);
  if (g_strcmp0 (before->summary, vigil_alert_get_summary (self)) != 0)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SUMMARY]);

  g_free (before->name);
  g_free (before->summary);
}

/* Stores @value under @key, or removes @key when @value is NULL or empty.
 * Returns whether the table changed. */
static gboolean
update_map (GHashTable *map,
            const char *key,
            const char *value)
{
  const char *old = g_hash_table_lookup (map, key);

  if (value == NULL || value[0] == '\0')
    return g_hash_table_remove (map, key);

  if (g_strcmp0 (old, value) == 0)
    return FALSE;

  g_hash_table_insert (map, g_strdup (key), g_strdup (value));
  return TRUE;
}

static gboolean
maps_equal (GHashTable *a,
            GHashTable *b)
{
  GHashTableIter iter;
  gpointer key, value;

  if (g_hash_table_size (a) != g_hash_table_size (b))
    return FALSE;

  g_hash_table_iter_init (&iter, a);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      if (g_strcmp0 (value, g_hash_table_lookup (b, key)) != 0)
        return FALSE;
    }

  return TRUE;
}

/* Makes @dest a copy of @src. Returns whether that changed anything. */
static gboolean
copy_map (GHashTable *dest,
          GHashTable *src)
{
  GHashTableIter iter;
  gpointer key, value;

  if (maps_equal (dest, src))
    return FALSE;

  g_hash_table_remove_all (dest);
  g_hash_table_iter_init (&iter, src);
  while (g_hash_table_iter_next (&iter, &key, &value))
    g_hash_table_insert (dest, g_strdup (key), g_strdup (value));

  return TRUE;
}

static int
compare_names (gconstpointer a,
               gconstpointer b)
{
  /* Byte order, as Go's sort of label names, so that the order is the one
   * Prometheus and Alertmanager show and the fingerprint uses. */
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

static const char **
dup_sorted_keys (GHashTable *map)
{
  guint n_keys = 0;
  const char **keys = (const char **) g_hash_table_get_keys_as_array (map, &n_keys);

  qsort (keys, n_keys, sizeof (char *), compare_names);
  return keys;
}

static gboolean
set_strv (GStrv              *field,
          const char * const *value)
{
  if (value == NULL)
    value = empty_strv;

  if (g_strv_equal ((const char * const *) *field, value))
    return FALSE;

  g_strfreev (*field);
  *field = g_strdupv ((char **) value);
  return TRUE;
}

static gboolean
set_string (char       **field,
            const char  *value)
{
  /* g_set_str() would do, but it is newer than the GLib of Debian 12. */
  if (g_strcmp0 (*field, value) == 0)
    return FALSE;

  g_free (*field);
  *field = g_strdup (value);
  return TRUE;
}

static gboolean
set_date_time (GDateTime **field,
               GDateTime  *value)
{
  if (*field == value)
    return FALSE;

  if (*field != NULL && value != NULL && g_date_time_equal (*field, value))
    return FALSE;

  g_clear_pointer (field, g_date_time_unref);
  /* The header promises UTC whatever zone the caller used. */
  if (value != NULL)
    *field = g_date_time_to_utc (value);

  return TRUE;
}

/* NaN is a value Prometheus reports like any other, so two NaNs are the
 * same value here, and -0 is told apart from 0 as the server's text does. */
static gboolean
set_double (double *field,
            double  value)
{
  if (isnan (*field) && isnan (value))
    return FALSE;
  if (*field == value && signbit (*field) == signbit (value))
    return FALSE;

  *field = value;
  return TRUE;
}

static void
notify_if (VigilAlert *self,
           guint       prop_id,
           gboolean   *changed,
           gboolean    did_change)
{
  if (!did_change)
    return;

  g_object_notify_by_pspec (G_OBJECT (self), properties[prop_id]);
  *changed = TRUE;
}

static void
vigil_alert_finalize (GObject *object)
{
  VigilAlert *self = (VigilAlert *) object;

  g_clear_pointer (&self->fingerprint, g_free);
  g_clear_pointer (&self->labels, g_hash_table_unref);
  g_clear_pointer (&self->annotations, g_hash_table_unref);
  g_clear_pointer (&self->silenced_by, g_strfreev);
  g_clear_pointer (&self->inhibited_by, g_strfreev);
  g_clear_pointer (&self->receivers, g_strfreev);
  g_clear_pointer (&self->starts_at, g_date_time_unref);
  g_clear_pointer (&self->ends_at, g_date_time_unref);
  g_clear_pointer (&self->updated_at, g_date_time_unref);
  g_clear_pointer (&self->generator_url, g_free);
  g_clear_pointer (&self->source, g_free);

  G_OBJECT_CLASS (vigil_alert_parent_class)->finalize (object);
}

static void
vigil_alert_get_property (GObject    *object,
                          guint       prop_id,
                          GValue     *value,
                          GParamSpec *pspec)
{
  VigilAlert *self = VIGIL_ALERT (object);

  switch (prop_id)
    {
    case PROP_FINGERPRINT:
      g_value_set_string (value, self->fingerprint);
      break;

    case PROP_STATE:
      g_value_set_enum (value, self->state);
      break;

    case PROP_SILENCED_BY:
      g_value_set_boxed (value, self->silenced_by);
      break;

    case PROP_INHIBITED_BY:
      g_value_set_boxed (value, self->inhibited_by);
      break;

    case PROP_RECEIVERS:
      g_value_set_boxed (value, self->receivers);
      break;

    case PROP_STARTS_AT:
      g_value_set_boxed (value, self->starts_at);
      break;

    case PROP_ENDS_AT:
      g_value_set_boxed (value, self->ends_at);
      break;

    case PROP_UPDATED_AT:
      g_value_set_boxed (value, self->updated_at);
      break;

    case PROP_GENERATOR_URL:
      g_value_set_string (value, self->generator_url);
      break;

    case PROP_SOURCE:
      g_value_set_string (value, self->source);
      break;

    case PROP_VALUE:
      g_value_set_double (value, self->value);
      break;

    case PROP_NAME:
      g_value_set_string (value, vigil_alert_get_name (self));
      break;

    case PROP_SEVERITY:
      g_value_set_enum (value, vigil_alert_get_severity (self));
      break;

    case PROP_SUMMARY:
      g_value_set_string (value, vigil_alert_get_summary (self));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
vigil_alert_set_property (GObject      *object,
                          guint         prop_id,
                          const GValue *value,
                          GParamSpec   *pspec)
{
  VigilAlert *self = VIGIL_ALERT (object);

  switch (prop_id)
    {
    case PROP_FINGERPRINT:
      vigil_alert_set_fingerprint (self, g_value_get_string (value));
      break;

    case PROP_STATE:
      vigil_alert_set_state (self, g_value_get_enum (value));
      break;

    case PROP_SILENCED_BY:
      vigil_alert_set_silenced_by (self, g_value_get_boxed (value));
      break;

    case PROP_INHIBITED_BY:
      vigil_alert_set_inhibited_by (self, g_value_get_boxed (value));
      break;

    case PROP_RECEIVERS:
      vigil_alert_set_receivers (self, g_value_get_boxed (value));
      break;

    case PROP_STARTS_AT:
      vigil_alert_set_starts_at (self, g_value_get_boxed (value));
      break;

    case PROP_ENDS_AT:
      vigil_alert_set_ends_at (self, g_value_get_boxed (value));
      break;

    case PROP_UPDATED_AT:
      vigil_alert_set_updated_at (self, g_value_get_boxed (value));
      break;

    case PROP_GENERATOR_URL:
      vigil_alert_set_generator_url (self, g_value_get_string (value));
      break;

    case PROP_SOURCE:
      vigil_alert_set_source (self, g_value_get_string (value));
      break;

    case PROP_VALUE:
      vigil_alert_set_value (self, g_value_get_double (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
vigil_alert_class_init (VigilAlertClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = vigil_alert_finalize;
  object_class->get_property = vigil_alert_get_property;
  object_class->set_property = vigil_alert_set_property;

  properties[PROP_FINGERPRINT] =
    g_param_spec_string ("fingerprint", NULL, NULL,
                         NULL,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_STATE] =
    g_param_spec_enum ("state", NULL, NULL,
                       VIGIL_TYPE_ALERT_STATE,
                       VIGIL_ALERT_STATE_ACTIVE,
                       (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_SILENCED_BY] =
    g_param_spec_boxed ("silenced-by", NULL, NULL,
                        G_TYPE_STRV,
                        (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_INHIBITED_BY] =
    g_param_spec_boxed ("inhibited-by", NULL, NULL,
                        G_TYPE_STRV,
                        (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_RECEIVERS] =
    g_param_spec_boxed ("receivers", NULL, NULL,
                        G_TYPE_STRV,
                        (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_STARTS_AT] =
    g_param_spec_boxed ("starts-at", NULL, NULL,
                        G_TYPE_DATE_TIME,
                        (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_ENDS_AT] =
    g_param_spec_boxed ("ends-at", NULL, NULL,
                        G_TYPE_DATE_TIME,
                        (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_UPDATED_AT] =
    g_param_spec_boxed ("updated-at", NULL, NULL,
                        G_TYPE_DATE_TIME,
                        (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_GENERATOR_URL] =
    g_param_spec_string ("generator-url", NULL, NULL,
                         NULL,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_SOURCE] =
    g_param_spec_string ("source", NULL, NULL,
                         NULL,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_VALUE] =
    g_param_spec_double ("value", NULL, NULL,
                         -INFINITY, INFINITY, 0,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_NAME] =
    g_param_spec_string ("name", NULL, NULL,
                         NULL,
                         (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_SEVERITY] =
    g_param_spec_enum ("severity", NULL, NULL,
                       VIGIL_TYPE_SEVERITY,
                       VIGIL_SEVERITY_NONE,
                       (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_SUMMARY] =
    g_param_spec_string ("summary", NULL, NULL,
                         NULL,
                         (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * VigilAlert::changed:
   *
   * Emitted by vigil_alert_update_from() when the update changed
   * anything, once per update however many fields changed, so that a view
   * refreshes a row once.
   */
  signals[CHANGED] =
    g_signal_new ("changed",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);
}

static void
vigil_alert_init (VigilAlert *self)
{
  self->labels = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->annotations = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->state = VIGIL_ALERT_STATE_ACTIVE;
  self->silenced_by = g_strdupv ((char **) empty_strv);
  self->inhibited_by = g_strdupv ((char **) empty_strv);
  self->receivers = g_strdupv ((char **) empty_strv);
  self->value = NAN;
}

VigilAlert *
vigil_alert_new (void)
{
  return g_object_new (VIGIL_TYPE_ALERT, NULL);
}

const char *
vigil_alert_get_fingerprint (VigilAlert *self)
{
  g_return_val_if_fail (VIGIL_IS_ALERT (self), NULL);

  return self->fingerprint;
}

void
vigil_alert_set_fingerprint (VigilAlert *self,
                             const char *fingerprint)
{
  Derived before;

  g_return_if_fail (VIGIL_IS_ALERT (self));

  if (g_strcmp0 (self->fingerprint, fingerprint) == 0)
    return;

  capture_derived (self, &before);
  g_free (self->fingerprint);
  self->fingerprint = g_strdup (fingerprint);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FINGERPRINT]);
  notify_derived (self, &before);
}

GHashTable *
vigil_alert_get_labels (VigilAlert *self)
{
  g_return_val_if_fail (VIGIL_IS_ALERT (self), NULL);

  return self->labels;
}

GHashTable *
vigil_alert_get_annotations (VigilAlert *self)
{
  g_return_val_if_fail (VIGIL_IS_ALERT (self), NULL);

  return self->annotations;
}

const char *
vigil_alert_get_label (VigilAlert *self,
                       const char *name)
{
  g_return_val_if_fail (VIGIL_IS_ALERT (self), NULL);
  g_return_val_if_fail (name != NULL, NULL);

  return g_hash_table_lookup (self->labels, name);
}

void
vigil_alert_set_label (VigilAlert *self,
                       const char *name,
                       const char *value)
{
  Derived before;
  gboolean derived;

  g_return_if_fail (VIGIL_IS_ALERT (self));
  g_return_if_fail (name != NULL);

  /* A label needs a name; Alertmanager refuses alerts with an empty one. */
  if (name[0] == '\0')
    return;

  derived = is_derived_key (name);
  if (derived)
    capture_derived (self, &before);

  update_map (self->labels, name, value);

  if (derived)
    notify_derived (self, &before);
}

const char *
vigil_alert_get_annotation (VigilAlert *self,
                            const char *name)
{
  g_return_val_if_fail (VIGIL_IS_ALERT (self), NULL);
  g_return_val_if_fail (name != NULL, NULL);

  return g_hash_table_lookup (self->annotations, name);
}

void
vigil_alert_set_annotation (VigilAlert *self,
                            const char *name,
                            const char *value)
{
  Derived before;
  gboolean derived;

  g_return_if_fail (VIGIL_IS_ALERT (self));
  g_return_if_fail (name != NULL);

  if (name[0] == '\0')
    return;

  derived = is_derived_key (name);
  if (derived)
    capture_derived (self, &before);

  update_map (self->annotations, name, value);

  if (derived)
    notify_derived (self, &before);
}

const char **
vigil_alert_dup_sorted_label_names (VigilAlert *self)
{
  g_return_val_if_fail (VIGIL_IS_ALERT (self), NULL);

  return dup_sorted_keys (self->labels);
}

const char **
vigil_alert_dup_sorted_annotation_names (VigilAlert *self)
{
  g_return_val_if_fail (VIGIL_IS_ALERT (self), NULL);

  return dup_sorted_keys (self->annotations);
}

VigilAlertState
vigil_alert_get_state (VigilAlert *self)
{
  g_return_val_if_fail (VIGIL_IS_ALERT (self), VIGIL_ALERT_STATE_ACTIVE);

  return self->state;
}

void
vigil_alert_set_state (VigilAlert      *self,
                       VigilAlertState  state)
{
  g_return_if_fail (VIGIL_IS_ALERT (self));
  g_return_if_fail (state <= VIGIL_ALERT_STATE_PENDING);

  if (self->state == state)
    return;

  self->state = state;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
}

const char * const *
vigil_alert_get_silenced_by (VigilAlert *self)
{
  g_return_val_if_fail (VIGIL_IS_ALERT (self), NULL);

  return (const char * const *) self->silenced_by;
}

void
vigil_alert_set_silenced_by (VigilAlert         *self,
                             const char * const *ids)
{
  g_return_if_fail (VIGIL_IS_ALERT (self));

  if (set_strv (&self->silenced_by, ids))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SILENCED_BY]);
}

const char * const *
vigil_alert_get_inhibited_by (VigilAlert *self)
{
  g_return_val_if_fail (VIGIL_IS_ALERT (self), NULL);

  return (const char * const *) self->inhibited_by;
}

void
vigil_alert_set_inhibited_by (VigilAlert         *self,
                              const char * const *fingerprints)
{
  g_return_if_fail (VIGIL_IS_ALERT (self));

  if (set_strv (&self->inhibited_by, fingerprints))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_INHIBITED_BY]);
}

const char * const *
vigil_alert_get_receivers (VigilAlert *self)
{
  g_return_val_if_fail (VIGIL_IS_ALERT (self), NULL);

  return (const char * const *) self->receivers;
}

void
vigil_alert_set_receivers (VigilAlert         *self,
                           const char * const *receivers)
{
  g_return_if_fail (VIGIL_IS_ALERT (self));

  if (set_strv (&self->receivers, receivers))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RECEIVERS]);
}

GDateTime *
vigil_alert_get_starts_at (VigilAlert *self)
{
  g_return_val_if_fail (VIGIL_IS_ALERT (self), NULL);

  return self->starts_at;
}

void
vigil_alert_set_starts_at (VigilAlert *self,
                           GDateTime  *when)
{
  g_return_if_fail (VIGIL_IS_ALERT (self));

  if (set_date_time (&self->starts_at, when))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STARTS_AT]);
}

GDateTime *
vigil_alert_get_ends_at (VigilAlert *self)
{
  g_return_val_if_fail (VIGIL_IS_ALERT (self), NULL);

  return self->ends_at;
}

void
vigil_alert_set_ends_at (VigilAlert *self,
                         GDateTime  *when)
{
  g_return_if_fail (VIGIL_IS_ALERT (self));

  if (set_date_time (&self->ends_at, when))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ENDS_AT]);
}

GDateTime *
vigil_alert_get_updated_at (VigilAlert *self)
{
  g_return_val_if_fail (VIGIL_IS_ALERT (self), NULL);

  return self->updated_at;
}

void
vigil_alert_set_updated_at (VigilAlert *self,
                            GDateTime  *when)
{
  g_return_if_fail (VIGIL_IS_ALERT (self));

  if (set_date_time (&self->updated_at, when))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_UPDATED_AT]);
}

const char *
vigil_alert_get_generator_url (VigilAlert *self)
{
  g_return_val_if_fail (VIGIL_IS_ALERT (self), NULL);

  return self->generator_url;
}

void
vigil_alert_set_generator_url (VigilAlert *self,
                               const char *url)
{
  g_return_if_fail (VIGIL_IS_ALERT (self));

  if (set_string (&self->generator_url, url))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_GENERATOR_URL]);
}

const char *
vigil_alert_get_source (VigilAlert *self)
{
  g_return_val_if_fail (VIGIL_IS_ALERT (self), NULL);

  return self->source;
}

void
vigil_alert_set_source (VigilAlert *self,
                        const char *source)
{
  g_return_if_fail (VIGIL_IS_ALERT (self));

  if (set_string (&self->source, source))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SOURCE]);
}

double
vigil_alert_get_value (VigilAlert *self)
{
  g_return_val_if_fail (VIGIL_IS_ALERT (self), NAN);

  return self->value;
}

void
vigil_alert_set_value (VigilAlert *self,
                       double      value)
{
  g_return_if_fail (VIGIL_IS_ALERT (self));

  if (set_double (&self->value, value))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_VALUE]);
}

gboolean
vigil_alert_update_from (VigilAlert *self,
                         VigilAlert *other)
{
  GObject *object = (GObject *) self;
  gboolean changed = FALSE;
  Derived before;

  g_return_val_if_fail (VIGIL_IS_ALERT (self), FALSE);
  g_return_val_if_fail (VIGIL_IS_ALERT (other), FALSE);

  if (self == other)
    return FALSE;

  g_object_freeze_notify (object);
  capture_derived (self, &before);

  /* The fingerprint is the alert's identity (and a key in the tracker's
   * tables), so an alert that has one keeps it. */
  if (self->fingerprint == NULL && other->fingerprint != NULL)
    {
      self->fingerprint = g_strdup (other->fingerprint);
      g_object_notify_by_pspec (object, properties[PROP_FINGERPRINT]);
      changed = TRUE;
    }

  changed |= copy_map (self->labels, other->labels);
  changed |= copy_map (self->annotations, other->annotations);

  if (self->state != other->state)
    {
      self->state = other->state;
      g_object_notify_by_pspec (object, properties[PROP_STATE]);
      changed = TRUE;
    }

  notify_if (self, PROP_SILENCED_BY, &changed,
             set_strv (&self->silenced_by, (const char * const *) other->silenced_by));
  notify_if (self, PROP_INHIBITED_BY, &changed,
             set_strv (&self->inhibited_by, (const char * const *) other->inhibited_by));
  notify_if (self, PROP_RECEIVERS, &changed,
             set_strv (&self->receivers, (const char * const *) other->receivers));
  notify_if (self, PROP_STARTS_AT, &changed,
             set_date_time (&self->starts_at, other->starts_at));
  notify_if (self, PROP_ENDS_AT, &changed,
             set_date_time (&self->ends_at, other->ends_at));
  notify_if (self, PROP_UPDATED_AT, &changed,
             set_date_time (&self->updated_at, other->updated_at));
  notify_if (self, PROP_GENERATOR_URL, &changed,
             set_string (&self->generator_url, other->generator_url));
  notify_if (self, PROP_SOURCE, &changed,
             set_string (&self->source, other->source));
  notify_if (self, PROP_VALUE, &changed,
             set_double (&self->value, other->value));

  notify_derived (self, &before);
  g_object_thaw_notify (object);

  if (changed)
    g_signal_emit (self, signals[CHANGED], 0);

  return changed;
}

const char *
vigil_alert_get_name (VigilAlert *self)
{
  g_return_val_if_fail (VIGIL_IS_ALERT (self), NULL);

  return g_hash_table_lookup (self->labels, "alertname");
}

VigilSeverity
vigil_alert_get_severity (VigilAlert *self)
{
  g_return_val_if_fail (VIGIL_IS_ALERT (self), VIGIL_SEVERITY_NONE);

  return vigil_severity_from_string (g_hash_table_lookup (self->labels, "severity"));
}

const char *
vigil_alert_get_summary (VigilAlert *self)
{
  const char *text;

  g_return_val_if_fail (VIGIL_IS_ALERT (self), NULL);

  if ((text = g_hash_table_lookup (self->annotations, "summary")))
    return text;
  if ((text = g_hash_table_lookup (self->labels, "alertname")))
    return text;
  if (self->fingerprint != NULL)
    return self->fingerprint;

  /* Never NULL: the summary ends up in notifications and rows as is. */
  return "";
}

gboolean
vigil_alert_is_heartbeat (VigilAlert *self)
{
  const char *name;

  g_return_val_if_fail (VIGIL_IS_ALERT (self), FALSE);

  name = vigil_alert_get_name (self);

  return g_strcmp0 (name, "Watchdog") == 0
         || g_strcmp0 (name, "DeadMansSwitch") == 0;
}

gboolean
vigil_alert_is_active (VigilAlert *self)
{
  g_return_val_if_fail (VIGIL_IS_ALERT (self), FALSE);

  return self->state == VIGIL_ALERT_STATE_ACTIVE
         || self->state == VIGIL_ALERT_STATE_UNPROCESSED;
}

char *
vigil_alert_compute_fingerprint (VigilAlert *self)
{
  /* FNV-1a, 64 bit, over the sorted label set with a 0xff byte after each
   * name and each value: prometheus/common's LabelSet.Fingerprint(), which
   * is what Alertmanager reports, so alerts from Prometheus' own list
   * deduplicate against Alertmanager's. */
  const guint64 offset64 = G_GUINT64_CONSTANT (14695981039346656037);
  const guint64 prime64 = G_GUINT64_CONSTANT (1099511628211);
  g_autofree const char **names = NULL;
  guint64 hash = offset64;

  g_return_val_if_fail (VIGIL_IS_ALERT (self), NULL);

  names = dup_sorted_keys (self->labels);

  for (guint i = 0; names[i] != NULL; i++)
    {
      const char *parts[2] = { names[i], g_hash_table_lookup (self->labels, names[i]) };

      for (guint p = 0; p < G_N_ELEMENTS (parts); p++)
        {
          for (const guchar *c = (const guchar *) parts[p]; *c != '\0'; c++)
            {
              hash ^= *c;
              hash *= prime64;
            }

          hash ^= 0xff;
          hash *= prime64;
        }
    }

  return g_strdup_printf ("%016" G_GINT64_MODIFIER "x", hash);
}

VigilSeverity
vigil_severity_from_string (const char *word)
{
  static const struct {
    const char    *word;
    VigilSeverity  severity;
  } words[] = {
    { "critical", VIGIL_SEVERITY_CRITICAL },
    { "page", VIGIL_SEVERITY_CRITICAL },
    { "error", VIGIL_SEVERITY_CRITICAL },
    { "warning", VIGIL_SEVERITY_WARNING },
    { "warn", VIGIL_SEVERITY_WARNING },
  };

  if (word == NULL || word[0] == '\0')
    return VIGIL_SEVERITY_NONE;

  for (guint i = 0; i < G_N_ELEMENTS (words); i++)
    {
      if (g_ascii_strcasecmp (word, words[i].word) == 0)
        return words[i].severity;
    }

  /* Any other word (info, none, low, …) still marks an alert someone chose
   * to label, which is worth more than one with no severity at all. */
  return VIGIL_SEVERITY_INFO;
}

const char *
vigil_severity_to_string (VigilSeverity severity)
{
  switch (severity)
    {
    case VIGIL_SEVERITY_NONE:
      return "none";
    case VIGIL_SEVERITY_INFO:
      return "info";
    case VIGIL_SEVERITY_WARNING:
      return "warning";
    case VIGIL_SEVERITY_CRITICAL:
      return "critical";
    default:
      g_return_val_if_reached (NULL);
    }
}

const char *
vigil_alert_state_to_string (VigilAlertState state)
{
  switch (state)
    {
    case VIGIL_ALERT_STATE_ACTIVE:
      return "active";
    case VIGIL_ALERT_STATE_SUPPRESSED:
      return "suppressed";
    case VIGIL_ALERT_STATE_UNPROCESSED:
      return "unprocessed";
    case VIGIL_ALERT_STATE_PENDING:
      return "pending";
    default:
      g_return_val_if_reached (NULL);
    }
}
