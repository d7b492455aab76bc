"""A Streamable HTTP MCP server (standard library only) that forgets its sessions on
request, the way real servers do after a restart or an idle timeout.

Run: python forgetful_server.py PORT [prose|404]
It prints "PORT <n>" once it listens. Tools:
  echo(text)   annotated idempotent
  write(text)  not idempotent; counts how many times it ran
  forget()     forgets every session after answering
  stats()      {"initializes": N, "writes": N, "lostAnswers": N}
A request on a forgotten session is answered, in "prose" mode, with HTTP 200 and a
JSON-RPC error whose only hint is its message ("Session not found"); in "404" mode with
HTTP 404.
"""

import itertools
import json
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

MODE = sys.argv[2] if len(sys.argv) > 2 else "prose"
lock = threading.Lock()
sessions = set()
counter = itertools.count(1)
stats = {"initializes": 0, "writes": 0, "lostAnswers": 0}

TOOLS = [
    {"name": "echo", "inputSchema": {"type": "object"}, "annotations": {"idempotentHint": True, "readOnlyHint": True}},
    {"name": "write", "inputSchema": {"type": "object"}},
    {"name": "forget", "inputSchema": {"type": "object"}},
    {"name": "stats", "inputSchema": {"type": "object"}},
]


def text_result(text):
    return {"content": [{"type": "text", "text": text}]}


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, format, *args):
        pass

    def send_json(self, status, payload, extra=()):
        body = json.dumps(payload).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        for name, value in extra:
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):
        self.send_response(405)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def do_DELETE(self):
        with lock:
            sessions.discard(self.headers.get("Mcp-Session-Id"))
        self.send_response(200)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def do_POST(self):
        length = int(self.headers.get("Content-Length", "0"))
        message = json.loads(self.rfile.read(length) or b"{}")
        method = message.get("method")
        msg_id = message.get("id")
        if method == "initialize":
            session = f"s{next(counter)}"
            with lock:
                sessions.add(session)
                stats["initializes"] += 1
            result = {
                "protocolVersion": message["params"]["protocolVersion"],
                "capabilities": {"tools": {}},
                "serverInfo": {"name": "forgetful", "version": "1"},
            }
            self.send_json(200, {"jsonrpc": "2.0", "id": msg_id, "result": result}, [("Mcp-Session-Id", session)])
            return
        with lock:
            known = self.headers.get("Mcp-Session-Id") in sessions
        if not known:
            if msg_id is None:
                self.send_response(202)
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            with lock:
                stats["lostAnswers"] += 1
            if MODE == "404":
                self.send_json(404, {"jsonrpc": "2.0", "id": msg_id, "error": {"code": -32001, "message": "Session not found"}})
            else:
                self.send_json(200, {"jsonrpc": "2.0", "id": msg_id, "error": {"code": -32001, "message": "Session not found"}})
            return
        if msg_id is None:
            self.send_response(202)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        if method == "tools/list":
            self.send_json(200, {"jsonrpc": "2.0", "id": msg_id, "result": {"tools": TOOLS}})
        elif method == "tools/call":
            name = message["params"]["name"]
            arguments = message["params"].get("arguments") or {}
            if name == "echo":
                result = text_result(arguments.get("text", ""))
            elif name == "write":
                with lock:
                    stats["writes"] += 1
                result = text_result("written")
            elif name == "forget":
                with lock:
                    sessions.clear()
                result = text_result("forgotten")
            elif name == "stats":
                with lock:
                    result = text_result(json.dumps(stats))
            else:
                self.send_json(200, {"jsonrpc": "2.0", "id": msg_id, "error": {"code": -32602, "message": "Unknown tool"}})
                return
            self.send_json(200, {"jsonrpc": "2.0", "id": msg_id, "result": result})
        elif method == "ping":
            self.send_json(200, {"jsonrpc": "2.0", "id": msg_id, "result": {}})
        else:
            self.send_json(200, {"jsonrpc": "2.0", "id": msg_id, "error": {"code": -32601, "message": "Method not found"}})


if __name__ == "__main__":
    server = ThreadingHTTPServer(("127.0.0.1", int(sys.argv[1])), Handler)
    print(f"PORT {server.server_address[1]}", flush=True)
    server.serve_forever()
