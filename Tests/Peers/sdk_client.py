"""The official MCP Python SDK client against an MCP server over stdio or Streamable HTTP.

Run: python sdk_client.py SERVER [ARGS...]     (stdio: the server command)
     python sdk_client.py --http URL           (Streamable HTTP)
     python sdk_client.py --http URL --revision R   (asks for revision R in initialize)
It initializes, lists tools, calls echo, add, slow (with a progress callback) and big,
checks each answer, prints a JSON summary on standard output and exits 0 when all hold.
"""

import json
import sys

import anyio
from mcp import ClientSession, StdioServerParameters
from mcp.client.sse import sse_client
from mcp.client.stdio import stdio_client
from mcp.client.streamable_http import streamable_http_client
from mcp.shared.exceptions import MCPError


def connect():
    if "--revision" in sys.argv:
        # The SDK asks for its newest legacy revision; a test may ask for an older one.
        import mcp.client.session as client_session

        at = sys.argv.index("--revision")
        client_session.LATEST_HANDSHAKE_VERSION = sys.argv[at + 1]
        del sys.argv[at : at + 2]
    if sys.argv[1] == "--http":
        return streamable_http_client(sys.argv[2])
    if sys.argv[1] == "--sse":
        return sse_client(sys.argv[2])
    return stdio_client(StdioServerParameters(command=sys.argv[1], args=sys.argv[2:]))


async def main() -> None:
    summary = {}
    async with connect() as (read, write):
        async with ClientSession(read, write) as session:
            initialized = await session.initialize()
            summary["protocolVersion"] = initialized.protocol_version
            summary["serverName"] = initialized.server_info.name

            tools = await session.list_tools()
            summary["tools"] = sorted(tool.name for tool in tools.tools)

            echo = await session.call_tool("echo", {"text": "grüße \"quoted\"\nline"})
            assert echo.content[0].text == "grüße \"quoted\"\nline", echo
            add = await session.call_tool("add", {"a": 40, "b": 2})
            assert add.content[0].text == "42", add
            summary["structured"] = add.structured_content

            progress = []

            async def on_progress(value: float, total: float | None, message: str | None) -> None:
                progress.append([value, total, message])

            slow = await session.call_tool("slow", {"steps": 3, "delayMs": 20}, progress_callback=on_progress)
            assert slow.content[0].text == "done after 3 steps", slow
            summary["progress"] = progress

            big = await session.call_tool("big", {"kilobytes": 256})
            summary["bigLength"] = len(big.content[0].text)

            try:
                await session.call_tool("nonexistent", {})
                summary["unknownToolError"] = None
            except MCPError as error:
                summary["unknownToolError"] = error.error.code
    print(json.dumps(summary))


if __name__ == "__main__":
    anyio.run(main)
