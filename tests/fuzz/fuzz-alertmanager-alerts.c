/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "fuzz-alertmanager-alerts"

#include "config.h"

#include "fuzz.h"
#include "vigil-parse.h"

/* GET /api/v2/alerts: vigil_alertmanager_parse_alerts(). */
int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(GBytes) body = g_bytes_new_static (data, size);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) alerts = NULL;

  vigil_fuzz_setup ();

  alerts = vigil_alertmanager_parse_alerts (body, &error);
  vigil_fuzz_assert_outcome (alerts, error);
  if (alerts != NULL)
    vigil_fuzz_exercise_alerts (alerts);

  return 0;
}
