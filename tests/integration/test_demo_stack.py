#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Integration test of the demo stack: real Prometheus, two clustered
Alertmanagers and vigil-demo-service, all on 127.0.0.1 and free ports.

Run by meson (`meson test -C build --suite integration`) or by hand:

    VIGIL_BUILD_ROOT=build /usr/bin/python3 tests/integration/test_demo_stack.py

The demo service is looked up in $VIGIL_BUILD_ROOT (or taken from
$VIGIL_DEMO_SERVICE_BIN).  Exits 77, which meson counts as skipped, when
Prometheus or Alertmanager is not installed.
"""

import os
import pathlib
import shutil
import sys
import time
import unittest

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent.parent.parent / "build-aux"))

import demo_stack  # noqa: E402

ALERT_TIMEOUT = 90.0


def pid_is_gone(pid):
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    # A zombie is gone for our purpose only once reaped; DemoStack reaps.
    try:
        state = pathlib.Path(f"/proc/{pid}/stat").read_text().split(")")[-1].split()[0]
    except OSError:
        return True
    return state in ("Z", "X")


class DemoStackTest(unittest.TestCase):
    """The steps run in the order of their names and share one stack."""

    stack = None
    pids = []

    @classmethod
    def setUpClass(cls):
        cls.stack = demo_stack.DemoStack(os.environ.get("VIGIL_BUILD_ROOT"),
                                         alertmanagers=2, verbose=True)
        cls.stack.start()
        cls.pids = cls.stack.pids
        print(f"stack started in {cls.stack.startup_seconds:.2f} s: {cls.stack.servers}",
              flush=True)

    @classmethod
    def tearDownClass(cls):
        if cls.stack is not None:
            cls.stack.stop()

    def test_1_servers_answer_on_loopback(self):
        for url in [self.stack.prometheus_url, self.stack.service_url,
                    *self.stack.alertmanager_urls]:
            self.assertTrue(url.startswith("http://127.0.0.1:"), url)
        status, body = demo_stack.http_request(f"{self.stack.service_url}/metrics")
        self.assertEqual(status, 200)
        text = body.decode("utf-8")
        self.assertIn('http_request_duration_seconds_bucket{handler="/api",le="0.005"}', text)
        self.assertIn('http_request_duration_seconds_bucket{handler="/api",le="+Inf"}', text)
        for code in ("200", "500", "503"):
            self.assertIn(f'http_requests_total{{code="{code}",handler="/api"}}', text)
        settings = self.stack.service_settings()
        self.assertAlmostEqual(settings["latency"], 0.05)
        self.assertAlmostEqual(settings["error_ratio"], 0.01)

    def test_2_alertmanagers_are_clustered(self):
        for index in range(2):
            cluster = self.stack.alertmanager_status(index)["cluster"]
            self.assertEqual(cluster["status"], "ready")
            self.assertEqual(len(cluster["peers"]), 2, cluster)
            for peer in cluster["peers"]:
                self.assertTrue(peer["address"].startswith("127.0.0.1:"), peer)

    def test_3_prometheus_scrapes_the_service(self):
        deadline = time.monotonic() + 30
        while True:
            result = self.stack.query('up{job="demo-service"} == 1')["result"]
            if result:
                break
            self.assertLess(time.monotonic(), deadline, "demo-service was never scraped")
            time.sleep(0.5)
        settings = self.stack.set_service(latency=0.05)
        self.assertAlmostEqual(settings["latency"], 0.05)

    def test_4_watchdog_reaches_both_alertmanagers(self):
        alert = self.stack.wait_for_alert("Watchdog", timeout=ALERT_TIMEOUT)
        self.assertEqual(alert["labels"].get("severity"), "none")
        self.assertTrue(alert["generatorURL"].startswith(self.stack.prometheus_url))

    def test_5_high_error_ratio_fires(self):
        active = [a["labels"]["alertname"] for a in self.stack.alerts(0)]
        self.assertNotIn("HighErrorRatio", active, "fired before the fault")

        began = time.monotonic()
        settings = self.stack.set_service(error_ratio=0.3)
        self.assertAlmostEqual(settings["error_ratio"], 0.3)
        alert = self.stack.wait_for_alert("HighErrorRatio", timeout=ALERT_TIMEOUT)
        print(f"HighErrorRatio active in both Alertmanagers "
              f"{time.monotonic() - began:.1f} s after the fault", flush=True)

        self.assertEqual(alert["labels"].get("severity"), "critical")
        self.assertEqual(alert["labels"].get("job"), "demo-service")
        self.assertEqual(alert["status"]["state"], "active")
        for key in ("summary", "description", "runbook_url"):
            self.assertTrue(alert["annotations"].get(key), key)
        self.assertIn("demo-service", alert["annotations"]["summary"])

        names = {a["labels"]["alertname"] for a in self.stack.alerts(1)}
        self.assertIn("Watchdog", names)

    def test_6_posted_alert_is_listed(self):
        self.stack.post_alert({"alertname": "DemoPosted", "severity": "warning",
                               "instance": "drill"},
                              {"summary": "Posted by the integration test"})
        for index in range(2):
            alert = self.stack.wait_for_alert("DemoPosted", timeout=10, alertmanager=index)
            self.assertEqual(alert["annotations"]["summary"], "Posted by the integration test")

    def test_9_stop_leaves_no_process(self):
        self.assertEqual(len(self.pids), 4)
        workdir = self.stack.workdir
        began = time.monotonic()
        self.stack.stop()
        print(f"stack stopped in {time.monotonic() - began:.2f} s", flush=True)
        for pid in self.pids:
            self.assertTrue(pid_is_gone(pid), f"PID {pid} still runs")
        self.assertFalse(workdir.exists(), f"{workdir} left behind")
        self.stack.stop()  # a second stop does nothing


def main():
    missing = [name for name in ("prometheus", "prometheus-alertmanager")
               if not shutil.which(name)]
    if missing:
        print(f"SKIP: not installed: {', '.join(missing)}")
        return 77
    program = unittest.main(exit=False, verbosity=2)
    return 0 if program.result.wasSuccessful() else 1


if __name__ == "__main__":
    sys.exit(main())
