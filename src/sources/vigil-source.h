/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <libsoup/soup.h>

#include "vigil-alert.h"
#include "vigil-prometheus-client.h"
#include "vigil-source-config.h"

G_BEGIN_DECLS

typedef enum {
  VIGIL_SOURCE_HEALTH_UNKNOWN,   /* not polled yet */
  VIGIL_SOURCE_HEALTH_OK,
  VIGIL_SOURCE_HEALTH_ERROR,     /* last poll failed; see the error message */
  VIGIL_SOURCE_HEALTH_STALE,     /* last good data is older than stale-after */
} VigilSourceHealth;

/* One configured server, or one Alertmanager HA cluster: its own
 * SoupSession (sources differ in CA, client certificate and proxy), its
 * health and its last good alerts. A cluster's members are polled
 * together and their alerts merged by fingerprint, so an alert is listed
 * once and stays listed while any member answers. */
#define VIGIL_TYPE_SOURCE (vigil_source_get_type ())
G_DECLARE_FINAL_TYPE (VigilSource, vigil_source, VIGIL, SOURCE, GObject)

/* Fails with G_IO_ERROR_INVALID_ARGUMENT on a URL that is not http(s). */
VigilSource       *vigil_source_new                (VigilSourceKind   kind,
                                                    const char       *name,
                                                    const char       *url,
                                                    GError          **error);
/* A source as configured, with its password or token from the keyring
 * (NULL when there is none). Fails (G_IO_ERROR_INVALID_ARGUMENT) only when
 * the configuration does not validate; a CA or certificate file that
 * cannot be read gives a source whose health says so. */
VigilSource       *vigil_source_new_from_config    (const VigilSourceConfig *config,
                                                    const char              *secret,
                                                    GError                 **error);
const VigilSourceConfig *vigil_source_get_config   (VigilSource      *self);
/* Sets the password or token (from the keyring) used from the next
 * request on; NULL removes it. */
void               vigil_source_set_secret         (VigilSource      *self,
                                                    const char       *secret);
VigilSourceKind    vigil_source_get_kind           (VigilSource      *self);
const char        *vigil_source_get_name           (VigilSource      *self);
/* The base URL (of the first member), without a trailing slash. */
const char        *vigil_source_get_url            (VigilSource      *self);
/* Every member's base URL; one for a single server. */
const char * const *vigil_source_get_urls          (VigilSource      *self);
SoupSession       *vigil_source_get_session        (VigilSource      *self);
VigilSourceHealth  vigil_source_get_health         (VigilSource      *self);
/* A plain sentence for the last failure, NULL while healthy. */
const char        *vigil_source_get_error_message  (VigilSource      *self);
/* A plain sentence about something that works but must not go unseen:
 * TLS verification turned off, cluster members that did not answer the
 * last poll. NULL when there is nothing to say. */
const char        *vigil_source_get_warning        (VigilSource      *self);
/* Wall-clock microseconds of the last successful poll, 0 if none. */
gint64             vigil_source_get_last_success   (VigilSource      *self);
/* The last good alerts (VigilAlert); empty before the first success. */
GPtrArray         *vigil_source_get_alerts         (VigilSource      *self);
/* Recomputes STALE from the age of the last good data. */
void               vigil_source_check_stale        (VigilSource      *self,
                                                    gint64            now_us,
                                                    gint64            stale_after_us);

/* Fetches the source's alerts (Alertmanager /api/v2/alerts from every
 * member, Prometheus /api/v1/alerts), records health, and keeps the last
 * good list on failure. `now_us` stamps the success. A cluster succeeds
 * when any member answers. */
void               vigil_source_poll_async         (VigilSource         *self,
                                                    gint64               now_us,
                                                    GCancellable        *cancellable,
                                                    GAsyncReadyCallback  callback,
                                                    gpointer             user_data);
/* Returns the alerts on success (a new reference to the kept array). */
GPtrArray         *vigil_source_poll_finish        (VigilSource         *self,
                                                    GAsyncResult        *result,
                                                    GError             **error);

/* "Test connection": asks the server what it is (Prometheus'
 * /api/v1/status/buildinfo, Alertmanager's /api/v2/status from every
 * member) and returns what it answered as sentences, one line per cluster
 * member; fails with the reason in words when nothing answered. Does not
 * change the source's health. */
void               vigil_source_test_async         (VigilSource         *self,
                                                    GCancellable        *cancellable,
                                                    GAsyncReadyCallback  callback,
                                                    gpointer             user_data);
char              *vigil_source_test_finish        (VigilSource         *self,
                                                    GAsyncResult        *result,
                                                    GError             **error);

/* The query client of a Prometheus source (NULL for Alertmanager): graphs
 * share the source's session. */
VigilPrometheusClient *vigil_source_get_prometheus_client (VigilSource *self);

const char        *vigil_source_health_to_string   (VigilSourceHealth   health);

G_END_DECLS
