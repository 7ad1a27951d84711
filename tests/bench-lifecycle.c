/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "bench-lifecycle"

#include "config.h"

#include "vigil-alert-lifecycle.h"

/* Figures for the engine's share of a 10,000-alert refresh on the main
 * loop (DESIGN.md: no stall over 8 ms), and for saving and restoring the
 * state at that size. Prints, asserts nothing about time. */

#define N_ALERTS   10000
#define N_CRITICAL 1000
#define N_RUNS     20

#define T0 (G_GINT64_CONSTANT (1796312400) * G_USEC_PER_SEC)

static VigilAlert *
make_alert (guint i)
{
  VigilAlert *alert = vigil_alert_new ();
  g_autofree char *name = g_strdup_printf ("Alert%u", i % 50);
  g_autofree char *instance = g_strdup_printf ("host-%05u.example.com:9100", i);
  g_autofree char *fingerprint = NULL;

  vigil_alert_set_label (alert, "alertname", name);
  vigil_alert_set_label (alert, "severity", i < N_CRITICAL ? "critical" : "warning");
  vigil_alert_set_label (alert, "instance", instance);
  vigil_alert_set_label (alert, "job", "node");
  vigil_alert_set_label (alert, "cluster", "eu-west-1");
  vigil_alert_set_label (alert, "namespace", "payments");
  vigil_alert_set_label (alert, "team", "sre");
  vigil_alert_set_annotation (alert, "summary", "Something is wrong on this instance");
  vigil_alert_set_annotation (alert, "description", "A longer description of what is wrong and what to check first.");
  vigil_alert_set_annotation (alert, "runbook_url", "https://runbooks.example.com/alerts/something-wrong");
  vigil_alert_set_state (alert, VIGIL_ALERT_STATE_ACTIVE);
  vigil_alert_set_source (alert, "am");
  fingerprint = vigil_alert_compute_fingerprint (alert);
  vigil_alert_set_fingerprint (alert, fingerprint);

  return alert;
}

static void
count_cb (VigilAlertLifecycle *lifecycle,
          VigilAlertAction    *action,
          guint               *count)
{
  (*count)++;
}

static double
ms_since (gint64 start)
{
  return (g_get_monotonic_time () - start) / 1000.0;
}

static int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  double x = *(const double *) a;
  double y = *(const double *) b;

  return (x > y) - (x < y);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(VigilClock) clock = vigil_clock_new_fake (T0);
  g_autoptr(VigilAlertLifecycle) lifecycle = vigil_alert_lifecycle_new (clock, NULL);
  g_autoptr(VigilAlertLifecycle) restored = vigil_alert_lifecycle_new (clock, NULL);
  g_autoptr(GListStore) listed = g_list_store_new (VIGIL_TYPE_ALERT);
  g_autoptr(GBytes) saved = NULL;
  g_autoptr(GError) error = NULL;
  double idle[N_RUNS], sync[N_RUNS];
  guint actions = 0;
  gint64 start;
  double elapsed;

  g_signal_connect (lifecycle, "action", G_CALLBACK (count_cb), &actions);

  for (guint i = 0; i < N_ALERTS; i++)
    {
      g_autoptr(VigilAlert) alert = make_alert (i);

      g_list_store_append (listed, alert);
    }

  /* One update that brings every alert: the storm. */
  start = g_get_monotonic_time ();
  for (guint i = 0; i < N_ALERTS; i++)
    {
      g_autoptr(VigilAlert) alert = g_list_model_get_item (G_LIST_MODEL (listed), i);

      vigil_alert_lifecycle_alert_fired (lifecycle, alert);
    }
  g_print ("storm of %u alerts (%u critical): alert_fired for each %.2f ms", N_ALERTS, N_CRITICAL, ms_since (start));
  start = g_get_monotonic_time ();
  vigil_alert_lifecycle_sync (lifecycle, G_LIST_MODEL (listed));
  g_print (", sync %.2f ms", ms_since (start));
  start = g_get_monotonic_time ();
  vigil_alert_lifecycle_tick (lifecycle);
  g_print (", tick %.2f ms, %u action(s)\n", ms_since (start), actions);

  /* Later updates that change nothing, and ticks with nothing due. */
  for (guint i = 0; i < N_RUNS; i++)
    {
      start = g_get_monotonic_time ();
      vigil_alert_lifecycle_sync (lifecycle, G_LIST_MODEL (listed));
      sync[i] = ms_since (start);

      vigil_clock_advance (clock, G_USEC_PER_SEC);
      start = g_get_monotonic_time ();
      vigil_alert_lifecycle_tick (lifecycle);
      idle[i] = ms_since (start);
    }
  qsort (sync, N_RUNS, sizeof (double), compare_doubles);
  qsort (idle, N_RUNS, sizeof (double), compare_doubles);
  g_print ("sync of an unchanged list of %u: median %.2f ms, slowest %.2f ms\n",
           N_ALERTS, sync[N_RUNS / 2], sync[N_RUNS - 1]);
  g_print ("tick with nothing due: median %.2f ms, slowest %.2f ms\n", idle[N_RUNS / 2], idle[N_RUNS - 1]);

  /* The minute when every critical alert repeats its sound. */
  vigil_clock_set_now (clock, T0 + 60 * G_USEC_PER_SEC);
  actions = 0;
  start = g_get_monotonic_time ();
  vigil_alert_lifecycle_tick (lifecycle);
  g_print ("tick where %u escalations are due: %.2f ms, %u action(s)\n", N_CRITICAL, ms_since (start), actions);

  start = g_get_monotonic_time ();
  saved = vigil_alert_lifecycle_serialize (lifecycle);
  elapsed = ms_since (start);
  g_print ("serialize %u alerts: %.2f ms, %.2f MB\n", N_ALERTS, elapsed, g_bytes_get_size (saved) / 1e6);

  start = g_get_monotonic_time ();
  if (!vigil_alert_lifecycle_restore (restored, saved, &error))
    g_error ("%s", error->message);
  g_print ("restore %u alerts: %.2f ms\n", N_ALERTS, ms_since (start));

  start = g_get_monotonic_time ();
  g_print ("acknowledge all: %u", vigil_alert_lifecycle_acknowledge_all (lifecycle));
  g_print (" in %.2f ms\n", ms_since (start));

  return 0;
}
