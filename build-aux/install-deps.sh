#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Installs, from Debian 12's archive, everything Vigil needs to build, to run
# its tests and the demo.  This list is the one place that names them.
#
#   build-aux/install-deps.sh           install what is missing
#   build-aux/install-deps.sh --list    print the list, one package a line
#   build-aux/install-deps.sh --check   exit 1 if something is missing
#
# Runs apt-get as root, or through sudo when not root.  When everything is
# installed already it does nothing (no apt-get update), so re-runs are fast.
set -euo pipefail

packages=(
  # build
  meson
  ninja-build
  gcc
  pkg-config
  gettext
  libglib2.0-dev
  libglib2.0-bin
  libgtk-4-dev
  libadwaita-1-dev
  libsoup-3.0-dev
  libjson-glib-dev
  libnotify-dev
  libsecret-1-dev
  libgstreamer1.0-dev
  desktop-file-utils
  appstream
  # the real servers of the demo stack and the integration tests
  prometheus
  prometheus-alertmanager
  victoria-metrics
  # the TLS and basic-auth source tests: certificates and a bcrypt password
  openssl
  apache2-utils
  # a display, a session bus, a notification server and accessibility for
  # the tests (dbus-run-session is in dbus; dbusmock is the notification server)
  xvfb
  xauth
  dbus
  at-spi2-core
  python3
  python3-dbusmock
  python3-gi
  # the Flatpak build, and talking to the demo by hand
  flatpak-builder
  curl
  ca-certificates
)

missing_packages() {
  local pkg status
  for pkg in "${packages[@]}"; do
    status=$(dpkg-query -W -f='${db:Status-Status}' "$pkg" 2>/dev/null || true)
    if [[ "$status" != installed ]]; then
      printf '%s\n' "$pkg"
    fi
  done
}

case "${1:-}" in
  --list)
    printf '%s\n' "${packages[@]}"
    exit 0
    ;;
  --check)
    mapfile -t missing < <(missing_packages)
    if ((${#missing[@]} > 0)); then
      echo "install-deps: missing packages: ${missing[*]}" >&2
      exit 1
    fi
    exit 0
    ;;
  "")
    ;;
  *)
    echo "usage: $0 [--list | --check]" >&2
    exit 2
    ;;
esac

if ! command -v dpkg-query >/dev/null || ! command -v apt-get >/dev/null; then
  echo "install-deps: not a Debian system; install these by hand:" >&2
  printf '  %s\n' "${packages[@]}" >&2
  exit 1
fi

mapfile -t missing < <(missing_packages)
if ((${#missing[@]} == 0)); then
  echo "install-deps: all ${#packages[@]} packages are installed"
  exit 0
fi

if ((EUID == 0)); then
  as_root=()
elif command -v sudo >/dev/null; then
  as_root=(sudo)
else
  echo "install-deps: need root or sudo to install: ${missing[*]}" >&2
  exit 1
fi

echo "install-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
"${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update
"${as_root[@]}" env DEBIAN_FRONTEND=noninteractive \
  apt-get install -y --no-install-recommends "${packages[@]}"

# On a desktop with systemd, the prometheus and victoria-metrics packages
# start system services listening on all interfaces.  Vigil's demo and tests
# never use them; say so once.
if command -v systemctl >/dev/null && [[ -d /run/systemd/system ]]; then
  for unit in prometheus prometheus-alertmanager victoria-metrics; do
    if systemctl is-active --quiet "$unit" 2>/dev/null; then
      echo "install-deps: note: Debian started the $unit system service;" \
           "the demo does not need it (sudo systemctl disable --now $unit)"
    fi
  done
fi
