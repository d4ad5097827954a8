#!/bin/sh
# SPDX-License-Identifier: ISC
# Fetches the base SMIv2 modules (SNMPv2-SMI, -TC, -CONF, SNMPv2-MIB,
# IF-MIB, IANAifType-MIB) that Debian keeps in the non-free
# snmp-mibs-downloader: the npm package net-snmp carries them under
# lib/mibs/.  Used by the tests (MIBDIRS, smilint's path) only; nothing
# is installed.  Usage: tools/basemibs.sh [DIR] (default build/mibs-base).
# Idempotent: does nothing when DIR already holds SNMPv2-SMI.
set -eu
VERSION=3.29.2
cd "$(dirname "$0")/.."
DIR=${1:-build/mibs-base}
[ -s "$DIR/SNMPv2-SMI.txt" ] && exit 0
if ! command -v npm >/dev/null 2>&1; then
	if [ "$(id -u)" -ne 0 ]; then
		echo "basemibs: npm is needed (apt-get install npm, as root)" >&2
		exit 1
	fi
	DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends npm
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
(cd "$tmp" && npm pack --silent "net-snmp@$VERSION" >/dev/null)
tar -xzf "$tmp/net-snmp-$VERSION.tgz" -C "$tmp" package/lib/mibs
mkdir -p "$DIR"
for m in SNMPv2-SMI SNMPv2-TC SNMPv2-CONF SNMPv2-MIB IF-MIB IANAifType-MIB; do
	cp "$tmp/package/lib/mibs/$m.mib" "$DIR/$m.txt"
done
echo "basemibs: base MIB modules from npm net-snmp@$VERSION in $DIR"
