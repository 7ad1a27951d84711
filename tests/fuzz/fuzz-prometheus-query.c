/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "fuzz-prometheus-query"

#include "config.h"

#include <math.h>

#include "fuzz.h"
#include "vigil-parse.h"

/* GET /api/v1/query and /api/v1/query_range: vigil_prometheus_parse_query(). */
int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(GBytes) body = g_bytes_new_static (data, size);
  g_autoptr(GError) error = NULL;
  g_autoptr(VigilQueryResult) result = NULL;
  GPtrArray *series;
  VigilResultType type;

  vigil_fuzz_setup ();

  result = vigil_prometheus_parse_query (body, &error);
  vigil_fuzz_assert_outcome (result, error);
  if (result == NULL)
    {
      g_assert_true (error->domain == VIGIL_PARSE_ERROR || error->domain == VIGIL_PROMETHEUS_ERROR);
      return 0;
    }

  type = vigil_query_result_get_result_type (result);
  g_assert_nonnull (vigil_result_type_to_string (type));
  series = vigil_query_result_get_series (result);

  /* A scalar or a string is one value, never a list of series. */
  if (type == VIGIL_RESULT_SCALAR || type == VIGIL_RESULT_STRING)
    g_assert_cmpuint (series->len, ==, 0);
  if (type == VIGIL_RESULT_STRING)
    vigil_fuzz_assert_text (vigil_query_result_get_string (result));
  (void) vigil_query_result_get_scalar (result);

  for (guint i = 0; i < series->len; i++)
    {
      VigilSeries *each = g_ptr_array_index (series, i);
      const VigilSample *samples = vigil_series_get_samples (each);
      guint n = vigil_series_get_n_samples (each);
      g_autofree char *name = vigil_series_dup_display_name (each);

      vigil_fuzz_assert_map (vigil_series_get_labels (each));
      vigil_fuzz_assert_text (name);
      /* A vector holds one sample per series. */
      if (type == VIGIL_RESULT_VECTOR)
        g_assert_cmpuint (n, <=, 1);
      /* Times are finite, or the chart's axis becomes ±inf. */
      for (guint j = 0; j < n; j++)
        g_assert_true (isfinite (samples[j].time));
    }

  for (const char * const *w = vigil_query_result_get_warnings (result); w != NULL && *w != NULL; w++)
    vigil_fuzz_assert_text (*w);
  for (const char * const *w = vigil_query_result_get_infos (result); w != NULL && *w != NULL; w++)
    vigil_fuzz_assert_text (*w);

  return 0;
}
