/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

#include "vigil-alert.h"

G_BEGIN_DECLS

/* Notification urgency, with libnotify's values (NOTIFY_URGENCY_LOW,
 * _NORMAL, _CRITICAL), so the notifier can pass it through. */
typedef enum {
  VIGIL_URGENCY_LOW,
  VIGIL_URGENCY_NORMAL,
  VIGIL_URGENCY_CRITICAL,
} VigilUrgency;

/* Whether a missing heartbeat (Watchdog) raises the "you are blind" alarm:
 * never; only once the heartbeat has been seen (so a setup without one does
 * not alarm for ever); or always. */
typedef enum {
  VIGIL_HEARTBEAT_CHECK_OFF,
  VIGIL_HEARTBEAT_CHECK_AUTO,
  VIGIL_HEARTBEAT_CHECK_REQUIRED,
} VigilHeartbeatCheck;

#define VIGIL_TYPE_URGENCY (vigil_urgency_get_type ())
GType vigil_urgency_get_type (void);
#define VIGIL_TYPE_HEARTBEAT_CHECK (vigil_heartbeat_check_get_type ())
GType vigil_heartbeat_check_get_type (void);

/* What happens to a firing alert of one severity. Level 1 starts when it
 * fires: a notification with `urgency` (when `notify`), `sound` at
 * `volume`, then the sound again every `repeat_seconds`, each time
 * `volume_step` louder up to `max_volume`. Still unacknowledged after
 * `escalate_after_seconds`: level 2, a notification with critical urgency,
 * `escalated_sound` at `escalated_volume` (repeating on the same interval)
 * and the hook when `escalated_hook`. An acknowledgement lasts
 * `ack_timeout_seconds` while the alert still fires, then it re-arms.
 * Zero turns a step off. A low urgency never escalates, whatever the
 * numbers say. `in_quiet_hours` lets the alert through during quiet hours
 * and off shift; otherwise it waits for them to end.
 *
 * Sound names are interned strings naming a bundled sound ("alarm",
 * "alarm-urgent", "chime"); NULL is silence. The struct can be copied. */
typedef struct {
  gboolean      notify;
  VigilUrgency  urgency;
  const char   *sound;
  double        volume;
  guint         repeat_seconds;
  double        volume_step;
  double        max_volume;
  guint         escalate_after_seconds;
  const char   *escalated_sound;
  double        escalated_volume;
  gboolean      escalated_hook;
  guint         ack_timeout_seconds;
  gboolean      in_quiet_hours;
} VigilEscalationRule;

/* Whether the rule ever goes past its first notification and sound. */
gboolean vigil_escalation_rule_escalates (const VigilEscalationRule *rule);
/* The volume of the sound played at `step` (0 for the first) of `level`
 * (1 or 2), between 0 and 1. */
double   vigil_escalation_rule_volume_at (const VigilEscalationRule *rule,
                                          guint                      level,
                                          guint                      step);

/* The alarm policy: one rule per severity (alerts without a severity label
 * have their own, like warnings by default), quiet hours, and the numbers
 * the lifecycle works with: how many notifications at once make a storm,
 * how soon a refire counts as flapping, how long a source may be silent
 * before Vigil says it is blind. Stored as an a{sv} (GSettings). Emits
 * `changed` after any change. */
#define VIGIL_TYPE_ESCALATION_POLICY (vigil_escalation_policy_get_type ())
G_DECLARE_FINAL_TYPE (VigilEscalationPolicy, vigil_escalation_policy, VIGIL, ESCALATION_POLICY, GObject)

#define VIGIL_ESCALATION_POLICY_VERSION 1

/* A policy with the defaults: critical notifies and sounds at once,
 * repeats every 60 s louder each time, goes to level 2 after 5 min and
 * re-arms 30 min after an acknowledgement; warning chimes once; info
 * notifies with low urgency and no sound. */
VigilEscalationPolicy *vigil_escalation_policy_new                (void);
/* The defaults overridden by what `variant` (a{sv}, as from
 * vigil_escalation_policy_to_variant()) holds. Unknown keys, values of the
 * wrong type and unknown words are ignored, numbers are clamped to what
 * makes sense, so a hand-edited or older setting never fails to load. */
VigilEscalationPolicy *vigil_escalation_policy_new_from_variant   (GVariant               *variant);
/* Every setting as a{sv}, non-floating. */
GVariant              *vigil_escalation_policy_to_variant         (VigilEscalationPolicy  *self);

void                   vigil_escalation_policy_get_rule           (VigilEscalationPolicy  *self,
                                                                   VigilSeverity           severity,
                                                                   VigilEscalationRule    *rule);
/* Copies `rule` in, clamped as from a variant. */
void                   vigil_escalation_policy_set_rule           (VigilEscalationPolicy  *self,
                                                                   VigilSeverity           severity,
                                                                   const VigilEscalationRule *rule);

/* Quiet hours in local minutes after midnight; an end before the start
 * spans midnight (22:00 to 07:00 by default, off). */
gboolean               vigil_escalation_policy_get_quiet_hours    (VigilEscalationPolicy  *self,
                                                                   guint                  *start_minute,
                                                                   guint                  *end_minute);
void                   vigil_escalation_policy_set_quiet_hours    (VigilEscalationPolicy  *self,
                                                                   gboolean                enabled,
                                                                   guint                   start_minute,
                                                                   guint                   end_minute);
/* Whether `when` (in the zone the user lives in) falls in quiet hours. */
gboolean               vigil_escalation_policy_is_quiet_at        (VigilEscalationPolicy  *self,
                                                                   GDateTime              *when);

/* More notifications than this in one update give one summary instead. */
guint                  vigil_escalation_policy_get_storm_threshold (VigilEscalationPolicy *self);
void                   vigil_escalation_policy_set_storm_threshold (VigilEscalationPolicy *self,
                                                                    guint                  threshold);
/* An alert firing again this soon after it resolved is flapping. */
guint                  vigil_escalation_policy_get_flap_window    (VigilEscalationPolicy  *self);
void                   vigil_escalation_policy_set_flap_window    (VigilEscalationPolicy  *self,
                                                                   guint                   seconds);
/* A source failing, or the heartbeat missing, this long raises the
 * "you are blind" alarm. */
guint                  vigil_escalation_policy_get_blind_after    (VigilEscalationPolicy  *self);
void                   vigil_escalation_policy_set_blind_after    (VigilEscalationPolicy  *self,
                                                                   guint                   seconds);
VigilHeartbeatCheck    vigil_escalation_policy_get_heartbeat_check (VigilEscalationPolicy *self);
void                   vigil_escalation_policy_set_heartbeat_check (VigilEscalationPolicy *self,
                                                                    VigilHeartbeatCheck    check);

const char            *vigil_urgency_to_string                    (VigilUrgency            urgency);

G_END_DECLS
