/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "vigil-silences-client"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "vigil-http.h"
#include "vigil-parse.h"
#include "vigil-silences-client.h"

/* Answers to a create or an expire are a few dozen bytes; anything much
 * larger is not Alertmanager and is not read to the end. */
#define MAX_ANSWER (1024 * 1024)
#define READ_CHUNK (16 * 1024)

struct _VigilSilencesClient
{
  GObject      parent_instance;

  SoupSession *session;
  char        *base_url;
  gint64       clock_skew;       /* server minus local, microseconds */
};

typedef enum {
  REQUEST_CREATE,
  REQUEST_EXPIRE,
} RequestKind;

typedef struct {
  RequestKind   kind;
  SoupMessage  *message;
  GInputStream *stream;
  GByteArray   *body;
  char         *url;
} Request;

G_DEFINE_FINAL_TYPE (VigilSilencesClient, vigil_silences_client, G_TYPE_OBJECT)

static void
request_free (Request *request)
{
  g_clear_object (&request->message);
  g_clear_object (&request->stream);
  g_clear_pointer (&request->body, g_byte_array_unref);
  g_free (request->url);
  g_free (request);
}

/* "host:port" of a URL, for sentences; never the user info. */
static char *
dup_authority (const char *url)
{
  g_autoptr(GUri) uri = g_uri_parse (url, G_URI_FLAGS_NONE, NULL);

  if (uri == NULL || g_uri_get_host (uri) == NULL)
    return g_strdup (_("the Alertmanager"));

  return vigil_http_dup_authority (url);
}

static gpointer
parse_list (GBytes  *body,
            GError **error)
{
  return vigil_silence_parse_list (body, error);
}

static GError *
error_for_transport (const GError *error,
                     const char   *url)
{
  g_autofree char *authority = dup_authority (url);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return g_error_copy (error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CONNECTION_REFUSED))
    return g_error_new (VIGIL_SOURCE_ERROR, VIGIL_SOURCE_ERROR_CONNECTION,
                        _("Connection refused by %s: is the server running?"), authority);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT))
    return g_error_new (VIGIL_SOURCE_ERROR, VIGIL_SOURCE_ERROR_TIMEOUT,
                        _("%s did not answer in time."), authority);
  if (error->domain == G_TLS_ERROR)
    return g_error_new (VIGIL_SOURCE_ERROR, VIGIL_SOURCE_ERROR_TLS,
                        _("The secure connection to %s failed: %s"), authority, error->message);

  return g_error_new (VIGIL_SOURCE_ERROR, VIGIL_SOURCE_ERROR_CONNECTION,
                      _("Could not talk to %s: %s"), authority, error->message);
}

/* Alertmanager's error bodies are a bare JSON string or an object with a
 * `message`; either is the server's own words. Without any, the status
 * line is all there is to say. */
static GError *
error_for_status (SoupMessage *message,
                  GBytes      *body,
                  const char  *url)
{
  guint status = soup_message_get_status (message);
  const char *reason = soup_message_get_reason_phrase (message);
  g_autofree char *authority = dup_authority (url);
  g_autofree char *words = vigil_parse_error_body (body);

  switch (status)
    {
    case SOUP_STATUS_UNAUTHORIZED:
      return g_error_new (VIGIL_SOURCE_ERROR, VIGIL_SOURCE_ERROR_UNAUTHORIZED,
                          _("%s asks for credentials (HTTP 401): check the user name, password or token."),
                          authority);
    case SOUP_STATUS_FORBIDDEN:
      return g_error_new (VIGIL_SOURCE_ERROR, VIGIL_SOURCE_ERROR_UNAUTHORIZED,
                          _("%s refused access (HTTP 403): the credentials are not allowed to change silences."),
                          authority);
    case SOUP_STATUS_NOT_FOUND:
      return g_error_new (VIGIL_SOURCE_ERROR, VIGIL_SOURCE_ERROR_NOT_FOUND,
                          _("%s has no such page (HTTP 404): is the URL or its path prefix right, and is it an Alertmanager?"),
                          authority);
    case SOUP_STATUS_BAD_GATEWAY:
    case SOUP_STATUS_SERVICE_UNAVAILABLE:
    case SOUP_STATUS_GATEWAY_TIMEOUT:
      return g_error_new (VIGIL_SOURCE_ERROR, VIGIL_SOURCE_ERROR_UNAVAILABLE,
                          _("%s could not take the request (HTTP %u); try again in a moment."),
                          authority, status);
    default:
      break;
    }

  if (words != NULL && (status == SOUP_STATUS_BAD_REQUEST || status == 422))
    return g_error_new (VIGIL_SOURCE_ERROR, VIGIL_SOURCE_ERROR_QUERY,
                        _("%s refused the silence (HTTP %u): %s"), authority, status, words);
  if (words != NULL)
    return g_error_new (VIGIL_SOURCE_ERROR, VIGIL_SOURCE_ERROR_HTTP,
                        _("%s answered HTTP %u: %s"), authority, status, words);

  return g_error_new (VIGIL_SOURCE_ERROR, VIGIL_SOURCE_ERROR_HTTP,
                      _("%s answered HTTP %u %s."), authority, status, reason != NULL ? reason : "");
}

/* Expiring a silence the server does not know (expired long ago and
 * garbage-collected, or never there) ends where the engineer wanted. */
static gboolean
is_already_gone (SoupMessage *message,
                 GBytes      *body)
{
  g_autofree char *words = NULL;

  if (soup_message_get_status (message) != SOUP_STATUS_INTERNAL_SERVER_ERROR)
    return FALSE;

  words = vigil_parse_error_body (body);

  return words != NULL && g_ascii_strcasecmp (g_strstrip (words), "silence not found") == 0;
}

static void
record_clock_skew (VigilSilencesClient *self,
                   SoupMessage         *message)
{
  const char *header = soup_message_headers_get_one (soup_message_get_response_headers (message), "Date");
  g_autoptr(GDateTime) server_now = NULL;
  g_autoptr(GDateTime) local_now = NULL;

  if (header == NULL)
    return;

  server_now = soup_date_time_new_from_http_string (header);
  if (server_now == NULL)
    return;

  local_now = g_date_time_new_now_utc ();
  self->clock_skew = g_date_time_difference (server_now, local_now);
}

static void
finish_request (GTask *task)
{
  Request *request = g_task_get_task_data (task);
  g_autoptr(GBytes) body = g_byte_array_free_to_bytes (g_steal_pointer (&request->body));
  guint status = soup_message_get_status (request->message);
  g_autoptr(GError) error = NULL;

  if (request->kind == REQUEST_EXPIRE)
    {
      /* Success is any 2xx, and Alertmanager's is an empty 200. */
      if (SOUP_STATUS_IS_SUCCESSFUL (status) || is_already_gone (request->message, body))
        g_task_return_boolean (task, TRUE);
      else
        g_task_return_error (task, error_for_status (request->message, body, request->url));
      return;
    }

  if (!SOUP_STATUS_IS_SUCCESSFUL (status))
    {
      g_task_return_error (task, error_for_status (request->message, body, request->url));
      return;
    }

  {
    g_autofree char *id = vigil_silence_parse_created (body, &error);

    if (id == NULL)
      g_task_return_error (task, vigil_http_error_from_parse (error, request->url));
    else
      g_task_return_pointer (task, g_steal_pointer (&id), g_free);
  }
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

  if (request->body->len + g_bytes_get_size (chunk) > MAX_ANSWER)
    {
      g_autofree char *authority = dup_authority (request->url);

      g_task_return_new_error (task, VIGIL_SOURCE_ERROR, VIGIL_SOURCE_ERROR_TOO_LARGE,
                               _("%s sent a far larger answer than Alertmanager does: is it the right kind of server?"),
                               authority);
      return;
    }

  g_byte_array_append (request->body, g_bytes_get_data (chunk, NULL), g_bytes_get_size (chunk));
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
  VigilSilencesClient *self = g_task_get_source_object (task);
  Request *request = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  request->stream = soup_session_send_finish (SOUP_SESSION (object), result, &error);
  if (request->stream == NULL)
    {
      g_task_return_error (task, error_for_transport (error, request->url));
      return;
    }

  record_clock_skew (self, request->message);

  g_input_stream_read_bytes_async (request->stream, READ_CHUNK, G_PRIORITY_DEFAULT,
                                   g_task_get_cancellable (task), read_cb,
                                   g_object_ref (task));
}

/* Starts `method` on `url` with an optional JSON body; the request becomes
 * the task's data. A URL that cannot be sent to returns the task at once. */
static void
send_request (VigilSilencesClient *self,
              GTask               *task,
              RequestKind          kind,
              const char          *method,
              const char          *url,
              GBytes              *body)
{
  g_autoptr(GUri) uri = NULL;
  Request *request;
  SoupMessageHeaders *headers;

  request = g_new0 (Request, 1);
  request->kind = kind;
  request->url = g_strdup (url);
  request->body = g_byte_array_new ();
  g_task_set_task_data (task, request, (GDestroyNotify) request_free);

  uri = g_uri_parse (url, SOUP_HTTP_URI_FLAGS, NULL);
  if (uri == NULL
      || (g_strcmp0 (g_uri_get_scheme (uri), "http") != 0
          && g_strcmp0 (g_uri_get_scheme (uri), "https") != 0))
    {
      g_task_return_new_error (task, VIGIL_SOURCE_ERROR, VIGIL_SOURCE_ERROR_BAD_REQUEST,
                               _("“%s” is not a valid URL."), self->base_url);
      return;
    }

  request->message = soup_message_new_from_uri (method, uri);
  /* An API does not redirect; a login proxy does, and following it would
   * turn the POST into a GET of its login page. */
  soup_message_add_flags (request->message, SOUP_MESSAGE_NO_REDIRECT);
  headers = soup_message_get_request_headers (request->message);
  soup_message_headers_replace (headers, "Accept", "application/json");
  if (body != NULL)
    soup_message_set_request_body_from_bytes (request->message, "application/json", body);

  soup_session_send_async (self->session, request->message, G_PRIORITY_DEFAULT,
                           g_task_get_cancellable (task), send_cb, g_object_ref (task));
}

static void
list_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  GPtrArray *silences;

  silences = vigil_http_get_parsed_finish (result, &error);
  if (silences == NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_pointer (task, silences, (GDestroyNotify) g_ptr_array_unref);
}

static void
vigil_silences_client_finalize (GObject *object)
{
  VigilSilencesClient *self = VIGIL_SILENCES_CLIENT (object);

  g_clear_object (&self->session);
  g_clear_pointer (&self->base_url, g_free);

  G_OBJECT_CLASS (vigil_silences_client_parent_class)->finalize (object);
}

static void
vigil_silences_client_class_init (VigilSilencesClientClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = vigil_silences_client_finalize;
}

static void
vigil_silences_client_init (VigilSilencesClient *self)
{
}

VigilSilencesClient *
vigil_silences_client_new (SoupSession *session,
                           const char  *base_url)
{
  VigilSilencesClient *self;
  gsize length;

  g_return_val_if_fail (SOUP_IS_SESSION (session), NULL);
  g_return_val_if_fail (base_url != NULL, NULL);

  self = g_object_new (VIGIL_TYPE_SILENCES_CLIENT, NULL);
  self->session = g_object_ref (session);
  self->base_url = g_strdup (base_url);

  /* Paths are appended, so "http://am:9093/" must not give "//api". */
  length = strlen (self->base_url);
  while (length > 0 && self->base_url[length - 1] == '/')
    self->base_url[--length] = '\0';

  return self;
}

void
vigil_silences_client_list_async (VigilSilencesClient *self,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autofree char *url = NULL;

  g_return_if_fail (VIGIL_IS_SILENCES_CLIENT (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, vigil_silences_client_list_async);

  url = g_strconcat (self->base_url, "/api/v2/silences", NULL);
  vigil_http_get_parsed_async (self->session, url, parse_list,
                               (GDestroyNotify) g_ptr_array_unref,
                               cancellable, list_cb, g_steal_pointer (&task));
}

GPtrArray *
vigil_silences_client_list_finish (VigilSilencesClient  *self,
                                   GAsyncResult         *result,
                                   GError              **error)
{
  g_return_val_if_fail (VIGIL_IS_SILENCES_CLIENT (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

void
vigil_silences_client_create_async (VigilSilencesClient *self,
                                    VigilSilence        *silence,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GDateTime) local_now = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) server_now = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autofree char *url = NULL;

  g_return_if_fail (VIGIL_IS_SILENCES_CLIENT (self));
  g_return_if_fail (VIGIL_IS_SILENCE (silence));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, vigil_silences_client_create_async);

  /* "endsAt in the future" is the server's judgement by its own clock,
   * which may be minutes off ours (alertmanager#558). */
  server_now = g_date_time_add (local_now, self->clock_skew);
  if (!vigil_silence_validate (silence, server_now, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  body = vigil_silence_to_json (silence);
  url = g_strconcat (self->base_url, "/api/v2/silences", NULL);
  send_request (self, task, REQUEST_CREATE, SOUP_METHOD_POST, url, body);
}

char *
vigil_silences_client_create_finish (VigilSilencesClient  *self,
                                     GAsyncResult         *result,
                                     GError              **error)
{
  g_return_val_if_fail (VIGIL_IS_SILENCES_CLIENT (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

void
vigil_silences_client_expire_async (VigilSilencesClient *self,
                                    const char          *id,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autofree char *escaped = NULL;
  g_autofree char *url = NULL;

  g_return_if_fail (VIGIL_IS_SILENCES_CLIENT (self));
  g_return_if_fail (id != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, vigil_silences_client_expire_async);

  if (id[0] == '\0')
    {
      g_task_return_new_error (task, VIGIL_SOURCE_ERROR, VIGIL_SOURCE_ERROR_BAD_REQUEST,
                               _("The silence to expire has no id."));
      return;
    }

  /* The path is singular: /api/v2/silences/{id} is not a route. */
  escaped = g_uri_escape_string (id, NULL, FALSE);
  url = g_strconcat (self->base_url, "/api/v2/silence/", escaped, NULL);
  send_request (self, task, REQUEST_EXPIRE, SOUP_METHOD_DELETE, url, NULL);
}

gboolean
vigil_silences_client_expire_finish (VigilSilencesClient  *self,
                                     GAsyncResult         *result,
                                     GError              **error)
{
  g_return_val_if_fail (VIGIL_IS_SILENCES_CLIENT (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

gint64
vigil_silences_client_get_clock_skew (VigilSilencesClient *self)
{
  g_return_val_if_fail (VIGIL_IS_SILENCES_CLIENT (self), 0);

  return self->clock_skew;
}
