#!/usr/bin/python3
"""A foreign ICE agent for the lab: aioice (Debian's python3-aioice), UDP, IPv4.

Prints its description in RFC 8839's lines (ending with a=end-of-candidates), reads the peer's the same way from
standard input, connects, prints "connected in N ms local=TYPE remote=TYPE", sends "hello from aioice", then
prints each datagram received as "< TEXT" and sends back "echo:TEXT" for each that is not an echo itself.
Exits when standard input ends. Never run outside the lab.

    aioice-peer.py controlling|controlled [--stun HOST:PORT] [--turn HOST:PORT USER PASSWORD]
"""
import asyncio
import sys
import time

from aioice import Candidate, Connection


async def main(args):
    controlling = args[0] == "controlling"
    options = {}
    rest = args[1:]
    while rest:
        if rest[0] == "--stun":
            host, port = rest[1].rsplit(":", 1)
            options["stun_server"] = (host, int(port))
            rest = rest[2:]
        elif rest[0] == "--turn":
            host, port = rest[1].rsplit(":", 1)
            options.update(turn_server=(host, int(port)), turn_username=rest[2], turn_password=rest[3])
            rest = rest[4:]
        else:
            raise SystemExit("unknown option " + rest[0])
    conn = Connection(ice_controlling=controlling, use_ipv6=False, **options)
    await conn.gather_candidates()
    print("a=ice-ufrag:" + conn.local_username)
    print("a=ice-pwd:" + conn.local_password)
    for candidate in conn.local_candidates:
        print("a=candidate:" + candidate.to_sdp())
    print("a=end-of-candidates", flush=True)
    loop = asyncio.get_running_loop()
    lines = []
    while True:
        line = (await loop.run_in_executor(None, sys.stdin.readline)).strip()
        if not line:
            raise SystemExit("no description from the peer")
        lines.append(line)
        if line == "a=end-of-candidates":
            break
    start = time.monotonic()
    for line in lines:
        if line.startswith("a=ice-ufrag:"):
            conn.remote_username = line[len("a=ice-ufrag:"):]
        elif line.startswith("a=ice-pwd:"):
            conn.remote_password = line[len("a=ice-pwd:"):]
        elif line.startswith("a=candidate:"):
            await conn.add_remote_candidate(Candidate.from_sdp(line[len("a=candidate:"):]))
    await conn.add_remote_candidate(None)
    try:
        await asyncio.wait_for(conn.connect(), 30)
    except Exception as failure:
        print("not connected: %r" % failure, flush=True)
        raise SystemExit(5)
    pair = conn._nominated.get(1)
    print("connected in %d ms local=%s remote=%s" % ((time.monotonic() - start) * 1000,
          pair.local_candidate.type if pair else "?", pair.remote_candidate.type if pair else "?"), flush=True)
    await conn.send(b"hello from aioice")

    async def receive():
        while True:
            data = await conn.recv()
            text = data.decode(errors="replace")
            print("< " + text, flush=True)
            if not text.startswith("echo:"):
                await conn.send(("echo:" + text).encode())

    receiver = asyncio.ensure_future(receive())
    await loop.run_in_executor(None, sys.stdin.read)
    receiver.cancel()
    await conn.close()


asyncio.run(main(sys.argv[1:]))
