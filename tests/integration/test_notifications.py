# SPDX-License-Identifier: GPL-3.0-or-later
"""`vigil --background` on a private session bus with python3-dbusmock's
notification daemon: a real alert posted to the real Alertmanager, whose
summary holds markup characters, gives exactly one Notify call with the
summary as plain text and the body escaped. The Watchdog never notifies.
Notifications carry the actions acknowledge/snooze/open; the daemon's
ActionInvoked("acknowledge") acknowledges, which `vigil --status` reports
from the saved state and a restart does not notify again; a storm gives
one summary."""

import os
import shutil
import subprocess
import time
import unittest

import json

import dbus
import dbusmock

from vigil_test_util import DemoStack, run_vigil, temp_dir, vigil_binary, vigil_env
from demo_stack import http_json  # noqa: E402  (path set by vigil_test_util)

POLL_SECONDS = 5


class NotificationTest(dbusmock.DBusTestCase):
    @classmethod
    def setUpClass(cls):
        cls.start_session_bus()
        cls.dbus_con = cls.get_dbus(system_bus=False)
        cls.stack = DemoStack(alertmanagers=2)
        cls.stack.start()
        cls.stack.wait_until_clustered()

    @classmethod
    def tearDownClass(cls):
        cls.stack.stop()
        # python3-dbusmock 0.28's tearDownClass forgets its data folder
        # before removing it; remove it here so runs leave nothing behind.
        datadir = dbusmock.DBusTestCase._DBusTestCase__datadir
        super().tearDownClass()
        if datadir:
            shutil.rmtree(datadir, ignore_errors=True)

    def setUp(self):
        self.daemon, self.daemon_obj = self.spawn_server_template(
            "notification_daemon", {"capabilities": "body body-markup actions"},
            stdout=subprocess.DEVNULL)
        self.mock = dbus.Interface(self.daemon_obj, dbusmock.MOCK_IFACE)
        self.config = temp_dir()
        self.env = vigil_env(self.config.name, poll_interval=f"uint32 {POLL_SECONDS}")
        self.env["DBUS_SESSION_BUS_ADDRESS"] = os.environ["DBUS_SESSION_BUS_ADDRESS"]
        # The saved alert state goes to the test's folder, never the user's.
        self.env["XDG_STATE_HOME"] = os.path.join(self.config.name, "state")
        self.source_args = [f"--prometheus={self.stack.prometheus_url}"]
        self.source_args += [f"--alertmanager={url}" for url in self.stack.alertmanager_urls]
        self.start_vigil()

    def start_vigil(self):
        self.vigil = subprocess.Popen([vigil_binary(), "--background"] + self.source_args,
                                      env=self.env)

    def stop_vigil(self):
        self.vigil.terminate()
        try:
            self.vigil.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.vigil.kill()
            self.vigil.wait()

    def tearDown(self):
        self.stop_vigil()
        self.daemon.terminate()
        self.daemon.wait()
        self.config.cleanup()

    def notify_calls(self):
        return [call for call in self.mock.GetCalls() if call[1] == "Notify"]

    def notification_ids(self):
        """(id, Notify arguments) of each Notify call: the mock hands out
        ids from 1 unless the call replaces one."""
        next_id, result = 1, []
        for call in self.notify_calls():
            replaces = int(call[2][1])
            if replaces:
                result.append((replaces, call[2]))
            else:
                result.append((next_id, call[2]))
                next_id += 1
        return result

    def wait_for_notification(self, summary, timeout=60):
        began = time.monotonic()
        while True:
            self.assertIsNone(self.vigil.poll(), "vigil --background exited")
            self.assertLess(time.monotonic() - began, timeout, f"no notification “{summary}”")
            found = [(nid, args) for nid, args in self.notification_ids() if str(args[3]) == summary]
            if found:
                return found
            time.sleep(0.2)

    def status(self):
        result = run_vigil(["--status", "--format=json"] + self.source_args, env=self.env)
        return {a["labels"]["alertname"]: a for a in json.loads(result.stdout)["alerts"]}

    def test_acknowledge_from_notification(self):
        self.stack.post_alert({"alertname": "AckMe", "severity": "critical"}, {"summary": "Ack me"})
        self.stack.post_alert({"alertname": "LeaveMe", "severity": "critical"}, {"summary": "Leave me"})
        (nid, args), = self.wait_for_notification("Ack me")
        self.wait_for_notification("Leave me")

        actions = [str(a) for a in args[5]]
        keys = actions[0::2]
        for key in ("acknowledge", "snooze", "open"):
            self.assertIn(key, keys)
        self.assertIn("Acknowledge", actions)
        self.assertIn("Snooze 10 min", actions)

        self.mock.EmitSignal("org.freedesktop.Notifications", "ActionInvoked", "us",
                             [dbus.UInt32(nid), "acknowledge"])

        # The state is saved about 2 s after the change.
        began = time.monotonic()
        while True:
            alerts = self.status()
            if alerts["AckMe"].get("acknowledged"):
                break
            self.assertLess(time.monotonic() - began, 30, alerts["AckMe"])
            time.sleep(0.5)
        self.assertFalse(alerts["LeaveMe"]["acknowledged"])
        self.assertGreaterEqual(alerts["AckMe"]["escalation_level"], 1)
        print(f"acknowledged in --status {time.monotonic() - began:.1f} s after ActionInvoked")

        # A restart remembers: the acknowledged alert does not notify again,
        # the other one is still unacknowledged.
        self.stop_vigil()
        self.mock.ClearCalls()
        self.start_vigil()
        time.sleep(3 * POLL_SECONDS)
        self.assertIsNone(self.vigil.poll(), "vigil --background exited")
        summaries = [str(args[3]) for _, args in self.notification_ids()]
        self.assertNotIn("Ack me", summaries)
        alerts = self.status()
        self.assertTrue(alerts["AckMe"]["acknowledged"])
        self.assertFalse(alerts["LeaveMe"]["acknowledged"])

    def test_storm_gives_one_summary(self):
        # Alerts of earlier tests still fire: let the first poll take them
        # before the storm, so the storm comes in a poll of its own.
        time.sleep(POLL_SECONDS / 2)
        # All in one request, so that no poll sees half of them.
        batch = [{"labels": {"alertname": f"Storm{i}", "severity": "critical" if i < 3 else "warning"},
                  "annotations": {"summary": f"Storm {i}"}} for i in range(8)]
        for url in self.stack.alertmanager_urls:
            http_json(f"{url}/api/v2/alerts", method="POST", data=batch)

        found = self.wait_for_notification("8 alerts firing, 3 critical")
        time.sleep(2 * POLL_SECONDS)
        summaries = [str(args[3]) for _, args in self.notification_ids()]
        self.assertEqual(len(found), 1, summaries)
        for i in range(8):
            self.assertNotIn(f"Storm {i}", summaries)

    def test_one_plain_notification_per_alert(self):
        summary = "Disk <b>full</b> & on fire"
        description = "Writes fail on /srv: <i>42</i> & counting"
        began = time.monotonic()
        self.stack.post_alert({"alertname": "MarkupInjection", "severity": "critical",
                               "instance": "db<1>&2"},
                              {"summary": summary, "description": description})

        matching = []
        while not matching:
            self.assertIsNone(self.vigil.poll(), "vigil --background exited")
            self.assertLess(time.monotonic() - began, 60, "no notification within 60 s")
            time.sleep(0.2)
            matching = [c for c in self.notify_calls() if str(c[2][3]) == summary]
        print(f"notified {time.monotonic() - began:.1f} s after the alert was posted")

        # Several more polls of two replicas must not notify again.
        time.sleep(3 * POLL_SECONDS)
        self.assertIsNone(self.vigil.poll(), "vigil --background exited")
        calls = self.notify_calls()
        matching = [c for c in calls if str(c[2][3]) == summary]
        self.assertEqual(len(matching), 1, calls)

        app_name, replaces_id, icon, got_summary, body, actions, hints, timeout = matching[0][2]
        self.assertEqual(str(got_summary), summary)
        self.assertIn("Writes fail on /srv: &lt;i&gt;42&lt;/i&gt; &amp; counting", str(body))
        self.assertIn("db&lt;1&gt;&amp;2", str(body))
        self.assertNotIn("<i>", str(body))
        # Critical severity means critical urgency (2), from the first one.
        self.assertEqual(int(hints["urgency"]), 2)

        # The heartbeat fires all the time and never notifies.
        for call in calls:
            self.assertNotIn("Watchdog", str(call[2][3]))


if __name__ == "__main__":
    unittest.main(verbosity=2)
