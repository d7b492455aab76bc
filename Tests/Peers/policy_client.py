"""The official MCP Python SDK client against a gateway that enforces a policy.

Run: python policy_client.py URL
Lists the tools, calls a denied tool directly, calls a tool with arguments a rule forbids
and allows, repeats one call until loop detection stops it, calls a tool that needs approval twice
(approving the first question through elicitation, declining the second), and prints a
JSON summary.
"""

import json
import sys

import anyio
from mcp import ClientSession, types
from mcp.client.streamable_http import streamable_http_client

questions = []


async def on_elicitation(context, params):
    """Approves the first question the gateway asks and declines the others."""
    questions.append(params.message)
    if len(questions) == 1:
        return types.ElicitResult(action="accept", content={"approve": True})
    return types.ElicitResult(action="decline")


def outcome(result):
    return {"isError": bool(result.is_error), "text": result.content[0].text if result.content else ""}


async def main() -> None:
    summary = {}
    async with streamable_http_client(sys.argv[1]) as streams:
        async with ClientSession(streams[0], streams[1], elicitation_callback=on_elicitation) as session:
            await session.initialize()
            tools = await session.list_tools()
            summary["tools"] = sorted(tool.name for tool in tools.tools)
            summary["deniedDirect"] = outcome(await session.call_tool("py__add", {"a": 1, "b": 2}))
            summary["bigTooLarge"] = outcome(await session.call_tool("example__big", {"kilobytes": 200}))
            summary["bigSmall"] = outcome(await session.call_tool("example__big", {"kilobytes": 1}))
            summary["loop"] = [outcome(await session.call_tool("example__echo", {"text": "again"})) for _ in range(4)]
            summary["otherArguments"] = outcome(await session.call_tool("example__echo", {"text": "different"}))
            slow = {"steps": 1, "delayMs": 1}
            summary["approved"] = outcome(await session.call_tool("example__slow", slow))
            summary["declined"] = outcome(await session.call_tool("example__slow", slow))
            summary["questions"] = questions
    print(json.dumps(summary))


if __name__ == "__main__":
    anyio.run(main)
