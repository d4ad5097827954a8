#!/usr/bin/env python3
# SPDX-License-Identifier: ISC
"""Writes a small Bitbrains-format trace folder with a known burst.

8 VMs of 4 cores (10,400 MHz provisioned) use 1,000 MHz each; from slot
10 on, vm-1 and vm-5 -- both on hv01 when 4 hosts are filled
round-robin -- use 4,500 MHz each, so hv01 (4 x 2,600 MHz) runs at
86.5 % while the others stay at 19 %.  Usage: burst_traces.py DIR
"""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from trace_csv import write_vm  # noqa: E402

for v in range(1, 9):
    write_vm(sys.argv[1], v, [4500.0 if v in (1, 5) and k >= 10 else 1000.0
                              for k in range(400)])
