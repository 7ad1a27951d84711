/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* What a server says about itself, for "Test connection": Prometheus'
 * /api/v1/status/buildinfo and Alertmanager's /api/v2/status. */
typedef struct {
  char      *product;         /* "Prometheus", "Alertmanager" */
  char      *version;         /* may be NULL: not every compatible server says */
  char      *revision;
  /* Alertmanager only. */
  char      *cluster_status;  /* "ready", "settling", "disabled", or NULL */
  char      *cluster_name;
  GStrv      peers;           /* gossip addresses of the cluster's members */
  GDateTime *uptime;          /* when the server started, or NULL */
} VigilServerInfo;

#define VIGIL_TYPE_SERVER_INFO (vigil_server_info_get_type ())
GType            vigil_server_info_get_type      (void) G_GNUC_CONST;
VigilServerInfo *vigil_server_info_copy          (const VigilServerInfo *self);
void             vigil_server_info_free          (VigilServerInfo       *self);

/* Pure parsers, as in vigil-parse.h: bytes in, info or a GError out
 * (VIGIL_PARSE_ERROR, or VIGIL_PROMETHEUS_ERROR for an error envelope). */
VigilServerInfo *vigil_prometheus_parse_buildinfo (GBytes               *body,
                                                   GError              **error);
VigilServerInfo *vigil_alertmanager_parse_status  (GBytes               *body,
                                                   GError              **error);

/* One sentence for the engineer, e.g. "Alertmanager 0.25.0, cluster ready
 * with 2 members, up for 3 h 4 min." `now` is the time to measure uptime
 * against (may be NULL to leave uptime out). */
char            *vigil_server_info_describe       (const VigilServerInfo *self,
                                                   GDateTime             *now);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (VigilServerInfo, vigil_server_info_free)

G_END_DECLS
