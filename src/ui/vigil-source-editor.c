/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "vigil-source-editor"

#include "config.h"

#include <glib/gi18n.h>

#include "vigil-secrets.h"
#include "vigil-source.h"
#include "vigil-source-editor.h"

/* Positions in the combo rows' string lists (see the .ui file). */
enum { KIND_ALERTMANAGER, KIND_PROMETHEUS };
enum { AUTH_NONE, AUTH_BASIC, AUTH_BEARER };

typedef enum {
  FILE_CA,
  FILE_CERTIFICATE,
  FILE_KEY,
  N_FILES
} FileField;

struct _VigilSourceEditor
{
  GtkBox                parent_instance;

  /* Template widgets */
  AdwWindowTitle       *window_title;
  AdwPreferencesPage   *page;
  GtkLabel             *message_label;
  AdwPreferencesGroup  *server_group;
  AdwEntryRow          *name_row;
  AdwComboRow          *kind_row;
  AdwEntryRow          *urls_row;
  AdwPreferencesGroup  *auth_group;
  AdwComboRow          *auth_row;
  AdwEntryRow          *username_row;
  AdwPasswordEntryRow  *secret_row;
  AdwPreferencesGroup  *headers_group;
  AdwEntryRow          *tenant_row;
  AdwActionRow         *ca_row;
  AdwActionRow         *certificate_row;
  AdwActionRow         *key_row;
  GtkButton            *ca_clear_button;
  GtkButton            *certificate_clear_button;
  GtkButton            *key_clear_button;
  GtkSwitch            *verify_switch;
  AdwActionRow         *verify_warning_row;
  GtkSpinner           *test_spinner;
  GtkButton            *test_button;
  GtkBox               *test_result_box;
  GtkImage             *test_result_icon;
  GtkLabel             *test_result_label;

  /* What the form started from: its id finds the saved secret, and a
   * legacy source becomes a normal one when saved. */
  VigilSourceConfig    *original;
  gboolean              has_saved_secret;
  char                 *files[N_FILES];
  GPtrArray            *header_rows;     /* AdwEntryRow */

  GCancellable         *test_cancellable;
  VigilSource          *test_source;
  char                 *test_result;
};

G_DEFINE_FINAL_TYPE (VigilSourceEditor, vigil_source_editor, GTK_TYPE_BOX)

enum {
  SAVE,
  CANCEL,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static const char *file_names[N_FILES] = { "ca", "certificate", "key" };

static FileField
file_field_from_name (const char *name)
{
  for (guint i = 0; i < N_FILES; i++)
    if (g_strcmp0 (file_names[i], name) == 0)
      return i;

  g_assert_not_reached ();
  return FILE_CA;
}

static AdwActionRow *
file_row (VigilSourceEditor *self,
          FileField          field)
{
  switch (field)
    {
    case FILE_CERTIFICATE:
      return self->certificate_row;
    case FILE_KEY:
      return self->key_row;
    case FILE_CA:
    case N_FILES:
    default:
      return self->ca_row;
    }
}

static GtkWidget *
file_clear_button (VigilSourceEditor *self,
                   FileField          field)
{
  switch (field)
    {
    case FILE_CERTIFICATE:
      return GTK_WIDGET (self->certificate_clear_button);
    case FILE_KEY:
      return GTK_WIDGET (self->key_clear_button);
    case FILE_CA:
    case N_FILES:
    default:
      return GTK_WIDGET (self->ca_clear_button);
    }
}

static void
update_file_row (VigilSourceEditor *self,
                 FileField          field)
{
  const char *path = self->files[field];
  const char *unset;

  switch (field)
    {
    case FILE_CERTIFICATE:
      unset = _("None");
      break;
    case FILE_KEY:
      unset = _("In the certificate file, or none");
      break;
    case FILE_CA:
    case N_FILES:
    default:
      unset = _("The system’s certificate authorities");
      break;
    }

  /* Row subtitles are markup; a path is text. */
  if (path != NULL)
    {
      g_autofree char *escaped = g_markup_escape_text (path, -1);

      adw_action_row_set_subtitle (file_row (self, field), escaped);
    }
  else
    adw_action_row_set_subtitle (file_row (self, field), unset);

  gtk_widget_set_visible (file_clear_button (self, field), path != NULL);
}

static void
set_file (VigilSourceEditor *self,
          FileField          field,
          const char        *path)
{
  g_free (self->files[field]);
  self->files[field] = path != NULL && *path != '\0' ? g_strdup (path) : NULL;
  update_file_row (self, field);
}

static void
update_kind (VigilSourceEditor *self)
{
  gboolean prometheus = adw_combo_row_get_selected (self->kind_row) == KIND_PROMETHEUS;

  if (prometheus)
    {
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->urls_row), _("Address"));
      adw_preferences_group_set_description (self->server_group,
                                             _("Prometheus, Thanos Query, Mimir or VictoriaMetrics. A path prefix, as in https://host/prometheus, is kept."));
    }
  else
    {
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->urls_row), _("Addresses"));
      adw_preferences_group_set_description (self->server_group,
                                             _("For an HA cluster, list every member, separated by commas: their alerts are merged, and shown while any member answers."));
    }
}

static void
update_auth (VigilSourceEditor *self)
{
  guint auth = adw_combo_row_get_selected (self->auth_row);

  gtk_widget_set_visible (GTK_WIDGET (self->username_row), auth == AUTH_BASIC);
  gtk_widget_set_visible (GTK_WIDGET (self->secret_row), auth != AUTH_NONE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->secret_row),
                                 auth == AUTH_BEARER ? _("Token") : _("Password"));

  if (auth == AUTH_NONE)
    adw_preferences_group_set_description (self->auth_group, NULL);
  else if (self->has_saved_secret && self->original != NULL
           && (guint) self->original->auth == (auth == AUTH_BASIC ? VIGIL_AUTH_BASIC : VIGIL_AUTH_BEARER))
    adw_preferences_group_set_description (self->auth_group,
                                           _("Kept in the keyring. Leave the field empty to keep the saved one."));
  else
    adw_preferences_group_set_description (self->auth_group,
                                           _("Kept in the keyring, never in Vigil’s settings."));
}

static void
update_verify (VigilSourceEditor *self)
{
  gtk_widget_set_visible (GTK_WIDGET (self->verify_warning_row),
                          !gtk_switch_get_active (self->verify_switch));
}

static void
remove_header_clicked_cb (GtkButton         *button,
                          VigilSourceEditor *self)
{
  GtkWidget *row = g_object_get_data (G_OBJECT (button), "vigil-header-row");

  g_ptr_array_remove (self->header_rows, row);
  adw_preferences_group_remove (self->headers_group, row);
}

static AdwEntryRow *
append_header_row (VigilSourceEditor *self,
                   const char        *text)
{
  GtkWidget *row = adw_entry_row_new ();
  GtkWidget *remove = gtk_button_new_from_icon_name ("user-trash-symbolic");

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _("Header"));
  gtk_editable_set_text (GTK_EDITABLE (row), text != NULL ? text : "");

  gtk_widget_set_valign (remove, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (remove, "flat");
  gtk_widget_set_tooltip_text (remove, _("Remove this header"));
  g_object_set_data (G_OBJECT (remove), "vigil-header-row", row);
  g_signal_connect_object (remove, "clicked", G_CALLBACK (remove_header_clicked_cb), self, 0);
  adw_entry_row_add_suffix (ADW_ENTRY_ROW (row), remove);

  adw_preferences_group_add (self->headers_group, row);
  g_ptr_array_add (self->header_rows, row);

  return ADW_ENTRY_ROW (row);
}

/* "Name: value" → name and value, both trimmed; FALSE without a colon. */
static gboolean
split_header (const char  *text,
              char       **name,
              char       **value)
{
  const char *colon = strchr (text, ':');

  if (colon == NULL)
    return FALSE;

  *name = g_strstrip (g_strndup (text, colon - text));
  *value = g_strstrip (g_strdup (colon + 1));

  return TRUE;
}

/* Whether the keyring's secret still fits the form: a password saved for
 * basic auth is no bearer token. */
static gboolean
can_keep_saved_secret (VigilSourceEditor       *self,
                       const VigilSourceConfig *config)
{
  return self->has_saved_secret && config->auth == self->original->auth;
}

static char *
dup_field (AdwEntryRow *row)
{
  g_autofree char *text = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (row))));

  return *text != '\0' ? g_steal_pointer (&text) : NULL;
}

static void
set_config (VigilSourceEditor       *self,
            const VigilSourceConfig *config)
{
  g_autofree char *urls = g_strjoinv (", ", config->urls);

  gtk_editable_set_text (GTK_EDITABLE (self->name_row), config->name != NULL ? config->name : "");
  adw_combo_row_set_selected (self->kind_row,
                              config->kind == VIGIL_SOURCE_KIND_PROMETHEUS ? KIND_PROMETHEUS
                                                                           : KIND_ALERTMANAGER);
  gtk_editable_set_text (GTK_EDITABLE (self->urls_row), urls);
  adw_combo_row_set_selected (self->auth_row,
                              config->auth == VIGIL_AUTH_BASIC ? AUTH_BASIC
                              : config->auth == VIGIL_AUTH_BEARER ? AUTH_BEARER
                              : AUTH_NONE);
  gtk_editable_set_text (GTK_EDITABLE (self->username_row),
                         config->username != NULL ? config->username : "");
  gtk_editable_set_text (GTK_EDITABLE (self->tenant_row),
                         config->tenant != NULL ? config->tenant : "");

  for (guint i = 0; config->headers[i] != NULL && config->headers[i + 1] != NULL; i += 2)
    {
      g_autofree char *text = g_strdup_printf ("%s: %s", config->headers[i], config->headers[i + 1]);

      append_header_row (self, text);
    }

  set_file (self, FILE_CA, config->ca_file);
  set_file (self, FILE_CERTIFICATE, config->client_certificate);
  set_file (self, FILE_KEY, config->client_key);
  gtk_switch_set_active (self->verify_switch, config->tls_verify);

  update_kind (self);
  update_auth (self);
  update_verify (self);
}

/* The form as a configuration, or the first thing missing in words. */
static VigilSourceConfig *
read_form (VigilSourceEditor  *self,
           gboolean            need_secret,
           GError            **error)
{
  g_autoptr(VigilSourceConfig) config = vigil_source_config_copy (self->original);
  g_autoptr(GStrvBuilder) headers = g_strv_builder_new ();
  g_autofree char *urls = dup_field (self->urls_row);
  guint auth = adw_combo_row_get_selected (self->auth_row);

  g_free (config->name);
  config->name = dup_field (self->name_row);
  config->kind = adw_combo_row_get_selected (self->kind_row) == KIND_PROMETHEUS
                 ? VIGIL_SOURCE_KIND_PROMETHEUS : VIGIL_SOURCE_KIND_ALERTMANAGER;
  g_strfreev (config->urls);
  config->urls = vigil_source_config_split_urls (urls);
  config->auth = auth == AUTH_BASIC ? VIGIL_AUTH_BASIC
                 : auth == AUTH_BEARER ? VIGIL_AUTH_BEARER
                 : VIGIL_AUTH_NONE;
  g_free (config->username);
  config->username = config->auth == VIGIL_AUTH_BASIC ? dup_field (self->username_row) : NULL;
  g_free (config->tenant);
  config->tenant = dup_field (self->tenant_row);
  g_free (config->ca_file);
  config->ca_file = g_strdup (self->files[FILE_CA]);
  g_free (config->client_certificate);
  config->client_certificate = g_strdup (self->files[FILE_CERTIFICATE]);
  g_free (config->client_key);
  config->client_key = g_strdup (self->files[FILE_KEY]);
  config->tls_verify = gtk_switch_get_active (self->verify_switch);
  config->legacy = FALSE;

  /* A name is optional in the form: the address names the source. */
  if (config->name == NULL && config->urls[0] != NULL)
    config->name = vigil_source_config_name_from_url (config->urls[0]);

  for (guint i = 0; i < self->header_rows->len; i++)
    {
      g_autofree char *text = dup_field (g_ptr_array_index (self->header_rows, i));
      g_autofree char *name = NULL;
      g_autofree char *value = NULL;

      if (text == NULL)
        continue;

      if (!split_header (text, &name, &value))
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                       _("Write the header “%s” as “Name: value”."), text);
          return NULL;
        }
      g_strv_builder_add (headers, name);
      g_strv_builder_add (headers, value);
    }
  g_strfreev (config->headers);
  config->headers = g_strv_builder_end (headers);

  if (!vigil_source_config_validate (config, error))
    return NULL;

  if (need_secret
      && vigil_source_config_needs_secret (config)
      && vigil_source_editor_get_secret (self) == NULL
      && !can_keep_saved_secret (self, config))
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                           config->auth == VIGIL_AUTH_BEARER
                           ? _("Enter the token; the keyring will keep it.")
                           : _("Enter the password; the keyring will keep it."));
      return NULL;
    }

  return g_steal_pointer (&config);
}

static void
show_test_result (VigilSourceEditor *self,
                  const char        *text,
                  gboolean           ok)
{
  g_free (self->test_result);
  self->test_result = g_strdup (text);

  /* The server's words may be anything: plain text, never markup. */
  gtk_label_set_use_markup (self->test_result_label, FALSE);
  gtk_label_set_text (self->test_result_label, text);
  gtk_image_set_from_icon_name (self->test_result_icon,
                                ok ? "emblem-ok-symbolic" : "dialog-error-symbolic");
  gtk_widget_remove_css_class (GTK_WIDGET (self->test_result_box), ok ? "error" : "success");
  gtk_widget_add_css_class (GTK_WIDGET (self->test_result_box), ok ? "success" : "error");
  gtk_widget_set_visible (GTK_WIDGET (self->test_result_box), TRUE);
}

static void
set_testing (VigilSourceEditor *self,
             gboolean           testing)
{
  gtk_spinner_set_spinning (self->test_spinner, testing);
  gtk_widget_set_visible (GTK_WIDGET (self->test_spinner), testing);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "editor.test", !testing);
}

static void
test_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(VigilSourceEditor) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *answer = NULL;

  answer = vigil_source_test_finish (VIGIL_SOURCE (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  set_testing (self, FALSE);
  if (answer != NULL)
    show_test_result (self, answer, TRUE);
  else
    show_test_result (self, error->message, FALSE);
}

static void
start_test (VigilSourceEditor       *self,
            const VigilSourceConfig *config,
            const char              *secret)
{
  g_autoptr(GError) error = NULL;

  g_clear_object (&self->test_source);
  self->test_source = vigil_source_new_from_config (config, secret, &error);
  if (self->test_source == NULL)
    {
      set_testing (self, FALSE);
      show_test_result (self, error->message, FALSE);
      return;
    }

  vigil_source_test_async (self->test_source, self->test_cancellable, test_cb, g_object_ref (self));
}

typedef struct {
  VigilSourceEditor *self;
  VigilSourceConfig *config;
} TestLookup;

static void
test_lookup_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  TestLookup *lookup = user_data;
  g_autoptr(GError) error = NULL;
  char *secret;

  secret = vigil_secrets_lookup_finish (result, &error);
  if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      if (error != NULL)
        {
          set_testing (lookup->self, FALSE);
          show_test_result (lookup->self, error->message, FALSE);
        }
      else
        start_test (lookup->self, lookup->config, secret);
    }

  vigil_secrets_free (secret);
  g_object_unref (lookup->self);
  vigil_source_config_free (lookup->config);
  g_free (lookup);
}

static void
test_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *param)
{
  VigilSourceEditor *self = VIGIL_SOURCE_EDITOR (widget);
  g_autoptr(VigilSourceConfig) config = NULL;
  g_autoptr(GError) error = NULL;
  const char *secret = vigil_source_editor_get_secret (self);

  vigil_source_editor_show_message (self, NULL);
  g_cancellable_cancel (self->test_cancellable);
  g_clear_object (&self->test_cancellable);
  self->test_cancellable = g_cancellable_new ();

  config = read_form (self, FALSE, &error);
  if (config == NULL)
    {
      show_test_result (self, error->message, FALSE);
      return;
    }

  set_testing (self, TRUE);

  /* Testing an edited source whose password field was left empty uses
   * the saved password, as saving would. */
  if (secret == NULL && can_keep_saved_secret (self, config) && vigil_source_config_needs_secret (config))
    {
      TestLookup *lookup = g_new0 (TestLookup, 1);

      lookup->self = g_object_ref (self);
      lookup->config = g_steal_pointer (&config);
      vigil_secrets_lookup_async (self->original->id, self->test_cancellable,
                                  test_lookup_cb, lookup);
      return;
    }

  start_test (self, config, secret);
}

static void
save_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *param)
{
  g_signal_emit (widget, signals[SAVE], 0);
}

static void
cancel_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *param)
{
  g_signal_emit (widget, signals[CANCEL], 0);
}

static void
add_header_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *param)
{
  VigilSourceEditor *self = VIGIL_SOURCE_EDITOR (widget);
  AdwEntryRow *row = append_header_row (self, NULL);

  gtk_widget_grab_focus (GTK_WIDGET (row));
}

static void
clear_file_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *param)
{
  set_file (VIGIL_SOURCE_EDITOR (widget),
            file_field_from_name (g_variant_get_string (param, NULL)), NULL);
}

static void
file_chosen_cb (GtkNativeDialog *dialog,
                int              response,
                gpointer         user_data)
{
  VigilSourceEditor *self = user_data;
  FileField field = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (dialog), "vigil-file-field"));

  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
      g_autofree char *path = file != NULL ? g_file_get_path (file) : NULL;

      if (path != NULL)
        set_file (self, field, path);
    }

  gtk_native_dialog_destroy (dialog);
  g_object_unref (dialog);
  g_object_unref (self);
}

static void
choose_file_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *param)
{
  VigilSourceEditor *self = VIGIL_SOURCE_EDITOR (widget);
  FileField field = file_field_from_name (g_variant_get_string (param, NULL));
  GtkNative *native = gtk_widget_get_native (widget);
  GtkFileChooserNative *dialog;
  const char *title;
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();

  switch (field)
    {
    case FILE_CERTIFICATE:
      title = _("Choose the Client Certificate");
      break;
    case FILE_KEY:
      title = _("Choose the Client Key");
      break;
    case FILE_CA:
    case N_FILES:
    default:
      title = _("Choose the CA Certificate");
      break;
    }

  dialog = gtk_file_chooser_native_new (title,
                                        GTK_IS_WINDOW (native) ? GTK_WINDOW (native) : NULL,
                                        GTK_FILE_CHOOSER_ACTION_OPEN,
                                        _("_Choose"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (dialog), TRUE);
  gtk_file_filter_set_name (filter, _("PEM files"));
  gtk_file_filter_add_pattern (filter, "*.pem");
  gtk_file_filter_add_pattern (filter, "*.crt");
  gtk_file_filter_add_pattern (filter, "*.cer");
  gtk_file_filter_add_pattern (filter, "*.key");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (dialog), filter);
  g_object_set_data (G_OBJECT (dialog), "vigil-file-field", GUINT_TO_POINTER (field));
  g_signal_connect (dialog, "response", G_CALLBACK (file_chosen_cb), g_object_ref (self));
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (dialog));
}

static void
kind_changed_cb (VigilSourceEditor *self)
{
  update_kind (self);
}

static void
auth_changed_cb (VigilSourceEditor *self)
{
  update_auth (self);
}

static void
verify_changed_cb (VigilSourceEditor *self)
{
  update_verify (self);
}

static void
vigil_source_editor_dispose (GObject *object)
{
  VigilSourceEditor *self = VIGIL_SOURCE_EDITOR (object);

  g_cancellable_cancel (self->test_cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), VIGIL_TYPE_SOURCE_EDITOR);

  G_OBJECT_CLASS (vigil_source_editor_parent_class)->dispose (object);
}

static void
vigil_source_editor_finalize (GObject *object)
{
  VigilSourceEditor *self = VIGIL_SOURCE_EDITOR (object);

  g_clear_pointer (&self->original, vigil_source_config_free);
  for (guint i = 0; i < N_FILES; i++)
    g_clear_pointer (&self->files[i], g_free);
  g_clear_pointer (&self->header_rows, g_ptr_array_unref);
  g_clear_pointer (&self->test_result, g_free);
  g_clear_object (&self->test_cancellable);
  g_clear_object (&self->test_source);

  G_OBJECT_CLASS (vigil_source_editor_parent_class)->finalize (object);
}

static void
vigil_source_editor_class_init (VigilSourceEditorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = vigil_source_editor_dispose;
  object_class->finalize = vigil_source_editor_finalize;

  signals[SAVE] = g_signal_new ("save", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  signals[CANCEL] = g_signal_new ("cancel", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  gtk_widget_class_install_action (widget_class, "editor.save", NULL, save_action);
  gtk_widget_class_install_action (widget_class, "editor.cancel", NULL, cancel_action);
  gtk_widget_class_install_action (widget_class, "editor.test", NULL, test_action);
  gtk_widget_class_install_action (widget_class, "editor.add-header", NULL, add_header_action);
  gtk_widget_class_install_action (widget_class, "editor.choose-file", "s", choose_file_action);
  gtk_widget_class_install_action (widget_class, "editor.clear-file", "s", clear_file_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "editor.cancel", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_s, GDK_CONTROL_MASK, "editor.save", NULL);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/vigil-source-editor.ui");
  gtk_widget_class_bind_template_child (widget_class, VigilSourceEditor, window_title);
  gtk_widget_class_bind_template_child (widget_class, VigilSourceEditor, page);
  gtk_widget_class_bind_template_child (widget_class, VigilSourceEditor, message_label);
  gtk_widget_class_bind_template_child (widget_class, VigilSourceEditor, server_group);
  gtk_widget_class_bind_template_child (widget_class, VigilSourceEditor, name_row);
  gtk_widget_class_bind_template_child (widget_class, VigilSourceEditor, kind_row);
  gtk_widget_class_bind_template_child (widget_class, VigilSourceEditor, urls_row);
  gtk_widget_class_bind_template_child (widget_class, VigilSourceEditor, auth_group);
  gtk_widget_class_bind_template_child (widget_class, VigilSourceEditor, auth_row);
  gtk_widget_class_bind_template_child (widget_class, VigilSourceEditor, username_row);
  gtk_widget_class_bind_template_child (widget_class, VigilSourceEditor, secret_row);
  gtk_widget_class_bind_template_child (widget_class, VigilSourceEditor, headers_group);
  gtk_widget_class_bind_template_child (widget_class, VigilSourceEditor, tenant_row);
  gtk_widget_class_bind_template_child (widget_class, VigilSourceEditor, ca_row);
  gtk_widget_class_bind_template_child (widget_class, VigilSourceEditor, certificate_row);
  gtk_widget_class_bind_template_child (widget_class, VigilSourceEditor, key_row);
  gtk_widget_class_bind_template_child (widget_class, VigilSourceEditor, ca_clear_button);
  gtk_widget_class_bind_template_child (widget_class, VigilSourceEditor, certificate_clear_button);
  gtk_widget_class_bind_template_child (widget_class, VigilSourceEditor, key_clear_button);
  gtk_widget_class_bind_template_child (widget_class, VigilSourceEditor, verify_switch);
  gtk_widget_class_bind_template_child (widget_class, VigilSourceEditor, verify_warning_row);
  gtk_widget_class_bind_template_child (widget_class, VigilSourceEditor, test_spinner);
  gtk_widget_class_bind_template_child (widget_class, VigilSourceEditor, test_button);
  gtk_widget_class_bind_template_child (widget_class, VigilSourceEditor, test_result_box);
  gtk_widget_class_bind_template_child (widget_class, VigilSourceEditor, test_result_icon);
  gtk_widget_class_bind_template_child (widget_class, VigilSourceEditor, test_result_label);
}

static void
vigil_source_editor_init (VigilSourceEditor *self)
{
  self->header_rows = g_ptr_array_new ();
  self->test_cancellable = g_cancellable_new ();

  gtk_widget_init_template (GTK_WIDGET (self));

  g_signal_connect_object (self->kind_row, "notify::selected",
                           G_CALLBACK (kind_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->auth_row, "notify::selected",
                           G_CALLBACK (auth_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->verify_switch, "notify::active",
                           G_CALLBACK (verify_changed_cb), self, G_CONNECT_SWAPPED);
  set_testing (self, FALSE);
}

GtkWidget *
vigil_source_editor_new (const VigilSourceConfig *config,
                         gboolean                 has_saved_secret)
{
  VigilSourceEditor *self = g_object_new (VIGIL_TYPE_SOURCE_EDITOR, NULL);

  self->has_saved_secret = config != NULL && has_saved_secret;
  if (config != NULL)
    {
      self->original = vigil_source_config_copy (config);
      adw_window_title_set_title (self->window_title, _("Edit Source"));
      adw_window_title_set_subtitle (self->window_title, config->name);
    }
  else
    {
      self->original = vigil_source_config_new (VIGIL_SOURCE_KIND_ALERTMANAGER);
      adw_window_title_set_title (self->window_title, _("Add Source"));
    }

  set_config (self, self->original);

  return GTK_WIDGET (self);
}

VigilSourceConfig *
vigil_source_editor_dup_config (VigilSourceEditor  *self,
                                GError            **error)
{
  g_autoptr(GError) local_error = NULL;
  VigilSourceConfig *config;

  g_return_val_if_fail (VIGIL_IS_SOURCE_EDITOR (self), NULL);

  config = read_form (self, TRUE, &local_error);
  if (config == NULL)
    {
      vigil_source_editor_show_message (self, local_error->message);
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }

  vigil_source_editor_show_message (self, NULL);

  return config;
}

const char *
vigil_source_editor_get_secret (VigilSourceEditor *self)
{
  const char *text;

  g_return_val_if_fail (VIGIL_IS_SOURCE_EDITOR (self), NULL);

  if (adw_combo_row_get_selected (self->auth_row) == AUTH_NONE)
    return NULL;

  text = gtk_editable_get_text (GTK_EDITABLE (self->secret_row));

  return text != NULL && *text != '\0' ? text : NULL;
}

void
vigil_source_editor_show_message (VigilSourceEditor *self,
                                  const char        *message)
{
  g_return_if_fail (VIGIL_IS_SOURCE_EDITOR (self));

  gtk_label_set_text (self->message_label, message != NULL ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->message_label), message != NULL);
}

AdwEntryRow *
vigil_source_editor_get_name_row (VigilSourceEditor *self)
{
  g_return_val_if_fail (VIGIL_IS_SOURCE_EDITOR (self), NULL);
  return self->name_row;
}

AdwEntryRow *
vigil_source_editor_get_urls_row (VigilSourceEditor *self)
{
  g_return_val_if_fail (VIGIL_IS_SOURCE_EDITOR (self), NULL);
  return self->urls_row;
}

AdwComboRow *
vigil_source_editor_get_kind_row (VigilSourceEditor *self)
{
  g_return_val_if_fail (VIGIL_IS_SOURCE_EDITOR (self), NULL);
  return self->kind_row;
}

AdwComboRow *
vigil_source_editor_get_auth_row (VigilSourceEditor *self)
{
  g_return_val_if_fail (VIGIL_IS_SOURCE_EDITOR (self), NULL);
  return self->auth_row;
}

AdwEntryRow *
vigil_source_editor_get_username_row (VigilSourceEditor *self)
{
  g_return_val_if_fail (VIGIL_IS_SOURCE_EDITOR (self), NULL);
  return self->username_row;
}

AdwEntryRow *
vigil_source_editor_get_secret_row (VigilSourceEditor *self)
{
  g_return_val_if_fail (VIGIL_IS_SOURCE_EDITOR (self), NULL);
  return ADW_ENTRY_ROW (self->secret_row);
}

AdwEntryRow *
vigil_source_editor_get_tenant_row (VigilSourceEditor *self)
{
  g_return_val_if_fail (VIGIL_IS_SOURCE_EDITOR (self), NULL);
  return self->tenant_row;
}

GtkSwitch *
vigil_source_editor_get_verify_switch (VigilSourceEditor *self)
{
  g_return_val_if_fail (VIGIL_IS_SOURCE_EDITOR (self), NULL);
  return self->verify_switch;
}

void
vigil_source_editor_add_header (VigilSourceEditor *self,
                                const char        *text)
{
  g_return_if_fail (VIGIL_IS_SOURCE_EDITOR (self));

  append_header_row (self, text);
}

const char *
vigil_source_editor_get_test_result (VigilSourceEditor *self)
{
  g_return_val_if_fail (VIGIL_IS_SOURCE_EDITOR (self), NULL);

  return self->test_result;
}
