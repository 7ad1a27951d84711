/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "vigil-notifier.h"

static void
test_summary_plain_body_escaped (void)
{
  g_autoptr(VigilAlert) alert = vigil_alert_new ();
  g_autofree char *summary = NULL;
  g_autofree char *body = NULL;

  vigil_alert_set_label (alert, "alertname", "Injected");
  vigil_alert_set_label (alert, "instance", "db<1>&2");
  vigil_alert_set_annotation (alert, "summary", "Disk <b>full</b> & on fire");
  vigil_alert_set_annotation (alert, "description", "<a href=\"http://evil\">click</a> & <i>x</i>");

  summary = vigil_notifier_dup_summary (alert);
  body = vigil_notifier_dup_body (alert);

  /* The summary is shown as plain text by the spec: never escaped. */
  g_assert_cmpstr (summary, ==, "Disk <b>full</b> & on fire");
  /* The body is markup to the server: nothing of the alert's may be. */
  g_assert_nonnull (strstr (body, "&lt;a href=&quot;http://evil&quot;&gt;click&lt;/a&gt; &amp; &lt;i&gt;x&lt;/i&gt;"));
  g_assert_nonnull (strstr (body, "instance: db&lt;1&gt;&amp;2"));
  g_assert_null (strstr (body, "<a"));
  g_assert_null (strstr (body, "<i>"));
}

static void
test_summary_fallback (void)
{
  g_autoptr(VigilAlert) alert = vigil_alert_new ();
  g_autofree char *summary = NULL;
  g_autofree char *body = NULL;

  vigil_alert_set_fingerprint (alert, "0123456789abcdef");
  vigil_alert_set_label (alert, "alertname", "NoAnnotations");
  vigil_alert_set_label (alert, "severity", "info");

  summary = vigil_notifier_dup_summary (alert);
  body = vigil_notifier_dup_body (alert);
  g_assert_cmpstr (summary, ==, "NoAnnotations");
  g_assert_cmpstr (body, ==, "severity: info");
}

static void
test_unicode_case (void)
{
  g_autoptr(VigilAlert) alert = vigil_alert_new ();
  g_autofree char *summary = NULL;
  g_autofree char *body = NULL;

  /* The summary and description of case 14, as Alertmanager delivers them. */
  vigil_alert_set_label (alert, "alertname", "UnicodeAndManyLabels");
  vigil_alert_set_label (alert, "team", "Zürich Ops ✓");
  vigil_alert_set_annotation (alert, "summary", "Ünïcödé summary — with <html> & \"quotes\"");
  vigil_alert_set_annotation (alert, "description", "Line one.\nLine two with a tab:\tend.\n");

  summary = vigil_notifier_dup_summary (alert);
  body = vigil_notifier_dup_body (alert);
  g_assert_cmpstr (summary, ==, "Ünïcödé summary — with <html> & \"quotes\"");
  g_assert_true (g_utf8_validate (body, -1, NULL));
  g_assert_cmpstr (body, ==, "Line one.\nLine two with a tab:\tend.\n");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/vigil/notifier/summary-plain-body-escaped", test_summary_plain_body_escaped);
  g_test_add_func ("/vigil/notifier/summary-fallback", test_summary_fallback);
  g_test_add_func ("/vigil/notifier/unicode", test_unicode_case);

  return g_test_run ();
}
