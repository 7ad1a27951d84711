/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "vigil-alert.h"
#include "vigil-escalation-policy.h"

G_BEGIN_DECLS

/* Desktop notifications through libnotify. An alert's notification has
 * the actions `acknowledge`, `snooze` and `open` (and `open` as its
 * default action); a later one for the same alert replaces it. When the
 * user picks one, `action-invoked` (key, fingerprint) is emitted; the
 * fingerprint is NULL for the storm summary. */
#define VIGIL_TYPE_NOTIFIER (vigil_notifier_get_type ())
G_DECLARE_FINAL_TYPE (VigilNotifier, vigil_notifier, VIGIL, NOTIFIER, GObject)

VigilNotifier *vigil_notifier_new          (void);
/* Shows one notification for a newly firing alert, with the urgency its
 * severity suggests. */
void           vigil_notifier_notify_alert (VigilNotifier *self,
                                            VigilAlert    *alert);
/* Shows the notification for `alert` with `urgency`, replacing the one
 * shown for its fingerprint before. */
void           vigil_notifier_show_alert   (VigilNotifier *self,
                                            VigilAlert    *alert,
                                            VigilUrgency   urgency);
/* One notification for a storm, replacing the previous summary. */
void           vigil_notifier_show_summary (VigilNotifier *self,
                                            guint          n_alerts,
                                            guint          n_critical);
/* Closes the notification shown for `fingerprint`, if any. */
void           vigil_notifier_withdraw     (VigilNotifier *self,
                                            const char    *fingerprint);
/* The storm summary's text: “37 alerts firing, 5 critical”. */
char          *vigil_notifier_dup_storm_summary (guint n_alerts,
                                                 guint n_critical);

/* The notification's text. The summary is plain text (the spec renders
 * it literally); the body is markup-escaped since servers render markup. */
char          *vigil_notifier_dup_summary  (VigilAlert    *alert);
char          *vigil_notifier_dup_body     (VigilAlert    *alert);

G_END_DECLS
