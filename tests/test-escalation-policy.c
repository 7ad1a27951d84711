/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "vigil-escalation-policy.h"

static void
test_defaults (void)
{
  g_autoptr(VigilEscalationPolicy) policy = vigil_escalation_policy_new ();
  VigilEscalationRule rule;

  vigil_escalation_policy_get_rule (policy, VIGIL_SEVERITY_CRITICAL, &rule);
  g_assert_true (rule.notify);
  g_assert_cmpstr (rule.sound, ==, "alarm");
  g_assert_cmpuint (rule.repeat_seconds, ==, 60);
  g_assert_cmpuint (rule.escalate_after_seconds, ==, 300);
  g_assert_cmpstr (rule.escalated_sound, ==, "alarm-urgent");
  g_assert_cmpfloat (rule.escalated_volume, >, rule.max_volume);
  g_assert_true (rule.escalated_hook);
  g_assert_cmpuint (rule.ack_timeout_seconds, ==, 30 * 60);
  g_assert_true (rule.in_quiet_hours);
  g_assert_true (vigil_escalation_rule_escalates (&rule));

  vigil_escalation_policy_get_rule (policy, VIGIL_SEVERITY_WARNING, &rule);
  g_assert_cmpstr (rule.sound, ==, "chime");
  g_assert_cmpuint (rule.repeat_seconds, ==, 0);
  g_assert_cmpuint (rule.escalate_after_seconds, ==, 0);
  g_assert_false (rule.in_quiet_hours);
  g_assert_false (vigil_escalation_rule_escalates (&rule));

  vigil_escalation_policy_get_rule (policy, VIGIL_SEVERITY_INFO, &rule);
  g_assert_null (rule.sound);
  g_assert_cmpint (rule.urgency, ==, VIGIL_URGENCY_LOW);
  g_assert_false (vigil_escalation_rule_escalates (&rule));

  /* No severity label: treated like a warning, never silently. */
  vigil_escalation_policy_get_rule (policy, VIGIL_SEVERITY_NONE, &rule);
  g_assert_cmpstr (rule.sound, ==, "chime");

  g_assert_cmpuint (vigil_escalation_policy_get_storm_threshold (policy), ==, 5);
  g_assert_cmpuint (vigil_escalation_policy_get_flap_window (policy), ==, 600);
  g_assert_cmpuint (vigil_escalation_policy_get_blind_after (policy), ==, 180);
  g_assert_cmpint (vigil_escalation_policy_get_heartbeat_check (policy), ==, VIGIL_HEARTBEAT_CHECK_AUTO);
  g_assert_false (vigil_escalation_policy_get_quiet_hours (policy, NULL, NULL));
}

static void
test_volume_ramp (void)
{
  g_autoptr(VigilEscalationPolicy) policy = vigil_escalation_policy_new ();
  VigilEscalationRule rule;
  double previous = -1.0;

  vigil_escalation_policy_get_rule (policy, VIGIL_SEVERITY_CRITICAL, &rule);

  /* Each repeat louder until the level-1 ceiling, then level 2 above it. */
  for (guint step = 0; step < 4; step++)
    {
      double volume = vigil_escalation_rule_volume_at (&rule, 1, step);

      g_assert_cmpfloat (volume, >, previous);
      previous = volume;
    }
  g_assert_cmpfloat_with_epsilon (vigil_escalation_rule_volume_at (&rule, 1, 0), 0.4, 1e-9);
  g_assert_cmpfloat_with_epsilon (vigil_escalation_rule_volume_at (&rule, 1, 1), 0.55, 1e-9);
  g_assert_cmpfloat_with_epsilon (vigil_escalation_rule_volume_at (&rule, 1, 2), 0.70, 1e-9);
  g_assert_cmpfloat_with_epsilon (vigil_escalation_rule_volume_at (&rule, 1, 50), rule.max_volume, 1e-9);
  g_assert_cmpfloat (vigil_escalation_rule_volume_at (&rule, 2, 0), >, vigil_escalation_rule_volume_at (&rule, 1, 50));
}

static void
test_low_urgency_never_escalates (void)
{
  g_autoptr(VigilEscalationPolicy) policy = vigil_escalation_policy_new ();
  VigilEscalationRule rule;

  vigil_escalation_policy_get_rule (policy, VIGIL_SEVERITY_CRITICAL, &rule);
  rule.urgency = VIGIL_URGENCY_LOW;
  vigil_escalation_policy_set_rule (policy, VIGIL_SEVERITY_CRITICAL, &rule);
  vigil_escalation_policy_get_rule (policy, VIGIL_SEVERITY_CRITICAL, &rule);

  /* The numbers stay for when the urgency is raised again... */
  g_assert_cmpuint (rule.repeat_seconds, ==, 60);
  g_assert_cmpuint (rule.escalate_after_seconds, ==, 300);
  /* ...but a low urgency never escalates. */
  g_assert_false (vigil_escalation_rule_escalates (&rule));

  rule.urgency = VIGIL_URGENCY_NORMAL;
  g_assert_true (vigil_escalation_rule_escalates (&rule));
}

static void
test_set_rule_clamps (void)
{
  g_autoptr(VigilEscalationPolicy) policy = vigil_escalation_policy_new ();
  VigilEscalationRule rule;

  vigil_escalation_policy_get_rule (policy, VIGIL_SEVERITY_CRITICAL, &rule);
  rule.sound = "../../etc/passwd";
  rule.escalated_sound = NULL;
  rule.volume = 3.0;
  rule.repeat_seconds = 2;
  rule.urgency = 42;
  vigil_escalation_policy_set_rule (policy, VIGIL_SEVERITY_CRITICAL, &rule);
  vigil_escalation_policy_get_rule (policy, VIGIL_SEVERITY_CRITICAL, &rule);

  /* Not a sound name: the sound stays what it was; NULL is silence. */
  g_assert_cmpstr (rule.sound, ==, "alarm");
  g_assert_null (rule.escalated_sound);
  g_assert_cmpfloat (rule.volume, ==, 1.0);
  g_assert_cmpuint (rule.repeat_seconds, ==, 10);
  g_assert_cmpint (rule.urgency, ==, VIGIL_URGENCY_NORMAL);
  /* Interned, so the struct can be copied around freely. */
  g_assert_true (rule.sound == g_intern_static_string ("alarm"));
}

static void
count_cb (gpointer  instance,
          guint    *count)
{
  (*count)++;
}

static void
notify_cb (GObject    *object,
           GParamSpec *pspec,
           guint      *count)
{
  (*count)++;
}

static void
test_changed_only_on_change (void)
{
  g_autoptr(VigilEscalationPolicy) policy = vigil_escalation_policy_new ();
  VigilEscalationRule rule;
  guint changes = 0, notifies = 0;

  g_signal_connect (policy, "changed", G_CALLBACK (count_cb), &changes);
  g_signal_connect (policy, "notify::storm-threshold", G_CALLBACK (notify_cb), &notifies);

  vigil_escalation_policy_get_rule (policy, VIGIL_SEVERITY_WARNING, &rule);
  vigil_escalation_policy_set_rule (policy, VIGIL_SEVERITY_WARNING, &rule);
  vigil_escalation_policy_set_storm_threshold (policy, 5);
  g_assert_cmpuint (changes, ==, 0);
  g_assert_cmpuint (notifies, ==, 0);

  rule.repeat_seconds = 120;
  vigil_escalation_policy_set_rule (policy, VIGIL_SEVERITY_WARNING, &rule);
  g_assert_cmpuint (changes, ==, 1);

  vigil_escalation_policy_set_storm_threshold (policy, 20);
  g_assert_cmpuint (changes, ==, 2);
  g_assert_cmpuint (notifies, ==, 1);

  g_object_set (policy, "storm-threshold", 20, NULL);
  g_assert_cmpuint (notifies, ==, 1);

  vigil_escalation_policy_set_quiet_hours (policy, TRUE, 22 * 60, 7 * 60);
  g_assert_cmpuint (changes, ==, 3);
  vigil_escalation_policy_set_quiet_hours (policy, TRUE, 22 * 60, 7 * 60);
  g_assert_cmpuint (changes, ==, 3);
}

static void
test_variant_round_trip (void)
{
  g_autoptr(VigilEscalationPolicy) policy = vigil_escalation_policy_new ();
  g_autoptr(VigilEscalationPolicy) copy = NULL;
  g_autoptr(VigilEscalationPolicy) reparsed = NULL;
  g_autoptr(GVariant) saved = NULL;
  g_autoptr(GVariant) again = NULL;
  g_autoptr(GVariant) parsed = NULL;
  g_autofree char *text = NULL;
  VigilEscalationRule rule;

  vigil_escalation_policy_get_rule (policy, VIGIL_SEVERITY_WARNING, &rule);
  rule.sound = g_intern_static_string ("bell");
  rule.repeat_seconds = 90;
  rule.volume_step = 0.05;
  rule.max_volume = 0.8;
  rule.in_quiet_hours = TRUE;
  vigil_escalation_policy_set_rule (policy, VIGIL_SEVERITY_WARNING, &rule);
  vigil_escalation_policy_get_rule (policy, VIGIL_SEVERITY_CRITICAL, &rule);
  rule.escalated_hook = FALSE;
  rule.ack_timeout_seconds = 0;
  vigil_escalation_policy_set_rule (policy, VIGIL_SEVERITY_CRITICAL, &rule);
  vigil_escalation_policy_set_quiet_hours (policy, TRUE, 23 * 60 + 30, 6 * 60 + 15);
  vigil_escalation_policy_set_storm_threshold (policy, 12);
  vigil_escalation_policy_set_flap_window (policy, 900);
  vigil_escalation_policy_set_blind_after (policy, 240);
  vigil_escalation_policy_set_heartbeat_check (policy, VIGIL_HEARTBEAT_CHECK_REQUIRED);

  saved = vigil_escalation_policy_to_variant (policy);
  g_assert_true (g_variant_is_of_type (saved, G_VARIANT_TYPE_VARDICT));
  g_assert_false (g_variant_is_floating (saved));

  copy = vigil_escalation_policy_new_from_variant (saved);
  again = vigil_escalation_policy_to_variant (copy);
  g_assert_true (g_variant_equal (saved, again));

  vigil_escalation_policy_get_rule (copy, VIGIL_SEVERITY_WARNING, &rule);
  g_assert_cmpstr (rule.sound, ==, "bell");
  g_assert_cmpuint (rule.repeat_seconds, ==, 90);
  g_assert_true (rule.in_quiet_hours);
  g_assert_cmpuint (vigil_escalation_policy_get_storm_threshold (copy), ==, 12);
  g_assert_cmpint (vigil_escalation_policy_get_heartbeat_check (copy), ==, VIGIL_HEARTBEAT_CHECK_REQUIRED);

  /* GSettings keeps it as text in dconf or a keyfile: it survives that. */
  text = g_variant_print (saved, TRUE);
  parsed = g_variant_parse (G_VARIANT_TYPE_VARDICT, text, NULL, NULL, NULL);
  g_assert_nonnull (parsed);
  reparsed = vigil_escalation_policy_new_from_variant (parsed);
  g_clear_pointer (&again, g_variant_unref);
  again = vigil_escalation_policy_to_variant (reparsed);
  g_assert_true (g_variant_equal (saved, again));
}

/* What a hand-edited or older setting turns into: the value that gets
 * stored, read back from to_variant() at `path` ("key" or
 * "severity/key"). */
typedef struct {
  const char *input;
  const char *path;
  const char *expected;
} VariantCase;

static const VariantCase variant_cases[] = {
  { "@a{sv} {}", "critical/repeat", "uint32 60" },
  { "{'critical': <{'volume': <5.0>}>}", "critical/volume", "1.0" },
  { "{'critical': <{'volume': <-2.0>}>}", "critical/volume", "0.0" },
  { "{'critical': <{'repeat': <uint32 1>}>}", "critical/repeat", "uint32 10" },
  { "{'critical': <{'repeat': <uint32 0>}>}", "critical/repeat", "uint32 0" },
  /* Wrong type: the default stays. */
  { "{'critical': <{'repeat': <'often'>}>}", "critical/repeat", "uint32 60" },
  { "{'critical': <{'repeat': <int32 30>}>}", "critical/repeat", "uint32 60" },
  { "{'critical': <'loud'>}", "critical/sound", "'alarm'" },
  /* Sound names end up as file names: no paths. */
  { "{'critical': <{'sound': <'../../etc/passwd'>}>}", "critical/sound", "'alarm'" },
  { "{'critical': <{'sound': <'siren-2'>}>}", "critical/sound", "'siren-2'" },
  { "{'warning': <{'sound': <''>}>}", "warning/sound", "''" },
  { "{'warning': <{'urgency': <'loud'>}>}", "warning/urgency", "'normal'" },
  { "{'warning': <{'urgency': <'LOW'>}>}", "warning/urgency", "'low'" },
  { "{'info': <{'max-volume': <0.25>, 'volume': <0.5>}>}", "info/max-volume", "0.5" },
  { "{'quiet-hours-start': <uint32 5000>}", "quiet-hours-start", "uint32 1439" },
  { "{'storm-threshold': <uint32 0>}", "storm-threshold", "uint32 1" },
  { "{'blind-after': <uint32 1>}", "blind-after", "uint32 10" },
  { "{'heartbeat-check': <'off'>}", "heartbeat-check", "'off'" },
  { "{'heartbeat-check': <'sometimes'>}", "heartbeat-check", "'auto'" },
  { "{'unknown-key': <true>, 'version': <uint32 7>}", "storm-threshold", "uint32 5" },
};

static void
test_variant_case (gconstpointer data)
{
  const VariantCase *test_case = data;
  g_autoptr(GVariant) input = g_variant_parse (G_VARIANT_TYPE_VARDICT, test_case->input, NULL, NULL, NULL);
  g_autoptr(VigilEscalationPolicy) policy = NULL;
  g_autoptr(GVariant) output = NULL;
  g_autoptr(GVariant) value = NULL;
  g_auto(GStrv) path = g_strsplit (test_case->path, "/", 2);
  g_autofree char *text = NULL;

  g_assert_nonnull (input);
  policy = vigil_escalation_policy_new_from_variant (input);
  output = vigil_escalation_policy_to_variant (policy);

  if (path[1] != NULL)
    {
      g_autoptr(GVariant) rule = g_variant_lookup_value (output, path[0], G_VARIANT_TYPE_VARDICT);

      g_assert_nonnull (rule);
      value = g_variant_lookup_value (rule, path[1], NULL);
    }
  else
    value = g_variant_lookup_value (output, path[0], NULL);

  g_assert_nonnull (value);
  text = g_variant_print (value, TRUE);
  g_assert_cmpstr (text, ==, test_case->expected);
}

typedef struct {
  gboolean    enabled;
  guint       start;
  guint       end;
  guint       hour;
  guint       minute;
  gboolean    quiet;
} QuietCase;

static const QuietCase quiet_cases[] = {
  { FALSE, 22 * 60, 7 * 60, 23, 0, FALSE },
  { TRUE, 22 * 60, 7 * 60, 23, 0, TRUE },
  { TRUE, 22 * 60, 7 * 60, 21, 59, FALSE },
  { TRUE, 22 * 60, 7 * 60, 22, 0, TRUE },
  { TRUE, 22 * 60, 7 * 60, 0, 30, TRUE },
  { TRUE, 22 * 60, 7 * 60, 6, 59, TRUE },
  { TRUE, 22 * 60, 7 * 60, 7, 0, FALSE },
  { TRUE, 12 * 60, 14 * 60, 13, 0, TRUE },
  { TRUE, 12 * 60, 14 * 60, 14, 0, FALSE },
  { TRUE, 12 * 60, 14 * 60, 3, 0, FALSE },
  /* Start equal to end is no quiet time at all, not all day. */
  { TRUE, 8 * 60, 8 * 60, 8, 0, FALSE },
};

static void
test_quiet_hours (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (quiet_cases); i++)
    {
      const QuietCase *test_case = &quiet_cases[i];
      g_autoptr(VigilEscalationPolicy) policy = vigil_escalation_policy_new ();
      g_autoptr(GDateTime) when = g_date_time_new_utc (2026, 12, 3, test_case->hour, test_case->minute, 0);

      vigil_escalation_policy_set_quiet_hours (policy, test_case->enabled, test_case->start, test_case->end);
      g_test_message ("case %u: %02u:%02u", i, test_case->hour, test_case->minute);
      g_assert_cmpint (vigil_escalation_policy_is_quiet_at (policy, when), ==, test_case->quiet);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/vigil/escalation-policy/defaults", test_defaults);
  g_test_add_func ("/vigil/escalation-policy/volume-ramp", test_volume_ramp);
  g_test_add_func ("/vigil/escalation-policy/low-urgency-never-escalates", test_low_urgency_never_escalates);
  g_test_add_func ("/vigil/escalation-policy/set-rule-clamps", test_set_rule_clamps);
  g_test_add_func ("/vigil/escalation-policy/changed-only-on-change", test_changed_only_on_change);
  g_test_add_func ("/vigil/escalation-policy/variant-round-trip", test_variant_round_trip);
  for (guint i = 0; i < G_N_ELEMENTS (variant_cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/vigil/escalation-policy/variant/%02u", i);

      g_test_add_data_func (path, &variant_cases[i], test_variant_case);
    }
  g_test_add_func ("/vigil/escalation-policy/quiet-hours", test_quiet_hours);

  return g_test_run ();
}
