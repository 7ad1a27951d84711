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
  GObject   parent_instance;

  gboolean  available;
};

G_DEFINE_FINAL_TYPE (VigilNotifier, vigil_notifier, G_TYPE_OBJECT)

static void
vigil_notifier_class_init (VigilNotifierClass *klass)
{
}

static void
vigil_notifier_init (VigilNotifier *self)
{
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
  g_autoptr(GObject) notification = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *summary = NULL;
  g_autofree char *body = NULL;
  gboolean critical;

  g_return_if_fail (VIGIL_IS_NOTIFIER (self));
  g_return_if_fail (VIGIL_IS_ALERT (alert));

  if (!self->available)
    return;

  summary = vigil_notifier_dup_summary (alert);
  body = vigil_notifier_dup_body (alert);
  critical = vigil_alert_get_severity (alert) == VIGIL_SEVERITY_CRITICAL;

  /* libnotify 0.8.1 (Debian 12) has no autoptr for its type. */
  notification = G_OBJECT (notify_notification_new (summary, body, APP_ID));
  notify_notification_set_app_name (NOTIFY_NOTIFICATION (notification), "Vigil");
  notify_notification_set_category (NOTIFY_NOTIFICATION (notification), "x-vigil.alert");
  notify_notification_set_hint_string (NOTIFY_NOTIFICATION (notification), "desktop-entry", APP_ID);
  notify_notification_set_urgency (NOTIFY_NOTIFICATION (notification),
                                   critical ? NOTIFY_URGENCY_CRITICAL : NOTIFY_URGENCY_NORMAL);
  if (critical)
    notify_notification_set_timeout (NOTIFY_NOTIFICATION (notification), NOTIFY_EXPIRES_NEVER);

  if (!notify_notification_show (NOTIFY_NOTIFICATION (notification), &error))
    g_message ("Could not show a notification for %s: %s",
               vigil_alert_get_fingerprint (alert), error->message);
}
