#!/usr/bin/env python3
# SPDX-License-Identifier: ISC
"""Checks the balancer's RRD files against the trace itself.

Usage: history_expect.py TRACES RRD_DIR DAEMON < hosts.json

hosts.json is an array of /api/v1/hosts/NAME answers (with vm_list).
Reads the Bitbrains slice independently of the C reader (same rules as
trace_expect.py: slot = ts // 300, the last row in a slot wins, no row
means 0) and, with `rrdtool info` and `rrdtool fetch --daemon DAEMON`
(which makes rrdcached write the file first), checks:

  - every file is consistent: `rrdtool info` reads it;
  - every VM's 10-second rows give the trace's CPU, memory, disk and
    network values of the slot they fall in, within 1 %;
  - no row is missing between a VM's first known value and its file's
    last update (nothing acknowledged was lost);
  - each host's rows equal the sum of its VMs' rows, within 1 %.

Prints one "# ..." line per finding; exits 1 if any check failed.
"""
import json
import math
import subprocess
import sys
import tarfile

SLOT = 300
# data source -> (trace column, factor to bytes or MHz)
COLUMNS = {"cpu": (3, 1.0), "mem": (6, 1024.0), "disk_rd": (7, 1024.0),
           "disk_wr": (8, 1024.0), "net_rx": (9, 1024.0),
           "net_tx": (10, 1024.0)}


def load(path):
    vms = {}
    with tarfile.open(path) as tar:
        for m in tar.getmembers():
            base = m.name.rsplit("/", 1)[-1]
            if not base.endswith(".csv") or not base[:-4].isdigit():
                continue
            slots = {}
            for line in tar.extractfile(m).read().decode().splitlines():
                f = [x.strip() for x in line.split(";")]
                if len(f) != 11 or not f[0].isdigit():
                    continue
                try:
                    slots[int(f[0]) // SLOT] = [float(x) for x in f]
                except ValueError:
                    continue
            vms["vm-" + base[:-4]] = slots
    return vms


def expected(trace, slot, ds):
    col, factor = COLUMNS[ds]
    row = trace.get(slot)
    return row[col] * factor if row is not None else 0.0


def fetch(path, daemon):
    """Rows {ts: {ds: value or None}} of the 10 s archive, last update."""
    last = int(subprocess.check_output(["rrdtool", "last", "--daemon",
                                        daemon, path]).decode())
    out = subprocess.check_output(
        ["rrdtool", "fetch", "--daemon", daemon, path, "AVERAGE", "-r", "10",
         "-s", str(last - 80000), "-e", str(last)]).decode().splitlines()
    names = out[0].split()
    rows = {}
    for line in out[1:]:
        if ":" not in line:
            continue
        ts, vals = line.split(":", 1)
        row = {}
        for n, v in zip(names, vals.split()):
            x = float(v)
            row[n] = None if math.isnan(x) else x
        rows[int(ts)] = row
    return rows, last


def close(got, want):
    return abs(got - want) <= 0.01 * max(abs(want), 1.0)


class Check:
    def __init__(self):
        self.bad = 0

    def fail(self, msg):
        self.bad += 1
        if self.bad <= 20:
            print("# BAD " + msg)


def check_vm(c, name, path, trace, daemon):
    rows, last = fetch(path, daemon)
    known = sorted(ts for ts, r in rows.items() if r["cpu"] is not None)
    if not known:
        c.fail("%s: no known value in %s" % (name, path))
        return rows, 0
    gaps = [ts for ts in range(known[0], last + 1, 10)
            if ts not in rows or rows[ts]["cpu"] is None]
    if gaps:
        c.fail("%s: %d rows missing between %d and %d, first at %d"
               % (name, len(gaps), known[0], last, gaps[0]))
    compared = 0
    for ts in known:
        slot = (ts - 1) // SLOT
        for ds in COLUMNS:
            got, want = rows[ts][ds], expected(trace, slot, ds)
            if got is None or not close(got, want):
                c.fail("%s %s at %d (slot %d): rrd %s, trace %.3f"
                       % (name, ds, ts, slot, got, want))
                return rows, compared
        compared += 1
    return rows, compared


def check_host(c, host, path, vm_rows, daemon):
    rows, _ = fetch(path, daemon)
    n = 0
    for ts, r in rows.items():
        if r["cpu"] is None:
            continue
        vms = [v.get(ts) for v in vm_rows]
        if any(v is None or v["cpu"] is None for v in vms):
            continue
        for ds in ("cpu", "disk_rd", "disk_wr", "net_rx", "net_tx"):
            want = sum(v[ds] for v in vms)
            if not close(r[ds], want):
                c.fail("%s %s at %d: host %.3f, sum of its VMs %.3f"
                       % (host, ds, ts, r[ds], want))
                return n
        n += 1
    return n


def main():
    traces, rrd_dir, daemon = sys.argv[1:4]
    trace = load(traces)
    hosts = json.load(sys.stdin)
    c = Check()
    files = [rrd_dir + "/cluster.rrd"]
    total_rows = host_rows = 0
    for h in hosts:
        vm_rows = []
        for v in h["vm_list"]:
            path = "%s/vms/%s.rrd" % (rrd_dir, v["uuid"])
            files.append(path)
            rows, n = check_vm(c, v["name"], path, trace[v["name"]], daemon)
            vm_rows.append(rows)
            total_rows += n
        path = "%s/hosts/%s.rrd" % (rrd_dir, h["name"])
        files.append(path)
        host_rows += check_host(c, h["name"], path, vm_rows, daemon)
    for f in files:
        info = subprocess.run(["rrdtool", "info", "--daemon", daemon, f],
                              capture_output=True, text=True)
        if info.returncode != 0 or "last_update = " not in info.stdout:
            c.fail("rrdtool info %s: %s" % (f, info.stderr.strip()))
    print("# %d files read by rrdtool info; %d VM rows and %d host rows "
          "compared; %d problems" % (len(files), total_rows, host_rows,
                                     c.bad))
    sys.exit(1 if c.bad or total_rows == 0 or host_rows == 0 else 0)


main()
