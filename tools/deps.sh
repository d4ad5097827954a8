#!/bin/sh
# SPDX-License-Identifier: ISC
# Installs the Debian packages named on the command line (once, idempotent).
# With --if-missing, does nothing when every package is already installed.
set -eu
if [ "${1:-}" = "--if-missing" ]; then
	shift
	missing=""
	for p in "$@"; do
		dpkg-query -W -f='${Status}' "$p" 2>/dev/null |
		    grep -q "install ok installed" || missing="$missing $p"
	done
	[ -z "$missing" ] && exit 0
	echo "deps: missing:$missing"
fi
if [ "$(id -u)" -ne 0 ]; then
	echo "deps: run as root (or install: $*)" >&2
	exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update
apt-get install -y --no-install-recommends "$@"
