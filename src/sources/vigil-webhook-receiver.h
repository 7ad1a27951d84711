/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define VIGIL_WEBHOOK_ERROR (vigil_webhook_error_quark ())
GQuark vigil_webhook_error_quark (void);

typedef enum {
  VIGIL_WEBHOOK_ERROR_NO_TOKEN,     /* start() without a token */
  VIGIL_WEBHOOK_ERROR_BAD_ADDRESS,  /* the bind address is not an IP address */
  VIGIL_WEBHOOK_ERROR_LISTEN,       /* the port is taken, or not ours to take */
} VigilWebhookError;

/* The default bind address: only this machine (and an SSH reverse tunnel)
 * can reach the receiver. */
#define VIGIL_WEBHOOK_DEFAULT_ADDRESS "127.0.0.1"
/* The one path that takes notifications. */
#define VIGIL_WEBHOOK_PATH "/api/webhook/alertmanager"
/* Larger bodies are refused with 413: a group of 1,000 alerts with a
 * typical rule's labels is about 440 KB; Alertmanager's `max_alerts`
 * keeps bigger groups below it (the polls bring the rest). */
#define VIGIL_WEBHOOK_DEFAULT_MAX_BODY_SIZE (1024 * 1024)

/* Receives Alertmanager's webhook notifications (`webhook_configs`,
 * payload version 4) on an HTTP server of its own, so that a new alert
 * reaches Vigil at once instead of at the next poll.
 *
 * Only POST on VIGIL_WEBHOOK_PATH, and only with `Authorization: Bearer
 * <token>` (compared in constant time), whatever the bind address. Refused
 * requests get a short reason and never an echo of what was sent: 401
 * (token), 404 (path), 405 (method), 411 (no Content-Length), 413 (body
 * over max-body-size), 400 (not JSON, nested too deep, not a version 4
 * notification). The body is parsed in a worker thread while the request
 * waits, so Alertmanager hears 200 only for a notification Vigil could
 * read; then VigilWebhookReceiver::alerts-received is emitted on the
 * main context. The main loop never waits.
 *
 * Properties: address (bind address, default 127.0.0.1), port (0 picks a
 * free one), max-body-size, and, read-only, listening, url (where it
 * listens, with the path, NULL when stopped) and last-error (a plain
 * sentence about the last refused request, NULL after one was taken).
 * address and port take effect at the next start. */
#define VIGIL_TYPE_WEBHOOK_RECEIVER (vigil_webhook_receiver_get_type ())
G_DECLARE_FINAL_TYPE (VigilWebhookReceiver, vigil_webhook_receiver, VIGIL, WEBHOOK_RECEIVER, GObject)

VigilWebhookReceiver *vigil_webhook_receiver_new               (void);

const char           *vigil_webhook_receiver_get_address       (VigilWebhookReceiver  *self);
void                  vigil_webhook_receiver_set_address       (VigilWebhookReceiver  *self,
                                                                const char            *address);
guint                 vigil_webhook_receiver_get_port          (VigilWebhookReceiver  *self);
void                  vigil_webhook_receiver_set_port          (VigilWebhookReceiver  *self,
                                                                guint                  port);
gsize                 vigil_webhook_receiver_get_max_body_size (VigilWebhookReceiver  *self);
void                  vigil_webhook_receiver_set_max_body_size (VigilWebhookReceiver  *self,
                                                                gsize                  size);
/* The shared secret Alertmanager sends as a bearer token (from the
 * keyring). Not a property, so it never shows up in a property dump. NULL
 * or "" refuses every request; it takes effect at once. */
void                  vigil_webhook_receiver_set_token         (VigilWebhookReceiver  *self,
                                                                const char            *token);

/* Binds and listens; fails with a VIGIL_WEBHOOK_ERROR in plain words
 * ("Port 9099 on 127.0.0.1 is already in use."). Restarts when already
 * listening. */
gboolean              vigil_webhook_receiver_start             (VigilWebhookReceiver  *self,
                                                                GError               **error);
/* Closes the port. Notifications still being parsed are dropped, and
 * nothing is emitted for them. */
void                  vigil_webhook_receiver_stop              (VigilWebhookReceiver  *self);
gboolean              vigil_webhook_receiver_get_listening     (VigilWebhookReceiver  *self);
/* e.g. "http://127.0.0.1:9099/api/webhook/alertmanager"; NULL when stopped. */
const char           *vigil_webhook_receiver_get_url           (VigilWebhookReceiver  *self);
const char           *vigil_webhook_receiver_get_last_error    (VigilWebhookReceiver  *self);

/* A new random token (256 bits from the kernel, hex), for the preferences
 * to offer. NULL only if the kernel has no randomness to give. */
char                 *vigil_webhook_receiver_generate_token    (void);

G_END_DECLS
