/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "vigil-alert-tracker.h"
#include "vigil-parse.h"
#include "vigil-webhook-payload.h"

typedef struct {
  VigilClock        *clock;
  VigilAlertTracker *tracker;
  GPtrArray         *fired;     /* fingerprints, in order */
  GPtrArray         *resolved;
  guint              changes;
} Fixture;

static void
fired_cb (VigilAlertTracker *tracker,
          VigilAlert        *alert,
          Fixture           *fixture)
{
  g_ptr_array_add (fixture->fired, g_strdup (vigil_alert_get_fingerprint (alert)));
}

static void
resolved_cb (VigilAlertTracker *tracker,
             VigilAlert        *alert,
             Fixture           *fixture)
{
  g_ptr_array_add (fixture->resolved, g_strdup (vigil_alert_get_fingerprint (alert)));
}

static void
changed_cb (VigilAlertTracker *tracker,
            Fixture           *fixture)
{
  fixture->changes++;
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  fixture->clock = vigil_clock_new_fake (G_GINT64_CONSTANT (1796312400) * G_USEC_PER_SEC);
  fixture->tracker = vigil_alert_tracker_new (fixture->clock);
  fixture->fired = g_ptr_array_new_with_free_func (g_free);
  fixture->resolved = g_ptr_array_new_with_free_func (g_free);
  g_signal_connect (fixture->tracker, "alert-fired", G_CALLBACK (fired_cb), fixture);
  g_signal_connect (fixture->tracker, "alert-resolved", G_CALLBACK (resolved_cb), fixture);
  g_signal_connect (fixture->tracker, "changed", G_CALLBACK (changed_cb), fixture);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_assert_finalize_object (fixture->tracker);
  g_assert_finalize_object (fixture->clock);
  g_ptr_array_unref (fixture->fired);
  g_ptr_array_unref (fixture->resolved);
}

static VigilAlert *
make_alert (const char      *name,
            const char      *severity,
            VigilAlertState  state)
{
  VigilAlert *alert = vigil_alert_new ();
  g_autofree char *fingerprint = NULL;
  g_autoptr(GDateTime) start = g_date_time_new_utc (2026, 12, 3, 15, 0, 0);

  vigil_alert_set_label (alert, "alertname", name);
  if (severity != NULL)
    vigil_alert_set_label (alert, "severity", severity);
  vigil_alert_set_state (alert, state);
  vigil_alert_set_starts_at (alert, start);
  fingerprint = vigil_alert_compute_fingerprint (alert);
  vigil_alert_set_fingerprint (alert, fingerprint);

  return alert;
}

static GPtrArray *
alerts_of (VigilAlert *first,
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

static GPtrArray *
no_alerts (void)
{
  return g_ptr_array_new_with_free_func (g_object_unref);
}

static guint
n_listed (Fixture *fixture)
{
  return g_list_model_get_n_items (vigil_alert_tracker_get_alerts (fixture->tracker));
}

static void
test_fires_once (Fixture       *fixture,
                 gconstpointer  data)
{
  for (guint poll = 0; poll < 3; poll++)
    {
      g_autoptr(GPtrArray) alerts =
        alerts_of (make_alert ("HighErrorRatio", "critical", VIGIL_ALERT_STATE_ACTIVE),
                   make_alert ("Muted", "warning", VIGIL_ALERT_STATE_SUPPRESSED),
                   NULL);

      vigil_alert_tracker_update_source (fixture->tracker, "am", TRUE, alerts);
    }

  /* Only the active one fires, and only on the first poll. */
  g_assert_cmpuint (fixture->fired->len, ==, 1);
  g_assert_cmpuint (n_listed (fixture), ==, 2);
  g_assert_cmpuint (vigil_alert_tracker_count_active (fixture->tracker, VIGIL_SEVERITY_CRITICAL), ==, 1);
  g_assert_cmpuint (fixture->resolved->len, ==, 0);
}

static void
test_resolved_on_successful_poll_only (Fixture       *fixture,
                                       gconstpointer  data)
{
  g_autoptr(GPtrArray) first = alerts_of (make_alert ("A", "critical", VIGIL_ALERT_STATE_ACTIVE), NULL);
  g_autoptr(GPtrArray) empty = no_alerts ();
  g_autoptr(GPtrArray) again = alerts_of (make_alert ("A", "critical", VIGIL_ALERT_STATE_ACTIVE), NULL);

  vigil_alert_tracker_update_source (fixture->tracker, "am", TRUE, first);
  g_assert_cmpuint (fixture->fired->len, ==, 1);

  /* A failed poll is never fed to the tracker, so nothing resolves until a
   * successful one stops listing the alert. */
  g_assert_cmpuint (fixture->resolved->len, ==, 0);
  vigil_alert_tracker_update_source (fixture->tracker, "am", TRUE, empty);
  g_assert_cmpuint (fixture->resolved->len, ==, 1);
  g_assert_cmpuint (n_listed (fixture), ==, 0);

  /* Firing again after it resolved is news again. */
  vigil_alert_tracker_update_source (fixture->tracker, "am", TRUE, again);
  g_assert_cmpuint (fixture->fired->len, ==, 2);
}

static void
test_heartbeat (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GPtrArray) alerts =
    alerts_of (make_alert ("Watchdog", "none", VIGIL_ALERT_STATE_ACTIVE),
               make_alert ("Real", "warning", VIGIL_ALERT_STATE_ACTIVE),
               NULL);
  g_autoptr(GPtrArray) without = alerts_of (make_alert ("Real", "warning", VIGIL_ALERT_STATE_ACTIVE), NULL);
  g_autoptr(VigilAlert) listed = NULL;

  g_assert_false (vigil_alert_tracker_has_heartbeat (fixture->tracker));
  vigil_alert_tracker_update_source (fixture->tracker, "am", TRUE, alerts);
  g_assert_true (vigil_alert_tracker_has_heartbeat (fixture->tracker));
  g_assert_cmpuint (n_listed (fixture), ==, 1);
  g_assert_cmpuint (fixture->fired->len, ==, 1);
  listed = g_list_model_get_item (vigil_alert_tracker_get_alerts (fixture->tracker), 0);
  g_assert_cmpstr (vigil_alert_get_name (listed), ==, "Real");

  vigil_alert_tracker_update_source (fixture->tracker, "am", TRUE, without);
  g_assert_false (vigil_alert_tracker_has_heartbeat (fixture->tracker));
  /* The heartbeat going away is not an alert resolving. */
  g_assert_cmpuint (fixture->resolved->len, ==, 0);
}

static void
test_heartbeat_names_configurable (Fixture       *fixture,
                                   gconstpointer  data)
{
  const char *names[] = { "Heartbeat", NULL };
  g_autoptr(GPtrArray) alerts =
    alerts_of (make_alert ("Heartbeat", NULL, VIGIL_ALERT_STATE_ACTIVE),
               make_alert ("Watchdog", NULL, VIGIL_ALERT_STATE_ACTIVE),
               NULL);

  vigil_alert_tracker_set_heartbeat_names (fixture->tracker, names);
  vigil_alert_tracker_update_source (fixture->tracker, "am", TRUE, alerts);
  /* "Watchdog" is an ordinary alert once the name list says otherwise. */
  g_assert_cmpuint (n_listed (fixture), ==, 1);
  g_assert_cmpuint (fixture->fired->len, ==, 1);
}

static void
test_ha_dedup (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(GPtrArray) one = alerts_of (make_alert ("A", "critical", VIGIL_ALERT_STATE_ACTIVE), NULL);
  g_autoptr(GPtrArray) two = alerts_of (make_alert ("A", "critical", VIGIL_ALERT_STATE_ACTIVE), NULL);
  g_autoptr(GPtrArray) empty = no_alerts ();

  vigil_alert_tracker_update_source (fixture->tracker, "am1", TRUE, one);
  vigil_alert_tracker_update_source (fixture->tracker, "am2", TRUE, two);
  g_assert_cmpuint (n_listed (fixture), ==, 1);
  g_assert_cmpuint (fixture->fired->len, ==, 1);

  /* Still listed while any replica reports it. */
  vigil_alert_tracker_update_source (fixture->tracker, "am1", TRUE, empty);
  g_assert_cmpuint (n_listed (fixture), ==, 1);
  g_assert_cmpuint (fixture->resolved->len, ==, 0);

  vigil_alert_tracker_update_source (fixture->tracker, "am2", TRUE, empty);
  g_assert_cmpuint (n_listed (fixture), ==, 0);
  g_assert_cmpuint (fixture->resolved->len, ==, 1);
}

static void
test_prometheus_defers_to_alertmanager (Fixture       *fixture,
                                        gconstpointer  data)
{
  g_autoptr(GPtrArray) from_prometheus =
    alerts_of (make_alert ("Firing", "critical", VIGIL_ALERT_STATE_ACTIVE),
               make_alert ("Soon", "warning", VIGIL_ALERT_STATE_PENDING),
               NULL);
  g_autoptr(GPtrArray) from_alertmanager =
    alerts_of (make_alert ("Firing", "critical", VIGIL_ALERT_STATE_SUPPRESSED), NULL);

  /* Without an Alertmanager, Prometheus' firing alerts are the alerts. */
  vigil_alert_tracker_update_source (fixture->tracker, "prom", FALSE, from_prometheus);
  g_assert_cmpuint (fixture->fired->len, ==, 1);
  g_assert_cmpuint (n_listed (fixture), ==, 2);

  /* Alertmanager says it is silenced: that wins, and pending stays. */
  vigil_alert_tracker_update_source (fixture->tracker, "am", TRUE, from_alertmanager);
  g_assert_cmpuint (n_listed (fixture), ==, 2);
  g_assert_cmpuint (vigil_alert_tracker_count_active (fixture->tracker, VIGIL_SEVERITY_NONE), ==, 0);
  g_assert_cmpuint (fixture->fired->len, ==, 1);
}

static void
test_prometheus_first_waits_for_alertmanager (Fixture       *fixture,
                                              gconstpointer  data)
{
  g_autoptr(GPtrArray) from_prometheus =
    alerts_of (make_alert ("Muted", "critical", VIGIL_ALERT_STATE_ACTIVE), NULL);
  g_autoptr(GPtrArray) from_alertmanager =
    alerts_of (make_alert ("Muted", "critical", VIGIL_ALERT_STATE_SUPPRESSED), NULL);

  /* Case 20 before case 18: Prometheus answers first, but an
   * Alertmanager is configured and may have silenced the alert. */
  vigil_alert_tracker_set_expect_alertmanager (fixture->tracker, TRUE);
  vigil_alert_tracker_update_source (fixture->tracker, "prom", FALSE, from_prometheus);
  g_assert_cmpuint (fixture->fired->len, ==, 0);

  vigil_alert_tracker_update_source (fixture->tracker, "am", TRUE, from_alertmanager);
  g_assert_cmpuint (fixture->fired->len, ==, 0);
  g_assert_cmpuint (n_listed (fixture), ==, 1);
}

static void
test_updated_in_place (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autoptr(GPtrArray) first = alerts_of (make_alert ("A", "critical", VIGIL_ALERT_STATE_SUPPRESSED), NULL);
  g_autoptr(GPtrArray) second = alerts_of (make_alert ("A", "critical", VIGIL_ALERT_STATE_ACTIVE), NULL);
  g_autoptr(VigilAlert) before = NULL;
  g_autoptr(VigilAlert) after = NULL;
  guint changes;

  vigil_alert_tracker_update_source (fixture->tracker, "am", TRUE, first);
  before = g_list_model_get_item (vigil_alert_tracker_get_alerts (fixture->tracker), 0);
  g_assert_cmpuint (fixture->fired->len, ==, 0);
  changes = fixture->changes;

  vigil_alert_tracker_update_source (fixture->tracker, "am", TRUE, second);
  after = g_list_model_get_item (vigil_alert_tracker_get_alerts (fixture->tracker), 0);

  /* Same object, so a list view keeps its selection; the silence ending
   * makes it news. */
  g_assert_true (before == after);
  g_assert_cmpint (vigil_alert_get_state (after), ==, VIGIL_ALERT_STATE_ACTIVE);
  g_assert_cmpuint (fixture->fired->len, ==, 1);
  g_assert_cmpuint (fixture->changes, >, changes);
}

static GBytes *
read_fixture (const char *name)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "fixtures", name, NULL);
  g_autoptr(GError) error = NULL;
  char *contents;
  gsize len;

  g_file_get_contents (path, &contents, &len, &error);
  g_assert_no_error (error);

  return g_bytes_new_take (contents, len);
}

static void
test_real_alertmanager_states (Fixture       *fixture,
                               gconstpointer  data)
{
  g_autoptr(GBytes) body = read_fixture ("18-suppressed-inhibited-silenced.json");
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) alerts = vigil_alertmanager_parse_alerts (body, &error);

  g_assert_no_error (error);
  vigil_alert_tracker_update_source (fixture->tracker, "am", TRUE, alerts);

  /* Case 18: only AlwaysFiringCritical is active; the inhibited warning
   * and the silenced ones are listed but never notify. */
  g_assert_cmpuint (n_listed (fixture), ==, 4);
  g_assert_cmpuint (fixture->fired->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (fixture->fired, 0), ==, "982df89a804bd383");
}

/* Push: alerts an Alertmanager webhook delivers, applied at once, with
 * the polls still the truth. */

#define PUSH_GRACE_US (VIGIL_ALERT_TRACKER_PUSH_GRACE_SECONDS * G_USEC_PER_SEC)

static VigilAlert *
listed_alert (Fixture *fixture,
              guint    position)
{
  return g_list_model_get_item (vigil_alert_tracker_get_alerts (fixture->tracker), position);
}

static void
test_push_fires_at_once (Fixture       *fixture,
                         gconstpointer  data)
{
  g_autoptr(GPtrArray) firing = alerts_of (make_alert ("DiskFull", "critical", VIGIL_ALERT_STATE_ACTIVE), NULL);
  g_autoptr(GPtrArray) again = alerts_of (make_alert ("DiskFull", "critical", VIGIL_ALERT_STATE_ACTIVE), NULL);
  g_autoptr(VigilAlert) listed = NULL;
  guint changes;

  /* No poll has happened: the push alone makes it news. */
  vigil_alert_tracker_push (fixture->tracker, "webhook", firing, NULL);
  g_assert_cmpuint (fixture->fired->len, ==, 1);
  g_assert_cmpuint (n_listed (fixture), ==, 1);
  g_assert_cmpuint (fixture->changes, >, 0);

  listed = listed_alert (fixture, 0);
  g_assert_cmpstr (vigil_alert_get_source (listed), ==, "webhook");
  g_assert_cmpstr (vigil_alert_get_fingerprint (listed), ==,
                   vigil_alert_get_fingerprint (g_ptr_array_index (firing, 0)));

  /* Alertmanager repeats a notification (repeat_interval): not news. */
  changes = fixture->changes;
  vigil_alert_tracker_push (fixture->tracker, "webhook", again, NULL);
  g_assert_cmpuint (fixture->fired->len, ==, 1);
  g_assert_cmpuint (fixture->changes, ==, changes);
}

static void
test_push_resolves_at_once (Fixture       *fixture,
                            gconstpointer  data)
{
  g_autoptr(GPtrArray) polled = alerts_of (make_alert ("A", "critical", VIGIL_ALERT_STATE_ACTIVE),
                                           make_alert ("B", "warning", VIGIL_ALERT_STATE_ACTIVE),
                                           NULL);
  g_autoptr(GPtrArray) resolved = alerts_of (make_alert ("A", "critical", VIGIL_ALERT_STATE_ACTIVE), NULL);
  g_autoptr(GPtrArray) stale = alerts_of (make_alert ("A", "critical", VIGIL_ALERT_STATE_ACTIVE),
                                          make_alert ("B", "warning", VIGIL_ALERT_STATE_ACTIVE),
                                          NULL);
  g_autoptr(GPtrArray) later = alerts_of (make_alert ("A", "critical", VIGIL_ALERT_STATE_ACTIVE),
                                          make_alert ("B", "warning", VIGIL_ALERT_STATE_ACTIVE),
                                          NULL);
  g_autoptr(VigilAlert) left = NULL;

  vigil_alert_tracker_update_source (fixture->tracker, "am", TRUE, polled);
  g_assert_cmpuint (fixture->fired->len, ==, 2);

  /* The last poll still lists A, yet the webhook's word counts at once. */
  vigil_alert_tracker_push (fixture->tracker, "webhook", NULL, resolved);
  g_assert_cmpuint (fixture->resolved->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (fixture->resolved, 0), ==,
                   vigil_alert_get_fingerprint (g_ptr_array_index (resolved, 0)));
  g_assert_cmpuint (n_listed (fixture), ==, 1);
  left = listed_alert (fixture, 0);
  g_assert_cmpstr (vigil_alert_get_name (left), ==, "B");

  /* A poll that was on its way before the push still lists A: it does
   * not bring A back, and nothing fires again. */
  vigil_clock_advance (fixture->clock, 2 * G_USEC_PER_SEC);
  vigil_alert_tracker_update_source (fixture->tracker, "am", TRUE, stale);
  g_assert_cmpuint (n_listed (fixture), ==, 1);
  g_assert_cmpuint (fixture->fired->len, ==, 2);

  /* Long after the push, a poll that lists A is the truth. */
  vigil_clock_advance (fixture->clock, PUSH_GRACE_US);
  vigil_alert_tracker_update_source (fixture->tracker, "am", TRUE, later);
  g_assert_cmpuint (n_listed (fixture), ==, 2);
  g_assert_cmpuint (fixture->fired->len, ==, 3);
}

static void
test_push_confirmed_by_poll (Fixture       *fixture,
                             gconstpointer  data)
{
  g_autoptr(GPtrArray) pushed = alerts_of (make_alert ("A", "critical", VIGIL_ALERT_STATE_ACTIVE), NULL);
  g_autoptr(GPtrArray) silenced = alerts_of (make_alert ("A", "critical", VIGIL_ALERT_STATE_SUPPRESSED), NULL);
  g_autoptr(GPtrArray) still = alerts_of (make_alert ("A", "critical", VIGIL_ALERT_STATE_SUPPRESSED), NULL);
  g_autoptr(VigilAlert) before = NULL;
  g_autoptr(VigilAlert) after = NULL;

  vigil_alert_tracker_push (fixture->tracker, "am", pushed, NULL);
  before = listed_alert (fixture, 0);
  g_assert_cmpuint (fixture->fired->len, ==, 1);

  /* The next poll lists it (silenced meanwhile): the poll carries it from
   * now on, and its state wins. Same object, no second notification. */
  vigil_clock_advance (fixture->clock, 5 * G_USEC_PER_SEC);
  vigil_alert_tracker_update_source (fixture->tracker, "am", TRUE, silenced);
  after = listed_alert (fixture, 0);
  g_assert_true (before == after);
  g_assert_cmpint (vigil_alert_get_state (after), ==, VIGIL_ALERT_STATE_SUPPRESSED);
  g_assert_cmpuint (fixture->fired->len, ==, 1);

  vigil_clock_advance (fixture->clock, 2 * PUSH_GRACE_US);
  vigil_alert_tracker_update_source (fixture->tracker, "am", TRUE, still);
  g_assert_cmpuint (n_listed (fixture), ==, 1);
  g_assert_cmpuint (fixture->resolved->len, ==, 0);
}

static void
test_push_overruled_by_later_poll (Fixture       *fixture,
                                   gconstpointer  data)
{
  g_autoptr(GPtrArray) pushed = alerts_of (make_alert ("A", "critical", VIGIL_ALERT_STATE_ACTIVE), NULL);
  g_autoptr(GPtrArray) empty = no_alerts ();

  vigil_alert_tracker_push (fixture->tracker, "am", pushed, NULL);

  /* A poll that started before the push does not know the alert yet; it
   * must not resolve what was just announced. */
  vigil_clock_advance (fixture->clock, 1 * G_USEC_PER_SEC);
  vigil_alert_tracker_update_source (fixture->tracker, "am", TRUE, empty);
  g_assert_cmpuint (n_listed (fixture), ==, 1);
  g_assert_cmpuint (fixture->resolved->len, ==, 0);

  /* A poll of the same source long after the push is the truth. */
  vigil_clock_advance (fixture->clock, PUSH_GRACE_US);
  vigil_alert_tracker_update_source (fixture->tracker, "am", TRUE, empty);
  g_assert_cmpuint (n_listed (fixture), ==, 0);
  g_assert_cmpuint (fixture->resolved->len, ==, 1);
}

static void
test_push_resolution_outlives_failing_poll (Fixture       *fixture,
                                            gconstpointer  data)
{
  g_autoptr(GPtrArray) polled = alerts_of (make_alert ("A", "critical", VIGIL_ALERT_STATE_ACTIVE), NULL);
  g_autoptr(GPtrArray) resolved = alerts_of (make_alert ("A", "critical", VIGIL_ALERT_STATE_ACTIVE), NULL);
  g_autoptr(GPtrArray) pending = alerts_of (make_alert ("Soon", "warning", VIGIL_ALERT_STATE_PENDING), NULL);

  vigil_alert_tracker_update_source (fixture->tracker, "am", TRUE, polled);
  g_assert_cmpuint (fixture->fired->len, ==, 1);

  /* Alertmanager can no longer be polled but still pushes: the resolution
   * must hold however long the outage lasts, and other sources' updates
   * must not bring the alert back from the failing source's old data. */
  vigil_alert_tracker_push (fixture->tracker, "webhook", NULL, resolved);
  g_assert_cmpuint (n_listed (fixture), ==, 0);
  vigil_clock_advance (fixture->clock, 3 * PUSH_GRACE_US);
  vigil_alert_tracker_update_source (fixture->tracker, "prom", FALSE, pending);
  g_assert_cmpuint (n_listed (fixture), ==, 1);
  g_assert_cmpuint (fixture->fired->len, ==, 1);
  g_assert_cmpuint (fixture->resolved->len, ==, 1);

  /* Alertmanager answers again: it is the truth from then on. */
  vigil_alert_tracker_update_source (fixture->tracker, "am", TRUE, polled);
  g_assert_cmpuint (fixture->fired->len, ==, 2);
}

static void
test_push_only_source (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autoptr(GPtrArray) pushed = alerts_of (make_alert ("A", "critical", VIGIL_ALERT_STATE_ACTIVE),
                                           make_alert ("B", "warning", VIGIL_ALERT_STATE_ACTIVE),
                                           NULL);
  g_autoptr(GPtrArray) resolved = alerts_of (make_alert ("A", "critical", VIGIL_ALERT_STATE_ACTIVE), NULL);
  g_autoptr(GPtrArray) other = alerts_of (make_alert ("C", "info", VIGIL_ALERT_STATE_ACTIVE), NULL);

  /* Pushed by an Alertmanager that Vigil does not poll: another source's
   * polls say nothing about it, however late. */
  vigil_alert_tracker_push (fixture->tracker, "webhook", pushed, NULL);
  vigil_clock_advance (fixture->clock, 10 * PUSH_GRACE_US);
  vigil_alert_tracker_update_source (fixture->tracker, "am", TRUE, other);
  g_assert_cmpuint (n_listed (fixture), ==, 3);
  g_assert_cmpuint (fixture->resolved->len, ==, 0);

  vigil_alert_tracker_push (fixture->tracker, "webhook", NULL, resolved);
  g_assert_cmpuint (n_listed (fixture), ==, 2);
  g_assert_cmpuint (fixture->resolved->len, ==, 1);

  /* Turning the webhook off forgets what it pushed. */
  vigil_alert_tracker_remove_source (fixture->tracker, "webhook");
  g_assert_cmpuint (n_listed (fixture), ==, 1);
  g_assert_cmpuint (fixture->resolved->len, ==, 2);
}

static void
test_push_fires_again_after_resolve (Fixture       *fixture,
                                     gconstpointer  data)
{
  g_autoptr(GPtrArray) firing = alerts_of (make_alert ("A", "critical", VIGIL_ALERT_STATE_ACTIVE), NULL);
  g_autoptr(GPtrArray) resolved = alerts_of (make_alert ("A", "critical", VIGIL_ALERT_STATE_ACTIVE), NULL);
  g_autoptr(GPtrArray) again = alerts_of (make_alert ("A", "critical", VIGIL_ALERT_STATE_ACTIVE), NULL);

  vigil_alert_tracker_push (fixture->tracker, "webhook", firing, NULL);
  vigil_alert_tracker_push (fixture->tracker, "webhook", NULL, resolved);
  /* Within the grace, a new firing push is news again (a poll would have
   * to wait out the grace). */
  vigil_alert_tracker_push (fixture->tracker, "webhook", again, NULL);

  g_assert_cmpuint (fixture->fired->len, ==, 2);
  g_assert_cmpuint (fixture->resolved->len, ==, 1);
  g_assert_cmpuint (n_listed (fixture), ==, 1);
}

static void
test_push_resolve_keeps_pending (Fixture       *fixture,
                                 gconstpointer  data)
{
  g_autoptr(GPtrArray) firing = alerts_of (make_alert ("A", "critical", VIGIL_ALERT_STATE_ACTIVE), NULL);
  g_autoptr(GPtrArray) resolved = alerts_of (make_alert ("A", "critical", VIGIL_ALERT_STATE_ACTIVE), NULL);
  g_autoptr(GPtrArray) pending = alerts_of (make_alert ("A", "critical", VIGIL_ALERT_STATE_PENDING), NULL);
  g_autoptr(VigilAlert) listed = NULL;

  vigil_alert_tracker_update_source (fixture->tracker, "am", TRUE, firing);
  vigil_alert_tracker_push (fixture->tracker, "webhook", NULL, resolved);
  g_assert_cmpuint (n_listed (fixture), ==, 0);

  /* The condition is true again and Prometheus counts down its `for`:
   * that early warning is not hidden by the resolve. */
  vigil_alert_tracker_update_source (fixture->tracker, "prom", FALSE, pending);
  g_assert_cmpuint (n_listed (fixture), ==, 1);
  listed = listed_alert (fixture, 0);
  g_assert_cmpint (vigil_alert_get_state (listed), ==, VIGIL_ALERT_STATE_PENDING);
  g_assert_cmpuint (fixture->fired->len, ==, 1);
}

static void
test_push_heartbeat (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(GPtrArray) firing = alerts_of (make_alert ("Watchdog", "none", VIGIL_ALERT_STATE_ACTIVE), NULL);
  g_autoptr(GPtrArray) resolved = alerts_of (make_alert ("Watchdog", "none", VIGIL_ALERT_STATE_ACTIVE), NULL);

  vigil_alert_tracker_push (fixture->tracker, "webhook", firing, NULL);
  g_assert_true (vigil_alert_tracker_has_heartbeat (fixture->tracker));
  g_assert_cmpuint (n_listed (fixture), ==, 0);
  g_assert_cmpuint (fixture->fired->len, ==, 0);

  vigil_alert_tracker_push (fixture->tracker, "webhook", NULL, resolved);
  g_assert_false (vigil_alert_tracker_has_heartbeat (fixture->tracker));
  g_assert_cmpuint (fixture->resolved->len, ==, 0);
}

static void
test_push_real_webhook (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autoptr(GBytes) body = read_fixture ("webhook-v4.json");
  g_autoptr(GError) error = NULL;
  g_autoptr(VigilWebhookPayload) payload = vigil_webhook_payload_new_from_bytes (body, &error);
  g_autoptr(GPtrArray) polled = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(VigilAlert) listed = NULL;

  g_assert_no_error (error);

  /* Before the notification, a poll listed both alerts of the group. */
  g_ptr_array_add (polled, make_alert ("Placeholder", NULL, VIGIL_ALERT_STATE_ACTIVE));
  vigil_alert_set_fingerprint (g_ptr_array_index (polled, 0), "f2f859d7e8a73be4");
  vigil_alert_tracker_update_source (fixture->tracker, "am", TRUE, polled);
  g_assert_cmpuint (fixture->fired->len, ==, 1);

  /* The notification Alertmanager 0.25 sent: db-1 still firing, db-2
   * resolved. */
  vigil_alert_tracker_push (fixture->tracker, "webhook",
                            vigil_webhook_payload_get_firing (payload),
                            vigil_webhook_payload_get_resolved (payload));

  g_assert_cmpuint (fixture->fired->len, ==, 2);
  g_assert_cmpstr (g_ptr_array_index (fixture->fired, 1), ==, "978cf4f44aaed2bc");
  g_assert_cmpuint (fixture->resolved->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (fixture->resolved, 0), ==, "f2f859d7e8a73be4");
  g_assert_cmpuint (n_listed (fixture), ==, 1);
  listed = listed_alert (fixture, 0);
  g_assert_cmpstr (vigil_alert_get_label (listed, "instance"), ==, "db-1:9100");
  g_assert_cmpuint (vigil_alert_tracker_count_active (fixture->tracker, VIGIL_SEVERITY_CRITICAL), ==, 1);
}

static void
test_compare (void)
{
  g_autoptr(VigilAlert) critical = make_alert ("C", "critical", VIGIL_ALERT_STATE_ACTIVE);
  g_autoptr(VigilAlert) warning = make_alert ("W", "warning", VIGIL_ALERT_STATE_ACTIVE);
  g_autoptr(VigilAlert) older_warning = make_alert ("W2", "warning", VIGIL_ALERT_STATE_ACTIVE);
  g_autoptr(VigilAlert) silenced = make_alert ("S", "critical", VIGIL_ALERT_STATE_SUPPRESSED);
  g_autoptr(GDateTime) earlier = g_date_time_new_utc (2026, 12, 3, 14, 0, 0);

  vigil_alert_set_starts_at (older_warning, earlier);

  g_assert_cmpint (vigil_alert_compare (critical, warning), <, 0);
  g_assert_cmpint (vigil_alert_compare (warning, critical), >, 0);
  g_assert_cmpint (vigil_alert_compare (older_warning, warning), <, 0);
  g_assert_cmpint (vigil_alert_compare (warning, silenced), <, 0);
  g_assert_cmpint (vigil_alert_compare (critical, critical), ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("/vigil/alert-tracker/fires-once", test_fires_once);
  ADD ("/vigil/alert-tracker/resolved-on-successful-poll-only", test_resolved_on_successful_poll_only);
  ADD ("/vigil/alert-tracker/heartbeat", test_heartbeat);
  ADD ("/vigil/alert-tracker/heartbeat-names", test_heartbeat_names_configurable);
  ADD ("/vigil/alert-tracker/ha-dedup", test_ha_dedup);
  ADD ("/vigil/alert-tracker/prometheus-defers", test_prometheus_defers_to_alertmanager);
  ADD ("/vigil/alert-tracker/push-resolution-outlives-failing-poll", test_push_resolution_outlives_failing_poll);
  ADD ("/vigil/alert-tracker/prometheus-first", test_prometheus_first_waits_for_alertmanager);
  ADD ("/vigil/alert-tracker/updated-in-place", test_updated_in_place);
  ADD ("/vigil/alert-tracker/case-18", test_real_alertmanager_states);
  ADD ("/vigil/alert-tracker/push/fires-at-once", test_push_fires_at_once);
  ADD ("/vigil/alert-tracker/push/resolves-at-once", test_push_resolves_at_once);
  ADD ("/vigil/alert-tracker/push/confirmed-by-poll", test_push_confirmed_by_poll);
  ADD ("/vigil/alert-tracker/push/overruled-by-later-poll", test_push_overruled_by_later_poll);
  ADD ("/vigil/alert-tracker/push/push-only-source", test_push_only_source);
  ADD ("/vigil/alert-tracker/push/fires-again-after-resolve", test_push_fires_again_after_resolve);
  ADD ("/vigil/alert-tracker/push/resolve-keeps-pending", test_push_resolve_keeps_pending);
  ADD ("/vigil/alert-tracker/push/heartbeat", test_push_heartbeat);
  ADD ("/vigil/alert-tracker/push/real-webhook", test_push_real_webhook);
  g_test_add_func ("/vigil/alert-tracker/compare", test_compare);

  return g_test_run ();
}
