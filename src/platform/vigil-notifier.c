/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "vigil-notifier"

#include "config.h"

#include <glib/gi18n.h>
#include <libnotify/notify.h>

#include "vigil-notifier.h"

/* Labels worth a line in the notification body, in this order. */
static const char * const body_labels[] = { "severity", "instance", "job", "service", "namespace", NULL };

struct _VigilNotifier
{
  GObject             parent_instance;

  gboolean            available;
  /* fingerprint → NotifyNotification, kept so that a later notification
   * for the alert replaces it, its actions reach us, and it can close. */
  GHashTable         *shown;
  NotifyNotification *summary;
};

G_DEFINE_FINAL_TYPE (VigilNotifier, vigil_notifier, G_TYPE_OBJECT)

enum {
  ACTION_INVOKED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* What an action callback needs; the notification may outlive us. */
typedef struct {
  GWeakRef  notifier;
  char     *fingerprint;
} ActionData;

static void
action_data_free (gpointer data)
{
  ActionData *action_data = data;

  g_weak_ref_clear (&action_data->notifier);
  g_free (action_data->fingerprint);
  g_free (action_data);
}

static void
action_cb (NotifyNotification *notification,
           char               *key,
           gpointer            user_data)
{
  ActionData *action_data = user_data;
  g_autoptr(VigilNotifier) self = g_weak_ref_get (&action_data->notifier);

  if (self == NULL)
    return;

  /* Clicking the notification itself opens the alert. */
  if (g_str_equal (key, "default"))
    key = "open";

  g_signal_emit (self, signals[ACTION_INVOKED], 0, key, action_data->fingerprint);
}

static void
add_actions (VigilNotifier      *self,
             NotifyNotification *notification,
             const char         *fingerprint)
{
  static const struct {
    const char *key;
    const char *label;
  } actions[] = {
    { "acknowledge", N_("Acknowledge") },
    { "snooze", N_("Snooze 10 min") },
    { "open", N_("Open") },
    { "default", N_("Open") },
  };

  for (guint i = 0; i < G_N_ELEMENTS (actions); i++)
    {
      ActionData *action_data = g_new0 (ActionData, 1);

      g_weak_ref_init (&action_data->notifier, self);
      action_data->fingerprint = g_strdup (fingerprint);
      notify_notification_add_action (notification, actions[i].key, _(actions[i].label),
                                      action_cb, action_data, action_data_free);
    }
}

static NotifyNotification *
new_notification (const char *summary,
                  const char *body)
{
  NotifyNotification *notification = notify_notification_new (summary, body, APP_ID);

  notify_notification_set_app_name (notification, "Vigil");
  notify_notification_set_category (notification, "x-vigil.alert");
  notify_notification_set_hint_string (notification, "desktop-entry", APP_ID);

  return notification;
}

static void
show (NotifyNotification *notification,
      const char         *what)
{
  g_autoptr(GError) error = NULL;

  if (!notify_notification_show (notification, &error))
    g_message ("Could not show a notification for %s: %s", what, error->message);
}

static void
vigil_notifier_dispose (GObject *object)
{
  VigilNotifier *self = VIGIL_NOTIFIER (object);

  g_clear_pointer (&self->shown, g_hash_table_unref);
  g_clear_object (&self->summary);

  G_OBJECT_CLASS (vigil_notifier_parent_class)->dispose (object);
}

static void
vigil_notifier_class_init (VigilNotifierClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = vigil_notifier_dispose;

  signals[ACTION_INVOKED] =
    g_signal_new ("action-invoked", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_STRING, G_TYPE_STRING);
}

static void
vigil_notifier_init (VigilNotifier *self)
{
  self->shown = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
  self->available = notify_is_initted () || notify_init ("Vigil");
  if (!self->available)
    g_message ("Desktop notifications are not available; alerts show in the window only.");
}

VigilNotifier *
vigil_notifier_new (void)
{
  return g_object_new (VIGIL_TYPE_NOTIFIER, NULL);
}

char *
vigil_notifier_dup_summary (VigilAlert *alert)
{
  g_return_val_if_fail (VIGIL_IS_ALERT (alert), NULL);

  /* The summary is plain text by the notification spec: never escaped,
   * or "&amp;" would show literally. */
  return g_strdup (vigil_alert_get_summary (alert));
}

char *
vigil_notifier_dup_body (VigilAlert *alert)
{
  GString *body = g_string_new (NULL);
  const char *description;
  const char *summary_annotation;

  g_return_val_if_fail (VIGIL_IS_ALERT (alert), NULL);

  /* Servers render the body as markup, and alert text is untrusted: every
   * piece goes through g_markup_escape_text. */
  description = vigil_alert_get_annotation (alert, "description");
  summary_annotation = vigil_alert_get_annotation (alert, "summary");
  if (description != NULL && *description != '\0')
    {
      g_autofree char *escaped = g_markup_escape_text (description, -1);

      g_string_append (body, escaped);
    }
  else if (summary_annotation != NULL && vigil_alert_get_name (alert) != NULL)
    {
      /* The summary took the title; name the rule in the body instead. */
      g_autofree char *escaped = g_markup_escape_text (vigil_alert_get_name (alert), -1);

      g_string_append (body, escaped);
    }

  for (guint i = 0; body_labels[i] != NULL; i++)
    {
      const char *value = vigil_alert_get_label (alert, body_labels[i]);
      g_autofree char *escaped = NULL;

      if (value == NULL)
        continue;

      escaped = g_markup_escape_text (value, -1);
      g_string_append_printf (body, "%s%s: %s", body->len > 0 ? "\n" : "", body_labels[i], escaped);
    }

  return g_string_free (body, FALSE);
}

void
vigil_notifier_notify_alert (VigilNotifier *self,
                             VigilAlert    *alert)
{
  g_return_if_fail (VIGIL_IS_NOTIFIER (self));
  g_return_if_fail (VIGIL_IS_ALERT (alert));

  vigil_notifier_show_alert (self, alert,
                             vigil_alert_get_severity (alert) == VIGIL_SEVERITY_CRITICAL
                             ? VIGIL_URGENCY_CRITICAL : VIGIL_URGENCY_NORMAL);
}

void
vigil_notifier_show_alert (VigilNotifier *self,
                           VigilAlert    *alert,
                           VigilUrgency   urgency)
{
  g_autofree char *summary = NULL;
  g_autofree char *body = NULL;
  const char *fingerprint;
  NotifyNotification *notification;

  g_return_if_fail (VIGIL_IS_NOTIFIER (self));
  g_return_if_fail (VIGIL_IS_ALERT (alert));

  if (!self->available)
    return;

  summary = vigil_notifier_dup_summary (alert);
  body = vigil_notifier_dup_body (alert);
  fingerprint = vigil_alert_get_fingerprint (alert);

  /* Updating the same object keeps its id, so the server replaces the
   * earlier notification instead of stacking a second one. */
  notification = fingerprint != NULL ? g_hash_table_lookup (self->shown, fingerprint) : NULL;
  if (notification != NULL)
    {
      notify_notification_update (notification, summary, body, APP_ID);
      notify_notification_clear_actions (notification);
    }
  else
    {
      notification = new_notification (summary, body);
      if (fingerprint != NULL)
        g_hash_table_replace (self->shown, g_strdup (fingerprint), notification);
    }

  add_actions (self, notification, fingerprint);
  /* VigilUrgency has libnotify's values. */
  notify_notification_set_urgency (notification, (NotifyUrgency) urgency);
  notify_notification_set_timeout (notification,
                                   urgency == VIGIL_URGENCY_CRITICAL
                                   ? NOTIFY_EXPIRES_NEVER : NOTIFY_EXPIRES_DEFAULT);

  show (notification, fingerprint != NULL ? fingerprint : summary);
  if (fingerprint == NULL)
    g_object_unref (notification);
}

char *
vigil_notifier_dup_storm_summary (guint n_alerts,
                                  guint n_critical)
{
  g_autofree char *firing = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u alert firing",
                                                          "%u alerts firing", n_alerts),
                                             n_alerts);

  /* TRANSLATORS: “%s” is “37 alerts firing”. */
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s, %u critical", "%s, %u critical",
                                       n_critical),
                          firing, n_critical);
}

void
vigil_notifier_show_summary (VigilNotifier *self,
                             guint          n_alerts,
                             guint          n_critical)
{
  g_autofree char *summary = NULL;

  g_return_if_fail (VIGIL_IS_NOTIFIER (self));

  if (!self->available)
    return;

  summary = vigil_notifier_dup_storm_summary (n_alerts, n_critical);
  if (self->summary != NULL)
    {
      notify_notification_update (self->summary, summary, NULL, APP_ID);
      notify_notification_clear_actions (self->summary);
    }
  else
    self->summary = new_notification (summary, NULL);

  add_actions (self, self->summary, NULL);
  notify_notification_set_urgency (self->summary,
                                   n_critical > 0 ? NOTIFY_URGENCY_CRITICAL : NOTIFY_URGENCY_NORMAL);
  notify_notification_set_timeout (self->summary,
                                   n_critical > 0 ? NOTIFY_EXPIRES_NEVER : NOTIFY_EXPIRES_DEFAULT);
  show (self->summary, summary);
}

void
vigil_notifier_withdraw (VigilNotifier *self,
                         const char    *fingerprint)
{
  NotifyNotification *notification;
  g_autoptr(GError) error = NULL;

  g_return_if_fail (VIGIL_IS_NOTIFIER (self));
  g_return_if_fail (fingerprint != NULL);

  notification = g_hash_table_lookup (self->shown, fingerprint);
  if (notification == NULL)
    return;

  if (!notify_notification_close (notification, &error))
    g_debug ("Could not close the notification for %s: %s", fingerprint, error->message);
  g_hash_table_remove (self->shown, fingerprint);
}
