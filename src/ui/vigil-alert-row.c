/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "vigil-alert-row"

#include "config.h"

#include <glib/gi18n.h>

#include "vigil-alert-row.h"

/* Enough for any row width; the label ellipsizes the rest. */
#define ROW_MAX_CHARS 300
#define AGE_REFRESH_SECONDS 30

struct _VigilAlertRow
{
  GtkWidget   parent_instance;

  GtkLabel   *severity_label;
  GtkLabel   *summary_label;
  GtkLabel   *details_label;
  GtkLabel   *age_label;

  VigilAlert *alert;
  gulong      alert_changed_id;
  guint       age_timeout_id;
};

G_DEFINE_FINAL_TYPE (VigilAlertRow, vigil_alert_row, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_ALERT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
unparent_children (GtkWidget *widget)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (widget)) != NULL)
    gtk_widget_unparent (child);
}

/* Labels worth seeing in the list without opening the details. */
static const char * const key_labels[] = { "instance", "job", "service", NULL };

/* A row shows one ellipsized line, so laying out a multi-kilobyte
 * description would cost time for nothing when thousands of rows scroll
 * by. The cut is made on a character boundary, and line breaks become
 * spaces so the one line reads naturally. */
static void
set_one_line_text (GtkLabel   *label,
                   const char *text)
{
  const char *end;
  g_autofree char *copy = NULL;

  g_assert (GTK_IS_LABEL (label));

  if (text == NULL)
    text = "";

  end = text;
  for (guint i = 0; i < ROW_MAX_CHARS && *end != '\0'; i++)
    end = g_utf8_next_char (end);

  copy = g_strndup (text, end - text);
  g_strdelimit (copy, "\n\r\t", ' ');
  gtk_label_set_text (label, copy);
}

static char *
dup_details_text (VigilAlert *alert)
{
  g_autoptr(GString) text = g_string_new (NULL);
  const char *name = vigil_alert_get_name (alert);

  if (name != NULL)
    g_string_append (text, name);

  for (guint i = 0; key_labels[i] != NULL; i++)
    {
      const char *value = vigil_alert_get_label (alert, key_labels[i]);

      if (value == NULL)
        continue;

      if (text->len > 0)
        g_string_append (text, " · ");
      g_string_append_printf (text, "%s=%s", key_labels[i], value);
    }

  return g_string_free (g_steal_pointer (&text), FALSE);
}

static void
update_age (VigilAlertRow *self)
{
  GDateTime *starts_at;
  g_autoptr(GDateTime) now = NULL;
  g_autofree char *duration = NULL;
  g_autofree char *text = NULL;

  g_assert (VIGIL_IS_ALERT_ROW (self));

  if (self->alert == NULL ||
      (starts_at = vigil_alert_get_starts_at (self->alert)) == NULL)
    {
      gtk_label_set_text (self->age_label, "");
      return;
    }

  now = g_date_time_new_now_utc ();
  duration = vigil_alert_row_format_duration (g_date_time_difference (now, starts_at));

  if (vigil_alert_get_state (self->alert) == VIGIL_ALERT_STATE_PENDING)
    /* Translators: %s is a duration such as "12 min". */
    text = g_strdup_printf (_("pending for %s"), duration);
  else
    /* Translators: %s is a duration such as "12 min". */
    text = g_strdup_printf (_("for %s"), duration);

  gtk_label_set_text (self->age_label, text);
}

static void
update_accessible_label (VigilAlertRow *self)
{
  g_autofree char *text = NULL;

  g_assert (VIGIL_IS_ALERT_ROW (self));

  if (self->alert == NULL)
    {
      gtk_accessible_reset_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL);
      return;
    }

  /* Translators: an alert list row read by a screen reader: severity,
   * summary, then how long it has been firing ("for 12 min"). */
  text = g_strdup_printf (_("%s: %s, %s"),
                          vigil_alert_row_severity_label (vigil_alert_get_severity (self->alert)),
                          gtk_label_get_text (self->summary_label),
                          gtk_label_get_text (self->age_label));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, text,
                                  -1);
}

static void
update (VigilAlertRow *self)
{
  VigilAlertState state = VIGIL_ALERT_STATE_ACTIVE;
  VigilSeverity severity = VIGIL_SEVERITY_NONE;
  g_autofree char *details = NULL;

  g_assert (VIGIL_IS_ALERT_ROW (self));

  if (self->alert != NULL)
    {
      state = vigil_alert_get_state (self->alert);
      severity = vigil_alert_get_severity (self->alert);
      details = dup_details_text (self->alert);
    }

  gtk_label_set_text (self->severity_label, vigil_alert_row_severity_label (severity));
  vigil_alert_row_apply_severity (GTK_WIDGET (self->severity_label), severity);

  /* Alert text comes from servers: always plain text, never markup. */
  set_one_line_text (self->summary_label,
                     self->alert ? vigil_alert_get_summary (self->alert) : NULL);
  set_one_line_text (self->details_label, details);

  if (state == VIGIL_ALERT_STATE_SUPPRESSED)
    gtk_widget_add_css_class (GTK_WIDGET (self), "suppressed");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self), "suppressed");

  if (state == VIGIL_ALERT_STATE_PENDING)
    gtk_widget_add_css_class (GTK_WIDGET (self), "pending");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self), "pending");

  update_age (self);
  update_accessible_label (self);
}

/* The tracker updates alerts in place: a row follows its alert while
 * bound, e.g. when it gets silenced. */
static void
alert_changed_cb (VigilAlertRow *self,
                  VigilAlert    *alert G_GNUC_UNUSED)
{
  update (self);
}

static gboolean
age_timeout_cb (gpointer user_data)
{
  VigilAlertRow *self = user_data;

  update_age (self);
  update_accessible_label (self);

  return G_SOURCE_CONTINUE;
}

static void
vigil_alert_row_map (GtkWidget *widget)
{
  VigilAlertRow *self = VIGIL_ALERT_ROW (widget);

  GTK_WIDGET_CLASS (vigil_alert_row_parent_class)->map (widget);

  /* Only rows on screen tick: the list recycles a few dozen rows however
   * many alerts there are. */
  update_age (self);
  if (self->age_timeout_id == 0)
    self->age_timeout_id = g_timeout_add_seconds (AGE_REFRESH_SECONDS, age_timeout_cb, self);
}

static void
vigil_alert_row_unmap (GtkWidget *widget)
{
  VigilAlertRow *self = VIGIL_ALERT_ROW (widget);

  g_clear_handle_id (&self->age_timeout_id, g_source_remove);

  GTK_WIDGET_CLASS (vigil_alert_row_parent_class)->unmap (widget);
}

static void
vigil_alert_row_dispose (GObject *object)
{
  VigilAlertRow *self = VIGIL_ALERT_ROW (object);

  g_clear_handle_id (&self->age_timeout_id, g_source_remove);
  if (self->alert != NULL)
    g_clear_signal_handler (&self->alert_changed_id, self->alert);
  gtk_widget_dispose_template (GTK_WIDGET (self), VIGIL_TYPE_ALERT_ROW);
  /* GTK 4.8 leaves template children that are not bound to a field. */
  unparent_children (GTK_WIDGET (self));
  g_clear_object (&self->alert);

  G_OBJECT_CLASS (vigil_alert_row_parent_class)->dispose (object);
}

static void
vigil_alert_row_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  VigilAlertRow *self = VIGIL_ALERT_ROW (object);

  switch (prop_id)
    {
    case PROP_ALERT:
      g_value_set_object (value, self->alert);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
vigil_alert_row_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  VigilAlertRow *self = VIGIL_ALERT_ROW (object);

  switch (prop_id)
    {
    case PROP_ALERT:
      vigil_alert_row_set_alert (self, g_value_get_object (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
vigil_alert_row_class_init (VigilAlertRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = vigil_alert_row_dispose;
  object_class->get_property = vigil_alert_row_get_property;
  object_class->set_property = vigil_alert_row_set_property;

  widget_class->map = vigil_alert_row_map;
  widget_class->unmap = vigil_alert_row_unmap;

  properties[PROP_ALERT] =
    g_param_spec_object ("alert", NULL, NULL,
                         VIGIL_TYPE_ALERT,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/vigil-alert-row.ui");
  gtk_widget_class_bind_template_child (widget_class, VigilAlertRow, severity_label);
  gtk_widget_class_bind_template_child (widget_class, VigilAlertRow, summary_label);
  gtk_widget_class_bind_template_child (widget_class, VigilAlertRow, details_label);
  gtk_widget_class_bind_template_child (widget_class, VigilAlertRow, age_label);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "vigilalertrow");
}

static void
vigil_alert_row_init (VigilAlertRow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  update (self);
}

GtkWidget *
vigil_alert_row_new (void)
{
  return g_object_new (VIGIL_TYPE_ALERT_ROW, NULL);
}

VigilAlert *
vigil_alert_row_get_alert (VigilAlertRow *self)
{
  g_return_val_if_fail (VIGIL_IS_ALERT_ROW (self), NULL);

  return self->alert;
}

void
vigil_alert_row_set_alert (VigilAlertRow *self,
                           VigilAlert    *alert)
{
  g_return_if_fail (VIGIL_IS_ALERT_ROW (self));
  g_return_if_fail (alert == NULL || VIGIL_IS_ALERT (alert));

  if (self->alert == alert)
    return;

  if (self->alert != NULL)
    g_clear_signal_handler (&self->alert_changed_id, self->alert);

  g_set_object (&self->alert, alert);

  if (alert != NULL)
    self->alert_changed_id = g_signal_connect_object (alert, "changed",
                                                      G_CALLBACK (alert_changed_cb), self,
                                                      G_CONNECT_SWAPPED);

  update (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ALERT]);
}

char *
vigil_alert_row_format_duration (GTimeSpan span)
{
  gint64 minutes = MAX (span, 0) / G_TIME_SPAN_MINUTE;
  int days;
  int hours;

  if (minutes < 1)
    /* Translators: a duration shorter than a minute, kept short for the
     * alert list ("for <1 min"). */
    return g_strdup (_("<1 min"));

  if (minutes < 60)
    /* Translators: a duration in minutes, e.g. "12 min". */
    return g_strdup_printf (_("%d min"), (int) minutes);

  if (minutes < 48 * 60)
    {
      hours = minutes / 60;
      /* Translators: a duration in hours and minutes, e.g. "2 h 5 min". */
      return g_strdup_printf (_("%d h %d min"), hours, (int) (minutes % 60));
    }

  days = MIN (minutes / (24 * 60), G_MAXINT);
  hours = (minutes / 60) % 24;
  /* Translators: a duration in days and hours, e.g. "3 days 4 h". */
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d day %d h", "%d days %d h", days),
                          days, hours);
}

const char *
vigil_alert_row_severity_label (VigilSeverity severity)
{
  switch (severity)
    {
    case VIGIL_SEVERITY_CRITICAL:
      return C_("severity", "Critical");

    case VIGIL_SEVERITY_WARNING:
      return C_("severity", "Warning");

    case VIGIL_SEVERITY_INFO:
      return C_("severity", "Info");

    case VIGIL_SEVERITY_NONE:
    default:
      return C_("severity", "None");
    }
}

const char *
vigil_alert_row_severity_css_class (VigilSeverity severity)
{
  switch (severity)
    {
    case VIGIL_SEVERITY_CRITICAL:
      return "critical";

    case VIGIL_SEVERITY_WARNING:
      return "warning";

    case VIGIL_SEVERITY_INFO:
      return "info";

    case VIGIL_SEVERITY_NONE:
    default:
      return "none";
    }
}

void
vigil_alert_row_apply_severity (GtkWidget     *widget,
                                VigilSeverity  severity)
{
  static const VigilSeverity all[] = {
    VIGIL_SEVERITY_NONE, VIGIL_SEVERITY_INFO,
    VIGIL_SEVERITY_WARNING, VIGIL_SEVERITY_CRITICAL,
  };

  g_return_if_fail (GTK_IS_WIDGET (widget));

  for (guint i = 0; i < G_N_ELEMENTS (all); i++)
    gtk_widget_remove_css_class (widget, vigil_alert_row_severity_css_class (all[i]));

  gtk_widget_add_css_class (widget, vigil_alert_row_severity_css_class (severity));
}
