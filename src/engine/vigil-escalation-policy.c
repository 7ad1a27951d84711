/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "vigil-escalation-policy"

#include "config.h"

#include <math.h>
#include <string.h>

#include "vigil-escalation-policy.h"

#define N_SEVERITIES (VIGIL_SEVERITY_CRITICAL + 1)
#define MINUTES_PER_DAY (24 * 60)
/* A sound that repeats more often than this is noise, not information. */
#define MIN_REPEAT_SECONDS 10
#define MAX_SECONDS (7 * 24 * 3600)

struct _VigilEscalationPolicy
{
  GObject              parent_instance;

  VigilEscalationRule  rules[N_SEVERITIES];
  gboolean             quiet_hours;
  guint                quiet_start;     /* minutes after local midnight */
  guint                quiet_end;
  guint                storm_threshold;
  guint                flap_window;     /* seconds */
  guint                blind_after;     /* seconds */
  VigilHeartbeatCheck  heartbeat_check;
};

G_DEFINE_FINAL_TYPE (VigilEscalationPolicy, vigil_escalation_policy, G_TYPE_OBJECT)

G_DEFINE_ENUM_TYPE (VigilUrgency, vigil_urgency,
  G_DEFINE_ENUM_VALUE (VIGIL_URGENCY_LOW, "low"),
  G_DEFINE_ENUM_VALUE (VIGIL_URGENCY_NORMAL, "normal"),
  G_DEFINE_ENUM_VALUE (VIGIL_URGENCY_CRITICAL, "critical"))

G_DEFINE_ENUM_TYPE (VigilHeartbeatCheck, vigil_heartbeat_check,
  G_DEFINE_ENUM_VALUE (VIGIL_HEARTBEAT_CHECK_OFF, "off"),
  G_DEFINE_ENUM_VALUE (VIGIL_HEARTBEAT_CHECK_AUTO, "auto"),
  G_DEFINE_ENUM_VALUE (VIGIL_HEARTBEAT_CHECK_REQUIRED, "required"))

enum {
  PROP_0,
  PROP_QUIET_HOURS,
  PROP_QUIET_HOURS_START,
  PROP_QUIET_HOURS_END,
  PROP_STORM_THRESHOLD,
  PROP_FLAP_WINDOW,
  PROP_BLIND_AFTER,
  PROP_HEARTBEAT_CHECK,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* The settings keys of the rules, indexed by VigilSeverity. */
static const char * const severity_keys[N_SEVERITIES] = {
  "none", "info", "warning", "critical",
};

static const char * const urgency_words[] = { "low", "normal", "critical" };
static const char * const heartbeat_words[] = { "off", "auto", "required" };

static VigilEscalationRule
default_rule (VigilSeverity severity)
{
  VigilEscalationRule rule = { 0, };

  switch (severity)
    {
    case VIGIL_SEVERITY_CRITICAL:
      rule.notify = TRUE;
      /* A critical alert's notification stays until the engineer sees it,
       * from the first one. */
      rule.urgency = VIGIL_URGENCY_CRITICAL;
      rule.sound = g_intern_static_string ("alarm");
      rule.volume = 0.4;
      rule.repeat_seconds = 60;
      rule.volume_step = 0.15;
      rule.max_volume = 0.85;
      rule.escalate_after_seconds = 5 * 60;
      rule.escalated_sound = g_intern_static_string ("alarm-urgent");
      rule.escalated_volume = 1.0;
      rule.escalated_hook = TRUE;
      /* PagerDuty's default acknowledgement timeout. */
      rule.ack_timeout_seconds = 30 * 60;
      rule.in_quiet_hours = TRUE;
      break;

    /* An alert nobody gave a severity could be anything, so it gets the
     * attention of a warning rather than the silence of info. */
    case VIGIL_SEVERITY_NONE:
    case VIGIL_SEVERITY_WARNING:
      rule.notify = TRUE;
      rule.urgency = VIGIL_URGENCY_NORMAL;
      rule.sound = g_intern_static_string ("chime");
      rule.volume = 0.5;
      rule.max_volume = 0.5;
      break;

    case VIGIL_SEVERITY_INFO:
    default:
      rule.notify = TRUE;
      rule.urgency = VIGIL_URGENCY_LOW;
      break;
    }

  return rule;
}

static double
clamp_volume (double volume)
{
  if (isnan (volume))
    return 0.0;

  return CLAMP (volume, 0.0, 1.0);
}

static guint
clamp_seconds (guint seconds)
{
  return MIN (seconds, MAX_SECONDS);
}

static guint
clamp_repeat (guint seconds)
{
  if (seconds == 0)
    return 0;

  return CLAMP (seconds, MIN_REPEAT_SECONDS, MAX_SECONDS);
}

/* Sound names become file names later; only plain words get through. */
static gboolean
is_sound_name (const char *name)
{
  if (name == NULL || *name == '\0' || strlen (name) > 64)
    return FALSE;

  for (const char *p = name; *p != '\0'; p++)
    if (!g_ascii_isalnum (*p) && *p != '-' && *p != '_')
      return FALSE;

  return TRUE;
}

/* NULL is silence; a name that is no sound name keeps `fallback`. */
static const char *
intern_sound (const char *name,
              const char *fallback)
{
  if (name == NULL)
    return NULL;

  return is_sound_name (name) ? g_intern_string (name) : fallback;
}

static void
normalize_rule (VigilEscalationRule       *rule,
                const VigilEscalationRule *previous)
{
  rule->notify = !!rule->notify;
  if ((guint) rule->urgency > VIGIL_URGENCY_CRITICAL)
    rule->urgency = VIGIL_URGENCY_NORMAL;
  rule->sound = intern_sound (rule->sound, previous->sound);
  rule->volume = clamp_volume (rule->volume);
  rule->repeat_seconds = clamp_repeat (rule->repeat_seconds);
  rule->volume_step = clamp_volume (rule->volume_step);
  rule->max_volume = MAX (clamp_volume (rule->max_volume), rule->volume);
  rule->escalate_after_seconds = clamp_seconds (rule->escalate_after_seconds);
  rule->escalated_sound = intern_sound (rule->escalated_sound, previous->escalated_sound);
  rule->escalated_volume = clamp_volume (rule->escalated_volume);
  rule->escalated_hook = !!rule->escalated_hook;
  rule->ack_timeout_seconds = clamp_seconds (rule->ack_timeout_seconds);
  rule->in_quiet_hours = !!rule->in_quiet_hours;
}

static gboolean
rule_equal (const VigilEscalationRule *a,
            const VigilEscalationRule *b)
{
  /* Sound names are interned, so comparing pointers compares names. */
  return a->notify == b->notify
         && a->urgency == b->urgency
         && a->sound == b->sound
         && a->volume == b->volume
         && a->repeat_seconds == b->repeat_seconds
         && a->volume_step == b->volume_step
         && a->max_volume == b->max_volume
         && a->escalate_after_seconds == b->escalate_after_seconds
         && a->escalated_sound == b->escalated_sound
         && a->escalated_volume == b->escalated_volume
         && a->escalated_hook == b->escalated_hook
         && a->ack_timeout_seconds == b->ack_timeout_seconds
         && a->in_quiet_hours == b->in_quiet_hours;
}

static int
word_index (const char         *word,
            const char * const *words,
            guint               n_words)
{
  for (guint i = 0; i < n_words; i++)
    if (g_ascii_strcasecmp (word, words[i]) == 0)
      return i;

  return -1;
}

/* Reads `key` when it holds a value of `type`; anything else keeps the
 * default, so one bad value costs one setting, not the whole policy. */
static GVariant *
lookup (GVariant           *dict,
        const char         *key,
        const GVariantType *type)
{
  return g_variant_lookup_value (dict, key, type);
}

static void
lookup_boolean (GVariant   *dict,
                const char *key,
                gboolean   *value)
{
  g_autoptr(GVariant) v = lookup (dict, key, G_VARIANT_TYPE_BOOLEAN);

  if (v != NULL)
    *value = g_variant_get_boolean (v);
}

static void
lookup_uint (GVariant   *dict,
             const char *key,
             guint      *value)
{
  g_autoptr(GVariant) v = lookup (dict, key, G_VARIANT_TYPE_UINT32);

  if (v != NULL)
    *value = g_variant_get_uint32 (v);
}

static void
lookup_double (GVariant   *dict,
               const char *key,
               double     *value)
{
  g_autoptr(GVariant) v = lookup (dict, key, G_VARIANT_TYPE_DOUBLE);

  if (v != NULL)
    *value = g_variant_get_double (v);
}

/* An empty string is silence; an unknown word keeps the default. */
static void
lookup_sound (GVariant    *dict,
              const char  *key,
              const char **value)
{
  g_autoptr(GVariant) v = lookup (dict, key, G_VARIANT_TYPE_STRING);
  const char *name;

  if (v == NULL)
    return;

  name = g_variant_get_string (v, NULL);
  if (*name == '\0')
    *value = NULL;
  else if (is_sound_name (name))
    *value = g_intern_string (name);
}

static void
rule_from_variant (GVariant            *dict,
                   VigilEscalationRule *rule)
{
  g_autoptr(GVariant) urgency = lookup (dict, "urgency", G_VARIANT_TYPE_STRING);
  VigilEscalationRule previous = *rule;

  lookup_boolean (dict, "notify", &rule->notify);
  if (urgency != NULL)
    {
      int index = word_index (g_variant_get_string (urgency, NULL),
                              urgency_words, G_N_ELEMENTS (urgency_words));

      if (index >= 0)
        rule->urgency = index;
    }
  lookup_sound (dict, "sound", &rule->sound);
  lookup_double (dict, "volume", &rule->volume);
  lookup_uint (dict, "repeat", &rule->repeat_seconds);
  lookup_double (dict, "volume-step", &rule->volume_step);
  lookup_double (dict, "max-volume", &rule->max_volume);
  lookup_uint (dict, "escalate-after", &rule->escalate_after_seconds);
  lookup_sound (dict, "escalated-sound", &rule->escalated_sound);
  lookup_double (dict, "escalated-volume", &rule->escalated_volume);
  lookup_boolean (dict, "escalated-hook", &rule->escalated_hook);
  lookup_uint (dict, "ack-timeout", &rule->ack_timeout_seconds);
  lookup_boolean (dict, "quiet-hours", &rule->in_quiet_hours);
  normalize_rule (rule, &previous);
}

static GVariant *
rule_to_variant (const VigilEscalationRule *rule)
{
  GVariantBuilder builder;

  g_variant_builder_init (&builder, G_VARIANT_TYPE_VARDICT);
  g_variant_builder_add (&builder, "{sv}", "notify", g_variant_new_boolean (rule->notify));
  g_variant_builder_add (&builder, "{sv}", "urgency", g_variant_new_string (urgency_words[rule->urgency]));
  g_variant_builder_add (&builder, "{sv}", "sound", g_variant_new_string (rule->sound ? rule->sound : ""));
  g_variant_builder_add (&builder, "{sv}", "volume", g_variant_new_double (rule->volume));
  g_variant_builder_add (&builder, "{sv}", "repeat", g_variant_new_uint32 (rule->repeat_seconds));
  g_variant_builder_add (&builder, "{sv}", "volume-step", g_variant_new_double (rule->volume_step));
  g_variant_builder_add (&builder, "{sv}", "max-volume", g_variant_new_double (rule->max_volume));
  g_variant_builder_add (&builder, "{sv}", "escalate-after", g_variant_new_uint32 (rule->escalate_after_seconds));
  g_variant_builder_add (&builder, "{sv}", "escalated-sound",
                         g_variant_new_string (rule->escalated_sound ? rule->escalated_sound : ""));
  g_variant_builder_add (&builder, "{sv}", "escalated-volume", g_variant_new_double (rule->escalated_volume));
  g_variant_builder_add (&builder, "{sv}", "escalated-hook", g_variant_new_boolean (rule->escalated_hook));
  g_variant_builder_add (&builder, "{sv}", "ack-timeout", g_variant_new_uint32 (rule->ack_timeout_seconds));
  g_variant_builder_add (&builder, "{sv}", "quiet-hours", g_variant_new_boolean (rule->in_quiet_hours));

  return g_variant_builder_end (&builder);
}

static void
emit_changed (VigilEscalationPolicy *self)
{
  g_signal_emit (self, signals[CHANGED], 0);
}

static void
vigil_escalation_policy_get_property (GObject    *object,
                                      guint       prop_id,
                                      GValue     *value,
                                      GParamSpec *pspec)
{
  VigilEscalationPolicy *self = VIGIL_ESCALATION_POLICY (object);

  switch (prop_id)
    {
    case PROP_QUIET_HOURS:
      g_value_set_boolean (value, self->quiet_hours);
      break;
    case PROP_QUIET_HOURS_START:
      g_value_set_uint (value, self->quiet_start);
      break;
    case PROP_QUIET_HOURS_END:
      g_value_set_uint (value, self->quiet_end);
      break;
    case PROP_STORM_THRESHOLD:
      g_value_set_uint (value, self->storm_threshold);
      break;
    case PROP_FLAP_WINDOW:
      g_value_set_uint (value, self->flap_window);
      break;
    case PROP_BLIND_AFTER:
      g_value_set_uint (value, self->blind_after);
      break;
    case PROP_HEARTBEAT_CHECK:
      g_value_set_enum (value, self->heartbeat_check);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
vigil_escalation_policy_set_property (GObject      *object,
                                      guint         prop_id,
                                      const GValue *value,
                                      GParamSpec   *pspec)
{
  VigilEscalationPolicy *self = VIGIL_ESCALATION_POLICY (object);

  switch (prop_id)
    {
    case PROP_QUIET_HOURS:
      vigil_escalation_policy_set_quiet_hours (self, g_value_get_boolean (value),
                                               self->quiet_start, self->quiet_end);
      break;
    case PROP_QUIET_HOURS_START:
      vigil_escalation_policy_set_quiet_hours (self, self->quiet_hours,
                                               g_value_get_uint (value), self->quiet_end);
      break;
    case PROP_QUIET_HOURS_END:
      vigil_escalation_policy_set_quiet_hours (self, self->quiet_hours,
                                               self->quiet_start, g_value_get_uint (value));
      break;
    case PROP_STORM_THRESHOLD:
      vigil_escalation_policy_set_storm_threshold (self, g_value_get_uint (value));
      break;
    case PROP_FLAP_WINDOW:
      vigil_escalation_policy_set_flap_window (self, g_value_get_uint (value));
      break;
    case PROP_BLIND_AFTER:
      vigil_escalation_policy_set_blind_after (self, g_value_get_uint (value));
      break;
    case PROP_HEARTBEAT_CHECK:
      vigil_escalation_policy_set_heartbeat_check (self, g_value_get_enum (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
vigil_escalation_policy_class_init (VigilEscalationPolicyClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags flags = G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY;

  object_class->get_property = vigil_escalation_policy_get_property;
  object_class->set_property = vigil_escalation_policy_set_property;

  properties[PROP_QUIET_HOURS] =
    g_param_spec_boolean ("quiet-hours", NULL, NULL, FALSE, flags);
  properties[PROP_QUIET_HOURS_START] =
    g_param_spec_uint ("quiet-hours-start", NULL, NULL, 0, MINUTES_PER_DAY - 1, 22 * 60, flags);
  properties[PROP_QUIET_HOURS_END] =
    g_param_spec_uint ("quiet-hours-end", NULL, NULL, 0, MINUTES_PER_DAY - 1, 7 * 60, flags);
  properties[PROP_STORM_THRESHOLD] =
    g_param_spec_uint ("storm-threshold", NULL, NULL, 1, G_MAXUINT, 5, flags);
  properties[PROP_FLAP_WINDOW] =
    g_param_spec_uint ("flap-window", NULL, NULL, 0, MAX_SECONDS, 600, flags);
  properties[PROP_BLIND_AFTER] =
    g_param_spec_uint ("blind-after", NULL, NULL, MIN_REPEAT_SECONDS, MAX_SECONDS, 180, flags);
  properties[PROP_HEARTBEAT_CHECK] =
    g_param_spec_enum ("heartbeat-check", NULL, NULL, VIGIL_TYPE_HEARTBEAT_CHECK,
                       VIGIL_HEARTBEAT_CHECK_AUTO, flags);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * VigilEscalationPolicy::changed:
   * Any rule or setting changed; emitted once per setter call.
   */
  signals[CHANGED] =
    g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
vigil_escalation_policy_init (VigilEscalationPolicy *self)
{
  for (guint i = 0; i < N_SEVERITIES; i++)
    self->rules[i] = default_rule (i);

  self->quiet_hours = FALSE;
  self->quiet_start = 22 * 60;
  self->quiet_end = 7 * 60;
  self->storm_threshold = 5;
  self->flap_window = 10 * 60;
  /* Twelve polls at the default 15 s interval: long enough that a server
   * restart or a settling Alertmanager does not alarm, short enough that a
   * broken pipeline does not pass for a quiet night. */
  self->blind_after = 3 * 60;
  self->heartbeat_check = VIGIL_HEARTBEAT_CHECK_AUTO;
}

gboolean
vigil_escalation_rule_escalates (const VigilEscalationRule *rule)
{
  g_return_val_if_fail (rule != NULL, FALSE);

  return rule->urgency != VIGIL_URGENCY_LOW
         && (rule->repeat_seconds > 0 || rule->escalate_after_seconds > 0);
}

double
vigil_escalation_rule_volume_at (const VigilEscalationRule *rule,
                                 guint                      level,
                                 guint                      step)
{
  g_return_val_if_fail (rule != NULL, 0.0);

  if (level >= 2)
    return rule->escalated_volume;

  return MIN (rule->max_volume, rule->volume + step * rule->volume_step);
}

VigilEscalationPolicy *
vigil_escalation_policy_new (void)
{
  return g_object_new (VIGIL_TYPE_ESCALATION_POLICY, NULL);
}

VigilEscalationPolicy *
vigil_escalation_policy_new_from_variant (GVariant *variant)
{
  VigilEscalationPolicy *self;
  g_autoptr(GVariant) heartbeat = NULL;
  gboolean quiet_hours;
  guint start, end;

  g_return_val_if_fail (variant != NULL, NULL);
  g_return_val_if_fail (g_variant_is_of_type (variant, G_VARIANT_TYPE_VARDICT), NULL);

  self = vigil_escalation_policy_new ();

  for (guint i = 0; i < N_SEVERITIES; i++)
    {
      g_autoptr(GVariant) dict = lookup (variant, severity_keys[i], G_VARIANT_TYPE_VARDICT);

      if (dict != NULL)
        rule_from_variant (dict, &self->rules[i]);
    }

  quiet_hours = self->quiet_hours;
  start = self->quiet_start;
  end = self->quiet_end;
  lookup_boolean (variant, "quiet-hours", &quiet_hours);
  lookup_uint (variant, "quiet-hours-start", &start);
  lookup_uint (variant, "quiet-hours-end", &end);
  self->quiet_hours = !!quiet_hours;
  self->quiet_start = MIN (start, MINUTES_PER_DAY - 1);
  self->quiet_end = MIN (end, MINUTES_PER_DAY - 1);

  lookup_uint (variant, "storm-threshold", &self->storm_threshold);
  self->storm_threshold = MAX (self->storm_threshold, 1);
  lookup_uint (variant, "flap-window", &self->flap_window);
  self->flap_window = clamp_seconds (self->flap_window);
  lookup_uint (variant, "blind-after", &self->blind_after);
  self->blind_after = CLAMP (self->blind_after, MIN_REPEAT_SECONDS, MAX_SECONDS);

  heartbeat = lookup (variant, "heartbeat-check", G_VARIANT_TYPE_STRING);
  if (heartbeat != NULL)
    {
      int index = word_index (g_variant_get_string (heartbeat, NULL),
                              heartbeat_words, G_N_ELEMENTS (heartbeat_words));

      if (index >= 0)
        self->heartbeat_check = index;
    }

  return self;
}

GVariant *
vigil_escalation_policy_to_variant (VigilEscalationPolicy *self)
{
  GVariantBuilder builder;

  g_return_val_if_fail (VIGIL_IS_ESCALATION_POLICY (self), NULL);

  g_variant_builder_init (&builder, G_VARIANT_TYPE_VARDICT);
  g_variant_builder_add (&builder, "{sv}", "version", g_variant_new_uint32 (VIGIL_ESCALATION_POLICY_VERSION));
  for (guint i = 0; i < N_SEVERITIES; i++)
    g_variant_builder_add (&builder, "{sv}", severity_keys[i], rule_to_variant (&self->rules[i]));
  g_variant_builder_add (&builder, "{sv}", "quiet-hours", g_variant_new_boolean (self->quiet_hours));
  g_variant_builder_add (&builder, "{sv}", "quiet-hours-start", g_variant_new_uint32 (self->quiet_start));
  g_variant_builder_add (&builder, "{sv}", "quiet-hours-end", g_variant_new_uint32 (self->quiet_end));
  g_variant_builder_add (&builder, "{sv}", "storm-threshold", g_variant_new_uint32 (self->storm_threshold));
  g_variant_builder_add (&builder, "{sv}", "flap-window", g_variant_new_uint32 (self->flap_window));
  g_variant_builder_add (&builder, "{sv}", "blind-after", g_variant_new_uint32 (self->blind_after));
  g_variant_builder_add (&builder, "{sv}", "heartbeat-check",
                         g_variant_new_string (heartbeat_words[self->heartbeat_check]));

  return g_variant_ref_sink (g_variant_builder_end (&builder));
}

void
vigil_escalation_policy_get_rule (VigilEscalationPolicy *self,
                                  VigilSeverity          severity,
                                  VigilEscalationRule   *rule)
{
  g_return_if_fail (VIGIL_IS_ESCALATION_POLICY (self));
  g_return_if_fail ((guint) severity < N_SEVERITIES);
  g_return_if_fail (rule != NULL);

  *rule = self->rules[severity];
}

void
vigil_escalation_policy_set_rule (VigilEscalationPolicy     *self,
                                  VigilSeverity              severity,
                                  const VigilEscalationRule *rule)
{
  VigilEscalationRule copy;

  g_return_if_fail (VIGIL_IS_ESCALATION_POLICY (self));
  g_return_if_fail ((guint) severity < N_SEVERITIES);
  g_return_if_fail (rule != NULL);

  copy = *rule;
  normalize_rule (&copy, &self->rules[severity]);
  if (rule_equal (&copy, &self->rules[severity]))
    return;

  self->rules[severity] = copy;
  emit_changed (self);
}

gboolean
vigil_escalation_policy_get_quiet_hours (VigilEscalationPolicy *self,
                                         guint                 *start_minute,
                                         guint                 *end_minute)
{
  g_return_val_if_fail (VIGIL_IS_ESCALATION_POLICY (self), FALSE);

  if (start_minute != NULL)
    *start_minute = self->quiet_start;
  if (end_minute != NULL)
    *end_minute = self->quiet_end;

  return self->quiet_hours;
}

void
vigil_escalation_policy_set_quiet_hours (VigilEscalationPolicy *self,
                                         gboolean               enabled,
                                         guint                  start_minute,
                                         guint                  end_minute)
{
  gboolean changed = FALSE;

  g_return_if_fail (VIGIL_IS_ESCALATION_POLICY (self));

  enabled = !!enabled;
  start_minute = MIN (start_minute, MINUTES_PER_DAY - 1);
  end_minute = MIN (end_minute, MINUTES_PER_DAY - 1);

  g_object_freeze_notify (G_OBJECT (self));
  if (self->quiet_hours != enabled)
    {
      self->quiet_hours = enabled;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_QUIET_HOURS]);
      changed = TRUE;
    }
  if (self->quiet_start != start_minute)
    {
      self->quiet_start = start_minute;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_QUIET_HOURS_START]);
      changed = TRUE;
    }
  if (self->quiet_end != end_minute)
    {
      self->quiet_end = end_minute;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_QUIET_HOURS_END]);
      changed = TRUE;
    }
  g_object_thaw_notify (G_OBJECT (self));

  if (changed)
    emit_changed (self);
}

gboolean
vigil_escalation_policy_is_quiet_at (VigilEscalationPolicy *self,
                                     GDateTime             *when)
{
  guint minute;

  g_return_val_if_fail (VIGIL_IS_ESCALATION_POLICY (self), FALSE);
  g_return_val_if_fail (when != NULL, FALSE);

  if (!self->quiet_hours || self->quiet_start == self->quiet_end)
    return FALSE;

  minute = g_date_time_get_hour (when) * 60 + g_date_time_get_minute (when);

  if (self->quiet_start < self->quiet_end)
    return minute >= self->quiet_start && minute < self->quiet_end;

  /* Spans midnight, e.g. 22:00 to 07:00. */
  return minute >= self->quiet_start || minute < self->quiet_end;
}

guint
vigil_escalation_policy_get_storm_threshold (VigilEscalationPolicy *self)
{
  g_return_val_if_fail (VIGIL_IS_ESCALATION_POLICY (self), 0);

  return self->storm_threshold;
}

void
vigil_escalation_policy_set_storm_threshold (VigilEscalationPolicy *self,
                                             guint                  threshold)
{
  g_return_if_fail (VIGIL_IS_ESCALATION_POLICY (self));

  threshold = MAX (threshold, 1);
  if (self->storm_threshold == threshold)
    return;

  self->storm_threshold = threshold;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STORM_THRESHOLD]);
  emit_changed (self);
}

guint
vigil_escalation_policy_get_flap_window (VigilEscalationPolicy *self)
{
  g_return_val_if_fail (VIGIL_IS_ESCALATION_POLICY (self), 0);

  return self->flap_window;
}

void
vigil_escalation_policy_set_flap_window (VigilEscalationPolicy *self,
                                         guint                  seconds)
{
  g_return_if_fail (VIGIL_IS_ESCALATION_POLICY (self));

  seconds = clamp_seconds (seconds);
  if (self->flap_window == seconds)
    return;

  self->flap_window = seconds;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FLAP_WINDOW]);
  emit_changed (self);
}

guint
vigil_escalation_policy_get_blind_after (VigilEscalationPolicy *self)
{
  g_return_val_if_fail (VIGIL_IS_ESCALATION_POLICY (self), 0);

  return self->blind_after;
}

void
vigil_escalation_policy_set_blind_after (VigilEscalationPolicy *self,
                                         guint                  seconds)
{
  g_return_if_fail (VIGIL_IS_ESCALATION_POLICY (self));

  seconds = CLAMP (seconds, MIN_REPEAT_SECONDS, MAX_SECONDS);
  if (self->blind_after == seconds)
    return;

  self->blind_after = seconds;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BLIND_AFTER]);
  emit_changed (self);
}

VigilHeartbeatCheck
vigil_escalation_policy_get_heartbeat_check (VigilEscalationPolicy *self)
{
  g_return_val_if_fail (VIGIL_IS_ESCALATION_POLICY (self), VIGIL_HEARTBEAT_CHECK_OFF);

  return self->heartbeat_check;
}

void
vigil_escalation_policy_set_heartbeat_check (VigilEscalationPolicy *self,
                                             VigilHeartbeatCheck    check)
{
  g_return_if_fail (VIGIL_IS_ESCALATION_POLICY (self));
  g_return_if_fail ((guint) check <= VIGIL_HEARTBEAT_CHECK_REQUIRED);

  if (self->heartbeat_check == check)
    return;

  self->heartbeat_check = check;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_HEARTBEAT_CHECK]);
  emit_changed (self);
}

const char *
vigil_urgency_to_string (VigilUrgency urgency)
{
  if ((guint) urgency < G_N_ELEMENTS (urgency_words))
    return urgency_words[urgency];

  return "normal";
}
