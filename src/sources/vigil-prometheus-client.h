/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <libsoup/soup.h>

#include "vigil-query-result.h"

G_BEGIN_DECLS

/* Prometheus HTTP API v1 (also Thanos, Mimir, VictoriaMetrics). */
#define VIGIL_TYPE_PROMETHEUS_CLIENT (vigil_prometheus_client_get_type ())
G_DECLARE_FINAL_TYPE (VigilPrometheusClient, vigil_prometheus_client, VIGIL, PROMETHEUS_CLIENT, GObject)

VigilPrometheusClient *vigil_prometheus_client_new (SoupSession *session,
                                                    const char  *base_url);

/* Instant query at `time` (Unix seconds; 0 for the server's now). */
void              vigil_prometheus_client_query_async       (VigilPrometheusClient *self,
                                                             const char            *promql,
                                                             double                 time,
                                                             GCancellable          *cancellable,
                                                             GAsyncReadyCallback    callback,
                                                             gpointer               user_data);
VigilQueryResult *vigil_prometheus_client_query_finish      (VigilPrometheusClient *self,
                                                             GAsyncResult          *result,
                                                             GError               **error);
/* Range query; fails before sending when end < start or step <= 0, and
 * raises the step so no series exceeds 11,000 points. */
void              vigil_prometheus_client_query_range_async (VigilPrometheusClient *self,
                                                             const char            *promql,
                                                             double                 start,
                                                             double                 end,
                                                             double                 step,
                                                             GCancellable          *cancellable,
                                                             GAsyncReadyCallback    callback,
                                                             gpointer               user_data);
VigilQueryResult *vigil_prometheus_client_query_range_finish (VigilPrometheusClient *self,
                                                              GAsyncResult          *result,
                                                              GError               **error);
/* GET /api/v1/alerts: GPtrArray of VigilAlert. */
void              vigil_prometheus_client_get_alerts_async  (VigilPrometheusClient *self,
                                                             GCancellable          *cancellable,
                                                             GAsyncReadyCallback    callback,
                                                             gpointer               user_data);
GPtrArray        *vigil_prometheus_client_get_alerts_finish (VigilPrometheusClient *self,
                                                             GAsyncResult          *result,
                                                             GError               **error);

/* The range-query step for a chart: at least the scrape interval, about one
 * point per pixel, never over 11,000 points, rounded to a whole second. */
double            vigil_prometheus_choose_step              (double start,
                                                             double end,
                                                             int    width_px,
                                                             double scrape_interval);

G_END_DECLS
