/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <glib-object.h>

#include "vigil-alert.h"
#include "vigil-query-result.h"

/* What every fuzz target of tests/fuzz shares. Each target is one
 * LLVMFuzzerTestOneInput that feeds the bytes to one pure parser of
 * src/model and then uses what came out the way the rest of Vigil does,
 * so that a model the parser built wrongly shows up too. Under libFuzzer
 * (meson option `fuzzing`) they run with ASan and UBSan; under `meson test`
 * replay.c feeds them their corpus. */

int LLVMFuzzerTestOneInput (const uint8_t *data,
                            size_t         size);

/* A critical or a warning is a bug the parser let through (json-glib's
 * accessors warn on the wrong node type), so it aborts, which both
 * libFuzzer and `meson test` report. */
static inline void
vigil_fuzz_setup (void)
{
  static gboolean done;

  if (done)
    return;

  g_log_set_always_fatal (G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING | G_LOG_FATAL_MASK);
  done = TRUE;
}

/* Every string of a model ends up in a GTK label, a notification or the
 * JSON of `vigil --status`, which all need UTF-8. */
static inline void
vigil_fuzz_assert_text (const char *text)
{
  if (text != NULL)
    g_assert_true (g_utf8_validate (text, -1, NULL));
}

/* A parser returns a result or sets an error with a sentence, never both
 * and never neither. */
static inline void
vigil_fuzz_assert_outcome (gconstpointer  result,
                           const GError  *error)
{
  g_assert_true ((result != NULL) != (error != NULL));
  if (error != NULL)
    {
      g_assert_nonnull (error->message);
      g_assert_cmpuint (strlen (error->message), >, 0);
      vigil_fuzz_assert_text (error->message);
    }
}

static inline void
vigil_fuzz_assert_map (GHashTable *map)
{
  GHashTableIter iter;
  gpointer key, value;

  g_hash_table_iter_init (&iter, map);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      g_assert_nonnull (key);
      g_assert_nonnull (value);
      /* An empty value counts as absent and is never stored. */
      g_assert_cmpuint (strlen (key), >, 0);
      g_assert_cmpuint (strlen (value), >, 0);
      vigil_fuzz_assert_text (key);
      vigil_fuzz_assert_text (value);
    }
}

static inline void
vigil_fuzz_assert_strv (const char * const *strv)
{
  g_assert_nonnull (strv);
  for (guint i = 0; strv[i] != NULL; i++)
    vigil_fuzz_assert_text (strv[i]);
}

/* Times in the models are UTC and print as RFC 3339. */
static inline void
vigil_fuzz_assert_utc (GDateTime *when)
{
  g_autofree char *text = NULL;

  if (when == NULL)
    return;

  g_assert_cmpint (g_date_time_get_utc_offset (when), ==, 0);
  text = g_date_time_format_iso8601 (when);
  g_assert_nonnull (text);
}

/* Uses a parsed alert as the tracker, the views and the report do. */
static inline void
vigil_fuzz_exercise_alert (VigilAlert *alert)
{
  g_autoptr(VigilAlert) copy = vigil_alert_new ();
  g_autofree const char **names = NULL;
  g_autofree char *fingerprint = NULL;

  g_assert_true (VIGIL_IS_ALERT (alert));
  g_assert_nonnull (vigil_alert_get_fingerprint (alert));
  vigil_fuzz_assert_text (vigil_alert_get_fingerprint (alert));
  vigil_fuzz_assert_map (vigil_alert_get_labels (alert));
  vigil_fuzz_assert_map (vigil_alert_get_annotations (alert));
  vigil_fuzz_assert_strv (vigil_alert_get_silenced_by (alert));
  vigil_fuzz_assert_strv (vigil_alert_get_inhibited_by (alert));
  vigil_fuzz_assert_strv (vigil_alert_get_receivers (alert));
  vigil_fuzz_assert_text (vigil_alert_get_generator_url (alert));
  g_assert_nonnull (vigil_alert_get_summary (alert));
  vigil_fuzz_assert_text (vigil_alert_get_summary (alert));
  g_assert_nonnull (vigil_severity_to_string (vigil_alert_get_severity (alert)));
  g_assert_nonnull (vigil_alert_state_to_string (vigil_alert_get_state (alert)));
  (void) vigil_alert_is_heartbeat (alert);
  (void) vigil_alert_get_value (alert);

  names = vigil_alert_dup_sorted_label_names (alert);
  g_assert_cmpuint (g_strv_length ((char **) names), ==, g_hash_table_size (vigil_alert_get_labels (alert)));
  fingerprint = vigil_alert_compute_fingerprint (alert);
  g_assert_cmpuint (strlen (fingerprint), ==, 16);

  vigil_fuzz_assert_utc (vigil_alert_get_starts_at (alert));
  vigil_fuzz_assert_utc (vigil_alert_get_ends_at (alert));
  vigil_fuzz_assert_utc (vigil_alert_get_updated_at (alert));

  /* The tracker keeps one object per fingerprint and updates it. */
  g_assert_true (vigil_alert_update_from (copy, alert));
  g_assert_false (vigil_alert_update_from (copy, alert));
  g_assert_cmpstr (vigil_alert_get_fingerprint (copy), ==, vigil_alert_get_fingerprint (alert));
}

static inline void
vigil_fuzz_exercise_alerts (GPtrArray *alerts)
{
  for (guint i = 0; i < alerts->len; i++)
    vigil_fuzz_exercise_alert (g_ptr_array_index (alerts, i));
}
