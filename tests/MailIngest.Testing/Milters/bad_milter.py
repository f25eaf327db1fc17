#!/usr/bin/python3
"""A milter that misbehaves on purpose, for the MTA side's failure-policy tests.

Speaks the wire format by hand (no libmilter, which would never send a broken packet): a 4-byte big-endian length
covering the command byte and the data, the command byte, the data.

Usage: bad_milter.py MODE unix:/path.sock | inet:PORT@127.0.0.1 [DELAY_SECONDS]
  hang            accepts and reads everything, never answers
  close-mid-body  negotiates, answers CONTINUE, closes the connection on the first body chunk
  garbage         answers the first packet with a well-framed packet of the unknown command 'Z'
  garbage-frame   answers the first packet with a length of 0x7FFFFFFF (and a few bytes, never that many)
  slow            negotiates, answers CONTINUE, waits DELAY_SECONDS before answering end-of-message with ACCEPT
"""

import os
import socket
import struct
import sys
import threading
import time

MODES = ("hang", "close-mid-body", "garbage", "garbage-frame", "slow")
# Commands the MTA sends without waiting for an answer: macros, abort, quit, quit-and-keep-connection.
UNANSWERED = b"DAQK"


def log(line):
    print(line, flush=True)


def read_exactly(connection, count):
    data = b""
    while len(data) < count:
        chunk = connection.recv(count - len(data))
        if not chunk:
            return None
        data += chunk
    return data


def read_packet(connection):
    header = read_exactly(connection, 4)
    if header is None:
        return None
    (length,) = struct.unpack(">I", header)
    payload = read_exactly(connection, length) if length else b""
    if payload is None or not payload:
        return None
    return payload[:1], payload[1:]


def packet(command, data=b""):
    return struct.pack(">I", len(data) + 1) + command + data


def drain(connection):
    """Reads until the MTA gives up, so that it, not the filter, decides when the connection ends."""
    while connection.recv(65536):
        pass


def serve(connection, mode, delay):
    peer = "connection"
    try:
        if mode == "hang":
            log("hang: connection accepted, never answering")
            drain(connection)
            return
        first = True
        while True:
            received = read_packet(connection)
            if received is None:
                return
            command, data = received
            if first and mode in ("garbage", "garbage-frame"):
                if mode == "garbage":
                    connection.sendall(packet(b"Z", b"garbage"))
                else:
                    connection.sendall(struct.pack(">I", 0x7FFFFFFF) + b"c" + b"\0" * 11)
                log(f"{mode}: answered {command!r} with garbage")
                drain(connection)
                return
            first = False
            if command == b"O":
                # Version 6, no actions, no protocol steps left out: the MTA sends every command and waits for each.
                connection.sendall(packet(b"O", struct.pack(">III", 6, 0, 0)))
            elif command in UNANSWERED:
                if command == b"Q":
                    return
            elif command == b"B" and mode == "close-mid-body":
                log("close-mid-body: first body chunk, closing")
                return
            elif command == b"E" and mode == "slow":
                log(f"slow: end of message, answering in {delay} s")
                time.sleep(delay)
                connection.sendall(packet(b"a"))
            elif command == b"E":
                connection.sendall(packet(b"a"))
            else:
                connection.sendall(packet(b"c"))
    except OSError as error:
        log(f"{peer}: {error}")
    finally:
        connection.close()


def listen(address):
    if address.startswith("unix:"):
        path = address[len("unix:"):]
        if os.path.exists(path):
            os.unlink(path)
        server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        server.bind(path)
    elif address.startswith("inet:"):
        port, _, host = address[len("inet:"):].partition("@")
        server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        server.bind((host or "127.0.0.1", int(port)))
    else:
        sys.exit("address must be unix:/path or inet:PORT@127.0.0.1")
    server.listen(64)
    return server


def main():
    if len(sys.argv) not in (3, 4) or sys.argv[1] not in MODES:
        sys.exit(__doc__)
    mode, address = sys.argv[1], sys.argv[2]
    delay = float(sys.argv[3]) if len(sys.argv) == 4 else 0
    server = listen(address)
    log(f"bad_milter {mode} listening on {address}")
    while True:
        connection, _ = server.accept()
        threading.Thread(target=serve, args=(connection, mode, delay), daemon=True).start()


if __name__ == "__main__":
    main()
