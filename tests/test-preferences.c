/* SPDX-License-Identifier: GPL-3.0-or-later */

/* Preferences, driven as a person would: the real application opens it
 * from app.preferences, a source is added (an Alertmanager cluster of two
 * local servers that want basic auth, a tenant, an extra header, TLS
 * checks off), tested, saved, polled, removed, put back with Undo, and
 * removed for good. Along the way: the password is in the keyring and in
 * no setting, the servers saw every header, and the window's health line
 * warns about the TLS checks. PNGs of each step go to the build folder.
 *
 * Then the Alertmanager webhook, also from Preferences: turned on at a free
 * port, the page says where it listens; a POST with a wrong token gets 401
 * and the page says why; the token copied with the button (read back from
 * the clipboard, and shown in no label) gets 200 and an alert; a new token
 * applies at once (the old one refused, the new one taken), and so does
 * one stored outside Vigil once Preferences opens again; the copied
 * alertmanager.yml entry has the URL and the token (and passes amtool when
 * it is installed); a network address warns and gets a placeholder host;
 * a port in use and an address that is not one are said in words. */

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

/* The webhook from Preferences. */

#define PUSH_BODY "{\"version\":\"4\",\"status\":\"firing\",\"receiver\":\"test\",\"alerts\":[{\"status\":\"firing\",\"labels\":{\"alertname\":\"VigilPrefsPush\",\"severity\":\"warning\"},\"annotations\":{\"summary\":\"Pushed by test-preferences\"}}]}"
#define CLIPBOARD_MARKER "nothing copied yet"
#define OWN_TOKEN "a-token-of-the-users-own-set-with-secret-tool"

typedef struct {
  VigilApplication       *app;
  VigilPreferencesWindow *prefs;
  SoupSession            *session;
  SoupServer             *busy;         /* holds a port, for "already in use" */
  guint                   busy_port;
  guint                   port;
  gint64                  started;
  gint64                  step_started;
  guint                   step;
  guint                   post_status;  /* 0 while a POST is on its way */
  gboolean                posting;
  char                   *clipboard;    /* the last text read back */
  gboolean                reading;
  char                   *token;
  char                   *old_token;
  gboolean                own_token_stored;
  int                     status;
  const char             *failure;
} Push;

/* A port nothing listens on at the moment, from the kernel. */
static guint
free_port (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSocket) socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM,
                                            G_SOCKET_PROTOCOL_TCP, &error);
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;

  g_assert_no_error (error);
  g_assert_true (g_socket_bind (socket, address, FALSE, &error));
  g_assert_no_error (error);
  bound = g_socket_get_local_address (socket, &error);
  g_assert_no_error (error);

  return g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
}

static void
push_fail (Push       *push,
           const char *failure)
{
  push->failure = failure;
  g_application_quit (G_APPLICATION (push->app));
}

static void
push_next_step (Push *push)
{
  push->step++;
  push->step_started = g_get_monotonic_time ();
}

static void
posted_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  SoupMessage *message = user_data;
  Push *push = g_object_get_data (G_OBJECT (message), "push");
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) answer = soup_session_send_and_read_finish (SOUP_SESSION (object), result, &error);

  if (error != NULL)
    g_printerr ("# POST failed: %s\n", error->message);
  push->post_status = error != NULL ? 1 : soup_message_get_status (message);
  push->posting = FALSE;
  g_object_unref (message);
}

/* POSTs a notification with this bearer token (NULL: none), as
 * Alertmanager would. */
static void
post_alert (Push       *push,
            const char *token)
{
  g_autofree char *url = g_strdup_printf ("http://127.0.0.1:%u/api/webhook/alertmanager", push->port);
  g_autoptr(GBytes) body = g_bytes_new_static (PUSH_BODY, strlen (PUSH_BODY));
  SoupMessage *message = soup_message_new ("POST", url);

  if (token != NULL)
    {
      g_autofree char *authorization = g_strconcat ("Bearer ", token, NULL);

      soup_message_headers_replace (soup_message_get_request_headers (message), "Authorization", authorization);
    }
  soup_message_set_request_body_from_bytes (message, "application/json", body);
  g_object_set_data (G_OBJECT (message), "push", push);
  push->post_status = 0;
  push->posting = TRUE;
  soup_session_send_and_read_async (push->session, message, G_PRIORITY_DEFAULT, NULL,
                                    posted_cb, message);
}

static void
own_token_stored_cb (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  Push *push = user_data;
  g_autoptr(GError) error = NULL;

  g_assert_true (vigil_secrets_store_finish (result, &error));
  g_assert_no_error (error);
  push->own_token_stored = TRUE;
}

static void
clipboard_read_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  Push *push = user_data;
  g_autoptr(GError) error = NULL;

  g_free (push->clipboard);
  push->clipboard = gdk_clipboard_read_text_finish (GDK_CLIPBOARD (object), result, &error);
  push->reading = FALSE;
}

/* Reads the clipboard (again) and says whether it holds something other
 * than the marker: what a button copied. */
static gboolean
clipboard_copied (Push *push)
{
  GdkClipboard *clipboard = gtk_widget_get_clipboard (GTK_WIDGET (push->prefs));

  if (push->reading)
    return FALSE;
  if (push->clipboard != NULL && g_strcmp0 (push->clipboard, CLIPBOARD_MARKER) != 0)
    return TRUE;

  push->reading = TRUE;
  gdk_clipboard_read_text_async (clipboard, NULL, clipboard_read_cb, push);

  return FALSE;
}

static void
clipboard_reset (Push *push)
{
  gdk_clipboard_set_text (gtk_widget_get_clipboard (GTK_WIDGET (push->prefs)), CLIPBOARD_MARKER);
  g_clear_pointer (&push->clipboard, g_free);
}

/* Whether any label or text field in the widget tree shows `text`. */
static gboolean
widgets_show (GtkWidget  *widget,
              const char *text)
{
  if (GTK_IS_LABEL (widget) && strstr (gtk_label_get_text (GTK_LABEL (widget)), text) != NULL)
    return TRUE;
  if (GTK_IS_EDITABLE (widget) && strstr (gtk_editable_get_text (GTK_EDITABLE (widget)), text) != NULL)
    return TRUE;

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (widgets_show (child, text))
      return TRUE;

  return FALSE;
}

static gboolean
tracker_has (VigilApplication *app,
             const char       *name)
{
  GListModel *alerts = vigil_alert_tracker_get_alerts (vigil_application_get_tracker (app));

  for (guint i = 0; i < g_list_model_get_n_items (alerts); i++)
    {
      g_autoptr(VigilAlert) alert = g_list_model_get_item (alerts, i);

      if (g_strcmp0 (vigil_alert_get_name (alert), name) == 0)
        return TRUE;
    }

  return FALSE;
}

static AdwMessageDialog *
find_message_dialog (void)
{
  /* GTK's own list: not ours to unref. */
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GObject) window = g_list_model_get_item (toplevels, i);

      if (ADW_IS_MESSAGE_DIALOG (window) && gtk_widget_get_mapped (GTK_WIDGET (window)))
        return ADW_MESSAGE_DIALOG (window);
    }

  return NULL;
}

/* Runs amtool check-config on the copied entry inside a minimal
 * alertmanager.yml; TRUE when amtool is not installed. */
static gboolean
amtool_accepts (const char *config)
{
  g_autofree char *amtool = g_find_program_in_path ("amtool");
  g_autofree char *dir = NULL;
  g_autofree char *path = NULL;
  g_autofree char *yaml = NULL;
  g_autofree char *output = NULL;
  int wait_status = 0;
  g_autoptr(GError) error = NULL;
  const char *argv[] = { NULL, "check-config", NULL, NULL };

  if (amtool == NULL)
    {
      g_print ("# amtool is not installed: the copied configuration is not checked by it\n");
      return TRUE;
    }

  dir = g_dir_make_tmp ("vigil-test-amtool-XXXXXX", &error);
  g_assert_no_error (error);
  path = g_build_filename (dir, "alertmanager.yml", NULL);
  yaml = g_strconcat ("route:\n  receiver: vigil\n", config, NULL);
  g_assert_true (g_file_set_contents (path, yaml, -1, NULL));

  argv[0] = amtool;
  argv[2] = path;
  g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_STDERR_TO_DEV_NULL, NULL, NULL,
                &output, NULL, &wait_status, &error);
  g_assert_no_error (error);
  g_remove (path);
  g_rmdir (dir);

  return g_spawn_check_wait_status (wait_status, NULL);
}

static gboolean
push_step_cb (gpointer user_data)
{
  Push *push = user_data;
  gint64 now = g_get_monotonic_time ();
  VigilPreferencesWindow *prefs = push->prefs;
  GSettings *settings = push->app != NULL ? vigil_application_get_settings (push->app) : NULL;
  const char *state = prefs != NULL ? vigil_preferences_window_get_webhook_state (prefs) : NULL;
  const char *problem = prefs != NULL ? vigil_preferences_window_get_webhook_problem (prefs) : NULL;

  if (now - push->started > TIMEOUT_SECONDS * G_USEC_PER_SEC)
    {
      g_printerr ("# stuck at step %u (state: %s; problem: %s)\n", push->step, state, problem);
      push_fail (push, "the webhook in Preferences did not get through every step in time");
      return G_SOURCE_REMOVE;
    }

  if (now - push->step_started < 300 * 1000)
    return G_SOURCE_CONTINUE;

  switch (push->step)
    {
    case 0:
      if (find_main_window (push->app) == NULL)
        return G_SOURCE_CONTINUE;
      g_action_group_activate_action (G_ACTION_GROUP (push->app), "preferences", NULL);
      push_next_step (push);
      break;

    case 1:
      push->prefs = find_preferences (push->app);
      if (push->prefs == NULL || !gtk_widget_get_mapped (GTK_WIDGET (push->prefs)))
        return G_SOURCE_CONTINUE;
      gtk_window_set_default_size (GTK_WINDOW (push->prefs), 640, 1100);
      push_next_step (push);
      break;

    case 2:
      if (gtk_widget_get_height (GTK_WIDGET (prefs)) < 1000)
        return G_SOURCE_CONTINUE;
      if (!g_str_has_prefix (state, "Off"))
        {
          push_fail (push, "the webhook is not said to be off at first");
          return G_SOURCE_REMOVE;
        }
      /* As a person would: the port first, then the switch. */
      gtk_spin_button_set_value (vigil_preferences_window_get_webhook_port_button (prefs), push->port);
      gtk_switch_set_active (vigil_preferences_window_get_webhook_switch (prefs), TRUE);
      push_next_step (push);
      break;

    case 3:
      {
        g_autofree char *listening = g_strdup_printf ("Listening on http://127.0.0.1:%u/api/webhook/alertmanager",
                                                      push->port);

        if (g_strcmp0 (state, listening) != 0)
          return G_SOURCE_CONTINUE;
        g_print ("# %s\n", state);
        if (g_settings_get_uint (settings, "webhook-port") != push->port
            || !g_settings_get_boolean (settings, "webhook-enabled"))
          {
            push_fail (push, "the switch and the port did not reach the settings");
            return G_SOURCE_REMOVE;
          }
        if (problem != NULL || vigil_preferences_window_get_webhook_exposed (prefs))
          {
            push_fail (push, "a webhook on 127.0.0.1 shows a problem or the clear-text warning");
            return G_SOURCE_REMOVE;
          }
        if (save_png (GTK_WIDGET (prefs), "preferences-webhook-listening.png") < 8)
          {
            push_fail (push, "the webhook preferences rendered blank");
            return G_SOURCE_REMOVE;
          }
        post_alert (push, "not-the-token");
        push_next_step (push);
      }
      break;

    case 4:
      if (push->posting)
        return G_SOURCE_CONTINUE;
      if (push->post_status != 401)
        {
          g_printerr ("# a wrong token got %u\n", push->post_status);
          push_fail (push, "a POST with a wrong token was not refused with 401");
          return G_SOURCE_REMOVE;
        }
      if (problem == NULL || strstr (problem, "did not carry the right token") == NULL)
        return G_SOURCE_CONTINUE;
      g_print ("# after a wrong token: %s\n", problem);
      save_png (GTK_WIDGET (prefs), "preferences-webhook-refused.png");
      clipboard_reset (push);
      gtk_widget_activate_action (GTK_WIDGET (prefs), "prefs.copy-webhook-token", NULL);
      push_next_step (push);
      break;

    case 5:
      if (!clipboard_copied (push))
        return G_SOURCE_CONTINUE;
      push->token = g_steal_pointer (&push->clipboard);
      if (strlen (push->token) != 64 || strspn (push->token, "0123456789abcdef") != 64)
        {
          push_fail (push, "Copy token did not put a 256-bit hex token on the clipboard");
          return G_SOURCE_REMOVE;
        }
      if (widgets_show (GTK_WIDGET (prefs), push->token))
        {
          push_fail (push, "the token shows in the preferences");
          return G_SOURCE_REMOVE;
        }
      post_alert (push, push->token);
      push_next_step (push);
      break;

    case 6:
      if (push->posting)
        return G_SOURCE_CONTINUE;
      if (push->post_status != 200)
        {
          g_printerr ("# the copied token got %u\n", push->post_status);
          push_fail (push, "a POST with the copied token was not taken");
          return G_SOURCE_REMOVE;
        }
      if (!tracker_has (push->app, "VigilPrefsPush"))
        return G_SOURCE_CONTINUE;
      if (problem != NULL)
        {
          push_fail (push, "the refusal still shows after a notification was taken");
          return G_SOURCE_REMOVE;
        }
      clipboard_reset (push);
      gtk_widget_activate_action (GTK_WIDGET (prefs), "prefs.copy-webhook-config", NULL);
      push_next_step (push);
      break;

    case 7:
      {
        g_autofree char *url = NULL;
        g_autofree char *credentials = NULL;

        if (!clipboard_copied (push))
          return G_SOURCE_CONTINUE;
        url = g_strdup_printf ("      - url: http://127.0.0.1:%u/api/webhook/alertmanager\n", push->port);
        credentials = g_strdup_printf ("            credentials: %s\n", push->token);
        if (strstr (push->clipboard, "    webhook_configs:\n") == NULL
            || strstr (push->clipboard, url) == NULL
            || strstr (push->clipboard, credentials) == NULL
            || strstr (push->clipboard, "        send_resolved: true\n") == NULL)
          {
            g_printerr ("%s", push->clipboard);
            push_fail (push, "the copied configuration lacks webhook_configs, the URL or the token");
            return G_SOURCE_REMOVE;
          }
        if (!amtool_accepts (push->clipboard))
          {
            g_printerr ("%s", push->clipboard);
            push_fail (push, "amtool check-config refuses the copied configuration");
            return G_SOURCE_REMOVE;
          }
        gtk_widget_activate_action (GTK_WIDGET (prefs), "prefs.new-webhook-token", NULL);
        push_next_step (push);
      }
      break;

    case 8:
      {
        AdwMessageDialog *dialog = find_message_dialog ();

        if (dialog == NULL)
          return G_SOURCE_CONTINUE;
        save_png (GTK_WIDGET (dialog), "preferences-webhook-new-token.png");
        push->old_token = g_steal_pointer (&push->token);
        adw_message_dialog_response (dialog, "replace");
        post_alert (push, push->old_token);
        push_next_step (push);
      }
      break;

    case 9:
      /* The old token works until the new one is in the keyring, and not
       * a moment after: no restart, no switch. */
      if (push->posting)
        return G_SOURCE_CONTINUE;
      if (push->post_status == 200)
        {
          post_alert (push, push->old_token);
          return G_SOURCE_CONTINUE;
        }
      if (push->post_status != 401)
        {
          push_fail (push, "the old token got neither 200 nor 401");
          return G_SOURCE_REMOVE;
        }
      clipboard_reset (push);
      gtk_widget_activate_action (GTK_WIDGET (prefs), "prefs.copy-webhook-token", NULL);
      push_next_step (push);
      break;

    case 10:
      if (!clipboard_copied (push))
        return G_SOURCE_CONTINUE;
      push->token = g_steal_pointer (&push->clipboard);
      if (g_strcmp0 (push->token, push->old_token) == 0 || strlen (push->token) != 64)
        {
          push_fail (push, "New token did not replace the token in the keyring");
          return G_SOURCE_REMOVE;
        }
      post_alert (push, push->token);
      push_next_step (push);
      break;

    case 11:
      {
        if (push->posting)
          return G_SOURCE_CONTINUE;
        if (push->post_status != 200)
          {
            push_fail (push, "the new token was not taken at once");
            return G_SOURCE_REMOVE;
          }
        if (!g_str_has_prefix (state, "Listening on "))
          {
            push_fail (push, "a new token stopped the webhook");
            return G_SOURCE_REMOVE;
          }
        save_png (GTK_WIDGET (prefs), "preferences-webhook-new-token-taken.png");

        /* A token of the user's own, stored as secret-tool would. */
        vigil_secrets_store_async (VIGIL_APPLICATION_WEBHOOK_SECRET_ID, "webhook", OWN_TOKEN,
                                   NULL, own_token_stored_cb, push);
        push_next_step (push);
      }
      break;

    case 12:
      if (!push->own_token_stored)
        return G_SOURCE_CONTINUE;
      /* Opening Preferences reads it again: no restart, no switch. */
      gtk_window_destroy (GTK_WINDOW (prefs));
      push->prefs = NULL;
      g_action_group_activate_action (G_ACTION_GROUP (push->app), "preferences", NULL);
      push_next_step (push);
      break;

    case 13:
      push->prefs = find_preferences (push->app);
      if (push->prefs == NULL || !gtk_widget_get_mapped (GTK_WIDGET (push->prefs)))
        return G_SOURCE_CONTINUE;
      gtk_window_set_default_size (GTK_WINDOW (push->prefs), 640, 1100);
      post_alert (push, OWN_TOKEN);
      push_next_step (push);
      break;

    case 14:
      {
        AdwEntryRow *address_row = vigil_preferences_window_get_webhook_address_row (prefs);

        if (push->posting)
          return G_SOURCE_CONTINUE;
        /* The keyring answers in a moment; until then the token from
         * New… is the one in use. */
        if (push->post_status == 401)
          {
            post_alert (push, OWN_TOKEN);
            return G_SOURCE_CONTINUE;
          }
        if (push->post_status != 200)
          {
            push_fail (push, "a token stored outside Vigil got neither 200 nor 401");
            return G_SOURCE_REMOVE;
          }
        if (gtk_widget_get_height (GTK_WIDGET (prefs)) < 1000)
          return G_SOURCE_CONTINUE;

        /* Not an address: nothing saved, the row says so. */
        gtk_editable_set_text (GTK_EDITABLE (address_row), "localhost:9099");
        g_signal_emit_by_name (address_row, "apply");
        {
          g_autofree char *saved = g_settings_get_string (settings, "webhook-address");

          if (g_strcmp0 (saved, "127.0.0.1") != 0
              || !gtk_widget_has_css_class (GTK_WIDGET (address_row), "error"))
            {
              push_fail (push, "an address that is not one was saved, or not marked");
              return G_SOURCE_REMOVE;
            }
        }

        /* A network address (one this machine does not have, so nothing
         * listens beyond loopback): the warning, the reason in words. */
        gtk_editable_set_text (GTK_EDITABLE (address_row), " 192.0.2.10 ");
        g_signal_emit_by_name (address_row, "apply");
        push_next_step (push);
      }
      break;

    case 15:
      if (problem == NULL || strstr (problem, "192.0.2.10") == NULL)
        return G_SOURCE_CONTINUE;
      g_print ("# on 192.0.2.10: %s / %s\n", state, problem);
      if (!vigil_preferences_window_get_webhook_exposed (prefs)
          || g_strcmp0 (state, "Not listening") != 0)
        {
          push_fail (push, "a network address shows no clear-text warning, or a wrong state");
          return G_SOURCE_REMOVE;
        }
      save_png (GTK_WIDGET (prefs), "preferences-webhook-exposed.png");
      clipboard_reset (push);
      gtk_widget_activate_action (GTK_WIDGET (prefs), "prefs.copy-webhook-config", NULL);
      push_next_step (push);
      break;

    case 16:
      {
        g_autofree char *url = NULL;

        if (!clipboard_copied (push))
          return G_SOURCE_CONTINUE;
        url = g_strdup_printf ("      - url: http://<this-computer>:%u/api/webhook/alertmanager\n", push->port);
        if (strstr (push->clipboard, url) == NULL || strstr (push->clipboard, "192.0.2.10") == NULL
            || strstr (push->clipboard, "credentials: " OWN_TOKEN "\n") == NULL)
          {
            g_printerr ("%s", push->clipboard);
            push_fail (push, "the configuration for a network address lacks the placeholder host");
            return G_SOURCE_REMOVE;
          }
        {
          /* For the log, as TAP comments and without the token. */
          g_auto(GStrv) lines = g_strsplit (push->clipboard, "\n", -1);

          g_print ("# copied for a network address:\n");
          for (guint i = 0; lines[i] != NULL && lines[i][0] != '\0'; i++)
            g_print ("#   %s\n", strstr (lines[i], "credentials:") != NULL ? "            credentials: (the token)" : lines[i]);
        }

        /* Back to loopback, on a port that is taken. */
        gtk_editable_set_text (GTK_EDITABLE (vigil_preferences_window_get_webhook_address_row (prefs)), "127.0.0.1");
        g_signal_emit_by_name (vigil_preferences_window_get_webhook_address_row (prefs), "apply");
        gtk_spin_button_set_value (vigil_preferences_window_get_webhook_port_button (prefs), push->busy_port);
        push_next_step (push);
      }
      break;

    case 17:
      if (problem == NULL || strstr (problem, "already in use") == NULL)
        return G_SOURCE_CONTINUE;
      g_print ("# on a busy port: %s\n", problem);
      if (vigil_preferences_window_get_webhook_exposed (prefs))
        {
          push_fail (push, "the clear-text warning stayed after going back to 127.0.0.1");
          return G_SOURCE_REMOVE;
        }
      save_png (GTK_WIDGET (prefs), "preferences-webhook-busy-port.png");
      gtk_switch_set_active (vigil_preferences_window_get_webhook_switch (prefs), FALSE);
      push_next_step (push);
      break;

    case 18:
      if (!g_str_has_prefix (state, "Off") || problem != NULL)
        return G_SOURCE_CONTINUE;
      if (vigil_webhook_receiver_get_listening (vigil_application_get_webhook_receiver (push->app)))
        {
          push_fail (push, "the webhook still listens after it was turned off");
          return G_SOURCE_REMOVE;
        }
      push->status = 0;
      g_application_quit (G_APPLICATION (push->app));
      return G_SOURCE_REMOVE;

    default:
      g_assert_not_reached ();
    }

  return G_SOURCE_CONTINUE;
}

static void
test_webhook_in_preferences (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = NULL;
  char *args[] = { (char *) "vigil", NULL };
  Push push = { 0 };
  GSList *uris;

  push.port = free_port ();
  push.session = soup_session_new ();
  push.busy = soup_server_new (NULL, NULL);
  address = g_inet_socket_address_new (loopback, 0);
  soup_server_listen (push.busy, address, 0, &error);
  g_assert_no_error (error);
  uris = soup_server_get_uris (push.busy);
  push.busy_port = g_uri_get_port (uris->data);
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);

  push.app = vigil_application_new ();
  push.status = 1;
  push.started = g_get_monotonic_time ();
  g_application_set_flags (G_APPLICATION (push.app),
                           g_application_get_flags (G_APPLICATION (push.app)) | G_APPLICATION_NON_UNIQUE);
  g_timeout_add (100, push_step_cb, &push);

  g_application_run (G_APPLICATION (push.app), 1, args);
  g_clear_object (&push.app);

  soup_server_disconnect (push.busy);
  g_clear_object (&push.busy);
  g_clear_object (&push.session);
  g_free (push.clipboard);
  g_free (push.token);
  g_free (push.old_token);

  if (push.failure != NULL)
    g_test_fail_printf ("%s", push.failure);
  g_assert_cmpint (push.status, ==, 0);
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
  g_test_add_func ("/vigil/preferences/webhook", test_webhook_in_preferences);
  status = g_test_run ();

  g_remove (keyring);
  g_rmdir (keyring_dir);

  return status;
}
