/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "fuzz-timestamp"

#include "config.h"

#include "fuzz.h"
#include "vigil-parse.h"

/* RFC 3339 times as both servers send them: vigil_parse_timestamp(). */
int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autofree char *text = g_strndup ((const char *) data, size);
  g_autoptr(GDateTime) when = NULL;
  g_autoptr(GDateTime) again = NULL;
  g_autofree char *printed = NULL;

  vigil_fuzz_setup ();

  when = vigil_parse_timestamp (text);
  if (when == NULL)
    return 0;

  vigil_fuzz_assert_utc (when);

  /* What Vigil prints (the report, a silence it sends) it reads back as
   * the same moment. */
  printed = g_date_time_format_iso8601 (when);
  again = vigil_parse_timestamp (printed);
  g_assert_nonnull (again);
  g_assert_true (g_date_time_equal (when, again));

  return 0;
}
