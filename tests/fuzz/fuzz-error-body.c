/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "fuzz-error-body"

#include "config.h"

#include "fuzz.h"
#include "vigil-parse.h"

/* The body of a failed answer: vigil_parse_error_body(), whose text goes
 * into a sentence for the engineer. */
int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(GBytes) body = g_bytes_new_static (data, size);
  g_autofree char *text = NULL;

  vigil_fuzz_setup ();

  text = vigil_parse_error_body (body);
  if (text != NULL)
    {
      g_assert_cmpuint (strlen (text), >, 0);
      vigil_fuzz_assert_text (text);
    }

  return 0;
}
