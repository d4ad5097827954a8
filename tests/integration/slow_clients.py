#!/usr/bin/env python3
# SPDX-License-Identifier: ISC
"""Slow HTTP clients: opens N connections from a source address, sends
each a partial request head (or, with --keepalive, a whole request and
reads the answer), then waits and notes when the server
closes each one.  Prints one JSON object:
  {"opened": N, "refused": R, "closed": [seconds, ...], "open": M}
refused: closed by the server within a second of connecting (turned
away at accept); closed: when the others were closed, in seconds from
their connection; open: still open when the wait ended."""
import argparse
import json
import selectors
import socket
import time

ap = argparse.ArgumentParser()
ap.add_argument("--port", type=int, required=True)
ap.add_argument("--src", default="127.0.0.2")
ap.add_argument("-n", type=int, default=10)
ap.add_argument("--wait", type=float, default=10.0)
ap.add_argument("--keepalive", action="store_true",
                help="send a whole request, read the answer, then wait")
a = ap.parse_args()

sel = selectors.DefaultSelector()
t0 = time.monotonic()
born = {}
for i in range(a.n):
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.bind((a.src, 0))
    s.connect(("127.0.0.1", a.port))
    head = b"GET /api/v1/status HTTP/1.1\r\nHost: slow\r\n"
    try:
        s.sendall(head + (b"\r\n" if a.keepalive else b""))
        if a.keepalive:
            s.settimeout(5)
            s.recv(65536)  # the answer (small), then silence
    except OSError:
        pass
    s.setblocking(False)
    sel.register(s, selectors.EVENT_READ)
    born[s] = time.monotonic()

refused, closed = 0, []
left = len(born)
while left and time.monotonic() - t0 < a.wait:
    for key, _ in sel.select(timeout=0.1):
        s = key.fileobj
        try:
            data = s.recv(4096)
        except OSError:
            data = b""
        if data:
            continue  # an error page; the close follows
        sel.unregister(s)
        s.close()
        left -= 1
        t = time.monotonic() - born[s]
        if t < 1.0:
            refused += 1
        else:
            closed.append(round(t, 2))
print(json.dumps({"opened": a.n, "refused": refused, "closed": closed,
                  "open": left}), flush=True)
