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

HEADER = ("Timestamp [ms];\tCPU cores;\tCPU capacity provisioned [MHZ];\t"
          "CPU usage [MHZ];\tCPU usage [%];\tMemory capacity provisioned [KB];\t"
          "Memory usage [KB];\tDisk read throughput [KB/s];\t"
          "Disk write throughput [KB/s];\tNetwork received throughput [KB/s];\t"
          "Network transmitted throughput [KB/s]\n")
T0 = 1372629600

os.makedirs(sys.argv[1], exist_ok=True)
for v in range(1, 9):
    with open(os.path.join(sys.argv[1], "%d.csv" % v), "w") as f:
        f.write(HEADER)
        for k in range(400):
            cpu = 4500.0 if v in (1, 5) and k >= 10 else 1000.0
            f.write("%d;\t4;\t10400.0;\t%.1f;\t%.2f;\t4194304.0;\t2097152.0;\t"
                    "10.0;\t20.0;\t30.0;\t40.0\n" % (T0 + 300 * k, cpu, cpu / 104))
