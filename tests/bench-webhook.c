/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "bench-webhook"

#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <glib-unix.h>
#include <libsoup/soup.h>

#include "vigil-alert-tracker.h"
#include "vigil-webhook-receiver.h"

/* Two programs in one:
 *
 *   bench-webhook            the in-process benchmark: a notification POSTed
 *                            to the receiver over loopback HTTP until the
 *                            tracker's alert-fired, for groups of 1 to 1,000
 *                            alerts, with the longest main-loop stall.
 *   bench-webhook --serve    a receiver feeding a tracker, for the scripts
 *                            that drive the real Alertmanager
 *                            (tests/bench-webhook.py and
 *                            tests/integration/test_webhook.py). The token
 *                            comes from $VIGIL_WEBHOOK_TOKEN, never the
 *                            command line. It prints, one line each:
 *                              listening URL
 *                              received RECEIVER FIRING RESOLVED T
 *                              fired FINGERPRINT ALERTNAME T
 *                              resolved FINGERPRINT ALERTNAME T
 *                            where T is CLOCK_MONOTONIC in microseconds
 *                            (Python's time.monotonic() reads the same
 *                            clock), and exits on SIGTERM, SIGINT or the
 *                            end of its standard input.
 *
 * Prints figures and asserts nothing about time: machines differ. */

#define BENCH_TOKEN "bench-token-0123456789abcdef"

/* -- serve ------------------------------------------------------------------ */

static void
serve_received_cb (VigilWebhookReceiver *receiver,
                   const char           *name,
                   GPtrArray            *firing,
                   GPtrArray            *resolved,
                   VigilAlertTracker    *tracker)
{
  g_print ("received %s %u %u %" G_GINT64_FORMAT "\n",
           name[0] != '\0' ? name : "-", firing->len, resolved->len, g_get_monotonic_time ());
  vigil_alert_tracker_push (tracker, "webhook", firing, resolved);
}

static void
serve_fired_cb (VigilAlertTracker *tracker,
                VigilAlert        *alert,
                gpointer           user_data)
{
  const char *name = vigil_alert_get_name (alert);

  g_print ("fired %s %s %" G_GINT64_FORMAT "\n", vigil_alert_get_fingerprint (alert),
           name != NULL ? name : "-", g_get_monotonic_time ());
}

static void
serve_resolved_cb (VigilAlertTracker *tracker,
                   VigilAlert        *alert,
                   gpointer           user_data)
{
  const char *name = vigil_alert_get_name (alert);

  g_print ("resolved %s %s %" G_GINT64_FORMAT "\n", vigil_alert_get_fingerprint (alert),
           name != NULL ? name : "-", g_get_monotonic_time ());
}

static gboolean
quit_cb (gpointer user_data)
{
  g_main_loop_quit (user_data);
  return G_SOURCE_REMOVE;
}

static gboolean
stdin_cb (int          fd,
          GIOCondition condition,
          gpointer     user_data)
{
  char buffer[256];

  /* Anything written is ignored; the end of input is the signal to stop. */
  if ((condition & G_IO_IN) && read (fd, buffer, sizeof buffer) > 0)
    return G_SOURCE_CONTINUE;

  g_main_loop_quit (user_data);
  return G_SOURCE_REMOVE;
}

static int
serve (void)
{
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  g_autoptr(VigilClock) clock = vigil_clock_new_system ();
  g_autoptr(VigilAlertTracker) tracker = vigil_alert_tracker_new (clock);
  g_autoptr(VigilWebhookReceiver) receiver = vigil_webhook_receiver_new ();
  g_autoptr(GError) error = NULL;
  const char *token = g_getenv ("VIGIL_WEBHOOK_TOKEN");

  if (token == NULL || token[0] == '\0')
    {
      g_printerr ("Set VIGIL_WEBHOOK_TOKEN to the token Alertmanager sends.\n");
      return 2;
    }

  /* Lines reach the driving script as soon as they are printed. */
  setvbuf (stdout, NULL, _IOLBF, 0);

  vigil_webhook_receiver_set_token (receiver, token);
  g_signal_connect (receiver, "alerts-received", G_CALLBACK (serve_received_cb), tracker);
  g_signal_connect (tracker, "alert-fired", G_CALLBACK (serve_fired_cb), NULL);
  g_signal_connect (tracker, "alert-resolved", G_CALLBACK (serve_resolved_cb), NULL);

  if (!vigil_webhook_receiver_start (receiver, &error))
    {
      g_printerr ("%s\n", error->message);
      return 1;
    }

  g_print ("listening %s\n", vigil_webhook_receiver_get_url (receiver));

  g_unix_signal_add (SIGTERM, quit_cb, loop);
  g_unix_signal_add (SIGINT, quit_cb, loop);
  g_unix_fd_add (STDIN_FILENO, G_IO_IN | G_IO_HUP | G_IO_ERR, stdin_cb, loop);
  g_main_loop_run (loop);

  vigil_webhook_receiver_stop (receiver);

  return 0;
}

/* -- in-process benchmark ---------------------------------------------------- */

typedef struct {
  VigilWebhookReceiver *receiver;
  VigilAlertTracker    *tracker;
  VigilClock           *clock;
  /* The client runs in a thread of its own, as Alertmanager would run in
   * a process of its own: the main loop has only Vigil's work on it. */
  GThread              *client;
  GAsyncQueue          *requests;     /* GBytes; an empty one ends the client */
  char                 *url;
  int                   answered;     /* atomic: the status of the last POST */
  guint                 expected;     /* alert-fired emissions to wait for */
  guint                 fired;
  gint64                last_fired;
  /* Main-loop watchdog: a 1 ms timeout that notes the longest gap. */
  gint64                last_tick;
  gint64                longest_gap;
} Bench;

static int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  double x = *(const double *) a;
  double y = *(const double *) b;

  return (x > y) - (x < y);
}

static double
percentile (GArray *sorted,
            double  p)
{
  guint index = (guint) (p * (sorted->len - 1) + 0.5);

  return g_array_index (sorted, double, MIN (index, sorted->len - 1));
}

static void
bench_received_cb (VigilWebhookReceiver *receiver,
                   const char           *name,
                   GPtrArray            *firing,
                   GPtrArray            *resolved,
                   Bench                *bench)
{
  vigil_alert_tracker_push (bench->tracker, "webhook", firing, resolved);
}

static void
bench_fired_cb (VigilAlertTracker *tracker,
                VigilAlert        *alert,
                Bench             *bench)
{
  bench->fired++;
  bench->last_fired = g_get_monotonic_time ();
}

static gboolean
tick_cb (gpointer user_data)
{
  Bench *bench = user_data;
  gint64 now = g_get_monotonic_time ();

  if (bench->last_tick != 0)
    bench->longest_gap = MAX (bench->longest_gap, now - bench->last_tick);
  bench->last_tick = now;

  return G_SOURCE_CONTINUE;
}

/* One notification of `n_alerts` firing alerts, all new: like
 * tests/fixtures/webhook-v4.json, with the labels a rule gives. */
static GBytes *
make_payload (guint round,
              guint n_alerts)
{
  GString *json = g_string_new ("{\"receiver\":\"bench\",\"status\":\"firing\",\"alerts\":[");

  for (guint i = 0; i < n_alerts; i++)
    g_string_append_printf (json,
                            "%s{\"status\":\"firing\",\"labels\":{\"alertname\":\"Bench%u\",\"instance\":\"host-%u:9100\","
                            "\"job\":\"node\",\"severity\":\"critical\",\"team\":\"storage\"},"
                            "\"annotations\":{\"summary\":\"Disk almost full on host-%u\",\"description\":\"Only 3 %% left.\","
                            "\"runbook_url\":\"https://runbooks.example.com/DiskFull\"},"
                            "\"startsAt\":\"2026-12-03T17:50:51.415Z\",\"endsAt\":\"0001-01-01T00:00:00Z\","
                            "\"generatorURL\":\"http://prometheus.example.com/graph?g0.expr=disk\","
                            "\"fingerprint\":\"%08x%08x\"}",
                            i > 0 ? "," : "", round, i, i, round, i);

  g_string_append (json, "],\"groupLabels\":{\"alertname\":\"Bench\"},\"commonLabels\":{\"job\":\"node\"},"
                         "\"commonAnnotations\":{},\"externalURL\":\"http://127.0.0.1:9093\",\"version\":\"4\","
                         "\"groupKey\":\"{}:{alertname=\\\"Bench\\\"}\",\"truncatedAlerts\":0}");

  return g_string_free_to_bytes (json);
}

static gpointer
client_thread (gpointer data)
{
  Bench *bench = data;
  g_autoptr(GMainContext) context = g_main_context_new ();
  g_autoptr(GProxyResolver) no_proxy = g_simple_proxy_resolver_new (NULL, NULL);
  g_autoptr(SoupSession) session = NULL;

  g_main_context_push_thread_default (context);
  session = soup_session_new_with_options ("proxy-resolver", no_proxy, NULL);

  for (;;)
    {
      g_autoptr(GBytes) body = g_async_queue_pop (bench->requests);
      g_autoptr(SoupMessage) message = NULL;
      g_autoptr(GBytes) answer = NULL;

      if (g_bytes_get_size (body) == 0)
        break;

      message = soup_message_new ("POST", bench->url);
      soup_message_headers_replace (soup_message_get_request_headers (message),
                                    "Authorization", "Bearer " BENCH_TOKEN);
      soup_message_set_request_body_from_bytes (message, "application/json", body);
      answer = soup_session_send_and_read (session, message, NULL, NULL);

      g_atomic_int_set (&bench->answered, (int) soup_message_get_status (message));
      g_main_context_wakeup (NULL);
    }

  g_clear_object (&session);
  g_main_context_pop_thread_default (context);

  return NULL;
}

static void
run_size (Bench *bench,
          guint  n_alerts,
          guint  rounds)
{
  g_autoptr(GArray) latencies = g_array_new (FALSE, FALSE, sizeof (double));
  g_autofree char *gap = NULL;
  gsize body_size = 0;
  gint64 worst_gap = 0;

  for (guint round = 0; round < rounds + 1; round++)
    {
      GBytes *body = make_payload (round + n_alerts * 1000, n_alerts);
      gint64 start;
      int status;

      body_size = g_bytes_get_size (body);
      bench->expected = n_alerts;
      bench->fired = 0;
      bench->longest_gap = 0;
      g_atomic_int_set (&bench->answered, 0);

      start = g_get_monotonic_time ();
      g_async_queue_push (bench->requests, body);
      while ((status = g_atomic_int_get (&bench->answered)) == 0 || bench->fired < bench->expected)
        g_main_context_iteration (NULL, TRUE);

      if (status != SOUP_STATUS_OK)
        g_error ("The receiver answered %d", status);

      /* The first round warms up caches and the worker pool. */
      if (round > 0)
        {
          double ms = (bench->last_fired - start) / 1000.0;

          g_array_append_val (latencies, ms);
          worst_gap = MAX (worst_gap, bench->longest_gap);
        }

      /* Resolve them again, so that the next round's alerts are news;
       * that is the benchmark's work, not the push's, so the watchdog
       * starts afresh after it. */
      vigil_alert_tracker_remove_source (bench->tracker, "webhook");
      bench->last_tick = 0;
    }

  g_array_sort (latencies, compare_doubles);
  /* A round shorter than the timer's period has no gap to measure: nothing
   * held the loop for a millisecond. */
  if (worst_gap >= 1000)
    gap = g_strdup_printf ("%.1f ms", worst_gap / 1000.0);
  else
    gap = g_strdup ("< 1 ms");
  g_print ("%6u alerts  %7.1f KB  median %7.2f ms  p95 %7.2f ms  max %7.2f ms  longest main-loop gap %s\n",
           n_alerts, body_size / 1024.0,
           percentile (latencies, 0.5), percentile (latencies, 0.95),
           g_array_index (latencies, double, latencies->len - 1),
           gap);
}

static int
bench_in_process (void)
{
  g_autoptr(GError) error = NULL;
  Bench bench = { 0 };
  guint tick;

  bench.clock = vigil_clock_new_system ();
  bench.tracker = vigil_alert_tracker_new (bench.clock);
  bench.receiver = vigil_webhook_receiver_new ();

  vigil_webhook_receiver_set_token (bench.receiver, BENCH_TOKEN);
  vigil_webhook_receiver_start (bench.receiver, &error);
  g_assert_no_error (error);

  bench.url = g_strdup (vigil_webhook_receiver_get_url (bench.receiver));
  bench.requests = g_async_queue_new_full ((GDestroyNotify) g_bytes_unref);
  bench.client = g_thread_new ("client", client_thread, &bench);

  g_signal_connect (bench.receiver, "alerts-received", G_CALLBACK (bench_received_cb), &bench);
  g_signal_connect (bench.tracker, "alert-fired", G_CALLBACK (bench_fired_cb), &bench);
  tick = g_timeout_add (1, tick_cb, &bench);

  g_print ("Webhook push inside Vigil: POST over loopback HTTP (from another thread) -> auth,\n"
           "body cap -> parse in a worker -> alerts-received -> tracker push -> alert-fired (the\n"
           "last alert of the group). The main-loop gap is the longest time between two runs of\n"
           "a 1 ms timer meanwhile (about 1 ms when nothing blocks).\n");
  run_size (&bench, 1, 200);
  run_size (&bench, 10, 100);
  run_size (&bench, 100, 50);
  run_size (&bench, 1000, 20);

  g_source_remove (tick);
  g_async_queue_push (bench.requests, g_bytes_new (NULL, 0));
  g_thread_join (bench.client);
  g_async_queue_unref (bench.requests);
  g_free (bench.url);
  vigil_webhook_receiver_stop (bench.receiver);
  g_object_unref (bench.receiver);
  g_object_unref (bench.tracker);
  g_object_unref (bench.clock);

  return 0;
}

int
main (int   argc,
      char *argv[])
{
  if (argc > 1 && strcmp (argv[1], "--serve") == 0)
    return serve ();

  if (argc > 1)
    {
      g_printerr ("Usage: %s [--serve]\n", argv[0]);
      return 2;
    }

  return bench_in_process ();
}
