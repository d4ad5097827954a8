#!/usr/bin/env python3
# SPDX-License-Identifier: ISC
"""Writes a Bitbrains-format trace folder that keeps a planner busy.

VMS VMs (default 16) of 4 cores using 2 GiB; in every 5-minute slot a
different, seeded choice of a quarter of them runs at 4,500 MHz and the
rest at 800 MHz.  On VMS / 4 hosts of 4 x 2,600 MHz a host holding two busy VMs runs at over
100 % (hot) while one busy VM per host is cool, so each slot the planner
has hot hosts to relieve and somewhere to put their VMs: migrations
follow one another for as long as the simulator runs.
Usage: churn_traces.py DIR [SEED [VMS]]
"""
import os
import random
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "integration"))
from trace_csv import write_vm  # noqa: E402

SLOTS = 288
VMS = int(sys.argv[3]) if len(sys.argv) > 3 else 16
BUSY = VMS // 4

rng = random.Random(int(sys.argv[2]) if len(sys.argv) > 2 else 1)
busy = [set(rng.sample(range(1, VMS + 1), BUSY)) for _ in range(SLOTS)]
for v in range(1, VMS + 1):
    write_vm(sys.argv[1], v, [4500.0 if v in busy[k] else 800.0
                              for k in range(SLOTS)])
