/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "vigil-alert.h"

G_BEGIN_DECLS

/* Desktop notifications through libnotify. */
#define VIGIL_TYPE_NOTIFIER (vigil_notifier_get_type ())
G_DECLARE_FINAL_TYPE (VigilNotifier, vigil_notifier, VIGIL, NOTIFIER, GObject)

VigilNotifier *vigil_notifier_new          (void);
/* Shows one notification for a newly firing alert. */
void           vigil_notifier_notify_alert (VigilNotifier *self,
                                            VigilAlert    *alert);

/* The notification's text. The summary is plain text (the spec renders
 * it literally); the body is markup-escaped since servers render markup. */
char          *vigil_notifier_dup_summary  (VigilAlert    *alert);
char          *vigil_notifier_dup_body     (VigilAlert    *alert);

G_END_DECLS
