#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Writes the throw-away certificates that tests/test-faults.c serves from its
# local TLS server, into tests/fixtures/tls/ (or the folder given):
#
#   ca.pem           a test CA (certificate only; its key is thrown away)
#   server.pem       127.0.0.1 and localhost, signed by the test CA
#   wrong-host.pem   wrong-host.invalid, signed by the test CA
#   expired.pem      127.0.0.1, signed by the test CA, valid only in 2000
#   self-signed.pem  127.0.0.1, signed by itself
#
# Each server file holds the certificate and its private key.  The keys
# protect nothing: they exist only so a test can tell "unknown CA" from
# "wrong host name" from "expired".  The files are checked in so the tests
# need no openssl; run this again only to change them (they are valid for
# 2120).  Needs openssl 3.
set -euo pipefail

out=${1:-"$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/../tests/fixtures/tls"}
mkdir -p "$out"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"

ec=(-newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes)

# `openssl ca` is the one command of openssl 3.0 that takes explicit
# validity dates: every certificate starts in 2020, so a machine whose clock
# is behind the one that made them still finds them valid, and the expired
# one ends in 2001.
valid=(-startdate 20200101000000Z -enddate 21200101000000Z)
mkdir -p newcerts
: > index.txt
echo 1000 > serial
cat > ca.cnf <<'EOF'
[ca]
default_ca = test_ca
[test_ca]
dir = .
database = ./index.txt
new_certs_dir = ./newcerts
serial = ./serial
certificate = ./ca.pem
private_key = ./ca.key
default_md = sha256
policy = any
unique_subject = no
copy_extensions = copy
[any]
commonName = supplied
EOF

# sign NAME SUBJECT-ALT-NAMES [openssl ca date options...]
sign() {
  local name=$1 san=$2 first
  shift 2
  first=${san%%,*}
  openssl req -new "${ec[@]}" -keyout "$name.key" -out "$name.csr" \
    -subj "/CN=${first#*:}" \
    -addext "subjectAltName=$san" \
    -addext "basicConstraints=critical,CA:FALSE" \
    -addext "extendedKeyUsage=serverAuth" 2>/dev/null
  openssl ca -batch -notext -config ca.cnf -in "$name.csr" -out "$name.crt" "$@" 2>/dev/null
  cat "$name.crt" "$name.key" > "$out/$name.pem"
}

openssl req -new "${ec[@]}" -keyout ca.key -out ca.csr \
  -subj "/CN=Vigil test CA (not trusted anywhere)" \
  -addext "basicConstraints=critical,CA:TRUE" \
  -addext "keyUsage=critical,keyCertSign,cRLSign" 2>/dev/null
openssl ca -batch -notext -config ca.cnf -selfsign -keyfile ca.key \
  -in ca.csr -out ca.pem "${valid[@]}" 2>/dev/null

sign server "IP:127.0.0.1,DNS:localhost" "${valid[@]}"
sign wrong-host "DNS:wrong-host.invalid" "${valid[@]}"
sign expired "IP:127.0.0.1,DNS:localhost" -startdate 20000101000000Z -enddate 20010101000000Z
sign self-signed "IP:127.0.0.1,DNS:localhost" -selfsign -keyfile self-signed.key "${valid[@]}"

cp ca.pem "$out/ca.pem"
echo "wrote $(cd "$out" && ls ./*.pem | tr '\n' ' ')to $out"
