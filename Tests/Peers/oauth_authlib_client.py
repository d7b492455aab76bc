"""Authlib as an independent OAuth 2.1 client of the gateway's authorization server.

Run: python oauth_authlib_client.py ISSUER_URL MCP_URL --username U --password P
         [--confidential] [--scope SCOPE] [--decision approve|deny]
         [--call TOOL JSON-ARGUMENTS]... [--timeout SECONDS]

Steps, each checked (a failure names its step, with the HTTP status and body):
  1. challenge     an unauthenticated POST to MCP_URL answers 401 with a Bearer challenge naming
                   the protected resource metadata; that metadata names MCP_URL as resource and
                   ISSUER_URL among its authorization servers. The scope to ask for is --scope,
                   else the challenge's scope, else the metadata's scopes_supported.
  2. metadata      the RFC 8414 metadata of ISSUER_URL, validated by Authlib, has issuer ISSUER_URL,
                   the registration and revocation endpoints and PKCE S256.
  3. registration  Dynamic Client Registration (RFC 7591) of a public client
                   (token_endpoint_auth_method none), or with --confidential of a confidential one
                   (client_secret_basic, which must come back with a client_secret).
  4. authorization Authlib's AsyncOAuth2Client (httpx2 integration) builds the authorization URL
                   with PKCE S256, state and resource=MCP_URL; oauth_browser.py signs in with
                   --username/--password and answers the consent page with --decision (approve by
                   default); the redirect's state must match and its iss must equal the issuer.
  5. token         the code is exchanged (with code_verifier and resource); the answer is a Bearer
                   token with a refresh token.
  6. refresh       one refresh (with resource) must return a new refresh token, different from the
                   first.
  7. mcp           with the refreshed access token, stateless MCP requests (protocol revision
                   2026-07-28, JSON or SSE answers): tools/list, then tools/call for each --call.
  8. revocation    the refresh token is revoked at the revocation endpoint (RFC 7009); refreshing
                   with it afterwards must fail with invalid_grant.
Two observations are reported without being checked: what the token endpoint says to the first
refresh token once it has been rotated, and the HTTP status of an MCP request made with the
access token after the revocation.

Prints a JSON summary on standard output and exits 0 when every step held:
  {"clientId", "confidential", "scope", "issChecked", "refreshed", "revoked", "tools",
   "calls": [{"name", "isError", "text"}], "rotatedRefreshTokenReuse", "accessTokenAfterRevoke"}
"""

import argparse
import json
import sys
from urllib.parse import urlsplit

import anyio
import httpx2
from authlib.common.security import generate_token
from authlib.integrations.base_client import OAuthError
from authlib.integrations.httpx_client import AsyncOAuth2Client
from authlib.oauth2.rfc8414 import AuthorizationServerMetadata, get_well_known_url

from oauth_browser import AuthorizationError, authorize, page_text

PROTOCOL_VERSION = "2026-07-28"
CLIENT_INFO = {"name": "authlib-test", "version": "1"}
CLIENT_NAME = "Authlib test client"


class Failure(Exception):
    """A step of the run failed; the message names it."""


def http_failure(step: str, response: httpx2.Response, expected: str) -> Failure:
    challenge = response.headers.get("www-authenticate")
    note = f" (WWW-Authenticate: {challenge})" if challenge else ""
    return Failure(
        f"{step}: expected {expected}, got HTTP {response.status_code} from {response.request.method} "
        f"{response.request.url}{note}: {page_text(response.text)}"
    )


def json_of(step: str, response: httpx2.Response) -> dict:
    try:
        value = response.json()
    except ValueError as error:
        raise Failure(f"{step}: the answer is not JSON: {page_text(response.text)}") from error
    if not isinstance(value, dict):
        raise Failure(f"{step}: the answer is not a JSON object: {response.text[:500]}")
    return value


def challenge_parameters(header: str) -> dict[str, str]:
    """The auth-params of a `Bearer` challenge (RFC 6750 §3), quoted or not."""
    scheme, _, rest = header.strip().partition(" ")
    if scheme.lower() != "bearer":
        return {}
    params, i = {}, 0
    while i < len(rest):
        while i < len(rest) and rest[i] in " ,":
            i += 1
        equals = rest.find("=", i)
        if equals < 0:
            break
        name = rest[i:equals].strip().lower()
        i = equals + 1
        if i < len(rest) and rest[i] == '"':
            value, i = [], i + 1
            while i < len(rest) and rest[i] != '"':
                if rest[i] == "\\" and i + 1 < len(rest):
                    i += 1
                value.append(rest[i])
                i += 1
            params[name] = "".join(value)
            i += 1
        else:
            end = rest.find(",", i)
            end = len(rest) if end < 0 else end
            params[name] = rest[i:end].strip()
            i = end
    return params


def rpc_body(method: str, params: dict) -> dict:
    meta = {"io.modelcontextprotocol/clientInfo": CLIENT_INFO, "io.modelcontextprotocol/clientCapabilities": {}}
    return {"jsonrpc": "2.0", "id": 1, "method": method, "params": {**params, "_meta": meta}}


def rpc_headers(method: str, name: str | None, access_token: str | None) -> dict[str, str]:
    headers = {
        "Content-Type": "application/json",
        "Accept": "application/json, text/event-stream",
        "MCP-Protocol-Version": PROTOCOL_VERSION,
        "Mcp-Method": method,
    }
    if name is not None:
        headers["Mcp-Name"] = name
    if access_token is not None:
        headers["Authorization"] = f"Bearer {access_token}"
    return headers


def rpc_answer(step: str, response: httpx2.Response) -> dict:
    """The JSON-RPC response with id 1, from a JSON body or from the events of an SSE body."""
    content_type = response.headers.get("content-type", "").split(";")[0].strip().lower()
    if content_type == "text/event-stream":
        for event in response.text.replace("\r\n", "\n").split("\n\n"):
            data = "\n".join(line[5:].removeprefix(" ") for line in event.split("\n") if line.startswith("data:"))
            if not data:
                continue
            try:
                message = json.loads(data)
            except ValueError as error:
                raise Failure(f"{step}: an SSE event is not JSON: {data[:500]}") from error
            if isinstance(message, dict) and message.get("id") == 1 and ("result" in message or "error" in message):
                return message
        raise Failure(f"{step}: the SSE answer has no response to request 1: {response.text[:1000]}")
    if content_type == "application/json":
        return json_of(step, response)
    raise Failure(f"{step}: unexpected Content-Type {content_type!r}: {response.text[:500]}")


async def mcp_request(
    http: httpx2.AsyncClient, url: str, token: str, method: str, params: dict, name: str | None = None
) -> dict:
    step = f"mcp {method}" + (f" {name}" if name else "")
    response = await http.post(url, json=rpc_body(method, params), headers=rpc_headers(method, name, token))
    if response.status_code != 200:
        raise http_failure(step, response, "HTTP 200")
    answer = rpc_answer(step, response)
    if "error" in answer:
        raise Failure(f"{step}: JSON-RPC error {json.dumps(answer['error'])}")
    result = answer.get("result")
    if not isinstance(result, dict):
        raise Failure(f"{step}: no result object in {json.dumps(answer)[:500]}")
    return result


def text_of(result: dict) -> str:
    return "\n".join(block.get("text", "") for block in result.get("content", []) if block.get("type") == "text")


async def discover(http: httpx2.AsyncClient, options: argparse.Namespace) -> tuple[dict, str | None]:
    """Steps 1 and 2: the resource's challenge and metadata, then the authorization server's metadata."""
    step = "challenge"
    response = await http.post(
        options.mcp_url, json=rpc_body("tools/list", {}), headers=rpc_headers("tools/list", None, None)
    )
    if response.status_code != 401:
        raise http_failure(step, response, "HTTP 401 to a request without a token")
    challenge = challenge_parameters(response.headers.get("www-authenticate", ""))
    if "resource_metadata" not in challenge:
        raise Failure(
            f"{step}: no Bearer challenge with resource_metadata: WWW-Authenticate: "
            f"{response.headers.get('www-authenticate')!r}"
        )
    step = "protected resource metadata"
    response = await http.get(challenge["resource_metadata"])
    if response.status_code != 200:
        raise http_failure(step, response, "HTTP 200")
    resource_metadata = json_of(step, response)
    if resource_metadata.get("resource") != options.mcp_url:
        raise Failure(f"{step}: resource is {resource_metadata.get('resource')!r}, not {options.mcp_url!r}")
    if options.issuer not in resource_metadata.get("authorization_servers", []):
        raise Failure(
            f"{step}: authorization_servers {resource_metadata.get('authorization_servers')!r} "
            f"do not include {options.issuer!r}"
        )
    scope = options.scope or challenge.get("scope")
    if scope is None and resource_metadata.get("scopes_supported"):
        scope = " ".join(resource_metadata["scopes_supported"])

    step = "authorization server metadata"
    response = await http.get(get_well_known_url(options.issuer, external=True))
    if response.status_code != 200:
        raise http_failure(step, response, "HTTP 200")
    metadata = AuthorizationServerMetadata(json_of(step, response))
    try:
        metadata.validate()
    except ValueError as error:
        raise Failure(f"{step}: invalid under RFC 8414 (Authlib): {error}") from error
    if metadata["issuer"] != options.issuer:
        raise Failure(f"{step}: issuer is {metadata['issuer']!r}, not {options.issuer!r}")
    for endpoint in ("registration_endpoint", "revocation_endpoint"):
        if not metadata.get(endpoint):
            raise Failure(f"{step}: no {endpoint}")
    if "S256" not in (metadata.get("code_challenge_methods_supported") or []):
        methods = metadata.get("code_challenge_methods_supported")
        raise Failure(f"{step}: code_challenge_methods_supported lacks S256: {methods!r}")
    return metadata, scope


async def register(http: httpx2.AsyncClient, metadata: dict, options: argparse.Namespace, scope: str | None) -> dict:
    """Step 3: Dynamic Client Registration."""
    step = "registration"
    method = "client_secret_basic" if options.confidential else "none"
    request = {
        "client_name": CLIENT_NAME,
        "redirect_uris": [options.redirect_uri],
        "grant_types": ["authorization_code", "refresh_token"],
        "response_types": ["code"],
        "token_endpoint_auth_method": method,
    }
    if scope:
        request["scope"] = scope
    response = await http.post(metadata["registration_endpoint"], json=request)
    if response.status_code not in (200, 201):
        raise http_failure(step, response, "HTTP 201")
    client = json_of(step, response)
    if not client.get("client_id"):
        raise Failure(f"{step}: no client_id in {response.text[:500]}")
    if client.get("token_endpoint_auth_method", method) != method:
        registered = client["token_endpoint_auth_method"]
        raise Failure(f"{step}: registered with token_endpoint_auth_method {registered!r}, asked for {method!r}")
    if options.confidential and not client.get("client_secret"):
        raise Failure(f"{step}: a client_secret_basic client got no client_secret: {response.text[:500]}")
    if options.redirect_uri not in client.get("redirect_uris", [options.redirect_uri]):
        raise Failure(f"{step}: redirect_uris came back as {client.get('redirect_uris')!r}")
    return client


async def refresh(oauth: AsyncOAuth2Client, metadata: dict, refresh_token: str, resource: str) -> dict:
    return await oauth.refresh_token(metadata["token_endpoint"], refresh_token=refresh_token, resource=resource)


async def refresh_error(oauth: AsyncOAuth2Client, metadata: dict, refresh_token: str, resource: str) -> str | None:
    """None when the refresh token still works, else the OAuth error code of the refusal."""
    saved = oauth.token
    try:
        await refresh(oauth, metadata, refresh_token, resource)
        return None
    except OAuthError as error:
        return error.error
    except httpx2.HTTPStatusError as error:
        return f"HTTP {error.response.status_code}"
    finally:
        oauth.token = saved


async def run(options: argparse.Namespace) -> dict:
    summary: dict = {"confidential": options.confidential}
    async with httpx2.AsyncClient(timeout=30) as http, httpx2.AsyncClient(timeout=30) as browser:
        metadata, scope = await discover(http, options)
        summary["scope"] = scope
        client = await register(http, metadata, options, scope)
        summary["clientId"] = client["client_id"]
        method = "client_secret_basic" if options.confidential else "none"

        async with AsyncOAuth2Client(
            client_id=client["client_id"],
            client_secret=client.get("client_secret"),
            token_endpoint_auth_method=method,
            revocation_endpoint_auth_method=method,
            redirect_uri=options.redirect_uri,
            scope=scope,
            code_challenge_method="S256",
            timeout=30,
        ) as oauth:
            # Step 4: the authorization request, played through the headless browser.
            code_verifier = generate_token(64)
            url, state = oauth.create_authorization_url(
                metadata["authorization_endpoint"], code_verifier=code_verifier, resource=options.mcp_url
            )
            try:
                answer = await authorize(
                    browser, url, options.redirect_uri, options.username, options.password, options.decision
                )
            except AuthorizationError as error:
                raise Failure(f"authorization: {error}") from error
            if answer.get("state") != state:
                raise Failure(f"authorization: state came back as {answer.get('state')!r}, sent {state!r}")
            if answer.get("iss") != metadata["issuer"]:
                raise Failure(f"authorization: iss is {answer.get('iss')!r}, the issuer is {metadata['issuer']!r}")
            summary["issChecked"] = True

            # Step 5: the code for tokens.
            try:
                token = await oauth.fetch_token(
                    metadata["token_endpoint"],
                    grant_type="authorization_code",
                    code=answer["code"],
                    code_verifier=code_verifier,
                    resource=options.mcp_url,
                )
            except (OAuthError, httpx2.HTTPStatusError, ValueError) as error:
                raise Failure(f"token: the code exchange failed: {error!r}") from error
            if str(token.get("token_type", "")).lower() != "bearer":
                raise Failure(f"token: token_type is {token.get('token_type')!r}, not Bearer")
            first_refresh_token = token.get("refresh_token")
            if not token.get("access_token") or not first_refresh_token:
                raise Failure(f"token: the answer lacks access_token or refresh_token: keys {sorted(token)}")
            summary["grantedScope"] = token.get("scope")

            # Step 6: one refresh, which must rotate the refresh token.
            try:
                token = await refresh(oauth, metadata, first_refresh_token, options.mcp_url)
            except (OAuthError, httpx2.HTTPStatusError, ValueError) as error:
                raise Failure(f"refresh: failed: {error!r}") from error
            refresh_token = token.get("refresh_token")
            if not refresh_token or refresh_token == first_refresh_token:
                raise Failure("refresh: no new refresh token (the same one came back, or none)")
            access_token = token["access_token"]
            summary["refreshed"] = True

            # Step 7: stateless MCP requests with the refreshed access token.
            listed = await mcp_request(http, options.mcp_url, access_token, "tools/list", {})
            summary["tools"] = [tool.get("name") for tool in listed.get("tools", [])]
            calls = []
            for name, arguments in options.call:
                result = await mcp_request(
                    http, options.mcp_url, access_token, "tools/call", {"name": name, "arguments": arguments}, name
                )
                calls.append({"name": name, "isError": bool(result.get("isError")), "text": text_of(result)})
            summary["calls"] = calls

            # Observation: the rotated-out refresh token.
            reuse = await refresh_error(oauth, metadata, first_refresh_token, options.mcp_url)
            summary["rotatedRefreshTokenReuse"] = reuse or "accepted"

            # Step 8: revocation, then the revoked refresh token must be refused.
            try:
                response = await oauth.revoke_token(
                    metadata["revocation_endpoint"], token=refresh_token, token_type_hint="refresh_token"
                )
            except httpx2.HTTPError as error:
                raise Failure(f"revocation: {error!r}") from error
            if response.status_code != 200:
                raise http_failure("revocation", response, "HTTP 200")
            refusal = await refresh_error(oauth, metadata, refresh_token, options.mcp_url)
            if refusal is None:
                raise Failure("revocation: the revoked refresh token still refreshes")
            if refusal != "invalid_grant":
                raise Failure(
                    f"revocation: refreshing with the revoked refresh token failed with {refusal!r}, not invalid_grant"
                )
            summary["revoked"] = True

            # Observation: the access token after its refresh token was revoked.
            response = await http.post(
                options.mcp_url,
                json=rpc_body("tools/list", {}),
                headers=rpc_headers("tools/list", None, access_token),
            )
            summary["accessTokenAfterRevoke"] = response.status_code
    return summary


def parse_options(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description="Authlib OAuth client of the gateway's authorization server.")
    parser.add_argument("issuer", metavar="ISSUER_URL")
    parser.add_argument("mcp_url", metavar="MCP_URL")
    parser.add_argument("--username", required=True)
    parser.add_argument("--password", required=True)
    parser.add_argument("--confidential", action="store_true", help="register with client_secret_basic")
    parser.add_argument("--scope", help="scope to ask for (default: from the 401 challenge or the resource metadata)")
    parser.add_argument("--decision", choices=["approve", "deny"], default="approve")
    parser.add_argument(
        "--redirect-uri", default="http://127.0.0.1:8976/callback", help="loopback redirect URI (never listened on)"
    )
    parser.add_argument("--call", nargs=2, action="append", default=[], metavar=("TOOL", "JSON_ARGS"))
    parser.add_argument("--timeout", type=float, default=60, help="seconds for the whole run (default 60)")
    options = parser.parse_args(argv)
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
    if urlsplit(options.redirect_uri).scheme not in ("http", "https"):
        parser.error("--redirect-uri must be an http(s) URL")
    return options


async def main(options: argparse.Namespace) -> dict:
    with anyio.fail_after(options.timeout):
        return await run(options)


if __name__ == "__main__":
    options = parse_options(sys.argv[1:])
    try:
        summary = anyio.run(main, options)
    except Failure as error:
        print(f"oauth_authlib_client: {error}", file=sys.stderr)
        sys.exit(1)
    except TimeoutError:
        print(f"oauth_authlib_client: no result within {options.timeout:g} seconds", file=sys.stderr)
        sys.exit(1)
    except httpx2.HTTPError as error:
        print(f"oauth_authlib_client: HTTP failure: {error!r}", file=sys.stderr)
        sys.exit(1)
    print(json.dumps(summary))
