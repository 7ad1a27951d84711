/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "vigil-alert.h"
#include "vigil-alert-action.h"
#include "vigil-clock.h"
#include "vigil-escalation-policy.h"

G_BEGIN_DECLS

/* Where an alert stands with the engineer. */
typedef enum {
  VIGIL_ALARM_STATE_NEW,           /* fired, nothing done yet (until the next tick) */
  VIGIL_ALARM_STATE_HELD,          /* kept back by quiet hours or off shift */
  VIGIL_ALARM_STATE_NOTIFIED,      /* notified; its policy asks for nothing more */
  VIGIL_ALARM_STATE_ESCALATING,    /* notified, sound repeating, level rising */
  VIGIL_ALARM_STATE_ACKNOWLEDGED,
  VIGIL_ALARM_STATE_SNOOZED,       /* quiet until a time, then alarms again */
  VIGIL_ALARM_STATE_SILENCED,      /* suppressed in Alertmanager (silence or inhibition) */
  VIGIL_ALARM_STATE_RESOLVED,      /* kept for the flap window, then forgotten */
} VigilAlarmState;

#define VIGIL_TYPE_ALARM_STATE (vigil_alarm_state_get_type ())
GType vigil_alarm_state_get_type (void);
const char *vigil_alarm_state_to_string (VigilAlarmState state);

#define VIGIL_LIFECYCLE_ERROR (vigil_lifecycle_error_quark ())
GQuark vigil_lifecycle_error_quark (void);

typedef enum {
  VIGIL_LIFECYCLE_ERROR_INVALID,        /* saved state that cannot be read */
  VIGIL_LIFECYCLE_ERROR_NEWER_VERSION,  /* saved by a newer Vigil */
} VigilLifecycleError;

/* The version written by vigil_alert_lifecycle_serialize(). */
#define VIGIL_ALERT_LIFECYCLE_STATE_VERSION 1
/* The alertname of the synthetic "you are blind" alarms. */
#define VIGIL_BLIND_ALERT_NAME "VigilBlind"

/* What happens to each alert after the tracker reported it: notification,
 * sound repeating louder, level 2 and its hook, acknowledgement and its
 * timeout, snooze, Alertmanager's silences, flapping, storms, quiet hours,
 * and the "you are blind" alarm when a source or the heartbeat goes
 * missing. Keyed by fingerprint. No I/O and no timers: facts come in by
 * calls, time from the clock, and vigil_alert_lifecycle_tick() does what
 * is due, emitting `action` (VigilAlertAction) for each thing the desktop
 * side must do, then `changed` once. The state saves to bytes and restores
 * from them, so a restart neither alarms again for what was acknowledged
 * nor forgets what was not.
 *
 * Feeding it: connect the tracker's alert-fired and alert-resolved to the
 * calls of the same name, call vigil_alert_lifecycle_sync() with the
 * tracker's list on its `changed`, report every poll with
 * vigil_alert_lifecycle_source_health() and every successful Alertmanager
 * poll's heartbeat, then call vigil_alert_lifecycle_tick(), and again at
 * vigil_alert_lifecycle_get_next_due(). */
#define VIGIL_TYPE_ALERT_LIFECYCLE (vigil_alert_lifecycle_get_type ())
G_DECLARE_FINAL_TYPE (VigilAlertLifecycle, vigil_alert_lifecycle, VIGIL, ALERT_LIFECYCLE, GObject)

VigilAlertLifecycle   *vigil_alert_lifecycle_new              (VigilClock            *clock,
                                                               VigilEscalationPolicy *policy);
VigilEscalationPolicy *vigil_alert_lifecycle_get_policy       (VigilAlertLifecycle   *self);
/* A new policy applies from each alert's next step on. */
void                   vigil_alert_lifecycle_set_policy       (VigilAlertLifecycle   *self,
                                                               VigilEscalationPolicy *policy);
/* The zone quiet hours are read in; the local one unless set. */
void                   vigil_alert_lifecycle_set_time_zone    (VigilAlertLifecycle   *self,
                                                               GTimeZone             *zone);
/* Off shift counts as quiet hours (TRUE until told otherwise). */
gboolean               vigil_alert_lifecycle_get_on_shift     (VigilAlertLifecycle   *self);
void                   vigil_alert_lifecycle_set_on_shift     (VigilAlertLifecycle   *self,
                                                               gboolean               on_shift);

/* Facts from the tracker. alert_fired: the alert became active (new,
 * again after resolving, or after a silence); alert_resolved: a
 * successful poll or a webhook said it no longer fires. sync: the
 * tracker's whole list (GListModel of VigilAlert), for what the two
 * signals do not say: an alert silenced or inhibited in Alertmanager, an
 * alert whose silence ended, and restored alerts that are still there. */
void                   vigil_alert_lifecycle_alert_fired      (VigilAlertLifecycle   *self,
                                                               VigilAlert            *alert);
void                   vigil_alert_lifecycle_alert_resolved   (VigilAlertLifecycle   *self,
                                                               VigilAlert            *alert);
void                   vigil_alert_lifecycle_sync             (VigilAlertLifecycle   *self,
                                                               GListModel            *alerts);

/* The configured sources by name. A source that never answers goes blind
 * after the policy's blind-after time; a source no longer named stops
 * being watched, and what was restored from it is forgotten. */
void                   vigil_alert_lifecycle_set_sources      (VigilAlertLifecycle   *self,
                                                               const char * const    *names);
/* The outcome of one poll of `name` (after the tracker got its alerts).
 * Failing for longer than blind-after raises the blind alarm for it; a
 * success clears it, and resolves the restored alerts of that source that
 * the tracker did not report. `last_success_us` is the wall-clock time of
 * its last good answer, 0 if none (it goes into the alarm's text). */
void                   vigil_alert_lifecycle_source_health    (VigilAlertLifecycle   *self,
                                                               const char            *name,
                                                               gboolean               ok,
                                                               gint64                 last_success_us);
/* Whether a successful Alertmanager poll reported the heartbeat
 * (vigil_alert_tracker_has_heartbeat()). */
void                   vigil_alert_lifecycle_heartbeat        (VigilAlertLifecycle   *self,
                                                               gboolean               present);

/* Does whatever is due now, emits the actions, then `changed` when
 * anything changed since the last tick. */
void                   vigil_alert_lifecycle_tick             (VigilAlertLifecycle   *self);
/* When the next tick has work (clock microseconds), 0 when nothing is
 * scheduled. At or before now when a tick is due at once. */
gint64                 vigil_alert_lifecycle_get_next_due     (VigilAlertLifecycle   *self);

/* The engineer's decisions. Each stops the sound when nothing it was
 * playing for still alarms (a `stop` action, emitted at once) and emits
 * `changed`. Return whether anything changed. */
gboolean               vigil_alert_lifecycle_acknowledge      (VigilAlertLifecycle   *self,
                                                               const char            *fingerprint);
/* Alarms again at the next tick (or goes back to silenced when
 * Alertmanager mutes it). Works on a snoozed alert too. */
gboolean               vigil_alert_lifecycle_unacknowledge    (VigilAlertLifecycle   *self,
                                                               const char            *fingerprint);
/* Quiet until `until_us` (clock microseconds, in the future), then alarms
 * from level 1 again. */
gboolean               vigil_alert_lifecycle_snooze           (VigilAlertLifecycle   *self,
                                                               const char            *fingerprint,
                                                               gint64                 until_us);
/* Every alert that alarms or waits to; returns how many. */
guint                  vigil_alert_lifecycle_acknowledge_all  (VigilAlertLifecycle   *self);
guint                  vigil_alert_lifecycle_snooze_all       (VigilAlertLifecycle   *self,
                                                               gint64                 until_us);

/* Per alert. An unknown fingerprint is RESOLVED, not acknowledged, level 0. */
gboolean               vigil_alert_lifecycle_contains         (VigilAlertLifecycle   *self,
                                                               const char            *fingerprint);
VigilAlarmState        vigil_alert_lifecycle_get_state        (VigilAlertLifecycle   *self,
                                                               const char            *fingerprint);
gboolean               vigil_alert_lifecycle_is_acknowledged  (VigilAlertLifecycle   *self,
                                                               const char            *fingerprint);
/* 0 before the first notification, 1 once notified, 2 once escalated;
 * kept through acknowledgement (the level it was acknowledged at). */
guint                  vigil_alert_lifecycle_get_escalation_level (VigilAlertLifecycle *self,
                                                                   const char          *fingerprint);
gboolean               vigil_alert_lifecycle_is_flapping      (VigilAlertLifecycle   *self,
                                                               const char            *fingerprint);
/* Restored from saved state and not reported by the tracker since. */
gboolean               vigil_alert_lifecycle_is_unconfirmed   (VigilAlertLifecycle   *self,
                                                               const char            *fingerprint);
/* The snooze's end, 0 when not snoozed. */
gint64                 vigil_alert_lifecycle_get_snoozed_until (VigilAlertLifecycle  *self,
                                                                const char           *fingerprint);
/* The alert as last reported (or as restored, or the synthetic blind
 * alert); NULL when unknown. */
VigilAlert            *vigil_alert_lifecycle_get_alert        (VigilAlertLifecycle   *self,
                                                               const char            *fingerprint);
/* Fingerprints of every alert it knows, resolved ones within the flap
 * window included, sorted. */
GStrv                  vigil_alert_lifecycle_dup_fingerprints (VigilAlertLifecycle   *self);
/* Alerts of at least `min_severity` that alarm, wait to (held), or are
 * snoozed: what "End shift" asks about. */
guint                  vigil_alert_lifecycle_count_unacknowledged (VigilAlertLifecycle *self,
                                                                   VigilSeverity        min_severity);
/* Whether something critical alarms and nobody acknowledged or snoozed
 * it: the tray's NeedsAttention. */
gboolean               vigil_alert_lifecycle_needs_attention  (VigilAlertLifecycle   *self);
/* The synthetic critical "you are blind" alerts (VigilAlert) that are
 * raised now, acknowledged or not, for the window to show above the rest. */
GListModel            *vigil_alert_lifecycle_get_blind_alerts (VigilAlertLifecycle   *self);

/* Every known alert's state as bytes for the application to write to a
 * file: UTF-8 text, a version line, then a line per alert with its
 * labels and annotations on the lines after it. */
GBytes                *vigil_alert_lifecycle_serialize        (VigilAlertLifecycle   *self);
/* Replaces the state with what `bytes` holds. Restored alerts keep their
 * state, level and due times and are "unconfirmed" until the tracker
 * reports them; they resolve only when a successful poll of their source
 * leaves them out. Call before feeding anything else. */
gboolean               vigil_alert_lifecycle_restore          (VigilAlertLifecycle   *self,
                                                               GBytes                *bytes,
                                                               GError               **error);

G_END_DECLS
