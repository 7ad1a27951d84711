/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "vigil-preferences-window"

#include "config.h"

#include <glib/gi18n.h>

#include "vigil-preferences-window.h"
#include "vigil-secrets.h"
#include "vigil-source-config.h"

/* A source taken out of the list, kept until its toast goes away so that
 * "Undo" can put it back; its secret leaves the keyring only then. */
typedef struct {
  guint              id;
  guint              position;
  VigilSourceConfig *config;
  gboolean           undone;
} Removal;

struct _VigilPreferencesWindow
{
  AdwPreferencesWindow  parent_instance;

  /* Template widgets */
  AdwPreferencesGroup  *sources_group;
  GtkListBox           *sources_list;
  GtkSpinButton        *interval_button;

  VigilApplication     *application;
  GSettings            *settings;
  GPtrArray            *configs;         /* VigilSourceConfig */

  VigilSourceEditor    *editor;
  int                   editing;         /* position, or -1 for a new source */
  gboolean              saving;

  GHashTable           *removals;        /* id -> Removal */
  guint                 next_removal_id;

  GCancellable         *cancellable;
  guint                 reload_idle_id;
};

G_DEFINE_FINAL_TYPE (VigilPreferencesWindow, vigil_preferences_window, ADW_TYPE_PREFERENCES_WINDOW)

static void
removal_free (Removal *removal)
{
  vigil_source_config_free (removal->config);
  g_free (removal);
}

static const char *
kind_label (const VigilSourceConfig *config)
{
  if (config->kind == VIGIL_SOURCE_KIND_PROMETHEUS)
    return _("Prometheus-compatible");

  if (config->urls[0] != NULL && config->urls[1] != NULL)
    return _("Alertmanager cluster");

  return _("Alertmanager");
}

static char *
dup_row_subtitle (const VigilSourceConfig *config)
{
  g_autofree char *urls = g_strjoinv (", ", config->urls);
  g_autoptr(GString) text = g_string_new (kind_label (config));

  g_string_append (text, " · ");
  g_string_append (text, urls);

  switch (config->auth)
    {
    case VIGIL_AUTH_BASIC:
      g_string_append (text, " · ");
      /* Translators: %s is a user name. */
      g_string_append_printf (text, _("user %s"), config->username);
      break;
    case VIGIL_AUTH_BEARER:
      g_string_append (text, " · ");
      g_string_append (text, _("token"));
      break;
    case VIGIL_AUTH_NONE:
    default:
      break;
    }

  if (config->tenant != NULL)
    {
      g_string_append (text, " · ");
      /* Translators: %s is a Mimir/Cortex tenant name. */
      g_string_append_printf (text, _("tenant %s"), config->tenant);
    }

  return g_markup_escape_text (text->str, -1);
}

static GtkWidget *
create_row (VigilPreferencesWindow  *self,
            const VigilSourceConfig *config,
            guint                    position)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *icon;
  GtkWidget *button;
  g_autofree char *subtitle = dup_row_subtitle (config);

  /* Names and addresses are the engineer's text, never markup. */
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), config->name);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 2);
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
  gtk_actionable_set_action_name (GTK_ACTIONABLE (row), "prefs.edit-source");
  gtk_actionable_set_action_target (GTK_ACTIONABLE (row), "u", position);

  if (config->kind == VIGIL_SOURCE_KIND_PROMETHEUS)
    icon = gtk_image_new_from_icon_name ("vigil-chart-symbolic");
  else if (config->urls[0] != NULL && config->urls[1] != NULL)
    icon = gtk_image_new_from_icon_name ("network-workgroup-symbolic");
  else
    icon = gtk_image_new_from_icon_name ("alarm-symbolic");
  adw_action_row_add_prefix (ADW_ACTION_ROW (row), icon);

  if (!config->tls_verify)
    {
      GtkWidget *warning = gtk_image_new_from_icon_name ("dialog-warning-symbolic");

      gtk_widget_add_css_class (warning, "warning");
      gtk_widget_set_tooltip_text (warning, _("Certificate checks are off for this source"));
      gtk_accessible_update_property (GTK_ACCESSIBLE (warning),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      _("Certificate checks are off for this source"),
                                      -1);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), warning);
    }

  button = gtk_button_new_from_icon_name ("user-trash-symbolic");
  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (button, "flat");
  gtk_widget_set_tooltip_text (button, _("Remove this source"));
  gtk_actionable_set_action_name (GTK_ACTIONABLE (button), "prefs.remove-source");
  gtk_actionable_set_action_target (GTK_ACTIONABLE (button), "u", position);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), button);

  icon = gtk_image_new_from_icon_name ("go-next-symbolic");
  gtk_accessible_update_property (GTK_ACCESSIBLE (icon),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Edit"), -1);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), icon);

  return row;
}

static void
rebuild_rows (VigilPreferencesWindow *self)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->sources_list))) != NULL)
    {
      /* The placeholder is not a row and stays. */
      if (!GTK_IS_LIST_BOX_ROW (child))
        break;
      gtk_list_box_remove (self->sources_list, child);
    }

  for (guint i = 0; i < self->configs->len; i++)
    gtk_list_box_append (self->sources_list,
                         create_row (self, g_ptr_array_index (self->configs, i), i));
}

static void
load_configs (VigilPreferencesWindow *self)
{
  g_autoptr(GVariant) sources = g_settings_get_value (self->settings, "sources");
  g_auto(GStrv) alertmanagers = g_settings_get_strv (self->settings, "alertmanager-urls");
  g_auto(GStrv) prometheus = g_settings_get_strv (self->settings, "prometheus-urls");

  g_clear_pointer (&self->configs, g_ptr_array_unref);
  self->configs = vigil_source_config_list_load (sources,
                                                 (const char * const *) alertmanagers,
                                                 (const char * const *) prometheus);
  rebuild_rows (self);
}

/* Writes the list into `sources`; sources from the older URL keys move
 * there too, so the list has one home from now on. */
static void
save_configs (VigilPreferencesWindow *self)
{
  g_autoptr(GVariant) value = g_variant_ref_sink (vigil_source_config_list_to_variant (self->configs));

  for (guint i = 0; i < self->configs->len; i++)
    ((VigilSourceConfig *) g_ptr_array_index (self->configs, i))->legacy = FALSE;

  g_settings_set_value (self->settings, "sources", value);
  g_settings_set_strv (self->settings, "alertmanager-urls", NULL);
  g_settings_set_strv (self->settings, "prometheus-urls", NULL);

  rebuild_rows (self);

  /* Also for a change no setting shows (a new password): the application
   * keeps what did not change. */
  if (self->application != NULL)
    vigil_application_reload_sources (self->application);
}

static gboolean
reload_idle_cb (gpointer user_data)
{
  VigilPreferencesWindow *self = user_data;

  self->reload_idle_id = 0;
  load_configs (self);

  return G_SOURCE_REMOVE;
}

static void
settings_changed_cb (VigilPreferencesWindow *self,
                     const char             *key,
                     GSettings              *settings)
{
  if (g_strcmp0 (key, "sources") != 0 && g_strcmp0 (key, "alertmanager-urls") != 0
      && g_strcmp0 (key, "prometheus-urls") != 0)
    return;

  /* Someone else changed the sources (the welcome page, gsettings). */
  if (self->reload_idle_id == 0)
    self->reload_idle_id = g_idle_add (reload_idle_cb, self);
}

static void
close_editor (VigilPreferencesWindow *self)
{
  if (self->editor == NULL)
    return;

  g_signal_handlers_disconnect_by_data (self->editor, self);
  self->editor = NULL;
  self->saving = FALSE;
  adw_preferences_window_close_subpage (ADW_PREFERENCES_WINDOW (self));
}

static void
commit_edit (VigilPreferencesWindow *self,
             VigilSourceConfig      *config,
             gboolean                drop_secret)
{
  g_autofree char *title = NULL;
  g_autofree char *escaped = g_markup_escape_text (config->name, -1);
  g_autofree char *id = g_strdup (config->id);

  if (self->editing >= 0 && (guint) self->editing < self->configs->len)
    {
      vigil_source_config_free (g_ptr_array_index (self->configs, self->editing));
      self->configs->pdata[self->editing] = config;
    }
  else
    g_ptr_array_add (self->configs, config);

  save_configs (self);
  close_editor (self);

  if (drop_secret)
    vigil_secrets_clear_async (id, NULL, NULL, NULL);

  /* Translators: a toast; %s is a source's name. */
  title = g_strdup_printf (_("Saved “%s”"), escaped);
  adw_preferences_window_add_toast (ADW_PREFERENCES_WINDOW (self), adw_toast_new (title));
}

typedef struct {
  VigilPreferencesWindow *self;
  VigilSourceConfig      *config;
} StoreSecret;

static void
store_secret_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  StoreSecret *store = user_data;
  VigilPreferencesWindow *self = store->self;
  g_autoptr(GError) error = NULL;

  if (!vigil_secrets_store_finish (result, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) && self->editor != NULL)
        {
          self->saving = FALSE;
          /* Nothing is saved without its secret: the source would only
           * fail with "asks for credentials". */
          vigil_source_editor_show_message (self->editor, error->message);
        }
      vigil_source_config_free (store->config);
    }
  else
    commit_edit (self, store->config, FALSE);

  g_object_unref (store->self);
  g_free (store);
}

static void
editor_save_cb (VigilSourceEditor      *editor,
                VigilPreferencesWindow *self)
{
  g_autoptr(VigilSourceConfig) config = NULL;
  const VigilSourceConfig *previous = NULL;
  const char *secret;

  if (self->saving)
    return;

  config = vigil_source_editor_dup_config (editor, NULL);
  if (config == NULL)
    return;

  if (self->editing >= 0 && (guint) self->editing < self->configs->len)
    previous = g_ptr_array_index (self->configs, self->editing);

  for (guint i = 0; i < self->configs->len; i++)
    {
      const VigilSourceConfig *other = g_ptr_array_index (self->configs, i);

      if ((int) i != self->editing && g_strcmp0 (other->name, config->name) == 0)
        {
          g_autofree char *message = g_strdup_printf (_("Another source is already called “%s”: choose another name."),
                                                      config->name);

          vigil_source_editor_show_message (editor, message);
          return;
        }
    }

  secret = vigil_source_editor_get_secret (editor);
  if (vigil_source_config_needs_secret (config) && secret != NULL)
    {
      StoreSecret *store = g_new0 (StoreSecret, 1);

      self->saving = TRUE;
      store->self = g_object_ref (self);
      store->config = g_steal_pointer (&config);
      /* The keyring first: the settings change makes Vigil reload, and
       * the reload must find the new secret. */
      vigil_secrets_store_async (store->config->id, store->config->name, secret,
                                 self->cancellable, store_secret_cb, store);
      return;
    }

  commit_edit (self, g_steal_pointer (&config),
               previous != NULL && vigil_source_config_needs_secret (previous)
               && !vigil_source_config_needs_secret (config));
}

static void
editor_cancel_cb (VigilSourceEditor      *editor,
                  VigilPreferencesWindow *self)
{
  close_editor (self);
}

static void
open_editor (VigilPreferencesWindow *self,
             int                     position)
{
  const VigilSourceConfig *config = NULL;
  GtkWidget *editor;

  close_editor (self);

  if (position >= 0 && (guint) position < self->configs->len)
    config = g_ptr_array_index (self->configs, position);
  else
    position = -1;

  /* A source saved with basic or bearer auth has its secret in the
   * keyring; the field stays empty so that it never shows. */
  editor = vigil_source_editor_new (config,
                                    config != NULL && vigil_source_config_needs_secret (config));
  self->editor = VIGIL_SOURCE_EDITOR (editor);
  self->editing = position;
  g_signal_connect_object (editor, "save", G_CALLBACK (editor_save_cb), self, 0);
  g_signal_connect_object (editor, "cancel", G_CALLBACK (editor_cancel_cb), self, 0);

  adw_preferences_window_present_subpage (ADW_PREFERENCES_WINDOW (self), editor);
  gtk_widget_grab_focus (GTK_WIDGET (vigil_source_editor_get_name_row (self->editor)));
}

static void
add_source_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *param)
{
  open_editor (VIGIL_PREFERENCES_WINDOW (widget), -1);
}

static void
edit_source_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *param)
{
  open_editor (VIGIL_PREFERENCES_WINDOW (widget), (int) g_variant_get_uint32 (param));
}

static void
toast_dismissed_cb (AdwToast *toast,
                    gpointer  user_data)
{
  VigilPreferencesWindow *self = user_data;
  guint id = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (toast), "vigil-removal"));
  Removal *removal = g_hash_table_lookup (self->removals, GUINT_TO_POINTER (id));

  if (removal == NULL)
    return;

  /* Gone for good: so is its password. */
  if (!removal->undone && vigil_source_config_needs_secret (removal->config))
    vigil_secrets_clear_async (removal->config->id, NULL, NULL, NULL);

  g_hash_table_remove (self->removals, GUINT_TO_POINTER (id));
}

static void
remove_source_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *param)
{
  VigilPreferencesWindow *self = VIGIL_PREFERENCES_WINDOW (widget);
  guint position = g_variant_get_uint32 (param);
  g_autofree char *escaped = NULL;
  g_autofree char *title = NULL;
  Removal *removal;
  AdwToast *toast;

  if (position >= self->configs->len)
    return;

  removal = g_new0 (Removal, 1);
  removal->id = ++self->next_removal_id;
  removal->position = position;
  removal->config = g_ptr_array_steal_index (self->configs, position);
  g_hash_table_insert (self->removals, GUINT_TO_POINTER (removal->id), removal);

  save_configs (self);

  escaped = g_markup_escape_text (removal->config->name, -1);
  /* Translators: a toast; %s is a source's name. */
  title = g_strdup_printf (_("Removed “%s”"), escaped);
  toast = adw_toast_new (title);
  adw_toast_set_button_label (toast, _("_Undo"));
  adw_toast_set_action_name (toast, "prefs.undo-remove");
  adw_toast_set_action_target_value (toast, g_variant_new_uint32 (removal->id));
  adw_toast_set_priority (toast, ADW_TOAST_PRIORITY_HIGH);
  g_object_set_data (G_OBJECT (toast), "vigil-removal", GUINT_TO_POINTER (removal->id));
  g_signal_connect_object (toast, "dismissed", G_CALLBACK (toast_dismissed_cb), self, 0);
  adw_preferences_window_add_toast (ADW_PREFERENCES_WINDOW (self), toast);
}

static void
undo_remove_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *param)
{
  VigilPreferencesWindow *self = VIGIL_PREFERENCES_WINDOW (widget);
  guint id = g_variant_get_uint32 (param);
  Removal *removal = g_hash_table_lookup (self->removals, GUINT_TO_POINTER (id));

  if (removal == NULL || removal->undone)
    return;

  removal->undone = TRUE;
  g_ptr_array_insert (self->configs, MIN (removal->position, self->configs->len),
                      vigil_source_config_copy (removal->config));
  /* Two sources may have been added under that name meanwhile. */
  vigil_source_config_list_make_names_unique (self->configs);
  save_configs (self);
}

static void
vigil_preferences_window_dispose (GObject *object)
{
  VigilPreferencesWindow *self = VIGIL_PREFERENCES_WINDOW (object);
  GHashTableIter iter;
  gpointer value;

  g_cancellable_cancel (self->cancellable);
  g_clear_handle_id (&self->reload_idle_id, g_source_remove);
  if (self->settings != NULL)
    g_signal_handlers_disconnect_by_data (self->settings, self);
  if (self->editor != NULL)
    g_signal_handlers_disconnect_by_data (self->editor, self);
  self->editor = NULL;

  /* The window closes before some toasts went away: what they removed is
   * removed for good. */
  if (self->removals != NULL)
    {
      g_hash_table_iter_init (&iter, self->removals);
      while (g_hash_table_iter_next (&iter, NULL, &value))
        {
          Removal *removal = value;

          if (!removal->undone && vigil_source_config_needs_secret (removal->config))
            vigil_secrets_clear_async (removal->config->id, NULL, NULL, NULL);
        }
      g_hash_table_remove_all (self->removals);
    }

  gtk_widget_dispose_template (GTK_WIDGET (self), VIGIL_TYPE_PREFERENCES_WINDOW);

  G_OBJECT_CLASS (vigil_preferences_window_parent_class)->dispose (object);
}

static void
vigil_preferences_window_finalize (GObject *object)
{
  VigilPreferencesWindow *self = VIGIL_PREFERENCES_WINDOW (object);

  g_clear_pointer (&self->configs, g_ptr_array_unref);
  g_clear_pointer (&self->removals, g_hash_table_unref);
  g_clear_object (&self->settings);
  g_clear_object (&self->cancellable);

  G_OBJECT_CLASS (vigil_preferences_window_parent_class)->finalize (object);
}

static void
vigil_preferences_window_class_init (VigilPreferencesWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = vigil_preferences_window_dispose;
  object_class->finalize = vigil_preferences_window_finalize;

  gtk_widget_class_install_action (widget_class, "prefs.add-source", NULL, add_source_action);
  gtk_widget_class_install_action (widget_class, "prefs.edit-source", "u", edit_source_action);
  gtk_widget_class_install_action (widget_class, "prefs.remove-source", "u", remove_source_action);
  gtk_widget_class_install_action (widget_class, "prefs.undo-remove", "u", undo_remove_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_w, GDK_CONTROL_MASK, "window.close", NULL);

  g_type_ensure (VIGIL_TYPE_SOURCE_EDITOR);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/vigil-preferences-window.ui");
  gtk_widget_class_bind_template_child (widget_class, VigilPreferencesWindow, sources_group);
  gtk_widget_class_bind_template_child (widget_class, VigilPreferencesWindow, sources_list);
  gtk_widget_class_bind_template_child (widget_class, VigilPreferencesWindow, interval_button);
}

static void
vigil_preferences_window_init (VigilPreferencesWindow *self)
{
  self->editing = -1;
  self->cancellable = g_cancellable_new ();
  self->removals = g_hash_table_new_full (NULL, NULL, NULL, (GDestroyNotify) removal_free);
  self->configs = g_ptr_array_new_with_free_func ((GDestroyNotify) vigil_source_config_free);

  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
vigil_preferences_window_new (VigilApplication *application,
                              GtkWindow        *parent)
{
  VigilPreferencesWindow *self;

  g_return_val_if_fail (VIGIL_IS_APPLICATION (application), NULL);
  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);

  self = g_object_new (VIGIL_TYPE_PREFERENCES_WINDOW,
                       "application", application,
                       "transient-for", parent,
                       NULL);
  self->application = application;
  self->settings = g_object_ref (vigil_application_get_settings (application));

  g_settings_bind (self->settings, "poll-interval",
                   gtk_spin_button_get_adjustment (self->interval_button), "value",
                   G_SETTINGS_BIND_DEFAULT);
  g_signal_connect_object (self->settings, "changed",
                           G_CALLBACK (settings_changed_cb), self, G_CONNECT_SWAPPED);

  load_configs (self);

  return GTK_WIDGET (self);
}

VigilSourceEditor *
vigil_preferences_window_get_editor (VigilPreferencesWindow *self)
{
  g_return_val_if_fail (VIGIL_IS_PREFERENCES_WINDOW (self), NULL);

  return self->editor;
}

GPtrArray *
vigil_preferences_window_get_configs (VigilPreferencesWindow *self)
{
  g_return_val_if_fail (VIGIL_IS_PREFERENCES_WINDOW (self), NULL);

  return self->configs;
}
