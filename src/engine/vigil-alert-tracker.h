/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "vigil-alert.h"
#include "vigil-clock.h"

G_BEGIN_DECLS

/* Merges the alerts of every source by fingerprint and decides what is new
 * and what is resolved. It is fed only successful polls: an alert is
 * resolved when a source that listed it answers without it, never because a
 * poll failed or endsAt passed. No I/O and no timers. */
#define VIGIL_TYPE_ALERT_TRACKER (vigil_alert_tracker_get_type ())
G_DECLARE_FINAL_TYPE (VigilAlertTracker, vigil_alert_tracker, VIGIL, ALERT_TRACKER, GObject)

VigilAlertTracker *vigil_alert_tracker_new                 (VigilClock         *clock);
/* Alert names treated as heartbeats: never listed, never notified.
 * Default: Watchdog, DeadMansSwitch. */
void               vigil_alert_tracker_set_heartbeat_names (VigilAlertTracker  *self,
                                                            const char * const *names);
/* The alerts from one source's successful poll. Alertmanager sources are
 * authoritative: while any is known (`authoritative` TRUE), alerts that
 * only a Prometheus source reports count only when pending. */
void               vigil_alert_tracker_update_source       (VigilAlertTracker  *self,
                                                            const char         *source_name,
                                                            gboolean            authoritative,
                                                            GPtrArray          *alerts);
/* How long a push outranks the polls that disagree with it: a poll that
 * was already on its way when the webhook arrived can be older than the
 * push. Well over the time one HTTP attempt may take (20 s), which bounds
 * how old a poll's answer is when it arrives. */
#define VIGIL_ALERT_TRACKER_PUSH_GRACE_SECONDS 60

/* Alerts pushed by an Alertmanager webhook, applied at once. Firing alerts
 * are added or updated (alert-fired at once for a new active one); the
 * resolved ones leave the list at once, whichever sources listed them.
 * Polls stay the truth: a pushed firing alert lasts until a successful
 * Alertmanager poll lists it (then that poll carries it) or until a poll of
 * `source_name` that comes more than the grace after the push does not;
 * what a push resolved is not listed again by a poll within the grace (it
 * may predate the push), only by a later one or a new firing push. With a
 * `source_name` no poll uses, what no poll lists stays until it is pushed
 * resolved or the source is removed. Either array may be NULL; the firing
 * alerts are kept by reference and get `source_name` as their source. */
void               vigil_alert_tracker_push                (VigilAlertTracker  *self,
                                                            const char         *source_name,
                                                            GPtrArray          *firing,
                                                            GPtrArray          *resolved);
/* Whether an Alertmanager is configured. Until it first answers, a
 * Prometheus source's firing alerts must not notify either: Alertmanager
 * may have silenced them. */
void               vigil_alert_tracker_set_expect_alertmanager (VigilAlertTracker *self,
                                                                gboolean           expect);
/* Forget a source that was removed from the configuration (a push source
 * too: what it pushed is forgotten). */
void               vigil_alert_tracker_remove_source       (VigilAlertTracker  *self,
                                                            const char         *source_name);
/* The current alerts (VigilAlert), heartbeats excluded, one per
 * fingerprint. Unsorted: views sort with vigil_alert_compare(). */
GListModel        *vigil_alert_tracker_get_alerts          (VigilAlertTracker  *self);
/* Whether a heartbeat alert is currently reported by any source. */
gboolean           vigil_alert_tracker_has_heartbeat       (VigilAlertTracker  *self);
guint              vigil_alert_tracker_count_active        (VigilAlertTracker  *self,
                                                            VigilSeverity       min_severity);

/* Sort order of the alert list: suppressed after active, then severity
 * (critical first), then age (oldest first), then name. */
int                vigil_alert_compare                     (VigilAlert         *a,
                                                            VigilAlert         *b);

G_END_DECLS
