# SPDX-License-Identifier: ISC
"""Writes one VM's trace in the Bitbrains format, for the test trace
generators (burst_traces.py, tests/faults/churn_traces.py): a VM of 4
cores (10,400 MHz provisioned) and 4 GiB, using 2 GiB, at the given CPU
(MHz) in each 5-minute slot from T0."""
import os

HEADER = ("Timestamp [ms];\tCPU cores;\tCPU capacity provisioned [MHZ];\t"
          "CPU usage [MHZ];\tCPU usage [%];\tMemory capacity provisioned [KB];\t"
          "Memory usage [KB];\tDisk read throughput [KB/s];\t"
          "Disk write throughput [KB/s];\tNetwork received throughput [KB/s];\t"
          "Network transmitted throughput [KB/s]\n")
T0 = 1372629600


def write_vm(folder, number, cpu_mhz):
    """folder/NUMBER.csv with one row per value of cpu_mhz."""
    os.makedirs(folder, exist_ok=True)
    with open(os.path.join(folder, "%d.csv" % number), "w") as f:
        f.write(HEADER)
        for k, cpu in enumerate(cpu_mhz):
            f.write("%d;\t4;\t10400.0;\t%.1f;\t%.2f;\t4194304.0;\t2097152.0;\t"
                    "10.0;\t20.0;\t30.0;\t40.0\n" % (T0 + 300 * k, cpu, cpu / 104))
