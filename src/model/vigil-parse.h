/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "vigil-alert.h"
#include "vigil-query-result.h"

G_BEGIN_DECLS

/* Pure parsers: bytes in, models or a GError out. They never touch the
 * network or the main loop, which is what lets the fuzzers call them. */

#define VIGIL_PARSE_ERROR (vigil_parse_error_quark ())
GQuark vigil_parse_error_quark (void);

typedef enum {
  VIGIL_PARSE_ERROR_NOT_JSON,       /* the bytes are not JSON at all (HTML, text) */
  VIGIL_PARSE_ERROR_TOO_DEEP,       /* nesting deeper than VIGIL_JSON_MAX_DEPTH */
  VIGIL_PARSE_ERROR_INVALID,        /* JSON, but malformed or truncated */
  VIGIL_PARSE_ERROR_UNEXPECTED,     /* valid JSON of the wrong shape */
} VigilParseError;

/* Errors a Prometheus server reports in its JSON envelope
 * (`{"status":"error","errorType":…,"error":…}`). The message is the
 * server's `error` text. */
#define VIGIL_PROMETHEUS_ERROR (vigil_prometheus_error_quark ())
GQuark vigil_prometheus_error_quark (void);

typedef enum {
  VIGIL_PROMETHEUS_ERROR_BAD_DATA,
  VIGIL_PROMETHEUS_ERROR_EXECUTION,
  VIGIL_PROMETHEUS_ERROR_TIMEOUT,
  VIGIL_PROMETHEUS_ERROR_CANCELED,
  VIGIL_PROMETHEUS_ERROR_INTERNAL,
  VIGIL_PROMETHEUS_ERROR_UNAVAILABLE,
  VIGIL_PROMETHEUS_ERROR_OTHER,
} VigilPrometheusError;

/* Deeper nesting than this is refused before json-glib sees it: Debian's
 * json-glib overflows its stack on very deep input. */
#define VIGIL_JSON_MAX_DEPTH 64

/* Checks nesting depth without building a tree; strings are skipped
 * correctly. Sets VIGIL_PARSE_ERROR_TOO_DEEP. */
gboolean          vigil_json_check_depth              (GBytes      *body,
                                                       guint        max_depth,
                                                       GError     **error);

/* Parses a Prometheus sample value from its string form: "+Inf", "-Inf",
 * "NaN" (any case) and decimal numbers, independent of the locale.
 * Returns FALSE on text that is not a number. */
gboolean          vigil_parse_sample_value            (const char  *text,
                                                       double      *value);

/* RFC 3339 timestamps as Alertmanager and Prometheus send them; returns
 * NULL on anything else. The result is in UTC. */
GDateTime        *vigil_parse_timestamp               (const char  *text);

/* GET /api/v2/alerts: array of VigilAlert. */
GPtrArray        *vigil_alertmanager_parse_alerts     (GBytes      *body,
                                                       GError     **error);

/* GET /api/v1/query and /api/v1/query_range. An error envelope becomes a
 * VIGIL_PROMETHEUS_ERROR whatever the HTTP status was. */
VigilQueryResult *vigil_prometheus_parse_query        (GBytes      *body,
                                                       GError     **error);

/* GET /api/v1/alerts: array of VigilAlert (state ACTIVE for firing, PENDING
 * for pending, starts_at from activeAt, value from value, fingerprint
 * computed from labels). */
GPtrArray        *vigil_prometheus_parse_alerts       (GBytes      *body,
                                                       GError     **error);

/* Best-effort text of an error body: a Prometheus envelope's `error`, an
 * Alertmanager `message` or bare JSON string. NULL when there is none. */
char             *vigil_parse_error_body              (GBytes      *body);

G_END_DECLS
