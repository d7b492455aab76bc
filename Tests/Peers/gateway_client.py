"""The official MCP Python SDK client against a gateway with several upstreams.

Run: python gateway_client.py URL [--sse] [--call TOOL JSON-ARGUMENTS]...
The client answers sampling ("sampled: <question>"), elicitation (accepts with
answer "forty-two") and roots (file:///work) requests from upstreams.
It initializes, pages through every merged list, calls a tool of each upstream by its
prefixed name, reads a resource, gets a prompt, sets the logging level, and prints a JSON
summary on standard output. It exits 0 when the session worked; the test checks the
summary.
"""

import json
import sys

import anyio
from mcp import ClientSession, types
from mcp.client.sse import sse_client
from mcp.client.streamable_http import streamable_http_client
from mcp.shared.exceptions import MCPError


async def all_pages(list_method, member):
    items, pages, cursor = [], 0, None
    while True:
        params = types.PaginatedRequestParams(cursor=cursor) if cursor else None
        result = await list_method(params=params)
        pages += 1
        items += getattr(result, member)
        cursor = result.next_cursor
        if not cursor or pages > 100:
            return items, pages


async def on_sampling(context, params):
    question = params.messages[0].content.text
    return types.CreateMessageResult(
        role="assistant", content=types.TextContent(type="text", text=f"sampled: {question}"), model="test-model"
    )


async def on_elicitation(context, params):
    return types.ElicitResult(action="accept", content={"answer": "forty-two"})


async def on_roots(context):
    return types.ListRootsResult(roots=[types.Root(uri="file:///work", name="work")])


async def main() -> None:
    url = sys.argv[1]
    connect = sse_client(url) if "--sse" in sys.argv else streamable_http_client(url)
    summary = {}
    async with connect as streams:
        read, write = streams[0], streams[1]
        async with ClientSession(
            read, write, sampling_callback=on_sampling, elicitation_callback=on_elicitation, list_roots_callback=on_roots
        ) as session:
            initialized = await session.initialize()
            summary["serverName"] = initialized.server_info.name
            summary["capabilities"] = sorted(
                key for key in ("tools", "prompts", "resources", "logging")
                if getattr(initialized.capabilities, key) is not None
            )
            tools, summary["toolPages"] = await all_pages(session.list_tools, "tools")
            summary["tools"] = [tool.name for tool in tools]
            prompts, _ = await all_pages(session.list_prompts, "prompts")
            summary["prompts"] = [prompt.name for prompt in prompts]
            resources, _ = await all_pages(session.list_resources, "resources")
            summary["resources"] = [str(resource.uri) for resource in resources]

            calls = {}
            for name in summary["tools"]:
                if name.endswith("echo"):
                    result = await session.call_tool(name, {"text": f"via {name}"})
                    calls[name] = result.content[0].text
                elif name.endswith("add"):
                    result = await session.call_tool(name, {"a": 40, "b": 2})
                    calls[name] = result.content[0].text
            summary["calls"] = calls
            if summary["resources"]:
                read_result = await session.read_resource(summary["resources"][0])
                summary["resourceText"] = read_result.contents[0].text
            if summary["prompts"]:
                prompt = await session.get_prompt(summary["prompts"][0], {"name": "Ada"})
                summary["promptText"] = prompt.messages[0].content.text
            try:
                await session.call_tool("nonexistent", {})
                summary["unknownToolError"] = None
            except MCPError as error:
                summary["unknownToolError"] = error.error.code
            called = {}
            for at, argument in enumerate(sys.argv):
                if argument == "--call":
                    try:
                        result = await session.call_tool(sys.argv[at + 1], json.loads(sys.argv[at + 2]))
                        called[sys.argv[at + 1]] = {"isError": bool(result.is_error), "text": result.content[0].text}
                    except MCPError as error:
                        called[sys.argv[at + 1]] = {"isError": True, "text": error.error.message, "code": error.error.code}
            if called:
                summary["calledAll"] = called
                summary["called"] = next(iter(called.values()))
            if "logging" in summary["capabilities"]:
                await session.set_logging_level("warning")
                summary["setLevel"] = "ok"
    print(json.dumps(summary))


if __name__ == "__main__":
    anyio.run(main)
