/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "fuzz-lifecycle-state"

#include "config.h"

#include "fuzz.h"
#include "vigil-alert-lifecycle.h"

/* The alert state Vigil saves and reads back at every start
 * (vigil_alert_lifecycle_restore()): a damaged file must cost at most the
 * records it damaged, never a crash at startup. What was restored then
 * runs through the schedule for an hour, and saves to the same bytes
 * twice. */
int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(VigilClock) clock = vigil_clock_new_fake (G_GINT64_CONSTANT (1796312400) * G_USEC_PER_SEC);
  g_autoptr(VigilAlertLifecycle) lifecycle = vigil_alert_lifecycle_new (clock, NULL);
  g_autoptr(GBytes) bytes = g_bytes_new (data, size);
  g_autoptr(GBytes) saved = NULL;
  g_autoptr(GBytes) saved_again = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) fingerprints = NULL;
  g_autofree char *text = NULL;

  vigil_fuzz_setup ();

  if (!vigil_alert_lifecycle_restore (lifecycle, bytes, &error))
    {
      g_assert_true (error->domain == VIGIL_LIFECYCLE_ERROR);
      vigil_fuzz_assert_text (error->message);
      return 0;
    }

  saved = vigil_alert_lifecycle_serialize (lifecycle);
  text = g_strndup (g_bytes_get_data (saved, NULL), g_bytes_get_size (saved));
  g_assert_cmpuint (strlen (text), ==, g_bytes_get_size (saved));
  vigil_fuzz_assert_text (text);
  g_clear_error (&error);
  g_assert_true (vigil_alert_lifecycle_restore (lifecycle, saved, &error));
  saved_again = vigil_alert_lifecycle_serialize (lifecycle);
  g_assert_true (g_bytes_equal (saved, saved_again));

  fingerprints = vigil_alert_lifecycle_dup_fingerprints (lifecycle);
  for (guint i = 0; fingerprints[i] != NULL; i++)
    {
      VigilAlert *alert = vigil_alert_lifecycle_get_alert (lifecycle, fingerprints[i]);

      vigil_fuzz_assert_text (fingerprints[i]);
      vigil_fuzz_assert_text (vigil_alert_get_summary (alert));
      g_assert_cmpuint (vigil_alert_lifecycle_get_escalation_level (lifecycle, fingerprints[i]), <=, 2);
    }

  /* An hour of ticks at the times the lifecycle asks for: a bounded
   * number of them, whatever the saved times were. */
  for (guint i = 0; i < 200; i++)
    {
      gint64 due = vigil_alert_lifecycle_get_next_due (lifecycle);
      gint64 now = vigil_clock_get_now (clock);

      if (due > now)
        vigil_clock_set_now (clock, MIN (due, now + (gint64) 3600 * G_USEC_PER_SEC));
      vigil_alert_lifecycle_tick (lifecycle);
    }
  vigil_alert_lifecycle_acknowledge_all (lifecycle);
  vigil_alert_lifecycle_tick (lifecycle);

  return 0;
}
