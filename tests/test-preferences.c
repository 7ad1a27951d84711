/* SPDX-License-Identifier: GPL-3.0-or-later */

/* Preferences, driven as a person would: the real application opens it
 * from app.preferences, a source is added (an Alertmanager cluster of two
 * local servers that want basic auth, a tenant, an extra header, TLS
 * checks off), tested, saved, polled, removed, put back with Undo, and
 * removed for good. Along the way: the password is in the keyring and in
 * no setting, the servers saw every header, and the window's health line
 * warns about the TLS checks. PNGs of each step go to the build folder. */

#include "config.h"

#include <adwaita.h>
#include <glib/gstdio.h>

#include "vigil-application.h"
#include "vigil-preferences-window.h"
#include "vigil-secrets.h"
#include "vigil-window.h"

#define TIMEOUT_SECONDS 60
#define PASSWORD "hunter2-from-the-form"

typedef struct {
  SoupServer *server;
  char       *url;
  guint       requests;
  guint       authorized;
  char       *tenant;
  char       *team;
} Server;

typedef struct {
  VigilApplication       *app;
  VigilPreferencesWindow *prefs;
  Server                  servers[2];
  gint64                  started;
  gint64                  step_started;
  guint                   step;
  char                   *source_id;
  GAsyncResult           *lookup;
  gboolean                looked_up;
  int                     status;
  const char             *failure;
} Run;

static char *status_body;

static void
handler (SoupServer        *soup_server,
         SoupServerMessage *message,
         const char        *path,
         GHashTable        *query,
         gpointer           user_data)
{
  Server *server = user_data;
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (message);
  g_autofree char *pair = g_strdup ("vigil:" PASSWORD);
  g_autofree char *encoded = g_base64_encode ((const guchar *) pair, strlen (pair));
  g_autofree char *expected = g_strconcat ("Basic ", encoded, NULL);

  server->requests++;
  g_free (server->tenant);
  server->tenant = g_strdup (soup_message_headers_get_one (headers, "X-Scope-OrgID"));
  g_free (server->team);
  server->team = g_strdup (soup_message_headers_get_one (headers, "X-Team"));

  if (g_strcmp0 (soup_message_headers_get_one (headers, "Authorization"), expected) != 0)
    {
      soup_server_message_set_status (message, 401, NULL);
      soup_message_headers_replace (soup_server_message_get_response_headers (message),
                                    "WWW-Authenticate", "Basic");
      soup_server_message_set_response (message, "text/plain", SOUP_MEMORY_STATIC,
                                        "Unauthorized\n", 13);
      return;
    }

  server->authorized++;
  soup_server_message_set_status (message, 200, NULL);
  if (g_strcmp0 (path, "/api/v2/status") == 0)
    soup_server_message_set_response (message, "application/json", SOUP_MEMORY_COPY,
                                      status_body, strlen (status_body));
  else
    soup_server_message_set_response (message, "application/json", SOUP_MEMORY_STATIC, "[]", 2);
}

static void
server_start (Server *server)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, 0);
  GSList *uris;

  server->server = soup_server_new (NULL, NULL);
  soup_server_add_handler (server->server, NULL, handler, server, NULL);
  soup_server_listen (server->server, address, 0, &error);
  g_assert_no_error (error);
  uris = soup_server_get_uris (server->server);
  server->url = g_strdup_printf ("http://127.0.0.1:%d", g_uri_get_port (uris->data));
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);
}

static void
server_clear (Server *server)
{
  if (server->server != NULL)
    soup_server_disconnect (server->server);
  g_clear_object (&server->server);
  g_clear_pointer (&server->url, g_free);
  g_clear_pointer (&server->tenant, g_free);
  g_clear_pointer (&server->team, g_free);
}

/* Renders a window as GTK draws it into a PNG in the build folder;
 * returns how many distinct colours a coarse sample has, so a blank frame
 * is caught. */
static guint
save_png (GtkWidget  *window,
          const char *name)
{
  g_autofree char *path = g_test_build_filename (G_TEST_BUILT, name, NULL);
  g_autoptr(GdkPaintable) paintable = gtk_widget_paintable_new (window);
  g_autoptr(GtkSnapshot) snapshot = gtk_snapshot_new ();
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  g_autoptr(GHashTable) colours = g_hash_table_new (NULL, NULL);
  g_autofree guchar *pixels = NULL;
  int width = gtk_widget_get_width (window);
  int height = gtk_widget_get_height (window);
  GskRenderer *renderer = gtk_native_get_renderer (GTK_NATIVE (window));

  gdk_paintable_snapshot (paintable, GDK_SNAPSHOT (snapshot), width, height);
  node = gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
  g_assert_nonnull (node);
  texture = gsk_renderer_render_texture (renderer, node, &GRAPHENE_RECT_INIT (0, 0, width, height));
  g_assert_true (gdk_texture_save_to_png (texture, path));
  g_print ("# saved %s (%dx%d)\n", path, width, height);

  pixels = g_malloc ((gsize) width * height * 4);
  gdk_texture_download (texture, pixels, (gsize) width * 4);
  for (int y = 0; y < height; y += 7)
    for (int x = 0; x < width; x += 7)
      g_hash_table_add (colours, GUINT_TO_POINTER (((guint32 *) pixels)[y * width + x]));

  return g_hash_table_size (colours);
}

static GtkScrolledWindow *
find_scrolled_window (GtkWidget *widget)
{
  if (GTK_IS_SCROLLED_WINDOW (widget))
    return GTK_SCROLLED_WINDOW (widget);

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkScrolledWindow *found = find_scrolled_window (child);

      if (found != NULL)
        return found;
    }

  return NULL;
}

static VigilPreferencesWindow *
find_preferences (VigilApplication *app)
{
  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (app)); l != NULL; l = l->next)
    if (VIGIL_IS_PREFERENCES_WINDOW (l->data))
      return l->data;

  return NULL;
}

static VigilWindow *
find_main_window (VigilApplication *app)
{
  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (app)); l != NULL; l = l->next)
    if (VIGIL_IS_WINDOW (l->data))
      return l->data;

  return NULL;
}

static VigilSource *
find_source (VigilApplication *app,
             const char       *name)
{
  GListModel *sources = vigil_poller_get_sources (vigil_application_get_poller (app));

  for (guint i = 0; i < g_list_model_get_n_items (sources); i++)
    {
      g_autoptr(VigilSource) source = g_list_model_get_item (sources, i);

      if (g_strcmp0 (vigil_source_get_name (source), name) == 0)
        return source;
    }

  return NULL;
}

static gboolean
settings_mention (VigilApplication *app,
                  const char       *text)
{
  GSettings *settings = vigil_application_get_settings (app);
  g_autoptr(GSettingsSchema) schema = NULL;
  g_auto(GStrv) keys = NULL;

  g_object_get (settings, "settings-schema", &schema, NULL);
  keys = g_settings_schema_list_keys (schema);
  for (guint i = 0; keys[i] != NULL; i++)
    {
      g_autoptr(GVariant) value = g_settings_get_value (settings, keys[i]);
      g_autofree char *printed = g_variant_print (value, FALSE);

      if (strstr (printed, text) != NULL)
        return TRUE;
    }

  return FALSE;
}

static guint
n_saved_sources (VigilApplication *app)
{
  g_autoptr(GVariant) sources = g_settings_get_value (vigil_application_get_settings (app), "sources");

  return g_variant_n_children (sources);
}

static void
lookup_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  Run *run = user_data;

  run->lookup = g_object_ref (result);
}

static void
fail (Run        *run,
      const char *failure)
{
  run->failure = failure;
  g_application_quit (G_APPLICATION (run->app));
}

static void
next_step (Run *run)
{
  run->step++;
  run->step_started = g_get_monotonic_time ();
}

static gboolean
step_cb (gpointer user_data)
{
  Run *run = user_data;
  gint64 now = g_get_monotonic_time ();
  VigilSourceEditor *editor = run->prefs != NULL ? vigil_preferences_window_get_editor (run->prefs) : NULL;

  if (now - run->started > TIMEOUT_SECONDS * G_USEC_PER_SEC)
    {
      g_printerr ("# stuck at step %u\n", run->step);
      fail (run, "the preferences did not get through every step in time");
      return G_SOURCE_REMOVE;
    }

  /* Give each step's widgets a frame or two before looking at them. */
  if (now - run->step_started < 300 * 1000)
    return G_SOURCE_CONTINUE;

  switch (run->step)
    {
    case 0:
      if (find_main_window (run->app) == NULL)
        return G_SOURCE_CONTINUE;
      g_action_group_activate_action (G_ACTION_GROUP (run->app), "preferences", NULL);
      next_step (run);
      break;

    case 1:
      run->prefs = find_preferences (run->app);
      if (run->prefs == NULL || !gtk_widget_get_mapped (GTK_WIDGET (run->prefs)))
        return G_SOURCE_CONTINUE;
      /* Tall enough for the whole form in one picture. */
      gtk_window_set_default_size (GTK_WINDOW (run->prefs), 640, 1500);
      next_step (run);
      break;

    case 2:
      if (gtk_widget_get_height (GTK_WIDGET (run->prefs)) < 1000)
        return G_SOURCE_CONTINUE;
      if (vigil_preferences_window_get_configs (run->prefs)->len != 0)
        {
          fail (run, "a fresh Vigil lists sources in Preferences");
          return G_SOURCE_REMOVE;
        }
      if (save_png (GTK_WIDGET (run->prefs), "preferences-empty.png") < 8)
        {
          fail (run, "the empty preferences rendered blank");
          return G_SOURCE_REMOVE;
        }
      gtk_widget_activate_action (GTK_WIDGET (run->prefs), "prefs.add-source", NULL);
      next_step (run);
      break;

    case 3:
      {
        g_autofree char *urls = NULL;

        if (editor == NULL)
          return G_SOURCE_CONTINUE;

        urls = g_strdup_printf ("%s, %s", run->servers[0].url, run->servers[1].url);
        gtk_editable_set_text (GTK_EDITABLE (vigil_source_editor_get_name_row (editor)), "Production");
        gtk_editable_set_text (GTK_EDITABLE (vigil_source_editor_get_urls_row (editor)), urls);
        adw_combo_row_set_selected (vigil_source_editor_get_auth_row (editor), 1);
        gtk_editable_set_text (GTK_EDITABLE (vigil_source_editor_get_username_row (editor)), "vigil");
        gtk_editable_set_text (GTK_EDITABLE (vigil_source_editor_get_secret_row (editor)), PASSWORD);
        gtk_editable_set_text (GTK_EDITABLE (vigil_source_editor_get_tenant_row (editor)), "team-a");
        vigil_source_editor_add_header (editor, "X-Team: on-call");
        gtk_switch_set_active (vigil_source_editor_get_verify_switch (editor), FALSE);
        gtk_widget_activate_action (GTK_WIDGET (editor), "editor.test", NULL);
        next_step (run);
      }
      break;

    case 4:
      if (editor == NULL || vigil_source_editor_get_test_result (editor) == NULL)
        return G_SOURCE_CONTINUE;
      {
        g_autofree char *said = g_strdup (vigil_source_editor_get_test_result (editor));

        g_strdelimit (said, "\n", ' ');
        g_print ("# test connection said: %s\n", said);
      }
      if (strstr (vigil_source_editor_get_test_result (editor), "Alertmanager 0.25.0, cluster ready with 2 members") == NULL)
        {
          fail (run, "Test connection did not show the Alertmanagers' version and cluster");
          return G_SOURCE_REMOVE;
        }
      if (g_strcmp0 (run->servers[0].tenant, "team-a") != 0 || g_strcmp0 (run->servers[1].team, "on-call") != 0
          || run->servers[0].authorized == 0 || run->servers[1].authorized == 0)
        {
          fail (run, "the test request lacked the tenant, the header or the credentials");
          return G_SOURCE_REMOVE;
        }
      if (save_png (GTK_WIDGET (run->prefs), "preferences-editor.png") < 8)
        {
          fail (run, "the source editor rendered blank");
          return G_SOURCE_REMOVE;
        }
      {
        /* The rest of the form: TLS and the test's answer. */
        GtkAdjustment *adjustment = gtk_scrolled_window_get_vadjustment (find_scrolled_window (GTK_WIDGET (editor)));

        gtk_adjustment_set_value (adjustment, gtk_adjustment_get_upper (adjustment));
      }
      next_step (run);
      break;

    case 5:
      save_png (GTK_WIDGET (run->prefs), "preferences-editor-tested.png");
      gtk_widget_activate_action (GTK_WIDGET (editor), "editor.save", NULL);
      next_step (run);
      break;

    case 6:
      {
        VigilSource *source = find_source (run->app, "Production");
        VigilPreferencesWindow *prefs = run->prefs;

        /* Saved once the keyring has the password, polled with it. */
        if (editor != NULL || source == NULL || vigil_source_get_health (source) != VIGIL_SOURCE_HEALTH_OK)
          return G_SOURCE_CONTINUE;

        if (n_saved_sources (run->app) != 1 || vigil_preferences_window_get_configs (prefs)->len != 1)
          {
            fail (run, "the new source is not in the sources key");
            return G_SOURCE_REMOVE;
          }
        if (settings_mention (run->app, PASSWORD))
          {
            fail (run, "the password is in GSettings");
            return G_SOURCE_REMOVE;
          }
        if (vigil_source_get_warning (source) == NULL
            || strstr (vigil_source_get_warning (source), "TLS certificate checks are off") == NULL)
          {
            fail (run, "the source with TLS checks off shows no warning");
            return G_SOURCE_REMOVE;
          }
        run->source_id = g_strdup (vigil_source_get_config (source)->id);
        vigil_secrets_lookup_async (run->source_id, NULL, lookup_cb, run);
        save_png (GTK_WIDGET (prefs), "preferences-list.png");
        gtk_window_present (GTK_WINDOW (find_main_window (run->app)));
        next_step (run);
      }
      break;

    case 7:
      {
        g_autoptr(GError) error = NULL;
        char *secret;

        if (run->lookup == NULL)
          return G_SOURCE_CONTINUE;

        secret = vigil_secrets_lookup_finish (run->lookup, &error);
        g_clear_object (&run->lookup);
        if (g_strcmp0 (secret, PASSWORD) != 0)
          {
            vigil_secrets_free (secret);
            fail (run, "the keyring does not hold the password typed");
            return G_SOURCE_REMOVE;
          }
        vigil_secrets_free (secret);

        if (save_png (GTK_WIDGET (find_main_window (run->app)), "window-tls-warning.png") < 8)
          {
            fail (run, "the main window rendered blank");
            return G_SOURCE_REMOVE;
          }

        gtk_widget_activate_action (GTK_WIDGET (run->prefs), "prefs.remove-source", "u", 0);
        next_step (run);
      }
      break;

    case 8:
      if (n_saved_sources (run->app) != 0 || find_source (run->app, "Production") != NULL)
        {
          fail (run, "removing did not take the source out of the settings and the poller");
          return G_SOURCE_REMOVE;
        }
      save_png (GTK_WIDGET (run->prefs), "preferences-removed.png");
      /* The toast's Undo. */
      gtk_widget_activate_action (GTK_WIDGET (run->prefs), "prefs.undo-remove", "u", 1);
      next_step (run);
      break;

    case 9:
      if (n_saved_sources (run->app) != 1 || find_source (run->app, "Production") == NULL)
        {
          fail (run, "Undo did not bring the source back");
          return G_SOURCE_REMOVE;
        }
      /* Removed for good: closing the window ends the toast's chance. */
      gtk_widget_activate_action (GTK_WIDGET (run->prefs), "prefs.remove-source", "u", 0);
      gtk_window_destroy (GTK_WINDOW (run->prefs));
      run->prefs = NULL;
      next_step (run);
      break;

    case 10:
      if (run->lookup == NULL)
        {
          /* The window's dispose asked the keyring to forget it. */
          if (!run->looked_up)
            vigil_secrets_lookup_async (run->source_id, NULL, lookup_cb, run);
          run->looked_up = TRUE;
          return G_SOURCE_CONTINUE;
        }
      else
        {
          g_autoptr(GError) error = NULL;
          char *secret = vigil_secrets_lookup_finish (run->lookup, &error);

          g_clear_object (&run->lookup);
          if (secret != NULL)
            {
              vigil_secrets_free (secret);
              fail (run, "the password of a removed source stayed in the keyring");
              return G_SOURCE_REMOVE;
            }
          run->status = 0;
          g_application_quit (G_APPLICATION (run->app));
          return G_SOURCE_REMOVE;
        }

    default:
      g_assert_not_reached ();
    }

  return G_SOURCE_CONTINUE;
}

static void
test_sources_in_preferences (void)
{
  g_autofree char *status_path = NULL;
  char *args[] = { (char *) "vigil", NULL };
  Run run = { 0 };

  status_path = g_test_build_filename (G_TEST_DIST, "fixtures", "status", "alertmanager-status-cluster.json", NULL);
  g_assert_true (g_file_get_contents (status_path, &status_body, NULL, NULL));
  server_start (&run.servers[0]);
  server_start (&run.servers[1]);

  run.app = vigil_application_new ();
  run.status = 1;
  run.started = g_get_monotonic_time ();
  /* Not unique: the test must not hand its window to a Vigil already
   * running on this session bus. */
  g_application_set_flags (G_APPLICATION (run.app),
                           g_application_get_flags (G_APPLICATION (run.app)) | G_APPLICATION_NON_UNIQUE);
  g_timeout_add (100, step_cb, &run);

  g_application_run (G_APPLICATION (run.app), 1, args);
  g_clear_object (&run.app);

  server_clear (&run.servers[0]);
  server_clear (&run.servers[1]);
  g_free (run.source_id);
  g_clear_pointer (&status_body, g_free);

  if (run.failure != NULL)
    g_test_fail_printf ("%s", run.failure);
  g_assert_cmpint (run.status, ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *keyring_dir = g_dir_make_tmp ("vigil-test-keyring-XXXXXX", NULL);
  g_autofree char *keyring = g_build_filename (keyring_dir, "keyring", NULL);
  int status;

  /* A keyring of the test's own, which needs no D-Bus and no unlocking. */
  g_setenv ("SECRET_BACKEND", "file", TRUE);
  g_setenv ("SECRET_FILE_TEST_PATH", keyring, TRUE);
  g_setenv ("SECRET_FILE_TEST_PASSWORD", "vigil-test", TRUE);

  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/vigil/preferences/sources", test_sources_in_preferences);
  status = g_test_run ();

  g_remove (keyring);
  g_rmdir (keyring_dir);

  return status;
}
