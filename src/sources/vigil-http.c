/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "vigil-http"

#include "config.h"

#include <glib/gi18n.h>

#include "vigil-http.h"
#include "vigil-parse.h"

/* libsoup's per-read timeout, a backstop behind the deadline of each call
 * (vigil_http_set_timeouts() moves it with the deadline). */
#define TIMEOUT_SECONDS (VIGIL_HTTP_DEFAULT_TOTAL_TIMEOUT_MS / 1000 + 1)
#define READ_CHUNK (64 * 1024)
/* Backoff doubles from the first delay and stops growing here. */
#define MAX_RETRY_DELAY_MS (30 * 1000)

/* How patient a session is with its server; kept on the SoupSession so
 * every client that shares it (alerts, graphs, silences) agrees. */
typedef struct {
  guint connect_ms;
  guint total_ms;
  guint retries;
  guint retry_delay_ms;
  /* Only when the user turned certificate checks off for the source. */
  gboolean accept_invalid_certificates;
} Policy;

/* One GET, from the first attempt to the answer or the last failure.
 * Retries happen inside it, so callers see one result and the poller never
 * has more than one request per source in flight. */
typedef struct {
  GTask                *task;         /* owns this call */
  SoupSession          *session;
  GUri                 *uri;
  char                 *url;
  char                 *authority;
  VigilHttpParseFunc    parse;        /* NULL: hand back the bytes */
  GDestroyNotify        free_result;
  Policy                policy;
  gint64                deadline;     /* monotonic µs for the whole call */
  guint                 attempts;
  GCancellable         *caller;       /* the caller's, may be NULL */

  /* The attempt in flight. Its cancellable is cancelled by the caller's,
   * by the deadline and by the connect timeout. */
  SoupMessage          *message;
  GInputStream         *stream;
  GByteArray           *body;
  GCancellable         *cancellable;
  gulong                caller_handler;
  GSource              *deadline_source;
  GSource              *connect_source;
  gboolean              deadline_passed;
  gboolean              connect_timed_out;
  gboolean              connected;
  gboolean              at_eof;
  GTlsCertificateFlags  tls_errors;
  GTlsCertificate      *tls_certificate;

  /* The wait before the next attempt. */
  GSource              *wait_source;
  GSource              *wait_cancel_source;
} Call;

/* A body handed to a worker thread for parsing. */
typedef struct {
  VigilHttpParseFunc  parse;
  GBytes             *body;
} ParseJob;

static void start_attempt (GTask    *task);
static void fail_attempt  (GTask    *task,
                           GError   *error,
                           gboolean  transient);

G_DEFINE_QUARK (vigil-source-error-quark, vigil_source_error)

static const Policy default_policy = {
  VIGIL_HTTP_DEFAULT_CONNECT_TIMEOUT_MS,
  VIGIL_HTTP_DEFAULT_TOTAL_TIMEOUT_MS,
  VIGIL_HTTP_DEFAULT_RETRIES,
  VIGIL_HTTP_DEFAULT_RETRY_DELAY_MS,
};

static Policy *
session_policy (SoupSession *session)
{
  GQuark quark = g_quark_from_static_string ("vigil-http-policy");
  Policy *policy = g_object_get_qdata (G_OBJECT (session), quark);

  if (policy == NULL)
    {
      policy = g_memdup2 (&default_policy, sizeof default_policy);
      g_object_set_qdata_full (G_OBJECT (session), quark, policy, g_free);
    }

  return policy;
}

static void
destroy_source (GSource *source)
{
  g_source_destroy (source);
  g_source_unref (source);
}

static void
parse_job_free (ParseJob *job)
{
  g_clear_pointer (&job->body, g_bytes_unref);
  g_free (job);
}

/* Ends the attempt in flight and lets go of everything it holds. */
static void
end_attempt (Call *call)
{
  g_clear_pointer (&call->deadline_source, destroy_source);
  g_clear_pointer (&call->connect_source, destroy_source);

  if (call->caller_handler != 0)
    {
      g_cancellable_disconnect (call->caller, call->caller_handler);
      call->caller_handler = 0;
    }

  if (call->stream != NULL)
    {
      /* An answer dropped half-way (too large, timed out) must not be read
       * to its end so the connection can be reused, which is what closing
       * the stream would otherwise do: a cancelled close drops the
       * connection instead. */
      if (!call->at_eof)
        {
          g_cancellable_cancel (call->cancellable);
          g_input_stream_close_async (call->stream, G_PRIORITY_DEFAULT, call->cancellable, NULL, NULL);
        }
      g_clear_object (&call->stream);
    }

  if (call->message != NULL)
    {
      g_signal_handlers_disconnect_by_data (call->message, call);
      g_clear_object (&call->message);
    }

  g_clear_object (&call->cancellable);
  g_clear_object (&call->tls_certificate);
  g_clear_pointer (&call->body, g_byte_array_unref);
}

static void
call_free (Call *call)
{
  end_attempt (call);
  g_clear_pointer (&call->wait_source, destroy_source);
  g_clear_pointer (&call->wait_cancel_source, destroy_source);
  g_clear_object (&call->session);
  g_clear_object (&call->caller);
  g_clear_pointer (&call->uri, g_uri_unref);
  g_free (call->url);
  g_free (call->authority);
  g_free (call);
}

/* "host:port" of a URL, for sentences like "Connection refused by …". */
char *
vigil_http_dup_authority (const char *url)
{
  g_autoptr(GUri) uri = g_uri_parse (url, G_URI_FLAGS_NONE, NULL);
  int port;

  if (uri == NULL || g_uri_get_host (uri) == NULL)
    return g_strdup (url);

  port = g_uri_get_port (uri);
  if (port < 0)
    port = g_strcmp0 (g_uri_get_scheme (uri), "https") == 0 ? 443 : 80;

  return g_strdup_printf ("%s:%d", g_uri_get_host (uri), port);
}

/* "20 seconds", "1.5 seconds": durations in sentences. */
static char *
dup_duration (guint ms)
{
  if (ms % 1000 == 0)
    return g_strdup_printf (ngettext ("%u second", "%u seconds", ms / 1000),
                            ms / 1000);

  return g_strdup_printf (_("%.1f seconds"), ms / 1000.0);
}

static char *
dup_size (guint64 bytes)
{
  /* The limit is a round number of MiB; say it as one. */
  return g_format_size_full (bytes, G_FORMAT_SIZE_IEC_UNITS);
}

static gboolean
looks_like_json (const guint8 *data,
                 gsize         len)
{
  for (gsize i = 0; i < len; i++)
    {
      if (g_ascii_isspace (data[i]))
        continue;
      return data[i] == '{' || data[i] == '[' || data[i] == '"';
    }

  return FALSE;
}

static gboolean
looks_like_html (const guint8 *data,
                 gsize         len)
{
  for (gsize i = 0; i < len; i++)
    {
      if (g_ascii_isspace (data[i]))
        continue;
      return data[i] == '<';
    }

  return FALSE;
}

static gboolean
content_type_is (SoupMessage *message,
                 const char  *wanted)
{
  const char *type;

  type = soup_message_headers_get_content_type (soup_message_get_response_headers (message), NULL);

  return type != NULL && g_ascii_strcasecmp (type, wanted) == 0;
}

/* The first line of a short text body, for quoting it in a sentence. */
static char *
dup_text_excerpt (GBytes *body)
{
  gsize len;
  const char *data = g_bytes_get_data (body, &len);
  g_autofree char *text = NULL;
  char *newline;

  if (len == 0)
    return NULL;

  text = g_utf8_make_valid (data, MIN (len, 200));
  g_strstrip (text);
  newline = strchr (text, '\n');
  if (newline != NULL)
    *newline = '\0';

  if (*text == '\0')
    return NULL;

  return g_steal_pointer (&text);
}

/* TRUE when a redirect points back at the address that was asked for. */
static gboolean
redirects_to_itself (SoupMessage *message,
                     const char  *location)
{
  GUri *asked = soup_message_get_uri (message);
  g_autoptr(GUri) target = g_uri_parse_relative (asked, location, SOUP_HTTP_URI_FLAGS, NULL);

  return target != NULL && soup_uri_equal (asked, target);
}

/* Reads the server's answer for a failed status and says it plainly.
 * `transient` tells whether the same request may work a moment later. */
static GError *
error_for_status (SoupMessage *message,
                  GBytes      *body,
                  const char  *url,
                  gboolean    *transient)
{
  guint status = soup_message_get_status (message);
  gsize len = 0;
  const guint8 *data = body != NULL ? g_bytes_get_data (body, &len) : NULL;
  g_autofree char *server_words = NULL;
  g_autofree char *authority = vigil_http_dup_authority (url);

  *transient = FALSE;

  if (body != NULL && looks_like_json (data, len))
    server_words = vigil_parse_error_body (body);

  switch (status)
    {
    case SOUP_STATUS_UNAUTHORIZED:
      return g_error_new (VIGIL_SOURCE_ERROR, VIGIL_SOURCE_ERROR_UNAUTHORIZED,
                          _("%s asks for credentials (HTTP 401): check the user name, password or token."),
                          authority);
    case SOUP_STATUS_FORBIDDEN:
      return g_error_new (VIGIL_SOURCE_ERROR, VIGIL_SOURCE_ERROR_UNAUTHORIZED,
                          _("%s refused access (HTTP 403): the credentials are not allowed to read this."),
                          authority);
    case SOUP_STATUS_NOT_FOUND:
      return g_error_new (VIGIL_SOURCE_ERROR, VIGIL_SOURCE_ERROR_NOT_FOUND,
                          _("%s has no such page (HTTP 404): is the URL or its path prefix right, and is it the right kind of server?"),
                          authority);
    case 410:
      /* Alertmanager 0.27 and later answer every /api/v1 path this way,
       * which is what a Prometheus source pointed at one receives. */
      if (strstr (g_uri_get_path (soup_message_get_uri (message)), "/api/v1/") != NULL
          && server_words != NULL
          && (strstr (server_words, "Alertmanager") != NULL || strstr (server_words, "v2") != NULL))
        return g_error_new (VIGIL_SOURCE_ERROR, VIGIL_SOURCE_ERROR_GONE,
                            _("%s is an Alertmanager, and this Alertmanager only serves API v2 (HTTP 410): add it as an Alertmanager source."),
                            authority);
      return g_error_new (VIGIL_SOURCE_ERROR, VIGIL_SOURCE_ERROR_GONE,
                          _("%s says this API is gone (HTTP 410)%s%s"),
                          authority,
                          server_words != NULL ? ": " : ".",
                          server_words != NULL ? server_words : "");
    case SOUP_STATUS_SERVICE_UNAVAILABLE:
      *transient = TRUE;
      if (server_words != NULL)
        return g_error_new (VIGIL_SOURCE_ERROR, VIGIL_SOURCE_ERROR_UNAVAILABLE,
                            _("%s could not answer in time (HTTP 503): %s"),
                            authority, server_words);
      return g_error_new (VIGIL_SOURCE_ERROR, VIGIL_SOURCE_ERROR_UNAVAILABLE,
                          _("%s is not ready (HTTP 503): it may be starting up; retrying."),
                          authority);
    case SOUP_STATUS_BAD_GATEWAY:
    case SOUP_STATUS_GATEWAY_TIMEOUT:
      *transient = TRUE;
      return g_error_new (VIGIL_SOURCE_ERROR, VIGIL_SOURCE_ERROR_UNAVAILABLE,
                          _("A proxy in front of %s could not reach it (HTTP %u)."),
                          authority, status);
    default:
      break;
    }

  if (server_words != NULL)
    return g_error_new (VIGIL_SOURCE_ERROR,
                        status == 400 || status == 422 ? VIGIL_SOURCE_ERROR_QUERY
                                                       : VIGIL_SOURCE_ERROR_HTTP,
                        _("%s answered HTTP %u: %s"), authority, status, server_words);

  if (status == 400 && body != NULL)
    {
      g_autofree char *excerpt = dup_text_excerpt (body);

      if (excerpt != NULL && strstr (excerpt, "HTTPS") != NULL)
        return g_error_new (VIGIL_SOURCE_ERROR, VIGIL_SOURCE_ERROR_HTTP,
                            _("%s expects HTTPS: change the URL to start with https://."),
                            authority);
    }

  if (SOUP_STATUS_IS_REDIRECTION (status))
    {
      const char *location = soup_message_headers_get_one (soup_message_get_response_headers (message),
                                                           "Location");

      /* An API does not redirect; a login proxy or a wrong base URL does.
       * Redirects are never followed, so a loop costs one request. */
      if (location != NULL && redirects_to_itself (message, location))
        return g_error_new (VIGIL_SOURCE_ERROR, VIGIL_SOURCE_ERROR_HTTP,
                            _("%s redirects to the very address it was asked for (HTTP %u), a redirect loop: is a login proxy in front of it, or is the URL wrong?"),
                            authority, status);
      if (location != NULL)
        {
          g_autofree char *shown = g_utf8_make_valid (location, MIN (strlen (location), 200));

          return g_error_new (VIGIL_SOURCE_ERROR, VIGIL_SOURCE_ERROR_HTTP,
                              _("%s redirects to “%s” (HTTP %u): is a login proxy in front of it, or is the URL wrong?"),
                              authority, shown, status);
        }
      return g_error_new (VIGIL_SOURCE_ERROR, VIGIL_SOURCE_ERROR_HTTP,
                          _("%s redirects elsewhere (HTTP %u): is a login proxy in front of it, or is the URL wrong?"),
                          authority, status);
    }

  return g_error_new (VIGIL_SOURCE_ERROR, VIGIL_SOURCE_ERROR_HTTP,
                      _("%s answered HTTP %u %s."), authority, status,
                      soup_message_get_reason_phrase (message) ? soup_message_get_reason_phrase (message) : "");
}

/* The names a certificate was issued for, for "issued for x, not y". */
static char *
dup_certificate_names (GTlsCertificate *certificate)
{
  g_autoptr(GString) names = g_string_new (NULL);
  g_autoptr(GPtrArray) dns_names = NULL;
  g_autoptr(GPtrArray) addresses = NULL;

  if (certificate == NULL)
    return NULL;

  dns_names = g_tls_certificate_get_dns_names (certificate);
  for (guint i = 0; dns_names != NULL && i < dns_names->len && i < 4; i++)
    {
      gsize len;
      const char *name = g_bytes_get_data (g_ptr_array_index (dns_names, i), &len);
      g_autofree char *valid = g_utf8_make_valid (name, MIN (len, 100));

      g_string_append_printf (names, "%s“%s”", names->len > 0 ? ", " : "", valid);
    }

  addresses = g_tls_certificate_get_ip_addresses (certificate);
  for (guint i = 0; addresses != NULL && i < addresses->len && i < 4; i++)
    {
      g_autofree char *text = g_inet_address_to_string (g_ptr_array_index (addresses, i));

      g_string_append_printf (names, "%s“%s”", names->len > 0 ? ", " : "", text);
    }

  if (names->len == 0)
    {
      g_autofree char *subject = g_tls_certificate_get_subject_name (certificate);

      if (subject == NULL)
        return NULL;
      g_string_append_printf (names, "“%s”", subject);
    }

  return g_string_free (g_steal_pointer (&names), FALSE);
}

static char *
dup_certificate_date (GTlsCertificate *certificate,
                      gboolean         not_after)
{
  g_autoptr(GDateTime) date = NULL;

  if (certificate == NULL)
    return NULL;

  date = not_after ? g_tls_certificate_get_not_valid_after (certificate)
                   : g_tls_certificate_get_not_valid_before (certificate);

  return date != NULL ? g_date_time_format (date, "%Y-%m-%d") : NULL;
}

/* One sentence per thing wrong with the server's certificate, so "unknown
 * authority", "wrong host name" and "expired" read differently. */
static GError *
error_for_certificate (GTlsCertificateFlags  flags,
                       GTlsCertificate      *certificate,
                       const char           *host,
                       const char           *authority)
{
  g_autoptr(GString) text = g_string_new (NULL);

  if (flags & G_TLS_CERTIFICATE_UNKNOWN_CA)
    g_string_append_printf (text,
                            _("The certificate of %s is not signed by an authority this computer trusts (it may be self-signed): add that authority’s certificate to the source."),
                            authority);

  if (flags & G_TLS_CERTIFICATE_BAD_IDENTITY)
    {
      g_autofree char *names = dup_certificate_names (certificate);

      if (text->len > 0)
        g_string_append_c (text, ' ');
      if (names != NULL)
        g_string_append_printf (text,
                                _("The certificate of %s was issued for %s, not for “%s”: use the name the certificate gives, or ask for a certificate for this name."),
                                authority, names, host);
      else
        g_string_append_printf (text,
                                _("The certificate of %s was not issued for “%s”: use the name the certificate gives, or ask for a certificate for this name."),
                                authority, host);
    }

  if (flags & G_TLS_CERTIFICATE_EXPIRED)
    {
      g_autofree char *date = dup_certificate_date (certificate, TRUE);

      if (text->len > 0)
        g_string_append_c (text, ' ');
      if (date != NULL)
        g_string_append_printf (text, _("The certificate of %s expired on %s: the server needs a new one."),
                                authority, date);
      else
        g_string_append_printf (text, _("The certificate of %s has expired: the server needs a new one."),
                                authority);
    }

  if (flags & G_TLS_CERTIFICATE_NOT_ACTIVATED)
    {
      g_autofree char *date = dup_certificate_date (certificate, FALSE);

      if (text->len > 0)
        g_string_append_c (text, ' ');
      g_string_append_printf (text, _("The certificate of %s is not valid before %s: check this computer’s clock."),
                              authority, date != NULL ? date : "?");
    }

  if (flags & G_TLS_CERTIFICATE_REVOKED)
    {
      if (text->len > 0)
        g_string_append_c (text, ' ');
      g_string_append_printf (text, _("The certificate of %s has been revoked."), authority);
    }

  if (flags & G_TLS_CERTIFICATE_INSECURE)
    {
      if (text->len > 0)
        g_string_append_c (text, ' ');
      g_string_append_printf (text, _("The certificate of %s uses an algorithm too weak to trust."), authority);
    }

  if (text->len == 0)
    g_string_append_printf (text, _("The certificate of %s could not be verified."), authority);

  return g_error_new_literal (VIGIL_SOURCE_ERROR, VIGIL_SOURCE_ERROR_TLS, text->str);
}

/* Says a network-level failure plainly. */
static GError *
error_for_transport (Call         *call,
                     const GError *error,
                     gboolean     *transient)
{
  const char *authority = call->authority;

  *transient = FALSE;

  /* Our own cancellable fired: the caller gave up, or a timeout did. */
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      if (call->caller != NULL && g_cancellable_is_cancelled (call->caller))
        return g_error_copy (error);

      if (call->deadline_passed)
        {
          g_autofree char *duration = dup_duration (call->policy.total_ms);

          return g_error_new (VIGIL_SOURCE_ERROR, VIGIL_SOURCE_ERROR_TIMEOUT,
                              _("%s did not answer within %s."), authority, duration);
        }

      if (call->connect_timed_out)
        {
          g_autofree char *duration = dup_duration (call->policy.connect_ms);

          *transient = TRUE;
          return g_error_new (VIGIL_SOURCE_ERROR, VIGIL_SOURCE_ERROR_TIMEOUT,
                              _("%s did not set up a connection within %s: is the address right, and does a firewall let it through?"),
                              authority, duration);
        }

      return g_error_copy (error);
    }

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CONNECTION_REFUSED))
    {
      *transient = TRUE;
      return g_error_new (VIGIL_SOURCE_ERROR, VIGIL_SOURCE_ERROR_CONNECTION,
                          _("Connection refused by %s: is the server running?"), authority);
    }

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT))
    {
      g_autofree char *duration = dup_duration (call->policy.total_ms);

      /* libsoup's own I/O timeout, which is set to the whole deadline. */
      return g_error_new (VIGIL_SOURCE_ERROR, VIGIL_SOURCE_ERROR_TIMEOUT,
                          _("%s did not answer within %s."), authority, duration);
    }

  if (g_error_matches (error, G_RESOLVER_ERROR, G_RESOLVER_ERROR_TEMPORARY_FAILURE))
    {
      *transient = TRUE;
      return g_error_new (VIGIL_SOURCE_ERROR, VIGIL_SOURCE_ERROR_CONNECTION,
                          _("The name in %s could not be looked up just now: is this computer on the network?"),
                          authority);
    }

  if (g_error_matches (error, G_RESOLVER_ERROR, G_RESOLVER_ERROR_NOT_FOUND))
    return g_error_new (VIGIL_SOURCE_ERROR, VIGIL_SOURCE_ERROR_CONNECTION,
                        _("The name in %s could not be found: check the URL."), authority);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_HOST_UNREACHABLE)
      || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NETWORK_UNREACHABLE))
    {
      *transient = TRUE;
      return g_error_new (VIGIL_SOURCE_ERROR, VIGIL_SOURCE_ERROR_CONNECTION,
                          _("%s cannot be reached from this computer: is it on the network?"), authority);
    }

  if (error->domain == G_TLS_ERROR)
    {
      GTlsCertificateFlags flags = call->tls_errors;

      if (flags == 0 && call->message != NULL)
        flags = soup_message_get_tls_peer_certificate_errors (call->message);

      if (g_error_matches (error, G_TLS_ERROR, G_TLS_ERROR_BAD_CERTIFICATE) || flags != 0)
        return error_for_certificate (flags, call->tls_certificate, g_uri_get_host (call->uri), authority);

      if (g_error_matches (error, G_TLS_ERROR, G_TLS_ERROR_NOT_TLS))
        return g_error_new (VIGIL_SOURCE_ERROR, VIGIL_SOURCE_ERROR_TLS,
                            _("%s does not speak HTTPS: change the URL to start with http://."), authority);

      if (g_error_matches (error, G_TLS_ERROR, G_TLS_ERROR_CERTIFICATE_REQUIRED))
        return g_error_new (VIGIL_SOURCE_ERROR, VIGIL_SOURCE_ERROR_TLS,
                            _("%s asks for a client certificate: add one to the source."), authority);

      return g_error_new (VIGIL_SOURCE_ERROR, VIGIL_SOURCE_ERROR_TLS,
                          _("The secure connection to %s failed: %s"), authority, error->message);
    }

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_PARTIAL_INPUT)
      || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CONNECTION_CLOSED)
      || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_BROKEN_PIPE)
      || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NOT_CONNECTED))
    {
      *transient = TRUE;
      return g_error_new (VIGIL_SOURCE_ERROR, VIGIL_SOURCE_ERROR_CONNECTION,
                          _("%s closed the connection before the answer was complete."), authority);
    }

  return g_error_new (VIGIL_SOURCE_ERROR, VIGIL_SOURCE_ERROR_CONNECTION,
                      _("Could not talk to %s: %s"), authority, error->message);
}

/* A 2xx answer that is not JSON, said plainly. */
static GError *
error_for_not_json (SoupMessage *message,
                    GBytes      *body,
                    const char  *authority)
{
  gsize len;
  const guint8 *data = g_bytes_get_data (body, &len);

  if (len == 0)
    return g_error_new (VIGIL_SOURCE_ERROR, VIGIL_SOURCE_ERROR_NOT_JSON,
                        _("%s answered with an empty page instead of data."), authority);

  if (content_type_is (message, "text/html") || looks_like_html (data, len))
    return g_error_new (VIGIL_SOURCE_ERROR, VIGIL_SOURCE_ERROR_NOT_JSON,
                        _("%s answered with an HTML page — is a login proxy in front of it, or is the URL wrong?"),
                        authority);

  return g_error_new (VIGIL_SOURCE_ERROR, VIGIL_SOURCE_ERROR_NOT_JSON,
                      _("%s answered with something other than JSON: is it the right kind of server?"),
                      authority);
}

static GError *
error_too_large (Call    *call,
                 goffset  announced)
{
  g_autofree char *limit = dup_size (VIGIL_HTTP_MAX_BODY);

  if (announced > 0)
    {
      g_autofree char *size = dup_size (announced);

      return g_error_new (VIGIL_SOURCE_ERROR, VIGIL_SOURCE_ERROR_TOO_LARGE,
                          _("%s announced an answer of %s, more than the %s Vigil reads, so it was not downloaded: refine the query or the alert list."),
                          call->authority, size, limit);
    }

  return g_error_new (VIGIL_SOURCE_ERROR, VIGIL_SOURCE_ERROR_TOO_LARGE,
                      _("%s sent more than %s without saying how much was coming; Vigil stopped reading there: refine the query or the alert list."),
                      call->authority, limit);
}

/* Exponential backoff with "equal jitter": half of each delay is fixed, so
 * delays keep growing, and half is random, so sources that failed together
 * do not all come back at the same instant. */
static guint
retry_delay (guint first_ms,
             guint retry)
{
  guint64 ceiling = first_ms;

  for (guint i = 0; i < retry && ceiling < MAX_RETRY_DELAY_MS; i++)
    ceiling *= 2;
  ceiling = MIN (ceiling, MAX_RETRY_DELAY_MS);

  return ceiling / 2 + g_random_int_range (0, ceiling / 2 + 1);
}

static GSource *
add_task_timeout (guint       ms,
                  GSourceFunc func,
                  GTask      *task)
{
  GSource *source = g_timeout_source_new (ms);

  /* The source holds the task, so the task outlives a callback that ends
   * the attempt and destroys the source. */
  g_source_set_callback (source, func, g_object_ref (task), g_object_unref);
  g_source_attach (source, g_main_context_get_thread_default ());

  return source;
}

static void
cancel_chained_cb (GCancellable *caller,
                   GCancellable *ours)
{
  g_cancellable_cancel (ours);
}

static gboolean
deadline_cb (gpointer data)
{
  Call *call = g_task_get_task_data (G_TASK (data));

  g_clear_pointer (&call->deadline_source, g_source_unref);
  call->deadline_passed = TRUE;
  g_cancellable_cancel (call->cancellable);

  return G_SOURCE_REMOVE;
}

static gboolean
connect_timeout_cb (gpointer data)
{
  Call *call = g_task_get_task_data (G_TASK (data));

  g_clear_pointer (&call->connect_source, g_source_unref);
  call->connect_timed_out = TRUE;
  g_cancellable_cancel (call->cancellable);

  return G_SOURCE_REMOVE;
}

static gboolean
wait_done_cb (gpointer data)
{
  g_autoptr(GTask) task = g_object_ref (data);
  Call *call = g_task_get_task_data (task);

  g_clear_pointer (&call->wait_source, g_source_unref);
  g_clear_pointer (&call->wait_cancel_source, destroy_source);
  start_attempt (task);

  return G_SOURCE_REMOVE;
}

static gboolean
wait_cancelled_cb (GCancellable *cancellable,
                   gpointer      data)
{
  g_autoptr(GTask) task = g_object_ref (data);
  Call *call = g_task_get_task_data (task);

  g_clear_pointer (&call->wait_cancel_source, g_source_unref);
  g_clear_pointer (&call->wait_source, destroy_source);
  g_task_return_error_if_cancelled (task);

  return G_SOURCE_REMOVE;
}

/* Ends the call with `error`, or tries again after a pause when the
 * failure may pass (refused, reset, 502/503/504, a server-side timeout).
 * Errors that would come back the same way, like a rejected query, are
 * never retried. */
static void
fail_attempt (GTask    *task,
              GError   *error,
              gboolean  transient)
{
  Call *call = g_task_get_task_data (task);
  guint delay;

  end_attempt (call);

  if (!transient
      || call->attempts > call->policy.retries
      || (call->caller != NULL && g_cancellable_is_cancelled (call->caller)))
    {
      g_task_return_error (task, error);
      return;
    }

  /* A retry that could not even start before the deadline would only
   * hold back the news. */
  delay = retry_delay (call->policy.retry_delay_ms, call->attempts - 1);
  if (g_get_monotonic_time () + (gint64) delay * 1000 >= call->deadline)
    {
      g_task_return_error (task, error);
      return;
    }

  g_debug ("%s (attempt %u): %s; trying again in %u ms",
           call->authority, call->attempts, error->message, delay);
  g_error_free (error);

  call->wait_source = add_task_timeout (delay, wait_done_cb, task);
  if (call->caller != NULL)
    {
      call->wait_cancel_source = g_cancellable_source_new (call->caller);
      g_source_set_callback (call->wait_cancel_source, (GSourceFunc) (void (*) (void)) wait_cancelled_cb,
                             g_object_ref (task), g_object_unref);
      g_source_attach (call->wait_cancel_source, g_main_context_get_thread_default ());
    }
}

static void
parse_in_thread (GTask        *inner,
                 gpointer      source_object,
                 gpointer      task_data,
                 GCancellable *cancellable)
{
  ParseJob *job = task_data;
  GError *error = NULL;
  gpointer parsed;

  parsed = job->parse (job->body, &error);
  if (parsed == NULL)
    {
      if (error == NULL)
        error = g_error_new_literal (VIGIL_PARSE_ERROR, VIGIL_PARSE_ERROR_UNEXPECTED,
                                     _("The answer could not be read"));
      g_task_return_error (inner, error);
      return;
    }

  /* The outer task frees it if nobody takes it. */
  g_task_return_pointer (inner, parsed, NULL);
}

static void
parsed_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Call *call = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  gpointer parsed;
  gboolean transient;

  parsed = g_task_propagate_pointer (G_TASK (result), &error);
  if (parsed != NULL)
    {
      g_task_return_pointer (task, parsed, call->free_result);
      return;
    }

  /* Prometheus says "timeout" or "unavailable" in its envelope when the
   * query may work a moment later. */
  transient = error->domain == VIGIL_PROMETHEUS_ERROR
              && (error->code == VIGIL_PROMETHEUS_ERROR_TIMEOUT
                  || error->code == VIGIL_PROMETHEUS_ERROR_UNAVAILABLE);
  fail_attempt (task, vigil_http_error_from_parse (error, call->url), transient);
}

/* The whole body is in: judge it, then parse it off the main loop. */
static void
finish_network (GTask *task)
{
  Call *call = g_task_get_task_data (task);
  g_autoptr(GBytes) body = g_byte_array_free_to_bytes (g_steal_pointer (&call->body));
  guint status = soup_message_get_status (call->message);
  gsize len;
  const guint8 *data = g_bytes_get_data (body, &len);
  g_autoptr(GTask) inner = NULL;
  ParseJob *job;

  if (!SOUP_STATUS_IS_SUCCESSFUL (status))
    {
      gboolean transient;
      GError *error = error_for_status (call->message, body, call->url, &transient);

      fail_attempt (task, error, transient);
      return;
    }

  /* A 200 alone proves nothing: proxies answer 200 with their login page.
   * JSON is recognised by its content type or its first byte. */
  if (!looks_like_json (data, len))
    {
      fail_attempt (task, error_for_not_json (call->message, body, call->authority), FALSE);
      return;
    }

  end_attempt (call);

  if (call->parse == NULL)
    {
      g_task_return_pointer (task, g_steal_pointer (&body), (GDestroyNotify) g_bytes_unref);
      return;
    }

  job = g_new0 (ParseJob, 1);
  job->parse = call->parse;
  job->body = g_steal_pointer (&body);

  inner = g_task_new (NULL, NULL, parsed_cb, g_object_ref (task));
  g_task_set_source_tag (inner, finish_network);
  g_task_set_task_data (inner, job, (GDestroyNotify) parse_job_free);
  g_task_run_in_thread (inner, parse_in_thread);
}

static void
read_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Call *call = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) chunk = NULL;
  gboolean transient;

  chunk = g_input_stream_read_bytes_finish (G_INPUT_STREAM (object), result, &error);
  if (chunk == NULL)
    {
      GError *reason = error_for_transport (call, error, &transient);

      fail_attempt (task, reason, transient);
      return;
    }

  if (g_bytes_get_size (chunk) == 0)
    {
      SoupMessageHeaders *headers = soup_message_get_response_headers (call->message);
      const char *coding = soup_message_headers_get_one (headers, "Content-Encoding");

      call->at_eof = TRUE;

      /* libsoup ends a body cut short by a closed connection like a
       * complete one; the announced length tells them apart. It counts
       * the bytes on the wire, so only an uncompressed body compares. */
      if (soup_message_headers_get_encoding (headers) == SOUP_ENCODING_CONTENT_LENGTH
          && (coding == NULL || g_ascii_strcasecmp (coding, "identity") == 0)
          && (goffset) call->body->len < soup_message_headers_get_content_length (headers))
        {
          fail_attempt (task,
                        g_error_new (VIGIL_SOURCE_ERROR, VIGIL_SOURCE_ERROR_CONNECTION,
                                     _("%s closed the connection before the answer was complete."),
                                     call->authority),
                        TRUE);
          return;
        }

      finish_network (task);
      return;
    }

  /* A server that streams without a Content-Length is cut off here, at
   * the limit, not after it has filled the memory. */
  if (call->body->len + g_bytes_get_size (chunk) > VIGIL_HTTP_MAX_BODY)
    {
      fail_attempt (task, error_too_large (call, 0), FALSE);
      return;
    }

  g_byte_array_append (call->body, g_bytes_get_data (chunk, NULL), g_bytes_get_size (chunk));

  g_input_stream_read_bytes_async (call->stream, READ_CHUNK, G_PRIORITY_DEFAULT,
                                   call->cancellable, read_cb, g_steal_pointer (&task));
}

static void
send_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Call *call = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  gboolean transient;
  goffset length;

  call->stream = soup_session_send_finish (SOUP_SESSION (object), result, &error);
  if (call->stream == NULL)
    {
      GError *reason = error_for_transport (call, error, &transient);

      fail_attempt (task, reason, transient);
      return;
    }

  /* A resumed TLS session can complete a request whose certificate this
   * session would refuse (another source, with its own CA or with checks
   * off, reached the same server first): the flags still tell. */
  if (!session_policy (SOUP_SESSION (object))->accept_invalid_certificates
      && g_strcmp0 (g_uri_get_scheme (call->uri), "https") == 0)
    {
      GTlsCertificateFlags flags = soup_message_get_tls_peer_certificate_errors (call->message);

      if (flags != 0)
        {
          fail_attempt (task,
                        error_for_certificate (flags,
                                               soup_message_get_tls_peer_certificate (call->message),
                                               g_uri_get_host (call->uri), call->authority),
                        FALSE);
          return;
        }
    }

  length = soup_message_headers_get_content_length (soup_message_get_response_headers (call->message));
  if (length > VIGIL_HTTP_MAX_BODY)
    {
      fail_attempt (task, error_too_large (call, length), FALSE);
      return;
    }

  g_input_stream_read_bytes_async (call->stream, READ_CHUNK, G_PRIORITY_DEFAULT,
                                   call->cancellable, read_cb, g_steal_pointer (&task));
}

/* The connect timeout runs from the first step of a new connection (name
 * lookup) to the end of its TLS handshake. A request that waits for a free
 * connection, or reuses one, is covered by the deadline alone. */
static void
network_event_cb (SoupMessage        *message,
                  GSocketClientEvent  event,
                  GIOStream          *connection,
                  Call               *call)
{
  if (event == G_SOCKET_CLIENT_COMPLETE)
    {
      g_clear_pointer (&call->connect_source, destroy_source);
      call->connected = TRUE;
      return;
    }

  if (call->connected || call->connect_source != NULL)
    return;

  {
    gint64 remaining_ms = (call->deadline - g_get_monotonic_time ()) / 1000;

    /* The deadline says it better when it comes first. */
    if (call->policy.connect_ms < remaining_ms)
      call->connect_source = add_task_timeout (call->policy.connect_ms, connect_timeout_cb, call->task);
  }
}

static void
connected_cb (SoupMessage *message,
              Call        *call)
{
  g_clear_pointer (&call->connect_source, destroy_source);
  call->connected = TRUE;
}

static gboolean
accept_certificate_cb (SoupMessage          *message,
                       GTlsCertificate      *certificate,
                       GTlsCertificateFlags  errors,
                       Call                 *call)
{
  /* Kept to say which of the certificate's problems it was. */
  call->tls_errors = errors;
  g_set_object (&call->tls_certificate, certificate);

  return FALSE;
}

static void
start_attempt (GTask *task)
{
  Call *call = g_task_get_task_data (task);
  gint64 remaining_ms = (call->deadline - g_get_monotonic_time ()) / 1000;

  g_assert (call->message == NULL);

  call->attempts++;
  call->deadline_passed = FALSE;
  call->connect_timed_out = FALSE;
  call->connected = FALSE;
  call->at_eof = FALSE;
  call->tls_errors = 0;
  call->body = g_byte_array_new ();
  call->cancellable = g_cancellable_new ();

  if (call->caller != NULL)
    call->caller_handler = g_cancellable_connect (call->caller, G_CALLBACK (cancel_chained_cb),
                                                  g_object_ref (call->cancellable), g_object_unref);

  call->deadline_source = add_task_timeout (MAX (remaining_ms, 1), deadline_cb, task);

  call->message = soup_message_new_from_uri (SOUP_METHOD_GET, call->uri);
  soup_message_add_flags (call->message, SOUP_MESSAGE_NO_REDIRECT);
  soup_message_headers_replace (soup_message_get_request_headers (call->message),
                                "Accept", "application/json");
  g_signal_connect (call->message, "network-event", G_CALLBACK (network_event_cb), call);
  g_signal_connect (call->message, "wrote-headers", G_CALLBACK (connected_cb), call);
  g_signal_connect (call->message, "got-headers", G_CALLBACK (connected_cb), call);
  g_signal_connect (call->message, "accept-certificate", G_CALLBACK (accept_certificate_cb), call);

  soup_session_send_async (call->session, call->message, G_PRIORITY_DEFAULT, call->cancellable,
                           send_cb, g_object_ref (task));
}

/* Sets up the call on `task` and starts its first attempt. */
static void
start_call (GTask              *task,
            SoupSession        *session,
            const char         *url,
            VigilHttpParseFunc  parse,
            GDestroyNotify      free_result,
            GCancellable       *cancellable)
{
  Call *call = g_new0 (Call, 1);

  call->task = task;
  call->session = g_object_ref (session);
  call->url = g_strdup (url);
  call->authority = vigil_http_dup_authority (url);
  call->parse = parse;
  call->free_result = free_result;
  call->policy = *session_policy (session);
  call->deadline = g_get_monotonic_time () + (gint64) call->policy.total_ms * 1000;
  call->caller = cancellable != NULL ? g_object_ref (cancellable) : NULL;
  g_task_set_task_data (task, call, (GDestroyNotify) call_free);

  call->uri = g_uri_parse (url, SOUP_HTTP_URI_FLAGS, NULL);
  if (call->uri == NULL
      || (g_strcmp0 (g_uri_get_scheme (call->uri), "http") != 0
          && g_strcmp0 (g_uri_get_scheme (call->uri), "https") != 0))
    {
      g_task_return_new_error (task, VIGIL_SOURCE_ERROR, VIGIL_SOURCE_ERROR_BAD_REQUEST,
                               _("“%s” is not a valid URL."), url);
      return;
    }

  start_attempt (task);
}

void
vigil_http_get_json_async (SoupSession         *session,
                           const char          *url,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (SOUP_IS_SESSION (session));
  g_return_if_fail (url != NULL);

  task = g_task_new (session, cancellable, callback, user_data);
  g_task_set_source_tag (task, vigil_http_get_json_async);
  start_call (task, session, url, NULL, NULL, cancellable);
}

GBytes *
vigil_http_get_json_finish (GAsyncResult  *result,
                            GError       **error)
{
  g_return_val_if_fail (G_IS_TASK (result), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == vigil_http_get_json_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

void
vigil_http_get_parsed_async (SoupSession         *session,
                             const char          *url,
                             VigilHttpParseFunc   parse,
                             GDestroyNotify       free_result,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (SOUP_IS_SESSION (session));
  g_return_if_fail (url != NULL);
  g_return_if_fail (parse != NULL);

  task = g_task_new (session, cancellable, callback, user_data);
  g_task_set_source_tag (task, vigil_http_get_parsed_async);
  start_call (task, session, url, parse, free_result, cancellable);
}

gpointer
vigil_http_get_parsed_finish (GAsyncResult  *result,
                              GError       **error)
{
  g_return_val_if_fail (G_IS_TASK (result), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == vigil_http_get_parsed_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

GError *
vigil_http_error_from_parse (const GError *parse_error,
                             const char   *url)
{
  g_autofree char *authority = vigil_http_dup_authority (url);

  g_return_val_if_fail (parse_error != NULL, NULL);

  if (parse_error->domain == VIGIL_PROMETHEUS_ERROR)
    {
      if (parse_error->code == VIGIL_PROMETHEUS_ERROR_TIMEOUT
          || parse_error->code == VIGIL_PROMETHEUS_ERROR_UNAVAILABLE)
        return g_error_new (VIGIL_SOURCE_ERROR, VIGIL_SOURCE_ERROR_UNAVAILABLE,
                            _("%s could not answer in time: %s"), authority, parse_error->message);

      return g_error_new (VIGIL_SOURCE_ERROR, VIGIL_SOURCE_ERROR_QUERY,
                          _("%s rejected the query: %s"), authority, parse_error->message);
    }

  if (parse_error->domain == VIGIL_PARSE_ERROR)
    {
      switch ((VigilParseError) parse_error->code)
        {
        case VIGIL_PARSE_ERROR_NOT_JSON:
          return g_error_new (VIGIL_SOURCE_ERROR, VIGIL_SOURCE_ERROR_NOT_JSON,
                              _("%s answered with something other than JSON: is it the right kind of server?"),
                              authority);
        case VIGIL_PARSE_ERROR_TOO_DEEP:
          return g_error_new (VIGIL_SOURCE_ERROR, VIGIL_SOURCE_ERROR_INVALID,
                              _("%s sent JSON nested too deeply to be an answer; it was not read."),
                              authority);
        case VIGIL_PARSE_ERROR_INVALID:
          return g_error_new (VIGIL_SOURCE_ERROR, VIGIL_SOURCE_ERROR_INVALID,
                              _("%s sent broken or truncated JSON: %s"), authority, parse_error->message);
        case VIGIL_PARSE_ERROR_UNEXPECTED:
        default:
          return g_error_new (VIGIL_SOURCE_ERROR, VIGIL_SOURCE_ERROR_INVALID,
                              _("%s sent an answer of an unexpected shape: %s"), authority, parse_error->message);
        }
    }

  return g_error_copy (parse_error);
}

void
vigil_http_set_timeouts (SoupSession *session,
                         guint        connect_ms,
                         guint        total_ms)
{
  Policy *policy;

  g_return_if_fail (SOUP_IS_SESSION (session));
  g_return_if_fail (total_ms > 0);

  policy = session_policy (session);
  policy->connect_ms = connect_ms > 0 ? connect_ms : total_ms;
  policy->total_ms = total_ms;

  /* libsoup's own timeout is per read or write; it only backs up the
   * deadline, so it must not fire first. */
  g_object_set (session, "timeout", total_ms / 1000 + 1, NULL);
}

void
vigil_http_set_retries (SoupSession *session,
                        guint        retries,
                        guint        first_delay_ms)
{
  Policy *policy;

  g_return_if_fail (SOUP_IS_SESSION (session));

  policy = session_policy (session);
  policy->retries = retries;
  policy->retry_delay_ms = first_delay_ms;
}

SoupSession *
vigil_http_session_new (void)
{
  g_autofree char *user_agent = g_strdup_printf ("Vigil/%s", PACKAGE_VERSION);

  return soup_session_new_with_options ("timeout", TIMEOUT_SECONDS,
                                        "idle-timeout", 60,
                                        "user-agent", user_agent,
                                        "max-conns-per-host", 4,
                                        NULL);
}

void
vigil_http_set_accept_invalid_certificates (SoupSession *session,
                                            gboolean     accept)
{
  g_return_if_fail (SOUP_IS_SESSION (session));

  session_policy (session)->accept_invalid_certificates = !!accept;
}
