"""An MCP server built on the official MCP Python SDK, used as a real peer in tests.

Run: python python_stdio_server.py [stdio|streamable-http|sse] [port]
Tools: echo(text), add(a, b), fail(message). Resource: test://greeting. Prompt: greet(name).
It also writes a line to standard error at start, so tests can check that stderr is
captured and kept apart from the protocol stream.
"""

import sys

from mcp.server.mcpserver import MCPServer

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
