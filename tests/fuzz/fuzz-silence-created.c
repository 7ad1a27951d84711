/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "fuzz-silence-created"

#include "config.h"

#include "fuzz.h"
#include "vigil-silence.h"

/* The answer to POST /api/v2/silences: vigil_silence_parse_created(). The
 * id goes into the path of the DELETE that expires it. */
int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(GBytes) body = g_bytes_new_static (data, size);
  g_autoptr(GError) error = NULL;
  g_autofree char *id = NULL;

  vigil_fuzz_setup ();

  id = vigil_silence_parse_created (body, &error);
  vigil_fuzz_assert_outcome (id, error);
  if (id != NULL)
    {
      g_autofree char *escaped = g_uri_escape_string (id, NULL, FALSE);

      g_assert_cmpuint (strlen (id), >, 0);
      vigil_fuzz_assert_text (id);
      g_assert_null (strchr (escaped, '/'));
    }

  return 0;
}
