/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "vigil-application"

#include "config.h"

#include <glib/gi18n.h>
#include <stdio.h>

#include "vigil-alert-tracker.h"
#include "vigil-application.h"
#include "vigil-notifier.h"
#include "vigil-poller.h"
#include "vigil-status-report.h"
#include "vigil-window.h"

struct _VigilApplication
{
  AdwApplication     parent_instance;

  GSettings         *settings;
  VigilClock        *clock;
  VigilPoller       *poller;
  VigilAlertTracker *tracker;
  VigilNotifier     *notifier;

  /* URLs given on the command line: used for this run, never saved. */
  GStrv              override_alertmanagers;
  GStrv              override_prometheus;
  gboolean           background;
};

G_DEFINE_FINAL_TYPE (VigilApplication, vigil_application, ADW_TYPE_APPLICATION)

static const GOptionEntry option_entries[] = {
  { "status", 's', 0, G_OPTION_ARG_NONE, NULL,
    N_("Poll every source once, print what is firing and exit"), NULL },
  { "format", 0, 0, G_OPTION_ARG_STRING, NULL,
    N_("Output of --status: text, json or waybar"), N_("FORMAT") },
  { "alertmanager", 'a', 0, G_OPTION_ARG_STRING_ARRAY, NULL,
    N_("Watch this Alertmanager for this run (repeatable)"), N_("URL") },
  { "prometheus", 'p', 0, G_OPTION_ARG_STRING_ARRAY, NULL,
    N_("Use this Prometheus for this run (repeatable)"), N_("URL") },
  { "background", 'b', 0, G_OPTION_ARG_NONE, NULL,
    N_("Run without a window: poll and notify until quit"), NULL },
  { "version", 0, 0, G_OPTION_ARG_NONE, NULL,
    N_("Print the version and exit"), NULL },
  { NULL }
};

/* The compiled schema may be missing when run from an uninstalled tree;
 * say so instead of letting GSettings abort. */
static GSettings *
try_settings_new (void)
{
  GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
  g_autoptr(GSettingsSchema) schema = NULL;

  if (source != NULL)
    schema = g_settings_schema_source_lookup (source, APP_ID, TRUE);
  if (schema == NULL)
    return NULL;

  return g_settings_new (APP_ID);
}

/* A source's display name: the host and port, which is what the engineer
 * recognises. Several URLs for one host differ by port. */
static char *
dup_source_name (const char *url)
{
  g_autoptr(GUri) uri = g_uri_parse (url, G_URI_FLAGS_NONE, NULL);
  const char *path;

  if (uri == NULL || g_uri_get_host (uri) == NULL)
    return g_strdup (url);

  path = g_uri_get_path (uri);
  if (g_uri_get_port (uri) > 0)
    return g_strdup_printf ("%s:%d%s", g_uri_get_host (uri), g_uri_get_port (uri),
                            path != NULL && strcmp (path, "/") != 0 ? path : "");

  return g_strdup_printf ("%s%s", g_uri_get_host (uri),
                          path != NULL && strcmp (path, "/") != 0 ? path : "");
}

/* Fills `poller` with a source per URL; stops at the first bad URL. */
static gboolean
add_sources (VigilPoller         *poller,
             VigilSourceKind      kind,
             const char * const  *urls,
             GError             **error)
{
  for (guint i = 0; urls != NULL && urls[i] != NULL; i++)
    {
      g_autofree char *url = g_strstrip (g_strdup (urls[i]));
      g_autofree char *name = NULL;
      g_autoptr(VigilSource) source = NULL;

      if (*url == '\0')
        continue;

      name = dup_source_name (url);
      source = vigil_source_new (kind, name, url, error);
      if (source == NULL)
        return FALSE;

      vigil_poller_add_source (poller, source);
    }

  return TRUE;
}

static void
source_polled_cb (VigilPoller *poller,
                  VigilSource *source,
                  GPtrArray   *alerts,
                  gpointer     user_data)
{
  VigilAlertTracker *tracker = user_data;

  /* A failed poll changes nothing: its last good alerts stay, and nothing
   * is taken for resolved. */
  if (alerts == NULL)
    return;

  vigil_alert_tracker_update_source (tracker,
                                     vigil_source_get_name (source),
                                     vigil_source_get_kind (source) == VIGIL_SOURCE_KIND_ALERTMANAGER,
                                     alerts);
}

static void
alert_fired_cb (VigilAlertTracker *tracker,
                VigilAlert        *alert,
                gpointer           user_data)
{
  VigilApplication *self = user_data;

  vigil_notifier_notify_alert (self->notifier, alert);
}

static int
compare_alerts (gconstpointer a,
                gconstpointer b,
                gpointer      user_data)
{
  return vigil_alert_compare ((VigilAlert *) a, (VigilAlert *) b);
}

static void
status_poll_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  gboolean *done = user_data;

  vigil_poller_poll_once_finish (VIGIL_POLLER (object), result, NULL);
  *done = TRUE;
}

/* `vigil --status`: one poll, a report on stdout, the reason on stderr.
 * Runs before GTK starts, so it needs neither a display nor D-Bus. */
static int
run_status (GVariantDict *options)
{
  g_autoptr(GSettings) settings = NULL;
  g_autoptr(VigilPoller) poller = vigil_poller_new ();
  g_autoptr(VigilClock) clock = vigil_clock_new_system ();
  g_autoptr(VigilAlertTracker) tracker = vigil_alert_tracker_new (clock);
  g_autoptr(GListStore) sorted = g_list_store_new (VIGIL_TYPE_ALERT);
  g_autoptr(GError) error = NULL;
  g_autofree const char **alertmanagers = NULL;
  g_autofree const char **prometheus = NULL;
  g_auto(GStrv) saved_alertmanagers = NULL;
  g_auto(GStrv) saved_prometheus = NULL;
  g_autofree char *report = NULL;
  const char *format_word = "text";
  VigilStatusFormat format;
  gboolean done = FALSE;
  gboolean all_ok;
  GListModel *alerts;

  g_variant_dict_lookup (options, "format", "&s", &format_word);
  if (!vigil_status_format_from_string (format_word, &format))
    {
      g_printerr (_("Unknown format “%s”: use text, json or waybar.\n"), format_word);
      return 2;
    }

  g_variant_dict_lookup (options, "alertmanager", "^a&s", &alertmanagers);
  g_variant_dict_lookup (options, "prometheus", "^a&s", &prometheus);

  if (alertmanagers == NULL && prometheus == NULL)
    {
      settings = try_settings_new ();
      if (settings != NULL)
        {
          saved_alertmanagers = g_settings_get_strv (settings, "alertmanager-urls");
          saved_prometheus = g_settings_get_strv (settings, "prometheus-urls");
          vigil_alert_tracker_set_heartbeat_names (tracker,
                                                   (const char * const *) g_settings_get_strv (settings, "heartbeat-alertnames"));
        }
    }

  if (!add_sources (poller, VIGIL_SOURCE_KIND_ALERTMANAGER,
                    alertmanagers != NULL ? alertmanagers : (const char * const *) saved_alertmanagers,
                    &error)
      || !add_sources (poller, VIGIL_SOURCE_KIND_PROMETHEUS,
                       prometheus != NULL ? prometheus : (const char * const *) saved_prometheus,
                       &error))
    {
      g_printerr ("%s\n", error->message);
      return 2;
    }

  g_signal_connect_object (poller, "source-polled", G_CALLBACK (source_polled_cb), tracker, 0);

  vigil_poller_poll_once_async (poller, NULL, status_poll_cb, &done);
  while (!done)
    g_main_context_iteration (NULL, TRUE);

  /* The report lists alerts in the window's order. */
  alerts = vigil_alert_tracker_get_alerts (tracker);
  for (guint i = 0; i < g_list_model_get_n_items (alerts); i++)
    {
      g_autoptr(VigilAlert) alert = g_list_model_get_item (alerts, i);

      g_list_store_insert_sorted (sorted, alert, compare_alerts, NULL);
    }

  report = vigil_status_report_format (format, vigil_poller_get_sources (poller), G_LIST_MODEL (sorted));
  fputs (report, stdout);
  if (format != VIGIL_STATUS_FORMAT_TEXT)
    fputc ('\n', stdout);
  fflush (stdout);

  all_ok = g_list_model_get_n_items (vigil_poller_get_sources (poller)) > 0;
  for (guint i = 0; i < g_list_model_get_n_items (vigil_poller_get_sources (poller)); i++)
    {
      g_autoptr(VigilSource) source = g_list_model_get_item (vigil_poller_get_sources (poller), i);

      if (vigil_source_get_health (source) != VIGIL_SOURCE_HEALTH_OK)
        {
          all_ok = FALSE;
          g_printerr ("%s: %s\n", vigil_source_get_name (source),
                      vigil_source_get_error_message (source) ? vigil_source_get_error_message (source) : _("no answer"));
        }
    }
  if (g_list_model_get_n_items (vigil_poller_get_sources (poller)) == 0)
    g_printerr ("%s\n", _("No source is configured: pass --alertmanager=URL or --prometheus=URL, or add one in Vigil’s window."));

  return all_ok ? 0 : 2;
}

/* Sets the poller's sources from the command line, or else the settings. */
static void
load_sources (VigilApplication *self)
{
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) alertmanagers = NULL;
  g_auto(GStrv) prometheus = NULL;
  GListModel *old = vigil_poller_get_sources (self->poller);

  for (guint i = 0; i < g_list_model_get_n_items (old); i++)
    {
      g_autoptr(VigilSource) source = g_list_model_get_item (old, i);

      vigil_alert_tracker_remove_source (self->tracker, vigil_source_get_name (source));
    }
  vigil_poller_stop (self->poller);
  vigil_poller_clear_sources (self->poller);

  if (self->override_alertmanagers != NULL || self->override_prometheus != NULL)
    {
      alertmanagers = g_strdupv (self->override_alertmanagers);
      prometheus = g_strdupv (self->override_prometheus);
    }
  else
    {
      alertmanagers = g_settings_get_strv (self->settings, "alertmanager-urls");
      prometheus = g_settings_get_strv (self->settings, "prometheus-urls");
    }

  if (!add_sources (self->poller, VIGIL_SOURCE_KIND_ALERTMANAGER,
                    (const char * const *) alertmanagers, &error)
      || !add_sources (self->poller, VIGIL_SOURCE_KIND_PROMETHEUS,
                       (const char * const *) prometheus, &error))
    g_message ("Ignoring a configured source: %s", error->message);

  if (g_list_model_get_n_items (vigil_poller_get_sources (self->poller)) > 0)
    vigil_poller_start (self->poller);
}

static void
settings_changed_cb (GSettings        *settings,
                     const char       *key,
                     VigilApplication *self)
{
  if (g_str_equal (key, "poll-interval"))
    vigil_poller_set_interval (self->poller, g_settings_get_uint (settings, key));
  else if (g_str_equal (key, "heartbeat-alertnames"))
    {
      g_auto(GStrv) names = g_settings_get_strv (settings, key);

      vigil_alert_tracker_set_heartbeat_names (self->tracker, (const char * const *) names);
    }
  else if ((g_str_equal (key, "alertmanager-urls") || g_str_equal (key, "prometheus-urls"))
           && self->override_alertmanagers == NULL && self->override_prometheus == NULL)
    load_sources (self);
}

static void
show_window (VigilApplication *self)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (self));

  if (window == NULL)
    window = GTK_WINDOW (vigil_window_new (self));

  gtk_window_present (window);
}

static void
quit_activated (GSimpleAction *action,
                GVariant      *parameter,
                gpointer       user_data)
{
  g_application_quit (G_APPLICATION (user_data));
}

static const GActionEntry app_actions[] = {
  { "quit", quit_activated, NULL, NULL, NULL },
};

static int
vigil_application_handle_local_options (GApplication *app,
                                        GVariantDict *options)
{
  if (g_variant_dict_contains (options, "version"))
    {
      g_print ("vigil %s\n", PACKAGE_VERSION);
      return 0;
    }

  if (g_variant_dict_contains (options, "status"))
    return run_status (options);

  if (g_variant_dict_contains (options, "format"))
    {
      g_printerr ("%s\n", _("--format only applies to --status."));
      return 2;
    }

  {
    g_autoptr(GSettings) settings = try_settings_new ();

    if (settings == NULL)
      {
        g_printerr ("%s\n", _("Vigil’s settings schema is not installed: install Vigil, or run it from the build tree with “meson devenv -C build vigil”."));
        return 1;
      }
  }

  return -1;
}

static int
vigil_application_command_line (GApplication            *app,
                                GApplicationCommandLine *command_line)
{
  VigilApplication *self = VIGIL_APPLICATION (app);
  GVariantDict *options = g_application_command_line_get_options_dict (command_line);
  g_autofree const char **alertmanagers = NULL;
  g_autofree const char **prometheus = NULL;

  g_variant_dict_lookup (options, "alertmanager", "^a&s", &alertmanagers);
  g_variant_dict_lookup (options, "prometheus", "^a&s", &prometheus);

  if (alertmanagers != NULL || prometheus != NULL)
    {
      g_clear_pointer (&self->override_alertmanagers, g_strfreev);
      g_clear_pointer (&self->override_prometheus, g_strfreev);
      self->override_alertmanagers = g_strdupv ((char **) alertmanagers);
      self->override_prometheus = g_strdupv ((char **) prometheus);
      if (self->override_alertmanagers == NULL)
        self->override_alertmanagers = g_new0 (char *, 1);
      load_sources (self);
    }

  if (g_variant_dict_contains (options, "background"))
    {
      /* A shift runs without a window; activating the app later opens it. */
      if (!self->background)
        {
          self->background = TRUE;
          g_application_hold (app);
        }
      return 0;
    }

  g_application_activate (app);

  return 0;
}

static void
vigil_application_activate (GApplication *app)
{
  show_window (VIGIL_APPLICATION (app));
}

static void
vigil_application_startup (GApplication *app)
{
  VigilApplication *self = VIGIL_APPLICATION (app);
  g_auto(GStrv) heartbeats = NULL;
  static const char *quit_accels[] = { "<Control>q", NULL };

  G_APPLICATION_CLASS (vigil_application_parent_class)->startup (app);

  g_action_map_add_action_entries (G_ACTION_MAP (self), app_actions,
                                   G_N_ELEMENTS (app_actions), self);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "app.quit", quit_accels);

  /* handle-local-options made sure the schema is there. */
  self->settings = g_settings_new (APP_ID);

  self->clock = vigil_clock_new_system ();
  self->poller = vigil_poller_new ();
  self->tracker = vigil_alert_tracker_new (self->clock);
  self->notifier = vigil_notifier_new ();

  heartbeats = g_settings_get_strv (self->settings, "heartbeat-alertnames");
  vigil_alert_tracker_set_heartbeat_names (self->tracker, (const char * const *) heartbeats);
  vigil_poller_set_interval (self->poller, g_settings_get_uint (self->settings, "poll-interval"));

  g_signal_connect_object (self->poller, "source-polled",
                           G_CALLBACK (source_polled_cb), self->tracker, 0);
  g_signal_connect_object (self->tracker, "alert-fired",
                           G_CALLBACK (alert_fired_cb), self, 0);
  g_signal_connect_object (self->settings, "changed",
                           G_CALLBACK (settings_changed_cb), self, 0);

  load_sources (self);
}

static void
vigil_application_shutdown (GApplication *app)
{
  VigilApplication *self = VIGIL_APPLICATION (app);

  if (self->poller != NULL)
    vigil_poller_stop (self->poller);

  G_APPLICATION_CLASS (vigil_application_parent_class)->shutdown (app);
}

static void
vigil_application_finalize (GObject *object)
{
  VigilApplication *self = VIGIL_APPLICATION (object);

  g_clear_object (&self->notifier);
  g_clear_object (&self->tracker);
  g_clear_object (&self->poller);
  g_clear_object (&self->clock);
  g_clear_object (&self->settings);
  g_clear_pointer (&self->override_alertmanagers, g_strfreev);
  g_clear_pointer (&self->override_prometheus, g_strfreev);

  G_OBJECT_CLASS (vigil_application_parent_class)->finalize (object);
}

static void
vigil_application_class_init (VigilApplicationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  object_class->finalize = vigil_application_finalize;

  app_class->handle_local_options = vigil_application_handle_local_options;
  app_class->command_line = vigil_application_command_line;
  app_class->activate = vigil_application_activate;
  app_class->startup = vigil_application_startup;
  app_class->shutdown = vigil_application_shutdown;
}

static void
vigil_application_init (VigilApplication *self)
{
  g_application_add_main_option_entries (G_APPLICATION (self), option_entries);
  g_application_set_option_context_summary (G_APPLICATION (self),
                                            _("Watch Prometheus and Alertmanager while on call."));
}

VigilApplication *
vigil_application_new (void)
{
  return g_object_new (VIGIL_TYPE_APPLICATION,
                       "application-id", APP_ID,
                       "flags", G_APPLICATION_HANDLES_COMMAND_LINE,
                       "resource-base-path", RESOURCE_PREFIX,
                       NULL);
}

VigilPoller *
vigil_application_get_poller (VigilApplication *self)
{
  g_return_val_if_fail (VIGIL_IS_APPLICATION (self), NULL);

  return self->poller;
}

VigilAlertTracker *
vigil_application_get_tracker (VigilApplication *self)
{
  g_return_val_if_fail (VIGIL_IS_APPLICATION (self), NULL);

  return self->tracker;
}

GSettings *
vigil_application_get_settings (VigilApplication *self)
{
  g_return_val_if_fail (VIGIL_IS_APPLICATION (self), NULL);

  return self->settings;
}

gboolean
vigil_application_configure (VigilApplication  *self,
                             const char        *alertmanager_url,
                             const char        *prometheus_url,
                             GError           **error)
{
  g_autoptr(VigilPoller) check = vigil_poller_new ();
  const char *alertmanagers[] = { alertmanager_url, NULL };
  const char *prometheus[] = { prometheus_url, NULL };
  gboolean has_am = alertmanager_url != NULL && *alertmanager_url != '\0';
  gboolean has_prom = prometheus_url != NULL && *prometheus_url != '\0';

  g_return_val_if_fail (VIGIL_IS_APPLICATION (self), FALSE);

  if (!has_am && !has_prom)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                           _("Enter the address of an Alertmanager, a Prometheus, or both."));
      return FALSE;
    }

  /* Validate both before saving either, so a typo saves nothing. */
  if (!add_sources (check, VIGIL_SOURCE_KIND_ALERTMANAGER, has_am ? alertmanagers : NULL, error)
      || !add_sources (check, VIGIL_SOURCE_KIND_PROMETHEUS, has_prom ? prometheus : NULL, error))
    return FALSE;

  /* What the user configures replaces this run's command-line URLs. */
  g_clear_pointer (&self->override_alertmanagers, g_strfreev);
  g_clear_pointer (&self->override_prometheus, g_strfreev);

  /* One reload for both keys, also when they did not change, so that
   * "Connect" with the same URLs polls again. */
  g_signal_handlers_block_by_func (self->settings, settings_changed_cb, self);
  g_settings_set_strv (self->settings, "alertmanager-urls", has_am ? alertmanagers : NULL);
  g_settings_set_strv (self->settings, "prometheus-urls", has_prom ? prometheus : NULL);
  g_signal_handlers_unblock_by_func (self->settings, settings_changed_cb, self);
  load_sources (self);

  return TRUE;
}

VigilSource *
vigil_application_get_prometheus (VigilApplication *self)
{
  GListModel *sources;

  g_return_val_if_fail (VIGIL_IS_APPLICATION (self), NULL);

  sources = vigil_poller_get_sources (self->poller);
  for (guint i = 0; i < g_list_model_get_n_items (sources); i++)
    {
      g_autoptr(VigilSource) source = g_list_model_get_item (sources, i);

      if (vigil_source_get_kind (source) == VIGIL_SOURCE_KIND_PROMETHEUS)
        return source;
    }

  return NULL;
}
