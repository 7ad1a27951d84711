/* SPDX-License-Identifier: GPL-3.0-or-later */

/* The UI smoke test: the real application, on the real demo stack (run by
 * build-aux/demo_stack.py, which passes its URLs in the environment), opens
 * its window, shows the alerts Prometheus fired, and saves a PNG of the
 * Alerts and Graphs pages into the build folder for a person to look at. */

#include "config.h"

#include <adwaita.h>

#include "vigil-application.h"
#include "vigil-window.h"

#define TIMEOUT_SECONDS 120
/* Time for the graphs' range queries to come back and paint. */
#define SETTLE_SECONDS 4

typedef struct {
  VigilApplication *app;
  gint64            started;
  gint64            alert_seen;
  guint             step;
  int               status;
  const char       *failure;
} Run;

/* Whether the named alert is listed, and firing when `firing` is set (not
 * merely pending in Prometheus). */
static gboolean
has_alert (VigilApplication *app,
           const char       *name,
           gboolean          firing)
{
  GListModel *alerts = vigil_alert_tracker_get_alerts (vigil_application_get_tracker (app));

  for (guint i = 0; i < g_list_model_get_n_items (alerts); i++)
    {
      g_autoptr(VigilAlert) alert = g_list_model_get_item (alerts, i);

      if (g_strcmp0 (vigil_alert_get_name (alert), name) == 0
          && (!firing || vigil_alert_is_active (alert)))
        return TRUE;
    }

  return FALSE;
}

/* Renders the window as GTK draws it, without a screen grabber. Returns
 * how many distinct colours a coarse sample of its pixels has, so a blank
 * or broken frame is caught. */
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

static GtkListView *
find_list_view (GtkWidget *widget)
{
  if (GTK_IS_LIST_VIEW (widget))
    return GTK_LIST_VIEW (widget);

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkListView *found = find_list_view (child);

      if (found != NULL)
        return found;
    }

  return NULL;
}

/* Selects the named alert in the list, as a click would, so the details
 * pane shows it. Returns whether it was there. */
static gboolean
select_alert (GtkWidget  *window,
              const char *name)
{
  GtkListView *list_view = find_list_view (window);
  GtkSelectionModel *model;

  if (list_view == NULL)
    return FALSE;

  model = gtk_list_view_get_model (list_view);
  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (model)); i++)
    {
      g_autoptr(GObject) item = g_list_model_get_item (G_LIST_MODEL (model), i);

      if (VIGIL_IS_ALERT (item) && g_strcmp0 (vigil_alert_get_name (VIGIL_ALERT (item)), name) == 0)
        return gtk_selection_model_select_item (model, i, TRUE);
    }

  return FALSE;
}

static gboolean
step_cb (gpointer user_data)
{
  Run *run = user_data;
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (run->app));
  gint64 now = g_get_monotonic_time ();

  if (now - run->started > TIMEOUT_SECONDS * G_USEC_PER_SEC)
    {
      run->failure = "HighErrorRatio never reached the window as a firing alert";
      g_application_quit (G_APPLICATION (run->app));
      return G_SOURCE_REMOVE;
    }

  if (window == NULL || !VIGIL_IS_WINDOW (window))
    return G_SOURCE_CONTINUE;

  if (run->alert_seen == 0)
    {
      if (has_alert (run->app, "HighErrorRatio", TRUE))
        {
          run->alert_seen = now;
          if (!select_alert (GTK_WIDGET (window), "HighErrorRatio"))
            {
              run->failure = "HighErrorRatio is not in the window's alert list";
              g_application_quit (G_APPLICATION (run->app));
              return G_SOURCE_REMOVE;
            }
          g_print ("# HighErrorRatio in the window after %.1f s\n",
                   (now - run->started) / (double) G_USEC_PER_SEC);
        }
      return G_SOURCE_CONTINUE;
    }

  if (now - run->alert_seen < SETTLE_SECONDS * G_USEC_PER_SEC)
    return G_SOURCE_CONTINUE;

  if (run->step == 0)
    {
      guint colours = save_png (GTK_WIDGET (window), "window-alerts.png");

      if (colours < 8)
        {
          run->failure = "the Alerts page rendered blank";
          g_application_quit (G_APPLICATION (run->app));
          return G_SOURCE_REMOVE;
        }
      /* The heartbeat is never listed. */
      if (has_alert (run->app, "Watchdog", FALSE))
        {
          run->failure = "the Watchdog heartbeat is listed as an alert";
          g_application_quit (G_APPLICATION (run->app));
          return G_SOURCE_REMOVE;
        }
      gtk_widget_activate_action (GTK_WIDGET (window), "win.show-page", "s", "graphs");
      run->step = 1;
      run->alert_seen = now;
      return G_SOURCE_CONTINUE;
    }

  if (save_png (GTK_WIDGET (window), "window-graphs.png") < 8)
    run->failure = "the Graphs page rendered blank";
  else
    run->status = 0;

  g_application_quit (G_APPLICATION (run->app));
  return G_SOURCE_REMOVE;
}

int
main (int   argc,
      char *argv[])
{
  const char *alertmanagers = g_getenv ("VIGIL_DEMO_ALERTMANAGERS");
  const char *prometheus = g_getenv ("VIGIL_DEMO_PROMETHEUS");
  g_autoptr(GPtrArray) args = g_ptr_array_new_with_free_func (g_free);
  g_auto(GStrv) urls = NULL;
  Run run = { 0 };

  g_test_init (&argc, &argv, NULL);

  if (alertmanagers == NULL || prometheus == NULL)
    {
      g_printerr ("Run this under build-aux/demo_stack.py run, which starts the demo stack.\n");
      return 77;
    }

  g_ptr_array_add (args, g_strdup ("vigil"));
  urls = g_strsplit (alertmanagers, ",", -1);
  for (guint i = 0; urls[i] != NULL; i++)
    g_ptr_array_add (args, g_strdup_printf ("--alertmanager=%s", urls[i]));
  g_ptr_array_add (args, g_strdup_printf ("--prometheus=%s", prometheus));

  run.app = vigil_application_new ();
  run.status = 1;
  run.started = g_get_monotonic_time ();
  /* Not unique: the test must not hand its window to a Vigil already
   * running on this session bus. */
  g_application_set_flags (G_APPLICATION (run.app),
                           g_application_get_flags (G_APPLICATION (run.app)) | G_APPLICATION_NON_UNIQUE);
  g_timeout_add (250, step_cb, &run);

  g_application_run (G_APPLICATION (run.app), args->len, (char **) args->pdata);
  g_clear_object (&run.app);

  if (run.failure != NULL)
    g_printerr ("FAIL: %s\n", run.failure);

  return run.status;
}
