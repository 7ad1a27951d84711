# SPDX-License-Identifier: GPL-3.0-or-later
"""A two-member Alertmanager cluster (Debian's, gossiping on loopback) as
one source: `vigil --alertmanager=URL1,URL2` shows each alert once, and
when a member stops, still shows it and says which member is down. The same
cluster from the `sources` settings key, and through "Test connection"."""

import json
import subprocess
import time
import unittest

from vigil_test_util import BUILD_ROOT, DemoStack, run_vigil, temp_dir, vigil_env


class ClusterSourceTest(unittest.TestCase):
    def setUp(self):
        self.stack = DemoStack(alertmanagers=2)
        self.stack.start()
        self.stack.wait_until_clustered()

    def tearDown(self):
        self.stack.stop()

    def cluster_status(self, env=None, args=None):
        if args is None:
            args = [f"--alertmanager={','.join(self.stack.alertmanager_urls)}"]
        result = run_vigil(["--status", "--format=json", *args], env=env)
        return result, json.loads(result.stdout)

    def wait_for_alert(self, name, env=None, args=None):
        deadline = time.monotonic() + 60
        while True:
            result, report = self.cluster_status(env, args)
            names = [a["labels"].get("alertname") for a in report["alerts"]]
            if name in names:
                return result, report
            self.assertLess(time.monotonic(), deadline, f"{name} never listed: {report}")
            time.sleep(0.5)

    def test_one_source_member_down(self):
        # Posted to the second member only: the cluster still lists it once.
        self.stack.post_alert({"alertname": "VigilClusterTest", "severity": "critical"},
                              {"summary": "Posted to one member"}, alertmanager=1)
        self.stack.post_alert({"alertname": "VigilBothMembers", "severity": "warning"},
                              {"summary": "Posted to both members"})
        self.wait_for_alert("VigilClusterTest")
        result, report = self.wait_for_alert("VigilBothMembers")
        self.assertEqual(result.returncode, 0, result.stderr)

        self.assertEqual(len(report["sources"]), 1)
        source = report["sources"][0]
        self.assertEqual(source["kind"], "alertmanager")
        self.assertEqual(source["urls"], self.stack.alertmanager_urls)
        self.assertTrue(source["ok"])
        self.assertIsNone(source["warning"])
        names = [a["labels"]["alertname"] for a in report["alerts"]]
        self.assertEqual(names.count("VigilBothMembers"), 1)
        self.assertEqual(names.count("VigilClusterTest"), 1)
        fingerprints = [a["fingerprint"] for a in report["alerts"]]
        self.assertEqual(len(fingerprints), len(set(fingerprints)))

        # One member goes down: same alerts, one health line that says which.
        down = self.stack.alertmanager_urls[0].split("//", 1)[1]
        self.stack.stop_alertmanager(0)
        result, report = self.cluster_status()
        self.assertEqual(result.returncode, 0, result.stderr)
        source = report["sources"][0]
        self.assertTrue(source["ok"])
        self.assertIsNone(source["error"])
        self.assertIn("1 of 2 cluster members did not answer", source["warning"])
        self.assertIn(f"Connection refused by {down}", source["warning"])
        names = [a["labels"]["alertname"] for a in report["alerts"]]
        self.assertIn("VigilClusterTest", names)
        self.assertIn("VigilBothMembers", names)
        print(f"member {down} down: {source['warning']}")

        text = run_vigil(["--status", f"--alertmanager={','.join(self.stack.alertmanager_urls)}"])
        self.assertIn("WARN", text.stdout)
        self.assertIn(f"Connection refused by {down}", text.stdout)

        # Both down: an error, exit 2, the reason names both.
        self.stack.stop_alertmanager(1)
        result, report = self.cluster_status()
        self.assertEqual(result.returncode, 2)
        self.assertFalse(report["sources"][0]["ok"])
        self.assertIn("No member of the cluster answered (2 members)", report["sources"][0]["error"])

    def test_repeated_option_gives_separate_sources(self):
        args = [f"--alertmanager={url}" for url in self.stack.alertmanager_urls]
        result, report = self.cluster_status(args=args)
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertEqual(len(report["sources"]), 2)

    def test_cluster_from_settings_and_test_connection(self):
        urls = ", ".join(json.dumps(url) for url in self.stack.alertmanager_urls)
        source = (f"{{'id': <'cluster-1'>, 'name': <'Production HA'>, 'kind': <'alertmanager'>,"
                  f" 'urls': <@as [{urls}]>}}")
        self.stack.post_alert({"alertname": "VigilFromSettings", "severity": "warning"})
        with temp_dir() as config:
            env = vigil_env(config, sources=f"[{source}]")
            result, report = self.wait_for_alert("VigilFromSettings", env=env, args=[])
        self.assertEqual([s["name"] for s in report["sources"]], ["Production HA"])

        probe = subprocess.run([str(BUILD_ROOT / "tests" / "source-probe"), source],
                               capture_output=True, text=True, timeout=60, env=vigil_env())
        self.assertEqual(probe.returncode, 0, probe.stderr)
        answer = json.loads(probe.stdout)
        lines = answer["test"].splitlines()
        print("Test connection: " + " / ".join(lines))
        self.assertEqual(len(lines), 2)
        for url, line in zip(self.stack.alertmanager_urls, lines):
            self.assertTrue(line.startswith(url.split("//", 1)[1] + ": Alertmanager "), line)
            self.assertIn("cluster ready with 2 members", line)


if __name__ == "__main__":
    unittest.main(verbosity=2)
