#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Writes the seed corpus of each fuzz target into tests/fuzz/corpus/TARGET/
from the real server answers in tests/fixtures (see its INDEX.tsv), plus a
few hand-made inputs for the shapes no capture has:

    build-aux/fuzz-corpus.py            (re)write every seed-* file
    build-aux/fuzz-corpus.py --check    exit 1 if the committed seeds differ

Only files named seed-* of the targets listed here are written or removed;
repro-* files, the inputs that once broke a parser, are kept, and so are the
folders of targets whose seeds are made by hand. The output is committed, so
building and testing never need this script; run it again after adding a
case (`meson test --suite fuzz` checks that). Needs only the standard
library, except for the source-config seeds (GLib's GVariant through
python3-gi), which are skipped when that is missing."""

import json
import pathlib
import re
import sys

ROOT = pathlib.Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures"
CORPUS = ROOT / "tests" / "fuzz" / "corpus"

# Each seed is (name, bytes). Names say where the bytes come from.


def load_case(name):
    """The responses of a case file: [(suffix, status, body bytes)]."""
    data = (FIXTURES / name).read_bytes()
    stem = name.split("-")[0]
    try:
        parsed = json.loads(data)
    except ValueError:
        return [(stem, 200, data)]
    if isinstance(parsed, dict) and parsed.get("kind") == "bundle":
        return [(f"{stem}-{index}", response["status"], (response.get("body") or "").encode("utf-8"))
                for index, response in enumerate(parsed["responses"])]
    return [(stem, 200, data)]


def cases(*names):
    seeds = []
    for name in names:
        path = FIXTURES / name
        if not path.exists():
            continue
        for suffix, _status, body in load_case(name):
            if body:
                seeds.append((f"case-{suffix}", body))
    return seeds


def picked(name, *indexes):
    every = load_case(name)
    return [(f"case-{every[i][0]}", every[i][2]) for i in indexes if i < len(every)]


def fixture_file(relative, seed_name):
    path = FIXTURES / relative
    return [(seed_name, path.read_bytes())] if path.exists() else []


def trimmed_large():
    """The large answer cut to its first series: the same shapes, small
    enough that the fuzzer mutates it quickly."""
    path = FIXTURES / "large" / "prometheus__api_v1_query__all_series_large.json"
    parsed = json.loads(path.read_bytes())
    parsed["data"]["result"] = parsed["data"]["result"][:12]
    return [("large-trimmed", json.dumps(parsed, ensure_ascii=False,
                                         separators=(",", ":")).encode("utf-8"))]


NOT_JSON = picked("10-startup-503-plain-text.json", 0) + \
    picked("11-non-json-responses.json", 0, 1, 3, 4, 5) + \
    picked("25-auth-and-tls-failures.json", 0)

ERROR_BODIES = cases("05-bad-data-400.json", "06-execution-and-timeout-errors.json",
                     "07-step-too-small-11000-points.json") + \
    picked("22-silence-create-errors.json", 0, 3, 4, 5, 8)

HAND_MADE_QUERY = [
    ("matrix", b'{"status":"success","data":{"resultType":"matrix","result":['
               b'{"metric":{"__name__":"up","job":"a"},"values":[[1796312400,"1"],'
               b'[1796312415.5,"NaN"],[1796312430,"+Inf"]]},'
               b'{"metric":{},"values":[]}]},"warnings":["w1"],"infos":["i1"]}'),
    ("native-histogram", b'{"status":"success","data":{"resultType":"vector","result":['
                         b'{"metric":{"__name__":"h"},"histogram":[1796312400,{"count":"3",'
                         b'"sum":"1.5","buckets":[[0,"0","1","3"]]}]}]}}'),
    ("odd-types", b'{"status":"success","data":{"resultType":"vector","result":['
                  b'{"metric":{"a":1,"b":null,"c":["x"]},"value":[null,4]},'
                  b'{"metric":"x","value":"1"},[],7]}}'),
]

HAND_MADE_ALERTS = [
    ("odd-types", b'[{"labels":{"alertname":1,"x":"y"},"annotations":[],"status":"active",'
                  b'"receivers":["a",{"name":2}],"fingerprint":7,"startsAt":"yesterday"},'
                  b'{"fingerprint":"","labels":{}},null,"x"]'),
    ("escapes", b'[{"fingerprint":"f","labels":{"alertname":"\\u00e9\\ud83d\\udd25\\u0000x",'
                b'"k":"\\"\\\\\\/\\b\\f\\n\\r\\t"},"status":{"state":"unknown"}}]'),
]

DEEP = [
    ("deep-64", b"[" * 64 + b"]" * 64),
    ("deep-65", b"[" * 65 + b"]" * 65),
    ("deep-objects", b'{"a":' * 40 + b"1" + b"}" * 40),
    ("brackets-in-strings", b'["[[[[\\"]]]]", "\\\\", {"k[":"{"}]'),
    ("unbalanced", b"]]]]}}}}[[[[{{{{"),
    ("escape-at-end", b'["\\'),
]

SAMPLE_VALUES = ["+Inf", "-Inf", "NaN", "nan", "inf", "Infinity", "-infinity", "1e-09",
                 "1.5e+300", "-0", "123456789.12345679", "0.30000000000000004", "1e+00",
                 "4", "1796312400.123", "1e309", "-1e-400", "0x1p3", " 1", "1,5", ".5",
                 "5.", "1e", "+", "-", "--1", "1e+", "nan(0x1)", ""]

TIMESTAMPS = ["2026-12-03T15:41:36.254Z", "2026-12-03T21:11:54.449+05:30",
              "2026-12-03T15:39:52.444458754Z", "0001-01-01T00:00:00Z",
              "2026-12-03 15:00:00", "2026-12-03t15:41:36z", "2026-12-03T15:41:36-00:00",
              "2026-12-31T23:59:60Z", "9999-12-31T23:59:59.999999999+14:00",
              "0000-01-01T00:00:00Z", "2026-02-30T00:00:00Z", "2026-12-03T15:41:36.Z",
              "2026-12-03T15:41:36+24:00", "2026-W49-4T15:41:36Z", "2026-12-03T15:41Z", ""]


def strings_of(pattern, *names):
    found = []
    for name in names:
        for _suffix, _status, body in load_case(name):
            found += re.findall(pattern, body.decode("utf-8", "replace"))
    return found


def text_seeds(prefix, texts):
    seen, seeds = set(), []
    for text in texts:
        if text in seen:
            continue
        seen.add(text)
        seeds.append((f"{prefix}-{len(seeds):02d}", text.encode("utf-8")))
    return seeds


def source_config_seeds():
    try:
        import gi
        gi.require_version("GLib", "2.0")
        from gi.repository import GLib
    except (ImportError, ValueError):
        print("fuzz-corpus: no python3-gi, source-config seeds left as they are",
              file=sys.stderr)
        return None

    def source(**members):
        types = {"id": "s", "name": "s", "kind": "s", "urls": "as", "tenant": "s",
                 "headers": "as", "auth": "s", "username": "s", "ca-file": "s",
                 "client-certificate": "s", "client-key": "s", "tls-verify": "b"}
        return {key.replace("_", "-"): GLib.Variant(types.get(key.replace("_", "-"), "s"), value)
                for key, value in members.items()}

    lists = {
        "two-sources": [
            source(id="a", name="Prometheus", kind="prometheus",
                   urls=["https://prom.example.com/prometheus"], tenant="team-a",
                   headers=["X-Extra", "1"], auth="bearer", tls_verify=True),
            source(id="b", name="Alertmanager", kind="alertmanager",
                   urls=["http://am1:9093", "http://am2:9093"], auth="basic",
                   username="oncall", ca_file="/etc/ssl/ca.pem", tls_verify=False),
        ],
        "same-names": [source(id="a", name="x", kind="prometheus", urls=["http://h:1"]),
                       source(id="b", name="x", kind="prometheus", urls=["http://h:2"])],
        "odd": [source(id="", name="", kind="unknown", urls=["ftp://x", "", "http://u:p@h/"],
                       headers=["odd"], auth="digest")],
    }
    seeds = []
    for name, value in lists.items():
        variant = GLib.Variant("aa{sv}", value)
        seeds.append((name, bytes(variant.get_data_as_bytes().get_data())))
    seeds.append(("urls-text", b" http://am1:9093 , https://am2:9093/prefix/,, "))
    return seeds


def targets():
    every_alert_list = cases("18-suppressed-inhibited-silenced.json") + \
        picked("14-unicode-empty-and-many-labels.json", 1, 3) + \
        picked("15-ha-duplicate-fingerprints.json", 0, 1, 4)
    silences = cases("17-silence-states.json") + picked("15-ha-duplicate-fingerprints.json", 2, 3)
    status = fixture_file("status/prometheus-buildinfo.json", "prometheus-buildinfo") + \
        fixture_file("status/victoriametrics-buildinfo.json", "victoriametrics-buildinfo") + \
        fixture_file("status/alertmanager-status-single.json", "alertmanager-status-single") + \
        fixture_file("status/alertmanager-status-cluster.json", "alertmanager-status-cluster")
    webhooks = fixture_file("webhook-v4.json", "webhook-v4") + \
        fixture_file("webhook-v4-resolved.json", "webhook-v4-resolved")

    depth_inputs = cases("01-nan-inf-values.json", "20-pending-alerts.json") + \
        picked("22-silence-create-errors.json", 0) + every_alert_list[:2] + DEEP
    # The first byte of a json-depth input picks the depth limit (mod 80).
    depth = [(name, bytes([64]) + body) for name, body in depth_inputs] + \
        [("limit-3-" + name, bytes([3]) + body) for name, body in DEEP[:3]]

    return {
        "alertmanager-alerts": every_alert_list + NOT_JSON + silences[:1] +
        cases("20-pending-alerts.json") + HAND_MADE_ALERTS,
        "prometheus-alerts": cases("20-pending-alerts.json") + every_alert_list[:1] +
        ERROR_BODIES[:2] + NOT_JSON,
        "prometheus-query": cases("01-nan-inf-values.json", "03-scalar-and-string-results.json",
                                  "10-startup-503-plain-text.json") +
        picked("14-unicode-empty-and-many-labels.json", 4) + ERROR_BODIES[:8] +
        trimmed_large() + HAND_MADE_QUERY,
        "error-body": ERROR_BODIES + NOT_JSON + picked("22-silence-create-errors.json", 7),
        "json-depth": depth,
        "sample-value": text_seeds("value", SAMPLE_VALUES + strings_of(
            r'"([-+0-9.eEInfNa]+)"\]', "01-nan-inf-values.json",
            "03-scalar-and-string-results.json")),
        "timestamp": text_seeds("time", TIMESTAMPS + strings_of(
            r'"(\d{4}-\d\d-\d\dT[^"]+)"', "17-silence-states.json",
            "18-suppressed-inhibited-silenced.json", "20-pending-alerts.json",
            "14-unicode-empty-and-many-labels.json")),
        "silences": silences + every_alert_list[:1] + picked("22-silence-create-errors.json", 0),
        "silence-created": picked("22-silence-create-errors.json", 7, 0, 4, 8) +
        [("odd-id", b'{"silenceID":"a/b?c#d e\\u00e9"}'), ("number-id", b'{"silenceID":5}')],
        "server-info": status + ERROR_BODIES[:1] + NOT_JSON[:2] + every_alert_list[:1],
        "webhook-payload": webhooks + every_alert_list[:1],
        "source-config": source_config_seeds(),
    }


def main():
    check = "--check" in sys.argv[1:]
    differs = []
    for target, seeds in targets().items():
        if seeds is None:
            continue
        folder = CORPUS / target
        wanted = {}
        for name, body in seeds:
            safe = re.sub(r"[^A-Za-z0-9._-]+", "-", name)
            wanted[f"seed-{safe}"] = body
        existing = {p.name: p.read_bytes() for p in folder.glob("seed-*")} if folder.exists() else {}
        if existing != wanted:
            differs.append(target)
        if check:
            continue
        folder.mkdir(parents=True, exist_ok=True)
        for name in existing.keys() - wanted.keys():
            (folder / name).unlink()
        for name, body in wanted.items():
            (folder / name).write_bytes(body)
        print(f"fuzz-corpus: {target}: {len(wanted)} seeds")
    if check and differs:
        print("fuzz-corpus: out of date: " + ", ".join(differs), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
