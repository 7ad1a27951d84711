/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "fuzz-server-info"

#include "config.h"

#include "fuzz.h"
#include "vigil-server-info.h"

typedef VigilServerInfo *(*InfoParser) (GBytes *body, GError **error);

/* "Test connection": Prometheus' /api/v1/status/buildinfo and
 * Alertmanager's /api/v2/status, both read from the same bytes (a server
 * of the wrong kind answers either), then said as a sentence. */
int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  static const InfoParser parsers[] = {
    vigil_prometheus_parse_buildinfo,
    vigil_alertmanager_parse_status,
  };
  g_autoptr(GBytes) body = g_bytes_new_static (data, size);
  g_autoptr(GDateTime) now = g_date_time_new_utc (2026, 12, 3, 15, 41, 36);

  vigil_fuzz_setup ();

  for (guint i = 0; i < G_N_ELEMENTS (parsers); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(VigilServerInfo) info = parsers[i] (body, &error);
      g_autoptr(VigilServerInfo) copy = NULL;
      g_autofree char *sentence = NULL;
      g_autofree char *timeless = NULL;

      vigil_fuzz_assert_outcome (info, error);
      if (info == NULL)
        continue;

      vigil_fuzz_assert_text (info->product);
      vigil_fuzz_assert_text (info->version);
      vigil_fuzz_assert_text (info->revision);
      vigil_fuzz_assert_text (info->cluster_status);
      vigil_fuzz_assert_text (info->cluster_name);
      if (info->peers != NULL)
        vigil_fuzz_assert_strv ((const char * const *) info->peers);
      vigil_fuzz_assert_utc (info->uptime);

      copy = vigil_server_info_copy (info);
      sentence = vigil_server_info_describe (copy, now);
      timeless = vigil_server_info_describe (info, NULL);
      g_assert_nonnull (sentence);
      vigil_fuzz_assert_text (sentence);
      vigil_fuzz_assert_text (timeless);
    }

  return 0;
}
