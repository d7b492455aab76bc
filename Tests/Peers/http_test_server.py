"""A small HTTP/1.1 server on loopback for the HTTP client tests (standard library only).

It prints "PORT <n>" on its first line of standard output once it listens.
  POST|PUT /echo              JSON of the method, the request headers and the body
  GET /bytes?n=N              N bytes of 'a' with Content-Length
  GET /stream?chunks=K&delay=MS   chunked body, one line per chunk, MS between chunks
  GET /slow?delay=S           answers after S seconds
  GET /status?code=N          an empty response with that status
  GET /connection             the client's port, to tell whether connections are reused
"""

import json
import sys
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, format, *args):
        pass

    def _query(self):
        return {key: values[0] for key, values in parse_qs(urlparse(self.path).query).items()}

    def _send(self, status, body=b"", content_type="application/json", extra=()):
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for name, value in extra:
            self.send_header(name, value)
        self.end_headers()
        if body and self.command != "HEAD":
            self.wfile.write(body)

    def _echo(self):
        length = int(self.headers.get("Content-Length", "0"))
        body = self.rfile.read(length) if length else b""
        payload = {
            "method": self.command,
            "headers": {name.lower(): value for name, value in self.headers.items()},
            "body": body.decode("utf-8", "replace"),
        }
        self._send(200, json.dumps(payload).encode(), extra=[("X-Multi", "one"), ("X-Multi", "two")])

    do_POST = _echo
    do_PUT = _echo
    do_DELETE = _echo

    def do_GET(self):
        path = urlparse(self.path).path
        query = self._query()
        if path == "/bytes":
            self._send(200, b"a" * int(query.get("n", "0")), "application/octet-stream")
        elif path == "/stream":
            self.send_response(200)
            self.send_header("Content-Type", "text/plain")
            self.send_header("Transfer-Encoding", "chunked")
            self.end_headers()
            for index in range(int(query.get("chunks", "3"))):
                data = f"chunk-{index}\n".encode()
                self.wfile.write(f"{len(data):x}\r\n".encode() + data + b"\r\n")
                self.wfile.flush()
                time.sleep(int(query.get("delay", "0")) / 1000)
            self.wfile.write(b"0\r\n\r\n")
        elif path == "/slow":
            time.sleep(float(query.get("delay", "5")))
            self._send(200, b"{}")
        elif path == "/status":
            self._send(int(query.get("code", "200")))
        elif path == "/connection":
            self._send(200, json.dumps({"port": self.client_address[1]}).encode())
        else:
            self._send(404, b'{"error":"not found"}')


if __name__ == "__main__":
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    print(f"PORT {server.server_address[1]}", flush=True)
    server.serve_forever()
