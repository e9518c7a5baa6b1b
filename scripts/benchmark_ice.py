#!/usr/bin/env python3
"""ICE agents head to head in the lab (benchmark.sh's ice section): two peers of one agent, the controlling one on
site 1's LAN host and the controlled one on site 2's, their descriptions passed between them as a person would
paste them. Time to connected: from both descriptions written to both peers until both said they are connected,
as this driver sees it (the same outside view for every agent). Prints one sample per run, TSV:

    AGENT  PAIR  MILLIS|fail  PATH

    benchmark_ice.py AGENT PAIR RUNS RELAY   (AGENT natboot|ice4j|aioice|libnice; RELAY yes to give a TURN server)

ICE_TRANSPORT=tcp: ICE-TCP candidates alone (natboot-cli ice --tcp-only, nice-peer --tcp-only); natboot then asks
for a port-mapped candidate on every pair (--map), since with UDP blocked it is its only way through a router.

Needs NATLAB_NS_LAN, NATLAB_NS_LAN2 and NATLAB_WAN_INET (natlab env) and BENCH_CP (ice4j); never outside the lab.
"""
import os
import queue
import re
import subprocess
import sys
import threading
import time

agent, pair, runs, relay = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4] == "yes"
stun = os.environ["NATLAB_WAN_INET"]
tcp = os.environ.get("ICE_TRANSPORT", "udp") == "tcp"
connected = re.compile(r"connected in (\d+) ms (?:\((\w+ \S+) <-> (\w+ \S+)|local=(\w+) remote=(\w+))")


def command(role):
    if agent == "natboot":
        args = ["java", "-jar", "nat-cli/target/natboot-cli.jar", "ice", "--stun", stun, "--timeout", "20"]
        if relay:
            args += ["--turn", "turn:" + stun, "--turn-user", "natlab", "--turn-password", "natlab"]
        if "router" in pair:
            args += ["--map"]  # natboot asks a router that maps for a port-mapped candidate; the others cannot
        if tcp:
            args += ["--tcp-only"]
        return args + ([] if role == "controlling" else ["--controlled"])
    if agent == "ice4j":
        args = ["java", "-cp", os.environ["BENCH_CP"], "dev.natboot.bench.Ice4jPeer", role, "--stun", stun]
        return args + (["--turn", stun, "natlab", "natlab"] if relay else [])
    if agent == "aioice":
        args = ["/usr/bin/python3", "lab/aioice-peer.py", role, "--stun", stun + ":3478"]
        return args + (["--turn", stun + ":3478", "natlab", "natlab"] if relay else [])
    if agent == "libnice":
        args = ["nat-lab-tests/target/nice-peer", role, "--stun", stun, "3478"]
        if tcp:
            return args + ["--tcp-only"]  # libnice's TCP relays carry UDP candidates: none to give here
        return args + (["--turn", stun, "3478", "natlab", "natlab"] if relay else [])
    raise SystemExit("unknown agent " + agent)


class Peer:
    def __init__(self, namespace, role):
        self.process = subprocess.Popen(["ip", "netns", "exec", namespace] + command(role), stdin=subprocess.PIPE,
                                        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, bufsize=1)
        self.lines = queue.Queue()
        threading.Thread(target=self.pump, daemon=True).start()

    def pump(self):
        for line in self.process.stdout:
            self.lines.put(line.rstrip("\n"))
        self.lines.put(None)

    def description(self, deadline):
        text = []
        while True:
            line = self.lines.get(timeout=max(0.1, deadline - time.monotonic()))
            if line is None:
                raise RuntimeError("ended before its description")
            if line.startswith("a="):
                text.append(line)
            if line == "a=end-of-candidates":
                return "\n".join(text) + "\n"

    def connected(self, deadline):
        while True:
            try:
                line = self.lines.get(timeout=max(0.01, deadline - time.monotonic()))
            except queue.Empty:
                return None
            if line is None:
                return None
            match = connected.search(line)
            if match:
                # natboot's "TYPE ADDRESS:PORT[/tcp-TCPTYPE]": the type, and for TCP the tcptype
                return [re.sub(r" \S+?(/tcp-(\w+))?$", lambda m: " " + m.group(2) if m.group(2) else "", side)
                        for side in (match.group(2) or match.group(4), match.group(3) or match.group(5))]
            if "not connected" in line:
                return None

    def close(self):
        try:
            self.process.stdin.close()
            self.process.wait(3)
        except Exception:
            self.process.kill()
            self.process.wait()


for run in range(runs):
    one = Peer(os.environ["NATLAB_NS_LAN"], "controlling")
    two = Peer(os.environ["NATLAB_NS_LAN2"], "controlled")
    try:
        deadline = time.monotonic() + 60
        first, second = one.description(deadline), two.description(deadline)
        start = time.monotonic()
        one.process.stdin.write(second)
        one.process.stdin.flush()
        two.process.stdin.write(first)
        two.process.stdin.flush()
        deadline = time.monotonic() + 30
        path_one = one.connected(deadline)
        path_two = two.connected(deadline)
        took = (time.monotonic() - start) * 1000
        if path_one and path_two:
            print("%s\t%s\t%.0f\t%s<->%s" % (agent, pair, took, path_one[0], path_one[1]), flush=True)
        else:
            print("%s\t%s\tfail\t-" % (agent, pair), flush=True)
    except Exception as failure:
        print("%s\t%s\tfail\t%s" % (agent, pair, type(failure).__name__), flush=True)
    finally:
        one.close()
        two.close()
