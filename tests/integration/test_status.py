# SPDX-License-Identifier: GPL-3.0-or-later
"""`vigil --status` against the real demo stack: Prometheus fires a rule
because the demo service's errors went up, two clustered Alertmanagers list
it, and Vigil's one-shot poll reports it."""

import json
import socket
import time
import unittest

from vigil_test_util import DemoStack, run_vigil, temp_dir, vigil_env


def closed_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class StatusTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.stack = DemoStack(alertmanagers=2)
        cls.stack.start()
        cls.stack.wait_until_clustered()

    @classmethod
    def tearDownClass(cls):
        cls.stack.stop()

    def status_args(self, *extra, format="json"):
        args = ["--status", f"--format={format}", f"--prometheus={self.stack.prometheus_url}"]
        args += [f"--alertmanager={url}" for url in self.stack.alertmanager_urls]
        return args + list(extra)

    def test_alert_reaches_status(self):
        began = time.monotonic()
        self.stack.set_service(error_ratio=0.4)
        found = None
        while found is None:
            result = run_vigil(self.status_args())
            self.assertEqual(result.returncode, 0, result.stderr)
            report = json.loads(result.stdout)
            self.assertTrue(report["ok"])
            self.assertIsNone(report["error"])
            names = [a["labels"].get("alertname") for a in report["alerts"]]
            # The heartbeat is never listed as a problem.
            self.assertNotIn("Watchdog", names)
            for alert in report["alerts"]:
                # Prometheus lists it as pending first; it counts once an
                # Alertmanager has it.
                if (alert["labels"].get("alertname") == "HighErrorRatio"
                        and alert["state"] == "active"):
                    found = alert
            if found is None:
                self.assertLess(time.monotonic() - began, 120,
                                "HighErrorRatio never showed in vigil --status")
                time.sleep(1)
        elapsed = time.monotonic() - began
        print(f"HighErrorRatio in vigil --status {elapsed:.1f} s after errors went up")

        self.assertEqual(found["severity"], "critical")
        self.assertEqual(found["state"], "active")
        self.assertRegex(found["fingerprint"], r"^[0-9a-f]{16}$")
        self.assertIn("summary", found["annotations"])
        self.assertRegex(found["startsAt"], r"^\d{4}-\d\d-\d\dT")
        # Two replicas list it; Vigil shows it once.
        fingerprints = [a["fingerprint"] for a in report["alerts"]]
        self.assertEqual(len(fingerprints), len(set(fingerprints)))
        kinds = sorted(s["kind"] for s in report["sources"])
        self.assertEqual(kinds, ["alertmanager", "alertmanager", "prometheus"])
        for source in report["sources"]:
            self.assertTrue(source["ok"])
            self.assertIsNone(source["error"])
            self.assertTrue(source["url"].startswith("http://127.0.0.1:"))

        text = run_vigil(self.status_args(format="text"))
        self.assertEqual(text.returncode, 0, text.stderr)
        self.assertIn("HighErrorRatio", text.stdout)

        waybar = run_vigil(self.status_args(format="waybar"))
        self.assertEqual(waybar.returncode, 0, waybar.stderr)
        bar = json.loads(waybar.stdout)
        self.assertEqual(bar["class"], "critical")
        self.assertGreaterEqual(int(bar["text"]), 1)

    def test_prometheus_pending_and_firing(self):
        """Next to the merged `alerts`, `prometheus_alerts` lists what
        Prometheus itself reports from /api/v1/alerts: HighLatencyP95 is
        pending for 10 s (its `for`) before it fires, and the heartbeat is
        there too, with the values of their expressions."""
        began = time.monotonic()
        self.stack.set_service(latency=0.8)
        states = []
        try:
            while "firing" not in states:
                result = run_vigil(self.status_args())
                self.assertEqual(result.returncode, 0, result.stderr)
                report = json.loads(result.stdout)
                prometheus = [s["name"] for s in report["sources"] if s["kind"] == "prometheus"]
                listed = report["prometheus_alerts"]
                for alert in listed:
                    self.assertIn(alert["state"], ("pending", "firing"))
                    self.assertIn(alert["source"], prometheus)
                    self.assertRegex(alert["fingerprint"], r"^[0-9a-f]{16}$")
                    self.assertRegex(alert["activeAt"], r"^\d{4}-\d\d-\d\dT")
                    value = alert["value"]
                    # A JSON number, or Prometheus' own spelling of what
                    # JSON has no number for.
                    self.assertTrue(value in ("NaN", "+Inf", "-Inf")
                                    or (isinstance(value, (int, float))
                                        and not isinstance(value, bool)),
                                    f"value {value!r}")
                watchdog = [a for a in listed if a["labels"]["alertname"] == "Watchdog"]
                self.assertEqual(len(watchdog), 1)
                self.assertEqual(watchdog[0]["state"], "firing")
                self.assertEqual(watchdog[0]["value"], 1)
                for alert in listed:
                    if alert["labels"]["alertname"] == "HighLatencyP95":
                        if not states or states[-1] != alert["state"]:
                            states.append(alert["state"])
                        # The p95 latency, in seconds, over the threshold.
                        if isinstance(alert["value"], float):
                            self.assertGreater(alert["value"], 0.5)
                if "firing" not in states:
                    self.assertLess(time.monotonic() - began, 120,
                                    f"HighLatencyP95 never fired; seen {states}")
                    time.sleep(0.3)
            print(f"HighLatencyP95 went {' -> '.join(states)} in vigil --status "
                  f"{time.monotonic() - began:.1f} s after latency went up")
            # Pending first: an early warning, before the rule's `for` ends.
            self.assertEqual(states, ["pending", "firing"])

            text = run_vigil(self.status_args(format="text"))
            self.assertEqual(text.returncode, 0, text.stderr)
            self.assertRegex(text.stdout, r"Prometheus: \d+ firing, \d+ pending")
            self.assertIn("HighLatencyP95", text.stdout)
        finally:
            self.stack.set_service(latency=0.05)

    def test_dead_source_exits_2(self):
        port = closed_port()
        result = run_vigil(self.status_args(f"--alertmanager=http://127.0.0.1:{port}"))
        self.assertEqual(result.returncode, 2)
        self.assertIn(f"Connection refused by 127.0.0.1:{port}", result.stderr)
        report = json.loads(result.stdout)
        self.assertFalse(report["ok"])
        self.assertIn("did not answer", report["error"])
        dead = [s for s in report["sources"] if not s["ok"]]
        self.assertEqual(len(dead), 1)
        self.assertIn("Connection refused", dead[0]["error"])

    def test_nothing_configured_exits_2(self):
        with temp_dir() as config:
            result = run_vigil(["--status"], env=vigil_env(config))
        self.assertEqual(result.returncode, 2)
        self.assertIn("No source is configured", result.stderr)

    def test_configured_sources_are_used(self):
        with temp_dir() as config:
            env = vigil_env(config, alertmanager_urls=f"['{self.stack.alertmanager_urls[0]}']")
            result = run_vigil(["--status", "--format=json"], env=env)
        self.assertEqual(result.returncode, 0, result.stderr)
        report = json.loads(result.stdout)
        self.assertEqual([s["url"] for s in report["sources"]], [self.stack.alertmanager_urls[0]])

    def test_status_needs_no_display_or_bus(self):
        env = vigil_env()
        for key in ("DISPLAY", "WAYLAND_DISPLAY", "DBUS_SESSION_BUS_ADDRESS"):
            env.pop(key, None)
        env["DBUS_SESSION_BUS_ADDRESS"] = "unix:path=/nonexistent/bus"
        result = run_vigil(self.status_args(), env=env)
        self.assertEqual(result.returncode, 0, result.stderr)
        json.loads(result.stdout)


if __name__ == "__main__":
    unittest.main(verbosity=2)
