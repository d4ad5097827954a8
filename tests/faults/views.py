#!/usr/bin/env python3
# SPDX-License-Identifier: ISC
"""Holds the simulator's own view (ballast-sim --status) against the
balancer's (its API), for the fault-injection tests.

views.py placement SIM_STATUS VMS_JSON
    every VM on exactly one host in the simulator; the balancer lists
    each VM once, on the host the simulator has it on (VMs migrating
    in the simulator are left out: either side may be ahead)
views.py commands SIM_STATUS MAX_RECEIVED
    no command carried out twice; none delivered more than MAX_RECEIVED
    times (the first send and the executor's resends)
views.py outcomes SIM_STATUS MIGRATIONS_JSON
    every migration that has ended in the simulator ended the same way
    in the balancer
views.py reconciled SIM_STATUS MIGRATIONS_JSON EPOCH
    every migration of an earlier epoch has ended in the balancer, as
    it ended in the simulator: done where the simulator moved the VM,
    failed where it refused or failed it, and aborted only if the
    simulator never received it
Exits 0 when it holds, else 1 with the reasons on stdout.
"""
import json
import sys


def load(path):
    with open(path) as f:
        return json.load(f)


def placement(sim, vms):
    bad = []
    names = [v["name"] for v in sim["vms"]]
    if len(names) != len(set(names)):
        bad.append("the simulator lists a VM twice")
    if sum(sim["hosts"].values()) != len(names):
        bad.append("hosts hold %d VMs, the simulator has %d"
                   % (sum(sim["hosts"].values()), len(names)))
    seen = {}
    for v in vms:
        seen.setdefault(v["name"], []).append(v["host"])
    for v in sim["vms"]:
        hosts = seen.get(v["name"], [])
        if len(hosts) != 1:
            bad.append("%s: on %s in the balancer" % (v["name"], hosts))
        elif not v["migrating"] and hosts[0] != v["host"]:
            bad.append("%s: on %s in the simulator, on %s in the balancer"
                       % (v["name"], v["host"], hosts[0]))
    return bad


def commands(sim, max_received):
    bad = []
    for c in sim["commands"]:
        if c["executed"] > 1:
            bad.append("command %d executed %d times" % (c["id"], c["executed"]))
        if c["received"] > max_received:
            bad.append("command %d delivered %d times" % (c["id"], c["received"]))
    return bad


WANT = {"done": ("done",), "failed": ("failed", "refused"),
        "cancelled": ("aborted",), "refused": ("failed",)}


def reconciled(sim, migs, epoch, ended_only=False):
    bad = []
    cmds = {c["id"]: c for c in sim["commands"]}
    for m in migs:
        if m["id"] >> 32 >= epoch:
            continue
        if ended_only and cmds.get(m["id"], {}).get("state") not in WANT:
            continue
        c = cmds.get(m["id"])
        if c is None:
            if m["state"] != "aborted":
                bad.append("migration %d (%s) is %s but the simulator never "
                           "received it" % (m["id"], m["vm"], m["state"]))
            continue
        if m["state"] not in ("done", "failed", "aborted"):
            bad.append("migration %d (%s) of epoch %d still %s"
                       % (m["id"], m["vm"], m["id"] >> 32, m["state"]))
        elif m["state"] not in WANT.get(c["state"], ()):
            bad.append("migration %d (%s): %s in the balancer, %s in the "
                       "simulator" % (m["id"], m["vm"], m["state"], c["state"]))
    return bad


def main():
    what, sim = sys.argv[1], load(sys.argv[2])
    if what == "placement":
        bad = placement(sim, load(sys.argv[3]))
    elif what == "commands":
        bad = commands(sim, int(sys.argv[3]))
    elif what == "outcomes":
        bad = reconciled(sim, load(sys.argv[3]), 1 << 31, True)
    else:
        bad = reconciled(sim, load(sys.argv[3]), int(sys.argv[4]))
    for b in bad[:10]:
        print(b)
    return 1 if bad else 0


sys.exit(main())
