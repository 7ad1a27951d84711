/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "vigil-alert-lifecycle.h"
#include "vigil-alert-tracker.h"
#include "vigil-poller.h"
#include "vigil-webhook-receiver.h"

G_BEGIN_DECLS

#define VIGIL_TYPE_APPLICATION (vigil_application_get_type ())
G_DECLARE_FINAL_TYPE (VigilApplication, vigil_application, VIGIL, APPLICATION, AdwApplication)

VigilApplication  *vigil_application_new         (void);
VigilPoller       *vigil_application_get_poller  (VigilApplication *self);
VigilAlertTracker *vigil_application_get_tracker (VigilApplication *self);
GSettings         *vigil_application_get_settings (VigilApplication *self);
/* What happens to each alert: notified, acknowledged, escalation level. */
VigilAlertLifecycle *vigil_application_get_lifecycle (VigilApplication *self);
/* Acknowledges the alert (or, with `acknowledge` FALSE, takes the
 * acknowledgement back) and does what follows at once. Returns whether
 * anything changed. The actions app.acknowledge and app.unacknowledge
 * (s: fingerprint) call it. */
gboolean           vigil_application_acknowledge (VigilApplication *self,
                                                  const char       *fingerprint,
                                                  gboolean          acknowledge);
/* Replaces the configured sources with these URLs and saves them, as the
 * first-run page does. Either may be NULL or empty; the Alertmanager URL
 * may list the members of one cluster, separated by commas. */
gboolean           vigil_application_configure   (VigilApplication *self,
                                                  const char       *alertmanager_url,
                                                  const char       *prometheus_url,
                                                  GError          **error);
/* Reads the configured sources again, and their secrets from the keyring;
 * Preferences calls it after saving a password that no setting mentions. */
void               vigil_application_reload_sources (VigilApplication *self);
/* The first Prometheus source, for graphs; NULL when there is none. */
VigilSource       *vigil_application_get_prometheus (VigilApplication *self);

/* The keyring entry (a vigil-secrets source id) that holds the token
 * Alertmanager's webhook must send. */
#define VIGIL_APPLICATION_WEBHOOK_SECRET_ID "webhook"

/* The receiver of Alertmanager's pushes; it listens while the setting
 * webhook-enabled is on. Its url and last-error properties say how it is. */
VigilWebhookReceiver *vigil_application_get_webhook_receiver (VigilApplication *self);
/* Why the webhook does not listen although it is turned on, as a plain
 * sentence (port taken, bad address, keyring unusable); NULL while it
 * listens, starts, or is off. Property "webhook-error", notified. */
const char        *vigil_application_get_webhook_error (VigilApplication *self);
/* Stores `token` as the webhook's token in the keyring and, once it is
 * there, has the receiver take it at once (and start, when it is turned
 * on and was not listening): no restart needed. On failure the receiver
 * keeps the token it had. */
void               vigil_application_set_webhook_token_async  (VigilApplication    *self,
                                                               const char          *token,
                                                               GCancellable        *cancellable,
                                                               GAsyncReadyCallback  callback,
                                                               gpointer             user_data);
gboolean           vigil_application_set_webhook_token_finish (VigilApplication    *self,
                                                               GAsyncResult        *result,
                                                               GError             **error);
/* Reads the webhook's token from the keyring again and applies it, for a
 * token changed outside Vigil (secret-tool). Preferences calls it when it
 * opens. Does nothing while the webhook is off. */
void               vigil_application_reload_webhook_token (VigilApplication *self);

G_END_DECLS
