/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

#include "vigil-alert.h"
#include "vigil-escalation-policy.h"

G_BEGIN_DECLS

/* What the lifecycle asks the desktop side to do. */
typedef enum {
  /* Show a notification for `alert` with `urgency`; `level` 2 is the
   * escalated one. */
  VIGIL_ALERT_ACTION_NOTIFY,
  /* A storm: one notification for `alerts` (`n_alerts` of them,
   * `n_critical` critical) instead of one each. */
  VIGIL_ALERT_ACTION_NOTIFY_SUMMARY,
  /* Play `sound` at `volume` (0 to 1) for `alert`. At most one per tick:
   * the loudest of what was due. */
  VIGIL_ALERT_ACTION_PLAY,
  /* Stop the sound: nothing it was played for is still unacknowledged. */
  VIGIL_ALERT_ACTION_STOP,
  /* `alert` went to escalation `level`. */
  VIGIL_ALERT_ACTION_ESCALATE,
  /* Run the escalation hook (command or webhook) for `alert`. */
  VIGIL_ALERT_ACTION_RUN_HOOK,
  /* `alert` alarms again: its acknowledgement timed out (`reason`
   * REARMED), its snooze ended, it was unacknowledged, or the silence
   * that muted it in Alertmanager ended. A NOTIFY follows. */
  VIGIL_ALERT_ACTION_REARM,
  /* `alert` stopped firing (for an optional resolved notification). */
  VIGIL_ALERT_ACTION_RESOLVED,
} VigilAlertActionKind;

/* Why a notification or re-arm happens. */
typedef enum {
  VIGIL_ALERT_REASON_FIRED,
  VIGIL_ALERT_REASON_REPEAT,
  VIGIL_ALERT_REASON_ESCALATED,
  VIGIL_ALERT_REASON_REARMED,
  VIGIL_ALERT_REASON_SNOOZE_ENDED,
  VIGIL_ALERT_REASON_UNACKNOWLEDGED,
  VIGIL_ALERT_REASON_SILENCE_ENDED,
  VIGIL_ALERT_REASON_QUIET_ENDED,
} VigilAlertReason;

#define VIGIL_TYPE_ALERT_ACTION_KIND (vigil_alert_action_kind_get_type ())
GType vigil_alert_action_kind_get_type (void);
#define VIGIL_TYPE_ALERT_REASON (vigil_alert_reason_get_type ())
GType vigil_alert_reason_get_type (void);

/* One action, read-only for whoever receives it. Reference counted. */
typedef struct _VigilAlertAction VigilAlertAction;

struct _VigilAlertAction
{
  VigilAlertActionKind  kind;
  VigilAlertReason      reason;
  /* NULL only for NOTIFY_SUMMARY and for a STOP of everything. */
  VigilAlert           *alert;
  const char           *fingerprint;  /* the alert's, or NULL with it */
  VigilUrgency          urgency;
  guint                 level;
  const char           *sound;        /* interned; NULL for silence */
  double                volume;
  /* The alert fired again soon after it resolved; its notification was
   * already shown, so a resolved notification may be skipped too. */
  gboolean              flapping;
  /* NOTIFY_SUMMARY: the alerts (VigilAlert) and their counts. */
  GPtrArray            *alerts;
  guint                 n_alerts;
  guint                 n_critical;

  /*< private >*/
  gatomicrefcount       ref_count;
};

#define VIGIL_TYPE_ALERT_ACTION (vigil_alert_action_get_type ())
GType             vigil_alert_action_get_type (void);

VigilAlertAction *vigil_alert_action_new      (VigilAlertActionKind  kind,
                                               VigilAlert           *alert);
VigilAlertAction *vigil_alert_action_ref      (VigilAlertAction     *self);
void              vigil_alert_action_unref    (VigilAlertAction     *self);

const char       *vigil_alert_action_kind_to_string (VigilAlertActionKind kind);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (VigilAlertAction, vigil_alert_action_unref)

G_END_DECLS
