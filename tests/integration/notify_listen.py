#!/usr/bin/env python3
# SPDX-License-Identifier: ISC
"""Listens as systemd's manager does for sd_notify datagrams on the
socket path given, and appends each to the log file given as
"SECONDS MESSAGE" lines (seconds since it started).  Runs until killed."""
import os
import socket
import sys
import time

path, log = sys.argv[1], sys.argv[2]
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind(path)
t0 = time.monotonic()
with open(log, "a", buffering=1) as f:
    while True:
        msg = s.recv(4096).decode(errors="replace")
        for line in msg.splitlines():
            f.write("%.2f %s\n" % (time.monotonic() - t0, line))
