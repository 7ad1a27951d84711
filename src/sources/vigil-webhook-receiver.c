/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "vigil-webhook-receiver"

#include "config.h"

#include <errno.h>
#include <string.h>
#include <sys/random.h>

#include <gio/gnetworking.h>
#include <glib/gi18n.h>
#include <libsoup/soup.h>

#include "vigil-parse.h"
#include "vigil-webhook-payload.h"
#include "vigil-webhook-receiver.h"

#define TOKEN_DIGEST_SIZE 32   /* SHA-256 */
#define GENERATED_TOKEN_BYTES 32

struct _VigilWebhookReceiver
{
  GObject         parent_instance;

  char           *address;
  guint           port;
  gsize           max_body_size;
  /* Only a digest of the token is kept: comparing digests takes the same
   * time whatever the guess, and the token is not left in memory. */
  guint8          token_digest[TOKEN_DIGEST_SIZE];
  gboolean        have_token;

  SoupServer     *server;       /* NULL when stopped */
  GSocketService *service;      /* accepts the connections the server serves */
  GCancellable   *cancellable;  /* the parses of this run of the server */
  char           *url;
  char           *last_error;
};

/* A notification waiting for its parse in a worker. The receiver is not
 * referenced: the worker thread may drop the task's last reference after
 * the answer went out, and the receiver must not be disposed there (its
 * server belongs to the main context). It stays valid while the task is
 * not cancelled, since stopping cancels. */
typedef struct {
  VigilWebhookReceiver *receiver;
  SoupServerMessage    *message;
  gulong                finished_id;
  gboolean              finished;  /* the client went away or the server stopped */
} Request;

G_DEFINE_FINAL_TYPE (VigilWebhookReceiver, vigil_webhook_receiver, G_TYPE_OBJECT)

G_DEFINE_QUARK (vigil-webhook-error-quark, vigil_webhook_error)

enum {
  PROP_0,
  PROP_ADDRESS,
  PROP_PORT,
  PROP_MAX_BODY_SIZE,
  PROP_LISTENING,
  PROP_URL,
  PROP_LAST_ERROR,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  ALERTS_RECEIVED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
digest_token (const char *token,
              guint8      digest[TOKEN_DIGEST_SIZE])
{
  g_autoptr(GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA256);
  gsize size = TOKEN_DIGEST_SIZE;

  g_checksum_update (checksum, (const guchar *) token, strlen (token));
  g_checksum_get_digest (checksum, digest, &size);
  g_assert (size == TOKEN_DIGEST_SIZE);
}

static void
set_last_error (VigilWebhookReceiver *self,
                const char           *message)
{
  if (g_strcmp0 (self->last_error, message) == 0)
    return;

  g_free (self->last_error);
  self->last_error = g_strdup (message);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LAST_ERROR]);
}

static gboolean
is_authorized (VigilWebhookReceiver *self,
               SoupMessageHeaders   *headers)
{
  const char *value = soup_message_headers_get_one (headers, "Authorization");
  guint8 digest[TOKEN_DIGEST_SIZE];
  guint8 difference = 0;

  if (!self->have_token || value == NULL)
    return FALSE;

  /* The scheme is case-insensitive (RFC 9110); Alertmanager writes
   * "Bearer". */
  if (g_ascii_strncasecmp (value, "Bearer ", strlen ("Bearer ")) != 0)
    return FALSE;

  value += strlen ("Bearer ");
  while (*value == ' ')
    value++;

  /* Every byte is compared, so the time taken does not tell how much of
   * a guess was right. */
  digest_token (value, digest);
  for (guint i = 0; i < TOKEN_DIGEST_SIZE; i++)
    difference |= digest[i] ^ self->token_digest[i];

  return difference == 0;
}

/* The server closes every connection after its answer (see start(): a
 * kept-alive one that the client closes would leak in libsoup 3.2); the
 * header tells the client so. A notification is worth one TCP
 * handshake. */
static void
close_after_answer (SoupServerMessage *message)
{
  soup_message_headers_replace (soup_server_message_get_response_headers (message),
                                "Connection", "close");
}

/* Answers with a status and a short reason, never with any of what was
 * sent; Alertmanager quotes the reason in its log. The body of a refused
 * request is read and dropped, not kept. */
static void
refuse (SoupServerMessage *message,
        guint              status,
        const char        *reason)
{
  soup_message_body_set_accumulate (soup_server_message_get_request_body (message), FALSE);
  soup_server_message_set_status (message, status, NULL);
  soup_server_message_set_response (message, "text/plain; charset=utf-8",
                                    SOUP_MEMORY_COPY, reason, strlen (reason));
  close_after_answer (message);
}

static const char *
reason_for_parse_error (const GError *error)
{
  if (error->domain == VIGIL_PARSE_ERROR)
    {
      switch ((VigilParseError) error->code)
        {
        case VIGIL_PARSE_ERROR_NOT_JSON:
          return "body is not JSON";
        case VIGIL_PARSE_ERROR_TOO_DEEP:
          return "JSON nested too deeply";
        case VIGIL_PARSE_ERROR_INVALID:
          return "malformed JSON";
        case VIGIL_PARSE_ERROR_UNEXPECTED:
        default:
          break;
        }
    }

  return "not an Alertmanager webhook payload (version 4)";
}

/* The parsers' messages speak of a server's answer; here the bytes came in
 * a request. */
static char *
sentence_for_parse_error (const GError *error)
{
  if (g_error_matches (error, VIGIL_PARSE_ERROR, VIGIL_PARSE_ERROR_NOT_JSON))
    return g_strdup (_("A webhook notification was refused because it is not JSON."));
  if (g_error_matches (error, VIGIL_PARSE_ERROR, VIGIL_PARSE_ERROR_TOO_DEEP))
    return g_strdup (_("A webhook notification was refused because its JSON is nested too deeply."));
  if (g_error_matches (error, VIGIL_PARSE_ERROR, VIGIL_PARSE_ERROR_INVALID))
    return g_strdup (_("A webhook notification was refused because its JSON is malformed."));

  /* The payload parser's own messages are sentences about the request. */
  return g_strdup_printf ("%s.", error->message);
}

static void
parse_thread (GTask        *task,
              gpointer      source_object,
              gpointer      task_data,
              GCancellable *cancellable)
{
  GError *error = NULL;
  VigilWebhookPayload *payload = vigil_webhook_payload_new_from_bytes (task_data, &error);

  if (payload == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, payload, g_object_unref);
}

static void
request_finished_cb (SoupServerMessage *message,
                     Request           *request)
{
  request->finished = TRUE;
}

static void
request_free (Request *request)
{
  g_clear_signal_handler (&request->finished_id, request->message);
  g_object_unref (request->message);
  g_free (request);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Request, request_free)

static void
parsed_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(Request) request = user_data;
  g_autoptr(VigilWebhookPayload) payload = NULL;
  g_autoptr(GError) error = NULL;
  VigilWebhookReceiver *self;

  payload = g_task_propagate_pointer (G_TASK (result), &error);

  /* Stopped (or disposed) meanwhile: the connection is gone, and nothing
   * is announced from a receiver that was turned off. */
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  self = request->receiver;

  if (!request->finished)
    {
      if (payload != NULL)
        {
          soup_server_message_set_status (request->message, SOUP_STATUS_OK, NULL);
          soup_server_message_set_response (request->message, "text/plain; charset=utf-8",
                                            SOUP_MEMORY_STATIC, "ok", 2);
          close_after_answer (request->message);
        }
      else
        refuse (request->message, SOUP_STATUS_BAD_REQUEST, reason_for_parse_error (error));
      soup_server_message_unpause (request->message);
    }

  if (payload == NULL)
    {
      g_autofree char *message = sentence_for_parse_error (error);

      /* The parser's message may quote the body; the log gets the reason. */
      g_debug ("Refused a notification: %s", reason_for_parse_error (error));
      set_last_error (self, message);
      return;
    }

  set_last_error (self, NULL);

  if (vigil_webhook_payload_get_truncated_alerts (payload) > 0)
    g_debug ("Alertmanager left out %u alerts of group %s (max_alerts); the polls bring them",
             vigil_webhook_payload_get_truncated_alerts (payload),
             vigil_webhook_payload_get_group_key (payload));

  g_signal_emit (self, signals[ALERTS_RECEIVED], 0,
                 vigil_webhook_payload_get_receiver (payload),
                 vigil_webhook_payload_get_firing (payload),
                 vigil_webhook_payload_get_resolved (payload));
}

/* Everything that can be decided from the request line and the headers is
 * decided here, before libsoup reads the body: a refused body is never
 * stored. */
static void
early_handler (SoupServer        *server,
               SoupServerMessage *message,
               const char        *path,
               GHashTable        *query,
               gpointer           user_data)
{
  VigilWebhookReceiver *self = user_data;
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (message);
  const char *content_type;
  goffset length;

  if (g_strcmp0 (path, VIGIL_WEBHOOK_PATH) != 0)
    {
      g_autofree char *sentence = g_strdup_printf (_("A request for another path was refused; the webhook address ends in %s."),
                                                   VIGIL_WEBHOOK_PATH);

      set_last_error (self, sentence);
      refuse (message, SOUP_STATUS_NOT_FOUND, "not found");
      return;
    }

  if (soup_server_message_get_method (message) != SOUP_METHOD_POST)
    {
      set_last_error (self, _("A request other than POST was refused; Alertmanager sends POST."));
      soup_message_headers_replace (soup_server_message_get_response_headers (message), "Allow", "POST");
      refuse (message, SOUP_STATUS_METHOD_NOT_ALLOWED, "only POST is accepted");
      return;
    }

  if (!is_authorized (self, headers))
    {
      set_last_error (self, _("A webhook request was refused because it did not carry the right token."));
      soup_message_headers_replace (soup_server_message_get_response_headers (message),
                                    "WWW-Authenticate", "Bearer realm=\"Vigil\"");
      refuse (message, SOUP_STATUS_UNAUTHORIZED, "missing or wrong bearer token");
      return;
    }

  /* Alertmanager always sends a length; a chunked body could only be
   * capped after reading it. */
  if (soup_message_headers_get_encoding (headers) != SOUP_ENCODING_CONTENT_LENGTH)
    {
      set_last_error (self, _("A webhook notification was refused because it did not say how long it is."));
      refuse (message, SOUP_STATUS_LENGTH_REQUIRED, "Content-Length required");
      return;
    }

  length = soup_message_headers_get_content_length (headers);
  if (length < 0 || (guint64) length > self->max_body_size)
    {
      g_autofree char *limit = g_format_size (self->max_body_size);
      g_autofree char *sentence = g_strdup_printf (_("A webhook notification was refused because it is larger than %s; lower max_alerts in Alertmanager’s webhook_config."),
                                                   limit);
      g_autofree char *reason = g_strdup_printf ("body larger than %" G_GSIZE_FORMAT " bytes",
                                                 self->max_body_size);

      set_last_error (self, sentence);
      refuse (message, SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE, reason);
      return;
    }

  content_type = soup_message_headers_get_content_type (headers, NULL);
  if (content_type == NULL || g_ascii_strcasecmp (content_type, "application/json") != 0)
    {
      set_last_error (self, _("A webhook notification was refused because it is not JSON."));
      refuse (message, SOUP_STATUS_BAD_REQUEST, "Content-Type must be application/json");
      return;
    }
}

static void
handler (SoupServer        *server,
         SoupServerMessage *message,
         const char        *path,
         GHashTable        *query,
         gpointer           user_data)
{
  VigilWebhookReceiver *self = user_data;
  g_autoptr(GTask) task = NULL;
  g_autoptr(GBytes) body = NULL;
  Request *request;

  /* The early handler refused everything else. */
  g_assert (soup_server_message_get_method (message) == SOUP_METHOD_POST);

  body = soup_message_body_flatten (soup_server_message_get_request_body (message));

  request = g_new0 (Request, 1);
  request->receiver = self;
  request->message = g_object_ref (message);
  request->finished_id = g_signal_connect (message, "finished",
                                           G_CALLBACK (request_finished_cb), request);

  /* The answer waits for the parse, so that Alertmanager hears 400 about a
   * notification Vigil could not read (and logs it) instead of 200. */
  soup_server_message_pause (message);

  task = g_task_new (NULL, self->cancellable, parsed_cb, request);
  g_task_set_source_tag (task, handler);
  g_task_set_task_data (task, g_steal_pointer (&body), (GDestroyNotify) g_bytes_unref);
  g_task_run_in_thread (task, parse_thread);
}

static gboolean
incoming_cb (GSocketService    *service,
             GSocketConnection *connection,
             GObject           *source_object,
             gpointer           user_data)
{
  VigilWebhookReceiver *self = user_data;
  g_autoptr(GSocketAddress) local = g_socket_connection_get_local_address (connection, NULL);
  g_autoptr(GSocketAddress) remote = g_socket_connection_get_remote_address (connection, NULL);
  g_autoptr(GError) error = NULL;

  /* Notifications are small and come one at a time: no delay for
   * Nagle's algorithm on the answer. */
  g_socket_set_option (g_socket_connection_get_socket (connection),
                       IPPROTO_TCP, TCP_NODELAY, TRUE, NULL);

  if (!soup_server_accept_iostream (self->server, G_IO_STREAM (connection), local, remote, &error))
    g_debug ("Could not take a connection: %s", error->message);

  return TRUE;
}

static char *
listen_error_message (const char   *address,
                      guint         port,
                      const GError *error)
{
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_ADDRESS_IN_USE))
    return g_strdup_printf (_("Port %u on %s is already in use; choose another port for the webhook."),
                            port, address);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_PERMISSION_DENIED))
    return g_strdup_printf (_("Vigil may not listen on port %u of %s; choose a port above 1023."),
                            port, address);

  return g_strdup_printf (_("Vigil cannot listen on port %u of %s: %s."), port, address, error->message);
}

static void
vigil_webhook_receiver_get_property (GObject    *object,
                                     guint       prop_id,
                                     GValue     *value,
                                     GParamSpec *pspec)
{
  VigilWebhookReceiver *self = VIGIL_WEBHOOK_RECEIVER (object);

  switch (prop_id)
    {
    case PROP_ADDRESS:
      g_value_set_string (value, self->address);
      break;

    case PROP_PORT:
      g_value_set_uint (value, self->port);
      break;

    case PROP_MAX_BODY_SIZE:
      g_value_set_uint64 (value, self->max_body_size);
      break;

    case PROP_LISTENING:
      g_value_set_boolean (value, self->server != NULL);
      break;

    case PROP_URL:
      g_value_set_string (value, self->url);
      break;

    case PROP_LAST_ERROR:
      g_value_set_string (value, self->last_error);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
vigil_webhook_receiver_set_property (GObject      *object,
                                     guint         prop_id,
                                     const GValue *value,
                                     GParamSpec   *pspec)
{
  VigilWebhookReceiver *self = VIGIL_WEBHOOK_RECEIVER (object);

  switch (prop_id)
    {
    case PROP_ADDRESS:
      vigil_webhook_receiver_set_address (self, g_value_get_string (value));
      break;

    case PROP_PORT:
      vigil_webhook_receiver_set_port (self, g_value_get_uint (value));
      break;

    case PROP_MAX_BODY_SIZE:
      vigil_webhook_receiver_set_max_body_size (self, g_value_get_uint64 (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
vigil_webhook_receiver_dispose (GObject *object)
{
  VigilWebhookReceiver *self = VIGIL_WEBHOOK_RECEIVER (object);

  vigil_webhook_receiver_stop (self);

  G_OBJECT_CLASS (vigil_webhook_receiver_parent_class)->dispose (object);
}

static void
vigil_webhook_receiver_finalize (GObject *object)
{
  VigilWebhookReceiver *self = VIGIL_WEBHOOK_RECEIVER (object);

  memset (self->token_digest, 0, sizeof self->token_digest);
  g_clear_pointer (&self->address, g_free);
  g_clear_pointer (&self->url, g_free);
  g_clear_pointer (&self->last_error, g_free);

  G_OBJECT_CLASS (vigil_webhook_receiver_parent_class)->finalize (object);
}

static void
vigil_webhook_receiver_class_init (VigilWebhookReceiverClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->get_property = vigil_webhook_receiver_get_property;
  object_class->set_property = vigil_webhook_receiver_set_property;
  object_class->dispose = vigil_webhook_receiver_dispose;
  object_class->finalize = vigil_webhook_receiver_finalize;

  properties[PROP_ADDRESS] =
    g_param_spec_string ("address", NULL, NULL,
                         VIGIL_WEBHOOK_DEFAULT_ADDRESS,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_PORT] =
    g_param_spec_uint ("port", NULL, NULL,
                       0, G_MAXUINT16, 0,
                       (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_MAX_BODY_SIZE] =
    g_param_spec_uint64 ("max-body-size", NULL, NULL,
                         1, G_MAXSIZE, VIGIL_WEBHOOK_DEFAULT_MAX_BODY_SIZE,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_LISTENING] =
    g_param_spec_boolean ("listening", NULL, NULL,
                          FALSE,
                          (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_URL] =
    g_param_spec_string ("url", NULL, NULL,
                         NULL,
                         (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_LAST_ERROR] =
    g_param_spec_string ("last-error", NULL, NULL,
                         NULL,
                         (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * VigilWebhookReceiver::alerts-received:
   * @receiver: the Alertmanager receiver the notification was for
   * @firing: (element-type VigilAlert): the alerts it says are firing
   * @resolved: (element-type VigilAlert): the alerts it says resolved
   *
   * A notification was taken. Emitted on the main context (the one the
   * receiver was started in), once per notification; the arrays belong
   * to the receiver and live as long as the emission.
   */
  signals[ALERTS_RECEIVED] =
    g_signal_new ("alerts-received", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 3,
                  G_TYPE_STRING, G_TYPE_PTR_ARRAY, G_TYPE_PTR_ARRAY);
}

static void
vigil_webhook_receiver_init (VigilWebhookReceiver *self)
{
  self->address = g_strdup (VIGIL_WEBHOOK_DEFAULT_ADDRESS);
  self->max_body_size = VIGIL_WEBHOOK_DEFAULT_MAX_BODY_SIZE;
}

VigilWebhookReceiver *
vigil_webhook_receiver_new (void)
{
  return g_object_new (VIGIL_TYPE_WEBHOOK_RECEIVER, NULL);
}

const char *
vigil_webhook_receiver_get_address (VigilWebhookReceiver *self)
{
  g_return_val_if_fail (VIGIL_IS_WEBHOOK_RECEIVER (self), NULL);

  return self->address;
}

void
vigil_webhook_receiver_set_address (VigilWebhookReceiver *self,
                                    const char           *address)
{
  g_return_if_fail (VIGIL_IS_WEBHOOK_RECEIVER (self));

  if (address == NULL || address[0] == '\0')
    address = VIGIL_WEBHOOK_DEFAULT_ADDRESS;

  if (g_strcmp0 (self->address, address) == 0)
    return;

  g_free (self->address);
  self->address = g_strdup (address);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ADDRESS]);
}

guint
vigil_webhook_receiver_get_port (VigilWebhookReceiver *self)
{
  g_return_val_if_fail (VIGIL_IS_WEBHOOK_RECEIVER (self), 0);

  return self->port;
}

void
vigil_webhook_receiver_set_port (VigilWebhookReceiver *self,
                                 guint                 port)
{
  g_return_if_fail (VIGIL_IS_WEBHOOK_RECEIVER (self));
  g_return_if_fail (port <= G_MAXUINT16);

  if (self->port == port)
    return;

  self->port = port;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PORT]);
}

gsize
vigil_webhook_receiver_get_max_body_size (VigilWebhookReceiver *self)
{
  g_return_val_if_fail (VIGIL_IS_WEBHOOK_RECEIVER (self), 0);

  return self->max_body_size;
}

void
vigil_webhook_receiver_set_max_body_size (VigilWebhookReceiver *self,
                                          gsize                 size)
{
  g_return_if_fail (VIGIL_IS_WEBHOOK_RECEIVER (self));
  g_return_if_fail (size > 0);

  if (self->max_body_size == size)
    return;

  self->max_body_size = size;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MAX_BODY_SIZE]);
}

void
vigil_webhook_receiver_set_token (VigilWebhookReceiver *self,
                                  const char           *token)
{
  g_return_if_fail (VIGIL_IS_WEBHOOK_RECEIVER (self));

  if (token == NULL || token[0] == '\0')
    {
      memset (self->token_digest, 0, sizeof self->token_digest);
      self->have_token = FALSE;
      return;
    }

  digest_token (token, self->token_digest);
  self->have_token = TRUE;
}

gboolean
vigil_webhook_receiver_start (VigilWebhookReceiver  *self,
                              GError               **error)
{
  g_autoptr(GInetAddress) address = NULL;
  g_autoptr(GSocketAddress) socket_address = NULL;
  g_autoptr(GSocketAddress) bound = NULL;
  g_autoptr(SoupServer) server = NULL;
  g_autoptr(GSocketService) service = NULL;
  g_autoptr(GError) local_error = NULL;
  int port;

  g_return_val_if_fail (VIGIL_IS_WEBHOOK_RECEIVER (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!self->have_token)
    {
      g_set_error_literal (error, VIGIL_WEBHOOK_ERROR, VIGIL_WEBHOOK_ERROR_NO_TOKEN,
                           _("The webhook needs a token first; without one, anyone who reaches the port could push alerts."));
      return FALSE;
    }

  address = g_inet_address_new_from_string (self->address);
  if (address == NULL)
    {
      g_set_error (error, VIGIL_WEBHOOK_ERROR, VIGIL_WEBHOOK_ERROR_BAD_ADDRESS,
                   _("“%s” is not an IP address to listen on, such as 127.0.0.1."),
                   self->address);
      return FALSE;
    }

  vigil_webhook_receiver_stop (self);

  socket_address = g_inet_socket_address_new (address, self->port);
  /* No version in the Server header: nothing a scanner could use. */
  server = soup_server_new ("server-header", "Vigil", NULL);
  /* Early handlers belong to a path like handlers do: the default one
   * refuses unknown paths before their bodies are read. */
  soup_server_add_early_handler (server, NULL, early_handler, self, NULL);
  soup_server_add_early_handler (server, VIGIL_WEBHOOK_PATH, early_handler, self, NULL);
  soup_server_add_handler (server, VIGIL_WEBHOOK_PATH, handler, self, NULL);

  /* The connections are accepted here and handed to the server, rather
   * than by soup_server_listen(): libsoup 3.2's own listener leaks every
   * socket it accepts (and its get_uris() an address). Without a listener
   * of its own, the server also closes each connection after its answer,
   * which avoids its leak of kept-alive connections. */
  service = g_socket_service_new ();
  if (!g_socket_listener_add_address (G_SOCKET_LISTENER (service), socket_address,
                                      G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP,
                                      NULL, &bound, &local_error))
    {
      g_autofree char *message = listen_error_message (self->address, self->port, local_error);

      g_set_error_literal (error, VIGIL_WEBHOOK_ERROR, VIGIL_WEBHOOK_ERROR_LISTEN, message);
      return FALSE;
    }

  /* The port the kernel picked for port 0. */
  port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));

  g_signal_connect (service, "incoming", G_CALLBACK (incoming_cb), self);
  g_socket_service_start (service);

  self->server = g_steal_pointer (&server);
  self->service = g_steal_pointer (&service);
  self->cancellable = g_cancellable_new ();
  g_free (self->url);
  self->url = g_uri_join (G_URI_FLAGS_NONE, "http", NULL, self->address, port,
                          VIGIL_WEBHOOK_PATH, NULL, NULL);

  g_debug ("Listening on %s", self->url);

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LISTENING]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_URL]);

  return TRUE;
}

void
vigil_webhook_receiver_stop (VigilWebhookReceiver *self)
{
  g_return_if_fail (VIGIL_IS_WEBHOOK_RECEIVER (self));

  if (self->server == NULL)
    return;

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_signal_handlers_disconnect_by_func (self->service, incoming_cb, self);
  g_socket_service_stop (self->service);
  g_socket_listener_close (G_SOCKET_LISTENER (self->service));
  g_clear_object (&self->service);
  soup_server_disconnect (self->server);
  g_clear_object (&self->server);
  g_clear_pointer (&self->url, g_free);

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LISTENING]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_URL]);
}

gboolean
vigil_webhook_receiver_get_listening (VigilWebhookReceiver *self)
{
  g_return_val_if_fail (VIGIL_IS_WEBHOOK_RECEIVER (self), FALSE);

  return self->server != NULL;
}

const char *
vigil_webhook_receiver_get_url (VigilWebhookReceiver *self)
{
  g_return_val_if_fail (VIGIL_IS_WEBHOOK_RECEIVER (self), NULL);

  return self->url;
}

const char *
vigil_webhook_receiver_get_last_error (VigilWebhookReceiver *self)
{
  g_return_val_if_fail (VIGIL_IS_WEBHOOK_RECEIVER (self), NULL);

  return self->last_error;
}

char *
vigil_webhook_receiver_generate_token (void)
{
  guint8 bytes[GENERATED_TOKEN_BYTES];
  GString *token;
  gsize filled = 0;

  while (filled < sizeof bytes)
    {
      ssize_t got = getrandom (bytes + filled, sizeof bytes - filled, 0);

      if (got < 0 && errno == EINTR)
        continue;
      if (got <= 0)
        {
          g_warning ("No random bytes for a webhook token: %s", g_strerror (errno));
          return NULL;
        }
      filled += (gsize) got;
    }

  token = g_string_sized_new (2 * sizeof bytes);
  for (gsize i = 0; i < sizeof bytes; i++)
    g_string_append_printf (token, "%02x", bytes[i]);
  memset (bytes, 0, sizeof bytes);

  return g_string_free (token, FALSE);
}
