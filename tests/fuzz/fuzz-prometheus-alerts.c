/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "fuzz-prometheus-alerts"

#include "config.h"

#include "fuzz.h"
#include "vigil-parse.h"

/* GET /api/v1/alerts: vigil_prometheus_parse_alerts(). */
int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(GBytes) body = g_bytes_new_static (data, size);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) alerts = NULL;

  vigil_fuzz_setup ();

  alerts = vigil_prometheus_parse_alerts (body, &error);
  vigil_fuzz_assert_outcome (alerts, error);
  if (alerts == NULL)
    return 0;

  vigil_fuzz_exercise_alerts (alerts);
  for (guint i = 0; i < alerts->len; i++)
    {
      VigilAlert *alert = g_ptr_array_index (alerts, i);
      g_autofree char *fingerprint = vigil_alert_compute_fingerprint (alert);
      VigilAlertState state = vigil_alert_get_state (alert);

      /* Prometheus gives no fingerprint; the computed one is the key. */
      g_assert_cmpstr (vigil_alert_get_fingerprint (alert), ==, fingerprint);
      g_assert_true (state == VIGIL_ALERT_STATE_ACTIVE || state == VIGIL_ALERT_STATE_PENDING);
    }

  return 0;
}
