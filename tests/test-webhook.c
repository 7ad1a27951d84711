/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include <libsoup/soup.h>

#include "vigil-parse.h"
#include "vigil-webhook-payload.h"
#include "vigil-webhook-receiver.h"

/* The webhook payload parser on a notification captured from Debian's
 * Alertmanager 0.25 (tests/fixtures/webhook-v4.json: one group, db-1 still
 * firing and db-2 resolved; webhook-v4-resolved.json: the group's last
 * notification, all resolved), and the receiver over real HTTP. */

#define TOKEN "t0ken-for-the-tests-5f2b9c"

static GBytes *
read_fixture (const char *name)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "fixtures", name, NULL);
  g_autoptr(GError) error = NULL;
  char *contents;
  gsize len;

  g_file_get_contents (path, &contents, &len, &error);
  g_assert_no_error (error);

  return g_bytes_new_take (contents, len);
}

static GBytes *
bytes_of (const char *text)
{
  return g_bytes_new (text, strlen (text));
}

static char *
deep_json (guint depth)
{
  GString *text = g_string_new ("{\"version\":\"4\",\"alerts\":[],\"x\":");

  for (guint i = 0; i < depth; i++)
    g_string_append_c (text, '[');
  for (guint i = 0; i < depth; i++)
    g_string_append_c (text, ']');
  g_string_append_c (text, '}');

  return g_string_free (text, FALSE);
}

static void
assert_time (GDateTime  *when,
             const char *expected)
{
  g_autofree char *text = NULL;

  g_assert_nonnull (when);
  text = g_date_time_format_iso8601 (when);
  g_assert_cmpstr (text, ==, expected);
}

/* -- the payload ---------------------------------------------------------- */

static void
test_payload_real (void)
{
  g_autoptr(GBytes) body = read_fixture ("webhook-v4.json");
  g_autoptr(GError) error = NULL;
  g_autoptr(VigilWebhookPayload) payload = vigil_webhook_payload_new_from_bytes (body, &error);
  VigilAlert *firing, *resolved;
  const char * const *receivers;

  g_assert_no_error (error);
  g_assert_cmpstr (vigil_webhook_payload_get_receiver (payload), ==, "demo");
  g_assert_cmpint (vigil_webhook_payload_get_status (payload), ==, VIGIL_WEBHOOK_STATUS_FIRING);
  g_assert_cmpstr (vigil_webhook_payload_get_group_key (payload), ==,
                   "{}:{alertname=\"DiskFull\", job=\"storage\"}");
  g_assert_cmpstr (vigil_webhook_payload_get_external_url (payload), ==, "http://127.0.0.1:34885");
  g_assert_cmpuint (vigil_webhook_payload_get_truncated_alerts (payload), ==, 0);

  g_assert_cmpuint (g_hash_table_size (vigil_webhook_payload_get_group_labels (payload)), ==, 2);
  g_assert_cmpstr (g_hash_table_lookup (vigil_webhook_payload_get_group_labels (payload), "job"), ==, "storage");
  /* instance and team differ between the two alerts, so they are not common. */
  g_assert_cmpuint (g_hash_table_size (vigil_webhook_payload_get_common_labels (payload)), ==, 3);
  g_assert_false (g_hash_table_contains (vigil_webhook_payload_get_common_labels (payload), "instance"));
  g_assert_cmpstr (g_hash_table_lookup (vigil_webhook_payload_get_common_annotations (payload), "summary"),
                   ==, "Disk almost full on <db> & co");

  g_assert_cmpuint (vigil_webhook_payload_get_firing (payload)->len, ==, 1);
  g_assert_cmpuint (vigil_webhook_payload_get_resolved (payload)->len, ==, 1);

  firing = g_ptr_array_index (vigil_webhook_payload_get_firing (payload), 0);
  g_assert_cmpstr (vigil_alert_get_fingerprint (firing), ==, "978cf4f44aaed2bc");
  g_assert_cmpstr (vigil_alert_get_name (firing), ==, "DiskFull");
  g_assert_cmpint (vigil_alert_get_severity (firing), ==, VIGIL_SEVERITY_CRITICAL);
  g_assert_cmpint (vigil_alert_get_state (firing), ==, VIGIL_ALERT_STATE_ACTIVE);
  g_assert_cmpstr (vigil_alert_get_label (firing, "team"), ==, "Zürich Ops ✓");
  g_assert_cmpstr (vigil_alert_get_annotation (firing, "description"), ==, "Only 3 % left.\nAct now.");
  g_assert_cmpstr (vigil_alert_get_summary (firing), ==, "Disk almost full on <db> & co");
  g_assert_cmpstr (vigil_alert_get_generator_url (firing), ==,
                   "http://prometheus.example.com/graph?g0.expr=disk");
  assert_time (vigil_alert_get_starts_at (firing), "2026-12-03T17:50:51.415000Z");
  /* Go's zero time means "not set". */
  g_assert_null (vigil_alert_get_ends_at (firing));
  receivers = vigil_alert_get_receivers (firing);
  g_assert_cmpstr (receivers[0], ==, "demo");
  g_assert_null (receivers[1]);

  resolved = g_ptr_array_index (vigil_webhook_payload_get_resolved (payload), 0);
  g_assert_cmpstr (vigil_alert_get_fingerprint (resolved), ==, "f2f859d7e8a73be4");
  g_assert_cmpstr (vigil_alert_get_label (resolved, "instance"), ==, "db-2:9100");
  assert_time (vigil_alert_get_ends_at (resolved), "2026-12-03T17:52:52.035000Z");

  /* The fingerprints are Alertmanager's own, the ones a poll reports. */
  {
    g_autofree char *computed = vigil_alert_compute_fingerprint (firing);

    g_assert_cmpstr (computed, ==, "978cf4f44aaed2bc");
  }
}

static void
test_payload_all_resolved (void)
{
  g_autoptr(GBytes) body = read_fixture ("webhook-v4-resolved.json");
  g_autoptr(GError) error = NULL;
  g_autoptr(VigilWebhookPayload) payload = vigil_webhook_payload_new_from_bytes (body, &error);

  g_assert_no_error (error);
  g_assert_cmpint (vigil_webhook_payload_get_status (payload), ==, VIGIL_WEBHOOK_STATUS_RESOLVED);
  g_assert_cmpuint (vigil_webhook_payload_get_firing (payload)->len, ==, 0);
  g_assert_cmpuint (vigil_webhook_payload_get_resolved (payload)->len, ==, 1);
  g_assert_cmpstr (vigil_alert_get_fingerprint (g_ptr_array_index (vigil_webhook_payload_get_resolved (payload), 0)),
                   ==, "978cf4f44aaed2bc");
}

static void
test_payload_lenient (void)
{
  /* No fingerprint (Alertmanager before 0.19), an unknown status word, an
   * element that is no alert, a truncated group, no receiver. */
  g_autoptr(GBytes) body =
    bytes_of ("{\"version\":\"4\",\"status\":\"firing\",\"truncatedAlerts\":7,"
              "\"alerts\":[{\"status\":\"smouldering\",\"labels\":{\"alertname\":\"X\",\"empty\":\"\"},"
              "\"endsAt\":\"0001-01-01T00:00:00Z\"},3,{\"labels\":{}}]}");
  g_autoptr(GError) error = NULL;
  g_autoptr(VigilWebhookPayload) payload = vigil_webhook_payload_new_from_bytes (body, &error);
  VigilAlert *alert;
  g_autofree char *computed = NULL;

  g_assert_no_error (error);
  g_assert_cmpstr (vigil_webhook_payload_get_receiver (payload), ==, "");
  g_assert_cmpuint (vigil_webhook_payload_get_truncated_alerts (payload), ==, 7);
  g_assert_cmpuint (vigil_webhook_payload_get_firing (payload)->len, ==, 1);
  g_assert_cmpuint (vigil_webhook_payload_get_resolved (payload)->len, ==, 0);

  alert = g_ptr_array_index (vigil_webhook_payload_get_firing (payload), 0);
  computed = vigil_alert_compute_fingerprint (alert);
  g_assert_cmpstr (vigil_alert_get_fingerprint (alert), ==, computed);
  g_assert_null (vigil_alert_get_label (alert, "empty"));
  g_assert_null (vigil_alert_get_receivers (alert)[0]);
  g_assert_null (vigil_alert_get_starts_at (alert));
}

static void
test_payload_errors (void)
{
  g_autofree char *deep = deep_json (VIGIL_JSON_MAX_DEPTH + 10);
  const struct {
    const char *body;
    int         code;
  } cases[] = {
    { "", VIGIL_PARSE_ERROR_NOT_JSON },
    { "<html><body>Login</body></html>", VIGIL_PARSE_ERROR_NOT_JSON },
    { "{\"version\":\"4\",\"alerts\":[", VIGIL_PARSE_ERROR_INVALID },
    { deep, VIGIL_PARSE_ERROR_TOO_DEEP },
    { "[]", VIGIL_PARSE_ERROR_UNEXPECTED },
    { "{}", VIGIL_PARSE_ERROR_UNEXPECTED },
    { "{\"alerts\":[]}", VIGIL_PARSE_ERROR_UNEXPECTED },
    { "{\"version\":4,\"alerts\":[]}", VIGIL_PARSE_ERROR_UNEXPECTED },
    { "{\"version\":\"5\",\"alerts\":[]}", VIGIL_PARSE_ERROR_UNEXPECTED },
    { "{\"version\":\"4\",\"alerts\":{}}", VIGIL_PARSE_ERROR_UNEXPECTED },
    { "{\"version\":\"4\",\"alerts\":[1,\"two\",{}]}", VIGIL_PARSE_ERROR_UNEXPECTED },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GBytes) body = bytes_of (cases[i].body);
      g_autoptr(GError) error = NULL;
      g_autoptr(VigilWebhookPayload) payload = vigil_webhook_payload_new_from_bytes (body, &error);

      g_test_message ("case %u", i);
      g_assert_null (payload);
      g_assert_error (error, VIGIL_PARSE_ERROR, cases[i].code);
      g_assert_cmpstr (error->message, !=, "");
    }

  /* An empty group is odd but valid: nothing to do. */
  {
    g_autoptr(GBytes) body = bytes_of ("{\"version\":\"4\",\"alerts\":[]}");
    g_autoptr(GError) error = NULL;
    g_autoptr(VigilWebhookPayload) payload = vigil_webhook_payload_new_from_bytes (body, &error);

    g_assert_no_error (error);
    g_assert_cmpuint (vigil_webhook_payload_get_firing (payload)->len, ==, 0);
  }

  /* The version check names what arrived. */
  {
    g_autoptr(GBytes) body = bytes_of ("{\"version\":\"5\",\"alerts\":[]}");
    g_autoptr(GError) error = NULL;
    g_autoptr(VigilWebhookPayload) payload = vigil_webhook_payload_new_from_bytes (body, &error);

    g_assert_nonnull (strstr (error->message, "“5”"));
  }
}

/* -- the receiver over HTTP --------------------------------------------- */

typedef struct {
  VigilWebhookReceiver *receiver;
  SoupSession          *session;
  GThread              *main_thread;
  guint                 received;
  char                 *receiver_name;
  GPtrArray            *firing;       /* fingerprints */
  GPtrArray            *resolved;
} Fixture;

typedef struct {
  guint               status;
  char               *body;
  SoupMessageHeaders *headers;
} Reply;

static void
reply_clear (Reply *reply)
{
  g_clear_pointer (&reply->body, g_free);
  g_clear_pointer (&reply->headers, soup_message_headers_unref);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Reply, reply_clear)

static void
alerts_received_cb (VigilWebhookReceiver *receiver,
                    const char           *name,
                    GPtrArray            *firing,
                    GPtrArray            *resolved,
                    Fixture              *fixture)
{
  /* Parsed in a worker, announced on the main thread. */
  g_assert_true (g_thread_self () == fixture->main_thread);

  fixture->received++;
  g_free (fixture->receiver_name);
  fixture->receiver_name = g_strdup (name);
  for (guint i = 0; i < firing->len; i++)
    g_ptr_array_add (fixture->firing, g_strdup (vigil_alert_get_fingerprint (firing->pdata[i])));
  for (guint i = 0; i < resolved->len; i++)
    g_ptr_array_add (fixture->resolved, g_strdup (vigil_alert_get_fingerprint (resolved->pdata[i])));
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GProxyResolver) no_proxy = g_simple_proxy_resolver_new (NULL, NULL);

  fixture->main_thread = g_thread_self ();
  fixture->firing = g_ptr_array_new_with_free_func (g_free);
  fixture->resolved = g_ptr_array_new_with_free_func (g_free);
  fixture->session = soup_session_new_with_options ("proxy-resolver", no_proxy, NULL);

  fixture->receiver = vigil_webhook_receiver_new ();
  vigil_webhook_receiver_set_token (fixture->receiver, TOKEN);
  g_signal_connect (fixture->receiver, "alerts-received", G_CALLBACK (alerts_received_cb), fixture);
  vigil_webhook_receiver_start (fixture->receiver, &error);
  g_assert_no_error (error);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  vigil_webhook_receiver_stop (fixture->receiver);
  g_assert_finalize_object (fixture->receiver);
  g_assert_finalize_object (fixture->session);
  g_ptr_array_unref (fixture->firing);
  g_ptr_array_unref (fixture->resolved);
  g_free (fixture->receiver_name);
}

static void
result_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

/* Sends one request to the receiver (on this same main context) and waits
 * for the answer. */
static void
send_full (Fixture      *fixture,
           const char   *method,
           const char   *path,
           const char   *authorization,
           const char   *content_type,
           GBytes       *body,
           gboolean      chunked,
           Reply        *reply)
{
  g_autoptr(GUri) base = g_uri_parse (vigil_webhook_receiver_get_url (fixture->receiver), G_URI_FLAGS_NONE, NULL);
  g_autoptr(GUri) uri = NULL;
  g_autoptr(SoupMessage) message = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GBytes) answer = NULL;
  g_autoptr(GError) error = NULL;

  uri = g_uri_build (G_URI_FLAGS_NONE, "http", NULL, g_uri_get_host (base), g_uri_get_port (base),
                     path != NULL ? path : g_uri_get_path (base), NULL, NULL);
  message = soup_message_new_from_uri (method, uri);
  if (authorization != NULL)
    soup_message_headers_replace (soup_message_get_request_headers (message), "Authorization", authorization);
  if (body != NULL && chunked)
    {
      g_autoptr(GInputStream) stream = g_memory_input_stream_new_from_bytes (body);

      soup_message_set_request_body (message, content_type, stream, -1);
    }
  else if (body != NULL)
    {
      soup_message_set_request_body_from_bytes (message, content_type, body);
    }

  soup_session_send_and_read_async (fixture->session, message, G_PRIORITY_DEFAULT, NULL,
                                    result_cb, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);

  answer = soup_session_send_and_read_finish (fixture->session, result, &error);
  g_assert_no_error (error);

  reply->status = soup_message_get_status (message);
  reply->body = g_strndup (g_bytes_get_data (answer, NULL), g_bytes_get_size (answer));
  reply->headers = soup_message_headers_ref (soup_message_get_response_headers (message));
}

static void
post (Fixture    *fixture,
      const char *authorization,
      GBytes     *body,
      Reply      *reply)
{
  send_full (fixture, "POST", NULL, authorization, "application/json", body, FALSE, reply);
}

static void
test_receiver_listens_on_loopback (Fixture       *fixture,
                                   gconstpointer  data)
{
  const char *url = vigil_webhook_receiver_get_url (fixture->receiver);
  g_autoptr(GUri) uri = g_uri_parse (url, G_URI_FLAGS_NONE, NULL);

  g_assert_true (vigil_webhook_receiver_get_listening (fixture->receiver));
  g_assert_cmpstr (vigil_webhook_receiver_get_address (fixture->receiver), ==, "127.0.0.1");
  g_assert_cmpstr (g_uri_get_host (uri), ==, "127.0.0.1");
  /* Port 0 picked a free one, and the URL says which. */
  g_assert_cmpint (g_uri_get_port (uri), >, 0);
  g_assert_cmpstr (g_uri_get_path (uri), ==, VIGIL_WEBHOOK_PATH);

  vigil_webhook_receiver_stop (fixture->receiver);
  g_assert_false (vigil_webhook_receiver_get_listening (fixture->receiver));
  g_assert_null (vigil_webhook_receiver_get_url (fixture->receiver));
}

static void
test_receiver_good_payload (Fixture       *fixture,
                            gconstpointer  data)
{
  g_autoptr(GBytes) body = read_fixture ("webhook-v4.json");
  g_auto(Reply) reply = { 0 };

  post (fixture, "Bearer " TOKEN, body, &reply);

  g_assert_cmpuint (reply.status, ==, SOUP_STATUS_OK);
  g_assert_cmpuint (fixture->received, ==, 1);
  g_assert_cmpstr (fixture->receiver_name, ==, "demo");
  g_assert_cmpuint (fixture->firing->len, ==, 1);
  g_assert_cmpstr (fixture->firing->pdata[0], ==, "978cf4f44aaed2bc");
  g_assert_cmpuint (fixture->resolved->len, ==, 1);
  g_assert_cmpstr (fixture->resolved->pdata[0], ==, "f2f859d7e8a73be4");
  g_assert_null (vigil_webhook_receiver_get_last_error (fixture->receiver));
  /* libsoup 3.2 would lose the socket of a kept-alive connection that
   * Alertmanager closes later. */
  g_assert_cmpstr (soup_message_headers_get_one (reply.headers, "Connection"), ==, "close");

  /* The scheme is case-insensitive. */
  {
    g_autoptr(GBytes) again = read_fixture ("webhook-v4-resolved.json");
    g_auto(Reply) second = { 0 };

    post (fixture, "bearer " TOKEN, again, &second);
    g_assert_cmpuint (second.status, ==, SOUP_STATUS_OK);
    g_assert_cmpuint (fixture->received, ==, 2);
    g_assert_cmpuint (fixture->resolved->len, ==, 2);
  }
}

static void
test_receiver_auth_required (Fixture       *fixture,
                             gconstpointer  data)
{
  g_autoptr(GBytes) body = read_fixture ("webhook-v4.json");
  g_auto(Reply) reply = { 0 };

  post (fixture, NULL, body, &reply);

  g_assert_cmpuint (reply.status, ==, SOUP_STATUS_UNAUTHORIZED);
  g_assert_cmpstr (soup_message_headers_get_one (reply.headers, "WWW-Authenticate"), ==, "Bearer realm=\"Vigil\"");
  /* Nothing of the request comes back. */
  g_assert_null (strstr (reply.body, "DiskFull"));
  g_assert_cmpuint (fixture->received, ==, 0);
  g_assert_nonnull (vigil_webhook_receiver_get_last_error (fixture->receiver));
}

static void
test_receiver_wrong_token (Fixture       *fixture,
                           gconstpointer  data)
{
  const char *wrong[] = {
    "Bearer wrong",
    "Bearer " TOKEN "x",                /* the token and more */
    "Bearer t0ken-for-the-tests-5f2b9",  /* the token but its last character */
    "Bearer ",
    "Basic dXNlcjpwYXNz",
    TOKEN,                              /* no scheme */
  };

  for (guint i = 0; i < G_N_ELEMENTS (wrong); i++)
    {
      g_autoptr(GBytes) body = read_fixture ("webhook-v4.json");
      g_auto(Reply) reply = { 0 };

      g_test_message ("Authorization: %s", wrong[i]);
      post (fixture, wrong[i], body, &reply);
      g_assert_cmpuint (reply.status, ==, SOUP_STATUS_UNAUTHORIZED);
      g_assert_null (strstr (reply.body, "DiskFull"));
      g_assert_null (strstr (reply.body, wrong[i]));
    }

  g_assert_cmpuint (fixture->received, ==, 0);

  /* Taking the token away refuses everything from then on. */
  {
    g_autoptr(GBytes) body = read_fixture ("webhook-v4.json");
    g_auto(Reply) reply = { 0 };

    vigil_webhook_receiver_set_token (fixture->receiver, NULL);
    post (fixture, "Bearer " TOKEN, body, &reply);
    g_assert_cmpuint (reply.status, ==, SOUP_STATUS_UNAUTHORIZED);
    g_assert_cmpuint (fixture->received, ==, 0);
  }
}

static void
test_receiver_body_cap (Fixture       *fixture,
                        gconstpointer  data)
{
  gsize cap = vigil_webhook_receiver_get_max_body_size (fixture->receiver);
  char *big = g_malloc (cap + 1);
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GBytes) at_cap = NULL;
  g_auto(Reply) reply = { 0 };
  g_auto(Reply) at_cap_reply = { 0 };
  g_auto(Reply) chunked = { 0 };

  g_assert_cmpuint (cap, ==, 1024 * 1024);

  /* A JSON string one byte over the cap. */
  memset (big, 'a', cap + 1);
  big[0] = '"';
  big[cap] = '"';
  body = g_bytes_new_take (big, cap + 1);
  post (fixture, "Bearer " TOKEN, body, &reply);
  g_assert_cmpuint (reply.status, ==, SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE);
  g_assert_cmpuint (strlen (reply.body), <, 100);
  g_assert_cmpuint (fixture->received, ==, 0);
  g_assert_nonnull (vigil_webhook_receiver_get_last_error (fixture->receiver));

  /* Exactly at the cap, it is read (and refused for not being a
   * notification). */
  at_cap = g_bytes_new_from_bytes (body, 0, cap);
  post (fixture, "Bearer " TOKEN, at_cap, &at_cap_reply);
  g_assert_cmpuint (at_cap_reply.status, ==, SOUP_STATUS_BAD_REQUEST);

  /* Without a length, the body could only be capped after reading it. */
  {
    g_autoptr(GBytes) good = read_fixture ("webhook-v4.json");

    send_full (fixture, "POST", NULL, "Bearer " TOKEN, "application/json", good, TRUE, &chunked);
    g_assert_cmpuint (chunked.status, ==, SOUP_STATUS_LENGTH_REQUIRED);
  }

  g_assert_cmpuint (fixture->received, ==, 0);
}

static void
test_receiver_smaller_cap (Fixture       *fixture,
                           gconstpointer  data)
{
  g_autoptr(GBytes) body = read_fixture ("webhook-v4.json");
  g_auto(Reply) reply = { 0 };

  vigil_webhook_receiver_set_max_body_size (fixture->receiver, 1000);
  g_assert_cmpuint (g_bytes_get_size (body), >, 1000);
  post (fixture, "Bearer " TOKEN, body, &reply);
  g_assert_cmpuint (reply.status, ==, SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE);
  g_assert_cmpuint (fixture->received, ==, 0);
}

static void
test_receiver_bad_json (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autofree char *deep = deep_json (10000);
  const struct {
    const char *content_type;
    const char *body;
    const char *reason;
  } cases[] = {
    { "application/json", "{\"version\":\"4\",\"alerts\":[", "malformed JSON" },
    { "application/json", "<html>login</html>", "body is not JSON" },
    { "application/json", deep, "JSON nested too deeply" },
    { "application/json", "{\"version\":\"3\",\"alerts\":[]}", "not an Alertmanager webhook payload (version 4)" },
    { "application/json", "[{\"labels\":{\"alertname\":\"X\"}}]", "not an Alertmanager webhook payload (version 4)" },
    { "text/plain", "{\"version\":\"4\",\"alerts\":[]}", "Content-Type must be application/json" },
    { "application/x-www-form-urlencoded", "a=b", "Content-Type must be application/json" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GBytes) body = bytes_of (cases[i].body);
      g_auto(Reply) reply = { 0 };

      g_test_message ("case %u", i);
      send_full (fixture, "POST", NULL, "Bearer " TOKEN, cases[i].content_type, body, FALSE, &reply);
      g_assert_cmpuint (reply.status, ==, SOUP_STATUS_BAD_REQUEST);
      g_assert_cmpstr (g_strchomp (reply.body), ==, cases[i].reason);
      g_assert_nonnull (vigil_webhook_receiver_get_last_error (fixture->receiver));
    }

  g_assert_cmpuint (fixture->received, ==, 0);

  /* A parameter after the media type is fine. */
  {
    g_autoptr(GBytes) body = read_fixture ("webhook-v4.json");
    g_auto(Reply) reply = { 0 };

    send_full (fixture, "POST", NULL, "Bearer " TOKEN, "application/json; charset=utf-8", body, FALSE, &reply);
    g_assert_cmpuint (reply.status, ==, SOUP_STATUS_OK);
    g_assert_cmpuint (fixture->received, ==, 1);
    /* A notification taken clears the last complaint. */
    g_assert_null (vigil_webhook_receiver_get_last_error (fixture->receiver));
  }
}

static void
test_receiver_method_and_path (Fixture       *fixture,
                               gconstpointer  data)
{
  g_autoptr(GBytes) body = read_fixture ("webhook-v4.json");
  const char *methods[] = { "GET", "PUT", "DELETE", "HEAD" };
  const char *paths[] = { "/", "/api/v2/alerts", VIGIL_WEBHOOK_PATH "/more", "/api/webhook" };

  for (guint i = 0; i < G_N_ELEMENTS (methods); i++)
    {
      g_auto(Reply) reply = { 0 };

      send_full (fixture, methods[i], NULL, "Bearer " TOKEN, NULL, NULL, FALSE, &reply);
      g_assert_cmpuint (reply.status, ==, SOUP_STATUS_METHOD_NOT_ALLOWED);
      g_assert_cmpstr (soup_message_headers_get_one (reply.headers, "Allow"), ==, "POST");
    }

  for (guint i = 0; i < G_N_ELEMENTS (paths); i++)
    {
      g_auto(Reply) reply = { 0 };

      send_full (fixture, "POST", paths[i], "Bearer " TOKEN, "application/json", body, FALSE, &reply);
      g_assert_cmpuint (reply.status, ==, SOUP_STATUS_NOT_FOUND);
    }

  g_assert_cmpuint (fixture->received, ==, 0);
}

static void
test_receiver_restart (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autoptr(GBytes) body = read_fixture ("webhook-v4.json");
  g_autoptr(GError) error = NULL;
  g_auto(Reply) reply = { 0 };

  vigil_webhook_receiver_stop (fixture->receiver);
  vigil_webhook_receiver_start (fixture->receiver, &error);
  g_assert_no_error (error);

  post (fixture, "Bearer " TOKEN, body, &reply);
  g_assert_cmpuint (reply.status, ==, SOUP_STATUS_OK);
  g_assert_cmpuint (fixture->received, ==, 1);
}

/* A notification of `n` firing alerts, each with its own fingerprint. */
static GBytes *
big_payload (guint n)
{
  GString *json = g_string_new ("{\"version\":\"4\",\"receiver\":\"big\",\"status\":\"firing\",\"alerts\":[");

  for (guint i = 0; i < n; i++)
    g_string_append_printf (json, "%s{\"status\":\"firing\",\"labels\":{\"alertname\":\"Big\",\"instance\":\"host-%u\"},"
                                  "\"annotations\":{\"summary\":\"Alert number %u of a big group\"},"
                                  "\"startsAt\":\"2026-12-03T17:50:51.415Z\",\"fingerprint\":\"%016x\"}",
                            i > 0 ? "," : "", i, i, i);
  g_string_append (json, "]}");

  return g_string_free_to_bytes (json);
}

static void
test_receiver_stop_while_parsing (Fixture       *fixture,
                                  gconstpointer  data)
{
  g_autoptr(GBytes) body = big_payload (1000);

  /* However far the request got when the receiver stops, nothing is
   * announced afterwards and nothing crashes; the client gets an answer or
   * a closed connection. */
  for (guint delay = 0; delay < 200; delay += 8)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GError) restart_error = NULL;
      g_autoptr(SoupMessage) message = soup_message_new ("POST", vigil_webhook_receiver_get_url (fixture->receiver));
      g_autoptr(GAsyncResult) result = NULL;
      g_autoptr(GBytes) answer = NULL;
      guint received_at_stop;

      soup_message_headers_replace (soup_message_get_request_headers (message), "Authorization", "Bearer " TOKEN);
      soup_message_set_request_body_from_bytes (message, "application/json", body);
      soup_session_send_and_read_async (fixture->session, message, G_PRIORITY_DEFAULT, NULL, result_cb, &result);

      for (guint i = 0; i < delay && result == NULL; i++)
        g_main_context_iteration (NULL, FALSE);

      vigil_webhook_receiver_stop (fixture->receiver);
      received_at_stop = fixture->received;

      while (result == NULL)
        g_main_context_iteration (NULL, TRUE);
      answer = soup_session_send_and_read_finish (fixture->session, result, &error);
      g_test_message ("after %u iterations: %s", delay,
                      error != NULL ? error->message : soup_message_get_reason_phrase (message));

      /* Give a parse that was still running every chance to (wrongly)
       * announce itself. */
      for (guint i = 0; i < 20; i++)
        {
          g_main_context_iteration (NULL, FALSE);
          g_usleep (1000);
        }
      g_assert_cmpuint (fixture->received, ==, received_at_stop);

      vigil_webhook_receiver_start (fixture->receiver, &restart_error);
      g_assert_no_error (restart_error);
    }
}

static void
test_receiver_start_errors (void)
{
  g_autoptr(VigilWebhookReceiver) receiver = vigil_webhook_receiver_new ();
  g_autoptr(VigilWebhookReceiver) other = vigil_webhook_receiver_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GUri) uri = NULL;
  g_autofree char *port = NULL;

  /* No token, no listening: the port is never open without one. */
  g_assert_false (vigil_webhook_receiver_start (receiver, &error));
  g_assert_error (error, VIGIL_WEBHOOK_ERROR, VIGIL_WEBHOOK_ERROR_NO_TOKEN);
  g_assert_false (vigil_webhook_receiver_get_listening (receiver));
  g_clear_error (&error);

  vigil_webhook_receiver_set_token (receiver, TOKEN);
  vigil_webhook_receiver_set_address (receiver, "localhost");
  g_assert_false (vigil_webhook_receiver_start (receiver, &error));
  g_assert_error (error, VIGIL_WEBHOOK_ERROR, VIGIL_WEBHOOK_ERROR_BAD_ADDRESS);
  g_assert_nonnull (strstr (error->message, "localhost"));
  g_clear_error (&error);

  /* NULL means the default, loopback. */
  vigil_webhook_receiver_set_address (receiver, NULL);
  g_assert_cmpstr (vigil_webhook_receiver_get_address (receiver), ==, "127.0.0.1");
  g_assert_true (vigil_webhook_receiver_start (receiver, &error));
  g_assert_no_error (error);

  /* A second receiver on the same port says so in words. */
  uri = g_uri_parse (vigil_webhook_receiver_get_url (receiver), G_URI_FLAGS_NONE, NULL);
  vigil_webhook_receiver_set_token (other, TOKEN);
  vigil_webhook_receiver_set_port (other, g_uri_get_port (uri));
  g_assert_false (vigil_webhook_receiver_start (other, &error));
  g_assert_error (error, VIGIL_WEBHOOK_ERROR, VIGIL_WEBHOOK_ERROR_LISTEN);
  port = g_strdup_printf ("%d", g_uri_get_port (uri));
  g_assert_nonnull (strstr (error->message, port));
  g_assert_nonnull (strstr (error->message, "already in use"));
}

static void
test_generate_token (void)
{
  g_autofree char *one = vigil_webhook_receiver_generate_token ();
  g_autofree char *two = vigil_webhook_receiver_generate_token ();

  g_assert_cmpuint (strlen (one), ==, 64);
  g_assert_cmpuint (strspn (one, "0123456789abcdef"), ==, 64);
  g_assert_cmpstr (one, !=, two);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/vigil/webhook/payload/real", test_payload_real);
  g_test_add_func ("/vigil/webhook/payload/all-resolved", test_payload_all_resolved);
  g_test_add_func ("/vigil/webhook/payload/lenient", test_payload_lenient);
  g_test_add_func ("/vigil/webhook/payload/errors", test_payload_errors);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("/vigil/webhook/receiver/listens-on-loopback", test_receiver_listens_on_loopback);
  ADD ("/vigil/webhook/receiver/good-payload", test_receiver_good_payload);
  ADD ("/vigil/webhook/receiver/auth-required", test_receiver_auth_required);
  ADD ("/vigil/webhook/receiver/wrong-token", test_receiver_wrong_token);
  ADD ("/vigil/webhook/receiver/body-cap", test_receiver_body_cap);
  ADD ("/vigil/webhook/receiver/smaller-cap", test_receiver_smaller_cap);
  ADD ("/vigil/webhook/receiver/bad-json", test_receiver_bad_json);
  ADD ("/vigil/webhook/receiver/method-and-path", test_receiver_method_and_path);
  ADD ("/vigil/webhook/receiver/restart", test_receiver_restart);
  ADD ("/vigil/webhook/receiver/stop-while-parsing", test_receiver_stop_while_parsing);
  g_test_add_func ("/vigil/webhook/receiver/start-errors", test_receiver_start_errors);
  g_test_add_func ("/vigil/webhook/generate-token", test_generate_token);

  return g_test_run ();
}
