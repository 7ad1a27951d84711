/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "vigil-alert-lifecycle.h"
#include "vigil-alert-tracker.h"

/* 2026-12-03 15:40:00 UTC. */
#define T0 (G_GINT64_CONSTANT (1796312400) * G_USEC_PER_SEC)
#define SECONDS(s) ((gint64) (s) * G_USEC_PER_SEC)

typedef struct {
  VigilClock            *clock;
  VigilEscalationPolicy *policy;
  VigilAlertLifecycle   *lifecycle;
  GPtrArray             *actions;    /* VigilAlertAction, in order */
  guint                  changes;
  guint                  ticks;
  /* The transition scripts' alert and the list the tracker would show. */
  VigilAlert            *current;
  GListStore            *listed;
} Fixture;

static void
action_cb (VigilAlertLifecycle *lifecycle,
           VigilAlertAction    *action,
           Fixture             *fixture)
{
  g_ptr_array_add (fixture->actions, vigil_alert_action_ref (action));
}

static void
changed_cb (VigilAlertLifecycle *lifecycle,
            Fixture             *fixture)
{
  fixture->changes++;
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GTimeZone) utc = g_time_zone_new_utc ();

  fixture->clock = vigil_clock_new_fake (T0);
  fixture->policy = vigil_escalation_policy_new ();
  fixture->lifecycle = vigil_alert_lifecycle_new (fixture->clock, fixture->policy);
  vigil_alert_lifecycle_set_time_zone (fixture->lifecycle, utc);
  fixture->actions = g_ptr_array_new_with_free_func ((GDestroyNotify) vigil_alert_action_unref);
  fixture->listed = g_list_store_new (VIGIL_TYPE_ALERT);
  g_signal_connect (fixture->lifecycle, "action", G_CALLBACK (action_cb), fixture);
  g_signal_connect (fixture->lifecycle, "changed", G_CALLBACK (changed_cb), fixture);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_clear_object (&fixture->current);
  g_assert_finalize_object (fixture->lifecycle);
  g_assert_finalize_object (fixture->policy);
  g_assert_finalize_object (fixture->clock);
  g_clear_object (&fixture->listed);
  g_ptr_array_unref (fixture->actions);
}

static VigilAlert *
make_alert (const char      *name,
            const char      *severity,
            VigilAlertState  state)
{
  VigilAlert *alert = vigil_alert_new ();
  g_autofree char *fingerprint = NULL;
  g_autoptr(GDateTime) start = g_date_time_new_utc (2026, 12, 3, 14, 58, 0);

  vigil_alert_set_label (alert, "alertname", name);
  if (severity != NULL && g_strcmp0 (severity, "none") != 0)
    vigil_alert_set_label (alert, "severity", severity);
  vigil_alert_set_annotation (alert, "summary", "Something <b>broke</b> & stays broken");
  vigil_alert_set_state (alert, state);
  vigil_alert_set_starts_at (alert, start);
  vigil_alert_set_source (alert, "am");
  fingerprint = vigil_alert_compute_fingerprint (alert);
  vigil_alert_set_fingerprint (alert, fingerprint);

  return alert;
}

static void
tick (Fixture *fixture)
{
  vigil_alert_lifecycle_tick (fixture->lifecycle);
  fixture->ticks++;
}

/* What the application does: tick at each due time, up to `target`, then
 * once at `target`. */
static void
run_until (Fixture *fixture,
           gint64   target)
{
  for (guint guard = 0; guard < 10000; guard++)
    {
      gint64 due = vigil_alert_lifecycle_get_next_due (fixture->lifecycle);

      if (due == 0 || due > target)
        break;
      if (due > vigil_clock_get_now (fixture->clock))
        vigil_clock_set_now (fixture->clock, due);
      tick (fixture);
    }

  vigil_clock_set_now (fixture->clock, target);
  tick (fixture);
}

static void
wait_seconds (Fixture *fixture,
              guint    seconds)
{
  run_until (fixture, vigil_clock_get_now (fixture->clock) + SECONDS (seconds));
}

/* The kinds of the actions since the last call, as "notify,play", or "-". */
static char *
take_kinds (Fixture *fixture)
{
  GString *kinds = g_string_new (NULL);

  for (guint i = 0; i < fixture->actions->len; i++)
    {
      VigilAlertAction *action = g_ptr_array_index (fixture->actions, i);

      if (kinds->len > 0)
        g_string_append_c (kinds, ',');
      g_string_append (kinds, vigil_alert_action_kind_to_string (action->kind));
    }

  g_ptr_array_set_size (fixture->actions, 0);
  if (kinds->len == 0)
    g_string_append_c (kinds, '-');

  return g_string_free (kinds, FALSE);
}

static guint
count_kind (Fixture              *fixture,
            VigilAlertActionKind  kind)
{
  guint count = 0;

  for (guint i = 0; i < fixture->actions->len; i++)
    {
      VigilAlertAction *action = g_ptr_array_index (fixture->actions, i);

      if (action->kind == kind)
        count++;
    }

  return count;
}

static VigilAlertAction *
find_kind (Fixture              *fixture,
           VigilAlertActionKind  kind)
{
  for (guint i = 0; i < fixture->actions->len; i++)
    {
      VigilAlertAction *action = g_ptr_array_index (fixture->actions, i);

      if (action->kind == kind)
        return action;
    }

  return NULL;
}

static void
clear_actions (Fixture *fixture)
{
  g_ptr_array_set_size (fixture->actions, 0);
}

static void
fire (Fixture    *fixture,
      VigilAlert *alert)
{
  vigil_alert_lifecycle_alert_fired (fixture->lifecycle, alert);
}

/* Transitions, one script per row: the table the issue asks for. Each
 * step is one of
 *   fire SEV | resolve | suppress SEV | unsuppress SEV   (what the tracker says)
 *   ack | unack | snooze SECONDS | offshift | onshift    (what the engineer does)
 *   tick | wait SECONDS                                  (time passing, ticked as the app does)
 *   expect STATE LEVEL | saw KIND,KIND… | flapping yes|no | gone
 * on one alert "A". */
typedef struct {
  const char *name;
  const char *script;
} TransitionCase;

static const TransitionCase transitions[] = {
  { "new", "fire critical; expect new 0; saw -" },
  { "new-notified", "fire warning; tick; saw notify,play; expect notified 1" },
  { "new-escalating", "fire critical; tick; saw notify,play; expect escalating 1" },
  { "escalating-level-2",
    "fire critical; tick; wait 299; saw notify,play,play,play,play,play; expect escalating 1;"
    "wait 1; saw escalate,notify,run-hook,play; expect escalating 2" },
  { "escalating-acknowledged", "fire critical; tick; ack; saw notify,play,stop; expect acknowledged 1" },
  { "level-2-acknowledged-keeps-level", "fire critical; tick; wait 300; ack; expect acknowledged 2" },
  { "acknowledged-rearmed",
    "fire critical; tick; ack; wait 1799; saw notify,play,stop; expect acknowledged 1;"
    "wait 1; saw rearm,notify,play; expect escalating 1" },
  { "acknowledged-resolved",
    "fire critical; tick; ack; resolve; tick; saw notify,play,stop,resolved; expect resolved 1" },
  { "escalating-resolved",
    "fire critical; tick; resolve; saw notify,play,stop; tick; saw resolved; expect resolved 1" },
  { "new-resolved-says-nothing", "fire critical; resolve; tick; saw -; expect resolved 0" },
  { "resolved-forgotten", "fire warning; tick; resolve; wait 599; expect resolved 1; wait 1; gone" },
  { "escalating-snoozed",
    "fire critical; tick; snooze 600; saw notify,play,stop; expect snoozed 1; wait 599; saw -;"
    "wait 1; saw rearm,notify,play; expect escalating 1" },
  { "acknowledged-snoozed-unacknowledged",
    "fire critical; tick; ack; snooze 600; unack; expect new 1; tick; saw notify,play,stop,rearm,notify,play" },
  { "acknowledged-unacknowledged",
    "fire critical; tick; ack; unack; expect new 1; tick; saw notify,play,stop,rearm,notify,play;"
    "expect escalating 1" },
  { "escalating-silenced",
    "fire critical; tick; suppress critical; saw notify,play,stop; expect silenced 1; wait 600; saw -;"
    "unsuppress critical; tick; saw rearm,notify,play; expect escalating 1" },
  { "acknowledged-stays-when-silenced",
    "fire critical; tick; ack; suppress critical; expect acknowledged 1; unsuppress critical; tick;"
    "expect acknowledged 1" },
  { "acknowledgement-ends-while-silenced",
    "fire critical; tick; ack; suppress critical; wait 1800; expect silenced 1; saw notify,play,stop" },
  { "silenced-first",
    "suppress critical; tick; saw -; expect silenced 0; unsuppress critical; tick; saw notify,play;"
    "expect escalating 1" },
  { "held-off-shift",
    "offshift; fire warning; tick; saw -; expect held 0; onshift; tick; saw notify,play; expect notified 1" },
  { "critical-through-off-shift", "offshift; fire critical; tick; saw notify,play; expect escalating 1" },
  { "flapping",
    "fire warning; tick; resolve; tick; wait 120; fire warning; tick; saw notify,play,stop,resolved;"
    "expect notified 1; flapping yes; resolve; tick; wait 60; fire warning; tick; saw resolved;"
    "flapping yes" },
  { "flapping-stays-acknowledged",
    "fire critical; tick; ack; resolve; tick; wait 60; fire critical; wait 600; expect acknowledged 1;"
    "flapping yes; saw notify,play,stop,resolved" },
  { "flapping-escalation-goes-on",
    "fire critical; tick; resolve; tick; wait 30; fire critical; wait 30; saw notify,play,stop,resolved,play;"
    "expect escalating 1; flapping yes" },
  { "refire-after-window",
    "fire warning; tick; resolve; tick; wait 600; fire warning; tick; saw notify,play,stop,resolved,notify,play;"
    "flapping no; expect notified 1" },
  { "info-low-urgency", "fire info; tick; wait 3600; saw notify; expect notified 1" },
  { "warning-ack-never-rearms", "fire warning; tick; ack; wait 7200; saw notify,play,stop; expect acknowledged 1" },
  { "no-severity-like-warning", "fire none; tick; saw notify,play; expect notified 1" },
};

static void
run_step (Fixture    *fixture,
          const char *step)
{
  g_auto(GStrv) words = g_strsplit (step, " ", -1);
  const char *verb = words[0];
  const char *arg = words[0] != NULL ? words[1] : NULL;
  const char *fingerprint = fixture->current != NULL
                            ? vigil_alert_get_fingerprint (fixture->current) : NULL;

  g_test_message ("step: %s", step);

  if (g_str_equal (verb, "fire"))
    {
      g_set_object (&fixture->current, NULL);
      fixture->current = make_alert ("A", arg, VIGIL_ALERT_STATE_ACTIVE);
      g_list_store_remove_all (fixture->listed);
      g_list_store_append (fixture->listed, fixture->current);
      fire (fixture, fixture->current);
      vigil_alert_lifecycle_sync (fixture->lifecycle, G_LIST_MODEL (fixture->listed));
    }
  else if (g_str_equal (verb, "resolve"))
    {
      g_list_store_remove_all (fixture->listed);
      vigil_alert_lifecycle_alert_resolved (fixture->lifecycle, fixture->current);
    }
  else if (g_str_equal (verb, "suppress") || g_str_equal (verb, "unsuppress"))
    {
      gboolean suppressed = g_str_equal (verb, "suppress");
      gboolean existed = fixture->current != NULL;

      if (!existed)
        fixture->current = make_alert ("A", arg, VIGIL_ALERT_STATE_ACTIVE);
      vigil_alert_set_state (fixture->current,
                             suppressed ? VIGIL_ALERT_STATE_SUPPRESSED : VIGIL_ALERT_STATE_ACTIVE);
      g_list_store_remove_all (fixture->listed);
      g_list_store_append (fixture->listed, fixture->current);
      vigil_alert_lifecycle_sync (fixture->lifecycle, G_LIST_MODEL (fixture->listed));
    }
  else if (g_str_equal (verb, "ack"))
    g_assert_true (vigil_alert_lifecycle_acknowledge (fixture->lifecycle, fingerprint));
  else if (g_str_equal (verb, "unack"))
    g_assert_true (vigil_alert_lifecycle_unacknowledge (fixture->lifecycle, fingerprint));
  else if (g_str_equal (verb, "snooze"))
    g_assert_true (vigil_alert_lifecycle_snooze (fixture->lifecycle, fingerprint,
                                                 vigil_clock_get_now (fixture->clock)
                                                 + SECONDS (g_ascii_strtoull (arg, NULL, 10))));
  else if (g_str_equal (verb, "offshift"))
    vigil_alert_lifecycle_set_on_shift (fixture->lifecycle, FALSE);
  else if (g_str_equal (verb, "onshift"))
    vigil_alert_lifecycle_set_on_shift (fixture->lifecycle, TRUE);
  else if (g_str_equal (verb, "tick"))
    tick (fixture);
  else if (g_str_equal (verb, "wait"))
    wait_seconds (fixture, g_ascii_strtoull (arg, NULL, 10));
  else if (g_str_equal (verb, "expect"))
    {
      g_assert_cmpstr (vigil_alarm_state_to_string (vigil_alert_lifecycle_get_state (fixture->lifecycle, fingerprint)),
                       ==, arg);
      g_assert_cmpuint (vigil_alert_lifecycle_get_escalation_level (fixture->lifecycle, fingerprint),
                        ==, g_ascii_strtoull (words[2], NULL, 10));
      g_assert_cmpint (vigil_alert_lifecycle_is_acknowledged (fixture->lifecycle, fingerprint),
                       ==, g_str_equal (arg, "acknowledged"));
    }
  else if (g_str_equal (verb, "saw"))
    {
      g_autofree char *kinds = take_kinds (fixture);

      g_assert_cmpstr (kinds, ==, arg);
    }
  else if (g_str_equal (verb, "flapping"))
    g_assert_cmpint (vigil_alert_lifecycle_is_flapping (fixture->lifecycle, fingerprint),
                     ==, g_str_equal (arg, "yes"));
  else if (g_str_equal (verb, "gone"))
    g_assert_false (vigil_alert_lifecycle_contains (fixture->lifecycle, fingerprint));
  else
    g_error ("unknown step “%s”", step);
}

static void
test_transition (Fixture       *fixture,
                 gconstpointer  data)
{
  const TransitionCase *test_case = data;
  g_auto(GStrv) steps = g_strsplit (test_case->script, ";", -1);

  for (guint i = 0; steps[i] != NULL; i++)
    {
      g_autofree char *step = g_strstrip (g_strdup (steps[i]));

      if (*step != '\0')
        run_step (fixture, step);
    }
}

static void
test_escalation_timing (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autoptr(VigilAlert) alert = make_alert ("DiskFull", "critical", VIGIL_ALERT_STATE_ACTIVE);
  const char *fingerprint = vigil_alert_get_fingerprint (alert);
  VigilAlertAction *action;
  double volumes[3];

  fire (fixture, alert);
  g_assert_cmpint (vigil_alert_lifecycle_get_next_due (fixture->lifecycle), ==, T0);
  tick (fixture);

  /* 0 s: notification and sound at once. */
  action = find_kind (fixture, VIGIL_ALERT_ACTION_NOTIFY);
  g_assert_nonnull (action);
  g_assert_true (action->alert == alert);
  g_assert_cmpint (action->urgency, ==, VIGIL_URGENCY_CRITICAL);
  g_assert_cmpuint (action->level, ==, 1);
  g_assert_cmpint (action->reason, ==, VIGIL_ALERT_REASON_FIRED);
  action = find_kind (fixture, VIGIL_ALERT_ACTION_PLAY);
  g_assert_nonnull (action);
  g_assert_cmpstr (action->sound, ==, "alarm");
  volumes[0] = action->volume;
  g_assert_cmpint (vigil_alert_lifecycle_get_next_due (fixture->lifecycle), ==, T0 + SECONDS (60));
  clear_actions (fixture);

  /* Nothing between the steps. */
  vigil_clock_set_now (fixture->clock, T0 + SECONDS (59));
  tick (fixture);
  g_assert_cmpuint (fixture->actions->len, ==, 0);

  /* 60 s and 120 s: the sound again, louder each time. */
  for (guint i = 1; i <= 2; i++)
    {
      vigil_clock_set_now (fixture->clock, T0 + SECONDS (60 * i));
      tick (fixture);
      g_assert_cmpuint (fixture->actions->len, ==, 1);
      action = find_kind (fixture, VIGIL_ALERT_ACTION_PLAY);
      g_assert_nonnull (action);
      g_assert_cmpstr (action->sound, ==, "alarm");
      g_assert_cmpint (action->reason, ==, VIGIL_ALERT_REASON_REPEAT);
      volumes[i] = action->volume;
      g_assert_cmpfloat (volumes[i], >, volumes[i - 1]);
      clear_actions (fixture);
    }
  g_assert_cmpfloat_with_epsilon (volumes[0], 0.40, 1e-9);
  g_assert_cmpfloat_with_epsilon (volumes[1], 0.55, 1e-9);
  g_assert_cmpfloat_with_epsilon (volumes[2], 0.70, 1e-9);
  g_assert_cmpuint (vigil_alert_lifecycle_get_escalation_level (fixture->lifecycle, fingerprint), ==, 1);

  run_until (fixture, T0 + SECONDS (299));
  g_assert_cmpuint (count_kind (fixture, VIGIL_ALERT_ACTION_PLAY), ==, 2);
  g_assert_cmpuint (count_kind (fixture, VIGIL_ALERT_ACTION_ESCALATE), ==, 0);
  clear_actions (fixture);

  /* 5 min unacknowledged: level 2, another sound, louder, critical
   * urgency, and the hook. */
  vigil_clock_set_now (fixture->clock, T0 + SECONDS (300));
  tick (fixture);
  action = find_kind (fixture, VIGIL_ALERT_ACTION_ESCALATE);
  g_assert_nonnull (action);
  g_assert_cmpuint (action->level, ==, 2);
  action = find_kind (fixture, VIGIL_ALERT_ACTION_NOTIFY);
  g_assert_nonnull (action);
  g_assert_cmpint (action->urgency, ==, VIGIL_URGENCY_CRITICAL);
  g_assert_cmpuint (action->level, ==, 2);
  g_assert_cmpint (action->reason, ==, VIGIL_ALERT_REASON_ESCALATED);
  g_assert_cmpuint (count_kind (fixture, VIGIL_ALERT_ACTION_RUN_HOOK), ==, 1);
  action = find_kind (fixture, VIGIL_ALERT_ACTION_PLAY);
  g_assert_nonnull (action);
  g_assert_cmpstr (action->sound, ==, "alarm-urgent");
  g_assert_cmpfloat (action->volume, >, 0.85);
  g_assert_cmpuint (action->level, ==, 2);
  g_assert_cmpuint (vigil_alert_lifecycle_get_escalation_level (fixture->lifecycle, fingerprint), ==, 2);
  clear_actions (fixture);

  /* Level 2 repeats on the same interval; the hook runs once. */
  run_until (fixture, T0 + SECONDS (600));
  g_assert_cmpuint (count_kind (fixture, VIGIL_ALERT_ACTION_PLAY), ==, 5);
  g_assert_cmpuint (count_kind (fixture, VIGIL_ALERT_ACTION_RUN_HOOK), ==, 0);
  g_assert_cmpuint (count_kind (fixture, VIGIL_ALERT_ACTION_NOTIFY), ==, 0);
}

static void
test_no_escalation_below_critical (Fixture       *fixture,
                                   gconstpointer  data)
{
  g_autoptr(VigilAlert) warning = make_alert ("SlowRequests", "warning", VIGIL_ALERT_STATE_ACTIVE);
  g_autoptr(VigilAlert) info = make_alert ("DeployFinished", "info", VIGIL_ALERT_STATE_ACTIVE);
  VigilAlertAction *play;

  fire (fixture, warning);
  fire (fixture, info);
  tick (fixture);

  /* One chime for the warning; the info is a silent, low-urgency note. */
  g_assert_cmpuint (count_kind (fixture, VIGIL_ALERT_ACTION_NOTIFY), ==, 2);
  g_assert_cmpuint (count_kind (fixture, VIGIL_ALERT_ACTION_PLAY), ==, 1);
  play = find_kind (fixture, VIGIL_ALERT_ACTION_PLAY);
  g_assert_cmpstr (play->sound, ==, "chime");
  g_assert_true (play->alert == warning);
  for (guint i = 0; i < fixture->actions->len; i++)
    {
      VigilAlertAction *action = g_ptr_array_index (fixture->actions, i);

      if (action->alert == info)
        g_assert_cmpint (action->urgency, ==, VIGIL_URGENCY_LOW);
    }
  clear_actions (fixture);

  g_assert_cmpint (vigil_alert_lifecycle_get_next_due (fixture->lifecycle), ==, 0);
  for (guint minute = 1; minute <= 60; minute++)
    {
      vigil_clock_set_now (fixture->clock, T0 + SECONDS (60 * minute));
      tick (fixture);
    }
  g_assert_cmpuint (fixture->actions->len, ==, 0);
  g_assert_cmpint (vigil_alert_lifecycle_get_state (fixture->lifecycle, vigil_alert_get_fingerprint (warning)),
                   ==, VIGIL_ALARM_STATE_NOTIFIED);
}

static void
test_low_urgency_never_escalates (Fixture       *fixture,
                                  gconstpointer  data)
{
  g_autoptr(VigilAlert) alert = make_alert ("Batch", "critical", VIGIL_ALERT_STATE_ACTIVE);
  VigilEscalationRule rule;

  vigil_escalation_policy_get_rule (fixture->policy, VIGIL_SEVERITY_CRITICAL, &rule);
  rule.urgency = VIGIL_URGENCY_LOW;
  vigil_escalation_policy_set_rule (fixture->policy, VIGIL_SEVERITY_CRITICAL, &rule);

  fire (fixture, alert);
  wait_seconds (fixture, 3600);
  g_assert_cmpuint (count_kind (fixture, VIGIL_ALERT_ACTION_NOTIFY), ==, 1);
  g_assert_cmpuint (count_kind (fixture, VIGIL_ALERT_ACTION_PLAY), ==, 1);
  g_assert_cmpuint (count_kind (fixture, VIGIL_ALERT_ACTION_ESCALATE), ==, 0);

  /* Nor does its acknowledgement time out. */
  g_assert_true (vigil_alert_lifecycle_acknowledge (fixture->lifecycle, vigil_alert_get_fingerprint (alert)));
  clear_actions (fixture);
  wait_seconds (fixture, 4 * 3600);
  g_assert_cmpuint (fixture->actions->len, ==, 0);
  g_assert_true (vigil_alert_lifecycle_is_acknowledged (fixture->lifecycle, vigil_alert_get_fingerprint (alert)));
}

static void
test_ack_stops_escalation (Fixture       *fixture,
                           gconstpointer  data)
{
  g_autoptr(VigilAlert) alert = make_alert ("DiskFull", "critical", VIGIL_ALERT_STATE_ACTIVE);
  const char *fingerprint = vigil_alert_get_fingerprint (alert);
  guint changes;

  fire (fixture, alert);
  run_until (fixture, T0 + SECONDS (90));
  g_assert_cmpuint (count_kind (fixture, VIGIL_ALERT_ACTION_PLAY), ==, 2);
  clear_actions (fixture);

  /* The sound stops the moment it is acknowledged, not at the next tick. */
  changes = fixture->changes;
  g_assert_true (vigil_alert_lifecycle_acknowledge (fixture->lifecycle, fingerprint));
  g_assert_cmpuint (fixture->actions->len, ==, 1);
  g_assert_cmpint (((VigilAlertAction *) g_ptr_array_index (fixture->actions, 0))->kind,
                   ==, VIGIL_ALERT_ACTION_STOP);
  g_assert_cmpuint (fixture->changes, ==, changes + 1);
  g_assert_false (vigil_alert_lifecycle_acknowledge (fixture->lifecycle, fingerprint));
  g_assert_false (vigil_alert_lifecycle_needs_attention (fixture->lifecycle));
  clear_actions (fixture);

  /* Nothing at all until the acknowledgement times out at 30 min. */
  g_assert_cmpint (vigil_alert_lifecycle_get_next_due (fixture->lifecycle), ==, T0 + SECONDS (90 + 1800));
  run_until (fixture, T0 + SECONDS (90 + 1799));
  g_assert_cmpuint (fixture->actions->len, ==, 0);
  g_assert_true (vigil_alert_lifecycle_is_acknowledged (fixture->lifecycle, fingerprint));
  g_assert_cmpuint (vigil_alert_lifecycle_get_escalation_level (fixture->lifecycle, fingerprint), ==, 1);

  /* Still firing: re-armed from level 1, at the first volume. */
  run_until (fixture, T0 + SECONDS (90 + 1800));
  g_assert_nonnull (find_kind (fixture, VIGIL_ALERT_ACTION_REARM));
  g_assert_cmpint (find_kind (fixture, VIGIL_ALERT_ACTION_REARM)->reason, ==, VIGIL_ALERT_REASON_REARMED);
  g_assert_cmpfloat_with_epsilon (find_kind (fixture, VIGIL_ALERT_ACTION_PLAY)->volume, 0.4, 1e-9);
  g_assert_true (vigil_alert_lifecycle_needs_attention (fixture->lifecycle));
}

static void
test_stop_waits_for_every_alert (Fixture       *fixture,
                                 gconstpointer  data)
{
  g_autoptr(VigilAlert) a = make_alert ("A", "critical", VIGIL_ALERT_STATE_ACTIVE);
  g_autoptr(VigilAlert) b = make_alert ("B", "critical", VIGIL_ALERT_STATE_ACTIVE);

  fire (fixture, a);
  fire (fixture, b);
  tick (fixture);
  /* Two alarms at once make one sound. */
  g_assert_cmpuint (count_kind (fixture, VIGIL_ALERT_ACTION_PLAY), ==, 1);
  g_assert_cmpuint (count_kind (fixture, VIGIL_ALERT_ACTION_NOTIFY), ==, 2);
  clear_actions (fixture);

  g_assert_true (vigil_alert_lifecycle_acknowledge (fixture->lifecycle, vigil_alert_get_fingerprint (a)));
  g_assert_cmpuint (count_kind (fixture, VIGIL_ALERT_ACTION_STOP), ==, 0);
  g_assert_true (vigil_alert_lifecycle_needs_attention (fixture->lifecycle));
  g_assert_true (vigil_alert_lifecycle_acknowledge (fixture->lifecycle, vigil_alert_get_fingerprint (b)));
  g_assert_cmpuint (count_kind (fixture, VIGIL_ALERT_ACTION_STOP), ==, 1);
  g_assert_false (vigil_alert_lifecycle_needs_attention (fixture->lifecycle));
}

static void
test_late_tick_catches_up (Fixture       *fixture,
                           gconstpointer  data)
{
  g_autoptr(VigilAlert) alert = make_alert ("DiskFull", "critical", VIGIL_ALERT_STATE_ACTIVE);

  fire (fixture, alert);
  tick (fixture);
  clear_actions (fixture);

  /* The loop stalled for two and a half steps: one sound, at the volume
   * of now, and the schedule stays on the minute. */
  vigil_clock_set_now (fixture->clock, T0 + SECONDS (150));
  tick (fixture);
  g_assert_cmpuint (count_kind (fixture, VIGIL_ALERT_ACTION_PLAY), ==, 1);
  g_assert_cmpfloat_with_epsilon (find_kind (fixture, VIGIL_ALERT_ACTION_PLAY)->volume, 0.70, 1e-9);
  g_assert_cmpint (vigil_alert_lifecycle_get_next_due (fixture->lifecycle), ==, T0 + SECONDS (180));
}

static void
fire_many (Fixture   *fixture,
           guint      n_alerts,
           guint      n_critical,
           GPtrArray *keep)
{
  for (guint i = 0; i < n_alerts; i++)
    {
      g_autofree char *name = g_strdup_printf ("Alert%u", i);
      VigilAlert *alert = make_alert (name, i < n_critical ? "critical" : "warning",
                                      VIGIL_ALERT_STATE_ACTIVE);

      fire (fixture, alert);
      g_ptr_array_add (keep, alert);
    }
}

static void
test_storm_summary (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(GPtrArray) alerts = g_ptr_array_new_with_free_func (g_object_unref);
  VigilAlertAction *summary;

  fire_many (fixture, 37, 5, alerts);
  tick (fixture);

  g_assert_cmpuint (count_kind (fixture, VIGIL_ALERT_ACTION_NOTIFY), ==, 0);
  g_assert_cmpuint (count_kind (fixture, VIGIL_ALERT_ACTION_NOTIFY_SUMMARY), ==, 1);
  summary = find_kind (fixture, VIGIL_ALERT_ACTION_NOTIFY_SUMMARY);
  g_assert_cmpuint (summary->n_alerts, ==, 37);
  g_assert_cmpuint (summary->n_critical, ==, 5);
  g_assert_cmpuint (summary->alerts->len, ==, 37);
  g_assert_null (summary->alert);
  /* One sound, the critical one. */
  g_assert_cmpuint (count_kind (fixture, VIGIL_ALERT_ACTION_PLAY), ==, 1);
  g_assert_cmpstr (find_kind (fixture, VIGIL_ALERT_ACTION_PLAY)->sound, ==, "alarm");
  g_assert_cmpuint (vigil_alert_lifecycle_count_unacknowledged (fixture->lifecycle, VIGIL_SEVERITY_CRITICAL), ==, 5);
  g_assert_cmpuint (vigil_alert_lifecycle_count_unacknowledged (fixture->lifecycle, VIGIL_SEVERITY_NONE), ==, 37);
  clear_actions (fixture);

  /* The five criticals repeat together: one sound, no notification. */
  vigil_clock_set_now (fixture->clock, T0 + SECONDS (60));
  tick (fixture);
  {
    g_autofree char *kinds = take_kinds (fixture);

    g_assert_cmpstr (kinds, ==, "play");
  }

  /* Acknowledge all: one stop, nothing left to alarm. */
  g_assert_cmpuint (vigil_alert_lifecycle_acknowledge_all (fixture->lifecycle), ==, 37);
  {
    g_autofree char *kinds = take_kinds (fixture);

    g_assert_cmpstr (kinds, ==, "stop");
  }
  g_assert_cmpuint (vigil_alert_lifecycle_count_unacknowledged (fixture->lifecycle, VIGIL_SEVERITY_NONE), ==, 0);
}

static void
test_storm_threshold (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(GPtrArray) alerts = g_ptr_array_new_with_free_func (g_object_unref);

  /* At the threshold (5), each alert still gets its own notification. */
  fire_many (fixture, 5, 0, alerts);
  tick (fixture);
  g_assert_cmpuint (count_kind (fixture, VIGIL_ALERT_ACTION_NOTIFY), ==, 5);
  g_assert_cmpuint (count_kind (fixture, VIGIL_ALERT_ACTION_NOTIFY_SUMMARY), ==, 0);
  clear_actions (fixture);

  /* Alerts arriving in separate updates are no storm. */
  for (guint i = 0; i < 8; i++)
    {
      g_autofree char *name = g_strdup_printf ("Later%u", i);
      VigilAlert *alert = make_alert (name, "warning", VIGIL_ALERT_STATE_ACTIVE);

      fire (fixture, alert);
      g_ptr_array_add (alerts, alert);
      tick (fixture);
    }
  g_assert_cmpuint (count_kind (fixture, VIGIL_ALERT_ACTION_NOTIFY), ==, 8);
  clear_actions (fixture);

  /* One more than the threshold in one update: a summary. */
  vigil_escalation_policy_set_storm_threshold (fixture->policy, 2);
  for (guint i = 0; i < 3; i++)
    {
      g_autofree char *name = g_strdup_printf ("Storm%u", i);
      VigilAlert *alert = make_alert (name, "critical", VIGIL_ALERT_STATE_ACTIVE);

      fire (fixture, alert);
      g_ptr_array_add (alerts, alert);
    }
  tick (fixture);
  g_assert_cmpuint (count_kind (fixture, VIGIL_ALERT_ACTION_NOTIFY), ==, 0);
  g_assert_cmpuint (count_kind (fixture, VIGIL_ALERT_ACTION_NOTIFY_SUMMARY), ==, 1);
  g_assert_cmpuint (find_kind (fixture, VIGIL_ALERT_ACTION_NOTIFY_SUMMARY)->n_critical, ==, 3);
}

static void
test_quiet_hours (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(VigilAlert) warning = make_alert ("SlowRequests", "warning", VIGIL_ALERT_STATE_ACTIVE);
  g_autoptr(VigilAlert) critical = make_alert ("DiskFull", "critical", VIGIL_ALERT_STATE_ACTIVE);
  g_autoptr(GDateTime) night = g_date_time_new_utc (2026, 12, 3, 23, 0, 0);
  g_autoptr(GDateTime) morning = g_date_time_new_utc (2026, 12, 4, 7, 0, 0);
  gint64 morning_us = g_date_time_to_unix (morning) * G_USEC_PER_SEC;
  VigilAlertAction *notify;
  VigilEscalationRule rule;

  /* Acknowledged stays acknowledged tonight. */
  vigil_escalation_policy_get_rule (fixture->policy, VIGIL_SEVERITY_CRITICAL, &rule);
  rule.ack_timeout_seconds = 0;
  vigil_escalation_policy_set_rule (fixture->policy, VIGIL_SEVERITY_CRITICAL, &rule);
  vigil_escalation_policy_set_quiet_hours (fixture->policy, TRUE, 22 * 60, 7 * 60);
  vigil_clock_set_now (fixture->clock, g_date_time_to_unix (night) * G_USEC_PER_SEC);

  fire (fixture, warning);
  fire (fixture, critical);
  tick (fixture);

  /* The policy lets the critical through, and keeps the warning back. */
  g_assert_cmpuint (count_kind (fixture, VIGIL_ALERT_ACTION_NOTIFY), ==, 1);
  g_assert_true (find_kind (fixture, VIGIL_ALERT_ACTION_NOTIFY)->alert == critical);
  g_assert_cmpint (vigil_alert_lifecycle_get_state (fixture->lifecycle, vigil_alert_get_fingerprint (warning)),
                   ==, VIGIL_ALARM_STATE_HELD);
  g_assert_true (vigil_alert_lifecycle_acknowledge (fixture->lifecycle, vigil_alert_get_fingerprint (critical)));
  clear_actions (fixture);

  run_until (fixture, morning_us - SECONDS (60));
  g_assert_cmpuint (fixture->actions->len, ==, 0);
  g_assert_cmpint (vigil_alert_lifecycle_get_state (fixture->lifecycle, vigil_alert_get_fingerprint (warning)),
                   ==, VIGIL_ALARM_STATE_HELD);

  /* Quiet hours end at 07:00: the warning is told then. */
  run_until (fixture, morning_us);
  notify = find_kind (fixture, VIGIL_ALERT_ACTION_NOTIFY);
  g_assert_nonnull (notify);
  g_assert_true (notify->alert == warning);
  g_assert_cmpint (notify->reason, ==, VIGIL_ALERT_REASON_QUIET_ENDED);
  g_assert_cmpint (vigil_alert_lifecycle_get_state (fixture->lifecycle, vigil_alert_get_fingerprint (warning)),
                   ==, VIGIL_ALARM_STATE_NOTIFIED);
}

static void
test_quiet_hours_stop_escalation (Fixture       *fixture,
                                  gconstpointer  data)
{
  g_autoptr(VigilAlert) critical = make_alert ("DiskFull", "critical", VIGIL_ALERT_STATE_ACTIVE);
  VigilEscalationRule rule;

  /* A policy that keeps even critical alerts back off shift. */
  vigil_escalation_policy_get_rule (fixture->policy, VIGIL_SEVERITY_CRITICAL, &rule);
  rule.in_quiet_hours = FALSE;
  vigil_escalation_policy_set_rule (fixture->policy, VIGIL_SEVERITY_CRITICAL, &rule);

  fire (fixture, critical);
  wait_seconds (fixture, 60);
  g_assert_cmpuint (count_kind (fixture, VIGIL_ALERT_ACTION_PLAY), ==, 2);
  clear_actions (fixture);

  vigil_alert_lifecycle_set_on_shift (fixture->lifecycle, FALSE);
  tick (fixture);
  {
    g_autofree char *kinds = take_kinds (fixture);

    g_assert_cmpstr (kinds, ==, "stop");
  }
  wait_seconds (fixture, 3600);
  g_assert_cmpuint (count_kind (fixture, VIGIL_ALERT_ACTION_PLAY), ==, 0);

  /* Back on shift, it alarms from level 1 again. */
  vigil_alert_lifecycle_set_on_shift (fixture->lifecycle, TRUE);
  tick (fixture);
  g_assert_cmpuint (count_kind (fixture, VIGIL_ALERT_ACTION_NOTIFY), ==, 1);
  g_assert_cmpfloat_with_epsilon (find_kind (fixture, VIGIL_ALERT_ACTION_PLAY)->volume, 0.4, 1e-9);
}

static void
test_snooze_all (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autoptr(VigilAlert) a = make_alert ("A", "critical", VIGIL_ALERT_STATE_ACTIVE);
  g_autoptr(VigilAlert) b = make_alert ("B", "warning", VIGIL_ALERT_STATE_ACTIVE);
  g_autoptr(VigilAlert) c = make_alert ("C", "critical", VIGIL_ALERT_STATE_ACTIVE);

  fire (fixture, a);
  fire (fixture, b);
  fire (fixture, c);
  tick (fixture);
  g_assert_true (vigil_alert_lifecycle_acknowledge (fixture->lifecycle, vigil_alert_get_fingerprint (c)));
  clear_actions (fixture);

  g_assert_false (vigil_alert_lifecycle_snooze (fixture->lifecycle, vigil_alert_get_fingerprint (a), T0));
  /* The acknowledged one stays acknowledged. */
  g_assert_cmpuint (vigil_alert_lifecycle_snooze_all (fixture->lifecycle, T0 + SECONDS (600)), ==, 2);
  g_assert_cmpuint (count_kind (fixture, VIGIL_ALERT_ACTION_STOP), ==, 1);
  g_assert_cmpint (vigil_alert_lifecycle_get_snoozed_until (fixture->lifecycle, vigil_alert_get_fingerprint (a)),
                   ==, T0 + SECONDS (600));
  g_assert_true (vigil_alert_lifecycle_is_acknowledged (fixture->lifecycle, vigil_alert_get_fingerprint (c)));
  g_assert_false (vigil_alert_lifecycle_needs_attention (fixture->lifecycle));
  /* Snoozed is not acknowledged: "End shift" still asks. */
  g_assert_cmpuint (vigil_alert_lifecycle_count_unacknowledged (fixture->lifecycle, VIGIL_SEVERITY_NONE), ==, 2);
  clear_actions (fixture);

  run_until (fixture, T0 + SECONDS (599));
  g_assert_cmpuint (fixture->actions->len, ==, 0);
  run_until (fixture, T0 + SECONDS (600));
  g_assert_cmpuint (count_kind (fixture, VIGIL_ALERT_ACTION_REARM), ==, 2);
  g_assert_cmpuint (count_kind (fixture, VIGIL_ALERT_ACTION_NOTIFY), ==, 2);
  g_assert_true (vigil_alert_lifecycle_needs_attention (fixture->lifecycle));
}

/* Builds a state with one alert in each interesting situation. */
static void
build_state (Fixture    *fixture,
             VigilAlert *acked,
             VigilAlert *escalating,
             VigilAlert *warning,
             VigilAlert *snoozed)
{
  fire (fixture, acked);
  fire (fixture, escalating);
  fire (fixture, warning);
  fire (fixture, snoozed);
  run_until (fixture, T0 + SECONDS (300));
  g_assert_true (vigil_alert_lifecycle_acknowledge (fixture->lifecycle, vigil_alert_get_fingerprint (acked)));
  g_assert_true (vigil_alert_lifecycle_snooze (fixture->lifecycle, vigil_alert_get_fingerprint (snoozed),
                                               T0 + SECONDS (3600)));
  run_until (fixture, T0 + SECONDS (330));
  clear_actions (fixture);
}

static void
test_round_trip (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autoptr(VigilAlert) acked = make_alert ("Acked", "critical", VIGIL_ALERT_STATE_ACTIVE);
  g_autoptr(VigilAlert) escalating = make_alert ("Escalating", "critical", VIGIL_ALERT_STATE_ACTIVE);
  g_autoptr(VigilAlert) warning = make_alert ("Warning", "warning", VIGIL_ALERT_STATE_ACTIVE);
  g_autoptr(VigilAlert) snoozed = make_alert ("Snoozed", "critical", VIGIL_ALERT_STATE_ACTIVE);
  g_autoptr(VigilAlertLifecycle) restarted = NULL;
  g_autoptr(GTimeZone) utc = g_time_zone_new_utc ();
  g_autoptr(GBytes) saved = NULL;
  g_autoptr(GBytes) saved_again = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) after = NULL;
  VigilAlert *restored;
  gint64 due;

  build_state (fixture, acked, escalating, warning, snoozed);
  g_assert_cmpuint (vigil_alert_lifecycle_get_escalation_level (fixture->lifecycle, vigil_alert_get_fingerprint (acked)), ==, 2);
  g_assert_cmpuint (vigil_alert_lifecycle_get_escalation_level (fixture->lifecycle, vigil_alert_get_fingerprint (escalating)), ==, 2);
  due = vigil_alert_lifecycle_get_next_due (fixture->lifecycle);
  saved = vigil_alert_lifecycle_serialize (fixture->lifecycle);
  g_assert_nonnull (saved);
  g_test_message ("saved state: %zu bytes", g_bytes_get_size (saved));

  /* A new process: same policy, the clock where it was. */
  g_clear_object (&fixture->lifecycle);
  restarted = vigil_alert_lifecycle_new (fixture->clock, fixture->policy);
  vigil_alert_lifecycle_set_time_zone (restarted, utc);
  fixture->lifecycle = g_object_ref (restarted);
  g_signal_connect (restarted, "action", G_CALLBACK (action_cb), fixture);
  g_assert_true (vigil_alert_lifecycle_restore (restarted, saved, &error));
  g_assert_no_error (error);

  after = vigil_alert_lifecycle_dup_fingerprints (restarted);
  g_assert_cmpuint (g_strv_length (after), ==, 4);

  g_assert_true (vigil_alert_lifecycle_is_acknowledged (restarted, vigil_alert_get_fingerprint (acked)));
  g_assert_cmpuint (vigil_alert_lifecycle_get_escalation_level (restarted, vigil_alert_get_fingerprint (acked)), ==, 2);
  g_assert_cmpint (vigil_alert_lifecycle_get_state (restarted, vigil_alert_get_fingerprint (escalating)),
                   ==, VIGIL_ALARM_STATE_ESCALATING);
  g_assert_cmpuint (vigil_alert_lifecycle_get_escalation_level (restarted, vigil_alert_get_fingerprint (escalating)), ==, 2);
  g_assert_cmpint (vigil_alert_lifecycle_get_state (restarted, vigil_alert_get_fingerprint (warning)),
                   ==, VIGIL_ALARM_STATE_NOTIFIED);
  g_assert_cmpint (vigil_alert_lifecycle_get_snoozed_until (restarted, vigil_alert_get_fingerprint (snoozed)),
                   ==, T0 + SECONDS (3600));
  g_assert_true (vigil_alert_lifecycle_is_unconfirmed (restarted, vigil_alert_get_fingerprint (escalating)));
  g_assert_cmpint (vigil_alert_lifecycle_get_next_due (restarted), ==, due);

  /* The restored alert carries what the notifier needs. */
  restored = vigil_alert_lifecycle_get_alert (restarted, vigil_alert_get_fingerprint (escalating));
  g_assert_nonnull (restored);
  g_assert_cmpstr (vigil_alert_get_name (restored), ==, "Escalating");
  g_assert_cmpint (vigil_alert_get_severity (restored), ==, VIGIL_SEVERITY_CRITICAL);
  g_assert_cmpstr (vigil_alert_get_summary (restored), ==, "Something <b>broke</b> & stays broken");
  g_assert_cmpstr (vigil_alert_get_source (restored), ==, "am");
  g_assert_true (g_date_time_equal (vigil_alert_get_starts_at (restored), vigil_alert_get_starts_at (escalating)));

  /* Saving the restored state gives the same state back. */
  saved_again = vigil_alert_lifecycle_serialize (restarted);
  g_assert_true (g_bytes_equal (saved, saved_again));

  /* Time goes on: the acknowledged alert stays quiet, the escalating one
   * keeps its level-2 schedule (a sound every minute), before any poll. */
  run_until (fixture, T0 + SECONDS (600));
  for (guint i = 0; i < fixture->actions->len; i++)
    {
      VigilAlertAction *action = g_ptr_array_index (fixture->actions, i);

      g_assert_cmpstr (action->fingerprint, !=, vigil_alert_get_fingerprint (acked));
      g_assert_cmpstr (action->fingerprint, !=, vigil_alert_get_fingerprint (snoozed));
    }
  g_assert_cmpuint (count_kind (fixture, VIGIL_ALERT_ACTION_PLAY), ==, 5);
  g_assert_cmpuint (count_kind (fixture, VIGIL_ALERT_ACTION_NOTIFY), ==, 0);
  g_assert_cmpstr (find_kind (fixture, VIGIL_ALERT_ACTION_PLAY)->sound, ==, "alarm-urgent");
  clear_actions (fixture);

  /* The first successful poll: the tracker reports the escalating and the
   * acknowledged alerts (nothing new to notify), and not the warning,
   * which resolves now; the snoozed one resolves too. */
  fire (fixture, acked);
  fire (fixture, escalating);
  g_assert_false (vigil_alert_lifecycle_is_unconfirmed (restarted, vigil_alert_get_fingerprint (escalating)));
  g_assert_true (vigil_alert_lifecycle_is_unconfirmed (restarted, vigil_alert_get_fingerprint (warning)));
  vigil_alert_lifecycle_source_health (restarted, "am", TRUE, vigil_clock_get_now (fixture->clock));
  tick (fixture);
  g_assert_cmpuint (count_kind (fixture, VIGIL_ALERT_ACTION_NOTIFY), ==, 0);
  g_assert_cmpuint (count_kind (fixture, VIGIL_ALERT_ACTION_RESOLVED), ==, 2);
  g_assert_true (vigil_alert_lifecycle_is_acknowledged (restarted, vigil_alert_get_fingerprint (acked)));
  g_assert_cmpint (vigil_alert_lifecycle_get_state (restarted, vigil_alert_get_fingerprint (warning)),
                   ==, VIGIL_ALARM_STATE_RESOLVED);
}

static void
test_restore_keeps_silence (Fixture       *fixture,
                            gconstpointer  data)
{
  g_autoptr(VigilAlert) alert = make_alert ("Muted", "critical", VIGIL_ALERT_STATE_ACTIVE);
  const char *fingerprint = vigil_alert_get_fingerprint (alert);
  g_autoptr(GBytes) saved = NULL;
  g_autoptr(GError) error = NULL;

  /* Acknowledged with a shared acknowledgement: Alertmanager mutes it. */
  fire (fixture, alert);
  tick (fixture);
  g_assert_true (vigil_alert_lifecycle_acknowledge (fixture->lifecycle, fingerprint));
  vigil_alert_set_state (alert, VIGIL_ALERT_STATE_SUPPRESSED);
  g_list_store_append (fixture->listed, alert);
  vigil_alert_lifecycle_sync (fixture->lifecycle, G_LIST_MODEL (fixture->listed));
  saved = vigil_alert_lifecycle_serialize (fixture->lifecycle);

  g_assert_true (vigil_alert_lifecycle_restore (fixture->lifecycle, saved, &error));
  g_assert_no_error (error);
  g_assert_cmpint (vigil_alert_get_state (vigil_alert_lifecycle_get_alert (fixture->lifecycle, fingerprint)),
                   ==, VIGIL_ALERT_STATE_SUPPRESSED);
  clear_actions (fixture);

  /* Before any poll, the acknowledgement times out: still muted in
   * Alertmanager, so it does not alarm. */
  run_until (fixture, T0 + SECONDS (1800));
  g_assert_cmpint (vigil_alert_lifecycle_get_state (fixture->lifecycle, fingerprint), ==, VIGIL_ALARM_STATE_SILENCED);
  g_assert_cmpuint (fixture->actions->len, ==, 0);
}

static void
test_unconfirmed_needs_success (Fixture       *fixture,
                                gconstpointer  data)
{
  g_autoptr(VigilAlert) alert = make_alert ("Escalating", "critical", VIGIL_ALERT_STATE_ACTIVE);
  g_autoptr(VigilAlert) other = make_alert ("Elsewhere", "warning", VIGIL_ALERT_STATE_ACTIVE);
  g_autoptr(GBytes) saved = NULL;
  g_autoptr(GError) error = NULL;
  const char *fingerprint = vigil_alert_get_fingerprint (alert);
  const char * const sources[] = { "am", "am-2", NULL };
  const char * const fewer[] = { "am", NULL };

  vigil_alert_set_source (other, "am-2");
  fire (fixture, alert);
  fire (fixture, other);
  tick (fixture);
  saved = vigil_alert_lifecycle_serialize (fixture->lifecycle);

  g_assert_true (vigil_alert_lifecycle_restore (fixture->lifecycle, saved, &error));
  g_assert_no_error (error);
  vigil_alert_lifecycle_set_sources (fixture->lifecycle, sources);
  g_assert_true (vigil_alert_lifecycle_is_unconfirmed (fixture->lifecycle, fingerprint));

  /* A failed poll proves nothing. */
  vigil_alert_lifecycle_source_health (fixture->lifecycle, "am", FALSE, 0);
  tick (fixture);
  g_assert_cmpint (vigil_alert_lifecycle_get_state (fixture->lifecycle, fingerprint), ==, VIGIL_ALARM_STATE_ESCALATING);

  /* Another source's success says nothing about this one. */
  vigil_alert_lifecycle_source_health (fixture->lifecycle, "am-2", TRUE, T0);
  g_assert_cmpint (vigil_alert_lifecycle_get_state (fixture->lifecycle, fingerprint), ==, VIGIL_ALARM_STATE_ESCALATING);
  g_assert_cmpint (vigil_alert_lifecycle_get_state (fixture->lifecycle, vigil_alert_get_fingerprint (other)),
                   ==, VIGIL_ALARM_STATE_RESOLVED);

  vigil_alert_lifecycle_source_health (fixture->lifecycle, "am", TRUE, T0);
  g_assert_cmpint (vigil_alert_lifecycle_get_state (fixture->lifecycle, fingerprint), ==, VIGIL_ALARM_STATE_RESOLVED);

  /* Restored from a source that is no longer configured: forgotten,
   * without a resolved notification (nobody saw it resolve). */
  g_assert_true (vigil_alert_lifecycle_restore (fixture->lifecycle, saved, &error));
  clear_actions (fixture);
  vigil_alert_lifecycle_set_sources (fixture->lifecycle, fewer);
  g_assert_false (vigil_alert_lifecycle_contains (fixture->lifecycle, vigil_alert_get_fingerprint (other)));
  g_assert_cmpint (vigil_alert_lifecycle_get_state (fixture->lifecycle, fingerprint), ==, VIGIL_ALARM_STATE_ESCALATING);
  tick (fixture);
  g_assert_cmpuint (count_kind (fixture, VIGIL_ALERT_ACTION_RESOLVED), ==, 0);

  /* The same when the sources are set first and the state restored
   * after. */
  g_assert_true (vigil_alert_lifecycle_restore (fixture->lifecycle, saved, &error));
  g_assert_no_error (error);
  g_assert_false (vigil_alert_lifecycle_contains (fixture->lifecycle, vigil_alert_get_fingerprint (other)));
  g_assert_true (vigil_alert_lifecycle_is_unconfirmed (fixture->lifecycle, fingerprint));
}

typedef struct {
  const char *text;
  int         code;
} RestoreErrorCase;

static const RestoreErrorCase restore_errors[] = {
  { "", VIGIL_LIFECYCLE_ERROR_INVALID },
  { "not state at all", VIGIL_LIFECYCLE_ERROR_INVALID },
  { "{\"json\": true}", VIGIL_LIFECYCLE_ERROR_INVALID },
  { "\x01\x00\x00\x00\xff\xfe\xfd", VIGIL_LIFECYCLE_ERROR_INVALID },
  { "# only a comment\n", VIGIL_LIFECYCLE_ERROR_INVALID },
  { "vigil-alert-state\n", VIGIL_LIFECYCLE_ERROR_INVALID },
  { "vigil-alert-state 0\n", VIGIL_LIFECYCLE_ERROR_INVALID },
  { "vigil-alert-state one\n", VIGIL_LIFECYCLE_ERROR_INVALID },
  { "alert fingerprint=abc state=acknowledged\nvigil-alert-state 1\n", VIGIL_LIFECYCLE_ERROR_INVALID },
  { "vigil-alert-state 2\n", VIGIL_LIFECYCLE_ERROR_NEWER_VERSION },
  { "# a comment\n\nvigil-alert-state 3\nsomething new 1 2 3\n", VIGIL_LIFECYCLE_ERROR_NEWER_VERSION },
};

static void
test_restore_errors (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(VigilAlert) alert = make_alert ("Kept", "critical", VIGIL_ALERT_STATE_ACTIVE);

  fire (fixture, alert);
  tick (fixture);

  for (guint i = 0; i < G_N_ELEMENTS (restore_errors); i++)
    {
      const RestoreErrorCase *test_case = &restore_errors[i];
      g_autoptr(GBytes) bytes = g_bytes_new_static (test_case->text, strlen (test_case->text));
      g_autoptr(GError) error = NULL;

      g_test_message ("case %u", i);
      g_assert_false (vigil_alert_lifecycle_restore (fixture->lifecycle, bytes, &error));
      g_assert_error (error, VIGIL_LIFECYCLE_ERROR, test_case->code);
      /* A plain sentence, and what was there is kept. */
      g_assert_true (g_str_has_prefix (error->message, "The saved alert state"));
      g_assert_true (vigil_alert_lifecycle_contains (fixture->lifecycle, vigil_alert_get_fingerprint (alert)));
    }

  /* Damaged records are skipped, the rest is restored. */
  {
    static const char text[] =
      "vigil-alert-state 1\n"
      "heartbeat-seen 1\n"
      "label orphan before-any-alert\n"
      "alert fingerprint= state=acknowledged\n"
      "label alertname Empty\n"
      "alert fingerprint=abc state=dancing\n"
      "alert fingerprint=bad\\qescape state=acknowledged\n"
      "alert fingerprint=def state=acknowledged level=9 next-due=-5 unknown-field=1 source=am\\sb\n"
      "label alertname Def\n"
      "label severity critical\n"
      "label broken\\ escape\n"
      "annotation summary Disk\\sfull\\x21\\nSecond\\sline\n"
      "annotation bad \\x00\n"
      "a-line-from-the-future with=fields\n"
      "alert fingerprint=def state=escalating\n"
      "alert fingerprint=\xff\xfe state=acknowledged\n";
    g_autoptr(GBytes) bytes = g_bytes_new_static (text, sizeof text - 1);
    g_autoptr(GError) error = NULL;
    g_auto(GStrv) fingerprints = NULL;
    VigilAlert *restored;

    g_assert_true (vigil_alert_lifecycle_restore (fixture->lifecycle, bytes, &error));
    g_assert_no_error (error);
    fingerprints = vigil_alert_lifecycle_dup_fingerprints (fixture->lifecycle);
    g_assert_cmpuint (g_strv_length (fingerprints), ==, 1);
    g_assert_cmpstr (fingerprints[0], ==, "def");
    g_assert_true (vigil_alert_lifecycle_is_acknowledged (fixture->lifecycle, "def"));
    /* Out of range numbers are not taken. */
    g_assert_cmpuint (vigil_alert_lifecycle_get_escalation_level (fixture->lifecycle, "def"), ==, 0);
    restored = vigil_alert_lifecycle_get_alert (fixture->lifecycle, "def");
    g_assert_cmpstr (vigil_alert_get_name (restored), ==, "Def");
    g_assert_cmpint (vigil_alert_get_severity (restored), ==, VIGIL_SEVERITY_CRITICAL);
    g_assert_cmpstr (vigil_alert_get_summary (restored), ==, "Disk full!\nSecond line");
    g_assert_cmpstr (vigil_alert_get_source (restored), ==, "am b");
    g_assert_null (vigil_alert_get_annotation (restored, "bad"));
    g_assert_cmpuint (g_hash_table_size (vigil_alert_get_labels (restored)), ==, 2);
  }
}

static void
test_restore_never_crashes (Fixture       *fixture,
                            gconstpointer  data)
{
  g_autoptr(GPtrArray) alerts = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GBytes) good = NULL;
  const guint8 *bytes;
  gsize size;
  guint restored = 0, refused = 0;

  fire_many (fixture, 6, 3, alerts);
  vigil_alert_set_annotation (g_ptr_array_index (alerts, 0), "description",
                              "Tabs\tand spaces, a back\\slash, C:\\Temp\\x, “quotes”, 東京,\nnew lines and a trailing back\\");
  tick (fixture);
  vigil_alert_lifecycle_acknowledge (fixture->lifecycle, vigil_alert_get_fingerprint (g_ptr_array_index (alerts, 1)));
  good = vigil_alert_lifecycle_serialize (fixture->lifecycle);
  bytes = g_bytes_get_data (good, &size);

  /* Every cut of a good state, as a crash while writing would leave. */
  for (gsize length = 0; length <= size; length++)
    {
      g_autoptr(GBytes) cut = g_bytes_new (bytes, length);
      g_autoptr(GError) error = NULL;

      if (vigil_alert_lifecycle_restore (fixture->lifecycle, cut, &error))
        restored++;
      else
        {
          g_assert_error (error, VIGIL_LIFECYCLE_ERROR, VIGIL_LIFECYCLE_ERROR_INVALID);
          refused++;
        }
    }

  /* Random damage: restored or refused, never a crash, and what was
   * restored saves again. */
  for (guint round = 0; round < 2000; round++)
    {
      g_autofree guint8 *copy = g_memdup2 (bytes, size);
      g_autoptr(GBytes) damaged = NULL;
      g_autoptr(GError) error = NULL;
      guint n_changes = g_test_rand_int_range (1, 8);

      for (guint i = 0; i < n_changes; i++)
        copy[g_test_rand_int_range (0, size)] = (guint8) g_test_rand_int_range (0, 256);
      damaged = g_bytes_new_take (g_steal_pointer (&copy), size);

      if (vigil_alert_lifecycle_restore (fixture->lifecycle, damaged, &error))
        {
          g_autoptr(GBytes) again = vigil_alert_lifecycle_serialize (fixture->lifecycle);

          g_assert_true (g_utf8_validate (g_bytes_get_data (again, NULL), g_bytes_get_size (again), NULL));
          restored++;
        }
      else
        refused++;
    }

  g_test_message ("%u restored, %u refused", restored, refused);

  /* The whole state restores to the same bytes. */
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(GBytes) again = NULL;

    g_assert_true (vigil_alert_lifecycle_restore (fixture->lifecycle, good, &error));
    g_assert_no_error (error);
    again = vigil_alert_lifecycle_serialize (fixture->lifecycle);
    g_assert_true (g_bytes_equal (good, again));
  }
}

/* The wiring the application will do, with the real tracker. */
typedef struct {
  VigilAlertTracker   *tracker;
  VigilAlertLifecycle *lifecycle;
} Wiring;

static void
wiring_fired_cb (VigilAlertTracker *tracker,
                 VigilAlert        *alert,
                 Wiring            *wiring)
{
  vigil_alert_lifecycle_alert_fired (wiring->lifecycle, alert);
}

static void
wiring_resolved_cb (VigilAlertTracker *tracker,
                    VigilAlert        *alert,
                    Wiring            *wiring)
{
  vigil_alert_lifecycle_alert_resolved (wiring->lifecycle, alert);
}

static void
wiring_changed_cb (VigilAlertTracker *tracker,
                   Wiring            *wiring)
{
  vigil_alert_lifecycle_sync (wiring->lifecycle, vigil_alert_tracker_get_alerts (tracker));
  vigil_alert_lifecycle_tick (wiring->lifecycle);
}

static void
wiring_poll (Wiring     *wiring,
             const char *source,
             GPtrArray  *alerts,
             gint64      now)
{
  if (alerts != NULL)
    {
      vigil_alert_tracker_update_source (wiring->tracker, source, TRUE, alerts);
      vigil_alert_lifecycle_heartbeat (wiring->lifecycle, vigil_alert_tracker_has_heartbeat (wiring->tracker));
    }
  vigil_alert_lifecycle_source_health (wiring->lifecycle, source, alerts != NULL, alerts != NULL ? now : 0);
  vigil_alert_lifecycle_tick (wiring->lifecycle);
}

static Wiring *
wiring_new (Fixture             *fixture,
            VigilAlertLifecycle *lifecycle)
{
  Wiring *wiring = g_new0 (Wiring, 1);

  wiring->tracker = vigil_alert_tracker_new (fixture->clock);
  wiring->lifecycle = lifecycle;
  g_signal_connect (wiring->tracker, "alert-fired", G_CALLBACK (wiring_fired_cb), wiring);
  g_signal_connect (wiring->tracker, "alert-resolved", G_CALLBACK (wiring_resolved_cb), wiring);
  g_signal_connect (wiring->tracker, "changed", G_CALLBACK (wiring_changed_cb), wiring);

  return wiring;
}

static void
wiring_free (Wiring *wiring)
{
  g_assert_finalize_object (wiring->tracker);
  g_free (wiring);
}

static GPtrArray *
poll_of (VigilAlert *first,
         ...)
{
  GPtrArray *alerts = g_ptr_array_new_with_free_func (g_object_unref);
  va_list args;

  va_start (args, first);
  for (VigilAlert *alert = first; alert != NULL; alert = va_arg (args, VigilAlert *))
    g_ptr_array_add (alerts, alert);
  va_end (args);

  return alerts;
}

static void
test_tracker_wiring (Fixture       *fixture,
                     gconstpointer  data)
{
  Wiring *wiring = wiring_new (fixture, fixture->lifecycle);
  g_autoptr(VigilAlert) disk = make_alert ("DiskFull", "critical", VIGIL_ALERT_STATE_ACTIVE);
  g_autoptr(VigilAlert) latency = make_alert ("HighLatency", "critical", VIGIL_ALERT_STATE_ACTIVE);
  g_autoptr(GBytes) saved = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(VigilAlertLifecycle) restarted = NULL;
  g_autoptr(GTimeZone) utc = g_time_zone_new_utc ();
  const char *disk_fp = vigil_alert_get_fingerprint (disk);
  const char *latency_fp = vigil_alert_get_fingerprint (latency);

  /* A poll with two critical alerts and the Watchdog. */
  {
    g_autoptr(GPtrArray) alerts = poll_of (g_object_ref (disk), g_object_ref (latency),
                                           make_alert ("Watchdog", "none", VIGIL_ALERT_STATE_ACTIVE), NULL);

    wiring_poll (wiring, "am", alerts, T0);
  }
  g_assert_cmpuint (count_kind (fixture, VIGIL_ALERT_ACTION_NOTIFY), ==, 2);
  g_assert_cmpuint (count_kind (fixture, VIGIL_ALERT_ACTION_PLAY), ==, 1);
  clear_actions (fixture);

  /* The engineer acknowledges one, and a shared acknowledgement silences
   * the other in Alertmanager: both go quiet. */
  g_assert_true (vigil_alert_lifecycle_acknowledge (fixture->lifecycle, disk_fp));
  vigil_clock_advance (fixture->clock, SECONDS (15));
  {
    g_autoptr(VigilAlert) muted = make_alert ("HighLatency", "critical", VIGIL_ALERT_STATE_SUPPRESSED);
    g_autoptr(GPtrArray) alerts = poll_of (g_object_ref (disk), g_object_ref (muted),
                                           make_alert ("Watchdog", "none", VIGIL_ALERT_STATE_ACTIVE), NULL);

    wiring_poll (wiring, "am", alerts, vigil_clock_get_now (fixture->clock));
  }
  g_assert_cmpint (vigil_alert_lifecycle_get_state (fixture->lifecycle, latency_fp), ==, VIGIL_ALARM_STATE_SILENCED);
  g_assert_cmpuint (count_kind (fixture, VIGIL_ALERT_ACTION_STOP), ==, 1);
  clear_actions (fixture);
  for (guint i = 0; i < 20; i++)
    {
      g_autoptr(VigilAlert) muted = make_alert ("HighLatency", "critical", VIGIL_ALERT_STATE_SUPPRESSED);
      g_autoptr(GPtrArray) alerts = poll_of (g_object_ref (disk), g_object_ref (muted),
                                             make_alert ("Watchdog", "none", VIGIL_ALERT_STATE_ACTIVE), NULL);

      vigil_clock_advance (fixture->clock, SECONDS (15));
      wiring_poll (wiring, "am", alerts, vigil_clock_get_now (fixture->clock));
    }
  g_assert_cmpuint (fixture->actions->len, ==, 0);

  /* Vigil restarts. */
  saved = vigil_alert_lifecycle_serialize (fixture->lifecycle);
  wiring_free (wiring);
  restarted = vigil_alert_lifecycle_new (fixture->clock, fixture->policy);
  vigil_alert_lifecycle_set_time_zone (restarted, utc);
  g_signal_connect (restarted, "action", G_CALLBACK (action_cb), fixture);
  g_assert_true (vigil_alert_lifecycle_restore (restarted, saved, &error));
  g_assert_no_error (error);
  wiring = wiring_new (fixture, restarted);

  /* The first poll after the restart: the acknowledged alert is not
   * announced again, the silenced one stays quiet. */
  vigil_clock_advance (fixture->clock, SECONDS (30));
  {
    g_autoptr(VigilAlert) disk_again = make_alert ("DiskFull", "critical", VIGIL_ALERT_STATE_ACTIVE);
    g_autoptr(VigilAlert) muted = make_alert ("HighLatency", "critical", VIGIL_ALERT_STATE_SUPPRESSED);
    g_autoptr(GPtrArray) alerts = poll_of (g_object_ref (disk_again), g_object_ref (muted),
                                           make_alert ("Watchdog", "none", VIGIL_ALERT_STATE_ACTIVE), NULL);

    wiring_poll (wiring, "am", alerts, vigil_clock_get_now (fixture->clock));
  }
  g_assert_cmpuint (count_kind (fixture, VIGIL_ALERT_ACTION_NOTIFY), ==, 0);
  g_assert_cmpuint (count_kind (fixture, VIGIL_ALERT_ACTION_PLAY), ==, 0);
  g_assert_true (vigil_alert_lifecycle_is_acknowledged (restarted, disk_fp));
  g_assert_false (vigil_alert_lifecycle_is_unconfirmed (restarted, disk_fp));
  g_assert_cmpint (vigil_alert_lifecycle_get_state (restarted, latency_fp), ==, VIGIL_ALARM_STATE_SILENCED);

  /* The silence ends while the alert still fires: it alarms again. */
  vigil_clock_advance (fixture->clock, SECONDS (15));
  {
    g_autoptr(VigilAlert) disk_again = make_alert ("DiskFull", "critical", VIGIL_ALERT_STATE_ACTIVE);
    g_autoptr(VigilAlert) loud = make_alert ("HighLatency", "critical", VIGIL_ALERT_STATE_ACTIVE);
    g_autoptr(GPtrArray) alerts = poll_of (g_object_ref (disk_again), g_object_ref (loud),
                                           make_alert ("Watchdog", "none", VIGIL_ALERT_STATE_ACTIVE), NULL);

    wiring_poll (wiring, "am", alerts, vigil_clock_get_now (fixture->clock));
  }
  g_assert_cmpuint (count_kind (fixture, VIGIL_ALERT_ACTION_REARM), ==, 1);
  g_assert_cmpint (find_kind (fixture, VIGIL_ALERT_ACTION_REARM)->reason, ==, VIGIL_ALERT_REASON_SILENCE_ENDED);
  g_assert_cmpuint (count_kind (fixture, VIGIL_ALERT_ACTION_NOTIFY), ==, 1);
  clear_actions (fixture);

  /* Both resolve in Alertmanager. */
  vigil_clock_advance (fixture->clock, SECONDS (15));
  {
    g_autoptr(GPtrArray) alerts = poll_of (make_alert ("Watchdog", "none", VIGIL_ALERT_STATE_ACTIVE), NULL);

    wiring_poll (wiring, "am", alerts, vigil_clock_get_now (fixture->clock));
  }
  g_assert_cmpuint (count_kind (fixture, VIGIL_ALERT_ACTION_RESOLVED), ==, 2);
  g_assert_cmpuint (count_kind (fixture, VIGIL_ALERT_ACTION_STOP), ==, 1);
  g_assert_cmpuint (vigil_alert_lifecycle_count_unacknowledged (restarted, VIGIL_SEVERITY_NONE), ==, 0);

  wiring_free (wiring);
  g_signal_handlers_disconnect_by_data (restarted, fixture);
}

static guint
n_blind (Fixture *fixture)
{
  return g_list_model_get_n_items (vigil_alert_lifecycle_get_blind_alerts (fixture->lifecycle));
}

static VigilAlert *
blind_alert (Fixture *fixture)
{
  VigilAlert *alert = g_list_model_get_item (vigil_alert_lifecycle_get_blind_alerts (fixture->lifecycle), 0);

  /* The list keeps it alive. */
  g_object_unref (alert);

  return alert;
}

static void
test_blind_stale_source (Fixture       *fixture,
                         gconstpointer  data)
{
  const char * const sources[] = { "am", NULL };
  VigilAlertAction *notify;
  VigilAlert *alert;

  vigil_alert_lifecycle_set_sources (fixture->lifecycle, sources);
  vigil_alert_lifecycle_source_health (fixture->lifecycle, "am", TRUE, T0);
  tick (fixture);
  g_assert_cmpint (vigil_alert_lifecycle_get_next_due (fixture->lifecycle), ==, T0 + SECONDS (180));

  /* No poll reports anything any more (a stuck poller, a frozen loop). */
  run_until (fixture, T0 + SECONDS (179));
  g_assert_cmpuint (fixture->actions->len, ==, 0);
  g_assert_cmpuint (n_blind (fixture), ==, 0);

  run_until (fixture, T0 + SECONDS (180));
  g_assert_cmpuint (n_blind (fixture), ==, 1);
  alert = blind_alert (fixture);
  g_assert_cmpstr (vigil_alert_get_name (alert), ==, VIGIL_BLIND_ALERT_NAME);
  g_assert_cmpint (vigil_alert_get_severity (alert), ==, VIGIL_SEVERITY_CRITICAL);
  g_assert_cmpstr (vigil_alert_get_label (alert, "source"), ==, "am");
  g_assert_cmpstr (vigil_alert_get_summary (alert), ==, "No fresh alerts from “am”");
  notify = find_kind (fixture, VIGIL_ALERT_ACTION_NOTIFY);
  g_assert_nonnull (notify);
  g_assert_true (notify->alert == alert);
  g_assert_nonnull (find_kind (fixture, VIGIL_ALERT_ACTION_PLAY));
  g_assert_true (vigil_alert_lifecycle_needs_attention (fixture->lifecycle));
  clear_actions (fixture);

  /* It escalates like any critical alert... */
  run_until (fixture, T0 + SECONDS (180 + 300));
  g_assert_cmpuint (count_kind (fixture, VIGIL_ALERT_ACTION_ESCALATE), ==, 1);
  clear_actions (fixture);

  /* ...and clears when the source answers again. */
  vigil_alert_lifecycle_source_health (fixture->lifecycle, "am", TRUE, vigil_clock_get_now (fixture->clock));
  tick (fixture);
  g_assert_cmpuint (n_blind (fixture), ==, 0);
  g_assert_cmpuint (count_kind (fixture, VIGIL_ALERT_ACTION_STOP), ==, 1);
  g_assert_cmpuint (count_kind (fixture, VIGIL_ALERT_ACTION_RESOLVED), ==, 1);
  g_assert_false (vigil_alert_lifecycle_needs_attention (fixture->lifecycle));
}

static void
test_blind_failing_source (Fixture       *fixture,
                           gconstpointer  data)
{
  const char * const sources[] = { "am", "prometheus", NULL };
  g_autofree char *fingerprint = NULL;

  vigil_alert_lifecycle_set_sources (fixture->lifecycle, sources);

  /* Polls every 15 s: Prometheus answers, Alertmanager does not. */
  for (guint second = 0; second < 180; second += 15)
    {
      vigil_clock_set_now (fixture->clock, T0 + SECONDS (second));
      vigil_alert_lifecycle_source_health (fixture->lifecycle, "am", FALSE, T0 - SECONDS (60));
      vigil_alert_lifecycle_source_health (fixture->lifecycle, "prometheus", TRUE, T0 + SECONDS (second));
      tick (fixture);
    }
  g_assert_cmpuint (n_blind (fixture), ==, 0);

  vigil_clock_set_now (fixture->clock, T0 + SECONDS (180));
  vigil_alert_lifecycle_source_health (fixture->lifecycle, "am", FALSE, T0 - SECONDS (60));
  vigil_alert_lifecycle_source_health (fixture->lifecycle, "prometheus", TRUE, T0 + SECONDS (180));
  tick (fixture);
  g_assert_cmpuint (n_blind (fixture), ==, 1);
  g_assert_cmpstr (vigil_alert_get_summary (blind_alert (fixture)), ==, "Vigil cannot reach “am”");
  /* The last good poll was at 15:39 UTC, in the test's zone. */
  g_assert_nonnull (strstr (vigil_alert_get_annotation (blind_alert (fixture), "description"), "since 15:39:"));
  fingerprint = g_strdup (vigil_alert_get_fingerprint (blind_alert (fixture)));

  /* Acknowledged, it stays quiet while the source keeps failing... */
  g_assert_true (vigil_alert_lifecycle_acknowledge (fixture->lifecycle, fingerprint));
  clear_actions (fixture);
  for (guint second = 195; second < 600; second += 15)
    {
      vigil_clock_set_now (fixture->clock, T0 + SECONDS (second));
      vigil_alert_lifecycle_source_health (fixture->lifecycle, "am", FALSE, T0 - SECONDS (60));
      vigil_alert_lifecycle_source_health (fixture->lifecycle, "prometheus", TRUE, T0 + SECONDS (second));
      tick (fixture);
    }
  g_assert_cmpuint (fixture->actions->len, ==, 0);
  g_assert_cmpuint (n_blind (fixture), ==, 1);

  /* ...and removing the source from the configuration clears it. */
  {
    const char * const fewer[] = { "prometheus", NULL };

    vigil_alert_lifecycle_set_sources (fixture->lifecycle, fewer);
  }
  tick (fixture);
  g_assert_cmpuint (n_blind (fixture), ==, 0);
  g_assert_cmpint (vigil_alert_lifecycle_get_state (fixture->lifecycle, fingerprint), ==, VIGIL_ALARM_STATE_RESOLVED);
}

static void
test_blind_missing_watchdog (Fixture       *fixture,
                             gconstpointer  data)
{
  /* Never seen: a setup without a Watchdog does not alarm for ever. */
  for (guint second = 0; second <= 600; second += 15)
    {
      vigil_clock_set_now (fixture->clock, T0 + SECONDS (second));
      vigil_alert_lifecycle_heartbeat (fixture->lifecycle, FALSE);
      tick (fixture);
    }
  g_assert_cmpuint (n_blind (fixture), ==, 0);

  /* Seen, then gone for the threshold. */
  vigil_alert_lifecycle_heartbeat (fixture->lifecycle, TRUE);
  tick (fixture);
  for (guint second = 615; second < 615 + 180; second += 15)
    {
      vigil_clock_set_now (fixture->clock, T0 + SECONDS (second));
      vigil_alert_lifecycle_heartbeat (fixture->lifecycle, FALSE);
      tick (fixture);
    }
  g_assert_cmpuint (n_blind (fixture), ==, 0);
  vigil_clock_set_now (fixture->clock, T0 + SECONDS (615 + 180));
  vigil_alert_lifecycle_heartbeat (fixture->lifecycle, FALSE);
  tick (fixture);
  g_assert_cmpuint (n_blind (fixture), ==, 1);
  g_assert_cmpstr (vigil_alert_get_summary (blind_alert (fixture)), ==, "The Watchdog heartbeat is missing");
  g_assert_nonnull (find_kind (fixture, VIGIL_ALERT_ACTION_NOTIFY));
  g_assert_nonnull (find_kind (fixture, VIGIL_ALERT_ACTION_PLAY));
  clear_actions (fixture);

  /* The heartbeat is back: the alarm clears. */
  vigil_alert_lifecycle_heartbeat (fixture->lifecycle, TRUE);
  tick (fixture);
  g_assert_cmpuint (n_blind (fixture), ==, 0);
  g_assert_cmpuint (count_kind (fixture, VIGIL_ALERT_ACTION_RESOLVED), ==, 1);
}

static void
test_blind_watchdog_required (Fixture       *fixture,
                              gconstpointer  data)
{
  g_autoptr(GBytes) saved = NULL;
  g_autoptr(GError) error = NULL;

  vigil_escalation_policy_set_heartbeat_check (fixture->policy, VIGIL_HEARTBEAT_CHECK_REQUIRED);
  vigil_alert_lifecycle_heartbeat (fixture->lifecycle, FALSE);
  run_until (fixture, T0 + SECONDS (180));
  g_assert_cmpuint (n_blind (fixture), ==, 1);

  /* Restarting does not forget the alarm, nor re-announce it. */
  saved = vigil_alert_lifecycle_serialize (fixture->lifecycle);
  g_assert_true (vigil_alert_lifecycle_restore (fixture->lifecycle, saved, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n_blind (fixture), ==, 1);
  clear_actions (fixture);
  vigil_alert_lifecycle_heartbeat (fixture->lifecycle, FALSE);
  tick (fixture);
  g_assert_cmpuint (count_kind (fixture, VIGIL_ALERT_ACTION_NOTIFY), ==, 0);

  /* Turning the check off clears it. */
  vigil_escalation_policy_set_heartbeat_check (fixture->policy, VIGIL_HEARTBEAT_CHECK_OFF);
  tick (fixture);
  g_assert_cmpuint (n_blind (fixture), ==, 0);
}

static void
test_blind_not_after_suspend (Fixture       *fixture,
                              gconstpointer  data)
{
  const char * const sources[] = { "am", NULL };

  vigil_alert_lifecycle_set_sources (fixture->lifecycle, sources);
  vigil_alert_lifecycle_source_health (fixture->lifecycle, "am", TRUE, T0);
  tick (fixture);

  /* The laptop slept for eight hours; the first tick after waking comes
   * before the first poll. */
  vigil_clock_advance (fixture->clock, SECONDS (8 * 3600));
  tick (fixture);
  g_assert_cmpuint (n_blind (fixture), ==, 0);

  /* But a source that stays silent after waking still alarms. */
  run_until (fixture, vigil_clock_get_now (fixture->clock) + SECONDS (180));
  g_assert_cmpuint (n_blind (fixture), ==, 1);
}

static void
test_next_due (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(VigilAlert) alert = make_alert ("DiskFull", "critical", VIGIL_ALERT_STATE_ACTIVE);

  g_assert_cmpint (vigil_alert_lifecycle_get_next_due (fixture->lifecycle), ==, 0);
  fire (fixture, alert);
  g_assert_cmpint (vigil_alert_lifecycle_get_next_due (fixture->lifecycle), ==, T0);
  tick (fixture);
  g_assert_cmpint (vigil_alert_lifecycle_get_next_due (fixture->lifecycle), ==, T0 + SECONDS (60));
  vigil_clock_set_now (fixture->clock, T0 + SECONDS (10));
  vigil_alert_lifecycle_acknowledge (fixture->lifecycle, vigil_alert_get_fingerprint (alert));
  g_assert_cmpint (vigil_alert_lifecycle_get_next_due (fixture->lifecycle), ==, T0 + SECONDS (10 + 1800));
  vigil_alert_lifecycle_alert_resolved (fixture->lifecycle, alert);
  /* Resolved: remembered for the flap window, then forgotten. */
  g_assert_cmpint (vigil_alert_lifecycle_get_next_due (fixture->lifecycle), ==, T0 + SECONDS (10));
  tick (fixture);
  g_assert_cmpint (vigil_alert_lifecycle_get_next_due (fixture->lifecycle), ==, T0 + SECONDS (10 + 600));
  run_until (fixture, T0 + SECONDS (10 + 600));
  g_assert_cmpint (vigil_alert_lifecycle_get_next_due (fixture->lifecycle), ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (transitions); i++)
    {
      g_autofree char *path = g_strdup_printf ("/vigil/lifecycle/transition/%s", transitions[i].name);

      g_test_add (path, Fixture, &transitions[i], fixture_set_up, test_transition, fixture_tear_down);
    }

#define ADD(path, func) \
  g_test_add ("/vigil/lifecycle/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("escalation-timing", test_escalation_timing);
  ADD ("no-escalation-below-critical", test_no_escalation_below_critical);
  ADD ("low-urgency-never-escalates", test_low_urgency_never_escalates);
  ADD ("ack-stops-escalation", test_ack_stops_escalation);
  ADD ("stop-waits-for-every-alert", test_stop_waits_for_every_alert);
  ADD ("late-tick-catches-up", test_late_tick_catches_up);
  ADD ("storm-summary", test_storm_summary);
  ADD ("storm-threshold", test_storm_threshold);
  ADD ("quiet-hours", test_quiet_hours);
  ADD ("off-shift-stops-escalation", test_quiet_hours_stop_escalation);
  ADD ("snooze-all", test_snooze_all);
  ADD ("serialize-restore-round-trip", test_round_trip);
  ADD ("restore-keeps-silence", test_restore_keeps_silence);
  ADD ("restore-unconfirmed-needs-success", test_unconfirmed_needs_success);
  ADD ("restore-errors", test_restore_errors);
  ADD ("restore-never-crashes", test_restore_never_crashes);
  ADD ("tracker-wiring-and-restart", test_tracker_wiring);
  ADD ("blind-stale-source", test_blind_stale_source);
  ADD ("blind-failing-source", test_blind_failing_source);
  ADD ("blind-missing-watchdog", test_blind_missing_watchdog);
  ADD ("blind-watchdog-required", test_blind_watchdog_required);
  ADD ("blind-not-after-suspend", test_blind_not_after_suspend);
  ADD ("next-due", test_next_due);

#undef ADD

  return g_test_run ();
}
