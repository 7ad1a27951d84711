/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "fuzz-silences"

#include "config.h"

#include "fuzz.h"
#include "vigil-json-private.h"
#include "vigil-parse.h"
#include "vigil-silence.h"

/* GET /api/v2/silences: vigil_silence_parse_list(), then what Vigil does
 * with a silence: check it, send it back (vigil_silence_to_json()), which
 * must give JSON the parser reads as the same silence. */
int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(GBytes) body = g_bytes_new_static (data, size);
  g_autoptr(GDateTime) now = g_date_time_new_utc (2026, 12, 3, 15, 41, 36);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) silences = NULL;

  vigil_fuzz_setup ();

  silences = vigil_silence_parse_list (body, &error);
  vigil_fuzz_assert_outcome (silences, error);
  if (silences == NULL)
    return 0;

  for (guint i = 0; i < silences->len; i++)
    {
      VigilSilence *silence = g_ptr_array_index (silences, i);
      GPtrArray *matchers = vigil_silence_get_matchers (silence);
      g_autoptr(GError) invalid = NULL;
      g_autoptr(GBytes) sent = NULL;
      g_autoptr(JsonNode) reread = NULL;
      JsonObject *object;
      JsonArray *reread_matchers;
      gboolean valid;

      g_assert_nonnull (vigil_silence_get_id (silence));
      vigil_fuzz_assert_text (vigil_silence_get_id (silence));
      vigil_fuzz_assert_text (vigil_silence_get_created_by (silence));
      vigil_fuzz_assert_text (vigil_silence_get_comment (silence));
      vigil_fuzz_assert_utc (vigil_silence_get_starts_at (silence));
      vigil_fuzz_assert_utc (vigil_silence_get_ends_at (silence));
      vigil_fuzz_assert_utc (vigil_silence_get_updated_at (silence));
      g_assert_nonnull (vigil_silence_state_to_string (vigil_silence_get_state (silence)));

      for (guint j = 0; j < matchers->len; j++)
        {
          const VigilMatcher *matcher = g_ptr_array_index (matchers, j);

          g_assert_cmpuint (strlen (matcher->name), >, 0);
          vigil_fuzz_assert_text (matcher->name);
          vigil_fuzz_assert_text (matcher->value);
          /* Regexes from the server go through GRegex here. */
          (void) vigil_matcher_matches_empty (matcher);
        }

      valid = vigil_silence_validate (silence, now, &invalid);
      g_assert_true (valid == (invalid == NULL));
      if (invalid != NULL)
        {
          g_assert_true (invalid->domain == VIGIL_SILENCE_ERROR);
          vigil_fuzz_assert_text (invalid->message);
        }

      sent = vigil_silence_to_json (silence);
      reread = vigil_json_parse_bytes (sent, FALSE, &error);
      g_assert_no_error (error);
      object = json_node_get_object (reread);
      g_assert_cmpstr (vigil_json_get_string (object, "id"), ==, vigil_silence_get_id (silence));
      reread_matchers = vigil_json_get_array (object, "matchers");
      g_assert_nonnull (reread_matchers);
      g_assert_cmpuint (json_array_get_length (reread_matchers), ==, matchers->len);
    }

  return 0;
}
