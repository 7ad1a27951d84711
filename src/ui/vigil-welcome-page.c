/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "vigil-welcome-page"

#include "config.h"

#include <glib/gi18n.h>
#include <adwaita.h>

#include "vigil-alert-details.h"
#include "vigil-welcome-page.h"

/* Long enough to read "Alertmanager answered: 3 alerts" before the window
 * moves on to the alert list. */
#define LEAVE_DELAY_MS 2000

struct _VigilWelcomePage
{
  GtkWidget         parent_instance;

  /* Template widgets */
  AdwEntryRow      *alertmanager_row;
  AdwEntryRow      *prometheus_row;
  GtkLabel         *message_label;
  GtkSpinner       *spinner;
  GtkListBox       *results_list;
  GtkButton        *continue_button;

  VigilApplication *application;
  GCancellable     *cancellable;
  guint             leave_timeout_id;
  guint             keep_visible : 1;
  guint             busy : 1;
};

G_DEFINE_FINAL_TYPE (VigilWelcomePage, vigil_welcome_page, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_APPLICATION,
  PROP_KEEP_VISIBLE,
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

static void
set_keep_visible (VigilWelcomePage *self,
                  gboolean          keep_visible)
{
  g_assert (VIGIL_IS_WELCOME_PAGE (self));

  keep_visible = !!keep_visible;

  if (self->keep_visible == keep_visible)
    return;

  self->keep_visible = keep_visible;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_KEEP_VISIBLE]);
}

static void
set_busy (VigilWelcomePage *self,
          gboolean          busy)
{
  g_assert (VIGIL_IS_WELCOME_PAGE (self));

  self->busy = !!busy;
  gtk_widget_set_visible (GTK_WIDGET (self->spinner), busy);
  gtk_spinner_set_spinning (self->spinner, busy);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "welcome.connect", !busy);
}

static void
show_message (VigilWelcomePage *self,
              const char       *message)
{
  g_assert (VIGIL_IS_WELCOME_PAGE (self));

  /* The message may quote a server: plain text only. */
  gtk_label_set_text (self->message_label, message ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->message_label), message != NULL);
}

static void
clear_results (VigilWelcomePage *self)
{
  GtkWidget *child;

  g_assert (VIGIL_IS_WELCOME_PAGE (self));

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->results_list))) != NULL)
    gtk_list_box_remove (self->results_list, child);

  gtk_widget_set_visible (GTK_WIDGET (self->results_list), FALSE);
  gtk_widget_set_visible (GTK_WIDGET (self->continue_button), FALSE);
}

static void
add_result_row (VigilWelcomePage *self,
                gboolean          answered,
                const char       *text)
{
  GtkWidget *row;
  GtkWidget *box;
  GtkWidget *icon;
  GtkWidget *label;

  g_assert (VIGIL_IS_WELCOME_PAGE (self));

  row = gtk_list_box_row_new ();
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), FALSE);

  box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  gtk_widget_set_margin_top (box, 12);
  gtk_widget_set_margin_bottom (box, 12);
  gtk_widget_set_margin_start (box, 12);
  gtk_widget_set_margin_end (box, 12);

  icon = gtk_image_new_from_icon_name (answered ? "emblem-ok-symbolic" : "dialog-error-symbolic");
  gtk_widget_add_css_class (icon, answered ? "success" : "error");
  gtk_widget_set_valign (icon, GTK_ALIGN_START);
  gtk_accessible_update_property (GTK_ACCESSIBLE (icon),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  answered ? _("Answered") : _("Failed"),
                                  -1);

  label = gtk_label_new (NULL);
  gtk_label_set_use_markup (GTK_LABEL (label), FALSE);
  gtk_label_set_text (GTK_LABEL (label), text);
  gtk_label_set_xalign (GTK_LABEL (label), 0.0f);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
  gtk_label_set_selectable (GTK_LABEL (label), !answered);
  gtk_widget_set_hexpand (label, TRUE);

  gtk_box_append (GTK_BOX (box), icon);
  gtk_box_append (GTK_BOX (box), label);
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);
  gtk_list_box_append (self->results_list, row);
  gtk_widget_set_visible (GTK_WIDGET (self->results_list), TRUE);
}

static char *
dup_result_text (VigilSource *source,
                 gboolean    *answered)
{
  gboolean is_alertmanager = vigil_source_get_kind (source) == VIGIL_SOURCE_KIND_ALERTMANAGER;
  const char *message;

  *answered = vigil_source_get_health (source) == VIGIL_SOURCE_HEALTH_OK;

  if (*answered)
    {
      GPtrArray *alerts = vigil_source_get_alerts (source);
      guint n = alerts ? alerts->len : 0;

      if (is_alertmanager)
        return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                             "Alertmanager answered: %u alert",
                                             "Alertmanager answered: %u alerts", n),
                                n);
      else
        return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                             "Prometheus answered: %u alert",
                                             "Prometheus answered: %u alerts", n),
                                n);
    }

  message = vigil_source_get_error_message (source);
  if (message == NULL)
    message = _("It did not answer.");

  if (is_alertmanager)
    /* Translators: %s is a sentence explaining why the server failed. */
    return g_strdup_printf (_("Alertmanager: %s"), message);
  else
    /* Translators: %s is a sentence explaining why the server failed. */
    return g_strdup_printf (_("Prometheus: %s"), message);
}

/* Reads, trims and checks one field. Returns FALSE when the text is not
 * empty but not an http(s) URL either; `url_out` is NULL for an empty one. */
static gboolean
read_url_field (AdwEntryRow  *row,
                char        **url_out)
{
  g_autofree char *text = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (row))));
  g_autofree char *uri = NULL;

  *url_out = NULL;

  if (text[0] == '\0')
    return TRUE;

  uri = vigil_alert_details_dup_http_uri (text);
  if (uri == NULL)
    {
      gtk_widget_add_css_class (GTK_WIDGET (row), "error");
      return FALSE;
    }

  *url_out = g_steal_pointer (&text);

  return TRUE;
}

static gboolean
leave_timeout_cb (gpointer user_data)
{
  VigilWelcomePage *self = user_data;

  self->leave_timeout_id = 0;
  set_keep_visible (self, FALSE);

  return G_SOURCE_REMOVE;
}

static void
poll_once_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(VigilWelcomePage) self = user_data;
  g_autoptr(GError) error = NULL;
  VigilPoller *poller = VIGIL_POLLER (object);
  GListModel *sources;
  guint n_sources;
  guint n_answered = 0;

  vigil_poller_poll_once_finish (poller, result, &error);

  /* Also covers a poller that finishes normally after we cancelled: the
   * page is disposed by then and its widgets are gone. */
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) ||
      g_cancellable_is_cancelled (self->cancellable))
    return;

  set_busy (self, FALSE);
  clear_results (self);

  sources = vigil_poller_get_sources (poller);
  n_sources = g_list_model_get_n_items (sources);

  for (guint i = 0; i < n_sources; i++)
    {
      g_autoptr(VigilSource) source = g_list_model_get_item (sources, i);
      g_autofree char *text = NULL;
      gboolean answered;

      text = dup_result_text (source, &answered);
      add_result_row (self, answered, text);
      if (answered)
        n_answered++;
    }

  if (n_sources == 0 && error != NULL)
    show_message (self, error->message);

  if (n_answered > 0)
    {
      g_clear_handle_id (&self->leave_timeout_id, g_source_remove);
      self->leave_timeout_id = g_timeout_add (LEAVE_DELAY_MS, leave_timeout_cb, self);
    }
  else
    {
      /* Nothing answered: stay, keep what was typed so it can be fixed,
       * and let the engineer go on anyway (the server may be starting). */
      gtk_widget_set_visible (GTK_WIDGET (self->continue_button), n_sources > 0);
    }
}

static void
connect_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *param)
{
  VigilWelcomePage *self = VIGIL_WELCOME_PAGE (widget);
  g_autofree char *alertmanager_url = NULL;
  g_autofree char *prometheus_url = NULL;
  g_autoptr(GError) error = NULL;
  gboolean valid = TRUE;

  g_assert (action_name != NULL);
  g_assert (param == NULL);

  if (self->busy || self->application == NULL)
    return;

  g_clear_handle_id (&self->leave_timeout_id, g_source_remove);
  show_message (self, NULL);
  clear_results (self);

  valid &= read_url_field (self->alertmanager_row, &alertmanager_url);
  valid &= read_url_field (self->prometheus_row, &prometheus_url);

  if (!valid)
    {
      show_message (self, _("Enter an address that starts with http:// or https://."));
      return;
    }

  if (alertmanager_url == NULL && prometheus_url == NULL)
    {
      gtk_widget_add_css_class (GTK_WIDGET (self->alertmanager_row), "error");
      gtk_widget_add_css_class (GTK_WIDGET (self->prometheus_row), "error");
      show_message (self, _("Enter the URL of an Alertmanager, a Prometheus, or both."));
      gtk_widget_grab_focus (GTK_WIDGET (self->alertmanager_row));
      return;
    }

  /* Set before configuring: the window switches to the alert list as soon
   * as sources exist, and the engineer should first see what answered. */
  set_keep_visible (self, TRUE);

  if (!vigil_application_configure (self->application, alertmanager_url, prometheus_url, &error))
    {
      show_message (self, error->message);
      gtk_widget_set_visible (GTK_WIDGET (self->continue_button),
                              g_list_model_get_n_items (vigil_poller_get_sources (vigil_application_get_poller (self->application))) > 0);
      return;
    }

  set_busy (self, TRUE);
  vigil_poller_poll_once_async (vigil_application_get_poller (self->application),
                                self->cancellable,
                                poll_once_cb,
                                g_object_ref (self));
}

static void
continue_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *param)
{
  VigilWelcomePage *self = VIGIL_WELCOME_PAGE (widget);

  g_assert (action_name != NULL);
  g_assert (param == NULL);

  set_keep_visible (self, FALSE);
}

static void
entry_changed_cb (VigilWelcomePage *self,
                  GtkEditable      *editable)
{
  g_assert (VIGIL_IS_WELCOME_PAGE (self));

  gtk_widget_remove_css_class (GTK_WIDGET (editable), "error");
}

static void
entry_activated_cb (VigilWelcomePage *self,
                    AdwEntryRow      *row)
{
  g_assert (VIGIL_IS_WELCOME_PAGE (self));
  g_assert (ADW_IS_ENTRY_ROW (row));

  gtk_widget_activate_action (GTK_WIDGET (self), "welcome.connect", NULL);
}

static void
vigil_welcome_page_map (GtkWidget *widget)
{
  VigilWelcomePage *self = VIGIL_WELCOME_PAGE (widget);

  GTK_WIDGET_CLASS (vigil_welcome_page_parent_class)->map (widget);

  if (gtk_editable_get_text (GTK_EDITABLE (self->alertmanager_row))[0] == '\0' &&
      gtk_editable_get_text (GTK_EDITABLE (self->prometheus_row))[0] == '\0')
    gtk_widget_grab_focus (GTK_WIDGET (self->alertmanager_row));
}

static void
vigil_welcome_page_unmap (GtkWidget *widget)
{
  VigilWelcomePage *self = VIGIL_WELCOME_PAGE (widget);

  /* Once the window has moved on, old answers would only mislead if this
   * page came back (say, after every source was removed). */
  if (!self->keep_visible && !self->busy)
    {
      clear_results (self);
      show_message (self, NULL);
    }

  GTK_WIDGET_CLASS (vigil_welcome_page_parent_class)->unmap (widget);
}

static void
vigil_welcome_page_dispose (GObject *object)
{
  VigilWelcomePage *self = VIGIL_WELCOME_PAGE (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_handle_id (&self->leave_timeout_id, g_source_remove);
  gtk_widget_dispose_template (GTK_WIDGET (self), VIGIL_TYPE_WELCOME_PAGE);
  /* GTK 4.8 leaves template children that are not bound to a field. */
  unparent_children (GTK_WIDGET (self));
  g_clear_object (&self->application);

  G_OBJECT_CLASS (vigil_welcome_page_parent_class)->dispose (object);
}

static void
vigil_welcome_page_finalize (GObject *object)
{
  VigilWelcomePage *self = VIGIL_WELCOME_PAGE (object);

  g_clear_object (&self->cancellable);

  G_OBJECT_CLASS (vigil_welcome_page_parent_class)->finalize (object);
}

static void
vigil_welcome_page_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  VigilWelcomePage *self = VIGIL_WELCOME_PAGE (object);

  switch (prop_id)
    {
    case PROP_APPLICATION:
      g_value_set_object (value, self->application);
      break;

    case PROP_KEEP_VISIBLE:
      g_value_set_boolean (value, self->keep_visible);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
vigil_welcome_page_set_property (GObject      *object,
                                 guint         prop_id,
                                 const GValue *value,
                                 GParamSpec   *pspec)
{
  VigilWelcomePage *self = VIGIL_WELCOME_PAGE (object);

  switch (prop_id)
    {
    case PROP_APPLICATION:
      vigil_welcome_page_set_application (self, g_value_get_object (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
vigil_welcome_page_class_init (VigilWelcomePageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = vigil_welcome_page_dispose;
  object_class->finalize = vigil_welcome_page_finalize;
  object_class->get_property = vigil_welcome_page_get_property;
  object_class->set_property = vigil_welcome_page_set_property;

  widget_class->map = vigil_welcome_page_map;
  widget_class->unmap = vigil_welcome_page_unmap;

  properties[PROP_APPLICATION] =
    g_param_spec_object ("application", NULL, NULL,
                         VIGIL_TYPE_APPLICATION,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_KEEP_VISIBLE] =
    g_param_spec_boolean ("keep-visible", NULL, NULL,
                          FALSE,
                          (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_install_action (widget_class, "welcome.connect", NULL, connect_action);
  gtk_widget_class_install_action (widget_class, "welcome.continue", NULL, continue_action);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/vigil-welcome-page.ui");
  gtk_widget_class_bind_template_child (widget_class, VigilWelcomePage, alertmanager_row);
  gtk_widget_class_bind_template_child (widget_class, VigilWelcomePage, prometheus_row);
  gtk_widget_class_bind_template_child (widget_class, VigilWelcomePage, message_label);
  gtk_widget_class_bind_template_child (widget_class, VigilWelcomePage, spinner);
  gtk_widget_class_bind_template_child (widget_class, VigilWelcomePage, results_list);
  gtk_widget_class_bind_template_child (widget_class, VigilWelcomePage, continue_button);
  gtk_widget_class_bind_template_callback (widget_class, entry_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, entry_activated_cb);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "vigilwelcomepage");
}

static void
vigil_welcome_page_init (VigilWelcomePage *self)
{
  self->cancellable = g_cancellable_new ();

  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
vigil_welcome_page_new (void)
{
  return g_object_new (VIGIL_TYPE_WELCOME_PAGE, NULL);
}

VigilApplication *
vigil_welcome_page_get_application (VigilWelcomePage *self)
{
  g_return_val_if_fail (VIGIL_IS_WELCOME_PAGE (self), NULL);

  return self->application;
}

void
vigil_welcome_page_set_application (VigilWelcomePage *self,
                                    VigilApplication *application)
{
  g_return_if_fail (VIGIL_IS_WELCOME_PAGE (self));
  g_return_if_fail (application == NULL || VIGIL_IS_APPLICATION (application));

  if (g_set_object (&self->application, application))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_APPLICATION]);
}

gboolean
vigil_welcome_page_get_keep_visible (VigilWelcomePage *self)
{
  g_return_val_if_fail (VIGIL_IS_WELCOME_PAGE (self), FALSE);

  return self->keep_visible;
}
