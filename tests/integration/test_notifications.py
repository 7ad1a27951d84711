# SPDX-License-Identifier: GPL-3.0-or-later
"""`vigil --background` on a private session bus with python3-dbusmock's
notification daemon: a real alert posted to the real Alertmanager, whose
summary holds markup characters, gives exactly one Notify call with the
summary as plain text and the body escaped. The Watchdog never notifies."""

import os
import shutil
import subprocess
import time
import unittest

import dbus
import dbusmock

from vigil_test_util import DemoStack, temp_dir, vigil_binary, vigil_env

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
        env = vigil_env(self.config.name, poll_interval=f"uint32 {POLL_SECONDS}")
        env["DBUS_SESSION_BUS_ADDRESS"] = os.environ["DBUS_SESSION_BUS_ADDRESS"]
        args = [vigil_binary(), "--background", f"--prometheus={self.stack.prometheus_url}"]
        args += [f"--alertmanager={url}" for url in self.stack.alertmanager_urls]
        self.vigil = subprocess.Popen(args, env=env)

    def tearDown(self):
        self.vigil.terminate()
        try:
            self.vigil.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.vigil.kill()
            self.vigil.wait()
        self.daemon.terminate()
        self.daemon.wait()
        self.config.cleanup()

    def notify_calls(self):
        return [call for call in self.mock.GetCalls() if call[1] == "Notify"]

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
        # Critical severity means critical urgency (2).
        self.assertEqual(int(hints["urgency"]), 2)

        # The heartbeat fires all the time and never notifies.
        for call in calls:
            self.assertNotIn("Watchdog", str(call[2][3]))


if __name__ == "__main__":
    unittest.main(verbosity=2)
