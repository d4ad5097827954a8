#!/bin/sh
# SPDX-License-Identifier: ISC
# An accelerated soak: 30 simulated days of the shipped week of traces
# (looped) through the whole stack in replay mode; the balancer's RSS at
# the end within 10 % of its level after the first day.  bench/soak.sh
# runs the same on a full month of traces.
. "$(dirname "$0")/../integration/lib.sh"
# ASan's quarantine (freed memory held back to catch use after free,
# 256 MiB by default) would fill during the run and show as growth that
# is not the balancer's: no quarantine here, leak checking stays on.
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1}:quarantine_size_mb=0"
. "$ROOT/tests/faults/soak.sh"
finish
