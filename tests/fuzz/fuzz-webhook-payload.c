/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "fuzz-webhook-payload"

#include "config.h"

#include "fuzz.h"
#include "vigil-webhook-payload.h"

/* What an Alertmanager POSTs to Vigil's webhook receiver:
 * vigil_webhook_payload_new_from_bytes(). The receiver listens on a
 * socket, so these bytes may come from anything that found the port. */
int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(GBytes) body = g_bytes_new_static (data, size);
  g_autoptr(GError) error = NULL;
  g_autoptr(VigilWebhookPayload) payload = NULL;
  GPtrArray *firing;
  GPtrArray *resolved;

  vigil_fuzz_setup ();

  payload = vigil_webhook_payload_new_from_bytes (body, &error);
  vigil_fuzz_assert_outcome (payload, error);
  if (payload == NULL)
    return 0;

  g_assert_nonnull (vigil_webhook_payload_get_receiver (payload));
  vigil_fuzz_assert_text (vigil_webhook_payload_get_receiver (payload));
  vigil_fuzz_assert_text (vigil_webhook_payload_get_group_key (payload));
  vigil_fuzz_assert_text (vigil_webhook_payload_get_external_url (payload));
  (void) vigil_webhook_payload_get_status (payload);
  (void) vigil_webhook_payload_get_truncated_alerts (payload);
  vigil_fuzz_assert_map (vigil_webhook_payload_get_group_labels (payload));
  vigil_fuzz_assert_map (vigil_webhook_payload_get_common_labels (payload));
  vigil_fuzz_assert_map (vigil_webhook_payload_get_common_annotations (payload));

  firing = vigil_webhook_payload_get_firing (payload);
  resolved = vigil_webhook_payload_get_resolved (payload);
  g_assert_nonnull (firing);
  g_assert_nonnull (resolved);
  vigil_fuzz_exercise_alerts (firing);
  vigil_fuzz_exercise_alerts (resolved);
  for (guint i = 0; i < firing->len; i++)
    g_assert_true (vigil_alert_is_active (g_ptr_array_index (firing, i)));

  return 0;
}
