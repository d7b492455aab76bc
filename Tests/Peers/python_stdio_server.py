"""An MCP server built on the official MCP Python SDK, used as a real peer in tests.

Run: python python_stdio_server.py [stdio|streamable-http|sse] [port]
Tools: echo(text), add(a, b), fail(message), ask_model(question) (sampling),
ask_user(question) (elicitation), count_roots() (roots), and resolve_user(question) /
resolve_model(question), which ask through the SDK's resolvers: server-to-client requests
in the legacy era, input requests (input_required) in 2026-07-28. Resource: test://greeting.
Prompt: greet(name).
It also writes a line to standard error at start, so tests can check that stderr is
captured and kept apart from the protocol stream.
"""

import sys
from typing import Annotated

from mcp import types
from mcp.server.mcpserver import Context, Elicit, MCPServer, Resolve, Sample
from pydantic import BaseModel

server = MCPServer("python-peer")


@server.tool()
def echo(text: str) -> str:
    """Returns its input."""
    return text


@server.tool()
def add(a: int, b: int) -> int:
    """Adds two integers."""
    return a + b


@server.tool()
def fail(message: str) -> str:
    """Always raises, to test error results."""
    raise ValueError(message)


@server.tool()
async def ask_model(question: str, ctx: Context) -> str:
    """Asks the client's model (sampling) and returns its answer."""
    result = await ctx.session.create_message(
        [types.SamplingMessage(role="user", content=types.TextContent(type="text", text=question))],
        max_tokens=50,
        related_request_id=ctx.request_id,
    )
    return f"model said: {result.content.text}"


class Answer(BaseModel):
    answer: str


@server.tool()
async def ask_user(question: str, ctx: Context) -> str:
    """Asks the user (elicitation) and returns what they said."""
    result = await ctx.elicit(question, Answer)
    if result.action == "accept":
        return f"user said: {result.data.answer}"
    return f"user chose {result.action}"


def _ask_user(question: str) -> Elicit[Answer]:
    return Elicit(question, Answer)


def _ask_model(question: str) -> Sample:
    return Sample([types.SamplingMessage(role="user", content=types.TextContent(type="text", text=question))], max_tokens=50)


@server.tool()
async def resolve_user(question: str, answer: Annotated[Answer, Resolve(_ask_user)]) -> str:
    """Asks the user through a resolver."""
    return f"user said: {answer.answer}"


@server.tool()
async def resolve_model(question: str, sampled: Annotated[types.CreateMessageResult, Resolve(_ask_model)]) -> str:
    """Asks the client's model through a resolver."""
    return f"model said: {sampled.content.text}"


@server.tool()
async def count_roots(ctx: Context) -> str:
    """Asks the client for its roots."""
    result = await ctx.session.list_roots()
    return f"{len(result.roots)} roots: " + ",".join(str(root.uri) for root in result.roots)


@server.resource("test://greeting")
def greeting() -> str:
    """A fixed text resource."""
    return "hello from the python peer"


@server.prompt()
def greet(name: str) -> str:
    """A prompt that greets someone."""
    return f"Please greet {name}."


if __name__ == "__main__":
    transport = sys.argv[1] if len(sys.argv) > 1 else "stdio"
    print(f"python peer starting on {transport}", file=sys.stderr, flush=True)
    if transport == "stdio":
        server.run("stdio")
    else:
        port = int(sys.argv[2]) if len(sys.argv) > 2 else 8000
        server.run(transport, host="127.0.0.1", port=port)
