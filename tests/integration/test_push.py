# SPDX-License-Identifier: GPL-3.0-or-later
"""Push end to end: `vigil --background` with its webhook on, polling only
once an hour, and the real Alertmanager pushing to it with the token Vigil
keeps in the keyring. A posted alert must reach the desktop (python3-dbusmock's
notification daemon on a private bus) long before any poll could bring it."""

import os
import secrets
import shutil
import socket
import subprocess
import time
import unittest

import dbus
import dbusmock

from vigil_test_util import BUILD_ROOT, DemoStack, temp_dir, vigil_binary, vigil_env


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class PushTest(dbusmock.DBusTestCase):
    @classmethod
    def setUpClass(cls):
        cls.start_session_bus()
        cls.dbus_con = cls.get_dbus(system_bus=False)

    @classmethod
    def tearDownClass(cls):
        datadir = dbusmock.DBusTestCase._DBusTestCase__datadir
        super().tearDownClass()
        if datadir:
            shutil.rmtree(datadir, ignore_errors=True)

    def setUp(self):
        self.daemon, daemon_obj = self.spawn_server_template(
            "notification_daemon", {"capabilities": "body body-markup actions"},
            stdout=subprocess.DEVNULL)
        self.mock = dbus.Interface(daemon_obj, dbusmock.MOCK_IFACE)
        self.home = temp_dir()
        self.port = free_port()
        self.token = secrets.token_hex(32)

        self.env = vigil_env(self.home.name, poll_interval="uint32 3600",
                             webhook_enabled="true", webhook_port=f"uint32 {self.port}")
        self.env.update(SECRET_BACKEND="file",
                        SECRET_FILE_TEST_PATH=os.path.join(self.home.name, "keyring"),
                        SECRET_FILE_TEST_PASSWORD="vigil-test",
                        DBUS_SESSION_BUS_ADDRESS=os.environ["DBUS_SESSION_BUS_ADDRESS"])
        # The token as the user would have stored it, through Vigil's own schema.
        config = ("{'id': <'webhook'>, 'name': <'webhook'>, 'kind': <'alertmanager'>, "
                  "'urls': <['http://127.0.0.1:1']>}")
        subprocess.run([str(BUILD_ROOT / "tests" / "source-probe"), config, "--store-secret"],
                       input=self.token, text=True, env=self.env, check=True,
                       capture_output=True)

        self.stack = DemoStack(alertmanagers=1,
                               webhook_url=f"http://127.0.0.1:{self.port}/api/webhook/alertmanager",
                               webhook_token=self.token)
        self.stack.start()
        self.vigil = subprocess.Popen([vigil_binary(), "--background",
                                       f"--alertmanager={self.stack.alertmanager_urls[0]}"],
                                      env=self.env)

    def tearDown(self):
        self.vigil.terminate()
        try:
            self.vigil.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.vigil.kill()
            self.vigil.wait()
        self.stack.stop()
        self.daemon.terminate()
        self.daemon.wait()
        self.home.cleanup()

    def summaries(self):
        return [str(call[2][3]) for call in self.mock.GetCalls() if call[1] == "Notify"]

    def test_pushed_alert_notifies_at_once(self):
        # Let the first (and, within this test, only) poll go by.
        time.sleep(3)
        self.assertIsNone(self.vigil.poll(), "vigil --background exited")

        began = time.monotonic()
        self.stack.post_alert({"alertname": "PushedAlert", "severity": "critical"},
                              {"summary": "Pushed, not polled"})
        while "Pushed, not polled" not in self.summaries():
            self.assertIsNone(self.vigil.poll(), "vigil --background exited")
            self.assertLess(time.monotonic() - began, 30,
                            "no notification within 30 s; polls are an hour apart")
            time.sleep(0.05)
        elapsed = time.monotonic() - began
        print(f"notified {elapsed:.2f} s after the alert was posted "
              "(Alertmanager's group_wait of the demo is 1 s)")
        self.assertEqual(self.summaries().count("Pushed, not polled"), 1)


if __name__ == "__main__":
    unittest.main(verbosity=2)
