/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "vigil-http"

#include "config.h"

#include <glib/gi18n.h>

#include "vigil-http.h"
#include "vigil-parse.h"

/* How long a request may take, start to end. A monitoring server that
 * needs longer is as good as down for an alert poller. */
#define TIMEOUT_SECONDS 20
#define READ_CHUNK (64 * 1024)

typedef struct {
  SoupMessage *message;
  GInputStream *stream;
  GByteArray  *body;
  char        *url;
} Request;

G_DEFINE_QUARK (vigil-source-error-quark, vigil_source_error)

static void
request_free (Request *request)
{
  g_clear_object (&request->message);
  g_clear_object (&request->stream);
  g_clear_pointer (&request->body, g_byte_array_unref);
  g_free (request->url);
  g_free (request);
}

/* "host:port" of a URL, for sentences like "Connection refused by …". */
static char *
dup_authority (const char *url)
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

/* Reads the server's answer for a failed status and says it plainly. */
static GError *
error_for_status (SoupMessage *message,
                  GBytes      *body,
                  const char  *url)
{
  guint status = soup_message_get_status (message);
  gsize len = 0;
  const guint8 *data = body != NULL ? g_bytes_get_data (body, &len) : NULL;
  g_autofree char *server_words = NULL;
  g_autofree char *authority = dup_authority (url);

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
      return g_error_new (VIGIL_SOURCE_ERROR, VIGIL_SOURCE_ERROR_GONE,
                          _("%s says this API is gone (HTTP 410)%s%s"),
                          authority,
                          server_words != NULL ? ": " : ".",
                          server_words != NULL ? server_words : "");
    case SOUP_STATUS_SERVICE_UNAVAILABLE:
      if (server_words != NULL)
        return g_error_new (VIGIL_SOURCE_ERROR, VIGIL_SOURCE_ERROR_UNAVAILABLE,
                            _("%s could not answer in time (HTTP 503): %s"),
                            authority, server_words);
      return g_error_new (VIGIL_SOURCE_ERROR, VIGIL_SOURCE_ERROR_UNAVAILABLE,
                          _("%s is not ready (HTTP 503): it may be starting up; retrying."),
                          authority);
    case SOUP_STATUS_BAD_GATEWAY:
    case SOUP_STATUS_GATEWAY_TIMEOUT:
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
       * Following it would only end on an HTML page. */
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

/* Says a network-level failure plainly. */
static GError *
error_for_transport (const GError *error,
                     const char   *url)
{
  g_autofree char *authority = dup_authority (url);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CONNECTION_REFUSED))
    return g_error_new (VIGIL_SOURCE_ERROR, VIGIL_SOURCE_ERROR_CONNECTION,
                        _("Connection refused by %s: is the server running?"), authority);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT))
    return g_error_new (VIGIL_SOURCE_ERROR, VIGIL_SOURCE_ERROR_TIMEOUT,
                        _("%s did not answer within %d seconds."), authority, TIMEOUT_SECONDS);
  if (g_error_matches (error, G_RESOLVER_ERROR, G_RESOLVER_ERROR_NOT_FOUND)
      || g_error_matches (error, G_RESOLVER_ERROR, G_RESOLVER_ERROR_TEMPORARY_FAILURE))
    return g_error_new (VIGIL_SOURCE_ERROR, VIGIL_SOURCE_ERROR_CONNECTION,
                        _("The name in %s could not be found: check the URL."), authority);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_HOST_UNREACHABLE)
      || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NETWORK_UNREACHABLE))
    return g_error_new (VIGIL_SOURCE_ERROR, VIGIL_SOURCE_ERROR_CONNECTION,
                        _("%s cannot be reached from this computer."), authority);
  if (error->domain == G_TLS_ERROR)
    return g_error_new (VIGIL_SOURCE_ERROR, VIGIL_SOURCE_ERROR_TLS,
                        _("The secure connection to %s failed: %s"), authority, error->message);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return g_error_copy (error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_PARTIAL_INPUT)
      || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CONNECTION_CLOSED)
      || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_BROKEN_PIPE))
    return g_error_new (VIGIL_SOURCE_ERROR, VIGIL_SOURCE_ERROR_CONNECTION,
                        _("%s closed the connection before the answer was complete."), authority);

  return g_error_new (VIGIL_SOURCE_ERROR, VIGIL_SOURCE_ERROR_CONNECTION,
                      _("Could not talk to %s: %s"), authority, error->message);
}

/* A 2xx answer that is not JSON, said plainly. */
static GError *
error_for_not_json (SoupMessage *message,
                    GBytes      *body,
                    const char  *url)
{
  g_autofree char *authority = dup_authority (url);
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

static void
finish_request (GTask *task)
{
  Request *request = g_task_get_task_data (task);
  guint status = soup_message_get_status (request->message);
  g_autoptr(GBytes) body = g_byte_array_free_to_bytes (g_steal_pointer (&request->body));
  gsize len;
  const guint8 *data = g_bytes_get_data (body, &len);

  if (!SOUP_STATUS_IS_SUCCESSFUL (status))
    {
      g_task_return_error (task, error_for_status (request->message, body, request->url));
      return;
    }

  /* A 200 alone proves nothing: proxies answer 200 with their login page.
   * JSON is recognised by its content type or its first byte. */
  if (!looks_like_json (data, len))
    {
      g_task_return_error (task, error_for_not_json (request->message, body, request->url));
      return;
    }

  g_task_return_pointer (task, g_steal_pointer (&body), (GDestroyNotify) g_bytes_unref);
}

static void
read_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Request *request = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) chunk = NULL;

  chunk = g_input_stream_read_bytes_finish (G_INPUT_STREAM (object), result, &error);
  if (chunk == NULL)
    {
      g_task_return_error (task, error_for_transport (error, request->url));
      return;
    }

  if (g_bytes_get_size (chunk) == 0)
    {
      finish_request (task);
      return;
    }

  if (request->body->len + g_bytes_get_size (chunk) > VIGIL_HTTP_MAX_BODY)
    {
      g_autofree char *authority = dup_authority (request->url);

      g_task_return_new_error (task, VIGIL_SOURCE_ERROR, VIGIL_SOURCE_ERROR_TOO_LARGE,
                               _("%s sent more than %d MB: refine the query or the alert list."),
                               authority, VIGIL_HTTP_MAX_BODY / (1024 * 1024));
      return;
    }

  g_byte_array_append (request->body,
                       g_bytes_get_data (chunk, NULL),
                       g_bytes_get_size (chunk));

  g_input_stream_read_bytes_async (request->stream, READ_CHUNK, G_PRIORITY_DEFAULT,
                                   g_task_get_cancellable (task), read_cb,
                                   g_object_ref (task));
}

static void
send_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Request *request = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  goffset length;

  request->stream = soup_session_send_finish (SOUP_SESSION (object), result, &error);
  if (request->stream == NULL)
    {
      g_task_return_error (task, error_for_transport (error, request->url));
      return;
    }

  length = soup_message_headers_get_content_length (soup_message_get_response_headers (request->message));
  if (length > VIGIL_HTTP_MAX_BODY)
    {
      g_autofree char *authority = dup_authority (request->url);

      g_task_return_new_error (task, VIGIL_SOURCE_ERROR, VIGIL_SOURCE_ERROR_TOO_LARGE,
                               _("%s sent more than %d MB: refine the query or the alert list."),
                               authority, VIGIL_HTTP_MAX_BODY / (1024 * 1024));
      return;
    }

  g_input_stream_read_bytes_async (request->stream, READ_CHUNK, G_PRIORITY_DEFAULT,
                                   g_task_get_cancellable (task), read_cb,
                                   g_object_ref (task));
}

void
vigil_http_get_json_async (SoupSession         *session,
                           const char          *url,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GUri) uri = NULL;
  Request *request;

  g_return_if_fail (SOUP_IS_SESSION (session));
  g_return_if_fail (url != NULL);

  task = g_task_new (session, cancellable, callback, user_data);
  g_task_set_source_tag (task, vigil_http_get_json_async);

  request = g_new0 (Request, 1);
  request->url = g_strdup (url);
  request->body = g_byte_array_new ();
  g_task_set_task_data (task, request, (GDestroyNotify) request_free);

  uri = g_uri_parse (url, SOUP_HTTP_URI_FLAGS, NULL);
  if (uri == NULL
      || (g_strcmp0 (g_uri_get_scheme (uri), "http") != 0
          && g_strcmp0 (g_uri_get_scheme (uri), "https") != 0))
    {
      g_task_return_new_error (task, VIGIL_SOURCE_ERROR, VIGIL_SOURCE_ERROR_BAD_REQUEST,
                               _("“%s” is not a valid URL."), url);
      return;
    }

  request->message = soup_message_new_from_uri (SOUP_METHOD_GET, uri);
  soup_message_add_flags (request->message, SOUP_MESSAGE_NO_REDIRECT);
  soup_message_headers_replace (soup_message_get_request_headers (request->message),
                                "Accept", "application/json");

  soup_session_send_async (session, request->message, G_PRIORITY_DEFAULT, cancellable,
                           send_cb, g_steal_pointer (&task));
}

GBytes *
vigil_http_get_json_finish (GAsyncResult  *result,
                            GError       **error)
{
  g_return_val_if_fail (G_IS_TASK (result), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == vigil_http_get_json_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

typedef struct {
  char              *url;
  VigilHttpParseFunc parse;
  GDestroyNotify     free_result;
  GBytes            *body;
} ParseJob;

static void
parse_job_free (ParseJob *job)
{
  g_free (job->url);
  g_clear_pointer (&job->body, g_bytes_unref);
  g_free (job);
}

static void
parse_in_thread (GTask        *task,
                 gpointer      source_object,
                 gpointer      task_data,
                 GCancellable *cancellable)
{
  ParseJob *job = task_data;
  g_autoptr(GError) error = NULL;
  gpointer parsed;

  parsed = job->parse (job->body, &error);
  if (parsed == NULL)
    {
      g_task_return_error (task, vigil_http_error_from_parse (error, job->url));
      return;
    }

  g_task_return_pointer (task, parsed, job->free_result);
}

static void
get_for_parse_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  ParseJob *job = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  job->body = vigil_http_get_json_finish (result, &error);
  if (job->body == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  g_task_run_in_thread (task, parse_in_thread);
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
  ParseJob *job;

  g_return_if_fail (SOUP_IS_SESSION (session));
  g_return_if_fail (url != NULL);
  g_return_if_fail (parse != NULL);

  task = g_task_new (session, cancellable, callback, user_data);
  g_task_set_source_tag (task, vigil_http_get_parsed_async);

  job = g_new0 (ParseJob, 1);
  job->url = g_strdup (url);
  job->parse = parse;
  job->free_result = free_result;
  g_task_set_task_data (task, job, (GDestroyNotify) parse_job_free);

  vigil_http_get_json_async (session, url, cancellable, get_for_parse_cb,
                             g_steal_pointer (&task));
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
  g_autofree char *authority = dup_authority (url);

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
