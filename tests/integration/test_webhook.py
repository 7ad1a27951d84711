# SPDX-License-Identifier: GPL-3.0-or-later
"""Push through the real Alertmanager: Debian's prometheus-alertmanager (an
HA pair of the demo stack) with a webhook_config that sends a bearer token,
pointed at VigilWebhookReceiver (tests/bench-webhook --serve feeds a
tracker with what arrives and prints alert-fired and alert-resolved). An
alert posted to Alertmanager must reach the tracker through push alone (the
helper never polls), once, with Alertmanager's fingerprint, and its
resolution must follow the same way.

Also the helpers that tests/bench-webhook.py uses.  Exits 77, which meson
counts as skipped, when Prometheus or Alertmanager is not installed."""

import contextlib
import datetime
import os
import queue
import secrets
import shutil
import subprocess
import sys
import threading
import time
import unittest

from vigil_test_util import BUILD_ROOT, DemoStack


class PushReceiver:
    """tests/bench-webhook --serve on a free port of 127.0.0.1.

    events() yields (kind, fields, monotonic seconds) for the lines it
    prints: received, fired, resolved.  The token goes in the environment,
    never on the command line."""

    def __init__(self, token, timeout=10.0):
        binary = BUILD_ROOT / "tests" / "bench-webhook"
        if not binary.is_file():
            raise RuntimeError(f"{binary} is not built")
        env = dict(os.environ, VIGIL_WEBHOOK_TOKEN=token)
        self.process = subprocess.Popen([str(binary), "--serve"], env=env, text=True,
                                        stdin=subprocess.PIPE, stdout=subprocess.PIPE)
        self._lines = queue.Queue()
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()
        kind, fields, _ = self.next_event(timeout)
        if kind != "listening":
            self.stop()
            raise RuntimeError(f"bench-webhook --serve printed {kind!r} first")
        self.url = fields[0]

    def _read(self):
        for line in self.process.stdout:
            self._lines.put(line.split())
        self._lines.put(None)

    def next_event(self, timeout):
        try:
            parts = self._lines.get(timeout=max(0.0, timeout))
        except queue.Empty:
            return None, [], None
        if parts is None:
            raise RuntimeError(f"bench-webhook --serve exited ({self.process.poll()})")
        if parts[0] == "listening":
            return parts[0], parts[1:], None
        # The last field is CLOCK_MONOTONIC in µs, the clock of time.monotonic().
        return parts[0], parts[1:-1], int(parts[-1]) / 1e6

    def wait_for(self, kind, name=None, fingerprint=None, timeout=30.0, seen=None):
        """Waits for the first `kind` event that matches; earlier events are
        appended to `seen` (a list) when given."""
        deadline = time.monotonic() + timeout
        while True:
            event = self.next_event(deadline - time.monotonic())
            if event[0] is None:
                return None
            if seen is not None:
                seen.append(event)
            got, fields, when = event
            if got != kind:
                continue
            if name is not None and (len(fields) < 2 or fields[1] != name):
                continue
            if fingerprint is not None and fields[0] != fingerprint:
                continue
            return fields, when

    def stop(self):
        # The end of its input is its signal to stop; then the PID.
        if self.process.poll() is None:
            with contextlib.suppress(OSError):
                self.process.stdin.close()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.process.stdout.close()


def start_stack_with_webhook(url, token, **kwargs):
    """A started DemoStack whose Alertmanagers push to `url` with `token`
    (http_config.authorization, as docs/webhook.md tells users)."""
    stack = DemoStack(webhook_url=url, webhook_token=token, **kwargs)
    stack.start()
    return stack


def utc_now():
    return datetime.datetime.now(datetime.timezone.utc)


class WebhookPushTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.token = secrets.token_hex(32)
        cls.receiver = PushReceiver(cls.token)
        try:
            cls.stack = start_stack_with_webhook(cls.receiver.url, cls.token, alertmanagers=2)
            cls.stack.wait_until_clustered()
        except BaseException:
            cls.receiver.stop()
            raise

    @classmethod
    def tearDownClass(cls):
        cls.stack.stop()
        cls.receiver.stop()

    def test_config_sends_the_token(self):
        config = (self.stack.workdir / "alertmanager" / "alertmanager.yml").read_text()
        self.assertIn(self.receiver.url, config)
        self.assertIn("credentials:", config)
        self.assertIn("send_resolved: true", config)

    def test_posted_alert_arrives_through_push(self):
        labels = {"alertname": "WebhookPushTest", "severity": "critical",
                  "instance": "db-7:9100"}
        annotations = {"summary": "Disk almost full on <db-7> & co"}
        started = utc_now() - datetime.timedelta(seconds=30)

        began = time.monotonic()
        self.stack.post_alert(labels, annotations, starts_at=started)
        seen = []
        fired = self.receiver.wait_for("fired", name="WebhookPushTest", seen=seen)
        self.assertIsNotNone(fired, "the alert did not arrive through push within 30 s")
        fingerprint, when = fired[0][0], fired[1]
        print(f"pushed alert fired {1000 * (when - began):.0f} ms after it was posted "
              "(Alertmanager's group_wait is 1 s in the demo)", flush=True)

        # The fingerprint is Alertmanager's, so polls and pushes agree.
        listed = [a for a in self.stack.alerts(0)
                  if a["labels"].get("alertname") == "WebhookPushTest"]
        self.assertEqual([a["fingerprint"] for a in listed], [fingerprint])
        received = [e for e in seen if e[0] == "received"]
        self.assertTrue(received and received[-1][1][0] == "demo", received)

        # Resolved in Alertmanager: the resolve is pushed too (send_resolved).
        self.stack.post_alert(labels, annotations, starts_at=started, ends_at=utc_now())
        later = []
        resolved = self.receiver.wait_for("resolved", fingerprint=fingerprint, seen=later)
        self.assertIsNotNone(resolved, "the resolve did not arrive through push within 30 s")
        print(f"pushed resolve arrived {1000 * (resolved[1] - began):.0f} ms after the alert "
              "was posted", flush=True)

        # One alert-fired however many replicas and notifications there were.
        fired_again = [e for e in later if e[0] == "fired" and e[1][0] == fingerprint]
        self.assertEqual(fired_again, [])


def main():
    missing = [name for name in ("prometheus", "prometheus-alertmanager")
               if not shutil.which(name) and not shutil.which(name, path="/usr/bin:/usr/sbin")]
    if missing:
        print(f"SKIP: not installed: {', '.join(missing)}")
        return 77
    program = unittest.main(exit=False, verbosity=2)
    return 0 if program.result.wasSuccessful() else 1


if __name__ == "__main__":
    sys.exit(main())
