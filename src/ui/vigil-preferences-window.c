/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "vigil-preferences-window"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "vigil-preferences-window.h"
#include "vigil-secrets.h"
#include "vigil-source-config.h"
#include "vigil-webhook-receiver.h"

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
  AdwActionRow         *webhook_row;
  GtkSwitch            *webhook_switch;
  AdwActionRow         *webhook_problem_row;
  GtkImage             *webhook_problem_icon;
  AdwEntryRow          *webhook_address_row;
  AdwActionRow         *webhook_exposed_row;
  GtkSpinButton        *webhook_port_button;

  VigilApplication     *application;
  GSettings            *settings;
  GPtrArray            *configs;         /* VigilSourceConfig */

  VigilSourceEditor    *editor;
  int                   editing;         /* position, or -1 for a new source */
  gboolean              saving;

  GHashTable           *removals;        /* id -> Removal */
  guint                 next_removal_id;

  VigilWebhookReceiver *webhook;

  GCancellable         *cancellable;
  guint                 reload_idle_id;
};

/* What a token read from the keyring is for. */
typedef enum {
  TOKEN_USE_COPY,
  TOKEN_USE_CONFIG,
} TokenUse;

typedef struct {
  VigilPreferencesWindow *self;
  TokenUse                use;
  char                   *token;
} TokenRequest;

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
wipe_token (char *token)
{
  if (token == NULL)
    return;

  explicit_bzero (token, strlen (token));
  g_free (token);
}

static void
token_request_free (TokenRequest *request)
{
  g_object_unref (request->self);
  wipe_token (request->token);
  g_free (request);
}

/* Loopback addresses (127.0.0.1, ::1) admit this computer and SSH
 * tunnels only; anything else, 0.0.0.0 first, admits the network. */
static gboolean
address_is_loopback (const char *address)
{
  g_autoptr(GInetAddress) inet = g_inet_address_new_from_string (address);

  return inet != NULL && g_inet_address_get_is_loopback (inet);
}

static void
update_webhook_state (VigilPreferencesWindow *self)
{
  g_autofree char *address = g_settings_get_string (self->settings, "webhook-address");
  g_autofree char *state = NULL;
  gboolean enabled = g_settings_get_boolean (self->settings, "webhook-enabled");
  const char *url = vigil_webhook_receiver_get_url (self->webhook);
  const char *start_error = vigil_application_get_webhook_error (self->application);
  const char *refused = vigil_webhook_receiver_get_last_error (self->webhook);
  const char *problem = NULL;

  if (!enabled)
    state = g_strdup (_("Off: Vigil learns about alerts by polling alone."));
  else if (url != NULL)
    /* Translators: %s is a URL such as http://127.0.0.1:9099/api/webhook/alertmanager. */
    state = g_strdup_printf (_("Listening on %s"), url);
  else if (start_error != NULL)
    state = g_strdup (_("Not listening"));
  else
    state = g_strdup (_("Starting…"));
  adw_action_row_set_subtitle (self->webhook_row, state);

  /* Why it does not listen comes first; then the last request it
   * refused, such as one with a wrong token. */
  gtk_widget_remove_css_class (GTK_WIDGET (self->webhook_problem_icon), "error");
  gtk_widget_remove_css_class (GTK_WIDGET (self->webhook_problem_icon), "warning");
  if (enabled && url == NULL && start_error != NULL)
    {
      problem = start_error;
      gtk_image_set_from_icon_name (self->webhook_problem_icon, "dialog-error-symbolic");
      gtk_widget_add_css_class (GTK_WIDGET (self->webhook_problem_icon), "error");
    }
  else if (enabled && url != NULL && refused != NULL)
    {
      problem = refused;
      gtk_image_set_from_icon_name (self->webhook_problem_icon, "dialog-warning-symbolic");
      gtk_widget_add_css_class (GTK_WIDGET (self->webhook_problem_icon), "warning");
    }
  if (problem != NULL)
    adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->webhook_problem_row), problem);
  gtk_widget_set_visible (GTK_WIDGET (self->webhook_problem_row), problem != NULL);

  gtk_widget_set_visible (GTK_WIDGET (self->webhook_exposed_row), !address_is_loopback (address));
}

static void
load_webhook_address (VigilPreferencesWindow *self)
{
  g_autofree char *address = g_settings_get_string (self->settings, "webhook-address");

  if (g_strcmp0 (gtk_editable_get_text (GTK_EDITABLE (self->webhook_address_row)), address) != 0)
    gtk_editable_set_text (GTK_EDITABLE (self->webhook_address_row), address);
  gtk_widget_remove_css_class (GTK_WIDGET (self->webhook_address_row), "error");
}

static void
webhook_address_apply_cb (VigilPreferencesWindow *self)
{
  g_autofree char *address = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->webhook_address_row))));
  g_autoptr(GInetAddress) inet = g_inet_address_new_from_string (address);

  if (inet == NULL)
    {
      g_autofree char *escaped = g_markup_escape_text (address, -1);
      g_autofree char *message = NULL;

      /* Translators: a toast; %s is what the user typed. */
      message = g_strdup_printf (_("“%s” is not an IP address: enter one such as 127.0.0.1, or 0.0.0.0 for every network."),
                                 escaped);
      gtk_widget_add_css_class (GTK_WIDGET (self->webhook_address_row), "error");
      adw_preferences_window_add_toast (ADW_PREFERENCES_WINDOW (self), adw_toast_new (message));
      return;
    }

  gtk_widget_remove_css_class (GTK_WIDGET (self->webhook_address_row), "error");
  g_settings_set_string (self->settings, "webhook-address", address);
  load_webhook_address (self);
}

static void
webhook_changed_cb (VigilPreferencesWindow *self)
{
  update_webhook_state (self);
}

/* The URL Alertmanager posts to. A loopback address is the real one (on
 * this computer, or through an SSH tunnel); any other says where this
 * computer listens, not how Alertmanager reaches it (0.0.0.0, NAT, a
 * name), so the host is a placeholder for the engineer to replace. */
static char *
dup_webhook_url (VigilPreferencesWindow *self,
                 gboolean               *placeholder)
{
  g_autofree char *address = g_settings_get_string (self->settings, "webhook-address");
  const char *url = vigil_webhook_receiver_get_url (self->webhook);
  guint port = g_settings_get_uint (self->settings, "webhook-port");

  *placeholder = !address_is_loopback (address);
  if (!*placeholder && url != NULL)
    return g_strdup (url);
  if (!*placeholder)
    return g_uri_join (G_URI_FLAGS_NONE, "http", NULL, address, (int) port,
                       VIGIL_WEBHOOK_PATH, NULL, NULL);

  return g_strdup_printf ("http://<this-computer>:%u%s", port, VIGIL_WEBHOOK_PATH);
}

/* A paragraph as YAML comment lines of at most about 72 columns. */
static void
append_comment (GString    *text,
                const char *paragraph)
{
  g_auto(GStrv) words = g_strsplit (paragraph, " ", -1);
  gsize line_start = text->len;

  g_string_append (text, "#");
  for (guint i = 0; words[i] != NULL; i++)
    {
      if (text->len - line_start + 1 + strlen (words[i]) > 72 && text->len - line_start > 1)
        {
          g_string_append (text, "\n#");
          line_start = text->len - 1;
        }
      g_string_append_c (text, ' ');
      g_string_append (text, words[i]);
    }
  g_string_append_c (text, '\n');
}

static char *
dup_webhook_config (VigilPreferencesWindow *self,
                    const char             *token)
{
  g_autofree char *address = g_settings_get_string (self->settings, "webhook-address");
  gboolean placeholder;
  g_autofree char *url = dup_webhook_url (self, &placeholder);
  GString *text = g_string_new (NULL);

  /* Comments for the engineer; the YAML keys stay as Alertmanager wants. */
  append_comment (text, _("Vigil’s webhook, for alertmanager.yml: add this receiver to your receivers, and send every alert to it too, with this as the first of route.routes:"));
  g_string_append (text, "#   - receiver: vigil\n#     continue: true\n");
  if (placeholder)
    {
      /* Translators: %s is an IP address such as 0.0.0.0 or 192.0.2.10;
       * keep <this-computer> as it is in the URL below. */
      g_autofree char *replace = g_strdup_printf (_("Replace <this-computer> with the name or address by which Alertmanager reaches this computer (Vigil listens on %s). The token crosses the network in clear text: an SSH tunnel and 127.0.0.1 are safer."),
                                                  address);

      append_comment (text, replace);
    }
  g_string_append (text, "receivers:\n");
  g_string_append (text, "  - name: vigil\n");
  g_string_append (text, "    webhook_configs:\n");
  g_string_append_printf (text, "      - url: %s\n", url);
  g_string_append (text, "        send_resolved: true\n");
  g_string_append (text, "        max_alerts: 500\n");
  g_string_append (text, "        http_config:\n");
  g_string_append (text, "          authorization:\n");
  g_string_append (text, "            type: Bearer\n");
  g_string_append_printf (text, "            credentials: %s\n", token);

  return g_string_free (text, FALSE);
}

/* The clipboard is the only place the token goes: never a label. */
static void
use_token (VigilPreferencesWindow *self,
           TokenUse                use,
           const char             *token)
{
  GdkClipboard *clipboard = gtk_widget_get_clipboard (GTK_WIDGET (self));

  if (use == TOKEN_USE_COPY)
    {
      gdk_clipboard_set_text (clipboard, token);
      adw_preferences_window_add_toast (ADW_PREFERENCES_WINDOW (self),
                                        adw_toast_new (_("Token copied")));
    }
  else
    {
      char *config = dup_webhook_config (self, token);

      gdk_clipboard_set_text (clipboard, config);
      wipe_token (config);
      adw_preferences_window_add_toast (ADW_PREFERENCES_WINDOW (self),
                                        adw_toast_new (_("Configuration copied, with the token")));
    }
}

static void
show_keyring_error (VigilPreferencesWindow *self,
                    const GError           *error)
{
  g_autofree char *escaped = NULL;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  escaped = g_markup_escape_text (error->message, -1);
  adw_preferences_window_add_toast (ADW_PREFERENCES_WINDOW (self), adw_toast_new (escaped));
}

static void
first_token_stored_cb (GObject      *object,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  TokenRequest *request = user_data;
  g_autoptr(GError) error = NULL;

  if (!vigil_application_set_webhook_token_finish (VIGIL_APPLICATION (object), result, &error))
    show_keyring_error (request->self, error);
  else
    use_token (request->self, request->use, request->token);

  token_request_free (request);
}

static void
token_looked_up_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  TokenRequest *request = user_data;
  VigilPreferencesWindow *self = request->self;
  g_autoptr(GError) error = NULL;
  char *token = vigil_secrets_lookup_finish (result, &error);

  if (error != NULL)
    {
      show_keyring_error (self, error);
      token_request_free (request);
      return;
    }

  if (token != NULL)
    {
      use_token (self, request->use, token);
      vigil_secrets_free (token);
      token_request_free (request);
      return;
    }

  /* None yet (the webhook was never on): make the one the webhook will
   * use, so what is copied is what it accepts. */
  request->token = vigil_webhook_receiver_generate_token ();
  if (request->token == NULL)
    {
      adw_preferences_window_add_toast (ADW_PREFERENCES_WINDOW (self),
                                        adw_toast_new (_("Vigil could not make a webhook token: the system gave it no random numbers.")));
      token_request_free (request);
      return;
    }
  vigil_application_set_webhook_token_async (self->application, request->token, self->cancellable,
                                             first_token_stored_cb, request);
}

static void
with_token (VigilPreferencesWindow *self,
            TokenUse                use)
{
  TokenRequest *request = g_new0 (TokenRequest, 1);

  request->self = g_object_ref (self);
  request->use = use;
  vigil_secrets_lookup_async (VIGIL_APPLICATION_WEBHOOK_SECRET_ID, self->cancellable,
                              token_looked_up_cb, request);
}

static void
copy_webhook_token_action (GtkWidget  *widget,
                           const char *action_name,
                           GVariant   *param)
{
  with_token (VIGIL_PREFERENCES_WINDOW (widget), TOKEN_USE_COPY);
}

static void
copy_webhook_config_action (GtkWidget  *widget,
                            const char *action_name,
                            GVariant   *param)
{
  with_token (VIGIL_PREFERENCES_WINDOW (widget), TOKEN_USE_CONFIG);
}

static void
new_token_stored_cb (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(VigilPreferencesWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  AdwToast *toast;

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "prefs.new-webhook-token", TRUE);

  if (!vigil_application_set_webhook_token_finish (VIGIL_APPLICATION (object), result, &error))
    {
      show_keyring_error (self, error);
      return;
    }

  toast = adw_toast_new (_("New token in use: give it to Alertmanager"));
  adw_toast_set_button_label (toast, _("C_opy Configuration"));
  adw_toast_set_action_name (toast, "prefs.copy-webhook-config");
  adw_toast_set_priority (toast, ADW_TOAST_PRIORITY_HIGH);
  adw_preferences_window_add_toast (ADW_PREFERENCES_WINDOW (self), toast);
}

static void
new_token_response_cb (AdwMessageDialog       *dialog,
                       const char             *response,
                       VigilPreferencesWindow *self)
{
  char *token;

  if (g_strcmp0 (response, "replace") != 0)
    return;

  token = vigil_webhook_receiver_generate_token ();
  if (token == NULL)
    {
      adw_preferences_window_add_toast (ADW_PREFERENCES_WINDOW (self),
                                        adw_toast_new (_("Vigil could not make a webhook token: the system gave it no random numbers.")));
      return;
    }

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "prefs.new-webhook-token", FALSE);
  vigil_application_set_webhook_token_async (self->application, token, self->cancellable,
                                             new_token_stored_cb, g_object_ref (self));
  wipe_token (token);
}

static void
new_webhook_token_action (GtkWidget  *widget,
                          const char *action_name,
                          GVariant   *param)
{
  VigilPreferencesWindow *self = VIGIL_PREFERENCES_WINDOW (widget);
  GtkWidget *dialog;

  /* Alertmanager keeps sending the old token until its configuration
   * changes, and each of those notifications is refused meanwhile. */
  dialog = adw_message_dialog_new (GTK_WINDOW (self), _("Replace the Webhook Token?"),
                                   _("Alertmanager’s notifications are refused from now on until its webhook_config carries the new token: copy the configuration again and reload Alertmanager. Polling goes on meanwhile."));
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "replace", _("_Replace Token"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "replace",
                                              ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_signal_connect_object (dialog, "response", G_CALLBACK (new_token_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
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
  if (self->webhook != NULL)
    g_signal_handlers_disconnect_by_data (self->webhook, self);
  if (self->application != NULL)
    g_signal_handlers_disconnect_by_data (self->application, self);
  g_clear_object (&self->webhook);
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
  gtk_widget_class_install_action (widget_class, "prefs.copy-webhook-token", NULL, copy_webhook_token_action);
  gtk_widget_class_install_action (widget_class, "prefs.new-webhook-token", NULL, new_webhook_token_action);
  gtk_widget_class_install_action (widget_class, "prefs.copy-webhook-config", NULL, copy_webhook_config_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_w, GDK_CONTROL_MASK, "window.close", NULL);

  g_type_ensure (VIGIL_TYPE_SOURCE_EDITOR);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/vigil-preferences-window.ui");
  gtk_widget_class_bind_template_child (widget_class, VigilPreferencesWindow, sources_group);
  gtk_widget_class_bind_template_child (widget_class, VigilPreferencesWindow, sources_list);
  gtk_widget_class_bind_template_child (widget_class, VigilPreferencesWindow, interval_button);
  gtk_widget_class_bind_template_child (widget_class, VigilPreferencesWindow, webhook_row);
  gtk_widget_class_bind_template_child (widget_class, VigilPreferencesWindow, webhook_switch);
  gtk_widget_class_bind_template_child (widget_class, VigilPreferencesWindow, webhook_problem_row);
  gtk_widget_class_bind_template_child (widget_class, VigilPreferencesWindow, webhook_problem_icon);
  gtk_widget_class_bind_template_child (widget_class, VigilPreferencesWindow, webhook_address_row);
  gtk_widget_class_bind_template_child (widget_class, VigilPreferencesWindow, webhook_exposed_row);
  gtk_widget_class_bind_template_child (widget_class, VigilPreferencesWindow, webhook_port_button);
  gtk_widget_class_bind_template_callback (widget_class, webhook_address_apply_cb);
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

  g_settings_bind (self->settings, "webhook-enabled", self->webhook_switch, "active",
                   G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "webhook-port",
                   gtk_spin_button_get_adjustment (self->webhook_port_button), "value",
                   G_SETTINGS_BIND_DEFAULT);
  g_signal_connect_object (self->settings, "changed::webhook-enabled",
                           G_CALLBACK (webhook_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->settings, "changed::webhook-address",
                           G_CALLBACK (load_webhook_address), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->settings, "changed::webhook-address",
                           G_CALLBACK (webhook_changed_cb), self, G_CONNECT_SWAPPED);
  self->webhook = g_object_ref (vigil_application_get_webhook_receiver (application));
  g_signal_connect_object (self->webhook, "notify::url",
                           G_CALLBACK (webhook_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->webhook, "notify::last-error",
                           G_CALLBACK (webhook_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (application, "notify::webhook-error",
                           G_CALLBACK (webhook_changed_cb), self, G_CONNECT_SWAPPED);
  load_webhook_address (self);
  update_webhook_state (self);
  /* A token changed outside Vigil (secret-tool) is taken when the
   * preferences open, where the user looks after it. */
  vigil_application_reload_webhook_token (application);

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

GtkSwitch *
vigil_preferences_window_get_webhook_switch (VigilPreferencesWindow *self)
{
  g_return_val_if_fail (VIGIL_IS_PREFERENCES_WINDOW (self), NULL);

  return self->webhook_switch;
}

AdwEntryRow *
vigil_preferences_window_get_webhook_address_row (VigilPreferencesWindow *self)
{
  g_return_val_if_fail (VIGIL_IS_PREFERENCES_WINDOW (self), NULL);

  return self->webhook_address_row;
}

GtkSpinButton *
vigil_preferences_window_get_webhook_port_button (VigilPreferencesWindow *self)
{
  g_return_val_if_fail (VIGIL_IS_PREFERENCES_WINDOW (self), NULL);

  return self->webhook_port_button;
}

const char *
vigil_preferences_window_get_webhook_state (VigilPreferencesWindow *self)
{
  g_return_val_if_fail (VIGIL_IS_PREFERENCES_WINDOW (self), NULL);

  return adw_action_row_get_subtitle (self->webhook_row);
}

const char *
vigil_preferences_window_get_webhook_problem (VigilPreferencesWindow *self)
{
  g_return_val_if_fail (VIGIL_IS_PREFERENCES_WINDOW (self), NULL);

  if (!gtk_widget_get_visible (GTK_WIDGET (self->webhook_problem_row)))
    return NULL;

  return adw_preferences_row_get_title (ADW_PREFERENCES_ROW (self->webhook_problem_row));
}

gboolean
vigil_preferences_window_get_webhook_exposed (VigilPreferencesWindow *self)
{
  g_return_val_if_fail (VIGIL_IS_PREFERENCES_WINDOW (self), FALSE);

  return gtk_widget_get_visible (GTK_WIDGET (self->webhook_exposed_row));
}
