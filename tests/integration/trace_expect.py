#!/usr/bin/env python3
# SPDX-License-Identifier: ISC
"""Checks the balancer's host CPU figures against the trace itself.

Reads the Bitbrains slice independently of the C reader (same rule as
the balancing-quality model: slot = ts // 300, the last row in a slot
wins, no row means 0) and, for each host object on stdin (an array of
/api/v1/hosts/NAME answers with vm_list), compares
cpu_util * cpus * cpu_mhz with the sum of its VMs' "CPU usage [MHZ]" in
the slot the report covers.  Prints one line per host; exits 1 if any
differs by more than 1 %.
"""
import json
import sys
import tarfile


def load(path):
    slots = {}
    with tarfile.open(path) as tar:
        for m in tar.getmembers():
            base = m.name.rsplit("/", 1)[-1]
            if not base.endswith(".csv") or not base[:-4].isdigit():
                continue
            vm = {}
            for line in tar.extractfile(m).read().decode().splitlines():
                f = [x.strip() for x in line.split(";")]
                if len(f) != 11 or not f[0].isdigit():
                    continue
                try:
                    vm[int(f[0]) // 300] = float(f[3])
                except ValueError:
                    continue
            slots["vm-" + base[:-4]] = vm
    return slots


def main():
    slots = load(sys.argv[1])
    hosts = json.load(sys.stdin)
    bad = 0
    for h in hosts:
        slot = h["sample_time_ms"] // 1000 // 300 - 1
        want = sum(slots[v["name"]].get(slot, 0.0) for v in h["vm_list"])
        got = h["cpu_util"] * h["cpus"] * h["cpu_mhz"]
        err = abs(got - want) / max(want, 1.0)
        ok = err <= 0.01
        bad += not ok
        print("%s %s slot %d: balancer %.1f MHz, trace %.1f MHz, error %.3f%%"
              % ("ok" if ok else "BAD", h["name"], slot, got, want, err * 100))
    sys.exit(1 if bad or not hosts else 0)


main()
