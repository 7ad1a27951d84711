/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <json-glib/json-glib.h>
#include <string.h>
#include <sys/socket.h>

#include "vigil-alert-tracker.h"
#include "vigil-http.h"
#include "vigil-poller.h"
#include "vigil-prometheus-client.h"
#include "vigil-source.h"

/* Fault injection: a local server misbehaves in one way, then behaves
 * again, for an Alertmanager source and for a Prometheus source. Each fault
 * must give the right error code and sentence, keep the last good alerts
 * (never read as "all resolved"), and the next poll once the fault is gone
 * must succeed by itself.
 *
 * Three servers, all on 127.0.0.1 and free ports:
 *   - a SoupServer for the faults that are well-formed HTTP (status codes,
 *     wrong content type, redirect loop, deep nesting, truncated JSON);
 *   - the same over HTTPS, whose certificate the test swaps (self-signed,
 *     wrong host, expired: tests/fixtures/tls, made by
 *     build-aux/gen-test-certs.sh);
 *   - a raw GThreadedSocketService for what no HTTP server library does on
 *     purpose: refuse, stall, reset or close mid-body, stream a body over
 *     the size cap with or without a Content-Length. */

/* Short patience while a timeout fault is on, so it takes about a second;
 * generous patience otherwise, so a slow run (valgrind, sanitizers) never
 * turns a good answer into a timeout. */
#define CONNECT_MS   300
#define TOTAL_MS     1000
#define PATIENT_MS   (60 * 1000)
#define RETRIES      2
#define RETRY_MS     20

/* ---------------------------------------------------------------- raw */

typedef enum {
  RAW_GOOD,
  RAW_STALL,              /* accept, read, never answer */
  RAW_RESET_MID_BODY,     /* half the body, then a TCP reset */
  RAW_CLOSE_MID_BODY,     /* half the body, then a clean close */
  RAW_HUGE_WITH_LENGTH,   /* announces 200 MB and streams */
  RAW_HUGE_NO_LENGTH,     /* no Content-Length, streams until stopped */
  RAW_GOOD_GZIP,          /* the good answer, gzip-compressed */
} RawMode;

typedef struct {
  GSocketService *service;
  GSocket        *placeholder;    /* holds the port while not listening */
  guint16         port;
  gint            mode;           /* RawMode, atomic */
  gint            connections;    /* accepted, atomic */
  gint            active;         /* handler threads running, atomic */
  gint64          streamed;       /* body bytes of the last huge answer */
  GMutex          lock;
  GBytes         *bodies[3];      /* alerts (v2), alerts (v1), query */
  GTlsCertificate *certificate;   /* for clients that start with TLS */
} RawServer;

/* ------------------------------------------------------------ fixture */

typedef struct {
  guint       status;
  const char *content_type;
  GBytes     *body;
  const char *location;
  gboolean    www_authenticate;
  guint       first_hits;        /* 0: every request; n: the first n only */
} Fault;

typedef struct {
  GBytes       *good_v2_alerts;
  GBytes       *good_v1_alerts;
  GBytes       *good_query;

  SoupServer   *soup;
  char         *soup_url;
  SoupServer   *tls;
  char         *tls_url;
  GTlsDatabase *ca;
  GTlsCertificate *server_certificate;
  RawServer     raw;
  char         *raw_url;
  char         *raw_tls_url;      /* the same port, over TLS */

  Fault         fault;
  gboolean      faulty;
  guint         hits;
  GArray       *hit_times;       /* gint64, monotonic µs */
} Fixture;

static char *
fixture_path (const char *name)
{
  return g_test_build_filename (G_TEST_DIST, "fixtures", name, NULL);
}

static GBytes *
read_fixture (const char *name)
{
  g_autofree char *path = fixture_path (name);
  g_autoptr(GError) error = NULL;
  char *contents = NULL;
  gsize len;

  g_file_get_contents (path, &contents, &len, &error);
  g_assert_no_error (error);

  return g_bytes_new_take (contents, len);
}

/* Response `index` of a case bundle: its exact body and content type. */
static GBytes *
read_bundle_body (const char  *name,
                  guint        index,
                  const char **content_type)
{
  g_autoptr(GBytes) contents = read_fixture (name);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  JsonObject *response;
  const char *body;

  json_parser_load_from_data (parser, g_bytes_get_data (contents, NULL), g_bytes_get_size (contents), &error);
  g_assert_no_error (error);

  response = json_array_get_object_element (json_object_get_array_member (json_node_get_object (json_parser_get_root (parser)),
                                                                           "responses"),
                                            index);
  *content_type = g_intern_string (json_object_get_string_member_with_default (response, "content_type", ""));
  if (**content_type == '\0')
    *content_type = "text/plain";

  body = json_object_get_string_member (response, "body");

  return g_bytes_new (body, strlen (body));
}

static GBytes *
good_body_for_path (Fixture    *fixture,
                    const char *path)
{
  if (g_str_has_suffix (path, "/api/v2/alerts"))
    return fixture->good_v2_alerts;
  if (g_str_has_suffix (path, "/api/v1/alerts"))
    return fixture->good_v1_alerts;
  if (g_str_has_suffix (path, "/api/v1/query"))
    return fixture->good_query;

  return NULL;
}

static void
soup_handler (SoupServer        *server,
              SoupServerMessage *message,
              const char        *path,
              GHashTable        *query,
              gpointer           user_data)
{
  Fixture *fixture = user_data;
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (message);
  gint64 now = g_get_monotonic_time ();
  GBytes *body;

  fixture->hits++;
  g_array_append_val (fixture->hit_times, now);

  /* One request per connection, so a swapped certificate is seen by the
   * next poll instead of hiding behind a kept-alive connection. */
  soup_message_headers_replace (headers, "Connection", "close");

  if (fixture->faulty && (fixture->fault.first_hits == 0 || fixture->hits <= fixture->fault.first_hits))
    {
      const Fault *fault = &fixture->fault;

      soup_server_message_set_status (message, fault->status, NULL);
      if (fault->location != NULL)
        soup_message_headers_replace (headers, "Location", fault->location);
      if (fault->www_authenticate)
        soup_message_headers_replace (headers, "WWW-Authenticate", "Basic");
      soup_server_message_set_response (message, fault->content_type, SOUP_MEMORY_COPY,
                                        g_bytes_get_data (fault->body, NULL),
                                        g_bytes_get_size (fault->body));
      return;
    }

  body = good_body_for_path (fixture, path);
  if (body == NULL)
    {
      soup_server_message_set_status (message, 404, NULL);
      soup_server_message_set_response (message, "text/plain; charset=utf-8", SOUP_MEMORY_STATIC,
                                        "404 page not found\n", 19);
      return;
    }

  soup_server_message_set_status (message, 200, NULL);
  soup_server_message_set_response (message, "application/json", SOUP_MEMORY_COPY,
                                    g_bytes_get_data (body, NULL), g_bytes_get_size (body));
}

static char *
listen_soup (SoupServer            *server,
             SoupServerListenOptions options)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;
  GSList *listeners;

  soup_server_listen (server, address, options, &error);
  g_assert_no_error (error);

  /* The port from the socket itself: soup_server_get_uris() of libsoup
   * 3.2 leaks an address, which would blur valgrind's report. */
  listeners = soup_server_get_listeners (server);
  bound = g_socket_get_local_address (listeners->data, &error);
  g_assert_no_error (error);
  g_slist_free (listeners);

  return g_strdup_printf ("%s://127.0.0.1:%u",
                          options & SOUP_SERVER_LISTEN_HTTPS ? "https" : "http",
                          g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound)));
}

static GTlsCertificate *
load_certificate (const char *name)
{
  g_autofree char *file = g_strconcat ("tls/", name, NULL);
  g_autofree char *path = fixture_path (file);
  g_autoptr(GError) error = NULL;
  GTlsCertificate *certificate = g_tls_certificate_new_from_file (path, &error);

  g_assert_no_error (error);

  return certificate;
}

/* -------------------------------------------------------- raw server */

/* Reads the request head; returns the path, or NULL when the client went
 * away first. */
static char *
read_request_path (GInputStream *in)
{
  g_autoptr(GString) head = g_string_new (NULL);
  char buffer[4096];

  while (strstr (head->str, "\r\n\r\n") == NULL && head->len < 64 * 1024)
    {
      gssize n = g_input_stream_read (in, buffer, sizeof buffer, NULL, NULL);

      if (n <= 0)
        return NULL;
      g_string_append_len (head, buffer, n);
    }

  {
    g_auto(GStrv) words = g_strsplit (head->str, " ", 3);
    char *query;

    if (g_strv_length (words) < 3)
      return NULL;
    query = strchr (words[1], '?');
    if (query != NULL)
      *query = '\0';

    return g_strdup (words[1]);
  }
}

static gboolean
write_all (GOutputStream *out,
           const char    *data,
           gsize          len)
{
  return g_output_stream_write_all (out, data, len, NULL, NULL, NULL);
}

static gboolean
write_headers (GOutputStream *out,
               gint64         content_length)
{
  g_autofree char *head = NULL;

  if (content_length >= 0)
    head = g_strdup_printf ("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                            "Content-Length: %" G_GINT64_FORMAT "\r\nConnection: close\r\n\r\n",
                            content_length);
  else
    head = g_strdup ("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nConnection: close\r\n\r\n");

  return write_all (out, head, strlen (head));
}

/* Writes JSON-looking bytes until the client stops reading. */
static gint64
stream_forever (GOutputStream *out)
{
  const gsize chunk_size = 64 * 1024;
  g_autofree char *chunk = g_malloc (chunk_size);
  gint64 sent = 0;

  for (gsize i = 0; i < chunk_size; i += 2)
    {
      chunk[i] = '0';
      chunk[i + 1] = ',';
    }

  if (!write_all (out, "[", 1))
    return sent;
  sent++;

  /* A server gone wild would go on for ever; 1 GB is the test's bound. */
  while (sent < (gint64) 1024 * 1024 * 1024 && write_all (out, chunk, chunk_size))
    sent += chunk_size;

  return sent;
}

static gboolean
raw_run_cb (GThreadedSocketService *service,
            GSocketConnection      *connection,
            GObject                *source_object,
            RawServer              *raw)
{
  g_autoptr(GIOStream) stream = g_object_ref (G_IO_STREAM (connection));
  GInputStream *in = g_io_stream_get_input_stream (stream);
  GOutputStream *out = g_io_stream_get_output_stream (stream);
  RawMode mode = g_atomic_int_get (&raw->mode);
  g_autofree char *path = NULL;
  GBytes *body = NULL;
  gsize len = 0;
  const char *data = NULL;
  guint8 first = 0;
  GInputVector peek = { &first, 1 };
  int peek_flags = G_SOCKET_MSG_PEEK;

  g_atomic_int_inc (&raw->active);
  g_atomic_int_inc (&raw->connections);

  if (mode == RAW_STALL)
    {
      char buffer[4096];

      /* Read (the request, or a TLS hello) and never answer, until the
       * client gives up and closes. */
      while (g_input_stream_read (in, buffer, sizeof buffer, NULL, NULL) > 0)
        ;
      goto out;
    }

  /* A client that opens with a TLS handshake record gets TLS, so an https
   * URL on this port works once the server stops stalling. */
  if (g_socket_receive_message (g_socket_connection_get_socket (connection), NULL, &peek, 1,
                                NULL, NULL, &peek_flags, NULL, NULL) == 1
      && first == 0x16)
    {
      GIOStream *tls = g_tls_server_connection_new (G_IO_STREAM (connection), raw->certificate, NULL);

      if (tls == NULL || !g_tls_connection_handshake (G_TLS_CONNECTION (tls), NULL, NULL))
        {
          g_clear_object (&tls);
          goto out;
        }
      g_object_unref (stream);
      stream = tls;
      in = g_io_stream_get_input_stream (stream);
      out = g_io_stream_get_output_stream (stream);
    }

  path = read_request_path (in);
  if (path == NULL)
    goto out;

  if (g_str_has_suffix (path, "/api/v2/alerts"))
    body = raw->bodies[0];
  else if (g_str_has_suffix (path, "/api/v1/alerts"))
    body = raw->bodies[1];
  else
    body = raw->bodies[2];
  data = g_bytes_get_data (body, &len);

  switch (mode)
    {
    case RAW_GOOD:
      if (write_headers (out, len))
        write_all (out, data, len);
      break;

    case RAW_GOOD_GZIP:
      {
        g_autoptr(GZlibCompressor) gzip = g_zlib_compressor_new (G_ZLIB_COMPRESSOR_FORMAT_GZIP, 9);
        g_autoptr(GOutputStream) memory = g_memory_output_stream_new_resizable ();
        g_autoptr(GOutputStream) compressing = g_converter_output_stream_new (memory, G_CONVERTER (gzip));
        g_autofree char *head = NULL;
        gsize written;

        g_output_stream_write_all (compressing, data, len, &written, NULL, NULL);
        g_output_stream_close (compressing, NULL, NULL);
        head = g_strdup_printf ("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                                "Content-Encoding: gzip\r\nContent-Length: %zu\r\n"
                                "Connection: close\r\n\r\n",
                                g_memory_output_stream_get_data_size (G_MEMORY_OUTPUT_STREAM (memory)));
        if (write_all (out, head, strlen (head)))
          write_all (out, g_memory_output_stream_get_data (G_MEMORY_OUTPUT_STREAM (memory)),
                     g_memory_output_stream_get_data_size (G_MEMORY_OUTPUT_STREAM (memory)));
      }
      break;

    case RAW_RESET_MID_BODY:
    case RAW_CLOSE_MID_BODY:
      if (write_headers (out, len) && write_all (out, data, len / 2))
        {
          g_output_stream_flush (out, NULL, NULL);
          /* Let the client start on the body before the connection dies. */
          g_usleep (50 * 1000);
          if (mode == RAW_RESET_MID_BODY)
            {
              struct linger linger = { 1, 0 };

              /* Closing with a zero linger time sends a reset, not a FIN. */
              setsockopt (g_socket_get_fd (g_socket_connection_get_socket (connection)),
                          SOL_SOCKET, SO_LINGER, &linger, sizeof linger);
            }
        }
      break;

    case RAW_HUGE_WITH_LENGTH:
    case RAW_HUGE_NO_LENGTH:
      if (write_headers (out, mode == RAW_HUGE_WITH_LENGTH ? (gint64) 200 * 1000 * 1000 : -1))
        {
          gint64 sent = stream_forever (out);

          g_mutex_lock (&raw->lock);
          raw->streamed = sent;
          g_mutex_unlock (&raw->lock);
        }
      break;

    case RAW_STALL:
    default:
      g_assert_not_reached ();
    }

out:
  g_io_stream_close (stream, NULL, NULL);
  g_io_stream_close (G_IO_STREAM (connection), NULL, NULL);
  g_atomic_int_dec_and_test (&raw->active);

  return TRUE;
}

static void
raw_listen (RawServer *raw)
{
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, raw->port);
  g_autoptr(GSocketAddress) bound = NULL;
  g_autoptr(GError) error = NULL;

  /* The placeholder only kept the port from being taken meanwhile. */
  if (raw->placeholder != NULL)
    {
      g_socket_close (raw->placeholder, NULL);
      g_clear_object (&raw->placeholder);
    }

  raw->service = g_threaded_socket_service_new (16);
  g_signal_connect (raw->service, "run", G_CALLBACK (raw_run_cb), raw);
  g_socket_listener_add_address (G_SOCKET_LISTENER (raw->service), address,
                                 G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP,
                                 NULL, &bound, &error);
  g_assert_no_error (error);
  raw->port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
  g_socket_service_start (raw->service);
}

/* The port stays bound but stops listening: connections are refused. */
static void
raw_refuse (RawServer *raw)
{
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, raw->port);
  g_autoptr(GError) error = NULL;

  g_socket_service_stop (raw->service);
  g_socket_listener_close (G_SOCKET_LISTENER (raw->service));
  g_clear_object (&raw->service);

  raw->placeholder = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, &error);
  g_assert_no_error (error);
  g_socket_bind (raw->placeholder, address, TRUE, &error);
  g_assert_no_error (error);
}

static void
raw_wait_idle (RawServer *raw)
{
  gint64 give_up = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;

  while (g_atomic_int_get (&raw->active) > 0 && g_get_monotonic_time () < give_up)
    g_main_context_iteration (NULL, FALSE), g_usleep (1000);
  g_assert_cmpint (g_atomic_int_get (&raw->active), ==, 0);
}

/* -------------------------------------------------- set up, tear down */

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autofree char *ca_path = fixture_path ("tls/ca.pem");
  g_autoptr(GError) error = NULL;

  fixture->good_v2_alerts = read_fixture ("18-suppressed-inhibited-silenced.json");
  fixture->good_v1_alerts = read_fixture ("20-pending-alerts.json");
  {
    const char *type;

    fixture->good_query = read_bundle_body ("10-startup-503-plain-text.json", 1, &type);
  }
  fixture->hit_times = g_array_new (FALSE, FALSE, sizeof (gint64));

  fixture->soup = soup_server_new (NULL, NULL);
  soup_server_add_handler (fixture->soup, NULL, soup_handler, fixture, NULL);
  fixture->soup_url = listen_soup (fixture->soup, 0);

  fixture->ca = g_tls_file_database_new (ca_path, &error);
  g_assert_no_error (error);
  fixture->server_certificate = load_certificate ("server.pem");
  fixture->tls = soup_server_new ("tls-certificate", fixture->server_certificate, NULL);
  soup_server_add_handler (fixture->tls, NULL, soup_handler, fixture, NULL);
  fixture->tls_url = listen_soup (fixture->tls, SOUP_SERVER_LISTEN_HTTPS);

  g_mutex_init (&fixture->raw.lock);
  fixture->raw.bodies[0] = g_bytes_ref (fixture->good_v2_alerts);
  fixture->raw.bodies[1] = g_bytes_ref (fixture->good_v1_alerts);
  fixture->raw.bodies[2] = g_bytes_ref (fixture->good_query);
  fixture->raw.certificate = g_object_ref (fixture->server_certificate);
  fixture->raw.mode = RAW_GOOD;
  raw_listen (&fixture->raw);
  fixture->raw_url = g_strdup_printf ("http://127.0.0.1:%u", fixture->raw.port);
  fixture->raw_tls_url = g_strdup_printf ("https://127.0.0.1:%u", fixture->raw.port);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  raw_wait_idle (&fixture->raw);
  if (fixture->raw.service != NULL)
    {
      g_socket_service_stop (fixture->raw.service);
      g_socket_listener_close (G_SOCKET_LISTENER (fixture->raw.service));
      g_clear_object (&fixture->raw.service);
    }
  if (fixture->raw.placeholder != NULL)
    g_assert_finalize_object (fixture->raw.placeholder);
  for (guint i = 0; i < G_N_ELEMENTS (fixture->raw.bodies); i++)
    g_bytes_unref (fixture->raw.bodies[i]);
  g_clear_object (&fixture->raw.certificate);
  g_mutex_clear (&fixture->raw.lock);

  /* Let the cancelled accepts and closed connections finish. */
  while (g_main_context_iteration (NULL, FALSE))
    ;

  soup_server_disconnect (fixture->soup);
  g_assert_finalize_object (fixture->soup);
  soup_server_disconnect (fixture->tls);
  g_assert_finalize_object (fixture->tls);
  g_clear_object (&fixture->server_certificate);
  g_clear_object (&fixture->ca);

  g_clear_pointer (&fixture->fault.body, g_bytes_unref);
  g_array_unref (fixture->hit_times);
  g_bytes_unref (fixture->good_v2_alerts);
  g_bytes_unref (fixture->good_v1_alerts);
  g_bytes_unref (fixture->good_query);
  g_free (fixture->soup_url);
  g_free (fixture->tls_url);
  g_free (fixture->raw_url);
  g_free (fixture->raw_tls_url);
}

/* ------------------------------------------------------------ helpers */

static void
result_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

static GAsyncResult *
wait_for (GAsyncResult **slot)
{
  while (*slot == NULL)
    g_main_context_iteration (NULL, TRUE);

  return *slot;
}

static GPtrArray *
poll_source (VigilSource  *source,
             GError      **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  vigil_source_poll_async (source, g_get_real_time (), NULL, result_cb, &result);

  return vigil_source_poll_finish (source, wait_for (&result), error);
}

static VigilQueryResult *
run_query (VigilSource  *source,
           GError      **error)
{
  VigilPrometheusClient *client = vigil_source_get_prometheus_client (source);
  g_autoptr(GAsyncResult) result = NULL;

  vigil_prometheus_client_query_async (client, "up", 0, NULL, result_cb, &result);

  return vigil_prometheus_client_query_finish (client, wait_for (&result), error);
}

static gboolean
poll_all (VigilPoller *poller)
{
  g_autoptr(GAsyncResult) result = NULL;

  vigil_poller_poll_once_async (poller, NULL, result_cb, &result);

  return vigil_poller_poll_once_finish (poller, wait_for (&result), NULL);
}

static void
source_polled_cb (VigilPoller       *poller,
                  VigilSource       *source,
                  GPtrArray         *alerts,
                  VigilAlertTracker *tracker)
{
  /* What the application does: only a successful poll reaches the
   * tracker, so a failure can never resolve anything. */
  if (alerts != NULL)
    vigil_alert_tracker_update_source (tracker, vigil_source_get_name (source),
                                       vigil_source_get_kind (source) == VIGIL_SOURCE_KIND_ALERTMANAGER,
                                       alerts);
}

static VigilSource *
new_source (VigilSourceKind  kind,
            const char      *url,
            Fixture         *fixture)
{
  g_autoptr(GError) error = NULL;
  VigilSource *source = vigil_source_new (kind, "faulty", url, &error);
  SoupSession *session;

  g_assert_no_error (error);
  session = vigil_source_get_session (source);
  vigil_http_set_timeouts (session, PATIENT_MS, PATIENT_MS);
  vigil_http_set_retries (session, RETRIES, RETRY_MS);
  g_object_set (session, "tls-database", fixture->ca, NULL);

  return source;
}

static void
set_fault (Fixture    *fixture,
           guint       status,
           const char *content_type,
           GBytes     *body)
{
  g_clear_pointer (&fixture->fault.body, g_bytes_unref);
  memset (&fixture->fault, 0, sizeof fixture->fault);
  fixture->fault.status = status;
  fixture->fault.content_type = content_type;
  fixture->fault.body = body;
  fixture->faulty = TRUE;
}

static void
reset_hits (Fixture *fixture)
{
  fixture->hits = 0;
  g_array_set_size (fixture->hit_times, 0);
  g_atomic_int_set (&fixture->raw.connections, 0);
}

/* -------------------------------------------------------- fault table */

typedef enum {
  FAULT_REFUSED,
  FAULT_STALL,
  FAULT_STALL_TLS_HANDSHAKE,
  FAULT_RESET_MID_BODY,
  FAULT_CLOSE_MID_BODY,
  FAULT_TRUNCATED_JSON,
  FAULT_HUGE_WITH_LENGTH,
  FAULT_HUGE_NO_LENGTH,
  FAULT_DEEP_NESTING,
  FAULT_HTML_200,
  FAULT_REDIRECT_LOOP,
  FAULT_STATUS,
  FAULT_SELF_SIGNED,
  FAULT_WRONG_HOST,
  FAULT_EXPIRED,
} FaultKind;

typedef struct {
  const char     *name;
  FaultKind       fault;
  VigilSourceKind kind;
  /* FAULT_STATUS: the status and its body, from a case bundle or given. */
  guint           status;
  const char     *bundle;
  guint           index;
  const char     *body;
  const char     *content_type;
  /* What must come out. */
  int             code;
  const char     *words;
  guint           requests;   /* made by the failing poll; 0: not counted */
} FaultCase;

#define AM   VIGIL_SOURCE_KIND_ALERTMANAGER
#define PROM VIGIL_SOURCE_KIND_PROMETHEUS
#define E(x) VIGIL_SOURCE_ERROR_##x

/* Alertmanager 0.27 and later, on any /api/v1 path. */
static const char am_v1_gone[] =
  "{\"status\":\"deprecated\",\"error\":\"The Alertmanager v1 API was deprecated in version 0.16.0 "
  "and is removed as of version 0.27.0 - please use the equivalent route in the v2 API\"}\n";
static const char prom_unavailable[] =
  "{\"status\":\"error\",\"errorType\":\"unavailable\",\"error\":\"the TSDB is not ready\"}";
static const char prom_internal[] =
  "{\"status\":\"error\",\"errorType\":\"internal\",\"error\":\"expanding series: unexpected end of segment\"}";

static const FaultCase fault_cases[] = {
  { "refused", FAULT_REFUSED, AM, .code = E (CONNECTION), .words = "Connection refused by 127.0.0.1:" },
  { "refused", FAULT_REFUSED, PROM, .code = E (CONNECTION), .words = "Connection refused by 127.0.0.1:" },
  { "stall", FAULT_STALL, AM, .code = E (TIMEOUT), .words = "did not answer within 1 second", .requests = 1 },
  { "stall", FAULT_STALL, PROM, .code = E (TIMEOUT), .words = "did not answer within 1 second", .requests = 1 },
  { "stall-tls-handshake", FAULT_STALL_TLS_HANDSHAKE, AM, .code = E (TIMEOUT), .words = "did not set up a connection within 0.3 seconds", .requests = 1 + RETRIES },
  { "stall-tls-handshake", FAULT_STALL_TLS_HANDSHAKE, PROM, .code = E (TIMEOUT), .words = "did not set up a connection within 0.3 seconds", .requests = 1 + RETRIES },
  { "reset-mid-body", FAULT_RESET_MID_BODY, AM, .code = E (CONNECTION), .words = "closed the connection before the answer was complete", .requests = 1 + RETRIES },
  { "reset-mid-body", FAULT_RESET_MID_BODY, PROM, .code = E (CONNECTION), .words = "closed the connection before the answer was complete", .requests = 1 + RETRIES },
  { "close-mid-body", FAULT_CLOSE_MID_BODY, AM, .code = E (CONNECTION), .words = "closed the connection before the answer was complete", .requests = 1 + RETRIES },
  { "close-mid-body", FAULT_CLOSE_MID_BODY, PROM, .code = E (CONNECTION), .words = "closed the connection before the answer was complete", .requests = 1 + RETRIES },
  { "truncated-json", FAULT_TRUNCATED_JSON, AM, .code = E (INVALID), .words = "broken or truncated JSON", .requests = 1 },
  { "truncated-json", FAULT_TRUNCATED_JSON, PROM, .code = E (INVALID), .words = "broken or truncated JSON", .requests = 1 },
  { "huge-with-length", FAULT_HUGE_WITH_LENGTH, AM, .code = E (TOO_LARGE), .words = "so it was not downloaded", .requests = 1 },
  { "huge-with-length", FAULT_HUGE_WITH_LENGTH, PROM, .code = E (TOO_LARGE), .words = "so it was not downloaded", .requests = 1 },
  { "huge-no-length", FAULT_HUGE_NO_LENGTH, AM, .code = E (TOO_LARGE), .words = "Vigil stopped reading there", .requests = 1 },
  { "huge-no-length", FAULT_HUGE_NO_LENGTH, PROM, .code = E (TOO_LARGE), .words = "Vigil stopped reading there", .requests = 1 },
  { "deep-nesting", FAULT_DEEP_NESTING, AM, .code = E (INVALID), .words = "nested too deeply", .requests = 1 },
  { "deep-nesting", FAULT_DEEP_NESTING, PROM, .code = E (INVALID), .words = "nested too deeply", .requests = 1 },
  { "html-200", FAULT_HTML_200, AM, .code = E (NOT_JSON), .words = "HTML page", .requests = 1 },
  { "html-200", FAULT_HTML_200, PROM, .code = E (NOT_JSON), .words = "HTML page", .requests = 1 },
  { "redirect-loop", FAULT_REDIRECT_LOOP, AM, .code = E (HTTP), .words = "redirect loop", .requests = 1 },
  { "redirect-loop", FAULT_REDIRECT_LOOP, PROM, .code = E (HTTP), .words = "redirect loop", .requests = 1 },
  { "401", FAULT_STATUS, AM, 401, "25-auth-and-tls-failures.json", 1, .code = E (UNAUTHORIZED), .words = "asks for credentials (HTTP 401)", .requests = 1 },
  { "401", FAULT_STATUS, PROM, 401, "25-auth-and-tls-failures.json", 0, .code = E (UNAUTHORIZED), .words = "asks for credentials (HTTP 401)", .requests = 1 },
  { "403", FAULT_STATUS, AM, 403, NULL, 0, "Forbidden\n", "text/plain; charset=utf-8", E (UNAUTHORIZED), "refused access (HTTP 403)", 1 },
  { "403", FAULT_STATUS, PROM, 403, NULL, 0, "Forbidden\n", "text/plain; charset=utf-8", E (UNAUTHORIZED), "refused access (HTTP 403)", 1 },
  { "404", FAULT_STATUS, AM, 404, "11-non-json-responses.json", 2, .code = E (NOT_FOUND), .words = "right kind of server", .requests = 1 },
  { "404", FAULT_STATUS, PROM, 404, "11-non-json-responses.json", 1, .code = E (NOT_FOUND), .words = "path prefix", .requests = 1 },
  { "410", FAULT_STATUS, AM, 410, NULL, 0, am_v1_gone, "application/json", E (GONE), "says this API is gone (HTTP 410)", 1 },
  { "410", FAULT_STATUS, PROM, 410, NULL, 0, am_v1_gone, "application/json", E (GONE), "this Alertmanager only serves API v2", 1 },
  { "422", FAULT_STATUS, AM, 422, "22-silence-create-errors.json", 5, .code = E (QUERY), .words = "comment in body is required", .requests = 1 },
  { "422", FAULT_STATUS, PROM, 422, "06-execution-and-timeout-errors.json", 0, .code = E (QUERY), .words = "same labelset", .requests = 1 },
  { "500", FAULT_STATUS, AM, 500, "22-silence-create-errors.json", 8, .code = E (HTTP), .words = "answered HTTP 500: silence not found", .requests = 1 },
  { "500", FAULT_STATUS, PROM, 500, NULL, 0, prom_internal, "application/json", E (HTTP), "answered HTTP 500: expanding series", 1 },
  { "503", FAULT_STATUS, AM, 503, "10-startup-503-plain-text.json", 0, .code = E (UNAVAILABLE), .words = "may be starting up", .requests = 1 + RETRIES },
  { "503", FAULT_STATUS, PROM, 503, "10-startup-503-plain-text.json", 0, .code = E (UNAVAILABLE), .words = "may be starting up", .requests = 1 + RETRIES },
  { "503-timeout", FAULT_STATUS, PROM, 503, "06-execution-and-timeout-errors.json", 2, .code = E (UNAVAILABLE), .words = "query timed out in query queue", .requests = 1 + RETRIES },
  /* The envelope alone says "try later", as through a proxy that rewrote
   * the status. */
  { "200-unavailable-envelope", FAULT_STATUS, PROM, 200, NULL, 0, prom_unavailable, "application/json", E (UNAVAILABLE), "could not answer in time: the TSDB is not ready", 1 + RETRIES },
  { "400-bad-data", FAULT_STATUS, PROM, 400, "05-bad-data-400.json", 0, .code = E (QUERY), .words = "unclosed left parenthesis", .requests = 1 },
  /* The source may word certificate problems its own way (it knows the
   * source's settings); the words that tell the three apart must stay.
   * The HTTP layer's own sentences are checked word for word below. */
  { "self-signed", FAULT_SELF_SIGNED, AM, .code = E (TLS), .words = "authority" },
  { "self-signed", FAULT_SELF_SIGNED, PROM, .code = E (TLS), .words = "authority" },
  { "wrong-host", FAULT_WRONG_HOST, AM, .code = E (TLS), .words = "issued for" },
  { "wrong-host", FAULT_WRONG_HOST, PROM, .code = E (TLS), .words = "issued for" },
  { "expired", FAULT_EXPIRED, AM, .code = E (TLS), .words = "expired" },
  { "expired", FAULT_EXPIRED, PROM, .code = E (TLS), .words = "expired" },
};

static const char *
url_for (Fixture         *fixture,
         const FaultCase *c)
{
  switch (c->fault)
    {
    case FAULT_REFUSED:
    case FAULT_STALL:
    case FAULT_RESET_MID_BODY:
    case FAULT_CLOSE_MID_BODY:
    case FAULT_HUGE_WITH_LENGTH:
    case FAULT_HUGE_NO_LENGTH:
      return fixture->raw_url;
    case FAULT_STALL_TLS_HANDSHAKE:
      return fixture->raw_tls_url;
    case FAULT_SELF_SIGNED:
    case FAULT_WRONG_HOST:
    case FAULT_EXPIRED:
      return fixture->tls_url;
    default:
      return fixture->soup_url;
    }
}

static void
apply_fault (Fixture         *fixture,
             const FaultCase *c)
{
  const char *type = c->content_type;
  GBytes *body = NULL;

  switch (c->fault)
    {
    case FAULT_REFUSED:
      raw_refuse (&fixture->raw);
      break;
    case FAULT_STALL:
    case FAULT_STALL_TLS_HANDSHAKE:
      g_atomic_int_set (&fixture->raw.mode, RAW_STALL);
      break;
    case FAULT_RESET_MID_BODY:
      g_atomic_int_set (&fixture->raw.mode, RAW_RESET_MID_BODY);
      break;
    case FAULT_CLOSE_MID_BODY:
      g_atomic_int_set (&fixture->raw.mode, RAW_CLOSE_MID_BODY);
      break;
    case FAULT_HUGE_WITH_LENGTH:
      g_atomic_int_set (&fixture->raw.mode, RAW_HUGE_WITH_LENGTH);
      break;
    case FAULT_HUGE_NO_LENGTH:
      g_atomic_int_set (&fixture->raw.mode, RAW_HUGE_NO_LENGTH);
      break;
    case FAULT_TRUNCATED_JSON:
      {
        GBytes *good = c->kind == AM ? fixture->good_v2_alerts : fixture->good_v1_alerts;

        set_fault (fixture, 200, "application/json",
                   g_bytes_new_from_bytes (good, 0, g_bytes_get_size (good) * 2 / 3));
      }
      break;
    case FAULT_DEEP_NESTING:
      {
        gsize depth = 100000;
        char *deep = g_malloc (depth);

        memset (deep, '[', depth);
        set_fault (fixture, 200, "application/json", g_bytes_new_take (deep, depth));
      }
      break;
    case FAULT_HTML_200:
      body = read_bundle_body ("11-non-json-responses.json", 5, &type);
      set_fault (fixture, 200, type, body);
      break;
    case FAULT_REDIRECT_LOOP:
      body = read_bundle_body ("11-non-json-responses.json", 0, &type);
      set_fault (fixture, 302, type, body);
      fixture->fault.location = c->kind == AM ? "/api/v2/alerts" : "/api/v1/alerts";
      break;
    case FAULT_STATUS:
      if (c->bundle != NULL)
        body = read_bundle_body (c->bundle, c->index, &type);
      else
        body = g_bytes_new_static (c->body, strlen (c->body));
      set_fault (fixture, c->status, type, body);
      fixture->fault.www_authenticate = c->status == 401;
      break;
    case FAULT_SELF_SIGNED:
    case FAULT_WRONG_HOST:
    case FAULT_EXPIRED:
      {
        const char *name = c->fault == FAULT_SELF_SIGNED ? "self-signed.pem"
                           : c->fault == FAULT_WRONG_HOST ? "wrong-host.pem" : "expired.pem";
        g_autoptr(GTlsCertificate) certificate = load_certificate (name);

        soup_server_set_tls_certificate (fixture->tls, certificate);
      }
      break;
    default:
      g_assert_not_reached ();
    }
}

static void
remove_fault (Fixture         *fixture,
              const FaultCase *c)
{
  if (c->fault == FAULT_REFUSED)
    raw_listen (&fixture->raw);
  g_atomic_int_set (&fixture->raw.mode, RAW_GOOD);
  fixture->faulty = FALSE;
  soup_server_set_tls_certificate (fixture->tls, fixture->server_certificate);
}

static guint
requests_made (Fixture         *fixture,
               const FaultCase *c)
{
  const char *url = url_for (fixture, c);

  if (url == fixture->soup_url || url == fixture->tls_url)
    return fixture->hits;

  /* The raw server counts connections, one per request. */

  return g_atomic_int_get (&fixture->raw.connections);
}

static void
test_fault (Fixture       *fixture,
            gconstpointer  data)
{
  const FaultCase *c = data;
  const char *url = url_for (fixture, c);
  g_autoptr(VigilSource) source = new_source (c->kind, url, fixture);
  g_autoptr(VigilPoller) poller = vigil_poller_new ();
  g_autoptr(VigilClock) clock = vigil_clock_new_system ();
  g_autoptr(VigilAlertTracker) tracker = vigil_alert_tracker_new (clock);
  GListModel *listed = vigil_alert_tracker_get_alerts (tracker);
  g_autoptr(GPtrArray) alerts = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *sentence = NULL;
  guint n_good;
  guint n_listed;

  vigil_poller_add_source (poller, source);
  g_signal_connect (poller, "source-polled", G_CALLBACK (source_polled_cb), tracker);

  /* 1. A good poll first, so there are last good alerts to keep. */
  g_assert_true (poll_all (poller));
  g_assert_cmpint (vigil_source_get_health (source), ==, VIGIL_SOURCE_HEALTH_OK);
  n_good = vigil_source_get_alerts (source)->len;
  n_listed = g_list_model_get_n_items (listed);
  g_assert_cmpuint (n_good, ==, c->kind == AM ? 4 : 3);
  g_assert_cmpuint (n_listed, >, 0);

  /* 2. The fault: the exact code and a sentence with the right words. */
  apply_fault (fixture, c);
  reset_hits (fixture);
  /* The connect timeout is retried: its deadline leaves room for all the
   * attempts, even in a slow run, so it is the connect timeout that speaks. */
  if (c->fault == FAULT_STALL_TLS_HANDSHAKE)
    vigil_http_set_timeouts (vigil_source_get_session (source), CONNECT_MS, 10 * 1000);
  else if (c->code == VIGIL_SOURCE_ERROR_TIMEOUT)
    vigil_http_set_timeouts (vigil_source_get_session (source), CONNECT_MS, TOTAL_MS);

  alerts = poll_source (source, &error);
  g_assert_null (alerts);
  g_assert_error (error, VIGIL_SOURCE_ERROR, c->code);
  g_test_message ("%s: %s", c->name, error->message);
  if (strstr (error->message, c->words) == NULL)
    g_error ("“%s” does not say “%s”", error->message, c->words);
  /* Sentences name the server and never dump a body. */
  g_assert_nonnull (strstr (error->message, "127.0.0.1:"));
  g_assert_null (strstr (error->message, "<html"));
  g_assert_null (strstr (error->message, "[[[["));
  if (c->requests > 0)
    g_assert_cmpuint (requests_made (fixture, c), ==, c->requests);

  g_assert_cmpint (vigil_source_get_health (source), ==, VIGIL_SOURCE_HEALTH_ERROR);
  g_assert_cmpstr (vigil_source_get_error_message (source), ==, error->message);
  /* The last good alerts stay, and the sentence says how old they are. */
  g_assert_cmpuint (vigil_source_get_alerts (source)->len, ==, n_good);
  sentence = vigil_poller_describe_source (poller, source, g_get_real_time ());
  g_assert_true (g_str_has_prefix (sentence, error->message));
  if (n_good > 0)
    g_assert_nonnull (strstr (sentence, "Showing data from less than a minute ago."));

  /* Through the poller, as the application sees it: a failed round, and
   * nothing resolved. */
  g_assert_false (poll_all (poller));
  g_assert_cmpuint (g_list_model_get_n_items (listed), ==, n_listed);
  g_assert_cmpuint (vigil_source_get_alerts (source)->len, ==, n_good);

  /* The query client of a Prometheus source fails the same way. */
  if (c->kind == PROM)
    {
      g_autoptr(GError) query_error = NULL;
      g_autoptr(VigilQueryResult) result = run_query (source, &query_error);

      g_assert_null (result);
      g_assert_error (query_error, VIGIL_SOURCE_ERROR, c->code);
    }

  if (c->fault == FAULT_HUGE_NO_LENGTH || c->fault == FAULT_HUGE_WITH_LENGTH)
    {
      gint64 streamed;

      /* Cut off early: the server could have gone on to 1 GB. */
      raw_wait_idle (&fixture->raw);
      streamed = fixture->raw.streamed;
      g_test_message ("the server got %" G_GINT64_FORMAT " bytes out before the client hung up", streamed);
      g_assert_cmpint (streamed, <, (gint64) 4 * VIGIL_HTTP_MAX_BODY);
      if (c->fault == FAULT_HUGE_WITH_LENGTH)
        g_assert_cmpint (streamed, <, VIGIL_HTTP_MAX_BODY);
    }

  /* 3. The fault ends: the next poll recovers by itself. */
  g_clear_error (&error);
  remove_fault (fixture, c);
  vigil_http_set_timeouts (vigil_source_get_session (source), PATIENT_MS, PATIENT_MS);

  g_assert_true (poll_all (poller));
  g_assert_cmpint (vigil_source_get_health (source), ==, VIGIL_SOURCE_HEALTH_OK);
  g_assert_null (vigil_source_get_error_message (source));
  g_assert_cmpuint (vigil_source_get_alerts (source)->len, ==, n_good);
  g_assert_cmpuint (g_list_model_get_n_items (listed), ==, n_listed);
  g_clear_pointer (&sentence, g_free);
  sentence = vigil_poller_describe_source (poller, source, g_get_real_time ());
  g_assert_cmpstr (sentence, ==, "Up to date.");

  if (c->kind == PROM)
    {
      g_autoptr(GError) query_error = NULL;
      g_autoptr(VigilQueryResult) result = run_query (source, &query_error);

      g_assert_no_error (query_error);
      g_assert_nonnull (result);
    }
}

/* ---------------------------------------------------- retries, piling */

static void
test_retry_then_answer (Fixture       *fixture,
                        gconstpointer  data)
{
  VigilSourceKind kind = GPOINTER_TO_INT (data);
  g_autoptr(VigilSource) source = new_source (kind, fixture->soup_url, fixture);
  g_autoptr(VigilPoller) poller = vigil_poller_new ();
  const char *type;
  const guint first_delay_ms = 100;
  gint64 gap1, gap2;

  vigil_http_set_retries (vigil_source_get_session (source), RETRIES, first_delay_ms);
  vigil_poller_add_source (poller, source);

  /* Prometheus while it replays its WAL: 503 twice, then the answer. */
  set_fault (fixture, 503, NULL, read_bundle_body ("10-startup-503-plain-text.json", 0, &type));
  fixture->fault.content_type = type;
  fixture->fault.first_hits = 2;
  reset_hits (fixture);

  g_assert_true (poll_all (poller));
  g_assert_cmpuint (fixture->hits, ==, 3);
  g_assert_cmpint (vigil_source_get_health (source), ==, VIGIL_SOURCE_HEALTH_OK);
  g_assert_cmpuint (vigil_source_get_alerts (source)->len, ==, kind == AM ? 4 : 3);

  /* Equal jitter: the first delay is between 1/2 and 1 times the first
   * delay, the second between 1 and 2 times. Measured gaps can only be
   * longer than the delays, so these lower bounds cannot flake. */
  gap1 = g_array_index (fixture->hit_times, gint64, 1) - g_array_index (fixture->hit_times, gint64, 0);
  gap2 = g_array_index (fixture->hit_times, gint64, 2) - g_array_index (fixture->hit_times, gint64, 1);
  g_test_message ("gaps between attempts: %.0f ms, %.0f ms", gap1 / 1000.0, gap2 / 1000.0);
  g_assert_cmpint (gap1, >=, first_delay_ms / 2 * 1000);
  g_assert_cmpint (gap2, >=, first_delay_ms * 1000);
}

static void
test_bad_data_not_retried (Fixture       *fixture,
                           gconstpointer  data)
{
  g_autoptr(VigilSource) source = new_source (PROM, fixture->soup_url, fixture);
  g_autoptr(VigilQueryResult) result = NULL;
  g_autoptr(GPtrArray) alerts = NULL;
  g_autoptr(GError) error = NULL;
  const char *type;

  set_fault (fixture, 400, NULL, read_bundle_body ("05-bad-data-400.json", 0, &type));
  fixture->fault.content_type = type;

  reset_hits (fixture);
  result = run_query (source, &error);
  g_assert_error (error, VIGIL_SOURCE_ERROR, VIGIL_SOURCE_ERROR_QUERY);
  g_assert_cmpuint (fixture->hits, ==, 1);
  g_clear_error (&error);

  reset_hits (fixture);
  alerts = poll_source (source, &error);
  g_assert_error (error, VIGIL_SOURCE_ERROR, VIGIL_SOURCE_ERROR_QUERY);
  g_assert_cmpuint (fixture->hits, ==, 1);
}

static void
test_retries_end_at_deadline (Fixture       *fixture,
                              gconstpointer  data)
{
  g_autoptr(VigilSource) source = new_source (AM, fixture->soup_url, fixture);
  g_autoptr(GPtrArray) alerts = NULL;
  g_autoptr(GError) error = NULL;
  const char *type;

  /* Delays longer than the deadline: the 503 is reported at once rather
   * than after a wait that could not end in time. */
  vigil_http_set_timeouts (vigil_source_get_session (source), CONNECT_MS, 5 * 1000);
  vigil_http_set_retries (vigil_source_get_session (source), 5, 60 * 1000);
  set_fault (fixture, 503, NULL, read_bundle_body ("10-startup-503-plain-text.json", 0, &type));
  fixture->fault.content_type = type;
  reset_hits (fixture);

  alerts = poll_source (source, &error);
  g_assert_error (error, VIGIL_SOURCE_ERROR, VIGIL_SOURCE_ERROR_UNAVAILABLE);
  g_assert_cmpuint (fixture->hits, ==, 1);
}

static void
test_cancel_during_backoff (Fixture       *fixture,
                            gconstpointer  data)
{
  g_autoptr(VigilSource) source = new_source (AM, fixture->soup_url, fixture);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GPtrArray) alerts = NULL;
  g_autoptr(GError) error = NULL;
  const char *type;

  /* A long pause before the retry; the caller gives up during it. */
  vigil_http_set_retries (vigil_source_get_session (source), RETRIES, 20 * 1000);
  set_fault (fixture, 503, NULL, read_bundle_body ("10-startup-503-plain-text.json", 0, &type));
  fixture->fault.content_type = type;
  reset_hits (fixture);

  vigil_source_poll_async (source, g_get_real_time (), cancellable, result_cb, &result);
  while (fixture->hits == 0)
    g_main_context_iteration (NULL, TRUE);
  g_cancellable_cancel (cancellable);

  alerts = vigil_source_poll_finish (source, wait_for (&result), &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  /* No second request went out, and a cancel is not a server failure. */
  g_assert_cmpuint (fixture->hits, ==, 1);
  g_assert_cmpint (vigil_source_get_health (source), ==, VIGIL_SOURCE_HEALTH_UNKNOWN);
}

static void
count_rounds_cb (VigilPoller *poller,
                 guint       *rounds)
{
  (*rounds)++;
}

static void
test_poller_never_piles (Fixture       *fixture,
                         gconstpointer  data)
{
  g_autoptr(VigilSource) source = new_source (AM, fixture->raw_url, fixture);
  g_autoptr(VigilPoller) poller = vigil_poller_new ();
  g_autoptr(GAsyncResult) first = NULL;
  g_autoptr(GAsyncResult) second = NULL;
  g_autoptr(GAsyncResult) third = NULL;
  g_autoptr(GError) error = NULL;
  guint rounds = 0;

  vigil_http_set_timeouts (vigil_source_get_session (source), CONNECT_MS, TOTAL_MS);
  vigil_http_set_retries (vigil_source_get_session (source), 0, 0);
  vigil_poller_add_source (poller, source);
  g_signal_connect (poller, "poll-finished", G_CALLBACK (count_rounds_cb), &rounds);

  /* A stalled server, and three asks for a poll while the first waits. */
  g_atomic_int_set (&fixture->raw.mode, RAW_STALL);
  reset_hits (fixture);
  vigil_poller_poll_once_async (poller, NULL, result_cb, &first);
  vigil_poller_poll_once_async (poller, NULL, result_cb, &second);
  vigil_poller_poll_once_async (poller, NULL, result_cb, &third);

  g_assert_false (vigil_poller_poll_once_finish (poller, wait_for (&first), &error));
  g_assert_no_error (error);
  g_assert_false (vigil_poller_poll_once_finish (poller, wait_for (&second), &error));
  g_assert_no_error (error);
  g_assert_false (vigil_poller_poll_once_finish (poller, wait_for (&third), &error));
  g_assert_no_error (error);

  g_assert_cmpint (g_atomic_int_get (&fixture->raw.connections), ==, 1);
  g_assert_cmpuint (rounds, ==, 1);
}

static void
test_waiter_cancelled (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autoptr(VigilSource) source = new_source (AM, fixture->raw_url, fixture);
  g_autoptr(VigilPoller) poller = vigil_poller_new ();
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GAsyncResult) first = NULL;
  g_autoptr(GAsyncResult) joined = NULL;
  g_autoptr(GError) error = NULL;

  vigil_http_set_timeouts (vigil_source_get_session (source), CONNECT_MS, TOTAL_MS);
  vigil_http_set_retries (vigil_source_get_session (source), 0, 0);
  vigil_poller_add_source (poller, source);
  g_atomic_int_set (&fixture->raw.mode, RAW_STALL);

  vigil_poller_poll_once_async (poller, NULL, result_cb, &first);
  vigil_poller_poll_once_async (poller, cancellable, result_cb, &joined);
  g_cancellable_cancel (cancellable);

  /* The one who cancelled hears at once; the round goes on. */
  vigil_poller_poll_once_finish (poller, wait_for (&joined), &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_null (first);
  g_clear_error (&error);

  g_assert_false (vigil_poller_poll_once_finish (poller, wait_for (&first), &error));
  g_assert_no_error (error);
  g_assert_cmpint (vigil_source_get_health (source), ==, VIGIL_SOURCE_HEALTH_ERROR);
}

static void
test_stop_during_round (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autoptr(VigilSource) source = new_source (AM, fixture->raw_url, fixture);
  g_autoptr(VigilPoller) poller = vigil_poller_new ();
  g_autoptr(GAsyncResult) stopped = NULL;
  g_autoptr(GError) error = NULL;

  vigil_poller_add_source (poller, source);
  g_assert_true (poll_all (poller));

  g_atomic_int_set (&fixture->raw.mode, RAW_STALL);
  vigil_poller_poll_once_async (poller, NULL, result_cb, &stopped);
  vigil_poller_stop (poller);
  vigil_poller_poll_once_finish (poller, wait_for (&stopped), &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);

  /* A cancelled poll says nothing about the server. */
  g_assert_cmpint (vigil_source_get_health (source), ==, VIGIL_SOURCE_HEALTH_OK);

  /* A poll after stop is a new request, and works. */
  g_atomic_int_set (&fixture->raw.mode, RAW_GOOD);
  g_assert_true (poll_all (poller));
}

static GBytes *
get_json (SoupSession  *session,
          const char   *url,
          GError      **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  vigil_http_get_json_async (session, url, NULL, result_cb, &result);

  return vigil_http_get_json_finish (wait_for (&result), error);
}

/* The HTTP layer's own sentences for the three certificate problems, word
 * for word: which authority, which names, which date. */
static void
test_tls_sentences (Fixture       *fixture,
                    gconstpointer  data)
{
  static const struct {
    const char *certificate;
    const char *words;
    const char *not_words;
  } cases[] = {
    { "self-signed.pem", "is not signed by an authority this computer trusts (it may be self-signed)", "issued for" },
    { "wrong-host.pem", "was issued for “wrong-host.invalid”, not for “127.0.0.1”", "authority" },
    { "expired.pem", "expired on 2001-01-01: the server needs a new one", "authority" },
  };
  g_autoptr(SoupSession) session = vigil_http_session_new ();
  g_autofree char *url = g_strconcat (fixture->tls_url, "/api/v2/alerts", NULL);
  g_autoptr(GBytes) good = NULL;
  g_autoptr(GError) error = NULL;

  vigil_http_set_timeouts (session, PATIENT_MS, PATIENT_MS);
  soup_session_set_tls_database (session, fixture->ca);

  good = get_json (session, url, &error);
  g_assert_no_error (error);
  g_assert_nonnull (good);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GTlsCertificate) certificate = load_certificate (cases[i].certificate);
      g_autoptr(GBytes) body = NULL;
      g_autofree char *expected = NULL;

      soup_server_set_tls_certificate (fixture->tls, certificate);
      reset_hits (fixture);
      body = get_json (session, url, &error);
      g_assert_null (body);
      g_assert_error (error, VIGIL_SOURCE_ERROR, VIGIL_SOURCE_ERROR_TLS);
      g_test_message ("%s: %s", cases[i].certificate, error->message);
      expected = g_strdup_printf ("The certificate of 127.0.0.1:%s %s",
                                  strrchr (fixture->tls_url, ':') + 1, cases[i].words);
      g_assert_nonnull (strstr (error->message, expected));
      g_assert_null (strstr (error->message, cases[i].not_words));
      /* A certificate does not mend itself in half a second: no retry. */
      g_assert_cmpuint (fixture->hits, ==, 0);
      g_clear_error (&error);
    }

  soup_server_set_tls_certificate (fixture->tls, fixture->server_certificate);
  g_clear_pointer (&good, g_bytes_unref);
  good = get_json (session, url, &error);
  g_assert_no_error (error);
}

/* A small answer grows when compressed: its Content-Length (on the wire)
 * is then larger than the body, which must not read as cut short. */
static void
test_small_gzip_answer (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autoptr(VigilSource) source = new_source (PROM, fixture->raw_url, fixture);
  g_autoptr(VigilQueryResult) result = NULL;
  g_autoptr(GPtrArray) alerts = NULL;
  g_autoptr(GError) error = NULL;

  g_atomic_int_set (&fixture->raw.mode, RAW_GOOD_GZIP);
  result = run_query (source, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (vigil_query_result_get_series (result)->len, ==, 0);

  alerts = poll_source (source, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (alerts->len, ==, 3);
}

static void
test_stale_sentence (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(VigilSource) source = new_source (AM, fixture->soup_url, fixture);
  g_autoptr(VigilPoller) poller = vigil_poller_new ();
  g_autofree char *fresh = NULL;
  g_autofree char *stale = NULL;
  g_autofree char *failing = NULL;
  g_autofree char *unknown = NULL;
  gint64 last;
  const char *type;

  vigil_poller_set_interval (poller, 15);
  vigil_poller_add_source (poller, source);
  unknown = vigil_poller_describe_source (poller, source, g_get_real_time ());
  g_assert_cmpstr (unknown, ==, "Not polled yet.");

  g_assert_true (poll_all (poller));
  last = vigil_source_get_last_success (source);
  fresh = vigil_poller_describe_source (poller, source, last + 30 * G_USEC_PER_SEC);
  g_assert_cmpstr (fresh, ==, "Up to date.");

  /* Three intervals without news: stale, with the age of what is shown. */
  stale = vigil_poller_describe_source (poller, source, last + (gint64) 12 * 60 * G_USEC_PER_SEC);
  g_assert_cmpstr (stale, ==, "No fresh data: showing data from 12 min ago.");
  vigil_source_check_stale (source, last + (gint64) 12 * 60 * G_USEC_PER_SEC, 45 * G_USEC_PER_SEC);
  g_assert_cmpint (vigil_source_get_health (source), ==, VIGIL_SOURCE_HEALTH_STALE);

  set_fault (fixture, 503, NULL, read_bundle_body ("10-startup-503-plain-text.json", 0, &type));
  fixture->fault.content_type = type;
  g_assert_false (poll_all (poller));
  failing = vigil_poller_describe_source (poller, source, last + (gint64) (3 * 60 + 5) * 60 * G_USEC_PER_SEC);
  g_assert_true (g_str_has_suffix (failing, "retrying. Showing data from 3 h 5 min ago."));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (fault_cases); i++)
    {
      const FaultCase *c = &fault_cases[i];
      g_autofree char *path = g_strdup_printf ("/vigil/faults/%s/%s",
                                               c->kind == AM ? "alertmanager" : "prometheus",
                                               c->name);

      g_test_add (path, Fixture, c, fixture_set_up, test_fault, fixture_tear_down);
    }

#define ADD(path, data, func) \
  g_test_add (path, Fixture, data, fixture_set_up, func, fixture_tear_down)

  ADD ("/vigil/faults/alertmanager/retry-503-then-answer", GINT_TO_POINTER (AM), test_retry_then_answer);
  ADD ("/vigil/faults/prometheus/retry-503-then-answer", GINT_TO_POINTER (PROM), test_retry_then_answer);
  ADD ("/vigil/faults/prometheus/bad-data-not-retried", NULL, test_bad_data_not_retried);
  ADD ("/vigil/faults/retries-end-at-deadline", NULL, test_retries_end_at_deadline);
  ADD ("/vigil/faults/cancel-during-backoff", NULL, test_cancel_during_backoff);
  ADD ("/vigil/faults/poller-never-piles", NULL, test_poller_never_piles);
  ADD ("/vigil/faults/poller-waiter-cancelled", NULL, test_waiter_cancelled);
  ADD ("/vigil/faults/poller-stop-during-round", NULL, test_stop_during_round);
  ADD ("/vigil/faults/stale-sentence", NULL, test_stale_sentence);
  ADD ("/vigil/faults/tls-sentences", NULL, test_tls_sentences);
  ADD ("/vigil/faults/small-gzip-answer", NULL, test_small_gzip_answer);

  return g_test_run ();
}
