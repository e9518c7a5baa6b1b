#!/usr/bin/env python3
"""Waits until an HTTP GET to HOST:PORT succeeds and prints when, in epoch milliseconds.

Run by scripts/benchmark.sh on the lab's internet host while the app behind the router starts, or while the
router restarts. A new non-blocking connection attempt every 5 ms, several in flight (a SYN the router drops
is never answered, and waiting for it would hide the moment the mapping appears); every connection that
completes gets a GET. Printed: the time the earliest connection answered with status 200 had connected (the
route was there then). A cold application answers its first requests in whatever order its threads finish
them, so once one 200 came, the other connections made are waited for too (at most 10 s) rather than taking
the time of whichever happened to finish first.

    benchmark_reach.py HOST PORT TIMEOUT_SECONDS
"""
import errno
import selectors
import socket
import sys
import time

host, port, timeout = sys.argv[1], int(sys.argv[2]), float(sys.argv[3])
host_header = f"[{host}]" if ":" in host else host  # an IPv6 literal in brackets, as HTTP wants it
selector = selectors.DefaultSelector()
deadline = time.monotonic() + timeout
next_attempt = 0.0
pending = {}  # socket -> (started monotonic, connected epoch ms or None, received bytes)

def attempt():
    s = socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET, socket.SOCK_STREAM)
    s.setblocking(False)
    result = s.connect_ex((host, port))
    if result not in (0, errno.EINPROGRESS):
        s.close()
        return
    pending[s] = [time.monotonic(), None, b""]
    selector.register(s, selectors.EVENT_WRITE)

def drop(s):
    selector.unregister(s)
    s.close()
    del pending[s]

answered = []  # connect times (epoch ms) of the connections answered with 200
settle_deadline = None


def settled():
    """Once a 200 came: whether every connection made has answered (or the wait is over)."""
    return settle_deadline is not None and (time.monotonic() > settle_deadline
                                            or all(state[1] is None for state in pending.values()))


while time.monotonic() < deadline and not settled():
    now = time.monotonic()
    if now >= next_attempt and settle_deadline is None:
        attempt()
        next_attempt = now + 0.005
    for key, events in selector.select(timeout=0.002):
        s = key.fileobj
        state = pending[s]
        if state[1] is None:
            if s.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR) != 0:
                drop(s)
                continue
            state[1] = time.time() * 1000
            s.sendall(f"GET / HTTP/1.1\r\nHost: {host_header}\r\nConnection: close\r\n\r\n".encode())
            selector.modify(s, selectors.EVENT_READ)
            continue
        try:
            chunk = s.recv(4096)
        except OSError:
            drop(s)
            continue
        state[2] += chunk
        if b"\r\n" in state[2] or not chunk:
            if state[2].split(b" ", 2)[1:2] == [b"200"]:
                answered.append(state[1])
                if settle_deadline is None:
                    settle_deadline = time.monotonic() + 10
            drop(s)
    for s, state in list(pending.items()):
        # An attempt the router dropped is given up after a second; a connection made is waited for, however long
        # a cold application takes to answer its first request.
        if state[1] is None and time.monotonic() - state[0] > 1.0:
            drop(s)
if answered:
    print(int(min(answered)))
    sys.exit(0)
print("benchmark_reach: no HTTP 200 from %s:%d within %.0f s" % (host, port, timeout), file=sys.stderr)
sys.exit(1)
