/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <libsoup/soup.h>

G_BEGIN_DECLS

/* Why a request to a source failed. The message of every error in this
 * domain is a plain sentence meant for the engineer. */
#define VIGIL_SOURCE_ERROR (vigil_source_error_quark ())
GQuark vigil_source_error_quark (void);

typedef enum {
  VIGIL_SOURCE_ERROR_CONNECTION,     /* refused, unreachable, DNS */
  VIGIL_SOURCE_ERROR_TIMEOUT,
  VIGIL_SOURCE_ERROR_TLS,
  VIGIL_SOURCE_ERROR_HTTP,           /* a non-2xx status without a better reading */
  VIGIL_SOURCE_ERROR_UNAUTHORIZED,   /* 401, 403 */
  VIGIL_SOURCE_ERROR_NOT_FOUND,      /* 404: wrong URL or path prefix */
  VIGIL_SOURCE_ERROR_GONE,           /* 410: e.g. Alertmanager's removed v1 API */
  VIGIL_SOURCE_ERROR_UNAVAILABLE,    /* 503 and friends: starting or overloaded */
  VIGIL_SOURCE_ERROR_NOT_JSON,       /* HTML or text where JSON was expected */
  VIGIL_SOURCE_ERROR_TOO_LARGE,
  VIGIL_SOURCE_ERROR_QUERY,          /* the server rejected the query */
  VIGIL_SOURCE_ERROR_INVALID,        /* malformed answer */
  VIGIL_SOURCE_ERROR_BAD_REQUEST,    /* refused before sending */
} VigilSourceError;

/* Bodies larger than this are refused rather than parsed: one announced
 * as larger is not downloaded, one without a length is cut off here. */
#define VIGIL_HTTP_MAX_BODY (64 * 1024 * 1024)

/* How patient each request is, unless vigil_http_set_timeouts() and
 * vigil_http_set_retries() say otherwise for a session. The deadline
 * covers the whole request, retries included; the connect timeout covers
 * setting up a new connection (name lookup, TCP, TLS handshake). */
#define VIGIL_HTTP_DEFAULT_CONNECT_TIMEOUT_MS (5 * 1000)
#define VIGIL_HTTP_DEFAULT_TOTAL_TIMEOUT_MS   (20 * 1000)
/* Failures that may pass (refused, reset, connect timeout, 502/503/504,
 * Prometheus' "timeout" and "unavailable") are retried this many times,
 * after about 0.5 s, then 1 s, each delay doubling with jitter. Errors
 * that would come back the same way (4xx, TLS, not JSON) never are. */
#define VIGIL_HTTP_DEFAULT_RETRIES            2
#define VIGIL_HTTP_DEFAULT_RETRY_DELAY_MS     500

/* GET `url` and return the body of a 2xx JSON answer. Everything else
 * becomes a VIGIL_SOURCE_ERROR with a plain sentence; an error body in JSON
 * is handed to `error_body_reader` (may be NULL) for the server's own words.
 * The JSON is not parsed here. Failures that may pass are retried within
 * the deadline, as the session's policy below says. */
void     vigil_http_get_json_async  (SoupSession         *session,
                                     const char          *url,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data);
GBytes  *vigil_http_get_json_finish (GAsyncResult        *result,
                                     GError             **error);

/* A pure parser: bytes in, a new object or boxed value out, or an error. */
typedef gpointer (*VigilHttpParseFunc) (GBytes  *body,
                                        GError **error);

/* GET `url` as above, then run `parse` on the body in a worker thread, so
 * large answers never stall the main loop. Parse errors come back as
 * VIGIL_SOURCE_ERROR sentences. The result is freed with `free_result`. */
void     vigil_http_get_parsed_async  (SoupSession         *session,
                                       const char          *url,
                                       VigilHttpParseFunc   parse,
                                       GDestroyNotify       free_result,
                                       GCancellable        *cancellable,
                                       GAsyncReadyCallback  callback,
                                       gpointer             user_data);
gpointer vigil_http_get_parsed_finish (GAsyncResult        *result,
                                       GError             **error);

/* Turns a VIGIL_PARSE_ERROR or VIGIL_PROMETHEUS_ERROR into a
 * VIGIL_SOURCE_ERROR with a sentence; other errors are copied. */
GError  *vigil_http_error_from_parse (const GError       *parse_error,
                                      const char         *url);

SoupSession *vigil_http_session_new (void);

/* "host:port" of a URL (the scheme's port when none is given), for
 * sentences like "Connection refused by 127.0.0.1:9093"; the URL itself
 * when it has no host. */
char        *vigil_http_dup_authority (const char *url);

/* Per session: the connect timeout and the deadline of every request, in
 * milliseconds (0 for `connect_ms`: the deadline alone). The timeout
 * sentence names the deadline: "… did not answer within 20 seconds." */
void     vigil_http_set_timeouts    (SoupSession        *session,
                                     guint               connect_ms,
                                     guint               total_ms);
/* Per session: how many times a failure that may pass is retried, and the
 * first delay in milliseconds (each next one about doubles). */
void     vigil_http_set_retries     (SoupSession        *session,
                                     guint               retries,
                                     guint               first_delay_ms);

/* Per session: whether a certificate that fails verification is
 * accepted (the user turned checks off for that source). Otherwise a
 * request is refused whenever the certificate has errors, also on a
 * resumed TLS session that skipped the handshake's checks. */
void     vigil_http_set_accept_invalid_certificates (SoupSession *session,
                                                     gboolean     accept);

G_END_DECLS
