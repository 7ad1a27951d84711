# SPDX-License-Identifier: GPL-3.0-or-later
"""What Vigil's integration tests share: where the binary is, the demo stack,
a settings folder of their own. Only the standard library; run with
/usr/bin/python3."""

import os
import pathlib
import subprocess
import sys
import tempfile

SOURCE_ROOT = pathlib.Path(os.environ.get("VIGIL_SOURCE_ROOT",
                                          pathlib.Path(__file__).resolve().parents[2]))
BUILD_ROOT = pathlib.Path(os.environ.get("VIGIL_BUILD_ROOT", SOURCE_ROOT / "build"))

sys.path.insert(0, str(SOURCE_ROOT / "build-aux"))

import demo_stack  # noqa: E402  (path set just above)

DemoStack = demo_stack.DemoStack


def vigil_binary():
    path = BUILD_ROOT / "src" / "vigil"
    if not path.is_file():
        raise RuntimeError(f"vigil is not built: {path} is missing")
    return str(path)


def vigil_env(config_dir=None, **settings):
    """The environment for a vigil process: the build tree's schema and, when
    settings are given, a keyfile settings backend in `config_dir` holding
    them (GVariant text, e.g. poll_interval="uint32 5")."""
    env = dict(os.environ)
    env["GSETTINGS_SCHEMA_DIR"] = str(BUILD_ROOT / "data")
    env.setdefault("GTK_A11Y", "none")
    env.setdefault("GSK_RENDERER", "cairo")
    env.pop("G_DEBUG", None)
    env["G_DEBUG"] = "fatal-criticals"
    if config_dir is not None:
        env["GSETTINGS_BACKEND"] = "keyfile"
        env["XDG_CONFIG_HOME"] = str(config_dir)
        # Vigil's saved alert state goes there too, never in the real home.
        env["XDG_STATE_HOME"] = str(pathlib.Path(config_dir) / "state")
        keyfile = pathlib.Path(config_dir) / "glib-2.0" / "settings" / "keyfile"
        keyfile.parent.mkdir(parents=True, exist_ok=True)
        lines = ["[io/github/vigiloncall/Vigil]"]
        lines += [f"{key.replace('_', '-')}={value}" for key, value in settings.items()]
        keyfile.write_text("\n".join(lines) + "\n")
    return env


def run_vigil(args, env=None, timeout=60):
    return subprocess.run([vigil_binary()] + list(args), env=env or vigil_env(),
                          capture_output=True, text=True, timeout=timeout)


def temp_dir():
    return tempfile.TemporaryDirectory(prefix="vigil-test-")
