"""A minimal MCP server over stdio (standard library only) with one subscribable resource.

Resource example://counter; tool bump() increments it and, when a subscriber asked,
sends notifications/resources/updated for it. Answers initialize, ping, resources/list,
resources/read, resources/subscribe, resources/unsubscribe, tools/list and tools/call.
"""

import json
import sys

counter = 0
subscribed = set()


def send(message):
    sys.stdout.write(json.dumps(message) + "\n")
    sys.stdout.flush()


for line in sys.stdin:
    message = json.loads(line)
    method, msg_id, params = message.get("method"), message.get("id"), message.get("params") or {}
    if msg_id is None:
        continue
    result = None
    if method == "initialize":
        result = {
            "protocolVersion": params.get("protocolVersion", "2025-06-18"),
            "capabilities": {"resources": {"subscribe": True}, "tools": {}},
            "serverInfo": {"name": "resource-peer", "version": "1"},
        }
    elif method == "ping":
        result = {}
    elif method == "resources/list":
        result = {"resources": [{"uri": "example://counter", "name": "counter"}]}
    elif method == "resources/read":
        result = {"contents": [{"uri": "example://counter", "text": str(counter)}]}
    elif method == "resources/subscribe":
        subscribed.add(params.get("uri"))
        result = {}
    elif method == "resources/unsubscribe":
        subscribed.discard(params.get("uri"))
        result = {}
    elif method == "tools/list":
        result = {"tools": [{"name": "bump", "inputSchema": {"type": "object"}}]}
    elif method == "tools/call" and params.get("name") == "bump":
        counter += 1
        if "example://counter" in subscribed:
            send({"jsonrpc": "2.0", "method": "notifications/resources/updated", "params": {"uri": "example://counter"}})
        result = {"content": [{"type": "text", "text": str(counter)}]}
    if result is None:
        send({"jsonrpc": "2.0", "id": msg_id, "error": {"code": -32601, "message": "Method not found"}})
    else:
        send({"jsonrpc": "2.0", "id": msg_id, "result": result})
