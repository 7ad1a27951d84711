/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "vigil-source"

#include "config.h"

#include <glib/gi18n.h>

#include "vigil-alertmanager-client.h"
#include "vigil-http.h"
#include "vigil-prometheus-client.h"
#include "vigil-server-info.h"
#include "vigil-source.h"

/* One server of the source: the only one, or a member of a cluster. */
typedef struct {
  char                    *url;
  char                    *authority;     /* "host:port", for sentences */
  VigilAlertmanagerClient *alertmanager;
} Member;

struct _VigilSource
{
  GObject                  parent_instance;

  VigilSourceConfig       *config;
  char                    *url;
  GStrv                    urls;
  SoupSession             *session;
  GPtrArray               *members;       /* Member */
  VigilPrometheusClient   *prometheus;

  /* Request decoration, set once from the configuration. The credential
   * header is built here so the secret itself is not kept around. */
  char                    *authorization;
  GTlsCertificate         *client_certificate;
  /* A CA or certificate file that could not be read: every poll fails
   * with this sentence until the configuration changes. */
  char                    *setup_error;
  /* What TLS said about each server ("host:port"), to turn libsoup's
   * "Unacceptable TLS certificate" into the reason. */
  GHashTable              *rejected_certificates;  /* authority -> flags */
  GHashTable              *certificate_requested;  /* authority set */

  VigilSourceHealth        health;
  char                    *error_message;
  char                    *warning;
  gint64                   last_success;
  GPtrArray               *alerts;
};

G_DEFINE_FINAL_TYPE (VigilSource, vigil_source, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_HEALTH,
  PROP_ERROR_MESSAGE,
  PROP_WARNING,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* The answers of one round of requests to every member. */
typedef struct {
  gint64     now_us;
  guint      pending;
  GPtrArray *answers;   /* per member: the result, or NULL */
  GPtrArray *errors;    /* per member: GError, or NULL */
} Round;

/* GPtrArray calls free functions on NULL slots too. */
static void
free_error0 (gpointer error)
{
  if (error != NULL)
    g_error_free (error);
}

static void
unref_array0 (gpointer array)
{
  if (array != NULL)
    g_ptr_array_unref (array);
}

static void
round_free (Round *round)
{
  g_clear_pointer (&round->answers, g_ptr_array_unref);
  g_clear_pointer (&round->errors, g_ptr_array_unref);
  g_free (round);
}

static Round *
round_new (guint          n_members,
           gint64         now_us,
           GDestroyNotify free_answer)
{
  Round *round = g_new0 (Round, 1);

  round->now_us = now_us;
  round->pending = n_members;
  round->answers = g_ptr_array_new_full (n_members, free_answer);
  round->errors = g_ptr_array_new_full (n_members, free_error0);
  g_ptr_array_set_size (round->answers, n_members);
  g_ptr_array_set_size (round->errors, n_members);

  return round;
}

/* A callback's way back to its round and its member. */
typedef struct {
  GTask *task;
  guint  index;
} MemberCall;

static MemberCall *
member_call_new (GTask *task,
                 guint  index)
{
  MemberCall *call = g_new0 (MemberCall, 1);

  call->task = g_object_ref (task);
  call->index = index;

  return call;
}

static void
member_call_free (MemberCall *call)
{
  g_object_unref (call->task);
  g_free (call);
}

static void
member_free (Member *member)
{
  g_free (member->url);
  g_free (member->authority);
  g_clear_object (&member->alertmanager);
  g_free (member);
}

/* Overwrites a credential before its memory goes back to the allocator. */
static void
wipe_string (char *text)
{
  if (text == NULL)
    return;

  for (volatile char *p = text; *p != '\0'; p++)
    *p = '\0';
}

static char *
dup_message_authority (SoupMessage *message)
{
  g_autofree char *text = g_uri_to_string (soup_message_get_uri (message));

  return vigil_http_dup_authority (text);
}

static void
set_health (VigilSource       *self,
            VigilSourceHealth  health,
            const char        *message)
{
  if (self->health != health)
    {
      self->health = health;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_HEALTH]);
    }

  if (g_strcmp0 (self->error_message, message) != 0)
    {
      g_free (self->error_message);
      self->error_message = g_strdup (message);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ERROR_MESSAGE]);
    }
}

static const char *
tls_off_warning (void)
{
  return _("TLS certificate checks are off: anyone on the network path could pose as the server.");
}

/* The warning is the TLS one, if any, then what the last poll said about
 * the cluster's members. */
static void
set_member_warning (VigilSource *self,
                    const char  *members_text)
{
  g_autofree char *warning = NULL;

  if (!self->config->tls_verify && members_text != NULL)
    warning = g_strconcat (tls_off_warning (), " ", members_text, NULL);
  else if (!self->config->tls_verify)
    warning = g_strdup (tls_off_warning ());
  else
    warning = g_strdup (members_text);

  if (g_strcmp0 (self->warning, warning) != 0)
    {
      g_free (self->warning);
      self->warning = g_steal_pointer (&warning);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_WARNING]);
    }
}

/* The reason a certificate was refused, as the engineer can act on it. */
static char *
describe_certificate_flags (GTlsCertificateFlags flags)
{
  if (flags & G_TLS_CERTIFICATE_UNKNOWN_CA)
    return g_strdup (_("its certificate is signed by an unknown authority (unknown CA). Choose the CA file that signed it in the source’s settings."));
  if (flags & G_TLS_CERTIFICATE_BAD_IDENTITY)
    return g_strdup (_("its certificate was issued for another name (hostname mismatch). Use the name the certificate names in the address."));
  if (flags & G_TLS_CERTIFICATE_EXPIRED)
    return g_strdup (_("its certificate has expired. Check the server’s certificate and this computer’s clock."));
  if (flags & G_TLS_CERTIFICATE_NOT_ACTIVATED)
    return g_strdup (_("its certificate is not valid yet. Check the server’s certificate and this computer’s clock."));
  if (flags & G_TLS_CERTIFICATE_REVOKED)
    return g_strdup (_("its certificate has been revoked."));
  if (flags & G_TLS_CERTIFICATE_INSECURE)
    return g_strdup (_("its certificate uses an insecure algorithm."));

  return g_strdup (_("its certificate could not be verified."));
}

/* libsoup reports a refused certificate or a missing client certificate
 * without the reason; the signals below recorded it per server, and this
 * puts it into the sentence. Other errors pass unchanged. */
static GError *
explain_error (VigilSource *self,
               const char  *url,
               GError      *error)
{
  g_autofree char *authority = vigil_http_dup_authority (url);
  gpointer flags;

  if (error->domain != VIGIL_SOURCE_ERROR)
    return error;

  if (g_hash_table_lookup_extended (self->rejected_certificates, authority, NULL, &flags)
      && (error->code == VIGIL_SOURCE_ERROR_TLS || error->code == VIGIL_SOURCE_ERROR_CONNECTION))
    {
      g_autofree char *reason = describe_certificate_flags (GPOINTER_TO_UINT (flags));
      GError *explained;

      /* Translators: a server's "host:port", then the reason. */
      explained = g_error_new (VIGIL_SOURCE_ERROR, VIGIL_SOURCE_ERROR_TLS,
                               _("The secure connection to %s was refused: %s"),
                               authority, reason);
      g_error_free (error);
      return explained;
    }

  if (g_hash_table_contains (self->certificate_requested, authority)
      && self->client_certificate == NULL
      && (error->code == VIGIL_SOURCE_ERROR_TLS || error->code == VIGIL_SOURCE_ERROR_CONNECTION))
    {
      GError *explained;

      explained = g_error_new (VIGIL_SOURCE_ERROR, VIGIL_SOURCE_ERROR_TLS,
                               _("%s asks for a client certificate and closed the connection without one: choose a client certificate and key in the source’s settings."),
                               authority);
      g_error_free (error);
      return explained;
    }

  return error;
}

static gboolean
accept_certificate_cb (SoupMessage          *message,
                       GTlsCertificate      *certificate,
                       GTlsCertificateFlags  errors,
                       gpointer              user_data)
{
  VigilSource *self = user_data;

  if (!self->config->tls_verify)
    return TRUE;

  g_hash_table_replace (self->rejected_certificates,
                        dup_message_authority (message),
                        GUINT_TO_POINTER (errors));

  return FALSE;
}

static gboolean
request_certificate_cb (SoupMessage          *message,
                        GTlsClientConnection *connection,
                        gpointer              user_data)
{
  VigilSource *self = user_data;

  g_hash_table_add (self->certificate_requested, dup_message_authority (message));

  /* Not handled: the handshake goes on without a certificate and the
   * server decides. */
  return FALSE;
}

/* Every request of this source's session passes here before it is sent,
 * so the HTTP code stays the same for every source and the source adds
 * its tenant, headers, credentials and client certificate. */
static void
request_queued_cb (SoupSession *session,
                   SoupMessage *message,
                   gpointer     user_data)
{
  VigilSource *self = user_data;
  SoupMessageHeaders *headers = soup_message_get_request_headers (message);
  g_autofree char *authority = dup_message_authority (message);

  /* A new attempt starts from what this one finds. */
  g_hash_table_remove (self->rejected_certificates, authority);
  g_hash_table_remove (self->certificate_requested, authority);

  if (self->config->tenant != NULL)
    soup_message_headers_replace (headers, VIGIL_TENANT_HEADER, self->config->tenant);

  for (guint i = 0; self->config->headers[i] != NULL && self->config->headers[i + 1] != NULL; i += 2)
    soup_message_headers_replace (headers, self->config->headers[i], self->config->headers[i + 1]);

  if (self->authorization != NULL)
    soup_message_headers_replace (headers, "Authorization", self->authorization);

  if (self->client_certificate != NULL)
    soup_message_set_tls_client_certificate (message, self->client_certificate);

  g_signal_connect_object (message, "accept-certificate",
                           G_CALLBACK (accept_certificate_cb), self, 0);
  g_signal_connect_object (message, "request-certificate",
                           G_CALLBACK (request_certificate_cb), self, 0);
}

/* Reads the CA and client certificate files. A failure is kept as the
 * source's standing error rather than refusing the configuration: the
 * file may appear later, and the health line is where the engineer looks. */
static void
set_up_tls (VigilSource *self)
{
  g_autoptr(GError) error = NULL;

  g_clear_pointer (&self->setup_error, g_free);

  if (self->config->ca_file != NULL)
    {
      g_autoptr(GTlsDatabase) database = NULL;

      if (!g_file_test (self->config->ca_file, G_FILE_TEST_EXISTS))
        {
          self->setup_error = g_strdup_printf (_("The CA file “%s” does not exist: choose it again in Preferences."),
                                               self->config->ca_file);
          return;
        }

      database = g_tls_file_database_new (self->config->ca_file, &error);
      if (database == NULL)
        {
          self->setup_error = g_strdup_printf (_("The CA file “%s” could not be read: %s"),
                                               self->config->ca_file, error->message);
          return;
        }

      /* Only this CA is trusted for this source, which is the point of
       * giving one. */
      soup_session_set_tls_database (self->session, database);
    }

  if (self->config->client_certificate != NULL)
    {
      g_clear_object (&self->client_certificate);
      if (self->config->client_key != NULL)
        self->client_certificate = g_tls_certificate_new_from_files (self->config->client_certificate,
                                                                     self->config->client_key,
                                                                     &error);
      else
        self->client_certificate = g_tls_certificate_new_from_file (self->config->client_certificate,
                                                                    &error);
      if (self->client_certificate == NULL)
        {
          self->setup_error = g_strdup_printf (_("The client certificate “%s” or its key could not be read: %s"),
                                               self->config->client_certificate, error->message);
          return;
        }
    }
}

static void
set_up_authorization (VigilSource *self,
                      const char  *secret)
{
  wipe_string (self->authorization);
  g_clear_pointer (&self->authorization, g_free);

  if (secret == NULL || *secret == '\0')
    return;

  if (self->config->auth == VIGIL_AUTH_BASIC)
    {
      g_autofree char *pair = g_strconcat (self->config->username, ":", secret, NULL);
      g_autofree char *encoded = g_base64_encode ((const guchar *) pair, strlen (pair));

      self->authorization = g_strconcat ("Basic ", encoded, NULL);
      wipe_string (pair);
      wipe_string (encoded);
    }
  else if (self->config->auth == VIGIL_AUTH_BEARER)
    {
      self->authorization = g_strconcat ("Bearer ", secret, NULL);
    }
}

/* Of two reports of one fingerprint by two members, the most recently
 * updated one wins, as in the tracker. */
static gboolean
newer (VigilAlert *candidate,
       VigilAlert *current)
{
  GDateTime *a = vigil_alert_get_updated_at (candidate);
  GDateTime *b = vigil_alert_get_updated_at (current);

  return a != NULL && b != NULL && g_date_time_compare (a, b) > 0;
}

static GPtrArray *
merge_member_alerts (GPtrArray *answers)
{
  g_autoptr(GHashTable) by_fingerprint = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GPtrArray) order = g_ptr_array_new ();
  GPtrArray *merged;

  for (guint m = 0; m < answers->len; m++)
    {
      GPtrArray *alerts = g_ptr_array_index (answers, m);

      for (guint i = 0; alerts != NULL && i < alerts->len; i++)
        {
          VigilAlert *alert = g_ptr_array_index (alerts, i);
          const char *fingerprint = vigil_alert_get_fingerprint (alert);
          VigilAlert *current;

          if (fingerprint == NULL)
            {
              g_ptr_array_add (order, alert);
              continue;
            }

          current = g_hash_table_lookup (by_fingerprint, fingerprint);
          if (current == NULL)
            {
              g_hash_table_insert (by_fingerprint, (gpointer) fingerprint, alert);
              g_ptr_array_add (order, alert);
            }
          else if (newer (alert, current))
            {
              guint position;

              g_hash_table_insert (by_fingerprint, (gpointer) fingerprint, alert);
              if (g_ptr_array_find (order, current, &position))
                order->pdata[position] = alert;
            }
        }
    }

  merged = g_ptr_array_new_full (order->len, g_object_unref);
  for (guint i = 0; i < order->len; i++)
    g_ptr_array_add (merged, g_object_ref (g_ptr_array_index (order, i)));

  return merged;
}

/* The errors of the members that failed, in member order, as sentences. */
static char *
join_member_errors (Round *round)
{
  g_autoptr(GString) text = g_string_new (NULL);

  for (guint i = 0; i < round->errors->len; i++)
    {
      GError *error = g_ptr_array_index (round->errors, i);

      if (error == NULL)
        continue;
      if (text->len > 0)
        g_string_append_c (text, ' ');
      g_string_append (text, error->message);
    }

  return g_string_free (g_steal_pointer (&text), FALSE);
}

static guint
count_answers (Round *round)
{
  guint n = 0;

  for (guint i = 0; i < round->answers->len; i++)
    if (g_ptr_array_index (round->answers, i) != NULL)
      n++;

  return n;
}

/* A round where no member answered: the one member's error, or all of a
 * cluster's in one sentence (with the first error's code). */
static GError *
round_error (VigilSource *self,
             Round       *round)
{
  GError *first = NULL;
  g_autofree char *all = NULL;

  for (guint i = 0; i < round->errors->len && first == NULL; i++)
    first = g_ptr_array_index (round->errors, i);

  g_assert (first != NULL);

  if (self->members->len == 1)
    return g_error_copy (first);

  all = join_member_errors (round);

  return g_error_new (first->domain, first->code,
                      g_dngettext (GETTEXT_PACKAGE,
                                   "No member of the cluster answered (%u member). %s",
                                   "No member of the cluster answered (%u members). %s",
                                   round->errors->len),
                      round->errors->len, all);
}

static void
finish_poll (GTask *task)
{
  VigilSource *self = g_task_get_source_object (task);
  Round *round = g_task_get_task_data (task);
  g_autoptr(GPtrArray) alerts = NULL;
  g_autofree char *members_text = NULL;
  guint n_answers;

  /* A cancelled poll says nothing about the servers. */
  if (g_task_return_error_if_cancelled (task))
    return;

  n_answers = count_answers (round);
  if (n_answers == 0)
    {
      GError *error = round_error (self, round);

      set_health (self, VIGIL_SOURCE_HEALTH_ERROR, error->message);
      set_member_warning (self, NULL);
      g_task_return_error (task, error);
      return;
    }

  if (self->members->len == 1)
    alerts = g_ptr_array_ref (g_ptr_array_index (round->answers, 0));
  else
    alerts = merge_member_alerts (round->answers);

  if (n_answers < self->members->len)
    {
      g_autofree char *errors = join_member_errors (round);

      members_text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                   "%u of %u cluster members did not answer: %s The alerts shown come from the others.",
                                                   "%u of %u cluster members did not answer: %s The alerts shown come from the others.",
                                                   self->members->len - n_answers),
                                      self->members->len - n_answers, self->members->len, errors);
    }

  for (guint i = 0; i < alerts->len; i++)
    vigil_alert_set_source (g_ptr_array_index (alerts, i), self->config->name);

  g_clear_pointer (&self->alerts, g_ptr_array_unref);
  self->alerts = g_ptr_array_ref (alerts);
  self->last_success = round->now_us;
  set_health (self, VIGIL_SOURCE_HEALTH_OK, NULL);
  set_member_warning (self, members_text);

  g_task_return_pointer (task, g_steal_pointer (&alerts), (GDestroyNotify) g_ptr_array_unref);
}

static void
member_done (MemberCall *call,
             gpointer    answer,
             GError     *error)
{
  VigilSource *self = g_task_get_source_object (call->task);
  Round *round = g_task_get_task_data (call->task);
  Member *member = g_ptr_array_index (self->members, call->index);

  if (answer != NULL)
    round->answers->pdata[call->index] = answer;
  else
    round->errors->pdata[call->index] = explain_error (self, member->url, error);

  if (--round->pending == 0)
    finish_poll (call->task);

  member_call_free (call);
}

static void
alertmanager_alerts_cb (GObject      *object,
                        GAsyncResult *result,
                        gpointer      user_data)
{
  GError *error = NULL;
  GPtrArray *alerts;

  alerts = vigil_alertmanager_client_get_alerts_finish (VIGIL_ALERTMANAGER_CLIENT (object), result, &error);
  member_done (user_data, alerts, error);
}

static void
prometheus_alerts_cb (GObject      *object,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  GError *error = NULL;
  GPtrArray *alerts;

  alerts = vigil_prometheus_client_get_alerts_finish (VIGIL_PROMETHEUS_CLIENT (object), result, &error);
  member_done (user_data, alerts, error);
}

/* "Test connection" ------------------------------------------------------ */

static gpointer
parse_status (GBytes  *body,
              GError **error)
{
  return vigil_alertmanager_parse_status (body, error);
}

static gpointer
parse_buildinfo (GBytes  *body,
                 GError **error)
{
  return vigil_prometheus_parse_buildinfo (body, error);
}

static void
finish_test (GTask *task)
{
  VigilSource *self = g_task_get_source_object (task);
  Round *round = g_task_get_task_data (task);
  g_autoptr(GString) text = g_string_new (NULL);

  if (g_task_return_error_if_cancelled (task))
    return;

  if (count_answers (round) == 0)
    {
      g_task_return_error (task, round_error (self, round));
      return;
    }

  for (guint i = 0; i < self->members->len; i++)
    {
      Member *member = g_ptr_array_index (self->members, i);
      const char *answer = g_ptr_array_index (round->answers, i);
      GError *error = g_ptr_array_index (round->errors, i);

      if (text->len > 0)
        g_string_append_c (text, '\n');
      if (self->members->len > 1)
        g_string_append_printf (text, "%s: ", member->authority);
      g_string_append (text, answer != NULL ? answer : error->message);
    }

  g_task_return_pointer (task, g_string_free (g_steal_pointer (&text), FALSE), g_free);
}

static void
test_member_done (MemberCall *call,
                  char       *sentence,
                  GError     *error)
{
  VigilSource *self = g_task_get_source_object (call->task);
  Round *round = g_task_get_task_data (call->task);
  Member *member = g_ptr_array_index (self->members, call->index);

  if (sentence != NULL)
    round->answers->pdata[call->index] = sentence;
  else
    round->errors->pdata[call->index] = explain_error (self, member->url, error);

  if (--round->pending == 0)
    finish_test (call->task);

  member_call_free (call);
}

static char *
describe_info (VigilServerInfo *info)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();

  return vigil_server_info_describe (info, now);
}

static void
test_query_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(VigilQueryResult) answer = NULL;
  GError *error = NULL;

  answer = vigil_prometheus_client_query_finish (VIGIL_PROMETHEUS_CLIENT (object), result, &error);
  test_member_done (user_data,
                    answer != NULL ? g_strdup (_("A Prometheus-compatible server answered a test query; it does not report its version."))
                                   : NULL,
                    error);
}

static void
test_info_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  MemberCall *call = user_data;
  VigilSource *self = g_task_get_source_object (call->task);
  g_autoptr(VigilServerInfo) info = NULL;
  GError *error = NULL;

  info = vigil_http_get_parsed_finish (result, &error);

  /* Thanos, Mimir and older servers may lack buildinfo; a query still
   * proves the address, the credentials and the API. */
  if (info == NULL && self->config->kind == VIGIL_SOURCE_KIND_PROMETHEUS
      && g_error_matches (error, VIGIL_SOURCE_ERROR, VIGIL_SOURCE_ERROR_NOT_FOUND))
    {
      g_clear_error (&error);
      vigil_prometheus_client_query_async (self->prometheus, "1", 0,
                                           g_task_get_cancellable (call->task),
                                           test_query_cb, call);
      return;
    }

  test_member_done (call, info != NULL ? describe_info (info) : NULL, error);
}

static void
vigil_source_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  VigilSource *self = VIGIL_SOURCE (object);

  switch (prop_id)
    {
    case PROP_HEALTH:
      g_value_set_int (value, self->health);
      break;
    case PROP_ERROR_MESSAGE:
      g_value_set_string (value, self->error_message);
      break;
    case PROP_WARNING:
      g_value_set_string (value, self->warning);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
vigil_source_dispose (GObject *object)
{
  VigilSource *self = VIGIL_SOURCE (object);

  if (self->session != NULL)
    g_signal_handlers_disconnect_by_data (self->session, self);

  G_OBJECT_CLASS (vigil_source_parent_class)->dispose (object);
}

static void
vigil_source_finalize (GObject *object)
{
  VigilSource *self = VIGIL_SOURCE (object);

  wipe_string (self->authorization);
  g_clear_pointer (&self->authorization, g_free);
  g_clear_pointer (&self->config, vigil_source_config_free);
  g_clear_pointer (&self->url, g_free);
  g_clear_pointer (&self->urls, g_strfreev);
  g_clear_pointer (&self->setup_error, g_free);
  g_clear_pointer (&self->error_message, g_free);
  g_clear_pointer (&self->warning, g_free);
  g_clear_pointer (&self->alerts, g_ptr_array_unref);
  g_clear_pointer (&self->members, g_ptr_array_unref);
  g_clear_pointer (&self->rejected_certificates, g_hash_table_unref);
  g_clear_pointer (&self->certificate_requested, g_hash_table_unref);
  g_clear_object (&self->client_certificate);
  g_clear_object (&self->prometheus);
  g_clear_object (&self->session);

  G_OBJECT_CLASS (vigil_source_parent_class)->finalize (object);
}

static void
vigil_source_class_init (VigilSourceClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->get_property = vigil_source_get_property;
  object_class->dispose = vigil_source_dispose;
  object_class->finalize = vigil_source_finalize;

  properties[PROP_HEALTH] =
    g_param_spec_int ("health", NULL, NULL,
                      VIGIL_SOURCE_HEALTH_UNKNOWN, VIGIL_SOURCE_HEALTH_STALE,
                      VIGIL_SOURCE_HEALTH_UNKNOWN,
                      G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_ERROR_MESSAGE] =
    g_param_spec_string ("error-message", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_WARNING] =
    g_param_spec_string ("warning", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
vigil_source_init (VigilSource *self)
{
  self->alerts = g_ptr_array_new_with_free_func (g_object_unref);
  self->members = g_ptr_array_new_with_free_func ((GDestroyNotify) member_free);
  self->rejected_certificates = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->certificate_requested = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
}

VigilSource *
vigil_source_new (VigilSourceKind   kind,
                  const char       *name,
                  const char       *url,
                  GError          **error)
{
  g_autoptr(VigilSourceConfig) config = NULL;
  const char *urls[] = { url, NULL };

  g_return_val_if_fail (name != NULL, NULL);
  g_return_val_if_fail (url != NULL, NULL);

  config = vigil_source_config_new_for_urls (kind, urls);
  g_free (config->name);
  config->name = g_strdup (name);

  /* An empty or blank URL must still be refused with its own words. */
  if (config->urls[0] == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   _("“%s” is not a web address: it should look like http://host:port."), url);
      return NULL;
    }

  return vigil_source_new_from_config (config, NULL, error);
}

VigilSource *
vigil_source_new_from_config (const VigilSourceConfig  *config,
                              const char               *secret,
                              GError                  **error)
{
  g_autoptr(VigilSource) self = NULL;
  g_autoptr(GStrvBuilder) urls = g_strv_builder_new ();

  g_return_val_if_fail (config != NULL, NULL);

  if (!vigil_source_config_validate (config, error))
    return NULL;

  self = g_object_new (VIGIL_TYPE_SOURCE, NULL);
  self->config = vigil_source_config_copy (config);
  self->session = vigil_http_session_new ();
  vigil_http_set_accept_invalid_certificates (self->session, !config->tls_verify);

  for (guint i = 0; config->urls[i] != NULL; i++)
    {
      Member *member = g_new0 (Member, 1);
      gsize len;

      member->url = g_strdup (config->urls[i]);
      len = strlen (member->url);
      while (len > 0 && member->url[len - 1] == '/')
        member->url[--len] = '\0';
      member->authority = vigil_http_dup_authority (member->url);
      if (config->kind == VIGIL_SOURCE_KIND_ALERTMANAGER)
        member->alertmanager = vigil_alertmanager_client_new (self->session, member->url);

      g_strv_builder_add (urls, member->url);
      g_ptr_array_add (self->members, member);
    }

  self->urls = g_strv_builder_end (urls);
  self->url = g_strdup (self->urls[0]);
  if (config->kind == VIGIL_SOURCE_KIND_PROMETHEUS)
    self->prometheus = vigil_prometheus_client_new (self->session, self->url);

  set_up_tls (self);
  set_up_authorization (self, secret);
  g_signal_connect (self->session, "request-queued", G_CALLBACK (request_queued_cb), self);

  if (self->setup_error != NULL)
    set_health (self, VIGIL_SOURCE_HEALTH_ERROR, self->setup_error);
  set_member_warning (self, NULL);

  return g_steal_pointer (&self);
}

const VigilSourceConfig *
vigil_source_get_config (VigilSource *self)
{
  g_return_val_if_fail (VIGIL_IS_SOURCE (self), NULL);

  return self->config;
}

void
vigil_source_set_secret (VigilSource *self,
                         const char  *secret)
{
  g_return_if_fail (VIGIL_IS_SOURCE (self));

  set_up_authorization (self, secret);
}

VigilSourceKind
vigil_source_get_kind (VigilSource *self)
{
  g_return_val_if_fail (VIGIL_IS_SOURCE (self), 0);

  return self->config->kind;
}

const char *
vigil_source_get_name (VigilSource *self)
{
  g_return_val_if_fail (VIGIL_IS_SOURCE (self), NULL);

  return self->config->name;
}

const char *
vigil_source_get_url (VigilSource *self)
{
  g_return_val_if_fail (VIGIL_IS_SOURCE (self), NULL);

  return self->url;
}

const char * const *
vigil_source_get_urls (VigilSource *self)
{
  g_return_val_if_fail (VIGIL_IS_SOURCE (self), NULL);

  return (const char * const *) self->urls;
}

SoupSession *
vigil_source_get_session (VigilSource *self)
{
  g_return_val_if_fail (VIGIL_IS_SOURCE (self), NULL);

  return self->session;
}

VigilSourceHealth
vigil_source_get_health (VigilSource *self)
{
  g_return_val_if_fail (VIGIL_IS_SOURCE (self), VIGIL_SOURCE_HEALTH_UNKNOWN);

  return self->health;
}

const char *
vigil_source_get_error_message (VigilSource *self)
{
  g_return_val_if_fail (VIGIL_IS_SOURCE (self), NULL);

  return self->error_message;
}

const char *
vigil_source_get_warning (VigilSource *self)
{
  g_return_val_if_fail (VIGIL_IS_SOURCE (self), NULL);

  return self->warning;
}

gint64
vigil_source_get_last_success (VigilSource *self)
{
  g_return_val_if_fail (VIGIL_IS_SOURCE (self), 0);

  return self->last_success;
}

GPtrArray *
vigil_source_get_alerts (VigilSource *self)
{
  g_return_val_if_fail (VIGIL_IS_SOURCE (self), NULL);

  return self->alerts;
}

void
vigil_source_check_stale (VigilSource *self,
                          gint64       now_us,
                          gint64       stale_after_us)
{
  g_return_if_fail (VIGIL_IS_SOURCE (self));

  /* Only healthy data goes stale; an error already says more. */
  if (self->health == VIGIL_SOURCE_HEALTH_OK
      && self->last_success > 0
      && now_us - self->last_success > stale_after_us)
    set_health (self, VIGIL_SOURCE_HEALTH_STALE, NULL);
}

void
vigil_source_poll_async (VigilSource         *self,
                         gint64               now_us,
                         GCancellable        *cancellable,
                         GAsyncReadyCallback  callback,
                         gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (VIGIL_IS_SOURCE (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, vigil_source_poll_async);
  g_task_set_task_data (task, round_new (self->members->len, now_us, unref_array0),
                        (GDestroyNotify) round_free);

  /* The file may have appeared or been fixed since: read it again. */
  if (self->setup_error != NULL)
    set_up_tls (self);

  if (self->setup_error != NULL)
    {
      set_health (self, VIGIL_SOURCE_HEALTH_ERROR, self->setup_error);
      g_task_return_new_error (task, VIGIL_SOURCE_ERROR, VIGIL_SOURCE_ERROR_TLS,
                               "%s", self->setup_error);
      return;
    }

  if (self->config->kind == VIGIL_SOURCE_KIND_PROMETHEUS)
    {
      vigil_prometheus_client_get_alerts_async (self->prometheus, cancellable,
                                                prometheus_alerts_cb,
                                                member_call_new (task, 0));
      return;
    }

  for (guint i = 0; i < self->members->len; i++)
    {
      Member *member = g_ptr_array_index (self->members, i);

      vigil_alertmanager_client_get_alerts_async (member->alertmanager, cancellable,
                                                  alertmanager_alerts_cb,
                                                  member_call_new (task, i));
    }
}

GPtrArray *
vigil_source_poll_finish (VigilSource   *self,
                          GAsyncResult  *result,
                          GError       **error)
{
  g_return_val_if_fail (VIGIL_IS_SOURCE (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

void
vigil_source_test_async (VigilSource         *self,
                         GCancellable        *cancellable,
                         GAsyncReadyCallback  callback,
                         gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (VIGIL_IS_SOURCE (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, vigil_source_test_async);
  g_task_set_task_data (task, round_new (self->members->len, 0, g_free),
                        (GDestroyNotify) round_free);

  if (self->setup_error != NULL)
    {
      g_task_return_new_error (task, VIGIL_SOURCE_ERROR, VIGIL_SOURCE_ERROR_TLS,
                               "%s", self->setup_error);
      return;
    }

  for (guint i = 0; i < self->members->len; i++)
    {
      Member *member = g_ptr_array_index (self->members, i);
      g_autofree char *url = NULL;

      if (self->config->kind == VIGIL_SOURCE_KIND_PROMETHEUS)
        {
          url = g_strconcat (member->url, "/api/v1/status/buildinfo", NULL);
          vigil_http_get_parsed_async (self->session, url, parse_buildinfo,
                                       (GDestroyNotify) vigil_server_info_free,
                                       cancellable, test_info_cb, member_call_new (task, i));
        }
      else
        {
          url = g_strconcat (member->url, "/api/v2/status", NULL);
          vigil_http_get_parsed_async (self->session, url, parse_status,
                                       (GDestroyNotify) vigil_server_info_free,
                                       cancellable, test_info_cb, member_call_new (task, i));
        }
    }
}

char *
vigil_source_test_finish (VigilSource   *self,
                          GAsyncResult  *result,
                          GError       **error)
{
  g_return_val_if_fail (VIGIL_IS_SOURCE (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

VigilPrometheusClient *
vigil_source_get_prometheus_client (VigilSource *self)
{
  g_return_val_if_fail (VIGIL_IS_SOURCE (self), NULL);

  return self->prometheus;
}

const char *
vigil_source_health_to_string (VigilSourceHealth health)
{
  switch (health)
    {
    case VIGIL_SOURCE_HEALTH_OK:
      return "ok";
    case VIGIL_SOURCE_HEALTH_ERROR:
      return "error";
    case VIGIL_SOURCE_HEALTH_STALE:
      return "stale";
    case VIGIL_SOURCE_HEALTH_UNKNOWN:
    default:
      return "unknown";
    }
}
