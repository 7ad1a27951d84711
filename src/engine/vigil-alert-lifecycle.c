/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "vigil-alert-lifecycle"

#include "config.h"

#include <glib/gi18n.h>
#include <stdlib.h>
#include <string.h>

#include "vigil-alert-lifecycle.h"

#define BLIND_HEARTBEAT_FINGERPRINT "vigil-blind:heartbeat"
#define BLIND_SOURCE_PREFIX         "vigil-blind:source:"

/* One alert as the engineer lives it. */
typedef struct {
  char             *fingerprint;
  VigilAlert       *alert;
  VigilAlarmState   state;
  /* What it was doing when it resolved: a refire within the flap window
   * picks up from there instead of alarming anew. */
  VigilAlarmState   state_before_resolve;
  /* Why a NEW entry alarms: first firing or one of the re-arms. */
  VigilAlertReason  reason;
  guint             level;          /* 0 until notified, then 1 or 2 */
  guint             step;           /* sounds so far at this level, from 0 */
  gint64            armed_at;       /* clock µs when level 1 began */
  gint64            level2_at;      /* clock µs when level 2 began, 0 before */
  /* The next escalation step, the end of the acknowledgement or the end
   * of the snooze, by state; 0 when nothing is scheduled. */
  gint64            next_due;
  gint64            resolved_at;
  gboolean          suppressed;
  gboolean          flapping;
  gboolean          unconfirmed;
  gboolean          synthetic;
  gboolean          forget;
} Entry;

/* What the lifecycle knows about one source's polls. */
typedef struct {
  gint64    last_success;           /* wall clock µs, as reported, 0 if none */
  gint64    last_report;            /* clock µs of the last report */
  gint64    failing_since;          /* clock µs, 0 while it answers */
} SourceRecord;

/* A notification or a sound one tick decided on. */
typedef struct {
  Entry            *entry;
  VigilUrgency      urgency;
  VigilAlertReason  reason;
  const char       *sound;
  double            volume;
} Pending;

/* What one tick produces, emitted in this order after the work. A storm
 * of 10,000 alerts makes one summary and one sound, so notifications and
 * sounds stay plain records until it is known which actions they make. */
typedef struct {
  GPtrArray *early;                 /* REARM, ESCALATE actions */
  GArray    *notify;                /* Pending */
  GPtrArray *hooks;                 /* RUN_HOOK actions */
  GArray    *plays;                 /* Pending; the most urgent is played */
} Batch;

struct _VigilAlertLifecycle
{
  GObject                parent_instance;

  VigilClock            *clock;
  VigilEscalationPolicy *policy;
  GTimeZone             *zone;
  gboolean               on_shift;

  GHashTable            *entries;   /* fingerprint -> Entry (owned) */
  GPtrArray             *order;     /* Entry, in the order first seen */
  GPtrArray             *queued;    /* VigilAlertAction made between ticks */
  /* The alerts the last sound was played for: the sound stops when none
   * of them alarms any more. */
  GHashTable            *sounding;

  GHashTable            *sources;   /* name -> SourceRecord */
  gboolean               sources_set;
  gboolean               heartbeat_seen;
  gint64                 heartbeat_missing_since;
  GListStore            *blind_alerts;

  gint64                 last_tick;
  gboolean               dirty;
};

static void purge (VigilAlertLifecycle *self);

G_DEFINE_FINAL_TYPE (VigilAlertLifecycle, vigil_alert_lifecycle, G_TYPE_OBJECT)

G_DEFINE_ENUM_TYPE (VigilAlarmState, vigil_alarm_state,
  G_DEFINE_ENUM_VALUE (VIGIL_ALARM_STATE_NEW, "new"),
  G_DEFINE_ENUM_VALUE (VIGIL_ALARM_STATE_HELD, "held"),
  G_DEFINE_ENUM_VALUE (VIGIL_ALARM_STATE_NOTIFIED, "notified"),
  G_DEFINE_ENUM_VALUE (VIGIL_ALARM_STATE_ESCALATING, "escalating"),
  G_DEFINE_ENUM_VALUE (VIGIL_ALARM_STATE_ACKNOWLEDGED, "acknowledged"),
  G_DEFINE_ENUM_VALUE (VIGIL_ALARM_STATE_SNOOZED, "snoozed"),
  G_DEFINE_ENUM_VALUE (VIGIL_ALARM_STATE_SILENCED, "silenced"),
  G_DEFINE_ENUM_VALUE (VIGIL_ALARM_STATE_RESOLVED, "resolved"))

G_DEFINE_QUARK (vigil-lifecycle-error-quark, vigil_lifecycle_error)

enum {
  PROP_0,
  PROP_POLICY,
  PROP_ON_SHIFT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  ACTION,
  CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
entry_free (Entry *entry)
{
  g_free (entry->fingerprint);
  g_clear_object (&entry->alert);
  g_free (entry);
}

static gint64
now_us (VigilAlertLifecycle *self)
{
  return vigil_clock_get_now (self->clock);
}

static gint64
blind_after_us (VigilAlertLifecycle *self)
{
  return (gint64) vigil_escalation_policy_get_blind_after (self->policy) * G_USEC_PER_SEC;
}

static void
entry_rule (VigilAlertLifecycle *self,
            Entry               *entry,
            VigilEscalationRule *rule)
{
  vigil_escalation_policy_get_rule (self->policy, vigil_alert_get_severity (entry->alert), rule);
}

static gboolean
rule_escalates (const VigilEscalationRule *rule)
{
  return vigil_escalation_rule_escalates (rule);
}

/* States in which the alert still asks for the engineer. */
static gboolean
is_alarming (VigilAlarmState state)
{
  return state == VIGIL_ALARM_STATE_NEW
         || state == VIGIL_ALARM_STATE_HELD
         || state == VIGIL_ALARM_STATE_NOTIFIED
         || state == VIGIL_ALARM_STATE_ESCALATING;
}

static gboolean
is_quiet (VigilAlertLifecycle *self,
          gint64               now)
{
  g_autoptr(GDateTime) utc = NULL;
  g_autoptr(GDateTime) local = NULL;

  if (!self->on_shift)
    return TRUE;

  utc = g_date_time_new_from_unix_utc (now / G_USEC_PER_SEC);
  if (utc == NULL)
    return FALSE;
  local = g_date_time_to_timezone (utc, self->zone);

  return vigil_escalation_policy_is_quiet_at (self->policy, local);
}

static void
emit_action (VigilAlertLifecycle *self,
             VigilAlertAction    *action)
{
  g_signal_emit (self, signals[ACTION], 0, action);
}

static void
flush_changed (VigilAlertLifecycle *self)
{
  if (!self->dirty)
    return;

  self->dirty = FALSE;
  g_signal_emit (self, signals[CHANGED], 0);
}

/* The entry no longer alarms: if the sound was only for alerts that no
 * longer alarm, it stops now rather than at the next tick. */
static void
release_sound (VigilAlertLifecycle *self,
               Entry               *entry)
{
  g_autoptr(VigilAlertAction) stop = NULL;

  if (!g_hash_table_remove (self->sounding, entry->fingerprint)
      || g_hash_table_size (self->sounding) > 0)
    return;

  stop = vigil_alert_action_new (VIGIL_ALERT_ACTION_STOP, NULL);
  emit_action (self, stop);
}

static Entry *
entry_add (VigilAlertLifecycle *self,
           const char          *fingerprint,
           VigilAlert          *alert)
{
  Entry *entry = g_new0 (Entry, 1);

  entry->fingerprint = g_strdup (fingerprint);
  entry->alert = g_object_ref (alert);
  entry->state = VIGIL_ALARM_STATE_NEW;
  entry->reason = VIGIL_ALERT_REASON_FIRED;
  g_hash_table_insert (self->entries, entry->fingerprint, entry);
  g_ptr_array_add (self->order, entry);
  self->dirty = TRUE;

  return entry;
}

/* The tracker reported it: from now on its object is the one shown. */
static void
entry_confirm (Entry      *entry,
               VigilAlert *alert)
{
  if (entry->alert != alert)
    g_set_object (&entry->alert, alert);
  entry->unconfirmed = FALSE;
}

static void
entry_start_over (Entry *entry)
{
  entry->state = VIGIL_ALARM_STATE_NEW;
  entry->reason = VIGIL_ALERT_REASON_FIRED;
  entry->level = 0;
  entry->step = 0;
  entry->armed_at = 0;
  entry->level2_at = 0;
  entry->next_due = 0;
  entry->resolved_at = 0;
  entry->flapping = FALSE;
}

/* Makes a NEW entry alarm at the next tick for `reason`. */
static void
entry_rearm (Entry            *entry,
             VigilAlertReason  reason)
{
  entry->state = VIGIL_ALARM_STATE_NEW;
  entry->reason = reason;
  entry->next_due = 0;
}

static void
fire (VigilAlertLifecycle *self,
      VigilAlert          *alert)
{
  const char *fingerprint = vigil_alert_get_fingerprint (alert);
  Entry *entry = g_hash_table_lookup (self->entries, fingerprint);
  gint64 now = now_us (self);
  gint64 flap_window;

  if (entry == NULL)
    {
      entry_add (self, fingerprint, alert);
      return;
    }

  entry_confirm (entry, alert);
  entry->suppressed = FALSE;
  self->dirty = TRUE;

  switch (entry->state)
    {
    case VIGIL_ALARM_STATE_RESOLVED:
      flap_window = (gint64) vigil_escalation_policy_get_flap_window (self->policy) * G_USEC_PER_SEC;
      if (now - entry->resolved_at < flap_window)
        {
          /* Flapping: one notification for the whole episode, so the
           * alert goes on where it was (acknowledged stays acknowledged,
           * an escalation keeps its schedule). */
          entry->flapping = TRUE;
          entry->state = entry->state_before_resolve;
          if (entry->state == VIGIL_ALARM_STATE_SILENCED)
            entry_rearm (entry, entry->level > 0 ? VIGIL_ALERT_REASON_SILENCE_ENDED
                                                 : VIGIL_ALERT_REASON_FIRED);
        }
      else
        entry_start_over (entry);
      break;

    case VIGIL_ALARM_STATE_SILENCED:
      entry_rearm (entry, entry->level > 0 ? VIGIL_ALERT_REASON_SILENCE_ENDED
                                           : VIGIL_ALERT_REASON_FIRED);
      break;

    case VIGIL_ALARM_STATE_NEW:
    case VIGIL_ALARM_STATE_HELD:
    case VIGIL_ALARM_STATE_NOTIFIED:
    case VIGIL_ALARM_STATE_ESCALATING:
    case VIGIL_ALARM_STATE_ACKNOWLEDGED:
    case VIGIL_ALARM_STATE_SNOOZED:
    default:
      /* Already known and firing (or restored): nothing new to say. */
      break;
    }
}

/* Alertmanager mutes it (silence or inhibition). Only active alerts
 * notify, so it stops alarming; a local acknowledgement stays. */
static void
suppress (VigilAlertLifecycle *self,
          Entry               *entry)
{
  entry->suppressed = TRUE;

  switch (entry->state)
    {
    case VIGIL_ALARM_STATE_NEW:
    case VIGIL_ALARM_STATE_HELD:
    case VIGIL_ALARM_STATE_NOTIFIED:
    case VIGIL_ALARM_STATE_ESCALATING:
    case VIGIL_ALARM_STATE_SNOOZED:
    case VIGIL_ALARM_STATE_RESOLVED:
      entry->state = VIGIL_ALARM_STATE_SILENCED;
      entry->next_due = 0;
      self->dirty = TRUE;
      release_sound (self, entry);
      break;

    case VIGIL_ALARM_STATE_ACKNOWLEDGED:
    case VIGIL_ALARM_STATE_SILENCED:
    default:
      break;
    }
}

static void
resolve (VigilAlertLifecycle *self,
         Entry               *entry)
{
  guint position;

  if (entry->state == VIGIL_ALARM_STATE_RESOLVED)
    return;

  /* Only what the engineer was told about gets a resolved action. */
  if (entry->level > 0)
    {
      VigilAlertAction *action = vigil_alert_action_new (VIGIL_ALERT_ACTION_RESOLVED, entry->alert);

      action->level = entry->level;
      action->flapping = entry->flapping;
      g_ptr_array_add (self->queued, action);
    }

  entry->state_before_resolve = entry->state;
  entry->state = VIGIL_ALARM_STATE_RESOLVED;
  entry->resolved_at = now_us (self);
  entry->unconfirmed = FALSE;
  self->dirty = TRUE;

  if (entry->synthetic
      && g_list_store_find (self->blind_alerts, entry->alert, &position))
    g_list_store_remove (self->blind_alerts, position);

  release_sound (self, entry);
}

/* What was restored from a source that is not configured (renamed or
 * removed while Vigil was not running) can never be confirmed nor
 * resolved by a poll: it is forgotten, without a resolved notification,
 * since nobody saw it resolve. */
static void
forget_unwatched (VigilAlertLifecycle *self)
{
  guint forgotten = 0;

  for (guint i = 0; i < self->order->len; i++)
    {
      Entry *entry = g_ptr_array_index (self->order, i);
      const char *source = vigil_alert_get_source (entry->alert);

      if (entry->unconfirmed && !entry->synthetic
          && (source == NULL || !g_hash_table_contains (self->sources, source)))
        {
          release_sound (self, entry);
          entry->forget = TRUE;
          forgotten++;
        }
    }

  if (forgotten > 0)
    purge (self);
}

/* Restored alerts of `source` that the tracker did not report after a
 * successful poll of it no longer fire. */
static void
resolve_unconfirmed_of (VigilAlertLifecycle *self,
                        const char          *source)
{
  for (guint i = 0; i < self->order->len; i++)
    {
      Entry *entry = g_ptr_array_index (self->order, i);

      if (entry->unconfirmed && !entry->synthetic
          && g_strcmp0 (vigil_alert_get_source (entry->alert), source) == 0)
        resolve (self, entry);
    }
}

static gint64
schedule_next (Entry                     *entry,
               const VigilEscalationRule *rule)
{
  gint64 repeat = (gint64) rule->repeat_seconds * G_USEC_PER_SEC;
  gint64 escalate = (gint64) rule->escalate_after_seconds * G_USEC_PER_SEC;
  gint64 due = 0;

  if (!rule_escalates (rule))
    return 0;

  if (entry->level < 2)
    {
      if (repeat > 0)
        due = entry->armed_at + (entry->step + 1) * repeat;
      if (escalate > 0)
        due = due > 0 ? MIN (due, entry->armed_at + escalate) : entry->armed_at + escalate;
      return due;
    }

  return repeat > 0 ? entry->level2_at + (entry->step + 1) * repeat : 0;
}

static void
add_play (Batch            *batch,
          Entry            *entry,
          const char       *sound,
          double            volume,
          VigilAlertReason  reason)
{
  Pending play = { entry, VIGIL_URGENCY_NORMAL, reason, sound, volume };

  g_array_append_val (batch->plays, play);
}

static void
add_notify (Batch            *batch,
            Entry            *entry,
            VigilUrgency      urgency,
            VigilAlertReason  reason)
{
  Pending notify = { entry, urgency, reason, NULL, 0.0 };

  g_array_append_val (batch->notify, notify);
}

static gboolean
is_rearm_reason (VigilAlertReason reason)
{
  return reason == VIGIL_ALERT_REASON_REARMED
         || reason == VIGIL_ALERT_REASON_SNOOZE_ENDED
         || reason == VIGIL_ALERT_REASON_UNACKNOWLEDGED
         || reason == VIGIL_ALERT_REASON_SILENCE_ENDED;
}

/* Level 1 from now: notification and first sound. */
static void
arm (VigilAlertLifecycle *self,
     Entry               *entry,
     VigilAlertReason     reason,
     Batch               *batch,
     gint64               now)
{
  VigilEscalationRule rule;

  entry_rule (self, entry, &rule);

  if (is_rearm_reason (reason))
    {
      VigilAlertAction *rearm = vigil_alert_action_new (VIGIL_ALERT_ACTION_REARM, entry->alert);

      rearm->reason = reason;
      g_ptr_array_add (batch->early, rearm);
    }

  entry->level = 1;
  entry->step = 0;
  entry->armed_at = now;
  entry->level2_at = 0;

  if (rule.notify)
    add_notify (batch, entry, rule.urgency, reason);
  if (rule.sound != NULL)
    add_play (batch, entry, rule.sound, vigil_escalation_rule_volume_at (&rule, 1, 0), reason);

  entry->state = rule_escalates (&rule) ? VIGIL_ALARM_STATE_ESCALATING : VIGIL_ALARM_STATE_NOTIFIED;
  entry->next_due = schedule_next (entry, &rule);
  self->dirty = TRUE;
}

/* Whole intervals from `base` to `now`; 0 when the clock is before
 * `base` (it was set back, or saved state came from a later time). */
static guint
steps_since (gint64 base,
             gint64 repeat,
             gint64 now)
{
  if (repeat <= 0 || now <= base)
    return 0;

  return (guint) MIN ((now - base) / repeat, (gint64) G_MAXUINT - 1);
}

/* The next step of an escalation. When ticks came late (a stalled loop,
 * a restart), only the step for now is taken: one sound, at the volume
 * its time calls for, never a burst of the missed ones. */
static void
advance (VigilAlertLifecycle *self,
         Entry               *entry,
         Batch               *batch,
         gint64               now)
{
  VigilEscalationRule rule;
  gint64 repeat, escalate;

  entry_rule (self, entry, &rule);
  self->dirty = TRUE;

  if (!rule_escalates (&rule))
    {
      /* The policy changed since it was armed. */
      entry->state = VIGIL_ALARM_STATE_NOTIFIED;
      entry->next_due = 0;
      return;
    }

  repeat = (gint64) rule.repeat_seconds * G_USEC_PER_SEC;
  escalate = (gint64) rule.escalate_after_seconds * G_USEC_PER_SEC;

  if (entry->level < 2 && escalate > 0 && now >= entry->armed_at + escalate)
    {
      VigilAlertAction *action;

      entry->level = 2;
      entry->level2_at = entry->armed_at + escalate;
      entry->step = steps_since (entry->level2_at, repeat, now);

      action = vigil_alert_action_new (VIGIL_ALERT_ACTION_ESCALATE, entry->alert);
      action->level = 2;
      action->urgency = VIGIL_URGENCY_CRITICAL;
      action->reason = VIGIL_ALERT_REASON_ESCALATED;
      g_ptr_array_add (batch->early, action);

      if (rule.notify)
        add_notify (batch, entry, VIGIL_URGENCY_CRITICAL, VIGIL_ALERT_REASON_ESCALATED);

      if (rule.escalated_hook)
        {
          action = vigil_alert_action_new (VIGIL_ALERT_ACTION_RUN_HOOK, entry->alert);
          action->level = 2;
          action->urgency = VIGIL_URGENCY_CRITICAL;
          action->reason = VIGIL_ALERT_REASON_ESCALATED;
          g_ptr_array_add (batch->hooks, action);
        }

      if (rule.escalated_sound != NULL)
        add_play (batch, entry, rule.escalated_sound,
                  vigil_escalation_rule_volume_at (&rule, 2, entry->step),
                  VIGIL_ALERT_REASON_ESCALATED);
    }
  else if (repeat > 0)
    {
      gint64 base = entry->level < 2 ? entry->armed_at : entry->level2_at;
      const char *sound = entry->level < 2 ? rule.sound : rule.escalated_sound;

      entry->step = steps_since (base, repeat, now);
      if (sound != NULL)
        add_play (batch, entry, sound,
                  vigil_escalation_rule_volume_at (&rule, entry->level, entry->step),
                  VIGIL_ALERT_REASON_REPEAT);
    }

  entry->next_due = schedule_next (entry, &rule);
}

static void
batch_init (Batch *batch)
{
  batch->early = g_ptr_array_new_with_free_func ((GDestroyNotify) vigil_alert_action_unref);
  batch->notify = g_array_new (FALSE, FALSE, sizeof (Pending));
  batch->hooks = g_ptr_array_new_with_free_func ((GDestroyNotify) vigil_alert_action_unref);
  batch->plays = g_array_new (FALSE, FALSE, sizeof (Pending));
}

static void
batch_clear (Batch *batch)
{
  g_clear_pointer (&batch->early, g_ptr_array_unref);
  g_clear_pointer (&batch->notify, g_array_unref);
  g_clear_pointer (&batch->hooks, g_ptr_array_unref);
  g_clear_pointer (&batch->plays, g_array_unref);
}

static VigilAlertAction *
pending_action (VigilAlertActionKind  kind,
                const Pending        *pending)
{
  VigilAlertAction *action = vigil_alert_action_new (kind, pending->entry->alert);

  action->urgency = pending->urgency;
  action->reason = pending->reason;
  action->sound = pending->sound;
  action->volume = pending->volume;
  action->level = pending->entry->level;
  action->flapping = pending->entry->flapping;

  return action;
}

/* More notifications at once than the threshold: one summary that says
 * how many and how many are critical, since dozens of popups hide the
 * one that matters (and each is a synchronous D-Bus call). */
static void
make_notifications (VigilAlertLifecycle *self,
                    GArray              *notify,
                    GPtrArray           *actions)
{
  VigilAlertAction *summary;

  if (notify->len <= vigil_escalation_policy_get_storm_threshold (self->policy))
    {
      for (guint i = 0; i < notify->len; i++)
        g_ptr_array_add (actions, pending_action (VIGIL_ALERT_ACTION_NOTIFY,
                                                  &g_array_index (notify, Pending, i)));
      return;
    }

  summary = vigil_alert_action_new (VIGIL_ALERT_ACTION_NOTIFY_SUMMARY, NULL);
  summary->alerts = g_ptr_array_new_full (notify->len, g_object_unref);
  summary->urgency = VIGIL_URGENCY_LOW;
  summary->level = 0;
  summary->reason = VIGIL_ALERT_REASON_FIRED;
  for (guint i = 0; i < notify->len; i++)
    {
      const Pending *pending = &g_array_index (notify, Pending, i);

      g_ptr_array_add (summary->alerts, g_object_ref (pending->entry->alert));
      if (vigil_alert_get_severity (pending->entry->alert) == VIGIL_SEVERITY_CRITICAL)
        summary->n_critical++;
      summary->urgency = MAX (summary->urgency, pending->urgency);
      summary->level = MAX (summary->level, pending->entry->level);
    }
  summary->n_alerts = notify->len;

  g_ptr_array_add (actions, summary);
}

/* Which of two sounds due at once to play: the higher level, then the
 * more severe alert (a warning's chime must not cover a critical alarm),
 * then the louder. */
static gboolean
play_outranks (const Pending *play,
               const Pending *other)
{
  VigilSeverity a = vigil_alert_get_severity (play->entry->alert);
  VigilSeverity b = vigil_alert_get_severity (other->entry->alert);

  if (play->entry->level != other->entry->level)
    return play->entry->level > other->entry->level;
  if (a != b)
    return a > b;

  return play->volume > other->volume;
}

/* One alarm sound at a time: the most urgent of the steps due now stands
 * for all of them, and it plays until none of them alarms any more. */
static VigilAlertAction *
make_sound (VigilAlertLifecycle *self,
            GArray              *plays)
{
  const Pending *chosen = NULL;

  if (plays->len == 0)
    return NULL;

  g_hash_table_remove_all (self->sounding);
  for (guint i = 0; i < plays->len; i++)
    {
      const Pending *play = &g_array_index (plays, Pending, i);

      g_hash_table_add (self->sounding, play->entry->fingerprint);
      if (chosen == NULL || play_outranks (play, chosen))
        chosen = play;
    }

  return pending_action (VIGIL_ALERT_ACTION_PLAY, chosen);
}

static void
emit_all (VigilAlertLifecycle *self,
          GPtrArray           *actions)
{
  for (guint i = 0; i < actions->len; i++)
    emit_action (self, g_ptr_array_index (actions, i));
}

static VigilAlert *
make_blind_alert (const char *fingerprint,
                  const char *source,
                  const char *summary,
                  const char *description,
                  gint64      now)
{
  VigilAlert *alert = vigil_alert_new ();
  g_autoptr(GDateTime) seconds = g_date_time_new_from_unix_utc (now / G_USEC_PER_SEC);

  vigil_alert_set_fingerprint (alert, fingerprint);
  vigil_alert_set_label (alert, "alertname", VIGIL_BLIND_ALERT_NAME);
  vigil_alert_set_label (alert, "severity", "critical");
  vigil_alert_set_label (alert, "source", source);
  vigil_alert_set_annotation (alert, "summary", summary);
  vigil_alert_set_annotation (alert, "description", description);
  vigil_alert_set_state (alert, VIGIL_ALERT_STATE_ACTIVE);
  vigil_alert_set_starts_at (alert, seconds);

  return alert;
}

static gboolean
blind_raised (VigilAlertLifecycle *self,
              const char          *fingerprint)
{
  Entry *entry = g_hash_table_lookup (self->entries, fingerprint);

  return entry != NULL && entry->state != VIGIL_ALARM_STATE_RESOLVED;
}

/* A synthetic critical alert that goes through the same path as a real
 * one: notification, escalation, acknowledgement, flapping. */
static void
raise_blind (VigilAlertLifecycle *self,
             VigilAlert          *alert)
{
  Entry *entry;

  if (blind_raised (self, vigil_alert_get_fingerprint (alert)))
    return;

  fire (self, alert);
  entry = g_hash_table_lookup (self->entries, vigil_alert_get_fingerprint (alert));
  entry->synthetic = TRUE;
  g_list_store_append (self->blind_alerts, alert);
}

static void
clear_blind (VigilAlertLifecycle *self,
             const char          *fingerprint)
{
  Entry *entry = g_hash_table_lookup (self->entries, fingerprint);

  if (entry != NULL)
    resolve (self, entry);
}

static char *
blind_source_fingerprint (const char *name)
{
  return g_strconcat (BLIND_SOURCE_PREFIX, name, NULL);
}

static guint
minutes_of (gint64 us)
{
  return (guint) ((us + 60 * G_USEC_PER_SEC - 1) / (60 * G_USEC_PER_SEC));
}

/* Wall-clock microseconds as a time of day in the user's zone; NULL for
 * none. */
static char *
format_clock_time (VigilAlertLifecycle *self,
                   gint64               when_us)
{
  g_autoptr(GDateTime) utc = NULL;
  g_autoptr(GDateTime) local = NULL;

  if (when_us <= 0)
    return NULL;

  utc = g_date_time_new_from_unix_utc (when_us / G_USEC_PER_SEC);
  if (utc == NULL)
    return NULL;
  local = g_date_time_to_timezone (utc, self->zone);

  return g_date_time_format (local, "%H:%M");
}

static void
check_blind (VigilAlertLifecycle *self,
             gint64               now)
{
  gint64 threshold = blind_after_us (self);
  guint minutes = minutes_of (threshold);
  VigilHeartbeatCheck check = vigil_escalation_policy_get_heartbeat_check (self->policy);
  GHashTableIter iter;
  gpointer key, value;

  g_hash_table_iter_init (&iter, self->sources);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      const char *name = key;
      SourceRecord *record = value;
      g_autofree char *fingerprint = blind_source_fingerprint (name);
      g_autofree char *summary = NULL;
      g_autofree char *description = NULL;
      g_autoptr(VigilAlert) alert = NULL;
      gboolean failing = record->failing_since > 0 && now - record->failing_since >= threshold;
      gboolean silent = now - record->last_report >= threshold;

      if ((!failing && !silent) || blind_raised (self, fingerprint))
        continue;

      if (failing)
        {
          g_autofree char *since = format_clock_time (self, record->last_success);

          summary = g_strdup_printf (_("Vigil cannot reach “%s”"), name);
          if (since != NULL)
            /* Translators: %s is a time of day such as 14:05. */
            description = g_strdup_printf (_("No poll of this source has succeeded since %s: alerts that fire there now are not seen."),
                                           since);
          else
            description = g_strdup_printf (ngettext ("No poll of this source has succeeded for %u minute: alerts that fire there now are not seen.",
                                                     "No poll of this source has succeeded for %u minutes: alerts that fire there now are not seen.",
                                                     minutes),
                                           minutes);
        }
      else
        {
          summary = g_strdup_printf (_("No fresh alerts from “%s”"), name);
          description = g_strdup_printf (ngettext ("This source has not been polled for %u minute: alerts that fire there now are not seen.",
                                                   "This source has not been polled for %u minutes: alerts that fire there now are not seen.",
                                                   minutes),
                                         minutes);
        }

      alert = make_blind_alert (fingerprint, name, summary, description, now);
      raise_blind (self, alert);
    }

  if (check == VIGIL_HEARTBEAT_CHECK_OFF
      || (check == VIGIL_HEARTBEAT_CHECK_AUTO && !self->heartbeat_seen))
    {
      /* The check was turned off while the alarm was up. */
      clear_blind (self, BLIND_HEARTBEAT_FINGERPRINT);
    }
  else if (self->heartbeat_missing_since > 0
           && now - self->heartbeat_missing_since >= threshold
           && !blind_raised (self, BLIND_HEARTBEAT_FINGERPRINT))
    {
      g_autofree char *description =
        g_strdup_printf (ngettext ("Alertmanager has not reported the heartbeat alert for %u minute. The alerting pipeline may be broken: silence does not mean all is well.",
                                   "Alertmanager has not reported the heartbeat alert for %u minutes. The alerting pipeline may be broken: silence does not mean all is well.",
                                   minutes),
                         minutes);
      g_autoptr(VigilAlert) alert =
        make_blind_alert (BLIND_HEARTBEAT_FINGERPRINT, NULL,
                          _("The Watchdog heartbeat is missing"), description, now);

      raise_blind (self, alert);
    }
}

/* Ticks normally come at least every blind-after (the app ticks at the
 * next due time, and a source's staleness is one). A much longer gap means
 * the computer slept: the sources have had no chance to answer, so their
 * silence counts from now, not from before the sleep. */
static void
forgive_gap (VigilAlertLifecycle *self,
             gint64               now)
{
  GHashTableIter iter;
  gpointer value;

  g_hash_table_iter_init (&iter, self->sources);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      SourceRecord *record = value;

      record->last_report = now;
      if (record->failing_since > 0)
        record->failing_since = now;
    }

  if (self->heartbeat_missing_since > 0)
    self->heartbeat_missing_since = now;
}

static void
purge (VigilAlertLifecycle *self)
{
  guint kept = 0;

  for (guint i = 0; i < self->order->len; i++)
    {
      Entry *entry = g_ptr_array_index (self->order, i);

      if (entry->forget)
        {
          g_hash_table_remove (self->sounding, entry->fingerprint);
          g_hash_table_remove (self->entries, entry->fingerprint);
        }
      else
        self->order->pdata[kept++] = entry;
    }

  if (kept != self->order->len)
    {
      g_ptr_array_set_size (self->order, kept);
      self->dirty = TRUE;
    }
}

/* The saved state is text, one line per fact:
 *
 *   vigil-alert-state 1
 *   heartbeat-seen 1
 *   alert fingerprint=3f2a… state=acknowledged level=2 next-due=… source=am …
 *   label alertname DiskFull
 *   annotation summary Disk\sfull\son\sdb-1
 *
 * Fields are key=value words, so a reader skips what it does not know;
 * values escape backslash, space and control characters. GVariant was
 * the first choice, but for 10,000 alerts it took half a second each way
 * on the main loop; this takes a few milliseconds, and a person can read
 * what Vigil remembers. */

#define STATE_MAGIC "vigil-alert-state"

static const char *
enum_nick (GType type,
           int   value)
{
  GEnumClass *klass = g_type_class_ref (type);
  GEnumValue *enum_value = g_enum_get_value (klass, value);

  g_type_class_unref (klass);

  return enum_value != NULL ? enum_value->value_nick : "";
}

static gboolean
enum_from_nick (GType       type,
                const char *nick,
                int        *value)
{
  GEnumClass *klass = g_type_class_ref (type);
  GEnumValue *enum_value = g_enum_get_value_by_nick (klass, nick);

  g_type_class_unref (klass);
  if (enum_value == NULL)
    return FALSE;

  *value = enum_value->value;
  return TRUE;
}

static int
compare_strings (const void *a,
                 const void *b)
{
  return strcmp (*(char * const *) a, *(char * const *) b);
}

static void
append_escaped (GString    *out,
                const char *text)
{
  for (const guchar *p = (const guchar *) text; *p != '\0'; p++)
    {
      switch (*p)
        {
        case '\\':
          g_string_append (out, "\\\\");
          break;
        case ' ':
          g_string_append (out, "\\s");
          break;
        case '\n':
          g_string_append (out, "\\n");
          break;
        case '\t':
          g_string_append (out, "\\t");
          break;
        case '\r':
          g_string_append (out, "\\r");
          break;
        default:
          if (*p < 0x20 || *p == 0x7f)
            g_string_append_printf (out, "\\x%02x", *p);
          else
            g_string_append_c (out, *p);
        }
    }
}

/* NULL when the escapes are broken or the text is not UTF-8. */
static char *
unescape (const char *text,
          gsize       length)
{
  g_autoptr(GString) out = g_string_sized_new (length);

  for (gsize i = 0; i < length; i++)
    {
      int high, low;

      if (text[i] != '\\')
        {
          g_string_append_c (out, text[i]);
          continue;
        }

      if (++i >= length)
        return NULL;

      switch (text[i])
        {
        case '\\':
          g_string_append_c (out, '\\');
          break;
        case 's':
          g_string_append_c (out, ' ');
          break;
        case 'n':
          g_string_append_c (out, '\n');
          break;
        case 't':
          g_string_append_c (out, '\t');
          break;
        case 'r':
          g_string_append_c (out, '\r');
          break;
        case 'x':
          if (i + 2 >= length)
            return NULL;
          high = g_ascii_xdigit_value (text[i + 1]);
          low = g_ascii_xdigit_value (text[i + 2]);
          if (high < 0 || low < 0 || (high == 0 && low == 0))
            return NULL;
          g_string_append_c (out, (char) (high * 16 + low));
          i += 2;
          break;
        default:
          return NULL;
        }
    }

  if (!g_utf8_validate (out->str, out->len, NULL))
    return NULL;

  return g_string_free (g_steal_pointer (&out), FALSE);
}

static void
append_map (GString    *out,
            const char *kind,
            GHashTable *map)
{
  g_autofree const char **keys = NULL;
  guint n_keys;

  /* Sorted, so that the same state always saves to the same bytes. */
  keys = (const char **) g_hash_table_get_keys_as_array (map, &n_keys);
  qsort (keys, n_keys, sizeof (char *), compare_strings);

  for (guint i = 0; i < n_keys; i++)
    {
      if (*keys[i] == '\0')
        continue;

      g_string_append (out, kind);
      g_string_append_c (out, ' ');
      append_escaped (out, keys[i]);
      g_string_append_c (out, ' ');
      append_escaped (out, g_hash_table_lookup (map, keys[i]));
      g_string_append_c (out, '\n');
    }
}

static void
append_entry (GString *out,
              Entry   *entry)
{
  GDateTime *starts_at = vigil_alert_get_starts_at (entry->alert);
  const char *source = vigil_alert_get_source (entry->alert);

  g_string_append (out, "alert fingerprint=");
  append_escaped (out, entry->fingerprint);
  g_string_append_printf (out,
                          " state=%s before=%s reason=%s level=%u step=%u"
                          " armed-at=%" G_GINT64_FORMAT " level2-at=%" G_GINT64_FORMAT
                          " next-due=%" G_GINT64_FORMAT " resolved-at=%" G_GINT64_FORMAT
                          " suppressed=%d flapping=%d synthetic=%d",
                          enum_nick (VIGIL_TYPE_ALARM_STATE, entry->state),
                          enum_nick (VIGIL_TYPE_ALARM_STATE, entry->state_before_resolve),
                          enum_nick (VIGIL_TYPE_ALERT_REASON, entry->reason),
                          entry->level, entry->step,
                          entry->armed_at, entry->level2_at, entry->next_due, entry->resolved_at,
                          entry->suppressed, entry->flapping, entry->synthetic);
  if (starts_at != NULL)
    g_string_append_printf (out, " starts-at=%" G_GINT64_FORMAT,
                            g_date_time_to_unix (starts_at) * G_USEC_PER_SEC
                            + g_date_time_get_microsecond (starts_at));
  if (source != NULL)
    {
      g_string_append (out, " source=");
      append_escaped (out, source);
    }
  g_string_append_c (out, '\n');

  append_map (out, "label", vigil_alert_get_labels (entry->alert));
  append_map (out, "annotation", vigil_alert_get_annotations (entry->alert));
}

/* One line of the saved state, cut into space-separated words. */
typedef struct {
  const char *words[64];
  gsize       lengths[64];
  guint       n_words;
} Line;

static void
split_line (const char *text,
            gsize       length,
            Line       *line)
{
  gsize start = 0;

  line->n_words = 0;
  for (gsize i = 0; i <= length && line->n_words < G_N_ELEMENTS (line->words); i++)
    {
      if (i < length && text[i] != ' ')
        continue;
      if (i > start)
        {
          line->words[line->n_words] = text + start;
          line->lengths[line->n_words] = i - start;
          line->n_words++;
        }
      start = i + 1;
    }
}

static gboolean
word_is (const Line *line,
         guint       index,
         const char *word)
{
  gsize length = strlen (word);

  return index < line->n_words
         && line->lengths[index] == length
         && memcmp (line->words[index], word, length) == 0;
}

/* The value of `key=` among the words after the first, unescaped; NULL
 * when absent or broken. */
static char *
line_value (const Line *line,
            const char *key)
{
  gsize key_length = strlen (key);

  for (guint i = 1; i < line->n_words; i++)
    if (line->lengths[i] > key_length
        && line->words[i][key_length] == '='
        && memcmp (line->words[i], key, key_length) == 0)
      return unescape (line->words[i] + key_length + 1, line->lengths[i] - key_length - 1);

  return NULL;
}

/* Times in clock microseconds. Bounded so that the sums the schedule
 * makes with them (a time plus a week, plus steps) cannot overflow
 * whatever the file says. */
#define MAX_SAVED_TIME (G_MAXINT64 / 4)

static gint64
line_time (const Line *line,
           const char *key)
{
  g_autofree char *text = line_value (line, key);
  gint64 value = 0;

  if (text == NULL || !g_ascii_string_to_signed (text, 10, 0, MAX_SAVED_TIME, &value, NULL))
    return 0;

  return value;
}

static guint
line_uint (const Line *line,
           const char *key,
           guint       max)
{
  g_autofree char *text = line_value (line, key);
  guint64 value = 0;

  if (text == NULL || !g_ascii_string_to_unsigned (text, 10, 0, max, &value, NULL))
    return 0;

  return (guint) value;
}

static int
line_enum (const Line *line,
           const char *key,
           GType       type,
           int         fallback)
{
  g_autofree char *nick = line_value (line, key);
  int value;

  if (nick != NULL && enum_from_nick (type, nick, &value))
    return value;

  return fallback;
}

/* One saved alert; NULL (skipped with its labels) when it makes no sense,
 * so one damaged record does not cost the others. */
static Entry *
entry_from_line (const Line *line)
{
  g_autofree char *fingerprint = line_value (line, "fingerprint");
  g_autofree char *source = NULL;
  VigilAlert *alert;
  Entry *entry;
  gint64 starts_at;
  int state;

  if (fingerprint == NULL || *fingerprint == '\0')
    return NULL;

  state = line_enum (line, "state", VIGIL_TYPE_ALARM_STATE, -1);
  if (state < 0)
    return NULL;

  entry = g_new0 (Entry, 1);
  entry->fingerprint = g_steal_pointer (&fingerprint);
  entry->state = state;
  entry->state_before_resolve = line_enum (line, "before", VIGIL_TYPE_ALARM_STATE, VIGIL_ALARM_STATE_NOTIFIED);
  if (entry->state_before_resolve == VIGIL_ALARM_STATE_RESOLVED)
    entry->state_before_resolve = VIGIL_ALARM_STATE_NOTIFIED;
  entry->reason = line_enum (line, "reason", VIGIL_TYPE_ALERT_REASON, VIGIL_ALERT_REASON_FIRED);
  entry->level = line_uint (line, "level", 2);
  if (entry->level == 0
      && (entry->state == VIGIL_ALARM_STATE_NOTIFIED || entry->state == VIGIL_ALARM_STATE_ESCALATING))
    entry->level = 1;
  entry->step = line_uint (line, "step", G_MAXUINT);
  entry->armed_at = line_time (line, "armed-at");
  entry->level2_at = line_time (line, "level2-at");
  entry->next_due = line_time (line, "next-due");
  entry->resolved_at = line_time (line, "resolved-at");
  entry->suppressed = line_uint (line, "suppressed", 1);
  entry->flapping = line_uint (line, "flapping", 1);
  entry->synthetic = line_uint (line, "synthetic", 1) && g_str_has_prefix (entry->fingerprint, "vigil-blind:");
  entry->unconfirmed = !entry->synthetic;

  /* An escalation without its start cannot be scheduled: it starts over. */
  if (entry->state == VIGIL_ALARM_STATE_ESCALATING && entry->armed_at == 0)
    entry->state = VIGIL_ALARM_STATE_NEW;
  if (entry->level == 2 && entry->level2_at < entry->armed_at)
    entry->level2_at = entry->armed_at;

  alert = vigil_alert_new ();
  vigil_alert_set_fingerprint (alert, entry->fingerprint);
  vigil_alert_set_state (alert, entry->suppressed ? VIGIL_ALERT_STATE_SUPPRESSED : VIGIL_ALERT_STATE_ACTIVE);
  source = line_value (line, "source");
  if (source != NULL && *source != '\0')
    vigil_alert_set_source (alert, source);
  starts_at = line_time (line, "starts-at");
  if (starts_at > 0)
    {
      g_autoptr(GDateTime) seconds = g_date_time_new_from_unix_utc (starts_at / G_USEC_PER_SEC);

      if (seconds != NULL)
        {
          g_autoptr(GDateTime) when = g_date_time_add (seconds, starts_at % G_USEC_PER_SEC);

          vigil_alert_set_starts_at (alert, when);
        }
    }
  entry->alert = alert;

  return entry;
}

/* "label KEY VALUE" and "annotation KEY VALUE" after an alert line. */
static void
entry_add_pair (Entry      *entry,
                const Line *line)
{
  g_autofree char *key = NULL;
  g_autofree char *value = NULL;

  if (line->n_words != 3)
    return;

  key = unescape (line->words[1], line->lengths[1]);
  value = unescape (line->words[2], line->lengths[2]);
  if (key == NULL || value == NULL || *key == '\0')
    return;

  if (word_is (line, 0, "label"))
    vigil_alert_set_label (entry->alert, key, value);
  else
    vigil_alert_set_annotation (entry->alert, key, value);
}

static void
clear_entries (VigilAlertLifecycle *self)
{
  g_ptr_array_set_size (self->order, 0);
  g_hash_table_remove_all (self->entries);
  g_ptr_array_set_size (self->queued, 0);
  g_hash_table_remove_all (self->sounding);
  g_list_store_remove_all (self->blind_alerts);
}

static void
vigil_alert_lifecycle_get_property (GObject    *object,
                                    guint       prop_id,
                                    GValue     *value,
                                    GParamSpec *pspec)
{
  VigilAlertLifecycle *self = VIGIL_ALERT_LIFECYCLE (object);

  switch (prop_id)
    {
    case PROP_POLICY:
      g_value_set_object (value, self->policy);
      break;
    case PROP_ON_SHIFT:
      g_value_set_boolean (value, self->on_shift);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
vigil_alert_lifecycle_set_property (GObject      *object,
                                    guint         prop_id,
                                    const GValue *value,
                                    GParamSpec   *pspec)
{
  VigilAlertLifecycle *self = VIGIL_ALERT_LIFECYCLE (object);

  switch (prop_id)
    {
    case PROP_POLICY:
      vigil_alert_lifecycle_set_policy (self, g_value_get_object (value));
      break;
    case PROP_ON_SHIFT:
      vigil_alert_lifecycle_set_on_shift (self, g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
vigil_alert_lifecycle_dispose (GObject *object)
{
  VigilAlertLifecycle *self = VIGIL_ALERT_LIFECYCLE (object);

  if (self->order != NULL)
    clear_entries (self);
  g_clear_object (&self->policy);
  g_clear_object (&self->clock);

  G_OBJECT_CLASS (vigil_alert_lifecycle_parent_class)->dispose (object);
}

static void
vigil_alert_lifecycle_finalize (GObject *object)
{
  VigilAlertLifecycle *self = VIGIL_ALERT_LIFECYCLE (object);

  g_clear_pointer (&self->order, g_ptr_array_unref);
  g_clear_pointer (&self->entries, g_hash_table_unref);
  g_clear_pointer (&self->queued, g_ptr_array_unref);
  g_clear_pointer (&self->sounding, g_hash_table_unref);
  g_clear_pointer (&self->sources, g_hash_table_unref);
  g_clear_object (&self->blind_alerts);
  g_clear_pointer (&self->zone, g_time_zone_unref);

  G_OBJECT_CLASS (vigil_alert_lifecycle_parent_class)->finalize (object);
}

static void
vigil_alert_lifecycle_class_init (VigilAlertLifecycleClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->get_property = vigil_alert_lifecycle_get_property;
  object_class->set_property = vigil_alert_lifecycle_set_property;
  object_class->dispose = vigil_alert_lifecycle_dispose;
  object_class->finalize = vigil_alert_lifecycle_finalize;

  properties[PROP_POLICY] =
    g_param_spec_object ("policy", NULL, NULL, VIGIL_TYPE_ESCALATION_POLICY,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_ON_SHIFT] =
    g_param_spec_boolean ("on-shift", NULL, NULL, TRUE,
                          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * VigilAlertLifecycle::action:
   * Something the desktop side must do now (VigilAlertAction): notify,
   * play or stop the sound, run the hook. Emitted by tick(), and by the
   * acknowledge and snooze calls for `stop`.
   */
  signals[ACTION] =
    g_signal_new ("action", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1,
                  VIGIL_TYPE_ALERT_ACTION | G_SIGNAL_TYPE_STATIC_SCOPE);

  /**
   * VigilAlertLifecycle::changed:
   * A state, level or count changed (tray, window, status): once per tick
   * and per decision of the engineer.
   */
  signals[CHANGED] =
    g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
vigil_alert_lifecycle_init (VigilAlertLifecycle *self)
{
  self->on_shift = TRUE;
  self->zone = g_time_zone_new_local ();
  self->entries = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, (GDestroyNotify) entry_free);
  self->order = g_ptr_array_new ();
  self->queued = g_ptr_array_new_with_free_func ((GDestroyNotify) vigil_alert_action_unref);
  /* Borrows the entries' fingerprints: every way an entry goes removes it. */
  self->sounding = g_hash_table_new (g_str_hash, g_str_equal);
  self->sources = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->blind_alerts = g_list_store_new (VIGIL_TYPE_ALERT);
}

VigilAlertLifecycle *
vigil_alert_lifecycle_new (VigilClock            *clock,
                           VigilEscalationPolicy *policy)
{
  VigilAlertLifecycle *self;

  g_return_val_if_fail (VIGIL_IS_CLOCK (clock), NULL);
  g_return_val_if_fail (policy == NULL || VIGIL_IS_ESCALATION_POLICY (policy), NULL);

  self = g_object_new (VIGIL_TYPE_ALERT_LIFECYCLE, NULL);
  self->clock = g_object_ref (clock);
  self->policy = policy != NULL ? g_object_ref (policy) : vigil_escalation_policy_new ();

  return self;
}

VigilEscalationPolicy *
vigil_alert_lifecycle_get_policy (VigilAlertLifecycle *self)
{
  g_return_val_if_fail (VIGIL_IS_ALERT_LIFECYCLE (self), NULL);

  return self->policy;
}

void
vigil_alert_lifecycle_set_policy (VigilAlertLifecycle   *self,
                                  VigilEscalationPolicy *policy)
{
  g_return_if_fail (VIGIL_IS_ALERT_LIFECYCLE (self));
  g_return_if_fail (VIGIL_IS_ESCALATION_POLICY (policy));

  if (g_set_object (&self->policy, policy))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_POLICY]);
}

void
vigil_alert_lifecycle_set_time_zone (VigilAlertLifecycle *self,
                                     GTimeZone           *zone)
{
  g_return_if_fail (VIGIL_IS_ALERT_LIFECYCLE (self));
  g_return_if_fail (zone != NULL);

  g_time_zone_unref (self->zone);
  self->zone = g_time_zone_ref (zone);
}

gboolean
vigil_alert_lifecycle_get_on_shift (VigilAlertLifecycle *self)
{
  g_return_val_if_fail (VIGIL_IS_ALERT_LIFECYCLE (self), FALSE);

  return self->on_shift;
}

void
vigil_alert_lifecycle_set_on_shift (VigilAlertLifecycle *self,
                                    gboolean             on_shift)
{
  g_return_if_fail (VIGIL_IS_ALERT_LIFECYCLE (self));

  on_shift = !!on_shift;
  if (self->on_shift == on_shift)
    return;

  self->on_shift = on_shift;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ON_SHIFT]);
}

void
vigil_alert_lifecycle_alert_fired (VigilAlertLifecycle *self,
                                   VigilAlert          *alert)
{
  const char *fingerprint;

  g_return_if_fail (VIGIL_IS_ALERT_LIFECYCLE (self));
  g_return_if_fail (VIGIL_IS_ALERT (alert));

  fingerprint = vigil_alert_get_fingerprint (alert);
  if (fingerprint == NULL || *fingerprint == '\0')
    return;

  if (vigil_alert_is_active (alert))
    fire (self, alert);
}

void
vigil_alert_lifecycle_alert_resolved (VigilAlertLifecycle *self,
                                      VigilAlert          *alert)
{
  const char *fingerprint;
  Entry *entry;

  g_return_if_fail (VIGIL_IS_ALERT_LIFECYCLE (self));
  g_return_if_fail (VIGIL_IS_ALERT (alert));

  fingerprint = vigil_alert_get_fingerprint (alert);
  if (fingerprint == NULL)
    return;

  entry = g_hash_table_lookup (self->entries, fingerprint);
  if (entry != NULL && !entry->synthetic)
    resolve (self, entry);
}

void
vigil_alert_lifecycle_sync (VigilAlertLifecycle *self,
                            GListModel          *alerts)
{
  guint n_items;

  g_return_if_fail (VIGIL_IS_ALERT_LIFECYCLE (self));
  g_return_if_fail (G_IS_LIST_MODEL (alerts));

  n_items = g_list_model_get_n_items (alerts);
  for (guint i = 0; i < n_items; i++)
    {
      g_autoptr(VigilAlert) alert = g_list_model_get_item (alerts, i);
      const char *fingerprint = vigil_alert_get_fingerprint (alert);
      Entry *entry;

      if (fingerprint == NULL || *fingerprint == '\0')
        continue;

      /* Prometheus is still watching a pending alert: not the engineer's
       * business yet. */
      if (vigil_alert_get_state (alert) == VIGIL_ALERT_STATE_PENDING)
        continue;

      entry = g_hash_table_lookup (self->entries, fingerprint);

      if (vigil_alert_is_active (alert))
        {
          if (entry == NULL
              || entry->state == VIGIL_ALARM_STATE_RESOLVED
              || entry->state == VIGIL_ALARM_STATE_SILENCED)
            fire (self, alert);
          else
            {
              if (entry->unconfirmed || entry->suppressed)
                self->dirty = TRUE;
              entry_confirm (entry, alert);
              entry->suppressed = FALSE;
            }
        }
      else if (entry == NULL)
        {
          entry = entry_add (self, fingerprint, alert);
          entry->state = VIGIL_ALARM_STATE_SILENCED;
          entry->suppressed = TRUE;
        }
      else
        {
          if (entry->unconfirmed)
            self->dirty = TRUE;
          entry_confirm (entry, alert);
          suppress (self, entry);
        }
    }
}

void
vigil_alert_lifecycle_set_sources (VigilAlertLifecycle *self,
                                   const char * const  *names)
{
  g_autoptr(GPtrArray) gone = g_ptr_array_new_with_free_func (g_free);
  GHashTableIter iter;
  gpointer key;
  gint64 now;

  g_return_if_fail (VIGIL_IS_ALERT_LIFECYCLE (self));

  now = now_us (self);

  g_hash_table_iter_init (&iter, self->sources);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    if (names == NULL || !g_strv_contains (names, key))
      g_ptr_array_add (gone, g_strdup (key));

  for (guint i = 0; i < gone->len; i++)
    {
      const char *name = g_ptr_array_index (gone, i);
      g_autofree char *fingerprint = blind_source_fingerprint (name);

      g_hash_table_remove (self->sources, name);
      clear_blind (self, fingerprint);
    }

  for (guint i = 0; names != NULL && names[i] != NULL; i++)
    {
      SourceRecord *record;

      if (g_hash_table_contains (self->sources, names[i]))
        continue;

      /* Watched from now: one that never answers goes blind after the
       * threshold like one that stopped answering. */
      record = g_new0 (SourceRecord, 1);
      record->last_report = now;
      g_hash_table_insert (self->sources, g_strdup (names[i]), record);
    }

  self->sources_set = TRUE;
  forget_unwatched (self);
}

void
vigil_alert_lifecycle_source_health (VigilAlertLifecycle *self,
                                     const char          *name,
                                     gboolean             ok,
                                     gint64               last_success_us)
{
  SourceRecord *record;
  gint64 now;

  g_return_if_fail (VIGIL_IS_ALERT_LIFECYCLE (self));
  g_return_if_fail (name != NULL);

  now = now_us (self);
  record = g_hash_table_lookup (self->sources, name);
  if (record == NULL)
    {
      record = g_new0 (SourceRecord, 1);
      g_hash_table_insert (self->sources, g_strdup (name), record);
    }

  if (last_success_us > 0)
    record->last_success = last_success_us;
  record->last_report = now;

  if (ok)
    {
      g_autofree char *fingerprint = blind_source_fingerprint (name);

      record->failing_since = 0;
      clear_blind (self, fingerprint);
      resolve_unconfirmed_of (self, name);
    }
  else if (record->failing_since == 0)
    record->failing_since = now;
}

void
vigil_alert_lifecycle_heartbeat (VigilAlertLifecycle *self,
                                 gboolean             present)
{
  g_return_if_fail (VIGIL_IS_ALERT_LIFECYCLE (self));

  if (present)
    {
      if (!self->heartbeat_seen)
        self->dirty = TRUE;
      self->heartbeat_seen = TRUE;
      self->heartbeat_missing_since = 0;
      clear_blind (self, BLIND_HEARTBEAT_FINGERPRINT);
    }
  else if (self->heartbeat_missing_since == 0)
    self->heartbeat_missing_since = now_us (self);
}

void
vigil_alert_lifecycle_tick (VigilAlertLifecycle *self)
{
  g_autoptr(GPtrArray) actions = NULL;
  VigilAlertAction *play;
  Batch batch;
  gint64 now, flap_window;
  gboolean quiet;

  g_return_if_fail (VIGIL_IS_ALERT_LIFECYCLE (self));

  now = now_us (self);
  if (self->last_tick > 0 && now - self->last_tick > 2 * blind_after_us (self))
    forgive_gap (self, now);
  self->last_tick = now;

  check_blind (self, now);

  quiet = is_quiet (self, now);
  flap_window = (gint64) vigil_escalation_policy_get_flap_window (self->policy) * G_USEC_PER_SEC;
  batch_init (&batch);

  for (guint i = 0; i < self->order->len; i++)
    {
      Entry *entry = g_ptr_array_index (self->order, i);
      VigilEscalationRule rule;
      gboolean held_back;

      entry_rule (self, entry, &rule);
      held_back = quiet && !rule.in_quiet_hours;

      /* An acknowledgement that timed out or a snooze that ended: alarm
       * again, unless Alertmanager mutes it meanwhile. */
      if ((entry->state == VIGIL_ALARM_STATE_ACKNOWLEDGED || entry->state == VIGIL_ALARM_STATE_SNOOZED)
          && entry->next_due > 0 && now >= entry->next_due)
        {
          if (entry->suppressed)
            {
              entry->state = VIGIL_ALARM_STATE_SILENCED;
              entry->next_due = 0;
            }
          else
            entry_rearm (entry, entry->state == VIGIL_ALARM_STATE_ACKNOWLEDGED
                                ? VIGIL_ALERT_REASON_REARMED
                                : VIGIL_ALERT_REASON_SNOOZE_ENDED);
          self->dirty = TRUE;
        }

      switch (entry->state)
        {
        case VIGIL_ALARM_STATE_NEW:
          if (held_back)
            {
              entry->state = VIGIL_ALARM_STATE_HELD;
              self->dirty = TRUE;
            }
          else
            arm (self, entry, entry->reason, &batch, now);
          break;

        case VIGIL_ALARM_STATE_HELD:
          if (!held_back)
            arm (self, entry, VIGIL_ALERT_REASON_QUIET_ENDED, &batch, now);
          break;

        case VIGIL_ALARM_STATE_ESCALATING:
          if (held_back)
            {
              entry->state = VIGIL_ALARM_STATE_HELD;
              entry->next_due = 0;
              self->dirty = TRUE;
              release_sound (self, entry);
            }
          else if (entry->next_due > 0 && now >= entry->next_due)
            advance (self, entry, &batch, now);
          break;

        case VIGIL_ALARM_STATE_RESOLVED:
          if (now - entry->resolved_at >= flap_window)
            entry->forget = TRUE;
          break;

        case VIGIL_ALARM_STATE_NOTIFIED:
        case VIGIL_ALARM_STATE_ACKNOWLEDGED:
        case VIGIL_ALARM_STATE_SNOOZED:
        case VIGIL_ALARM_STATE_SILENCED:
        default:
          break;
        }
    }

  /* Handlers may call back in (acknowledge from a notification, even
   * tick), so every action is made, holding its alert, before the first
   * is emitted and before anything is forgotten. */
  actions = g_steal_pointer (&self->queued);
  self->queued = g_ptr_array_new_with_free_func ((GDestroyNotify) vigil_alert_action_unref);
  g_ptr_array_extend_and_steal (actions, g_steal_pointer (&batch.early));
  make_notifications (self, batch.notify, actions);
  g_ptr_array_extend_and_steal (actions, g_steal_pointer (&batch.hooks));
  play = make_sound (self, batch.plays);
  if (play != NULL)
    g_ptr_array_add (actions, play);
  batch_clear (&batch);

  purge (self);
  emit_all (self, actions);
  flush_changed (self);
}

gint64
vigil_alert_lifecycle_get_next_due (VigilAlertLifecycle *self)
{
  gint64 now, due = 0, threshold, flap_window;
  VigilHeartbeatCheck check;
  GHashTableIter iter;
  gpointer key, value;

#define CONSIDER(when) G_STMT_START { gint64 when_ = (when); if (due == 0 || when_ < due) due = when_; } G_STMT_END

  g_return_val_if_fail (VIGIL_IS_ALERT_LIFECYCLE (self), 0);

  now = now_us (self);
  threshold = blind_after_us (self);
  flap_window = (gint64) vigil_escalation_policy_get_flap_window (self->policy) * G_USEC_PER_SEC;

  if (self->queued->len > 0)
    CONSIDER (now);

  for (guint i = 0; i < self->order->len; i++)
    {
      Entry *entry = g_ptr_array_index (self->order, i);

      switch (entry->state)
        {
        case VIGIL_ALARM_STATE_NEW:
          CONSIDER (now);
          break;
        case VIGIL_ALARM_STATE_HELD:
          /* Quiet hours end on a minute. */
          CONSIDER ((now / (60 * G_USEC_PER_SEC) + 1) * 60 * G_USEC_PER_SEC);
          break;
        case VIGIL_ALARM_STATE_ESCALATING:
        case VIGIL_ALARM_STATE_ACKNOWLEDGED:
        case VIGIL_ALARM_STATE_SNOOZED:
          if (entry->next_due > 0)
            CONSIDER (entry->next_due);
          break;
        case VIGIL_ALARM_STATE_RESOLVED:
          CONSIDER (entry->resolved_at + flap_window);
          break;
        case VIGIL_ALARM_STATE_NOTIFIED:
        case VIGIL_ALARM_STATE_SILENCED:
        default:
          break;
        }
    }

  g_hash_table_iter_init (&iter, self->sources);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      SourceRecord *record = value;
      g_autofree char *fingerprint = blind_source_fingerprint (key);

      if (blind_raised (self, fingerprint))
        continue;
      if (record->failing_since > 0)
        CONSIDER (record->failing_since + threshold);
      CONSIDER (record->last_report + threshold);
    }

  check = vigil_escalation_policy_get_heartbeat_check (self->policy);
  if (self->heartbeat_missing_since > 0
      && (check == VIGIL_HEARTBEAT_CHECK_REQUIRED
          || (check == VIGIL_HEARTBEAT_CHECK_AUTO && self->heartbeat_seen))
      && !blind_raised (self, BLIND_HEARTBEAT_FINGERPRINT))
    CONSIDER (self->heartbeat_missing_since + threshold);

#undef CONSIDER

  return due;
}

gboolean
vigil_alert_lifecycle_acknowledge (VigilAlertLifecycle *self,
                                   const char          *fingerprint)
{
  VigilEscalationRule rule;
  Entry *entry;

  g_return_val_if_fail (VIGIL_IS_ALERT_LIFECYCLE (self), FALSE);
  g_return_val_if_fail (fingerprint != NULL, FALSE);

  entry = g_hash_table_lookup (self->entries, fingerprint);
  if (entry == NULL
      || entry->state == VIGIL_ALARM_STATE_ACKNOWLEDGED
      || entry->state == VIGIL_ALARM_STATE_RESOLVED)
    return FALSE;

  entry_rule (self, entry, &rule);
  entry->state = VIGIL_ALARM_STATE_ACKNOWLEDGED;
  /* Still firing after the timeout: alarm again (a low urgency never
   * escalates, so it never re-arms either). */
  entry->next_due = rule.ack_timeout_seconds > 0 && rule.urgency != VIGIL_URGENCY_LOW
                    ? now_us (self) + (gint64) rule.ack_timeout_seconds * G_USEC_PER_SEC
                    : 0;
  self->dirty = TRUE;

  release_sound (self, entry);
  flush_changed (self);

  return TRUE;
}

gboolean
vigil_alert_lifecycle_unacknowledge (VigilAlertLifecycle *self,
                                     const char          *fingerprint)
{
  Entry *entry;

  g_return_val_if_fail (VIGIL_IS_ALERT_LIFECYCLE (self), FALSE);
  g_return_val_if_fail (fingerprint != NULL, FALSE);

  entry = g_hash_table_lookup (self->entries, fingerprint);
  if (entry == NULL
      || (entry->state != VIGIL_ALARM_STATE_ACKNOWLEDGED && entry->state != VIGIL_ALARM_STATE_SNOOZED))
    return FALSE;

  if (entry->suppressed)
    {
      entry->state = VIGIL_ALARM_STATE_SILENCED;
      entry->next_due = 0;
    }
  else
    entry_rearm (entry, VIGIL_ALERT_REASON_UNACKNOWLEDGED);
  self->dirty = TRUE;
  flush_changed (self);

  return TRUE;
}

static gboolean
snooze_entry (VigilAlertLifecycle *self,
              Entry               *entry,
              gint64               until_us)
{
  if (entry->state == VIGIL_ALARM_STATE_RESOLVED)
    return FALSE;

  entry->state = VIGIL_ALARM_STATE_SNOOZED;
  entry->next_due = until_us;
  self->dirty = TRUE;
  release_sound (self, entry);

  return TRUE;
}

gboolean
vigil_alert_lifecycle_snooze (VigilAlertLifecycle *self,
                              const char          *fingerprint,
                              gint64               until_us)
{
  Entry *entry;

  g_return_val_if_fail (VIGIL_IS_ALERT_LIFECYCLE (self), FALSE);
  g_return_val_if_fail (fingerprint != NULL, FALSE);

  entry = g_hash_table_lookup (self->entries, fingerprint);
  if (entry == NULL || until_us <= now_us (self))
    return FALSE;

  if (!snooze_entry (self, entry, until_us))
    return FALSE;

  flush_changed (self);

  return TRUE;
}

guint
vigil_alert_lifecycle_acknowledge_all (VigilAlertLifecycle *self)
{
  g_autoptr(GPtrArray) fingerprints = g_ptr_array_new_with_free_func (g_free);
  guint count = 0;

  g_return_val_if_fail (VIGIL_IS_ALERT_LIFECYCLE (self), 0);

  for (guint i = 0; i < self->order->len; i++)
    {
      Entry *entry = g_ptr_array_index (self->order, i);

      if (is_alarming (entry->state) || entry->state == VIGIL_ALARM_STATE_SNOOZED)
        g_ptr_array_add (fingerprints, g_strdup (entry->fingerprint));
    }

  for (guint i = 0; i < fingerprints->len; i++)
    if (vigil_alert_lifecycle_acknowledge (self, g_ptr_array_index (fingerprints, i)))
      count++;

  return count;
}

guint
vigil_alert_lifecycle_snooze_all (VigilAlertLifecycle *self,
                                  gint64               until_us)
{
  guint count = 0;

  g_return_val_if_fail (VIGIL_IS_ALERT_LIFECYCLE (self), 0);

  if (until_us <= now_us (self))
    return 0;

  /* Acknowledged alerts stay acknowledged: a snooze is a reminder for
   * what nobody has taken yet. */
  for (guint i = 0; i < self->order->len; i++)
    {
      Entry *entry = g_ptr_array_index (self->order, i);

      if (is_alarming (entry->state) && snooze_entry (self, entry, until_us))
        count++;
    }

  flush_changed (self);

  return count;
}

gboolean
vigil_alert_lifecycle_contains (VigilAlertLifecycle *self,
                                const char          *fingerprint)
{
  g_return_val_if_fail (VIGIL_IS_ALERT_LIFECYCLE (self), FALSE);
  g_return_val_if_fail (fingerprint != NULL, FALSE);

  return g_hash_table_contains (self->entries, fingerprint);
}

VigilAlarmState
vigil_alert_lifecycle_get_state (VigilAlertLifecycle *self,
                                 const char          *fingerprint)
{
  Entry *entry;

  g_return_val_if_fail (VIGIL_IS_ALERT_LIFECYCLE (self), VIGIL_ALARM_STATE_RESOLVED);
  g_return_val_if_fail (fingerprint != NULL, VIGIL_ALARM_STATE_RESOLVED);

  entry = g_hash_table_lookup (self->entries, fingerprint);

  return entry != NULL ? entry->state : VIGIL_ALARM_STATE_RESOLVED;
}

gboolean
vigil_alert_lifecycle_is_acknowledged (VigilAlertLifecycle *self,
                                       const char          *fingerprint)
{
  return vigil_alert_lifecycle_get_state (self, fingerprint) == VIGIL_ALARM_STATE_ACKNOWLEDGED;
}

guint
vigil_alert_lifecycle_get_escalation_level (VigilAlertLifecycle *self,
                                            const char          *fingerprint)
{
  Entry *entry;

  g_return_val_if_fail (VIGIL_IS_ALERT_LIFECYCLE (self), 0);
  g_return_val_if_fail (fingerprint != NULL, 0);

  entry = g_hash_table_lookup (self->entries, fingerprint);

  return entry != NULL ? entry->level : 0;
}

gboolean
vigil_alert_lifecycle_is_flapping (VigilAlertLifecycle *self,
                                   const char          *fingerprint)
{
  Entry *entry;

  g_return_val_if_fail (VIGIL_IS_ALERT_LIFECYCLE (self), FALSE);
  g_return_val_if_fail (fingerprint != NULL, FALSE);

  entry = g_hash_table_lookup (self->entries, fingerprint);

  return entry != NULL && entry->flapping;
}

gboolean
vigil_alert_lifecycle_is_unconfirmed (VigilAlertLifecycle *self,
                                      const char          *fingerprint)
{
  Entry *entry;

  g_return_val_if_fail (VIGIL_IS_ALERT_LIFECYCLE (self), FALSE);
  g_return_val_if_fail (fingerprint != NULL, FALSE);

  entry = g_hash_table_lookup (self->entries, fingerprint);

  return entry != NULL && entry->unconfirmed;
}

gint64
vigil_alert_lifecycle_get_snoozed_until (VigilAlertLifecycle *self,
                                         const char          *fingerprint)
{
  Entry *entry;

  g_return_val_if_fail (VIGIL_IS_ALERT_LIFECYCLE (self), 0);
  g_return_val_if_fail (fingerprint != NULL, 0);

  entry = g_hash_table_lookup (self->entries, fingerprint);
  if (entry == NULL || entry->state != VIGIL_ALARM_STATE_SNOOZED)
    return 0;

  return entry->next_due;
}

VigilAlert *
vigil_alert_lifecycle_get_alert (VigilAlertLifecycle *self,
                                 const char          *fingerprint)
{
  Entry *entry;

  g_return_val_if_fail (VIGIL_IS_ALERT_LIFECYCLE (self), NULL);
  g_return_val_if_fail (fingerprint != NULL, NULL);

  entry = g_hash_table_lookup (self->entries, fingerprint);

  return entry != NULL ? entry->alert : NULL;
}

GStrv
vigil_alert_lifecycle_dup_fingerprints (VigilAlertLifecycle *self)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  GStrv fingerprints;

  g_return_val_if_fail (VIGIL_IS_ALERT_LIFECYCLE (self), NULL);

  for (guint i = 0; i < self->order->len; i++)
    {
      Entry *entry = g_ptr_array_index (self->order, i);

      g_strv_builder_add (builder, entry->fingerprint);
    }

  fingerprints = g_strv_builder_end (builder);
  qsort (fingerprints, g_strv_length (fingerprints), sizeof (char *), compare_strings);

  return fingerprints;
}

guint
vigil_alert_lifecycle_count_unacknowledged (VigilAlertLifecycle *self,
                                            VigilSeverity        min_severity)
{
  guint count = 0;

  g_return_val_if_fail (VIGIL_IS_ALERT_LIFECYCLE (self), 0);

  for (guint i = 0; i < self->order->len; i++)
    {
      Entry *entry = g_ptr_array_index (self->order, i);

      if ((is_alarming (entry->state) || entry->state == VIGIL_ALARM_STATE_SNOOZED)
          && vigil_alert_get_severity (entry->alert) >= min_severity)
        count++;
    }

  return count;
}

gboolean
vigil_alert_lifecycle_needs_attention (VigilAlertLifecycle *self)
{
  g_return_val_if_fail (VIGIL_IS_ALERT_LIFECYCLE (self), FALSE);

  for (guint i = 0; i < self->order->len; i++)
    {
      Entry *entry = g_ptr_array_index (self->order, i);

      if (is_alarming (entry->state)
          && vigil_alert_get_severity (entry->alert) == VIGIL_SEVERITY_CRITICAL)
        return TRUE;
    }

  return FALSE;
}

GListModel *
vigil_alert_lifecycle_get_blind_alerts (VigilAlertLifecycle *self)
{
  g_return_val_if_fail (VIGIL_IS_ALERT_LIFECYCLE (self), NULL);

  return G_LIST_MODEL (self->blind_alerts);
}

GBytes *
vigil_alert_lifecycle_serialize (VigilAlertLifecycle *self)
{
  GString *out;

  g_return_val_if_fail (VIGIL_IS_ALERT_LIFECYCLE (self), NULL);

  out = g_string_sized_new (256 + self->order->len * 512);
  g_string_append (out, "# What Vigil remembers about alerts: acknowledged, snoozed, escalated.\n");
  g_string_append_printf (out, STATE_MAGIC " %u\n", VIGIL_ALERT_LIFECYCLE_STATE_VERSION);
  g_string_append_printf (out, "saved-at %" G_GINT64_FORMAT "\n", now_us (self));
  g_string_append_printf (out, "heartbeat-seen %d\n", self->heartbeat_seen);
  for (guint i = 0; i < self->order->len; i++)
    append_entry (out, g_ptr_array_index (self->order, i));

  return g_string_free_to_bytes (out);
}

static void
add_restored (VigilAlertLifecycle *self,
              Entry               *entry)
{
  if (g_hash_table_contains (self->entries, entry->fingerprint))
    {
      entry_free (entry);
      return;
    }

  g_hash_table_insert (self->entries, entry->fingerprint, entry);
  g_ptr_array_add (self->order, entry);
  if (entry->synthetic && entry->state != VIGIL_ALARM_STATE_RESOLVED)
    g_list_store_append (self->blind_alerts, entry->alert);
}

gboolean
vigil_alert_lifecycle_restore (VigilAlertLifecycle  *self,
                               GBytes               *bytes,
                               GError              **error)
{
  const char *data, *end, *line_start;
  gboolean header_seen = FALSE;
  Entry *current = NULL;
  gsize size;

  g_return_val_if_fail (VIGIL_IS_ALERT_LIFECYCLE (self), FALSE);
  g_return_val_if_fail (bytes != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  data = g_bytes_get_data (bytes, &size);
  /* Empty bytes may have no data pointer at all. */
  if (data == NULL)
    data = "";
  end = data + size;

  /* The header first: nothing is touched unless the bytes are state this
   * version can read. */
  for (line_start = data; line_start < end && !header_seen;)
    {
      const char *newline = memchr (line_start, '\n', end - line_start);
      const char *line_end = newline != NULL ? newline : end;
      guint64 version;
      Line line;

      split_line (line_start, line_end - line_start, &line);
      line_start = line_end + 1;

      if (line.n_words == 0 || line.words[0][0] == '#')
        continue;

      if (line.n_words == 2 && word_is (&line, 0, STATE_MAGIC))
        {
          g_autofree char *text = g_strndup (line.words[1], line.lengths[1]);

          if (g_ascii_string_to_unsigned (text, 10, 1, G_MAXUINT32, &version, NULL))
            {
              if (version > VIGIL_ALERT_LIFECYCLE_STATE_VERSION)
                {
                  g_set_error (error, VIGIL_LIFECYCLE_ERROR, VIGIL_LIFECYCLE_ERROR_NEWER_VERSION,
                               _("The saved alert state was written by a newer version of Vigil."));
                  return FALSE;
                }
              header_seen = TRUE;
              continue;
            }
        }

      break;
    }

  if (!header_seen)
    {
      g_set_error (error, VIGIL_LIFECYCLE_ERROR, VIGIL_LIFECYCLE_ERROR_INVALID,
                   _("The saved alert state is damaged and was not used."));
      return FALSE;
    }

  clear_entries (self);
  self->heartbeat_seen = FALSE;

  while (line_start < end)
    {
      const char *newline = memchr (line_start, '\n', end - line_start);
      const char *line_end = newline != NULL ? newline : end;
      Line line;

      split_line (line_start, line_end - line_start, &line);
      line_start = line_end + 1;

      if (line.n_words == 0 || line.words[0][0] == '#')
        continue;

      if (word_is (&line, 0, "alert"))
        {
          if (current != NULL)
            add_restored (self, current);
          current = entry_from_line (&line);
        }
      else if (word_is (&line, 0, "label") || word_is (&line, 0, "annotation"))
        {
          if (current != NULL)
            entry_add_pair (current, &line);
        }
      else if (word_is (&line, 0, "heartbeat-seen"))
        self->heartbeat_seen = word_is (&line, 1, "1");
      /* Anything else was written by a later release of this version:
       * skipped, like unknown fields. */
    }

  if (current != NULL)
    add_restored (self, current);

  /* Restored after the sources were set: the same check as then. */
  if (self->sources_set)
    forget_unwatched (self);

  self->dirty = TRUE;
  flush_changed (self);

  return TRUE;
}

const char *
vigil_alarm_state_to_string (VigilAlarmState state)
{
  return enum_nick (VIGIL_TYPE_ALARM_STATE, state);
}
