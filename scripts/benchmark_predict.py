#!/usr/bin/env python3
"""Port prediction in the lab (benchmark.sh's port-prediction section): the easy side (site 1's LAN host, behind a
plain NAT) and the hard side (site 2's, behind masquerade random), each a PortPredictionDriver; their public
endpoints, from STUN, passed between them. Time: the easy side's own "predicted in N ms", from its start to its
first probe answered. Prints one sample per run, TSV:

    predicted  MILLIS        or    failed  -

    benchmark_predict.py RUNS SOCKETS PROBES PROBES-PER-SECOND

Needs NATLAB_NS_LAN, NATLAB_NS_LAN2, NATLAB_WAN_INET (natlab env) and the lab tests' class path
(nat-lab-tests/target/test-classes and test-classpath.txt, built by mvn install); never outside the lab.
"""
import os
import queue
import re
import subprocess
import sys
import threading
import time

runs, sockets, probes, rate = (int(value) for value in sys.argv[1:5])
stun = os.environ["NATLAB_WAN_INET"]
classpath = "nat-lab-tests/target/test-classes:" + open("nat-lab-tests/target/test-classpath.txt").read().strip()
predicted = re.compile(r"^predicted in (\d+) ms")


class Driver:
    def __init__(self, namespace, role, *counts):
        command = ["ip", "netns", "exec", namespace, "java", "-cp", classpath,
                   "dev.natboot.lab.driver.PortPredictionDriver", stun, role, role] + [str(c) for c in counts]
        self.process = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                        stderr=subprocess.STDOUT, text=True, bufsize=1)
        self.lines = queue.Queue()
        threading.Thread(target=self.pump, daemon=True).start()

    def pump(self):
        for line in self.process.stdout:
            self.lines.put(line.rstrip("\n"))
        self.lines.put(None)

    def await_line(self, pattern, deadline):
        while True:
            line = self.lines.get(timeout=max(0.01, deadline - time.monotonic()))
            if line is None:
                return None
            match = re.search(pattern, line)
            if match:
                return match

    def close(self):
        try:
            self.process.stdin.close()
            self.process.wait(5)
        except Exception:
            self.process.kill()
            self.process.wait()


for run in range(runs):
    easy = Driver(os.environ["NATLAB_NS_LAN"], "easy", probes, rate)
    hard = Driver(os.environ["NATLAB_NS_LAN2"], "hard", sockets)
    try:
        deadline = time.monotonic() + 30
        mine = easy.await_line(r"^endpoint=\S+ local=\d+$", deadline).group(0)
        theirs = hard.await_line(r"^endpoint=\S+ local=\d+$", deadline).group(0)
        easy.process.stdin.write(theirs + "\n")
        easy.process.stdin.flush()
        hard.process.stdin.write(mine + "\n")
        hard.process.stdin.flush()
        result = easy.await_line(r"^(predicted in (\d+) ms|not predicted)", time.monotonic() + 15)
        if result and result.group(2):
            print("predicted\t%s" % result.group(2), flush=True)
        else:
            print("failed\t-", flush=True)
    except Exception as failure:
        print("failed\t%s" % type(failure).__name__, flush=True)
    finally:
        easy.close()
        hard.close()
