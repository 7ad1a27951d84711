/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "vigil-alert.h"

G_BEGIN_DECLS

/* The `status` of a whole notification: resolved only when every alert of
 * the group is. */
typedef enum {
  VIGIL_WEBHOOK_STATUS_FIRING,
  VIGIL_WEBHOOK_STATUS_RESOLVED,
} VigilWebhookStatus;

/* One notification that Alertmanager POSTs to a webhook receiver (its
 * `webhook_configs`), payload version 4: the alerts of one group, firing
 * and resolved, with what the group has in common. Read-only once parsed. */
#define VIGIL_TYPE_WEBHOOK_PAYLOAD (vigil_webhook_payload_get_type ())
G_DECLARE_FINAL_TYPE (VigilWebhookPayload, vigil_webhook_payload, VIGIL, WEBHOOK_PAYLOAD, GObject)

/* Pure: bytes in, payload or a VIGIL_PARSE_ERROR out (nesting depth and
 * UTF-8 are checked before json-glib sees the bytes). Anything but a
 * version "4" object with an `alerts` array is
 * VIGIL_PARSE_ERROR_UNEXPECTED. Elements of `alerts` that are not alerts
 * are skipped, unless none is one. */
VigilWebhookPayload *vigil_webhook_payload_new_from_bytes   (GBytes              *body,
                                                             GError             **error);

/* Never NULL; "" when the payload left it out. */
const char          *vigil_webhook_payload_get_receiver       (VigilWebhookPayload *self);
const char          *vigil_webhook_payload_get_group_key      (VigilWebhookPayload *self);
const char          *vigil_webhook_payload_get_external_url   (VigilWebhookPayload *self);
VigilWebhookStatus   vigil_webhook_payload_get_status         (VigilWebhookPayload *self);
/* How many alerts of the group Alertmanager left out because of the
 * receiver's `max_alerts`. The polls still bring those. */
guint                vigil_webhook_payload_get_truncated_alerts (VigilWebhookPayload *self);

/* char* -> char*, owned by the payload; empty values are dropped as in
 * VigilAlert. */
GHashTable          *vigil_webhook_payload_get_group_labels      (VigilWebhookPayload *self);
GHashTable          *vigil_webhook_payload_get_common_labels     (VigilWebhookPayload *self);
GHashTable          *vigil_webhook_payload_get_common_annotations (VigilWebhookPayload *self);

/* The alerts whose own `status` is "firing" (any word but "resolved"):
 * state ACTIVE, since Alertmanager never notifies for silenced or
 * inhibited alerts; no ends_at (Alertmanager sends Go's zero time). The
 * receiver is their only entry in `receivers`. Owned by the payload. */
GPtrArray           *vigil_webhook_payload_get_firing         (VigilWebhookPayload *self);
/* The alerts whose `status` is "resolved", with ends_at the time they
 * resolved: a tracker takes these off the list at once. Owned by the
 * payload. */
GPtrArray           *vigil_webhook_payload_get_resolved       (VigilWebhookPayload *self);

G_END_DECLS
