/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "fuzz-sample-value"

#include "config.h"

#include <math.h>

#include "fuzz.h"
#include "vigil-parse.h"

/* A sample value's text ("+Inf", "1e-09", "0.30000000000000004"):
 * vigil_parse_sample_value(). */
int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autofree char *text = g_strndup ((const char *) data, size);
  double value = 42;
  double again = 0;

  vigil_fuzz_setup ();

  if (!vigil_parse_sample_value (text, &value))
    {
      /* A refusal leaves the caller's value alone. */
      g_assert_cmpfloat (value, ==, 42);
      return 0;
    }

  /* What was read prints back to the same double, the way the report and
   * the chart's read-out print it. */
  if (isfinite (value))
    {
      char buffer[G_ASCII_DTOSTR_BUF_SIZE];

      g_ascii_dtostr (buffer, sizeof buffer, value);
      g_assert_true (vigil_parse_sample_value (buffer, &again));
      g_assert_true (again == value);
      g_assert_true (signbit (again) == signbit (value));
    }

  return 0;
}
