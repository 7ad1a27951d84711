# SPDX-License-Identifier: GPL-3.0-or-later
"""Configured sources against real servers: Debian's Prometheus behind TLS
and basic auth (and a second one that requires a client certificate), with
certificates the test makes with openssl; Debian's VictoriaMetrics; and the
password kept in the keyring (libsecret's file backend) all the way through
`vigil --status`, and nowhere else.

Each case goes through tests/source-probe, which builds the source from the
same a{sv} the `sources` settings key holds, runs "Test connection" and a
poll, and prints what Vigil made of them."""

import base64
import json
import os
import pathlib
import shutil
import signal
import ssl
import subprocess
import sys
import tempfile
import time
import unittest
import urllib.request

from vigil_test_util import BUILD_ROOT, run_vigil, vigil_env

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))

PASSWORD = "correct horse battery staple"
USER = "vigil"
RULES = """groups:
  - name: vigil-tls
    interval: 1s
    rules:
      - alert: VigilTlsAlwaysFiring
        expr: vector(1)
        labels:
          severity: warning
        annotations:
          summary: Fires all the time behind TLS
"""


def free_port():
    import socket
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def run(argv, **kwargs):
    return subprocess.run(argv, check=True, capture_output=True, text=True, **kwargs)


def make_certificates(folder):
    """A CA, a server certificate for 127.0.0.1 and a client certificate,
    all signed by the CA (EC P-256, valid two days)."""
    folder = pathlib.Path(folder)
    ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"]
    run(["openssl", "req", "-x509", *ec, "-keyout", "ca.key", "-out", "ca.pem",
         "-days", "2", "-subj", "/CN=Vigil Test CA"], cwd=folder)
    for name, cn, extensions in (
            ("server", "127.0.0.1",
             "subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth\n"),
            ("client", "vigil-client", "extendedKeyUsage=clientAuth\n")):
        (folder / f"{name}.ext").write_text(extensions)
        run(["openssl", "req", *ec, "-keyout", f"{name}.key", "-out", f"{name}.csr",
             "-subj", f"/CN={cn}"], cwd=folder)
        run(["openssl", "x509", "-req", "-in", f"{name}.csr", "-CA", "ca.pem",
             "-CAkey", "ca.key", "-CAcreateserial", "-out", f"{name}.pem", "-days", "2",
             "-extfile", f"{name}.ext"], cwd=folder)
    return folder


def bcrypt_hash(password):
    """htpasswd from apache2-utils; Prometheus reads its $2y$ hashes."""
    line = run(["htpasswd", "-nbBC", "10", USER, password]).stdout.strip()
    return line.split(":", 1)[1]


class Server:
    """A server process of this test, stopped by PID."""

    def __init__(self, name, argv, folder):
        self.name = name
        self.log = open(pathlib.Path(folder) / f"{name}.log", "wb")
        env = dict(os.environ)
        env.pop("G_DEBUG", None)
        self.process = subprocess.Popen(argv, cwd=folder, stdout=self.log,
                                        stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                        env=env, start_new_session=True)

    def stop(self):
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.log.close()

    def log_text(self):
        self.log.flush()
        return pathlib.Path(self.log.name).read_text(errors="replace")[-2000:]


def wait_until(check, what, server, timeout=60.0):
    deadline = time.monotonic() + timeout
    last = None
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise RuntimeError(f"{server.name} exited: {server.log_text()}")
        try:
            if check():
                return
        except OSError as error:
            last = error
        time.sleep(0.1)
    raise RuntimeError(f"{what} did not happen in time ({last}): {server.log_text()}")


def https_get(url, context, auth=None):
    request = urllib.request.Request(url)
    if auth:
        token = base64.b64encode(f"{auth[0]}:{auth[1]}".encode()).decode()
        request.add_header("Authorization", f"Basic {token}")
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}),
                                         urllib.request.HTTPSHandler(context=context))
    with opener.open(request, timeout=2) as response:
        return response.status, response.read()


def config_text(**members):
    """The a{sv} of one source, as GVariant text."""
    parts = []
    for key, value in members.items():
        key = key.replace("_", "-")
        if isinstance(value, bool):
            parts.append(f"'{key}': <{'true' if value else 'false'}>")
        elif isinstance(value, list):
            items = ", ".join(json.dumps(item) for item in value)
            parts.append(f"'{key}': <@as [{items}]>")
        elif isinstance(value, dict):
            items = ", ".join(f"{json.dumps(k)}: {json.dumps(v)}" for k, v in value.items())
            parts.append(f"'{key}': <@a{{ss}} {{{items}}}>")
        else:
            parts.append(f"'{key}': <{json.dumps(value)}>")
    return "{" + ", ".join(parts) + "}"


def probe(config, secret=None, query=None, env=None):
    argv = [str(BUILD_ROOT / "tests" / "source-probe"), config]
    if query:
        argv.append(f"--query={query}")
    result = subprocess.run(argv, input=secret or "", capture_output=True, text=True,
                            timeout=120, env=env or vigil_env())
    if result.returncode != 0:
        raise AssertionError(f"source-probe failed: {result.stderr}")
    return json.loads(result.stdout)


def missing_programs():
    return [name for name in ("prometheus", "openssl", "htpasswd", "victoria-metrics")
            if not shutil.which(name, path=os.environ.get("PATH", "") + ":/usr/bin:/usr/sbin")]


class TlsPrometheusTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        missing = missing_programs()
        if missing:
            raise unittest.SkipTest(f"not installed: {', '.join(missing)} "
                                    "(build-aux/install-deps.sh installs them)")
        cls.folder = pathlib.Path(tempfile.mkdtemp(prefix="vigil-tls-"))
        cls.servers = []
        try:
            cls._start()
        except BaseException:
            cls.tearDownClass()
            raise

    @classmethod
    def _start(cls):
        certs = make_certificates(cls.folder)
        cls.ca = str(certs / "ca.pem")
        cls.client_cert = str(certs / "client.pem")
        cls.client_key = str(certs / "client.key")
        (cls.folder / "rules.yml").write_text(RULES)
        (cls.folder / "prometheus.yml").write_text(
            "global:\n  scrape_interval: 1s\n  evaluation_interval: 1s\n"
            "rule_files: ['rules.yml']\n")
        hashed = bcrypt_hash(PASSWORD)
        (cls.folder / "web-basic.yml").write_text(
            "tls_server_config:\n"
            f"  cert_file: {certs / 'server.pem'}\n"
            f"  key_file: {certs / 'server.key'}\n"
            "basic_auth_users:\n"
            f"  {USER}: '{hashed}'\n")
        (cls.folder / "web-mtls.yml").write_text(
            "tls_server_config:\n"
            f"  cert_file: {certs / 'server.pem'}\n"
            f"  key_file: {certs / 'server.key'}\n"
            "  client_auth_type: RequireAndVerifyClientCert\n"
            f"  client_ca_file: {certs / 'ca.pem'}\n")

        cls.basic_port = cls._start_prometheus("prometheus-basic", "web-basic.yml")
        cls.mtls_port = cls._start_prometheus("prometheus-mtls", "web-mtls.yml")
        cls.basic_url = f"https://127.0.0.1:{cls.basic_port}"
        cls.mtls_url = f"https://127.0.0.1:{cls.mtls_port}"

        trusting = ssl.create_default_context(cafile=cls.ca)
        with_client = ssl.create_default_context(cafile=cls.ca)
        with_client.load_cert_chain(cls.client_cert, cls.client_key)
        basic, mtls = cls.servers
        wait_until(lambda: https_get(f"{cls.basic_url}/-/ready", trusting,
                                     (USER, PASSWORD))[0] == 200,
                   "the TLS Prometheus becoming ready", basic)
        wait_until(lambda: https_get(f"{cls.mtls_url}/-/ready", with_client)[0] == 200,
                   "the mTLS Prometheus becoming ready", mtls)

        def firing():
            status, body = https_get(f"{cls.basic_url}/api/v1/alerts", trusting, (USER, PASSWORD))
            alerts = json.loads(body)["data"]["alerts"]
            return any(a["state"] == "firing" for a in alerts)
        wait_until(firing, "the always-firing rule firing", basic)

    @classmethod
    def _start_prometheus(cls, name, web_config):
        port = free_port()
        prometheus = shutil.which("prometheus") or "/usr/bin/prometheus"
        cls.servers.append(Server(name, [
            prometheus,
            f"--config.file={cls.folder / 'prometheus.yml'}",
            f"--web.config.file={cls.folder / web_config}",
            f"--storage.tsdb.path={cls.folder / (name + '-data')}",
            f"--web.listen-address=127.0.0.1:{port}",
        ], cls.folder))
        return port

    @classmethod
    def tearDownClass(cls):
        for server in getattr(cls, "servers", []):
            server.stop()
        shutil.rmtree(getattr(cls, "folder", ""), ignore_errors=True)

    def basic_config(self, **extra):
        members = dict(id="tls-basic", name="TLS Prometheus", kind="prometheus",
                       urls=[self.basic_url], auth="basic", username=USER)
        members.update(extra)
        return config_text(**members)

    def test_without_ca_names_unknown_ca(self):
        answer = probe(self.basic_config(), PASSWORD)
        print(f"without CA: {answer['test_error']}")
        self.assertIsNone(answer["test"])
        self.assertIn("unknown CA", answer["test_error"])
        self.assertIn(f"127.0.0.1:{self.basic_port}", answer["test_error"])
        self.assertFalse(answer["poll_ok"])
        self.assertIn("unknown CA", answer["error"])
        self.assertNotIn(PASSWORD, json.dumps(answer))

    def test_wrong_password_is_401_sentence(self):
        answer = probe(self.basic_config(ca_file=self.ca), "not the password")
        print(f"wrong password: {answer['test_error']}")
        self.assertIn("check the user name, password or token", answer["test_error"])
        self.assertIn("check the user name, password or token", answer["error"])
        self.assertEqual(answer["health"], "error")
        self.assertNotIn("not the password", json.dumps(answer))

    def test_no_credentials_is_401_sentence(self):
        answer = probe(self.basic_config(ca_file=self.ca, auth="none"))
        self.assertIn("HTTP 401", answer["test_error"])

    def test_right_password_with_ca(self):
        answer = probe(self.basic_config(ca_file=self.ca), PASSWORD)
        print(f"with CA and password: {answer['test']}")
        self.assertEqual(answer["test"], "Prometheus 2.42.0+ds.")
        self.assertTrue(answer["poll_ok"], answer["error"])
        self.assertIn("VigilTlsAlwaysFiring", answer["alerts"])
        self.assertIsNone(answer["warning"])

    def test_verification_off_works_with_warning(self):
        answer = probe(self.basic_config(tls_verify=False), PASSWORD)
        self.assertTrue(answer["poll_ok"], answer["error"])
        self.assertIsNotNone(answer["test"])
        self.assertIn("TLS certificate checks are off", answer["warning"])

    def test_mtls_without_client_certificate(self):
        config = config_text(id="mtls", name="mTLS Prometheus", kind="prometheus",
                             urls=[self.mtls_url], ca_file=self.ca)
        answer = probe(config)
        print(f"mTLS without a client certificate: {answer['test_error']}")
        self.assertFalse(answer["poll_ok"])
        self.assertIn("client certificate", answer["test_error"])
        self.assertIn("client certificate", answer["error"])

    def test_mtls_with_client_certificate(self):
        config = config_text(id="mtls", name="mTLS Prometheus", kind="prometheus",
                             urls=[self.mtls_url], ca_file=self.ca,
                             client_certificate=self.client_cert, client_key=self.client_key)
        answer = probe(config)
        self.assertEqual(answer["test"], "Prometheus 2.42.0+ds.")
        self.assertTrue(answer["poll_ok"], answer["error"])
        self.assertIn("VigilTlsAlwaysFiring", answer["alerts"])

    def test_password_only_in_the_keyring(self):
        with tempfile.TemporaryDirectory(prefix="vigil-test-") as home:
            home = pathlib.Path(home)
            config_dir = home / "config"
            keyring = home / "keyring-dir" / "keyring"
            source = self.basic_config(id="prod-prometheus", ca_file=self.ca)
            env = vigil_env(config_dir, sources=f"[{source}]")
            env.update(SECRET_BACKEND="file", SECRET_FILE_TEST_PATH=str(keyring),
                       SECRET_FILE_TEST_PASSWORD="vigil-test", G_MESSAGES_DEBUG="all")

            stored = subprocess.run([str(BUILD_ROOT / "tests" / "source-probe"), source,
                                     "--store-secret"], input=PASSWORD, text=True,
                                    capture_output=True, env=env, timeout=60)
            self.assertEqual(stored.returncode, 0, stored.stderr)

            result = run_vigil(["--status", "--format=json"], env=env)
            self.assertEqual(result.returncode, 0, result.stderr)
            report = json.loads(result.stdout)
            self.assertTrue(report["ok"], report)
            self.assertEqual(report["sources"][0]["name"], "TLS Prometheus")
            names = [a["labels"]["alertname"] for a in report["prometheus_alerts"]] \
                if "prometheus_alerts" in report else []
            print(f"vigil --status with the keyring's password: ok, "
                  f"Prometheus alerts {names}")

            text = run_vigil(["--status"], env=env)
            self.assertEqual(text.returncode, 0, text.stderr)

            # Nowhere but the keyring: not in the output, not in the debug
            # log, not in any setting or file of the configuration folder.
            for output in (result.stdout, result.stderr, text.stdout, text.stderr):
                self.assertNotIn(PASSWORD, output)
            for path in config_dir.rglob("*"):
                if path.is_file():
                    self.assertNotIn(PASSWORD.encode(), path.read_bytes(), path)
            self.assertIn(b"prod-prometheus", (config_dir / "glib-2.0" / "settings" /
                                               "keyfile").read_bytes())
            self.assertTrue(keyring.is_file())
            self.assertNotIn(PASSWORD.encode(), keyring.read_bytes())

            # Without the keyring's entry the same source gets the 401.
            env["SECRET_FILE_TEST_PATH"] = str(home / "empty-keyring")
            empty = run_vigil(["--status", "--format=json"], env=env)
            self.assertEqual(empty.returncode, 2)
            self.assertIn("check the user name, password or token", empty.stdout)


class VictoriaMetricsTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        binary = shutil.which("victoria-metrics") or "/usr/bin/victoria-metrics"
        if not os.access(binary, os.X_OK):
            raise unittest.SkipTest("victoria-metrics is not installed "
                                    "(build-aux/install-deps.sh installs it)")
        cls.folder = pathlib.Path(tempfile.mkdtemp(prefix="vigil-vm-"))
        cls.port = free_port()
        cls.url = f"http://127.0.0.1:{cls.port}"
        cls.server = Server("victoria-metrics", [
            binary, f"-httpListenAddr=127.0.0.1:{cls.port}",
            f"-storageDataPath={cls.folder / 'data'}", "-search.latencyOffset=0s",
        ], cls.folder)
        opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
        try:
            wait_until(lambda: opener.open(f"{cls.url}/health", timeout=1).status == 200,
                       "VictoriaMetrics becoming ready", cls.server)
            now_ms = int(time.time() * 1000)
            lines = "".join(f'vigil_vm_test{{job="vigil",instance="i{i}"}} {i + 0.5} {now_ms}\n'
                            for i in range(3))
            request = urllib.request.Request(f"{cls.url}/api/v1/import/prometheus",
                                             data=lines.encode(), method="POST")
            opener.open(request, timeout=5).read()
            opener.open(f"{cls.url}/internal/force_flush", timeout=5).read()
        except BaseException:
            cls.tearDownClass()
            raise

    @classmethod
    def tearDownClass(cls):
        cls.server.stop()
        shutil.rmtree(cls.folder, ignore_errors=True)

    def test_query_through_vigil(self):
        config = config_text(id="vm", name="VictoriaMetrics", kind="prometheus",
                             urls=[self.url], tenant="team-a",
                             headers={"X-Vigil-Test": "yes"})
        deadline = time.monotonic() + 30
        while True:
            answer = probe(config, query="sum by (instance) (vigil_vm_test)")
            if answer["series"] and len(answer["series"]) == 3:
                break
            self.assertLess(time.monotonic(), deadline, f"samples never visible: {answer}")
            time.sleep(0.5)
        print(f"VictoriaMetrics: {answer['test']} {answer['series']}")
        self.assertEqual(answer["test"],
                         "A Prometheus-compatible server that does not say its version.")
        self.assertTrue(answer["poll_ok"], answer["error"])
        self.assertIsNone(answer["query_error"])
        values = sorted(series["value"] for series in answer["series"])
        self.assertEqual(values, [0.5, 1.5, 2.5])


if __name__ == "__main__":
    unittest.main(verbosity=2)
