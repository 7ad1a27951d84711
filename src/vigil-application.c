/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "vigil-application"

#include "config.h"

#include <glib/gi18n.h>
#include <stdio.h>
#include <string.h>

#include "vigil-alert-lifecycle.h"
#include "vigil-alert-tracker.h"
#include "vigil-application.h"
#include "vigil-notifier.h"
#include "vigil-poller.h"
#include "vigil-preferences-window.h"
#include "vigil-secrets.h"
#include "vigil-source-config.h"
#include "vigil-state-store.h"
#include "vigil-status-report.h"
#include "vigil-webhook-receiver.h"
#include "vigil-window.h"

struct _VigilApplication
{
  AdwApplication     parent_instance;

  GSettings         *settings;
  VigilClock        *clock;
  VigilPoller       *poller;
  VigilAlertTracker *tracker;
  VigilNotifier     *notifier;
  VigilAlertLifecycle *lifecycle;
  VigilStateStore   *state_store;
  /* One timer for the lifecycle's next due step, one for the debounced
   * save; a save asked for while one writes waits for it. */
  guint              tick_timeout_id;
  guint              save_timeout_id;
  gboolean           saving;
  gboolean           save_again;
  VigilWebhookReceiver *webhook;
  /* Bumped whenever the webhook's settings or token change, so that a
   * keyring answer asked for before the change is not applied after it. */
  guint              webhook_serial;
  char              *webhook_error;
  gboolean           shut_down;

  /* Sources given on the command line (VigilSourceConfig): used for this
   * run, never saved. NULL when the settings apply. */
  GPtrArray         *override_configs;
  guint              reload_idle_id;
  /* Cancelled by every reload, so that keyring answers for an older
   * configuration start no polling. */
  GCancellable      *secrets_cancellable;
  gboolean           background;
  gboolean           command_line_seen;
};

static void apply_webhook_settings (VigilApplication *self);
static void tick (VigilApplication *self);

/* How long after a change the alert state is saved: a storm of changes
 * gives one write. */
#define SAVE_DELAY_MS 2000
/* “Snooze 10 min” in the notification. */
#define SNOOZE_US (10 * G_TIME_SPAN_MINUTE)

G_DEFINE_FINAL_TYPE (VigilApplication, vigil_application, ADW_TYPE_APPLICATION)

enum {
  PROP_0,
  PROP_WEBHOOK_ERROR,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static const GOptionEntry option_entries[] = {
  { "status", 's', 0, G_OPTION_ARG_NONE, NULL,
    N_("Poll every source once, print what is firing and exit"), NULL },
  { "format", 0, 0, G_OPTION_ARG_STRING, NULL,
    N_("Output of --status: text, json or waybar"), N_("FORMAT") },
  { "alertmanager", 'a', 0, G_OPTION_ARG_STRING_ARRAY, NULL,
    N_("Watch this Alertmanager for this run (repeatable; URL1,URL2 are the members of one HA cluster)"), N_("URL") },
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

/* The sources named on the command line: each --alertmanager is one
 * source, the comma-separated URLs in it the members of one HA cluster;
 * each --prometheus URL is one source. */
static GPtrArray *
configs_from_options (const char * const *alertmanagers,
                      const char * const *prometheus)
{
  GPtrArray *configs = g_ptr_array_new_with_free_func ((GDestroyNotify) vigil_source_config_free);

  for (guint i = 0; alertmanagers != NULL && alertmanagers[i] != NULL; i++)
    {
      g_auto(GStrv) members = vigil_source_config_split_urls (alertmanagers[i]);

      if (members[0] != NULL)
        g_ptr_array_add (configs,
                         vigil_source_config_new_for_urls (VIGIL_SOURCE_KIND_ALERTMANAGER,
                                                           (const char * const *) members));
    }

  for (guint i = 0; prometheus != NULL && prometheus[i] != NULL; i++)
    {
      const char *one[] = { prometheus[i], NULL };
      VigilSourceConfig *config = vigil_source_config_new_for_urls (VIGIL_SOURCE_KIND_PROMETHEUS, one);

      if (config->urls[0] != NULL)
        g_ptr_array_add (configs, config);
      else
        vigil_source_config_free (config);
    }

  vigil_source_config_list_make_names_unique (configs);

  return configs;
}

/* What the settings configure: the `sources` key and the older URL keys. */
static GPtrArray *
configs_from_settings (GSettings *settings)
{
  g_autoptr(GVariant) sources = g_settings_get_value (settings, "sources");
  g_auto(GStrv) alertmanagers = g_settings_get_strv (settings, "alertmanager-urls");
  g_auto(GStrv) prometheus = g_settings_get_strv (settings, "prometheus-urls");

  return vigil_source_config_list_load (sources,
                                        (const char * const *) alertmanagers,
                                        (const char * const *) prometheus);
}

/* Builds a source per configuration, or fails at the first that does not
 * validate. */
static GPtrArray *
create_sources (GPtrArray  *configs,
                GError    **error)
{
  g_autoptr(GPtrArray) sources = g_ptr_array_new_with_free_func (g_object_unref);

  for (guint i = 0; i < configs->len; i++)
    {
      VigilSource *source = vigil_source_new_from_config (g_ptr_array_index (configs, i), NULL, error);

      if (source == NULL)
        return NULL;
      g_ptr_array_add (sources, source);
    }

  return g_steal_pointer (&sources);
}

/* Looking up the passwords and tokens of some sources in the keyring. */
typedef struct {
  GPtrArray *sources;      /* VigilSource */
  guint      pending;
} SecretsLoad;

static void
secrets_load_free (SecretsLoad *load)
{
  g_ptr_array_unref (load->sources);
  g_free (load);
}

typedef struct {
  GTask       *task;
  VigilSource *source;
} SecretLookup;

static void
secret_lookup_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  SecretLookup *lookup = user_data;
  SecretsLoad *load = g_task_get_task_data (lookup->task);
  g_autoptr(GError) error = NULL;
  char *secret;

  secret = vigil_secrets_lookup_finish (result, &error);
  if (error != NULL && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    /* The source still polls: its server's 401 then says what is missing. */
    g_message ("No password or token for the source “%s”: %s",
               vigil_source_get_name (lookup->source), error->message);
  else if (secret == NULL && error == NULL)
    g_message ("The keyring holds no password or token for the source “%s”",
               vigil_source_get_name (lookup->source));

  if (secret != NULL)
    vigil_source_set_secret (lookup->source, secret);
  vigil_secrets_free (secret);

  if (--load->pending == 0 && !g_task_return_error_if_cancelled (lookup->task))
    g_task_return_boolean (lookup->task, TRUE);

  g_object_unref (lookup->task);
  g_object_unref (lookup->source);
  g_free (lookup);
}

/* Gives every source that needs one its secret from the keyring. Returns
 * FALSE, without starting anything, when none needs a secret. */
static gboolean
load_secrets_async (GPtrArray           *sources,
                    GCancellable        *cancellable,
                    GAsyncReadyCallback  callback,
                    gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  SecretsLoad *load;

  load = g_new0 (SecretsLoad, 1);
  load->sources = g_ptr_array_new_with_free_func (g_object_unref);
  for (guint i = 0; i < sources->len; i++)
    {
      VigilSource *source = g_ptr_array_index (sources, i);

      if (vigil_source_config_needs_secret (vigil_source_get_config (source)))
        g_ptr_array_add (load->sources, g_object_ref (source));
    }

  if (load->sources->len == 0)
    {
      secrets_load_free (load);
      return FALSE;
    }

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, load_secrets_async);
  load->pending = load->sources->len;
  g_task_set_task_data (task, load, (GDestroyNotify) secrets_load_free);

  for (guint i = 0; i < load->sources->len; i++)
    {
      SecretLookup *lookup = g_new0 (SecretLookup, 1);
      VigilSource *source = g_ptr_array_index (load->sources, i);

      lookup->task = g_object_ref (task);
      lookup->source = g_object_ref (source);
      vigil_secrets_lookup_async (vigil_source_get_config (source)->id, cancellable,
                                  secret_lookup_cb, lookup);
    }

  return TRUE;
}

static void
status_secrets_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  gboolean *done = user_data;

  *done = TRUE;
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

/* The application's own: the tracker first, then what the lifecycle
 * learns from the poll, then whatever became due. */
static void
app_source_polled_cb (VigilPoller *poller,
                      VigilSource *source,
                      GPtrArray   *alerts,
                      gpointer     user_data)
{
  VigilApplication *self = user_data;
  const char *name = vigil_source_get_name (source);

  source_polled_cb (poller, source, alerts, self->tracker);

  vigil_alert_lifecycle_source_health (self->lifecycle, name, alerts != NULL,
                                       vigil_source_get_last_success (source));
  if (alerts != NULL && vigil_source_get_kind (source) == VIGIL_SOURCE_KIND_ALERTMANAGER)
    vigil_alert_lifecycle_heartbeat (self->lifecycle, vigil_alert_tracker_has_heartbeat (self->tracker));
  tick (self);
}

static void
alert_fired_cb (VigilAlertTracker *tracker,
                VigilAlert        *alert,
                gpointer           user_data)
{
  VigilApplication *self = user_data;

  vigil_alert_lifecycle_alert_fired (self->lifecycle, alert);
}

static void
alert_resolved_cb (VigilAlertTracker *tracker,
                   VigilAlert        *alert,
                   gpointer           user_data)
{
  VigilApplication *self = user_data;

  vigil_alert_lifecycle_alert_resolved (self->lifecycle, alert);
}

static void
tracker_changed_cb (VigilAlertTracker *tracker,
                    gpointer           user_data)
{
  VigilApplication *self = user_data;

  vigil_alert_lifecycle_sync (self->lifecycle, vigil_alert_tracker_get_alerts (tracker));
  tick (self);
}

static gboolean
tick_timeout_cb (gpointer user_data)
{
  VigilApplication *self = user_data;

  self->tick_timeout_id = 0;
  tick (self);

  return G_SOURCE_REMOVE;
}

/* Does what is due, then sleeps until the next due step: one timer. */
static void
tick (VigilApplication *self)
{
  gint64 due;
  gint64 delay_ms;

  g_clear_handle_id (&self->tick_timeout_id, g_source_remove);
  if (self->shut_down)
    return;

  vigil_alert_lifecycle_tick (self->lifecycle);

  due = vigil_alert_lifecycle_get_next_due (self->lifecycle);
  if (due == 0)
    return;

  delay_ms = (due - vigil_clock_get_now (self->clock) + 999) / 1000;
  self->tick_timeout_id = g_timeout_add ((guint) CLAMP (delay_ms, 0, G_MAXUINT), tick_timeout_cb, self);
}

static void
lifecycle_action_cb (VigilAlertLifecycle *lifecycle,
                     VigilAlertAction    *action,
                     gpointer             user_data)
{
  VigilApplication *self = user_data;

  switch (action->kind)
    {
    case VIGIL_ALERT_ACTION_NOTIFY:
      vigil_notifier_show_alert (self->notifier, action->alert, action->urgency);
      break;
    case VIGIL_ALERT_ACTION_NOTIFY_SUMMARY:
      vigil_notifier_show_summary (self->notifier, action->n_alerts, action->n_critical);
      break;
    case VIGIL_ALERT_ACTION_RESOLVED:
      if (action->fingerprint != NULL)
        vigil_notifier_withdraw (self->notifier, action->fingerprint);
      break;
    case VIGIL_ALERT_ACTION_PLAY:
    case VIGIL_ALERT_ACTION_STOP:
    case VIGIL_ALERT_ACTION_ESCALATE:
    case VIGIL_ALERT_ACTION_RUN_HOOK:
    case VIGIL_ALERT_ACTION_REARM:
    default:
      /* Sound, hooks and the tray come in a later stage. */
      g_debug ("Lifecycle action %s for %s (level %u)",
               vigil_alert_action_kind_to_string (action->kind),
               action->fingerprint != NULL ? action->fingerprint : "everything",
               action->level);
      break;
    }
}

static void save_state (VigilApplication *self);

static void
save_state_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  VigilApplication *self = user_data;
  g_autoptr(GError) error = NULL;

  if (!vigil_state_store_save_finish (VIGIL_STATE_STORE (object), result, &error))
    g_message ("%s", error->message);

  self->saving = FALSE;
  if (self->save_again && !self->shut_down)
    save_state (self);
  g_object_unref (self);
}

static void
save_state (VigilApplication *self)
{
  g_autoptr(GBytes) bytes = NULL;

  if (self->saving)
    {
      self->save_again = TRUE;
      return;
    }

  self->save_again = FALSE;
  self->saving = TRUE;
  bytes = vigil_alert_lifecycle_serialize (self->lifecycle);
  vigil_state_store_save_async (self->state_store, bytes, NULL, save_state_cb, g_object_ref (self));
}

static gboolean
save_timeout_cb (gpointer user_data)
{
  VigilApplication *self = user_data;

  self->save_timeout_id = 0;
  save_state (self);

  return G_SOURCE_REMOVE;
}

static void
lifecycle_changed_cb (VigilAlertLifecycle *lifecycle,
                      gpointer             user_data)
{
  VigilApplication *self = user_data;

  if (self->save_timeout_id == 0 && !self->shut_down)
    self->save_timeout_id = g_timeout_add (SAVE_DELAY_MS, save_timeout_cb, self);
}

/* Nothing saved yet is normal; a file that cannot be read is moved aside
 * and said in words, and Vigil starts with no saved state. */
static void
restore_state (VigilApplication *self)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = vigil_state_store_load (self->state_store, &error);

  if (error != NULL)
    {
      g_message ("%s", error->message);
      return;
    }
  if (bytes == NULL)
    return;

  if (!vigil_alert_lifecycle_restore (self->lifecycle, bytes, &error))
    {
      g_autofree char *message = vigil_state_store_set_aside (self->state_store, error);

      g_message ("%s", message);
    }
}

static void
open_alert (VigilApplication *self,
            const char       *fingerprint)
{
  g_application_activate (G_APPLICATION (self));
  if (fingerprint != NULL)
    {
      GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (self));

      if (VIGIL_IS_WINDOW (window))
        vigil_window_select_alert (VIGIL_WINDOW (window), fingerprint);
    }
}

static void
notification_action_cb (VigilNotifier *notifier,
                        const char    *key,
                        const char    *fingerprint,
                        gpointer       user_data)
{
  VigilApplication *self = user_data;

  if (g_str_equal (key, "acknowledge"))
    {
      if (fingerprint != NULL)
        vigil_alert_lifecycle_acknowledge (self->lifecycle, fingerprint);
      else
        vigil_alert_lifecycle_acknowledge_all (self->lifecycle);
    }
  else if (g_str_equal (key, "snooze"))
    {
      gint64 until = vigil_clock_get_now (self->clock) + SNOOZE_US;

      if (fingerprint != NULL)
        vigil_alert_lifecycle_snooze (self->lifecycle, fingerprint, until);
      else
        vigil_alert_lifecycle_snooze_all (self->lifecycle, until);
    }
  else if (g_str_equal (key, "open"))
    open_alert (self, fingerprint);
  else
    return;

  tick (self);
}

static void
policy_from_settings (VigilApplication *self)
{
  g_autoptr(GVariant) value = g_settings_get_value (self->settings, "escalation-policy");
  g_autoptr(VigilEscalationPolicy) policy = vigil_escalation_policy_new_from_variant (value);

  if (self->lifecycle == NULL)
    self->lifecycle = vigil_alert_lifecycle_new (self->clock, policy);
  else
    vigil_alert_lifecycle_set_policy (self->lifecycle, policy);
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

static gboolean
status_alarm_cb (const char *fingerprint,
                 guint      *escalation_level,
                 gpointer    user_data)
{
  VigilAlertLifecycle *lifecycle = user_data;

  *escalation_level = vigil_alert_lifecycle_get_escalation_level (lifecycle, fingerprint);

  return vigil_alert_lifecycle_is_acknowledged (lifecycle, fingerprint);
}

/* What the running Vigil saved about each alert, for --status to report.
 * Nothing saved, or a file that cannot be read, reports nothing
 * acknowledged; the file stays where it is for the application. */
static VigilAlertLifecycle *
load_saved_lifecycle (VigilClock *clock)
{
  g_autoptr(VigilEscalationPolicy) policy = vigil_escalation_policy_new ();
  g_autoptr(VigilAlertLifecycle) lifecycle = vigil_alert_lifecycle_new (clock, policy);
  g_autoptr(VigilStateStore) store = vigil_state_store_new_default ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = vigil_state_store_load (store, &error);

  if (bytes != NULL && !vigil_alert_lifecycle_restore (lifecycle, bytes, &error))
    g_printerr ("%s\n", error->message);
  else if (error != NULL)
    g_printerr ("%s\n", error->message);

  return g_steal_pointer (&lifecycle);
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
  g_autoptr(GPtrArray) configs = NULL;
  g_autoptr(GPtrArray) sources = NULL;
  g_autoptr(GString) problems = g_string_new (NULL);
  g_autofree char *report = NULL;
  g_autoptr(VigilAlertLifecycle) saved = NULL;
  const char *format_word = "text";
  VigilStatusFormat format;
  gboolean done = FALSE;
  gboolean all_ok;
  GListModel *alerts;

  /* Scripts and status bars parse stdout: log messages go to stderr. */
  g_log_writer_default_set_use_stderr (TRUE);

  g_variant_dict_lookup (options, "format", "&s", &format_word);
  if (!vigil_status_format_from_string (format_word, &format))
    {
      g_printerr (_("Unknown format “%s”: use text, json or waybar.\n"), format_word);
      return 2;
    }

  g_variant_dict_lookup (options, "alertmanager", "^a&s", &alertmanagers);
  g_variant_dict_lookup (options, "prometheus", "^a&s", &prometheus);

  if (alertmanagers != NULL || prometheus != NULL)
    configs = configs_from_options (alertmanagers, prometheus);
  else
    {
      settings = try_settings_new ();
      if (settings != NULL)
        {
          g_auto(GStrv) heartbeats = g_settings_get_strv (settings, "heartbeat-alertnames");

          configs = configs_from_settings (settings);
          vigil_alert_tracker_set_heartbeat_names (tracker, (const char * const *) heartbeats);
        }
      else
        configs = g_ptr_array_new ();
    }

  /* A bad address keeps only its own source out: the others are still
   * polled and the report, in any format, says what was wrong. */
  sources = g_ptr_array_new_with_free_func (g_object_unref);
  for (guint i = 0; i < configs->len; i++)
    {
      g_autoptr(GError) config_error = NULL;
      VigilSource *source = vigil_source_new_from_config (g_ptr_array_index (configs, i),
                                                          NULL, &config_error);

      if (source == NULL)
        {
          g_printerr ("%s\n", config_error->message);
          if (problems->len > 0)
            g_string_append_c (problems, ' ');
          g_string_append (problems, config_error->message);
          continue;
        }
      g_ptr_array_add (sources, source);
    }

  /* Only a source with a password or token talks to the keyring, so a
   * plain --status needs no session bus. */
  if (load_secrets_async (sources, NULL, status_secrets_cb, &done))
    {
      while (!done)
        g_main_context_iteration (NULL, TRUE);
      done = FALSE;
    }

  for (guint i = 0; i < sources->len; i++)
    vigil_poller_add_source (poller, g_ptr_array_index (sources, i));
  vigil_alert_tracker_set_expect_alertmanager (tracker, vigil_poller_has_alertmanager (poller));

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

  saved = load_saved_lifecycle (clock);
  report = vigil_status_report_format_full (format, vigil_poller_get_sources (poller),
                                            G_LIST_MODEL (sorted),
                                            problems->len > 0 ? problems->str : NULL,
                                            status_alarm_cb, saved);
  fputs (report, stdout);
  if (format != VIGIL_STATUS_FORMAT_TEXT)
    fputc ('\n', stdout);
  fflush (stdout);

  all_ok = g_list_model_get_n_items (vigil_poller_get_sources (poller)) > 0 && problems->len == 0;
  for (guint i = 0; i < g_list_model_get_n_items (vigil_poller_get_sources (poller)); i++)
    {
      g_autoptr(VigilSource) source = g_list_model_get_item (vigil_poller_get_sources (poller), i);

      if (vigil_source_get_health (source) != VIGIL_SOURCE_HEALTH_OK)
        {
          all_ok = FALSE;
          const char *name = vigil_source_get_name (source);
          const char *message = vigil_source_get_error_message (source);

          /* Sentences usually name the server already. */
          if (message != NULL && strstr (message, name) != NULL)
            g_printerr ("%s\n", message);
          else
            g_printerr ("%s: %s\n", name, message != NULL ? message : _("no answer"));
        }
    }
  if (g_list_model_get_n_items (vigil_poller_get_sources (poller)) == 0 && problems->len == 0)
    g_printerr ("%s\n", _("No source is configured: pass --alertmanager=URL or --prometheus=URL, or add one in Vigil’s window."));

  return all_ok ? 0 : 2;
}

static void
start_polling (VigilApplication *self)
{
  if (g_list_model_get_n_items (vigil_poller_get_sources (self->poller)) > 0)
    vigil_poller_start (self->poller);
}

static void
load_secrets_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  VigilApplication *self = user_data;
  GTask *task = G_TASK (result);

  /* A newer reload took over; it starts the poller itself. */
  if (g_task_had_error (task) || g_cancellable_is_cancelled (g_task_get_cancellable (task)))
    {
      g_object_unref (self);
      return;
    }

  start_polling (self);
  g_object_unref (self);
}

/* The source to keep for `config`: the running one when nothing about it
 * changed, so its health and last alerts stay; otherwise a new one. */
static VigilSource *
find_unchanged_source (GListModel              *current,
                       const VigilSourceConfig *config)
{
  for (guint i = 0; i < g_list_model_get_n_items (current); i++)
    {
      g_autoptr(VigilSource) source = g_list_model_get_item (current, i);

      if (vigil_source_config_equal (vigil_source_get_config (source), config))
        return g_steal_pointer (&source);
    }

  return NULL;
}

/* Tells the lifecycle which sources to watch. Not before the command line
 * was read: the settings' sources at startup may not be this run's, and
 * naming the wrong ones would forget the alerts restored from the right
 * ones. The webhook's push source is not polled, so it cannot go blind. */
static void
watch_sources (VigilApplication *self,
               GHashTable       *names)
{
  g_autofree const char **watched = NULL;

  if (!self->command_line_seen)
    return;

  watched = (const char **) g_hash_table_get_keys_as_array (names, NULL);
  vigil_alert_lifecycle_set_sources (self->lifecycle, watched);
}

/* Sets the poller's sources from the command line, or else the settings.
 * Sources whose configuration did not change are kept, and the tracker
 * forgets only the names that are gone, so that editing one source does
 * not make every alert resolve and fire again. */
static void
load_sources (VigilApplication *self)
{
  g_autoptr(GPtrArray) configs = NULL;
  g_autoptr(GPtrArray) sources = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GHashTable) names = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GPtrArray) old = g_ptr_array_new_with_free_func (g_object_unref);
  GListModel *current = vigil_poller_get_sources (self->poller);

  g_clear_handle_id (&self->reload_idle_id, g_source_remove);
  g_cancellable_cancel (self->secrets_cancellable);
  g_clear_object (&self->secrets_cancellable);

  if (self->override_configs != NULL)
    configs = g_ptr_array_ref (self->override_configs);
  else
    configs = configs_from_settings (self->settings);

  for (guint i = 0; i < configs->len; i++)
    {
      VigilSourceConfig *config = g_ptr_array_index (configs, i);
      g_autoptr(GError) error = NULL;
      VigilSource *source = find_unchanged_source (current, config);

      if (source == NULL)
        source = vigil_source_new_from_config (config, NULL, &error);
      if (source == NULL)
        {
          g_message ("Ignoring the source “%s”: %s", config->name, error->message);
          continue;
        }

      g_ptr_array_add (sources, source);
      g_hash_table_add (names, (gpointer) vigil_source_get_name (source));
    }

  for (guint i = 0; i < g_list_model_get_n_items (current); i++)
    g_ptr_array_add (old, g_list_model_get_item (current, i));

  vigil_poller_stop (self->poller);
  vigil_poller_clear_sources (self->poller);
  for (guint i = 0; i < old->len; i++)
    {
      const char *name = vigil_source_get_name (g_ptr_array_index (old, i));

      if (!g_hash_table_contains (names, name))
        vigil_alert_tracker_remove_source (self->tracker, name);
    }
  watch_sources (self, names);
  for (guint i = 0; i < sources->len; i++)
    vigil_poller_add_source (self->poller, g_ptr_array_index (sources, i));
  vigil_alert_tracker_set_expect_alertmanager (self->tracker,
                                               vigil_poller_has_alertmanager (self->poller));

  /* The sources are listed at once; polling waits for the keyring, or the
   * first poll would go out without credentials. A source kept from
   * before looks its secret up again too: only the secret may have
   * changed. */
  self->secrets_cancellable = g_cancellable_new ();
  if (!load_secrets_async (sources, self->secrets_cancellable, load_secrets_cb, g_object_ref (self)))
    {
      g_object_unref (self);
      start_polling (self);
    }
}

static gboolean
reload_idle_cb (gpointer user_data)
{
  VigilApplication *self = user_data;

  self->reload_idle_id = 0;
  load_sources (self);

  return G_SOURCE_REMOVE;
}

static void
settings_changed_cb (GSettings        *settings,
                     const char       *key,
                     VigilApplication *self)
{
  if (g_str_has_prefix (key, "webhook-"))
    apply_webhook_settings (self);
  else if (g_str_equal (key, "escalation-policy"))
    {
      policy_from_settings (self);
      tick (self);
    }
  else if (g_str_equal (key, "poll-interval"))
    vigil_poller_set_interval (self->poller, g_settings_get_uint (settings, key));
  else if (g_str_equal (key, "heartbeat-alertnames"))
    {
      g_auto(GStrv) names = g_settings_get_strv (settings, key);

      vigil_alert_tracker_set_heartbeat_names (self->tracker, (const char * const *) names);
    }
  else if ((g_str_equal (key, "sources") || g_str_equal (key, "alertmanager-urls")
            || g_str_equal (key, "prometheus-urls"))
           && self->override_configs == NULL)
    {
      /* Saving in Preferences changes several keys; reload once. */
      if (self->reload_idle_id == 0)
        self->reload_idle_id = g_idle_add (reload_idle_cb, self);
    }
}

/* The source name pushed alerts are filed under: any Alertmanager poll
 * that lists one takes it over, so polls stay the truth. */
#define WEBHOOK_SOURCE "webhook"

static void
webhook_received_cb (VigilWebhookReceiver *receiver,
                     const char           *receiver_name,
                     GPtrArray            *firing,
                     GPtrArray            *resolved,
                     gpointer              user_data)
{
  VigilApplication *self = user_data;

  vigil_alert_tracker_push (self->tracker, WEBHOOK_SOURCE, firing, resolved);
}

static void
wipe_token (char *token)
{
  explicit_bzero (token, strlen (token));
  g_free (token);
}

static void
set_webhook_error (VigilApplication *self,
                   const char       *message)
{
  if (g_strcmp0 (self->webhook_error, message) == 0)
    return;

  g_free (self->webhook_error);
  self->webhook_error = g_strdup (message);
  if (message != NULL)
    g_message ("The Alertmanager webhook is off: %s", message);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_WEBHOOK_ERROR]);
}

/* Listens with the token the receiver has, when the webhook is on; a
 * receiver already listening keeps its port, so taking a new token drops
 * no request. */
static void
start_webhook (VigilApplication *self)
{
  g_autoptr(GError) error = NULL;

  if (self->shut_down || !g_settings_get_boolean (self->settings, "webhook-enabled"))
    return;

  if (vigil_webhook_receiver_get_listening (self->webhook)
      || vigil_webhook_receiver_start (self->webhook, &error))
    set_webhook_error (self, NULL);
  else
    set_webhook_error (self, error->message);
}

static void
webhook_token_stored_cb (GObject      *object,
                         GAsyncResult *result,
                         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  VigilApplication *self = g_task_get_source_object (task);
  GError *error = NULL;

  if (!vigil_secrets_store_finish (result, &error))
    {
      /* A token the keyring does not hold could not be copied into
       * alertmanager.yml: the receiver keeps the one it has. */
      if (!vigil_webhook_receiver_get_listening (self->webhook)
          && g_settings_get_boolean (self->settings, "webhook-enabled"))
        set_webhook_error (self, error->message);
      g_task_return_error (task, error);
      return;
    }

  /* Keyring answers asked for before this token was there are stale. */
  self->webhook_serial++;
  vigil_webhook_receiver_set_token (self->webhook, g_task_get_task_data (task));
  start_webhook (self);

  if (!g_task_return_error_if_cancelled (task))
    g_task_return_boolean (task, TRUE);
}

static void
webhook_token_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  VigilApplication *self = g_task_get_source_object (task);
  guint serial = GPOINTER_TO_UINT (g_task_get_task_data (task));
  g_autoptr(GError) error = NULL;
  char *token = vigil_secrets_lookup_finish (result, &error);

  /* The settings or the token changed meanwhile: a newer answer comes. */
  if (self->webhook == NULL || serial != self->webhook_serial)
    {
      vigil_secrets_free (token);
      return;
    }

  /* A receiver that listens keeps its token when the keyring fails. */
  if (error != NULL && vigil_webhook_receiver_get_listening (self->webhook))
    {
      g_message ("The webhook token could not be read again: %s", error->message);
      return;
    }
  if (error != NULL)
    {
      set_webhook_error (self, error->message);
      return;
    }

  /* First use: make a token and keep it in the keyring, where
   * Preferences copies it from. */
  if (token == NULL)
    {
      token = vigil_webhook_receiver_generate_token ();
      if (token == NULL)
        set_webhook_error (self, _("Vigil could not make a webhook token: the system gave it no random numbers."));
      else
        vigil_application_set_webhook_token_async (self, token, NULL, NULL, NULL);
      vigil_secrets_free (token);
      return;
    }

  vigil_webhook_receiver_set_token (self->webhook, token);
  vigil_secrets_free (token);
  start_webhook (self);
}

/* Reads the token from the keyring, then applies it and listens. */
static void
lookup_webhook_token (VigilApplication *self)
{
  GTask *task = g_task_new (self, NULL, NULL, NULL);

  g_task_set_source_tag (task, lookup_webhook_token);
  g_task_set_task_data (task, GUINT_TO_POINTER (++self->webhook_serial), NULL);
  vigil_secrets_lookup_async (VIGIL_APPLICATION_WEBHOOK_SECRET_ID, NULL, webhook_token_cb, task);
}

static void
apply_webhook_settings (VigilApplication *self)
{
  g_autofree char *address = g_settings_get_string (self->settings, "webhook-address");

  vigil_webhook_receiver_stop (self->webhook);
  set_webhook_error (self, NULL);
  if (!g_settings_get_boolean (self->settings, "webhook-enabled"))
    {
      /* Nothing pending may start it again. */
      self->webhook_serial++;
      vigil_alert_tracker_remove_source (self->tracker, WEBHOOK_SOURCE);
      return;
    }

  vigil_webhook_receiver_set_address (self->webhook, address);
  vigil_webhook_receiver_set_port (self->webhook, g_settings_get_uint (self->settings, "webhook-port"));
  lookup_webhook_token (self);
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

static void
preferences_activated (GSimpleAction *action,
                       GVariant      *parameter,
                       gpointer       user_data)
{
  VigilApplication *self = user_data;
  GtkWindow *parent = gtk_application_get_active_window (GTK_APPLICATION (self));
  GtkWindow *preferences = NULL;

  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (self)); l != NULL; l = l->next)
    if (VIGIL_IS_PREFERENCES_WINDOW (l->data))
      preferences = l->data;

  if (preferences == NULL)
    {
      if (VIGIL_IS_PREFERENCES_WINDOW (parent))
        parent = NULL;
      preferences = GTK_WINDOW (vigil_preferences_window_new (self, parent));
    }

  gtk_window_present (preferences);
}

static void
acknowledge_activated (GSimpleAction *action,
                       GVariant      *parameter,
                       gpointer       user_data)
{
  VigilApplication *self = user_data;

  vigil_application_acknowledge (self, g_variant_get_string (parameter, NULL), TRUE);
}

static void
unacknowledge_activated (GSimpleAction *action,
                         GVariant      *parameter,
                         gpointer       user_data)
{
  VigilApplication *self = user_data;

  vigil_application_acknowledge (self, g_variant_get_string (parameter, NULL), FALSE);
}

static const GActionEntry app_actions[] = {
  { "quit", quit_activated, NULL, NULL, NULL },
  { "preferences", preferences_activated, NULL, NULL, NULL },
  { "acknowledge", acknowledge_activated, "s", NULL, NULL },
  { "unacknowledge", unacknowledge_activated, "s", NULL, NULL },
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

  self->command_line_seen = TRUE;
  if (alertmanagers != NULL || prometheus != NULL)
    {
      g_clear_pointer (&self->override_configs, g_ptr_array_unref);
      self->override_configs = configs_from_options (alertmanagers, prometheus);
      load_sources (self);
    }
  else
    {
      g_autoptr(GHashTable) names = g_hash_table_new (g_str_hash, g_str_equal);
      GListModel *current = vigil_poller_get_sources (self->poller);

      for (guint i = 0; i < g_list_model_get_n_items (current); i++)
        {
          g_autoptr(VigilSource) source = g_list_model_get_item (current, i);

          g_hash_table_add (names, (gpointer) vigil_source_get_name (source));
        }
      watch_sources (self, names);
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
  static const char *preferences_accels[] = { "<Control>comma", NULL };

  G_APPLICATION_CLASS (vigil_application_parent_class)->startup (app);

  g_action_map_add_action_entries (G_ACTION_MAP (self), app_actions,
                                   G_N_ELEMENTS (app_actions), self);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "app.quit", quit_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "app.preferences", preferences_accels);

  /* handle-local-options made sure the schema is there. */
  self->settings = g_settings_new (APP_ID);

  self->clock = vigil_clock_new_system ();
  self->poller = vigil_poller_new ();
  self->tracker = vigil_alert_tracker_new (self->clock);
  self->notifier = vigil_notifier_new ();
  policy_from_settings (self);
  self->state_store = vigil_state_store_new_default ();
  restore_state (self);

  heartbeats = g_settings_get_strv (self->settings, "heartbeat-alertnames");
  vigil_alert_tracker_set_heartbeat_names (self->tracker, (const char * const *) heartbeats);
  vigil_poller_set_interval (self->poller, g_settings_get_uint (self->settings, "poll-interval"));

  g_signal_connect_object (self->poller, "source-polled",
                           G_CALLBACK (app_source_polled_cb), self, 0);
  /* The lifecycle decides what notifies; the tracker only reports. */
  g_signal_connect_object (self->tracker, "alert-fired",
                           G_CALLBACK (alert_fired_cb), self, 0);
  g_signal_connect_object (self->tracker, "alert-resolved",
                           G_CALLBACK (alert_resolved_cb), self, 0);
  g_signal_connect_object (self->tracker, "changed",
                           G_CALLBACK (tracker_changed_cb), self, 0);
  g_signal_connect_object (self->lifecycle, "action",
                           G_CALLBACK (lifecycle_action_cb), self, 0);
  g_signal_connect_object (self->lifecycle, "changed",
                           G_CALLBACK (lifecycle_changed_cb), self, 0);
  g_signal_connect_object (self->notifier, "action-invoked",
                           G_CALLBACK (notification_action_cb), self, 0);
  g_signal_connect_object (self->settings, "changed",
                           G_CALLBACK (settings_changed_cb), self, 0);

  self->webhook = vigil_webhook_receiver_new ();
  g_signal_connect_object (self->webhook, "alerts-received",
                           G_CALLBACK (webhook_received_cb), self, 0);

  load_sources (self);
  apply_webhook_settings (self);
}

static void
vigil_application_shutdown (GApplication *app)
{
  VigilApplication *self = VIGIL_APPLICATION (app);

  if (self->poller != NULL)
    vigil_poller_stop (self->poller);
  if (self->webhook != NULL)
    vigil_webhook_receiver_stop (self->webhook);
  /* A keyring answer still on its way must not start it again, nor may
   * a settings change: another instance in this process (a test) may
   * share the settings backend. */
  self->webhook_serial++;
  self->shut_down = TRUE;
  if (self->settings != NULL)
    g_signal_handlers_disconnect_by_func (self->settings, settings_changed_cb, self);
  g_clear_handle_id (&self->reload_idle_id, g_source_remove);
  g_cancellable_cancel (self->secrets_cancellable);
  g_clear_handle_id (&self->tick_timeout_id, g_source_remove);
  g_clear_handle_id (&self->save_timeout_id, g_source_remove);

  /* The last state is written before the process ends, whatever the
   * debounce still waited for. */
  if (self->lifecycle != NULL && self->state_store != NULL)
    {
      g_autoptr(GBytes) bytes = vigil_alert_lifecycle_serialize (self->lifecycle);
      g_autoptr(GError) error = NULL;

      if (!vigil_state_store_save (self->state_store, bytes, &error))
        g_message ("%s", error->message);
    }

  G_APPLICATION_CLASS (vigil_application_parent_class)->shutdown (app);
}

static void
vigil_application_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  VigilApplication *self = VIGIL_APPLICATION (object);

  switch (prop_id)
    {
    case PROP_WEBHOOK_ERROR:
      g_value_set_string (value, self->webhook_error);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
vigil_application_finalize (GObject *object)
{
  VigilApplication *self = VIGIL_APPLICATION (object);

  g_clear_object (&self->webhook);
  g_clear_object (&self->notifier);
  g_clear_object (&self->lifecycle);
  g_clear_object (&self->state_store);
  g_clear_object (&self->tracker);
  g_clear_object (&self->poller);
  g_clear_object (&self->clock);
  g_clear_object (&self->settings);
  g_clear_object (&self->secrets_cancellable);
  g_clear_pointer (&self->override_configs, g_ptr_array_unref);
  g_clear_pointer (&self->webhook_error, g_free);

  G_OBJECT_CLASS (vigil_application_parent_class)->finalize (object);
}

static void
vigil_application_class_init (VigilApplicationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  object_class->get_property = vigil_application_get_property;
  object_class->finalize = vigil_application_finalize;

  app_class->handle_local_options = vigil_application_handle_local_options;
  app_class->command_line = vigil_application_command_line;
  app_class->activate = vigil_application_activate;
  app_class->startup = vigil_application_startup;
  app_class->shutdown = vigil_application_shutdown;

  properties[PROP_WEBHOOK_ERROR] =
    g_param_spec_string ("webhook-error", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);
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
  /* libsoup 3.2's HTTP/2 client never finishes a request when a server
   * that requires a client certificate closes the handshake without one
   * (its http2 I/O hits "code should not be reached"), which would stall
   * the poller for good. A few polls gain nothing from HTTP/2, so every
   * connection speaks HTTP/1.1. libsoup reads this once, at its first
   * connection; this runs before any, and before any thread. */
  g_setenv ("SOUP_FORCE_HTTP1", "1", FALSE);

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
  const char *alertmanagers[] = { alertmanager_url, NULL };
  const char *prometheus[] = { prometheus_url, NULL };
  gboolean has_am = alertmanager_url != NULL && *alertmanager_url != '\0';
  gboolean has_prom = prometheus_url != NULL && *prometheus_url != '\0';
  g_autoptr(GPtrArray) configs = NULL;
  g_autoptr(GPtrArray) check = NULL;
  g_autoptr(GPtrArray) saved = NULL;
  g_autoptr(GVariant) value = NULL;

  g_return_val_if_fail (VIGIL_IS_APPLICATION (self), FALSE);

  if (!has_am && !has_prom)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                           _("Enter the address of an Alertmanager, a Prometheus, or both."));
      return FALSE;
    }

  /* Validate both before saving either, so a typo saves nothing. */
  configs = configs_from_options (has_am ? alertmanagers : NULL, has_prom ? prometheus : NULL);

  /* A source with the same address that the user already set up (in
   * Preferences, with a token or a CA file) is kept as it is: "Connect"
   * must not strip it back to no authentication. */
  saved = configs_from_settings (self->settings);
  for (guint i = 0; i < configs->len; i++)
    {
      VigilSourceConfig *typed = g_ptr_array_index (configs, i);

      for (guint j = 0; j < saved->len; j++)
        {
          const VigilSourceConfig *old = g_ptr_array_index (saved, j);

          if (old->kind == typed->kind && old->urls != NULL && typed->urls != NULL
              && g_strv_equal ((const char * const *) old->urls, (const char * const *) typed->urls))
            {
              configs->pdata[i] = vigil_source_config_copy (old);
              vigil_source_config_free (typed);
              break;
            }
        }
    }

  check = create_sources (configs, error);
  if (check == NULL)
    return FALSE;

  /* What the user configures replaces this run's command-line URLs. */
  g_clear_pointer (&self->override_configs, g_ptr_array_unref);

  /* One reload for every key, also when they did not change, so that
   * "Connect" with the same URLs polls again. */
  value = g_variant_ref_sink (vigil_source_config_list_to_variant (configs));
  g_signal_handlers_block_by_func (self->settings, settings_changed_cb, self);
  g_settings_set_value (self->settings, "sources", value);
  g_settings_set_strv (self->settings, "alertmanager-urls", NULL);
  g_settings_set_strv (self->settings, "prometheus-urls", NULL);
  g_signal_handlers_unblock_by_func (self->settings, settings_changed_cb, self);
  load_sources (self);

  return TRUE;
}

void
vigil_application_reload_sources (VigilApplication *self)
{
  g_return_if_fail (VIGIL_IS_APPLICATION (self));

  load_sources (self);
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

VigilWebhookReceiver *
vigil_application_get_webhook_receiver (VigilApplication *self)
{
  g_return_val_if_fail (VIGIL_IS_APPLICATION (self), NULL);

  return self->webhook;
}

const char *
vigil_application_get_webhook_error (VigilApplication *self)
{
  g_return_val_if_fail (VIGIL_IS_APPLICATION (self), NULL);

  return self->webhook_error;
}

void
vigil_application_set_webhook_token_async (VigilApplication    *self,
                                           const char          *token,
                                           GCancellable        *cancellable,
                                           GAsyncReadyCallback  callback,
                                           gpointer             user_data)
{
  GTask *task;

  g_return_if_fail (VIGIL_IS_APPLICATION (self));
  g_return_if_fail (token != NULL && token[0] != '\0');
  g_return_if_fail (self->webhook != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, vigil_application_set_webhook_token_async);
  /* Kept until the keyring holds it, then wiped. */
  g_task_set_task_data (task, g_strdup (token), (GDestroyNotify) wipe_token);
  /* Not cancellable: once asked for, the keyring and the receiver must
   * end up with the same token. */
  vigil_secrets_store_async (VIGIL_APPLICATION_WEBHOOK_SECRET_ID, _("Alertmanager webhook"),
                             token, NULL, webhook_token_stored_cb, task);
}

gboolean
vigil_application_set_webhook_token_finish (VigilApplication  *self,
                                            GAsyncResult      *result,
                                            GError           **error)
{
  g_return_val_if_fail (VIGIL_IS_APPLICATION (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == vigil_application_set_webhook_token_async, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

void
vigil_application_reload_webhook_token (VigilApplication *self)
{
  g_return_if_fail (VIGIL_IS_APPLICATION (self));

  if (self->webhook == NULL || !g_settings_get_boolean (self->settings, "webhook-enabled"))
    return;

  lookup_webhook_token (self);
}

VigilAlertLifecycle *
vigil_application_get_lifecycle (VigilApplication *self)
{
  g_return_val_if_fail (VIGIL_IS_APPLICATION (self), NULL);

  return self->lifecycle;
}

gboolean
vigil_application_acknowledge (VigilApplication *self,
                               const char       *fingerprint,
                               gboolean          acknowledge)
{
  gboolean changed;

  g_return_val_if_fail (VIGIL_IS_APPLICATION (self), FALSE);
  g_return_val_if_fail (fingerprint != NULL, FALSE);

  if (acknowledge)
    changed = vigil_alert_lifecycle_acknowledge (self->lifecycle, fingerprint);
  else
    changed = vigil_alert_lifecycle_unacknowledge (self->lifecycle, fingerprint);
  tick (self);

  return changed;
}
