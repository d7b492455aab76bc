"""The official MCP Python SDK client, signing in through the gateway's OAuth authorization server.

Run: python oauth_sdk_client.py MCP_URL (--username U --password P | --federate PROVIDER)
         [--registration dcr|cimd] [--client-metadata-url URL] [--decision approve|deny]
         [--call TOOL JSON-ARGUMENTS]... [--timeout SECONDS]

The SDK's OAuthClientProvider does the discovery: its first request gets 401 with
`WWW-Authenticate: Bearer resource_metadata=...`, it reads the protected resource metadata and the
authorization server metadata, registers the client, sends the user to the authorization endpoint
with PKCE S256 and `resource`, and exchanges the code for a token. The user's browser is played
by oauth_browser.py: it signs in with --username/--password (or through the external provider
--federate names, following its redirects), answers the consent page with
--decision (approve by default) and captures the redirect to the loopback callback
http://127.0.0.1:<port>/callback without following it; the code, state and iss of that redirect
go back to the SDK, which checks state and iss before it exchanges the code.

Registration:
  dcr   (default) Dynamic Client Registration at the server's registration endpoint.
  cimd  a Client ID Metadata Document: the script serves its own document at
        http://127.0.0.1:<port>/client.json (client_id is that URL) and gives the URL to the SDK,
        which uses it instead of registering when the authorization server metadata says
        client_id_metadata_document_supported. The gateway must be configured to accept loopback
        http document URLs. --client-metadata-url URL uses a document served elsewhere instead
        (implies cimd); the script fetches it to learn its redirect URI.

Then it initializes an MCP session over Streamable HTTP, lists the tools, calls each --call tool
and prints a JSON summary on standard output:
  {"registration", "clientId", "documentFetches", "tools", "calls": [{"name", "isError", "text"}],
   "tokenType", "scope"}
It exits 0 when all of that worked, and 1 with the failing step on standard error otherwise.
"""

import argparse
import json
import logging
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import anyio
import httpx2
from mcp import ClientSession
from mcp.client.auth import AuthorizationCodeResult, OAuthClientProvider, OAuthFlowError
from mcp.client.streamable_http import streamable_http_client
from mcp.shared.auth import OAuthClientInformationFull, OAuthClientMetadata, OAuthToken

from oauth_browser import AuthorizationError, authorize

CIMD_CLIENT_NAME = "SDK CIMD test client"
DCR_CLIENT_NAME = "SDK DCR test client"


class Failure(Exception):
    """A step of the run failed; the message names it."""


class SDKErrors(logging.Handler):
    """Keeps the errors the SDK logs: a failed OAuth flow surfaces in the session only as a closed
    connection, the cause is in the SDK's log ("OAuth flow error", "Error in post_writer")."""

    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.errors: list[BaseException] = []
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        if record.exc_info and record.exc_info[1] is not None:
            self.errors.append(record.exc_info[1])
        else:
            self.messages.append(record.getMessage())


class MemoryTokenStorage:
    """The SDK's TokenStorage protocol, kept in memory for the one run."""

    def __init__(self) -> None:
        self.tokens: OAuthToken | None = None
        self.client_info: OAuthClientInformationFull | None = None

    async def get_tokens(self) -> OAuthToken | None:
        return self.tokens

    async def set_tokens(self, tokens: OAuthToken) -> None:
        self.tokens = tokens

    async def get_client_info(self) -> OAuthClientInformationFull | None:
        return self.client_info

    async def set_client_info(self, client_info: OAuthClientInformationFull) -> None:
        self.client_info = client_info


class LoopbackSite:
    """A small HTTP server on 127.0.0.1: the client ID metadata document at /client.json, and
    /callback (the redirect URI; the browser captures the redirect, so it is not normally hit)."""

    def __init__(self) -> None:
        site = self
        self.fetches = 0
        self.document: dict | None = None

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, format, *args):
                pass

            def do_GET(self):
                path = self.path.split("?", 1)[0]
                if path == "/client.json" and site.document is not None:
                    site.fetches += 1
                    self._send(200, json.dumps(site.document).encode(), "application/json")
                elif path == "/callback":
                    self._send(200, b"authorization finished; this window can be closed\n", "text/plain")
                else:
                    self._send(404, b"not found\n", "text/plain")

            def _send(self, status, body, content_type):
                self.send_response(status)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(body)))
                self.send_header("Cache-Control", "no-store")
                self.end_headers()
                self.wfile.write(body)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.origin = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.document_url = f"{self.origin}/client.json"
        self.callback_url = f"{self.origin}/callback"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def parse_options(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description="MCP Python SDK client signing in to the gateway with OAuth.")
    parser.add_argument("url", metavar="MCP_URL")
    parser.add_argument("--username", default="")
    parser.add_argument("--password", default="")
    parser.add_argument("--federate", metavar="PROVIDER", help="sign in through this external provider")
    parser.add_argument("--registration", choices=["dcr", "cimd"], default=None)
    parser.add_argument("--client-metadata-url", metavar="URL")
    parser.add_argument("--decision", choices=["approve", "deny"], default="approve")
    parser.add_argument("--call", nargs=2, action="append", default=[], metavar=("TOOL", "JSON_ARGS"))
    parser.add_argument("--timeout", type=float, default=60, help="seconds for the whole run (default 60)")
    options = parser.parse_args(argv)
    if options.registration is None:
        options.registration = "cimd" if options.client_metadata_url else "dcr"
    if options.client_metadata_url and options.registration != "cimd":
        parser.error("--client-metadata-url goes with --registration cimd")
    calls = []
    for name, text in options.call:
        try:
            arguments = json.loads(text)
        except json.JSONDecodeError as error:
            parser.error(f"--call {name}: arguments are not JSON: {error}")
        if not isinstance(arguments, dict):
            parser.error(f"--call {name}: arguments must be a JSON object")
        calls.append((name, arguments))
    options.call = calls
    return options


async def external_document(url: str) -> tuple[str, dict]:
    """The redirect URI of a client ID metadata document served elsewhere, and the document."""
    async with httpx2.AsyncClient(timeout=30) as http:
        try:
            response = await http.get(url)
        except httpx2.HTTPError as error:
            raise Failure(f"client metadata document {url}: {error!r}") from error
    if response.status_code != 200:
        raise Failure(f"client metadata document {url}: HTTP {response.status_code}: {response.text[:500]}")
    try:
        document = response.json()
        redirect_uri = document["redirect_uris"][0]
    except (ValueError, KeyError, IndexError, TypeError) as error:
        raise Failure(f"client metadata document {url}: no redirect_uris in {response.text[:500]}") from error
    if document.get("client_id") != url:
        raise Failure(f"client metadata document {url}: client_id is {document.get('client_id')!r}, not its URL")
    return redirect_uri, document


def text_of(result) -> str:
    return "\n".join(getattr(block, "text", "") for block in result.content if getattr(block, "type", "") == "text")


async def run(options: argparse.Namespace, site: LoopbackSite) -> dict:
    redirect_uri = site.callback_url
    document_url = None
    if options.registration == "cimd":
        if options.client_metadata_url:
            document_url = options.client_metadata_url
            redirect_uri, _ = await external_document(document_url)
        else:
            document_url = site.document_url
            site.document = {
                "client_id": document_url,
                "client_name": CIMD_CLIENT_NAME,
                "redirect_uris": [redirect_uri],
                "grant_types": ["authorization_code", "refresh_token"],
                "response_types": ["code"],
                "token_endpoint_auth_method": "none",
            }

    client_metadata = OAuthClientMetadata(
        client_name=CIMD_CLIENT_NAME if document_url else DCR_CLIENT_NAME,
        redirect_uris=[redirect_uri],
        grant_types=["authorization_code", "refresh_token"],
        response_types=["code"],
        token_endpoint_auth_method="none",
    )
    storage = MemoryTokenStorage()
    captured: dict[str, str] = {}
    browser = httpx2.AsyncClient(timeout=30)

    async def redirect_handler(authorization_url: str) -> None:
        captured.clear()
        try:
            captured.update(
                await authorize(
                    browser,
                    authorization_url,
                    redirect_uri,
                    options.username,
                    options.password,
                    options.decision,
                    federate=options.federate,
                )
            )
        except AuthorizationError as error:
            raise Failure(f"authorization (browser): {error}") from error
        except httpx2.HTTPError as error:
            raise Failure(f"authorization (browser): {error!r}") from error

    async def callback_handler() -> AuthorizationCodeResult:
        return AuthorizationCodeResult(code=captured["code"], state=captured.get("state"), iss=captured.get("iss"))

    provider = OAuthClientProvider(
        server_url=options.url,
        client_metadata=client_metadata,
        storage=storage,
        redirect_handler=redirect_handler,
        callback_handler=callback_handler,
    )
    if document_url:
        # The SDK's constructor accepts only https document URLs; the document served here is on
        # loopback http, which the gateway under test is configured to accept. Past the
        # constructor, the URL is used as given: the SDK takes it as client_id (no registration)
        # when the authorization server metadata has client_id_metadata_document_supported=true.
        provider.context.client_metadata_url = document_url

    summary: dict = {"registration": options.registration}
    http = httpx2.AsyncClient(auth=provider, timeout=httpx2.Timeout(30, read=300))
    with anyio.fail_after(options.timeout):
        async with browser, http, streamable_http_client(options.url, http_client=http) as (read, write):
            async with ClientSession(read, write) as session:
                try:
                    await session.initialize()
                except Exception as error:
                    raise Failure(f"initialize: {type(error).__name__}: {error}") from error
                client_info = storage.client_info
                if client_info is None or storage.tokens is None:
                    raise Failure(
                        "initialize succeeded without the OAuth flow: the MCP endpoint did not ask for a token"
                    )
                summary["clientId"] = client_info.client_id
                if document_url and client_info.client_id != document_url:
                    raise Failure(
                        "registration: the SDK registered dynamically instead of using the client ID metadata "
                        "document (the authorization server metadata lacks client_id_metadata_document_supported)"
                    )
                summary["documentFetches"] = site.fetches

                try:
                    tools = await session.list_tools()
                except Exception as error:
                    raise Failure(f"tools/list: {type(error).__name__}: {error}") from error
                summary["tools"] = [tool.name for tool in tools.tools]
                calls = []
                for name, arguments in options.call:
                    try:
                        result = await session.call_tool(name, arguments)
                    except Exception as error:
                        raise Failure(f"tools/call {name}: {type(error).__name__}: {error}") from error
                    calls.append({"name": name, "isError": bool(result.is_error), "text": text_of(result)})
                summary["calls"] = calls
    tokens = storage.tokens
    summary["tokenType"] = tokens.token_type if tokens else None
    summary["scope"] = tokens.scope if tokens else None
    return summary


def describe(error: BaseException) -> list[str]:
    """Readable lines for an error, looking inside exception groups and chained causes."""
    if isinstance(error, BaseExceptionGroup):
        return [line for inner in error.exceptions for line in describe(inner)]
    if isinstance(error, Failure):
        return [str(error)]
    cause = error.__cause__ or error.__context__
    if isinstance(cause, Failure):  # raised by the redirect handler, re-raised by the SDK in another type
        return [str(cause)]
    if isinstance(error, OAuthFlowError):
        return [f"OAuth flow: {type(error).__name__}: {error}"]
    return [f"{type(error).__name__}: {error}"]


def main() -> None:
    options = parse_options(sys.argv[1:])
    sdk_errors = SDKErrors()
    sdk_logger = logging.getLogger("mcp")
    sdk_logger.addHandler(sdk_errors)
    sdk_logger.propagate = False
    site = LoopbackSite()
    try:
        summary = anyio.run(run, options, site)
    except (Exception, BaseExceptionGroup) as error:
        lines = [line for cause in sdk_errors.errors for line in describe(cause)]
        lines += [f"SDK: {message}" for message in sdk_errors.messages]
        if isinstance(error, TimeoutError):
            lines.append(f"no result within {options.timeout:g} seconds")
        lines += describe(error)
        for line in dict.fromkeys(lines):
            print(f"oauth_sdk_client: {line}", file=sys.stderr)
        sys.exit(1)
    finally:
        site.close()
    print(json.dumps(summary))


if __name__ == "__main__":
    main()
