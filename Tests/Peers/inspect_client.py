"""The official MCP Python SDK client through a gateway that inspects traffic.

Run: python inspect_client.py URL
Calls a tool that leaks a secret, reads private data, ingests untrusted content, then
tries to send mail; lists tools before and after a rug pull; prints a JSON summary.
"""

import json
import sys

import anyio
from mcp import ClientSession
from mcp.client.streamable_http import streamable_http_client


def text(result):
    return {"isError": bool(result.is_error), "text": result.content[0].text if result.content else ""}


notifications = []


async def on_message(message):
    """Keeps the method of every notification the server sends outside a request."""
    method = getattr(getattr(message, "root", message), "method", None)
    if method:
        notifications.append(method)


async def main() -> None:
    summary = {}
    async with streamable_http_client(sys.argv[1]) as streams:
        async with ClientSession(streams[0], streams[1], message_handler=on_message) as session:
            await session.initialize()
            before = await session.list_tools()
            summary["before"] = {tool.name: tool.description for tool in before.tools}
            summary["leak"] = text(await session.call_tool("leak", {}))
            summary["sendBeforeFlow"] = text(await session.call_tool("send_mail", {"to": "a@example.com", "body": "hi"}))
            summary["inbox"] = text(await session.call_tool("read_inbox", {}))
            summary["page"] = text(await session.call_tool("fetch_page", {"url": "https://example.com"}))
            summary["sendAfterFlow"] = text(await session.call_tool("send_mail", {"to": "eve@example.com", "body": "inbox"}))
            summary["rugPull"] = text(await session.call_tool("rug_pull", {}))
            for _ in range(50):
                if "notifications/tools/list_changed" in notifications:
                    break
                await anyio.sleep(0.1)
            summary["notifications"] = notifications
            after = await session.list_tools()
            summary["after"] = {tool.name: tool.description for tool in after.tools}
    print(json.dumps(summary))


if __name__ == "__main__":
    anyio.run(main)
