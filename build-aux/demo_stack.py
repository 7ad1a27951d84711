#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Vigil's demo stack: Prometheus, an Alertmanager HA pair and a demo service.

Starts, on 127.0.0.1 and on free ports only:

  * vigil-demo-service, which simulates its own traffic and exposes a latency
    histogram and request counters whose latency and error ratio can be
    turned up while it runs;
  * Debian's ``prometheus``, scraping the service and itself every second and
    evaluating data/demo/rules.yml every second;
  * Debian's ``prometheus-alertmanager``, two instances clustered with each
    other over loopback gossip.

Everything runs from a temporary folder and is stopped by PID (SIGTERM, then
SIGKILL after a timeout) on normal exit, on exceptions and on SIGINT, SIGTERM
and SIGHUP.  The system services of Debian's packages, if any, are never
touched.

As a module (the integration tests)::

    with DemoStack(build_dir) as stack:
        stack.set_service(error_ratio=0.3)
        stack.wait_for_alert("HighErrorRatio")

As a script::

    demo_stack.py --build-dir build up
    demo_stack.py --build-dir build run -- vigil --prometheus={prometheus} \\
        --alertmanager={alertmanager}
    demo_stack.py check

Only the Python standard library is used; run it with /usr/bin/python3.
"""

import argparse
import atexit
import ctypes
import datetime
import http.client
import json
import os
import pathlib
import re
import shlex
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request

SOURCE_ROOT = pathlib.Path(__file__).resolve().parent.parent
DEMO_DATA_DIR = SOURCE_ROOT / "data" / "demo"
SERVICE_IN_BUILD_DIR = pathlib.Path("tests") / "demo-service" / "vigil-demo-service"

PROMETHEUS_NAMES = ("prometheus",)
ALERTMANAGER_NAMES = ("prometheus-alertmanager", "alertmanager")

# Ports of the system services that Debian's packages start on a machine with
# systemd.  The demo never uses them; it only says when they are taken.
SYSTEM_SERVICE_PORTS = (
    (9090, "prometheus", "Prometheus"),
    (9093, "prometheus-alertmanager", "Alertmanager"),
    (9094, "prometheus-alertmanager", "Alertmanager's cluster gossip"),
    (9100, "prometheus-node-exporter", "the node exporter"),
)

SIGNALS_TO_HANDLE = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)

# Requests to loopback must never go through a proxy from the environment.
_OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}))


class DemoStackError(RuntimeError):
    """A server of the demo stack could not be started or did not answer."""


def _log(message):
    print(f"demo-stack: {message}", file=sys.stderr, flush=True)


def http_request(url, method="GET", data=None, headers=None, timeout=5.0):
    """Sends one HTTP request and returns (status, body bytes).

    HTTP error statuses are returned, not raised; connection errors raise
    OSError (urllib.error.URLError is one).
    """
    if isinstance(data, (dict, list)):
        data = json.dumps(data).encode("utf-8")
        headers = dict(headers or {}, **{"Content-Type": "application/json"})
    request = urllib.request.Request(url, data=data, method=method,
                                     headers=headers or {})
    try:
        with _OPENER.open(request, timeout=timeout) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()
    except http.client.HTTPException as error:
        # Something answered that does not speak HTTP: a connection error too.
        raise ConnectionError(f"{url}: {error!r}") from error


def http_json(url, method="GET", data=None, timeout=5.0):
    """Like http_request() but expects a 2xx answer and decodes its JSON."""
    status, body = http_request(url, method=method, data=data, timeout=timeout)
    if not 200 <= status < 300:
        text = body.decode("utf-8", "replace").strip()
        raise DemoStackError(f"{method} {url} answered {status}: {text}")
    return json.loads(body) if body.strip() else None


def port_is_open(port, host="127.0.0.1", timeout=0.2):
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.settimeout(timeout)
        return sock.connect_ex((host, port)) == 0


def system_service_notes():
    """Sentences about Debian's own services listening on their default ports."""
    notes = []
    for port, unit, what in SYSTEM_SERVICE_PORTS:
        if port_is_open(port):
            notes.append(
                f"something already listens on 127.0.0.1:{port}, probably "
                f"{what} started by Debian's {unit} service. The demo uses "
                f"its own free ports and leaves it alone; to stop it for good: "
                f"sudo systemctl disable --now {unit}")
    return notes


def _find_program(names):
    for name in names:
        path = shutil.which(name) or shutil.which(name, path="/usr/bin:/usr/sbin")
        if path:
            return path
    return None


def _set_parent_death_signal():
    """Runs in the child between fork and exec: if the Python process dies
    without cleaning up (SIGKILL), the kernel kills the server too: its data
    is in a temporary folder, so there is nothing to shut down cleanly."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        PR_SET_PDEATHSIG = 1
        libc.prctl(PR_SET_PDEATHSIG, int(signal.SIGKILL), 0, 0, 0)
    except Exception:  # not Linux, or no prctl: cleanup by PID still works
        pass


def _server_environment():
    # The tests run with G_DEBUG=fatal-warnings, meant for Vigil's code; the
    # demo service is a fixture and must not abort over a libsoup warning.
    env = dict(os.environ)
    env.pop("G_DEBUG", None)
    return env


def _render(template, values):
    """Replaces ${name} placeholders; every one in the template must be known."""
    text = template
    for key, value in values.items():
        text = text.replace("${" + key + "}", value)
    left = sorted(set(re.findall(r"\$\{(\w+)\}", text)))
    if left:
        raise DemoStackError(f"unknown placeholders in template: {', '.join(left)}")
    return text


def render_prometheus_config(prometheus_address, service_address, alertmanager_addresses):
    template = (DEMO_DATA_DIR / "prometheus.yml").read_text(encoding="utf-8")
    return _render(template, {
        "prometheus_address": prometheus_address,
        "service_address": service_address,
        # The template quotes the placeholder: '${alertmanager_targets}'.
        "alertmanager_targets": "', '".join(alertmanager_addresses),
    })


def render_alertmanager_config(webhook_url=None, webhook_token=None):
    text = (DEMO_DATA_DIR / "alertmanager.yml").read_text(encoding="utf-8")
    if webhook_url is None:
        return text
    marker = re.compile(r"^(?P<indent>[ \t]*)# @webhook_configs@[ \t]*$", re.MULTILINE)
    match = marker.search(text)
    if match is None:
        raise DemoStackError("alertmanager.yml lacks the '# @webhook_configs@' line")
    indent = match.group("indent")
    block = (f"{indent}webhook_configs:\n"
             f"{indent}  - url: {json.dumps(webhook_url)}\n"
             f"{indent}    send_resolved: true")
    if webhook_token:
        block += (f"\n{indent}    http_config:\n"
                  f"{indent}      authorization:\n"
                  f"{indent}        credentials: {json.dumps(webhook_token)}")
    return text[:match.start()] + block + text[match.end():]


def _utc_iso(moment=None):
    moment = moment or datetime.datetime.now(datetime.timezone.utc)
    if isinstance(moment, (int, float)):
        moment = datetime.datetime.fromtimestamp(moment, datetime.timezone.utc)
    return moment.isoformat(timespec="milliseconds").replace("+00:00", "Z")


class _Server:
    """One process of the stack, its log file and its readiness URL."""

    def __init__(self, name, argv, log_path, cwd):
        self.name = name
        self.argv = argv
        self.log_path = log_path
        self.cwd = cwd
        self.process = None
        self.ready_url = None

    @property
    def pid(self):
        return self.process.pid if self.process else None

    def start(self):
        in_main_thread = threading.current_thread() is threading.main_thread()
        with open(self.log_path, "ab") as log:
            try:
                self.process = subprocess.Popen(
                    self.argv,
                    cwd=self.cwd,
                    env=_server_environment(),
                    stdin=subprocess.DEVNULL,
                    stdout=log,
                    stderr=subprocess.STDOUT,
                    # Its own session: Ctrl-C in the terminal reaches only us, and
                    # we stop the servers in order.
                    start_new_session=True,
                    # The parent-death signal fires when the *thread* that forked
                    # ends, so it is only safe from the main thread.
                    preexec_fn=_set_parent_death_signal if in_main_thread else None,
                )
            except OSError as error:
                raise DemoStackError(f"cannot start {self.name}: {error}") from error

    def running(self):
        return self.process is not None and self.process.poll() is None

    def log_tail(self, lines=15):
        try:
            text = self.log_path.read_text(encoding="utf-8", errors="replace")
        except OSError:
            return ""
        return "\n".join(text.splitlines()[-lines:])

    def failure(self, what):
        code = self.process.poll() if self.process else None
        status = f" (exited with {code})" if code is not None else ""
        tail = self.log_tail()
        return DemoStackError(
            f"{self.name} {what}{status}; command: {shlex.join(self.argv)}"
            + (f"\nlast lines of {self.log_path.name}:\n{tail}" if tail else ""))


class DemoStack:
    """The demo stack; see the module documentation.

    build_dir: meson build folder that holds tests/demo-service/vigil-demo-service
      (default: $VIGIL_BUILD_ROOT, else build/ in the source tree).
    alertmanagers: number of clustered Alertmanagers (1 disables clustering).
    service_binary: path of vigil-demo-service, overriding build_dir (also
      taken from $VIGIL_DEMO_SERVICE_BIN).
    latency, error_ratio: the service's settings at start.
    webhook_url: if given, Alertmanager also pushes to this webhook.
    webhook_token: the bearer token Alertmanager sends with each push.
    keep_workdir: keep the temporary folder (configs, data, logs) after stop().
    """

    def __init__(self, build_dir=None, alertmanagers=2, *, service_binary=None,
                 latency=0.05, error_ratio=0.01, webhook_url=None, webhook_token=None,
                 keep_workdir=False, startup_timeout=60.0, stop_timeout=10.0,
                 verbose=False):
        if alertmanagers < 1:
            raise ValueError("alertmanagers must be at least 1")
        self.build_dir = pathlib.Path(
            build_dir or os.environ.get("VIGIL_BUILD_ROOT") or SOURCE_ROOT / "build")
        self.alertmanager_count = alertmanagers
        self.service_binary = service_binary or os.environ.get("VIGIL_DEMO_SERVICE_BIN")
        self.latency = latency
        self.error_ratio = error_ratio
        self.webhook_url = webhook_url
        self.webhook_token = webhook_token
        self.keep_workdir = keep_workdir
        self.startup_timeout = startup_timeout
        self.stop_timeout = stop_timeout
        self.verbose = verbose

        self.workdir = None
        self.prometheus_url = None
        self.alertmanager_urls = []
        self.service_url = None
        self.startup_seconds = None
        self._servers = []
        self._ports = set()
        self._atexit_registered = False
        self._stopping = False

    # -- life cycle ---------------------------------------------------------

    def __enter__(self):
        self.start()
        return self

    def __exit__(self, *exc_info):
        self.stop()
        return False

    @property
    def pids(self):
        """PIDs of every server started, running or not (for checks)."""
        return [server.pid for server in self._servers if server.pid]

    @property
    def servers(self):
        return {server.name: server.pid for server in self._servers}

    def start(self):
        if any(server.running() for server in self._servers):
            raise DemoStackError("the stack is already started")
        self._servers = []
        self._ports = set()
        began = time.monotonic()
        self._install_signal_handlers()
        if not self._atexit_registered:
            atexit.register(self.stop)
            self._atexit_registered = True
        try:
            self._start()
        except BaseException:
            self.stop()
            raise
        self.startup_seconds = time.monotonic() - began
        if self.verbose:
            _log(f"stack ready in {self.startup_seconds:.2f} s")
        return self

    def _start(self):
        service = self._resolve_service_binary()
        prometheus = _find_program(PROMETHEUS_NAMES)
        alertmanager = _find_program(ALERTMANAGER_NAMES)
        if not prometheus or not alertmanager:
            missing = [name for name, path in (("prometheus", prometheus),
                                               ("prometheus-alertmanager", alertmanager))
                       if not path]
            raise DemoStackError(
                f"not installed: {', '.join(missing)} "
                "(build-aux/install-deps.sh installs them)")

        self.workdir = pathlib.Path(tempfile.mkdtemp(prefix="vigil-demo-"))
        (self.workdir / "logs").mkdir()
        deadline = time.monotonic() + self.startup_timeout

        # The service first: its address goes into Prometheus' configuration.
        svc = self._add_server("demo-service", [
            service, "--port=0",
            f"--latency={self.latency!r}", f"--error-ratio={self.error_ratio!r}",
        ], self.workdir)
        svc.start()

        # The Alertmanagers, the first one alone so the others find a peer
        # already listening when they join.
        am_dir = self.workdir / "alertmanager"
        am_dir.mkdir()
        (am_dir / "alertmanager.yml").write_text(
            render_alertmanager_config(self.webhook_url, self.webhook_token), encoding="utf-8")
        web_ports = [self._free_port() for _ in range(self.alertmanager_count)]
        gossip_ports = [self._free_port() for _ in range(self.alertmanager_count)]
        for index in range(self.alertmanager_count):
            data = am_dir / f"data-{index}"
            data.mkdir()
            argv = [
                alertmanager,
                f"--config.file={am_dir / 'alertmanager.yml'}",
                f"--storage.path={data}",
                f"--web.listen-address=127.0.0.1:{web_ports[index]}",
                f"--web.external-url=http://127.0.0.1:{web_ports[index]}/",
            ]
            if self.alertmanager_count == 1:
                argv.append("--cluster.listen-address=")
            else:
                argv += [
                    f"--cluster.listen-address=127.0.0.1:{gossip_ports[index]}",
                    f"--cluster.advertise-address=127.0.0.1:{gossip_ports[index]}",
                    # An Alertmanager waits this long for the cluster to
                    # settle (status "settling") before it sends
                    # notifications; on loopback there is nothing to wait for.
                    "--cluster.settle-timeout=1s",
                    "--cluster.reconnect-interval=1s",
                ]
                argv += [f"--cluster.peer=127.0.0.1:{port}"
                         for other, port in enumerate(gossip_ports) if other != index]
            server = self._add_server(f"alertmanager-{index}", argv, am_dir)
            server.ready_url = f"http://127.0.0.1:{web_ports[index]}/-/ready"
            server.start()
            if index == 0:
                self._wait_ready(server, deadline)
        self.alertmanager_urls = [f"http://127.0.0.1:{port}" for port in web_ports]

        self.service_url = self._wait_service_url(svc, deadline)
        svc.ready_url = f"{self.service_url}/-/ready"

        prom_dir = self.workdir / "prometheus"
        prom_dir.mkdir()
        prom_port = self._free_port()
        prom_address = f"127.0.0.1:{prom_port}"
        (prom_dir / "prometheus.yml").write_text(render_prometheus_config(
            prom_address,
            urllib.parse.urlsplit(self.service_url).netloc,
            [urllib.parse.urlsplit(url).netloc for url in self.alertmanager_urls],
        ), encoding="utf-8")
        shutil.copyfile(DEMO_DATA_DIR / "rules.yml", prom_dir / "rules.yml")
        prom = self._add_server("prometheus", [
            prometheus,
            f"--config.file={prom_dir / 'prometheus.yml'}",
            f"--storage.tsdb.path={prom_dir / 'data'}",
            "--storage.tsdb.retention.time=1d",
            f"--web.listen-address={prom_address}",
            f"--web.external-url=http://{prom_address}/",
            # Without this, a rule's alert reaches Alertmanager only a minute
            # after it starts firing. Alertmanager keeps an alert for four
            # resend delays: at 1 s, one stalled cluster member (which
            # blocks Prometheus' notifier for seconds) let alerts expire on
            # the healthy one too, so the demo could not show a member down.
            "--rules.alert.resend-delay=5s",
            "--web.enable-lifecycle",
        ], prom_dir)
        prom.ready_url = f"http://{prom_address}/-/ready"
        prom.start()
        self.prometheus_url = f"http://{prom_address}"

        for server in self._servers:
            self._wait_ready(server, deadline)
        if self.alertmanager_count > 1:
            self.wait_until_clustered(timeout=max(1.0, deadline - time.monotonic()))

    def stop(self):
        """Stops every server started, by PID: SIGTERM, then SIGKILL once
        stop_timeout has passed.  Safe to call more than once."""
        if self._stopping:
            return
        self._stopping = True
        # A second Ctrl-C while stopping must not leave servers behind; it is
        # delivered once everything is stopped.
        blocked = signal.pthread_sigmask(signal.SIG_BLOCK, SIGNALS_TO_HANDLE)
        try:
            # Prometheus and the service stop together; the Alertmanagers one
            # after the other, because each waits on leaving the cluster until
            # a peer has heard it leave (up to 10 s if no peer is left to hear).
            others = [s for s in self._servers if not s.name.startswith("alertmanager")]
            alertmanagers = [s for s in self._servers if s.name.startswith("alertmanager")]
            for group in [others] + [[s] for s in reversed(alertmanagers)]:
                self._terminate(group)
            if self.workdir and self.workdir.exists():
                if self.keep_workdir:
                    _log(f"configs, data and logs kept in {self.workdir}")
                else:
                    shutil.rmtree(self.workdir, ignore_errors=True)
            if self._atexit_registered:
                atexit.unregister(self.stop)
                self._atexit_registered = False
            self._restore_signal_handlers()
        finally:
            self._stopping = False
            signal.pthread_sigmask(signal.SIG_SETMASK, blocked)

    def _terminate(self, servers):
        running = [s for s in servers if s.running()]
        for server in running:
            try:
                server.process.send_signal(signal.SIGTERM)
            except ProcessLookupError:
                pass
        deadline = time.monotonic() + self.stop_timeout
        for server in running:
            try:
                server.process.wait(timeout=max(0.0, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                _log(f"{server.name} (PID {server.pid}) ignored SIGTERM; killing it")
                server.process.kill()
                server.process.wait()
        for server in running:
            if self.verbose:
                _log(f"{server.name} (PID {server.pid}) stopped: {server.process.returncode}")

    def stop_alertmanager(self, index):
        """Stops one member of the cluster (by PID), as an outage would;
        check_running() then ignores it."""
        server = next(s for s in self._servers if s.name == f"alertmanager-{index}")
        self._terminate([server])
        self._servers.remove(server)

    def check_running(self):
        """Raises DemoStackError if a server of the stack has exited."""
        for server in self._servers:
            if not server.running():
                raise server.failure("stopped unexpectedly")

    # -- helpers for tests and scripts --------------------------------------

    def service_settings(self):
        return http_json(f"{self.service_url}/control")

    def set_service(self, latency=None, error_ratio=None, rate=None):
        """Changes the demo service's settings; returns the new settings."""
        params = {key: repr(float(value)) for key, value in
                  (("latency", latency), ("error_ratio", error_ratio), ("rate", rate))
                  if value is not None}
        if not params:
            raise ValueError("give latency, error_ratio or rate")
        query = urllib.parse.urlencode(params)
        return http_json(f"{self.service_url}/control?{query}", method="POST", data=b"")

    def post_alert(self, labels, annotations=None, *, starts_at=None, ends_at=None,
                   generator_url=None, alertmanager=None):
        """Posts one alert to /api/v2/alerts of every Alertmanager, as
        Prometheus does, or of the one at index `alertmanager`."""
        alert = {"labels": dict(labels), "annotations": dict(annotations or {}),
                 "startsAt": _utc_iso(starts_at)}
        if ends_at is not None:
            alert["endsAt"] = _utc_iso(ends_at)
        if generator_url:
            alert["generatorURL"] = generator_url
        urls = (self.alertmanager_urls if alertmanager is None
                else [self.alertmanager_urls[alertmanager]])
        for url in urls:
            http_json(f"{url}/api/v2/alerts", method="POST", data=[alert])

    def alerts(self, alertmanager=0, **filters):
        """GET /api/v2/alerts of one Alertmanager; filters become query
        parameters (active=False, silenced=True, filter='x="y"', ...)."""
        params = [(key, str(value).lower() if isinstance(value, bool) else value)
                  for key, value in filters.items()]
        query = urllib.parse.urlencode(params)
        url = f"{self.alertmanager_urls[alertmanager]}/api/v2/alerts"
        return http_json(f"{url}?{query}" if query else url)

    def alertmanager_status(self, alertmanager=0):
        return http_json(f"{self.alertmanager_urls[alertmanager]}/api/v2/status")

    def query(self, promql):
        """Instant query; returns the `data` of Prometheus' answer."""
        query = urllib.parse.urlencode({"query": promql})
        answer = http_json(f"{self.prometheus_url}/api/v1/query?{query}")
        return answer["data"]

    def wait_until_clustered(self, timeout=30.0):
        """Waits until every Alertmanager sees all members of the cluster and
        reports it settled ("ready")."""
        deadline = time.monotonic() + timeout
        while True:
            counts = []
            for index in range(len(self.alertmanager_urls)):
                try:
                    cluster = self.alertmanager_status(index).get("cluster", {})
                    settled = cluster.get("status") == "ready"
                    counts.append(len(cluster.get("peers") or []) if settled else 0)
                except (OSError, DemoStackError, ValueError):
                    counts.append(0)
            if all(count == self.alertmanager_count for count in counts):
                return
            self.check_running()
            if time.monotonic() > deadline:
                raise DemoStackError(
                    f"the Alertmanagers did not form a cluster of "
                    f"{self.alertmanager_count} in time (settled peers seen: {counts})")
            time.sleep(0.1)

    def wait_for_alert(self, alertname, timeout=90.0, alertmanager=None, poll=0.25):
        """Waits until the alert is active in every Alertmanager (or in the
        one at index `alertmanager`); returns its first entry there."""
        indexes = (range(len(self.alertmanager_urls)) if alertmanager is None
                   else [alertmanager])
        deadline = time.monotonic() + timeout
        while True:
            found = []
            for index in indexes:
                try:
                    matches = [a for a in self.alerts(index, active=True)
                               if a["labels"].get("alertname") == alertname]
                except (OSError, DemoStackError, ValueError):
                    matches = []
                found.append(matches[0] if matches else None)
            if all(found):
                return found[0]
            self.check_running()
            if time.monotonic() > deadline:
                raise DemoStackError(f"{alertname} did not reach Alertmanager "
                                     f"within {timeout:g} s")
            time.sleep(poll)

    def hints(self):
        """Lines that tell a person how to use the running stack."""
        control = f"{self.service_url}/control"
        lines = [
            f"  Prometheus     {self.prometheus_url}",
            f"  Alertmanager   {'  '.join(self.alertmanager_urls)}",
            f"  demo service   {self.service_url}  (/metrics, /control)",
            "",
            "Turn the demo service's faults up and down:",
            f"  curl -X POST '{control}?error_ratio=0.3'   # HighErrorRatio fires in ~20 s",
            f"  curl -X POST '{control}?latency=0.8'       # HighLatencyP95 fires in ~20 s",
            f"  curl -X POST '{control}?error_ratio=0.01&latency=0.05'   # back to normal",
            f"  curl '{control}'                           # current settings",
        ]
        return lines

    def environment(self):
        return {
            "VIGIL_DEMO_PROMETHEUS": self.prometheus_url,
            "VIGIL_DEMO_ALERTMANAGERS": ",".join(self.alertmanager_urls),
            "VIGIL_DEMO_SERVICE": self.service_url,
        }

    def substitute(self, argv):
        """Fills {prometheus}, {alertmanager}, {alertmanagers} and {service}
        in a command line.  An argument with {alertmanager} is repeated once
        per Alertmanager: --alertmanager={alertmanager} becomes
        --alertmanager=URL1 --alertmanager=URL2."""
        def fill(arg):
            return (arg.replace("{prometheus}", self.prometheus_url)
                       .replace("{alertmanagers}", ",".join(self.alertmanager_urls))
                       .replace("{service}", self.service_url))
        result = []
        for arg in argv:
            if "{alertmanager}" in arg:
                result += [fill(arg.replace("{alertmanager}", url))
                           for url in self.alertmanager_urls]
            else:
                result.append(fill(arg))
        return result

    # -- internals ----------------------------------------------------------

    def _resolve_service_binary(self):
        path = pathlib.Path(self.service_binary) if self.service_binary else \
            self.build_dir / SERVICE_IN_BUILD_DIR
        if not (path.is_file() and os.access(path, os.X_OK)):
            raise DemoStackError(
                f"vigil-demo-service not found at {path}; build it first "
                f"(meson compile -C {self.build_dir}) or pass its path")
        return str(path.resolve())

    def _add_server(self, name, argv, cwd):
        server = _Server(name, argv, self.workdir / "logs" / f"{name}.log", cwd)
        self._servers.append(server)
        if self.verbose:
            _log(f"starting {name}: {shlex.join(argv)}")
        return server

    def _free_port(self):
        # Bind port 0 and let the kernel choose; remember what we handed out
        # so two servers of this stack never get the same one.
        # Alertmanager's gossip uses the port for both TCP and UDP, so it
        # must be free for both.
        while True:
            with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
                sock.bind(("127.0.0.1", 0))
                port = sock.getsockname()[1]
            try:
                with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
                    sock.bind(("127.0.0.1", port))
            except OSError:
                continue
            if port not in self._ports:
                self._ports.add(port)
                return port

    def _wait_service_url(self, server, deadline):
        pattern = re.compile(r"^listening on (http://127\.0\.0\.1:\d+)$", re.MULTILINE)
        while True:
            try:
                text = server.log_path.read_text(encoding="utf-8", errors="replace")
            except OSError:
                text = ""
            match = pattern.search(text)
            if match:
                return match.group(1)
            if not server.running():
                raise server.failure("did not start")
            if time.monotonic() > deadline:
                raise server.failure("printed no address in time")
            time.sleep(0.02)

    def _wait_ready(self, server, deadline):
        while True:
            try:
                status, _ = http_request(server.ready_url, timeout=1.0)
                if status == 200:
                    return
            except OSError:
                pass
            if not server.running():
                raise server.failure("did not start")
            if time.monotonic() > deadline:
                raise server.failure(f"was not ready at {server.ready_url} in time")
            time.sleep(0.05)

    def _install_signal_handlers(self):
        _ACTIVE_STACKS.add(self)
        _install_terminating_handlers()

    def _restore_signal_handlers(self):
        _ACTIVE_STACKS.discard(self)
        if not _ACTIVE_STACKS:
            _restore_terminating_handlers()


# SIGTERM and SIGHUP end Python at once, without unwinding, and SystemExit
# raised from a handler would be swallowed by unittest.  So while a stack
# runs, these signals (if nobody else handles them) first stop every running
# stack and then end the process by the same signal, as they would have.
# SIGINT needs nothing: KeyboardInterrupt unwinds, and atexit stops the rest.
_ACTIVE_STACKS = set()
_SAVED_HANDLERS = {}


def _stop_stacks_and_die(signum, frame):
    for stack in list(_ACTIVE_STACKS):
        stack.stop()
    signal.signal(signum, signal.SIG_DFL)
    os.kill(os.getpid(), signum)


def _install_terminating_handlers():
    if threading.current_thread() is not threading.main_thread():
        return
    for signum in (signal.SIGTERM, signal.SIGHUP):
        if signum not in _SAVED_HANDLERS and signal.getsignal(signum) == signal.SIG_DFL:
            _SAVED_HANDLERS[signum] = signal.signal(signum, _stop_stacks_and_die)


def _restore_terminating_handlers():
    if threading.current_thread() is not threading.main_thread():
        return
    for signum, handler in list(_SAVED_HANDLERS.items()):
        if signal.getsignal(signum) is _stop_stacks_and_die:
            signal.signal(signum, handler)
        del _SAVED_HANDLERS[signum]


# -- command line -------------------------------------------------------------


def _parse_fault(text):
    settings = {}
    for item in filter(None, text.split(",")):
        key, sep, value = item.partition("=")
        if not sep or key not in ("latency", "error_ratio", "rate"):
            raise argparse.ArgumentTypeError(
                f"expected latency=S, error_ratio=R or rate=N, not {item!r}")
        try:
            settings[key] = float(value)
        except ValueError:
            raise argparse.ArgumentTypeError(f"not a number: {value!r}") from None
    return settings


def _start_fault_timer(stack, fault, delay):
    if not fault:
        return None

    def inject():
        try:
            stack.set_service(**fault)
            described = ", ".join(f"{key}={value:g}" for key, value in fault.items())
            _log(f"demo service turned up: {described}; alerts fire within about 20 s")
        except (OSError, DemoStackError) as error:
            _log(f"could not change the demo service: {error}")

    timer = threading.Timer(delay, inject)
    timer.daemon = True
    timer.start()
    return timer


def _print_banner(stack, stream=sys.stderr):
    print(f"Vigil demo stack ready in {stack.startup_seconds:.1f} s:", file=stream)
    for line in stack.hints():
        print(line, file=stream)
    stream.flush()


def _command_run(stack, args):
    command = list(args.command)
    if command and command[0] == "--":
        command = command[1:]
    if not command:
        _log("run needs a command after --")
        return 2

    stack.start()
    _print_banner(stack)
    argv = stack.substitute(command)
    env = dict(os.environ, **stack.environment())
    _log(f"running: {shlex.join(argv)}")

    received = []
    forwarded_int = []
    child = None

    def forward(signum, frame):
        # The command shares our terminal, so a Ctrl-C reaches it directly:
        # a second SIGINT would interrupt its own clean-up (meson devenv
        # prints a traceback). SIGINT is passed on only if the command is
        # still running a second later (see below); other signals at once.
        received.append((signum, time.monotonic()))
        if signum == signal.SIGINT:
            return
        if child is not None and child.poll() is None:
            try:
                child.send_signal(signum)
            except ProcessLookupError:
                pass

    # Handlers first, so that no signal can end us between starting the
    # command and watching it.
    previous = {signum: signal.signal(signum, forward) for signum in SIGNALS_TO_HANDLE}
    timer = None
    reported = set()
    try:
        if received:
            return 128 + received[0][0]
        try:
            child = subprocess.Popen(argv, env=env)
        except OSError as error:
            _log(f"cannot run {argv[0]}: {error}")
            return 127
        if received:
            child.send_signal(received[0][0])
        timer = _start_fault_timer(stack, args.fault, args.fault_delay)
        while True:
            try:
                code = child.wait(timeout=0.5)
                break
            except subprocess.TimeoutExpired:
                pass
            if (received and received[0][0] == signal.SIGINT and not forwarded_int
                    and time.monotonic() - received[0][1] > 1.0):
                forwarded_int.append(True)
                child.send_signal(signal.SIGINT)
            if received and time.monotonic() - received[0][1] > stack.stop_timeout:
                _log(f"{argv[0]} did not exit after the signal; killing it")
                child.kill()
            for server in stack._servers:
                if not server.running() and server.name not in reported:
                    reported.add(server.name)
                    _log(f"{server.name} stopped unexpectedly:\n{server.log_tail()}")
    finally:
        if timer:
            timer.cancel()
        for signum, handler in previous.items():
            signal.signal(signum, handler)
    return 128 - code if code < 0 else code


def _command_up(stack, args):
    stack.start()
    _print_banner(stack, sys.stdout)
    print("", file=sys.stdout)
    print("Environment for scripts:", file=sys.stdout)
    for key, value in stack.environment().items():
        print(f"  export {key}={shlex.quote(value)}", file=sys.stdout)
    print("\nPress Ctrl-C to stop.", file=sys.stdout, flush=True)
    timer = _start_fault_timer(stack, args.fault, args.fault_delay)
    try:
        while True:
            time.sleep(1.0)
            stack.check_running()
    except KeyboardInterrupt:
        print("", file=sys.stderr)
        _log("stopping")
        return 0
    finally:
        if timer:
            timer.cancel()


def _command_check(args):
    """Renders the configurations as the stack would and checks them with
    promtool and amtool.  Exit 77 (skipped) when promtool is missing."""
    promtool = _find_program(("promtool",))
    amtool = _find_program(("amtool",))
    if not promtool:
        _log("promtool is not installed; nothing checked")
        return 77
    failed = False
    with tempfile.TemporaryDirectory(prefix="vigil-demo-check-") as tmp:
        tmp = pathlib.Path(tmp)
        (tmp / "prometheus.yml").write_text(render_prometheus_config(
            "127.0.0.1:41000", "127.0.0.1:41001", ["127.0.0.1:41002", "127.0.0.1:41003"]),
            encoding="utf-8")
        shutil.copyfile(DEMO_DATA_DIR / "rules.yml", tmp / "rules.yml")
        (tmp / "alertmanager.yml").write_text(render_alertmanager_config(), encoding="utf-8")
        (tmp / "alertmanager-webhook.yml").write_text(
            render_alertmanager_config("http://127.0.0.1:41004/webhook"), encoding="utf-8")
        commands = [
            [promtool, "check", "config", str(tmp / "prometheus.yml")],
            [promtool, "check", "config", str(DEMO_DATA_DIR / "prometheus.yml")],
            [promtool, "check", "rules", str(DEMO_DATA_DIR / "rules.yml")],
        ]
        if amtool:
            commands += [
                [amtool, "check-config", str(tmp / "alertmanager.yml")],
                [amtool, "check-config", str(tmp / "alertmanager-webhook.yml")],
            ]
        else:
            _log("amtool is not installed; Alertmanager's configuration not checked")
        for command in commands:
            print(f"$ {shlex.join(command)}", flush=True)
            result = subprocess.run(command, stdin=subprocess.DEVNULL)
            failed |= result.returncode != 0
        rendered = (tmp / "prometheus.yml").read_text(encoding="utf-8")
        if "targets: ['127.0.0.1:41002', '127.0.0.1:41003']" not in rendered:
            print("the Alertmanager targets were not rendered as expected", flush=True)
            failed = True
    return 1 if failed else 0


def main(argv=None):
    parser = argparse.ArgumentParser(
        description="Start Vigil's demo stack (Prometheus, an Alertmanager HA "
                    "pair and the demo service) on 127.0.0.1.",
        epilog="In `run`, {prometheus}, {alertmanager}, {alertmanagers} and "
               "{service} in the command are replaced with the URLs; an "
               "argument with {alertmanager} is repeated for each Alertmanager. "
               "The command also gets VIGIL_DEMO_PROMETHEUS, "
               "VIGIL_DEMO_ALERTMANAGERS (comma-separated) and VIGIL_DEMO_SERVICE.")
    parser.add_argument("--build-dir", help="meson build folder with the demo service "
                        "(default: $VIGIL_BUILD_ROOT or build)")
    parser.add_argument("--service-binary", help="path of vigil-demo-service")
    parser.add_argument("--alertmanagers", type=int, default=2,
                        help="clustered Alertmanagers to start (default 2)")
    parser.add_argument("--latency", type=float, default=0.05,
                        help="the service's base latency at start, in seconds")
    parser.add_argument("--error-ratio", type=float, default=0.01,
                        help="the service's error ratio at start")
    parser.add_argument("--fault", type=_parse_fault, default={},
                        help="settings to turn the service to once the stack "
                             "is up, e.g. error_ratio=0.2,latency=0.8")
    parser.add_argument("--fault-delay", type=float, default=5.0,
                        help="seconds after start before --fault (default 5)")
    parser.add_argument("--webhook", help="also make Alertmanager push to this URL")
    parser.add_argument("--keep", action="store_true",
                        help="keep the temporary folder with configs, data and logs")
    parser.add_argument("--verbose", action="store_true")
    sub = parser.add_subparsers(dest="action", required=True)
    sub.add_parser("up", help="start the stack and wait for Ctrl-C")
    run = sub.add_parser("run", help="start the stack, run a command, stop the stack; "
                                     "exits with the command's status")
    run.add_argument("command", nargs=argparse.REMAINDER)
    sub.add_parser("check", help="check the demo configurations with promtool and amtool")
    args = parser.parse_args(argv)

    if args.action == "check":
        return _command_check(args)

    for note in system_service_notes():
        _log(f"note: {note}")

    stack = DemoStack(args.build_dir, args.alertmanagers,
                      service_binary=args.service_binary, latency=args.latency,
                      error_ratio=args.error_ratio, webhook_url=args.webhook,
                      keep_workdir=args.keep, verbose=args.verbose)
    try:
        if args.action == "up":
            return _command_up(stack, args)
        return _command_run(stack, args)
    except DemoStackError as error:
        _log(f"error: {error}")
        return 1
    except KeyboardInterrupt:
        return 130
    finally:
        try:
            stack.stop()
        except KeyboardInterrupt:  # a second Ctrl-C, once all is stopped
            pass


if __name__ == "__main__":
    sys.exit(main())
