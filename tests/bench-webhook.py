#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Benchmark: alert-to-Vigil latency through push, against the real
Alertmanager (Debian's prometheus-alertmanager, one instance of the demo
stack).

Each of N alerts gets its own alertname, so its own aggregation group, and
is POSTed to Alertmanager's /api/v2/alerts the way Prometheus sends it; the
time runs until VigilAlertTracker emits alert-fired for it in
tests/bench-webhook --serve (receiver -> worker parse -> tracker push). Both
ends read CLOCK_MONOTONIC.

The figure includes Alertmanager's group_wait (1 s in data/demo/
alertmanager.yml; 30 s is Alertmanager's default, and production routes
often use 10-30 s), its dispatch and notification pipeline, the HTTP POST
with the bearer token, Vigil's parse and the tracker.  group_wait dominates;
the line "above group_wait" is what is left.  Prints figures, asserts
nothing about time.  Exits 77 (skipped) when the servers are not installed.
"""

import pathlib
import re
import secrets
import shutil
import statistics
import sys
import time

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent / "integration"))

from test_webhook import PushReceiver, start_stack_with_webhook  # noqa: E402
from vigil_test_util import SOURCE_ROOT  # noqa: E402

N_ALERTS = 30


def group_wait_seconds():
    text = (SOURCE_ROOT / "data" / "demo" / "alertmanager.yml").read_text(encoding="utf-8")
    match = re.search(r"^\s*group_wait:\s*(\d+(?:\.\d+)?)(ms|s|m)\s*$", text, re.MULTILINE)
    if not match:
        return None
    value, unit = float(match.group(1)), match.group(2)
    return value * {"ms": 0.001, "s": 1.0, "m": 60.0}[unit]


def percentile(values, p):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(p * (len(ordered) - 1) + 0.5))]


def main():
    if not (shutil.which("prometheus-alertmanager") or shutil.which("alertmanager")):
        print("SKIP: prometheus-alertmanager is not installed")
        return 77

    token = secrets.token_hex(32)
    receiver = PushReceiver(token)
    stack = None
    try:
        stack = start_stack_with_webhook(receiver.url, token, alertmanagers=1)
        total, after_receipt = [], []
        run = secrets.token_hex(3)
        for index in range(N_ALERTS):
            name = f"BenchPush{run}x{index}"
            began = time.monotonic()
            stack.post_alert({"alertname": name, "severity": "critical", "instance": f"host-{index}"},
                             {"summary": f"Benchmark alert {index}"})
            seen = []
            fired = receiver.wait_for("fired", name=name, timeout=60, seen=seen)
            if fired is None:
                print(f"alert {index} did not arrive through push within 60 s")
                return 1
            total.append(fired[1] - began)
            received = [when for kind, _, when in seen if kind == "received"]
            if received:
                after_receipt.append(fired[1] - received[-1])

        wait = group_wait_seconds()
        ms = [1000 * value for value in total]
        print(f"Alert to Vigil through push, real Alertmanager {stack.alertmanager_urls[0]}, "
              f"{N_ALERTS} alerts, one group each:")
        print(f"  posted -> alert-fired   median {statistics.median(ms):7.1f} ms   "
              f"p95 {percentile(ms, 0.95):7.1f} ms   min {min(ms):7.1f} ms   max {max(ms):7.1f} ms")
        if wait is not None:
            above = [value - 1000 * wait for value in ms]
            print(f"  above group_wait ({wait:g} s)  median {statistics.median(above):7.1f} ms   "
                  f"p95 {percentile(above, 0.95):7.1f} ms")
        if after_receipt:
            us = [1e6 * value for value in after_receipt]
            print(f"  signal -> alert-fired   median {statistics.median(us):7.0f} µs   "
                  f"p95 {percentile(us, 0.95):7.0f} µs")
        print("  includes: Alertmanager's group_wait, dispatch and webhook POST (bearer token),")
        print("  Vigil's HTTP checks, parse in a worker, tracker push; not the desktop")
        print("  notification itself.  bench-webhook measures the part inside Vigil alone.")
        return 0
    finally:
        if stack is not None:
            stack.stop()
        receiver.stop()


if __name__ == "__main__":
    sys.exit(main())
