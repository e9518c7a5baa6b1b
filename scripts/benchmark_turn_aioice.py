"""The reference for nat-core's TURN allocations: aioice (Debian python3-aioice), the TURN client of the Python
ICE agent, allocating a UDP relay over UDP from the same host, RUNS times after one first allocation, each
released before the next. Prints "RESULT <label>\t<ms>" lines. Run only in the lab.

    python3 scripts/benchmark_turn_aioice.py HOST USER PASSWORD RUNS
"""
import asyncio
import importlib.metadata
import sys
import time

from aioice import turn


async def main(host, user, password, runs):
    for run in range(runs + 1):
        start = time.perf_counter()
        transport, _ = await turn.create_turn_endpoint(asyncio.DatagramProtocol, server_addr=(host, 3478),
                                                       username=user, password=password, transport="udp")
        took = (time.perf_counter() - start) * 1000
        transport.close()
        await asyncio.sleep(0.05)  # its deallocation (Refresh, lifetime 0) goes out in the background
        when = "first in a process" if run == 0 else "warm"
        version = importlib.metadata.version("aioice")
        print(f"RESULT aioice {version}: allocate, UDP relay over UDP, {when}\t{took:.2f}", flush=True)


asyncio.run(main(sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])))
