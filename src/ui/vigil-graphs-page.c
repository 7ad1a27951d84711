/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "vigil-graphs-page"

#include "config.h"

#include <math.h>

#include <glib/gi18n.h>
#include <adwaita.h>

#include "vigil-chart.h"
#include "vigil-graphs-page.h"
#include "vigil-prometheus-client.h"

/* Used for the step before the chart has a width. */
#define DEFAULT_CHART_WIDTH 800
#define DEFAULT_RANGE 3600
#define MIN_RANGE 60
#define MAX_RANGE (7 * 24 * 3600)
/* Samples further apart than this many steps leave a gap in the line. */
#define GAP_FACTOR 2.5

struct _VigilGraphsPage
{
  GtkWidget              parent_instance;

  /* Template widgets */
  GtkEntry              *job_entry;
  VigilChart            *latency_chart;
  VigilChart            *error_chart;
  GtkLabel              *latency_query_label;
  GtkLabel              *error_query_label;

  VigilApplication      *application;
  VigilPoller           *poller;
  GListModel            *sources;
  GSettings             *settings;
  gulong                 poll_finished_id;
  gulong                 sources_changed_id;
  gulong                 settings_changed_id;

  /* The client is kept while the first Prometheus source stays the same
   * object, so its session (and connections) are reused. */
  VigilSource           *client_source;
  VigilPrometheusClient *client;
  GCancellable          *cancellable;

  int                    range;
};

typedef struct
{
  VigilGraphsPage *self;
  VigilChart      *chart;
  GCancellable    *cancellable;
  double           start;
  double           end;
  double           step;
} Request;

G_DEFINE_FINAL_TYPE (VigilGraphsPage, vigil_graphs_page, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_APPLICATION,
  PROP_RANGE,
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

static Request *
request_new (VigilGraphsPage *self,
             VigilChart      *chart,
             double           start,
             double           end,
             double           step)
{
  Request *request = g_new0 (Request, 1);

  request->self = g_object_ref (self);
  request->chart = chart;
  request->cancellable = g_object_ref (self->cancellable);
  request->start = start;
  request->end = end;
  request->step = step;

  return request;
}

static void
request_free (Request *request)
{
  g_clear_object (&request->self);
  g_clear_object (&request->cancellable);
  g_free (request);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Request, request_free)

static void
show_message (VigilChart *chart,
              const char *message)
{
  vigil_chart_painter_set_message (vigil_chart_get_painter (chart), message);
  vigil_chart_queue_update (chart);
}

static void
clear_client (VigilGraphsPage *self)
{
  g_clear_object (&self->client);
  g_clear_object (&self->client_source);
}

static VigilPrometheusClient *
ensure_client (VigilGraphsPage *self,
               VigilSource     *source)
{
  g_assert (VIGIL_IS_GRAPHS_PAGE (self));
  g_assert (VIGIL_IS_SOURCE (source));

  if (self->client_source != source)
    {
      VigilPrometheusClient *shared = vigil_source_get_prometheus_client (source);

      clear_client (self);
      self->client_source = g_object_ref (source);
      /* The source's own client shares its session (CA, certificate,
       * proxy); build one the same way if a source ever lacks it. */
      if (shared != NULL)
        self->client = g_object_ref (shared);
      else
        self->client = vigil_prometheus_client_new (vigil_source_get_session (source),
                                                    vigil_source_get_url (source));
    }

  return self->client;
}

static gboolean
job_entry_has_focus (VigilGraphsPage *self)
{
  GtkEditable *delegate = gtk_editable_get_delegate (GTK_EDITABLE (self->job_entry));

  return delegate != NULL && gtk_widget_has_focus (GTK_WIDGET (delegate));
}

static void
sync_job_entry (VigilGraphsPage *self)
{
  g_autofree char *job = NULL;

  g_assert (VIGIL_IS_GRAPHS_PAGE (self));

  /* Never overwrite what the engineer is typing. */
  if (self->settings == NULL || job_entry_has_focus (self))
    return;

  job = g_settings_get_string (self->settings, "graph-job");
  if (g_strcmp0 (job, gtk_editable_get_text (GTK_EDITABLE (self->job_entry))) != 0)
    gtk_editable_set_text (GTK_EDITABLE (self->job_entry), job);
}

static void
apply_job_entry (VigilGraphsPage *self)
{
  g_autofree char *job = NULL;
  g_autofree char *current = NULL;

  g_assert (VIGIL_IS_GRAPHS_PAGE (self));

  /* Focus can leave the entry while the page is being destroyed. */
  if (self->settings == NULL || self->job_entry == NULL)
    return;

  job = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->job_entry))));
  current = g_settings_get_string (self->settings, "graph-job");

  /* The settings' change notification triggers the refresh. */
  if (g_strcmp0 (job, current) != 0)
    g_settings_set_string (self->settings, "graph-job", job);
}

static void
apply_result (Request          *request,
              VigilQueryResult *result,
              const GError     *error)
{
  VigilChartPainter *painter = vigil_chart_get_painter (request->chart);

  if (error != NULL)
    {
      /* Keep the last good lines: the message says why they stopped. */
      vigil_chart_painter_set_message (painter, error->message);
    }
  else
    {
      GPtrArray *series = vigil_query_result_get_series (result);

      vigil_chart_painter_set_time_range (painter, request->start, request->end);
      vigil_chart_painter_set_gap_after (painter, GAP_FACTOR * request->step);
      vigil_chart_painter_set_series (painter, series);
      vigil_chart_painter_set_message (painter,
                                       (series == NULL || series->len == 0)
                                         ? _("No data for this query")
                                         : NULL);
    }

  vigil_chart_queue_update (request->chart);
}

static void
query_range_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(Request) request = user_data;
  g_autoptr(VigilQueryResult) query_result = NULL;
  g_autoptr(GError) error = NULL;

  query_result = vigil_prometheus_client_query_range_finish (VIGIL_PROMETHEUS_CLIENT (object),
                                                             result, &error);

  /* A newer refresh (or dispose) cancelled this one: its answer is stale,
   * and after dispose the charts are gone. */
  if (g_cancellable_is_cancelled (request->cancellable) ||
      g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  apply_result (request, query_result, error);
}

static void
start_query (VigilGraphsPage *self,
             VigilChart      *chart,
             GtkLabel        *query_label,
             const char      *query,
             const char      *bad_metric,
             double           start,
             double           end,
             double           step)
{
  g_assert (VIGIL_IS_GRAPHS_PAGE (self));

  if (query == NULL)
    {
      g_autofree char *message = NULL;

      gtk_label_set_text (query_label, "");
      /* Translators: %s is the metric name from the settings. */
      message = g_strdup_printf (_("“%s” is not a valid metric name; check the settings."), bad_metric);
      show_message (chart, message);
      return;
    }

  gtk_label_set_text (query_label, query);
  vigil_prometheus_client_query_range_async (self->client, query, start, end, step,
                                             self->cancellable,
                                             query_range_cb,
                                             request_new (self, chart, start, end, step));
}

static void
refresh (VigilGraphsPage *self)
{
  VigilSource *source;
  g_autofree char *latency_metric = NULL;
  g_autofree char *requests_metric = NULL;
  g_autofree char *job = NULL;
  g_autofree char *window = NULL;
  g_autofree char *latency_query = NULL;
  g_autofree char *error_query = NULL;
  double start;
  double end;
  double step;
  int width;

  g_assert (VIGIL_IS_GRAPHS_PAGE (self));

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();

  if (self->application == NULL)
    return;

  source = vigil_application_get_prometheus (self->application);
  if (source == NULL)
    {
      clear_client (self);
      gtk_label_set_text (self->latency_query_label, "");
      gtk_label_set_text (self->error_query_label, "");
      vigil_chart_painter_set_series (vigil_chart_get_painter (self->latency_chart), NULL);
      vigil_chart_painter_set_series (vigil_chart_get_painter (self->error_chart), NULL);
      show_message (self->latency_chart, _("No Prometheus configured"));
      show_message (self->error_chart, _("No Prometheus configured"));
      return;
    }

  ensure_client (self, source);

  latency_metric = g_settings_get_string (self->settings, "latency-metric");
  requests_metric = g_settings_get_string (self->settings, "requests-metric");
  job = g_settings_get_string (self->settings, "graph-job");

  end = floor (g_get_real_time () / (double) G_USEC_PER_SEC);
  start = end - self->range;

  width = gtk_widget_get_width (GTK_WIDGET (self->latency_chart));
  if (width <= 0)
    width = DEFAULT_CHART_WIDTH;

  step = vigil_prometheus_choose_step (start, end, width, VIGIL_GRAPHS_SCRAPE_INTERVAL);
  window = vigil_graphs_format_rate_window (step, VIGIL_GRAPHS_SCRAPE_INTERVAL);

  latency_query = vigil_graphs_dup_latency_query (latency_metric, job, window);
  error_query = vigil_graphs_dup_error_ratio_query (requests_metric, job, window);

  start_query (self, self->latency_chart, self->latency_query_label,
               latency_query, latency_metric, start, end, step);
  start_query (self, self->error_chart, self->error_query_label,
               error_query, requests_metric, start, end, step);
}

static void
refresh_if_shown (VigilGraphsPage *self)
{
  /* Unmapped means another page is shown or the window is closed during
   * a shift: no queries then. Mapping refreshes. */
  if (gtk_widget_get_mapped (GTK_WIDGET (self)))
    refresh (self);
}

static void
disconnect_application (VigilGraphsPage *self)
{
  if (self->poller != NULL)
    g_clear_signal_handler (&self->poll_finished_id, self->poller);
  if (self->sources != NULL)
    g_clear_signal_handler (&self->sources_changed_id, self->sources);
  if (self->settings != NULL)
    g_clear_signal_handler (&self->settings_changed_id, self->settings);

  g_clear_object (&self->poller);
  g_clear_object (&self->sources);
  g_clear_object (&self->settings);
  clear_client (self);
}

static void
poll_finished_cb (VigilGraphsPage *self,
                  VigilPoller     *poller)
{
  g_assert (VIGIL_IS_GRAPHS_PAGE (self));
  g_assert (VIGIL_IS_POLLER (poller));

  refresh_if_shown (self);
}

static void
sources_changed_cb (VigilGraphsPage *self,
                    guint            position G_GNUC_UNUSED,
                    guint            removed,
                    guint            added,
                    GListModel      *sources)
{
  g_assert (VIGIL_IS_GRAPHS_PAGE (self));
  g_assert (G_IS_LIST_MODEL (sources));

  if (removed == 0 && added == 0)
    return;

  refresh_if_shown (self);
}

static void
settings_changed_cb (VigilGraphsPage *self,
                     const char      *key,
                     GSettings       *settings)
{
  g_assert (VIGIL_IS_GRAPHS_PAGE (self));
  g_assert (G_IS_SETTINGS (settings));

  if (g_strcmp0 (key, "graph-job") == 0)
    sync_job_entry (self);

  if (g_strcmp0 (key, "graph-job") == 0 ||
      g_strcmp0 (key, "latency-metric") == 0 ||
      g_strcmp0 (key, "requests-metric") == 0)
    refresh_if_shown (self);
}

static void
job_entry_activate_cb (VigilGraphsPage *self,
                       GtkEntry        *entry)
{
  g_assert (VIGIL_IS_GRAPHS_PAGE (self));
  g_assert (GTK_IS_ENTRY (entry));

  apply_job_entry (self);
}

static void
job_entry_focus_leave_cb (VigilGraphsPage         *self,
                          GtkEventControllerFocus *controller)
{
  g_assert (VIGIL_IS_GRAPHS_PAGE (self));
  g_assert (GTK_IS_EVENT_CONTROLLER_FOCUS (controller));

  apply_job_entry (self);
}

static void
vigil_graphs_page_map (GtkWidget *widget)
{
  GTK_WIDGET_CLASS (vigil_graphs_page_parent_class)->map (widget);

  refresh (VIGIL_GRAPHS_PAGE (widget));
}

static void
vigil_graphs_page_dispose (GObject *object)
{
  VigilGraphsPage *self = VIGIL_GRAPHS_PAGE (object);

  g_cancellable_cancel (self->cancellable);
  disconnect_application (self);
  gtk_widget_dispose_template (GTK_WIDGET (self), VIGIL_TYPE_GRAPHS_PAGE);
  /* GTK 4.8 leaves template children that are not bound to a field. */
  unparent_children (GTK_WIDGET (self));
  g_clear_object (&self->application);

  G_OBJECT_CLASS (vigil_graphs_page_parent_class)->dispose (object);
}

static void
vigil_graphs_page_finalize (GObject *object)
{
  VigilGraphsPage *self = VIGIL_GRAPHS_PAGE (object);

  g_clear_object (&self->cancellable);

  G_OBJECT_CLASS (vigil_graphs_page_parent_class)->finalize (object);
}

static void
vigil_graphs_page_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  VigilGraphsPage *self = VIGIL_GRAPHS_PAGE (object);

  switch (prop_id)
    {
    case PROP_APPLICATION:
      g_value_set_object (value, self->application);
      break;

    case PROP_RANGE:
      g_value_set_int (value, self->range);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
vigil_graphs_page_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  VigilGraphsPage *self = VIGIL_GRAPHS_PAGE (object);

  switch (prop_id)
    {
    case PROP_APPLICATION:
      vigil_graphs_page_set_application (self, g_value_get_object (value));
      break;

    case PROP_RANGE:
      vigil_graphs_page_set_range (self, g_value_get_int (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
vigil_graphs_page_class_init (VigilGraphsPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = vigil_graphs_page_dispose;
  object_class->finalize = vigil_graphs_page_finalize;
  object_class->get_property = vigil_graphs_page_get_property;
  object_class->set_property = vigil_graphs_page_set_property;

  widget_class->map = vigil_graphs_page_map;

  properties[PROP_APPLICATION] =
    g_param_spec_object ("application", NULL, NULL,
                         VIGIL_TYPE_APPLICATION,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_RANGE] =
    g_param_spec_int ("range", NULL, NULL,
                      MIN_RANGE, MAX_RANGE, DEFAULT_RANGE,
                      (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /* The range toggle buttons target this stateful action, so exactly the
   * current range shows as pressed. */
  gtk_widget_class_install_property_action (widget_class, "graphs.range", "range");

  g_type_ensure (VIGIL_TYPE_CHART);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/vigil-graphs-page.ui");
  gtk_widget_class_bind_template_child (widget_class, VigilGraphsPage, job_entry);
  gtk_widget_class_bind_template_child (widget_class, VigilGraphsPage, latency_chart);
  gtk_widget_class_bind_template_child (widget_class, VigilGraphsPage, error_chart);
  gtk_widget_class_bind_template_child (widget_class, VigilGraphsPage, latency_query_label);
  gtk_widget_class_bind_template_child (widget_class, VigilGraphsPage, error_query_label);
  gtk_widget_class_bind_template_callback (widget_class, job_entry_activate_cb);
  gtk_widget_class_bind_template_callback (widget_class, job_entry_focus_leave_cb);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "vigilgraphspage");
}

static void
vigil_graphs_page_init (VigilGraphsPage *self)
{
  VigilChartPainter *painter;

  self->range = DEFAULT_RANGE;
  self->cancellable = g_cancellable_new ();

  gtk_widget_init_template (GTK_WIDGET (self));

  painter = vigil_chart_get_painter (self->latency_chart);
  vigil_chart_painter_set_title (painter, _("Latency p95"));
  vigil_chart_painter_set_unit (painter, VIGIL_UNIT_SECONDS);

  painter = vigil_chart_get_painter (self->error_chart);
  vigil_chart_painter_set_title (painter, _("Error ratio"));
  vigil_chart_painter_set_unit (painter, VIGIL_UNIT_RATIO);

  vigil_chart_queue_update (self->latency_chart);
  vigil_chart_queue_update (self->error_chart);
}

GtkWidget *
vigil_graphs_page_new (void)
{
  return g_object_new (VIGIL_TYPE_GRAPHS_PAGE, NULL);
}

VigilApplication *
vigil_graphs_page_get_application (VigilGraphsPage *self)
{
  g_return_val_if_fail (VIGIL_IS_GRAPHS_PAGE (self), NULL);

  return self->application;
}

void
vigil_graphs_page_set_application (VigilGraphsPage  *self,
                                   VigilApplication *application)
{
  g_return_if_fail (VIGIL_IS_GRAPHS_PAGE (self));
  g_return_if_fail (application == NULL || VIGIL_IS_APPLICATION (application));

  if (self->application == application)
    return;

  disconnect_application (self);
  g_set_object (&self->application, application);

  if (application != NULL)
    {
      self->poller = g_object_ref (vigil_application_get_poller (application));
      self->sources = g_object_ref (vigil_poller_get_sources (self->poller));
      self->settings = g_object_ref (vigil_application_get_settings (application));

      self->poll_finished_id =
        g_signal_connect_object (self->poller, "poll-finished",
                                 G_CALLBACK (poll_finished_cb), self, G_CONNECT_SWAPPED);
      self->sources_changed_id =
        g_signal_connect_object (self->sources, "items-changed",
                                 G_CALLBACK (sources_changed_cb), self, G_CONNECT_SWAPPED);
      self->settings_changed_id =
        g_signal_connect_object (self->settings, "changed",
                                 G_CALLBACK (settings_changed_cb), self, G_CONNECT_SWAPPED);

      sync_job_entry (self);
    }

  refresh_if_shown (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_APPLICATION]);
}

int
vigil_graphs_page_get_range (VigilGraphsPage *self)
{
  g_return_val_if_fail (VIGIL_IS_GRAPHS_PAGE (self), DEFAULT_RANGE);

  return self->range;
}

void
vigil_graphs_page_set_range (VigilGraphsPage *self,
                             int              seconds)
{
  g_return_if_fail (VIGIL_IS_GRAPHS_PAGE (self));

  seconds = CLAMP (seconds, MIN_RANGE, MAX_RANGE);

  if (self->range == seconds)
    return;

  self->range = seconds;
  refresh_if_shown (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RANGE]);
}

void
vigil_graphs_page_refresh (VigilGraphsPage *self)
{
  g_return_if_fail (VIGIL_IS_GRAPHS_PAGE (self));

  refresh (self);
}

char *
vigil_graphs_escape_promql_string (const char *value)
{
  GString *escaped;

  g_return_val_if_fail (value != NULL, NULL);

  escaped = g_string_sized_new (strlen (value) + 2);

  for (const char *p = value; *p != '\0'; p++)
    {
      switch (*p)
        {
        case '\\':
          g_string_append (escaped, "\\\\");
          break;

        case '"':
          g_string_append (escaped, "\\\"");
          break;

        case '\n':
          g_string_append (escaped, "\\n");
          break;

        default:
          g_string_append_c (escaped, *p);
        }
    }

  return g_string_free (escaped, FALSE);
}

gboolean
vigil_graphs_is_metric_name (const char *name)
{
  if (name == NULL || name[0] == '\0')
    return FALSE;

  if (!g_ascii_isalpha (name[0]) && name[0] != '_' && name[0] != ':')
    return FALSE;

  for (const char *p = name + 1; *p != '\0'; p++)
    {
      if (!g_ascii_isalnum (*p) && *p != '_' && *p != ':')
        return FALSE;
    }

  return TRUE;
}

char *
vigil_graphs_format_rate_window (double step,
                                 double scrape_interval)
{
  double window = MAX (4.0 * scrape_interval, step);
  gint64 seconds;

  if (!isfinite (window) || window < 1.0)
    window = 60.0;

  seconds = (gint64) ceil (window);

  if (seconds < 60)
    return g_strdup_printf ("%" G_GINT64_FORMAT "s", seconds);

  seconds = (seconds + 59) / 60 * 60;

  if (seconds % 3600 == 0)
    return g_strdup_printf ("%" G_GINT64_FORMAT "h", seconds / 3600);

  return g_strdup_printf ("%" G_GINT64_FORMAT "m", seconds / 60);
}

char *
vigil_graphs_dup_latency_query (const char *latency_metric,
                                const char *job,
                                const char *window)
{
  g_autofree char *selector = NULL;

  g_return_val_if_fail (window != NULL, NULL);

  if (!vigil_graphs_is_metric_name (latency_metric))
    return NULL;

  if (job != NULL && job[0] != '\0')
    {
      g_autofree char *escaped = vigil_graphs_escape_promql_string (job);

      selector = g_strdup_printf ("{job=\"%s\"}", escaped);
    }

  return g_strdup_printf ("histogram_quantile(0.95, sum by (le) (rate(%s_bucket%s[%s])))",
                          latency_metric, selector ? selector : "", window);
}

char *
vigil_graphs_dup_error_ratio_query (const char *requests_metric,
                                    const char *job,
                                    const char *window)
{
  g_autofree char *errors_selector = NULL;
  g_autofree char *all_selector = NULL;

  g_return_val_if_fail (window != NULL, NULL);

  if (!vigil_graphs_is_metric_name (requests_metric))
    return NULL;

  if (job != NULL && job[0] != '\0')
    {
      g_autofree char *escaped = vigil_graphs_escape_promql_string (job);

      errors_selector = g_strdup_printf ("{code=~\"5..\",job=\"%s\"}", escaped);
      all_selector = g_strdup_printf ("{job=\"%s\"}", escaped);
    }
  else
    {
      errors_selector = g_strdup ("{code=~\"5..\"}");
      all_selector = g_strdup ("");
    }

  /* Without a single 5xx in the window the numerator is empty, not zero:
   * "or vector(0)" makes a healthy service read 0 % instead of "No data",
   * while a missing requests metric still gives no data. */
  return g_strdup_printf ("(sum(rate(%s%s[%s])) or vector(0)) / sum(rate(%s%s[%s]))",
                          requests_metric, errors_selector, window,
                          requests_metric, all_selector, window);
}
