/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "vigil-silence"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "vigil-json-private.h"
#include "vigil-parse.h"
#include "vigil-silence.h"

struct _VigilSilence
{
  GObject            parent_instance;

  char              *id;
  GPtrArray         *matchers;     /* VigilMatcher */
  VigilSilenceState  state;
  GDateTime         *starts_at;
  GDateTime         *ends_at;
  GDateTime         *updated_at;
  char              *created_by;
  char              *comment;
};

G_DEFINE_FINAL_TYPE (VigilSilence, vigil_silence, G_TYPE_OBJECT)

G_DEFINE_BOXED_TYPE (VigilMatcher, vigil_matcher, vigil_matcher_copy, vigil_matcher_free)

G_DEFINE_ENUM_TYPE (VigilSilenceState, vigil_silence_state,
  G_DEFINE_ENUM_VALUE (VIGIL_SILENCE_STATE_ACTIVE, "active"),
  G_DEFINE_ENUM_VALUE (VIGIL_SILENCE_STATE_PENDING, "pending"),
  G_DEFINE_ENUM_VALUE (VIGIL_SILENCE_STATE_EXPIRED, "expired"),
  G_DEFINE_ENUM_VALUE (VIGIL_SILENCE_STATE_UNKNOWN, "unknown"))

G_DEFINE_QUARK (vigil-silence-error-quark, vigil_silence_error)

enum {
  PROP_0,
  PROP_ID,
  PROP_STATE,
  PROP_STARTS_AT,
  PROP_ENDS_AT,
  PROP_UPDATED_AT,
  PROP_CREATED_BY,
  PROP_COMMENT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static gboolean
set_string (char       **field,
            const char  *value)
{
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
  if (value != NULL)
    *field = g_date_time_to_utc (value);

  return TRUE;
}

static gboolean
is_blank (const char *text)
{
  if (text == NULL)
    return TRUE;

  for (const char *c = text; *c != '\0'; c++)
    {
      if (!g_ascii_isspace (*c))
        return FALSE;
    }

  return TRUE;
}

/* A boolean member, or `fallback` when it is missing or not a boolean. */
static gboolean
get_boolean (JsonObject *object,
             const char *member,
             gboolean    fallback)
{
  JsonNode *node = json_object_get_member (object, member);

  if (node == NULL
      || !JSON_NODE_HOLDS_VALUE (node)
      || json_node_get_value_type (node) != G_TYPE_BOOLEAN)
    return fallback;

  return json_node_get_boolean (node);
}

static VigilSilenceState
state_from_string (const char *text)
{
  for (VigilSilenceState state = VIGIL_SILENCE_STATE_ACTIVE; state < VIGIL_SILENCE_STATE_UNKNOWN; state++)
    {
      if (g_strcmp0 (text, vigil_silence_state_to_string (state)) == 0)
        return state;
    }

  return VIGIL_SILENCE_STATE_UNKNOWN;
}

static void
set_time (VigilSilence  *silence,
          JsonObject    *object,
          const char    *member,
          void         (*set) (VigilSilence *, GDateTime *))
{
  g_autoptr(GDateTime) when = vigil_parse_timestamp (vigil_json_get_string (object, member));

  if (when != NULL)
    set (silence, when);
}

static VigilSilence *
parse_silence (JsonNode *node)
{
  g_autoptr(VigilSilence) silence = NULL;
  JsonObject *object;
  JsonObject *status;
  JsonArray *matchers;
  const char *id;
  guint n_matchers;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    return NULL;

  object = json_node_get_object (node);

  /* The id is what expiring and merging replicas go by; an entry without
   * one cannot be acted on, so it is not a silence for this client. */
  id = vigil_json_get_string (object, "id");
  if (id == NULL || id[0] == '\0')
    return NULL;

  silence = vigil_silence_new ();
  vigil_silence_set_id (silence, id);

  matchers = vigil_json_get_array (object, "matchers");
  n_matchers = matchers != NULL ? json_array_get_length (matchers) : 0;
  for (guint i = 0; i < n_matchers; i++)
    {
      JsonNode *matcher_node = json_array_get_element (matchers, i);
      JsonObject *matcher;
      const char *name;
      const char *value;

      if (!JSON_NODE_HOLDS_OBJECT (matcher_node))
        continue;

      matcher = json_node_get_object (matcher_node);
      name = vigil_json_get_string (matcher, "name");
      value = vigil_json_get_string (matcher, "value");
      if (name == NULL || name[0] == '\0')
        continue;

      /* isEqual came with Alertmanager 0.22; older servers leave it out
       * and only have equality matchers. */
      vigil_silence_add_matcher (silence, name, value != NULL ? value : "",
                                 get_boolean (matcher, "isRegex", FALSE),
                                 get_boolean (matcher, "isEqual", TRUE));
    }

  status = vigil_json_get_object (object, "status");
  vigil_silence_set_state (silence,
                           state_from_string (status != NULL ? vigil_json_get_string (status, "state") : NULL));

  set_time (silence, object, "startsAt", vigil_silence_set_starts_at);
  set_time (silence, object, "endsAt", vigil_silence_set_ends_at);
  set_time (silence, object, "updatedAt", vigil_silence_set_updated_at);
  vigil_silence_set_created_by (silence, vigil_json_get_string (object, "createdBy"));
  vigil_silence_set_comment (silence, vigil_json_get_string (object, "comment"));

  return g_steal_pointer (&silence);
}

static void
add_time_member (JsonBuilder *builder,
                 const char  *member,
                 GDateTime   *when)
{
  g_autofree char *text = NULL;

  if (when == NULL)
    return;

  /* The model keeps times in UTC, so this is RFC 3339 with a "Z": the one
   * form every Alertmanager version reads the same way. */
  text = g_date_time_format_iso8601 (when);
  json_builder_set_member_name (builder, member);
  json_builder_add_string_value (builder, text);
}

static void
vigil_silence_finalize (GObject *object)
{
  VigilSilence *self = VIGIL_SILENCE (object);

  g_clear_pointer (&self->id, g_free);
  g_clear_pointer (&self->matchers, g_ptr_array_unref);
  g_clear_pointer (&self->starts_at, g_date_time_unref);
  g_clear_pointer (&self->ends_at, g_date_time_unref);
  g_clear_pointer (&self->updated_at, g_date_time_unref);
  g_clear_pointer (&self->created_by, g_free);
  g_clear_pointer (&self->comment, g_free);

  G_OBJECT_CLASS (vigil_silence_parent_class)->finalize (object);
}

static void
vigil_silence_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  VigilSilence *self = VIGIL_SILENCE (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_string (value, self->id);
      break;

    case PROP_STATE:
      g_value_set_enum (value, self->state);
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

    case PROP_CREATED_BY:
      g_value_set_string (value, self->created_by);
      break;

    case PROP_COMMENT:
      g_value_set_string (value, self->comment);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
vigil_silence_set_property (GObject      *object,
                            guint         prop_id,
                            const GValue *value,
                            GParamSpec   *pspec)
{
  VigilSilence *self = VIGIL_SILENCE (object);

  switch (prop_id)
    {
    case PROP_ID:
      vigil_silence_set_id (self, g_value_get_string (value));
      break;

    case PROP_STATE:
      vigil_silence_set_state (self, g_value_get_enum (value));
      break;

    case PROP_STARTS_AT:
      vigil_silence_set_starts_at (self, g_value_get_boxed (value));
      break;

    case PROP_ENDS_AT:
      vigil_silence_set_ends_at (self, g_value_get_boxed (value));
      break;

    case PROP_UPDATED_AT:
      vigil_silence_set_updated_at (self, g_value_get_boxed (value));
      break;

    case PROP_CREATED_BY:
      vigil_silence_set_created_by (self, g_value_get_string (value));
      break;

    case PROP_COMMENT:
      vigil_silence_set_comment (self, g_value_get_string (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
vigil_silence_class_init (VigilSilenceClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = vigil_silence_finalize;
  object_class->get_property = vigil_silence_get_property;
  object_class->set_property = vigil_silence_set_property;

  properties[PROP_ID] =
    g_param_spec_string ("id", NULL, NULL,
                         NULL,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_STATE] =
    g_param_spec_enum ("state", NULL, NULL,
                       VIGIL_TYPE_SILENCE_STATE,
                       VIGIL_SILENCE_STATE_UNKNOWN,
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

  properties[PROP_CREATED_BY] =
    g_param_spec_string ("created-by", NULL, NULL,
                         NULL,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_COMMENT] =
    g_param_spec_string ("comment", NULL, NULL,
                         NULL,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
vigil_silence_init (VigilSilence *self)
{
  self->matchers = g_ptr_array_new_with_free_func ((GDestroyNotify) vigil_matcher_free);
  self->state = VIGIL_SILENCE_STATE_UNKNOWN;
}

VigilMatcher *
vigil_matcher_new (const char *name,
                   const char *value,
                   gboolean    is_regex,
                   gboolean    is_equal)
{
  VigilMatcher *self;

  g_return_val_if_fail (name != NULL, NULL);

  self = g_new0 (VigilMatcher, 1);
  self->name = g_strdup (name);
  self->value = g_strdup (value != NULL ? value : "");
  self->is_regex = !!is_regex;
  self->is_equal = !!is_equal;

  return self;
}

VigilMatcher *
vigil_matcher_copy (const VigilMatcher *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return vigil_matcher_new (self->name, self->value, self->is_regex, self->is_equal);
}

void
vigil_matcher_free (VigilMatcher *self)
{
  if (self == NULL)
    return;

  g_free (self->name);
  g_free (self->value);
  g_free (self);
}

gboolean
vigil_matcher_matches_empty (const VigilMatcher *self)
{
  gboolean matches;

  g_return_val_if_fail (self != NULL, FALSE);

  if (!self->is_regex)
    {
      matches = self->value[0] == '\0';
    }
  else
    {
      /* Alertmanager anchors the expression at both ends. */
      g_autofree char *anchored = g_strdup_printf ("^(?:%s)$", self->value);
      g_autoptr(GRegex) regex = g_regex_new (anchored, G_REGEX_DOLLAR_ENDONLY, 0, NULL);

      /* What GRegex cannot read, RE2 may; the server decides then. */
      if (regex == NULL)
        return FALSE;

      matches = g_regex_match (regex, "", 0, NULL);
    }

  return self->is_equal ? matches : !matches;
}

VigilSilence *
vigil_silence_new (void)
{
  return g_object_new (VIGIL_TYPE_SILENCE, NULL);
}

const char *
vigil_silence_get_id (VigilSilence *self)
{
  g_return_val_if_fail (VIGIL_IS_SILENCE (self), NULL);

  return self->id;
}

void
vigil_silence_set_id (VigilSilence *self,
                      const char   *id)
{
  g_return_if_fail (VIGIL_IS_SILENCE (self));

  if (set_string (&self->id, id))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ID]);
}

GPtrArray *
vigil_silence_get_matchers (VigilSilence *self)
{
  g_return_val_if_fail (VIGIL_IS_SILENCE (self), NULL);

  return self->matchers;
}

void
vigil_silence_add_matcher (VigilSilence *self,
                           const char   *name,
                           const char   *value,
                           gboolean      is_regex,
                           gboolean      is_equal)
{
  g_return_if_fail (VIGIL_IS_SILENCE (self));
  g_return_if_fail (name != NULL);

  g_ptr_array_add (self->matchers, vigil_matcher_new (name, value, is_regex, is_equal));
}

VigilSilenceState
vigil_silence_get_state (VigilSilence *self)
{
  g_return_val_if_fail (VIGIL_IS_SILENCE (self), VIGIL_SILENCE_STATE_UNKNOWN);

  return self->state;
}

void
vigil_silence_set_state (VigilSilence      *self,
                         VigilSilenceState  state)
{
  g_return_if_fail (VIGIL_IS_SILENCE (self));
  g_return_if_fail (state <= VIGIL_SILENCE_STATE_UNKNOWN);

  if (self->state == state)
    return;

  self->state = state;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
}

gboolean
vigil_silence_is_active (VigilSilence *self)
{
  g_return_val_if_fail (VIGIL_IS_SILENCE (self), FALSE);

  return self->state == VIGIL_SILENCE_STATE_ACTIVE;
}

GDateTime *
vigil_silence_get_starts_at (VigilSilence *self)
{
  g_return_val_if_fail (VIGIL_IS_SILENCE (self), NULL);

  return self->starts_at;
}

void
vigil_silence_set_starts_at (VigilSilence *self,
                             GDateTime    *when)
{
  g_return_if_fail (VIGIL_IS_SILENCE (self));

  if (set_date_time (&self->starts_at, when))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STARTS_AT]);
}

GDateTime *
vigil_silence_get_ends_at (VigilSilence *self)
{
  g_return_val_if_fail (VIGIL_IS_SILENCE (self), NULL);

  return self->ends_at;
}

void
vigil_silence_set_ends_at (VigilSilence *self,
                           GDateTime    *when)
{
  g_return_if_fail (VIGIL_IS_SILENCE (self));

  if (set_date_time (&self->ends_at, when))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ENDS_AT]);
}

GDateTime *
vigil_silence_get_updated_at (VigilSilence *self)
{
  g_return_val_if_fail (VIGIL_IS_SILENCE (self), NULL);

  return self->updated_at;
}

void
vigil_silence_set_updated_at (VigilSilence *self,
                              GDateTime    *when)
{
  g_return_if_fail (VIGIL_IS_SILENCE (self));

  if (set_date_time (&self->updated_at, when))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_UPDATED_AT]);
}

const char *
vigil_silence_get_created_by (VigilSilence *self)
{
  g_return_val_if_fail (VIGIL_IS_SILENCE (self), NULL);

  return self->created_by;
}

void
vigil_silence_set_created_by (VigilSilence *self,
                              const char   *created_by)
{
  g_return_if_fail (VIGIL_IS_SILENCE (self));

  if (set_string (&self->created_by, created_by))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CREATED_BY]);
}

const char *
vigil_silence_get_comment (VigilSilence *self)
{
  g_return_val_if_fail (VIGIL_IS_SILENCE (self), NULL);

  return self->comment;
}

void
vigil_silence_set_comment (VigilSilence *self,
                           const char   *comment)
{
  g_return_if_fail (VIGIL_IS_SILENCE (self));

  if (set_string (&self->comment, comment))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_COMMENT]);
}

gboolean
vigil_silence_validate (VigilSilence  *self,
                        GDateTime     *now,
                        GError       **error)
{
  gboolean selective = FALSE;

  g_return_val_if_fail (VIGIL_IS_SILENCE (self), FALSE);
  g_return_val_if_fail (now != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (self->matchers->len == 0)
    {
      g_set_error_literal (error, VIGIL_SILENCE_ERROR, VIGIL_SILENCE_ERROR_NO_MATCHERS,
                           _("A silence needs at least one matcher."));
      return FALSE;
    }

  for (guint i = 0; i < self->matchers->len; i++)
    {
      const VigilMatcher *matcher = g_ptr_array_index (self->matchers, i);

      if (matcher->name[0] == '\0')
        {
          g_set_error_literal (error, VIGIL_SILENCE_ERROR, VIGIL_SILENCE_ERROR_NO_MATCHERS,
                               _("Every matcher of a silence needs a label name."));
          return FALSE;
        }

      if (!vigil_matcher_matches_empty (matcher))
        selective = TRUE;
    }

  /* A silence whose matchers all match an absent label would mute every
   * alert; Alertmanager refuses it, and so does Vigil, in words. */
  if (!selective)
    {
      g_set_error_literal (error, VIGIL_SILENCE_ERROR, VIGIL_SILENCE_ERROR_MATCHES_EVERYTHING,
                           _("This silence would mute every alert: at least one matcher must require a label value."));
      return FALSE;
    }

  if (self->starts_at == NULL || self->ends_at == NULL)
    {
      g_set_error_literal (error, VIGIL_SILENCE_ERROR, VIGIL_SILENCE_ERROR_NO_TIMES,
                           _("A silence needs a start and an end time."));
      return FALSE;
    }

  if (g_date_time_compare (self->ends_at, self->starts_at) <= 0)
    {
      g_set_error_literal (error, VIGIL_SILENCE_ERROR, VIGIL_SILENCE_ERROR_ENDS_BEFORE_START,
                           _("The silence must end after it starts."));
      return FALSE;
    }

  if (g_date_time_compare (self->ends_at, now) <= 0)
    {
      g_set_error_literal (error, VIGIL_SILENCE_ERROR, VIGIL_SILENCE_ERROR_ENDS_IN_PAST,
                           _("The silence would end in the past by the server’s clock; choose a later end time."));
      return FALSE;
    }

  if (is_blank (self->created_by))
    {
      g_set_error_literal (error, VIGIL_SILENCE_ERROR, VIGIL_SILENCE_ERROR_NO_CREATOR,
                           _("A silence needs the name of who creates it."));
      return FALSE;
    }

  if (is_blank (self->comment))
    {
      g_set_error_literal (error, VIGIL_SILENCE_ERROR, VIGIL_SILENCE_ERROR_NO_COMMENT,
                           _("A silence needs a comment saying why."));
      return FALSE;
    }

  return TRUE;
}

GBytes *
vigil_silence_to_json (VigilSilence *self)
{
  g_autoptr(JsonBuilder) builder = NULL;
  g_autoptr(JsonGenerator) generator = NULL;
  g_autoptr(JsonNode) root = NULL;
  gsize length = 0;
  char *data;

  g_return_val_if_fail (VIGIL_IS_SILENCE (self), NULL);

  builder = json_builder_new ();
  json_builder_begin_object (builder);

  if (self->id != NULL)
    {
      json_builder_set_member_name (builder, "id");
      json_builder_add_string_value (builder, self->id);
    }

  json_builder_set_member_name (builder, "matchers");
  json_builder_begin_array (builder);
  for (guint i = 0; i < self->matchers->len; i++)
    {
      const VigilMatcher *matcher = g_ptr_array_index (self->matchers, i);

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "name");
      json_builder_add_string_value (builder, matcher->name);
      json_builder_set_member_name (builder, "value");
      json_builder_add_string_value (builder, matcher->value);
      json_builder_set_member_name (builder, "isRegex");
      json_builder_add_boolean_value (builder, matcher->is_regex);
      json_builder_set_member_name (builder, "isEqual");
      json_builder_add_boolean_value (builder, matcher->is_equal);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);

  add_time_member (builder, "startsAt", self->starts_at);
  add_time_member (builder, "endsAt", self->ends_at);

  json_builder_set_member_name (builder, "createdBy");
  json_builder_add_string_value (builder, self->created_by != NULL ? self->created_by : "");
  json_builder_set_member_name (builder, "comment");
  json_builder_add_string_value (builder, self->comment != NULL ? self->comment : "");
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  generator = json_generator_new ();
  json_generator_set_root (generator, root);
  data = json_generator_to_data (generator, &length);

  return g_bytes_new_take (data, length);
}

GPtrArray *
vigil_silence_parse_list (GBytes  *body,
                          GError **error)
{
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GPtrArray) silences = NULL;
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
                           _("The answer is not a list of silences; is this the address of an Alertmanager?"));
      return NULL;
    }

  array = json_node_get_array (root);
  length = json_array_get_length (array);
  silences = g_ptr_array_new_full (length, g_object_unref);

  for (guint i = 0; i < length; i++)
    {
      VigilSilence *silence = parse_silence (json_array_get_element (array, i));

      if (silence != NULL)
        g_ptr_array_add (silences, silence);
      else
        g_debug ("Skipping element %u: not a silence (no id)", i);
    }

  /* As for alerts: a list in which nothing is a silence is some other
   * answer, not "no silences". */
  if (length > 0 && silences->len == 0)
    {
      g_set_error_literal (error, VIGIL_PARSE_ERROR, VIGIL_PARSE_ERROR_UNEXPECTED,
                           _("The answer is a list, but none of its entries is a silence"));
      return NULL;
    }

  return g_steal_pointer (&silences);
}

char *
vigil_silence_parse_created (GBytes  *body,
                             GError **error)
{
  g_autoptr(JsonNode) root = NULL;
  const char *id = NULL;

  g_return_val_if_fail (body != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  root = vigil_json_parse_bytes (body, FALSE, error);
  if (root == NULL)
    return NULL;

  if (JSON_NODE_HOLDS_OBJECT (root))
    id = vigil_json_get_string (json_node_get_object (root), "silenceID");

  if (id == NULL || id[0] == '\0')
    {
      g_set_error_literal (error, VIGIL_PARSE_ERROR, VIGIL_PARSE_ERROR_UNEXPECTED,
                           _("The answer does not give the new silence’s id"));
      return NULL;
    }

  return g_strdup (id);
}

const char *
vigil_silence_state_to_string (VigilSilenceState state)
{
  switch (state)
    {
    case VIGIL_SILENCE_STATE_ACTIVE:
      return "active";
    case VIGIL_SILENCE_STATE_PENDING:
      return "pending";
    case VIGIL_SILENCE_STATE_EXPIRED:
      return "expired";
    case VIGIL_SILENCE_STATE_UNKNOWN:
      return "unknown";
    default:
      g_return_val_if_reached (NULL);
    }
}
