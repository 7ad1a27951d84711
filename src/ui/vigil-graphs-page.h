/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "vigil-application.h"

G_BEGIN_DECLS

/* The service's latency (p95) and error ratio from the first Prometheus
 * source, over a chosen range, refreshed after each poll while shown. */
#define VIGIL_TYPE_GRAPHS_PAGE (vigil_graphs_page_get_type ())
G_DECLARE_FINAL_TYPE (VigilGraphsPage, vigil_graphs_page, VIGIL, GRAPHS_PAGE, GtkWidget)

/* The scrape interval assumed when choosing steps and rate windows. */
#define VIGIL_GRAPHS_SCRAPE_INTERVAL 15.0

GtkWidget        *vigil_graphs_page_new             (void);
VigilApplication *vigil_graphs_page_get_application (VigilGraphsPage  *self);
void              vigil_graphs_page_set_application (VigilGraphsPage  *self,
                                                     VigilApplication *application);
/* The shown range in seconds: 900, 3600 (default), 21600 or 86400. */
int               vigil_graphs_page_get_range       (VigilGraphsPage  *self);
void              vigil_graphs_page_set_range       (VigilGraphsPage  *self,
                                                     int               seconds);
/* Queries Prometheus again now (does nothing without an application). */
void              vigil_graphs_page_refresh         (VigilGraphsPage  *self);

/* Query building, public for tests. */
/* `value` as the inside of a PromQL double-quoted string. */
char             *vigil_graphs_escape_promql_string (const char       *value);
/* Whether `name` is a valid Prometheus metric name. */
gboolean          vigil_graphs_is_metric_name       (const char       *name);
/* max(4 × scrape interval, step), rounded up to whole seconds below a
 * minute and to whole minutes from there: "45s", "1m", "2m", "2h". */
char             *vigil_graphs_format_rate_window   (double            step,
                                                     double            scrape_interval);
/* The p95 latency and 5xx ratio queries; `job` may be NULL or empty for
 * all jobs. NULL when the metric name is not valid. */
char             *vigil_graphs_dup_latency_query    (const char       *latency_metric,
                                                     const char       *job,
                                                     const char       *window);
char             *vigil_graphs_dup_error_ratio_query (const char      *requests_metric,
                                                      const char      *job,
                                                      const char      *window);

G_END_DECLS
