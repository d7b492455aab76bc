"""A syslog collector for tests: listens on 127.0.0.1, UDP or TCP (RFC 6587 octet
counting), and prints each message it receives as one JSON string per line.

Usage: syslog_receiver.py udp|tcp COUNT [TIMEOUT_SECONDS]
Prints "PORT <n>" first, then "MSG <json string>" per message; exits after COUNT messages
or TIMEOUT_SECONDS (default 10) without one.
"""

import json
import socket
import sys


def emit(line):
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


def receive_udp(count, timeout):
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sock.bind(("127.0.0.1", 0))
    sock.settimeout(timeout)
    emit("PORT %d" % sock.getsockname()[1])
    for _ in range(count):
        data, _ = sock.recvfrom(65535)
        emit("MSG " + json.dumps(data.decode("utf-8")))


def receive_tcp(count, timeout):
    server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    server.bind(("127.0.0.1", 0))
    server.listen(1)
    server.settimeout(timeout)
    emit("PORT %d" % server.getsockname()[1])
    connection, _ = server.accept()
    connection.settimeout(timeout)
    buffer = b""
    received = 0
    while received < count:
        # Octet counting: "<length> <message>".
        while b" " not in buffer:
            chunk = connection.recv(65536)
            if not chunk:
                return
            buffer += chunk
        length_text, rest = buffer.split(b" ", 1)
        length = int(length_text)
        while len(rest) < length:
            chunk = connection.recv(65536)
            if not chunk:
                return
            rest += chunk
        emit("MSG " + json.dumps(rest[:length].decode("utf-8")))
        buffer = rest[length:]
        received += 1


def main():
    transport, count = sys.argv[1], int(sys.argv[2])
    timeout = float(sys.argv[3]) if len(sys.argv) > 3 else 10.0
    try:
        (receive_udp if transport == "udp" else receive_tcp)(count, timeout)
    except socket.timeout:
        emit("TIMEOUT")


if __name__ == "__main__":
    main()
