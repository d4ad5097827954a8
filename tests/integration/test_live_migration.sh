#!/bin/sh
# SPDX-License-Identifier: ISC
# make check's entry for the real live migration (tests/run.sh runs the
# test_*.sh scripts); the test itself is live_migration.sh, which also
# runs alone.
exec sh "$(dirname "$0")/live_migration.sh" "$@"
