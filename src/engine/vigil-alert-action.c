/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "vigil-alert-action"

#include "config.h"

#include "vigil-alert-action.h"

G_DEFINE_BOXED_TYPE (VigilAlertAction, vigil_alert_action,
                     vigil_alert_action_ref, vigil_alert_action_unref)

G_DEFINE_ENUM_TYPE (VigilAlertActionKind, vigil_alert_action_kind,
  G_DEFINE_ENUM_VALUE (VIGIL_ALERT_ACTION_NOTIFY, "notify"),
  G_DEFINE_ENUM_VALUE (VIGIL_ALERT_ACTION_NOTIFY_SUMMARY, "notify-summary"),
  G_DEFINE_ENUM_VALUE (VIGIL_ALERT_ACTION_PLAY, "play"),
  G_DEFINE_ENUM_VALUE (VIGIL_ALERT_ACTION_STOP, "stop"),
  G_DEFINE_ENUM_VALUE (VIGIL_ALERT_ACTION_ESCALATE, "escalate"),
  G_DEFINE_ENUM_VALUE (VIGIL_ALERT_ACTION_RUN_HOOK, "run-hook"),
  G_DEFINE_ENUM_VALUE (VIGIL_ALERT_ACTION_REARM, "rearm"),
  G_DEFINE_ENUM_VALUE (VIGIL_ALERT_ACTION_RESOLVED, "resolved"))

G_DEFINE_ENUM_TYPE (VigilAlertReason, vigil_alert_reason,
  G_DEFINE_ENUM_VALUE (VIGIL_ALERT_REASON_FIRED, "fired"),
  G_DEFINE_ENUM_VALUE (VIGIL_ALERT_REASON_REPEAT, "repeat"),
  G_DEFINE_ENUM_VALUE (VIGIL_ALERT_REASON_ESCALATED, "escalated"),
  G_DEFINE_ENUM_VALUE (VIGIL_ALERT_REASON_REARMED, "rearmed"),
  G_DEFINE_ENUM_VALUE (VIGIL_ALERT_REASON_SNOOZE_ENDED, "snooze-ended"),
  G_DEFINE_ENUM_VALUE (VIGIL_ALERT_REASON_UNACKNOWLEDGED, "unacknowledged"),
  G_DEFINE_ENUM_VALUE (VIGIL_ALERT_REASON_SILENCE_ENDED, "silence-ended"),
  G_DEFINE_ENUM_VALUE (VIGIL_ALERT_REASON_QUIET_ENDED, "quiet-ended"))

static void
vigil_alert_action_free (VigilAlertAction *self)
{
  g_clear_object (&self->alert);
  g_clear_pointer (&self->alerts, g_ptr_array_unref);
  g_free (self);
}

VigilAlertAction *
vigil_alert_action_new (VigilAlertActionKind  kind,
                        VigilAlert           *alert)
{
  VigilAlertAction *self;

  g_return_val_if_fail (alert == NULL || VIGIL_IS_ALERT (alert), NULL);

  self = g_new0 (VigilAlertAction, 1);
  g_atomic_ref_count_init (&self->ref_count);
  self->kind = kind;
  self->urgency = VIGIL_URGENCY_NORMAL;
  if (alert != NULL)
    {
      self->alert = g_object_ref (alert);
      self->fingerprint = vigil_alert_get_fingerprint (alert);
    }

  return self;
}

VigilAlertAction *
vigil_alert_action_ref (VigilAlertAction *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  g_atomic_ref_count_inc (&self->ref_count);

  return self;
}

void
vigil_alert_action_unref (VigilAlertAction *self)
{
  g_return_if_fail (self != NULL);

  if (g_atomic_ref_count_dec (&self->ref_count))
    vigil_alert_action_free (self);
}

const char *
vigil_alert_action_kind_to_string (VigilAlertActionKind kind)
{
  GEnumClass *klass = g_type_class_ref (VIGIL_TYPE_ALERT_ACTION_KIND);
  GEnumValue *value = g_enum_get_value (klass, kind);

  g_type_class_unref (klass);

  return value != NULL ? value->value_nick : "unknown";
}
