#!/usr/bin/python3
"""A DNS server that knows one TXT record: enough for a DKIM verifier to find one public key, offline.

Answers NAME's TXT query with TEXT and every other name with NXDOMAIN, over UDP and TCP on HOST:53 (run it in a
network namespace of its own: port 53 and the address are then the test's alone). An answer too large for the
client's UDP size is truncated (TC) so that the resolver asks again over TCP, as a real server would.

Usage: dns_txt.py HOST NAME TEXT
"""

import socket
import socketserver
import struct
import sys
import threading

TYPE_TXT = 16
TYPE_OPT = 41
CLASS_IN = 1


def log(line):
    print(line, flush=True)


def encode_name(name):
    out = b""
    for label in name.strip(".").split("."):
        out += bytes([len(label)]) + label.encode("ascii")
    return out + b"\0"


def read_question(query):
    """Returns (name, qtype, end offset of the question, has EDNS, EDNS UDP size)."""
    offset, labels = 12, []
    while query[offset]:
        length = query[offset]
        labels.append(query[offset + 1:offset + 1 + length].decode("ascii", "replace"))
        offset += 1 + length
    offset += 1
    qtype, _ = struct.unpack(">HH", query[offset:offset + 4])
    end = offset + 4
    _, _, qdcount, ancount, nscount, arcount = struct.unpack(">HHHHHH", query[:12])
    edns, udp_size = False, 512
    # The OPT record, if any, is the only additional record a resolver puts in a query: its root name is one zero
    # byte, then type, then the UDP payload size in the class field.
    if arcount and ancount == 0 and nscount == 0 and len(query) >= end + 11 and query[end] == 0:
        rtype, size = struct.unpack(">HH", query[end + 1:end + 5])
        if rtype == TYPE_OPT:
            edns, udp_size = True, max(size, 512)
    return ".".join(labels), qtype, end, edns, udp_size


def character_strings(text):
    data = text.encode("ascii")
    # A TXT record's text is a sequence of strings of at most 255 bytes each; a 2048-bit key needs two.
    return b"".join(bytes([len(data[i:i + 255])]) + data[i:i + 255] for i in range(0, max(len(data), 1), 255))


def answer(query, record_name, record_text, udp):
    qid, flags = struct.unpack(">HH", query[:4])
    name, qtype, end, edns, udp_size = read_question(query)
    question = query[12:end]
    found = name.lower().rstrip(".") == record_name.lower().rstrip(".")
    rcode = 0 if found else 3
    answers = b""
    if found and qtype == TYPE_TXT:
        rdata = character_strings(record_text)
        answers = b"\xc0\x0c" + struct.pack(">HHIH", TYPE_TXT, CLASS_IN, 60, len(rdata)) + rdata
    opt = b"\0" + struct.pack(">HHIH", TYPE_OPT, 1232, 0, 0) if edns else b""
    # QR, opcode copied, AA, RD copied, RA.
    out_flags = 0x8000 | (flags & 0x7800) | 0x0400 | (flags & 0x0100) | 0x0080 | rcode
    ancount = 1 if answers else 0
    message = struct.pack(">HHHHHH", qid, out_flags, 1, ancount, 0, 1 if edns else 0) + question + answers + opt
    truncated = udp and len(message) > udp_size
    if truncated:
        message = struct.pack(">HHHHHH", qid, out_flags | 0x0200, 1, 0, 0, 1 if edns else 0) + question + opt
    outcome = "answer" if ancount else "NXDOMAIN" if rcode else "no data"
    log(f"{'udp' if udp else 'tcp'} {name} type {qtype}: {outcome}{' (truncated)' if truncated else ''}")
    return message


class UdpHandler(socketserver.BaseRequestHandler):
    def handle(self):
        query, sock = self.request
        try:
            sock.sendto(answer(query, self.server.record_name, self.server.record_text, udp=True), self.client_address)
        except (IndexError, struct.error, UnicodeError) as error:
            log(f"udp: bad query: {error}")


class TcpHandler(socketserver.StreamRequestHandler):
    def handle(self):
        while True:
            header = self.rfile.read(2)
            if len(header) < 2:
                return
            (length,) = struct.unpack(">H", header)
            query = self.rfile.read(length)
            try:
                reply = answer(query, self.server.record_name, self.server.record_text, udp=False)
            except (IndexError, struct.error, UnicodeError) as error:
                log(f"tcp: bad query: {error}")
                return
            self.wfile.write(struct.pack(">H", len(reply)) + reply)


class UdpServer(socketserver.ThreadingUDPServer):
    daemon_threads = True


class TcpServer(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True


def main():
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    host, name, text = sys.argv[1:]
    servers = [UdpServer((host, 53), UdpHandler), TcpServer((host, 53), TcpHandler)]
    for server in servers:
        server.record_name, server.record_text = name, text
    threading.Thread(target=servers[1].serve_forever, daemon=True).start()
    log(f"dns_txt serving TXT {name} on {host}:53")
    servers[0].serve_forever()


if __name__ == "__main__":
    main()
