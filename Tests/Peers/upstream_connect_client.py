"""A user of the gateway connecting an upstream that has its own OAuth, then calling it.

Run: python upstream_connect_client.py GATEWAY_ISSUER SIMULATOR_URL --username U --password P
         [--other-username U2 --other-password P2 [--other-connects]] [--tool NAME] [--concurrent N]
         [--expire-refresh] [--moved] [--misuses]

Steps (each failure names its step):
  1. gateway token   the user signs in to the gateway (Dynamic Client Registration, PKCE, the
                     sign-in and consent pages through oauth_browser.py) and gets an access token.
  2. connections     GET /connections lists the upstream as not connected, with a connect link.
  3. connect         the browser follows the link: the upstream's authorization server (the
                     simulator) approves and sends it back to the gateway's callback.
  4. catalog         tools/list (stateless 2026-07-28 requests with the gateway token) until the
                     upstream's tool is listed.
  5. call            the tool answers for this user.
  6. expiry          the simulator expires every access token; N calls at once all succeed.
  7. other user      (with --other-username) a user who never connected gets the connect link;
                     with --other-connects that user connects too, and both users' calls are
                     answered for each of them (each has a session of their own upstream).
  8. ended grant     (with --expire-refresh) the simulator expires refresh tokens too: the next call
                     says to reconnect, and so does the one after, without another refresh.
With --moved (after the upstream's authorization server changed): a call says to reconnect, the
user connects again (the gateway registers with the new issuer), and the call works.
Prints a JSON summary; exits 0 when every step held.
"""

import argparse
import asyncio
import json
import sys
import time

import httpx2
from authlib.common.security import generate_token
from authlib.oauth2.rfc7636 import create_s256_code_challenge

from urllib.parse import urljoin

from oauth_browser import AuthorizationError, authorize, parse_forms

REDIRECT_URI = "http://127.0.0.1:8978/callback"


class Failure(Exception):
    """A step failed; the message names it."""


async def gateway_token(http: httpx2.AsyncClient, issuer: str, username: str, password: str) -> str:
    registered = await http.post(
        issuer + "/register",
        json={
            "client_name": "upstream connect test",
            "redirect_uris": [REDIRECT_URI],
            "grant_types": ["authorization_code", "refresh_token"],
            "token_endpoint_auth_method": "none",
        },
    )
    if registered.status_code != 201:
        raise Failure(f"gateway token: registration answered {registered.status_code}: {registered.text[:200]}")
    client_id = registered.json()["client_id"]
    verifier = generate_token(64)
    query = httpx2.QueryParams(
        {
            "response_type": "code",
            "client_id": client_id,
            "redirect_uri": REDIRECT_URI,
            "state": generate_token(16),
            "code_challenge": create_s256_code_challenge(verifier),
            "code_challenge_method": "S256",
            "resource": issuer + "/mcp",
        }
    )
    try:
        answer = await authorize(http, f"{issuer}/authorize?{query}", REDIRECT_URI, username, password)
    except AuthorizationError as error:
        raise Failure(f"gateway token: {error}") from error
    token = await http.post(
        issuer + "/token",
        data={
            "grant_type": "authorization_code",
            "code": answer["code"],
            "redirect_uri": REDIRECT_URI,
            "code_verifier": verifier,
            "client_id": client_id,
            "resource": issuer + "/mcp",
        },
    )
    if token.status_code != 200:
        raise Failure(f"gateway token: token endpoint answered {token.status_code}: {token.text[:200]}")
    return token.json()["access_token"]


async def call(http: httpx2.AsyncClient, issuer: str, token: str, method: str, params: dict, name: str | None = None) -> dict:
    headers = {
        "Authorization": f"Bearer {token}",
        "Content-Type": "application/json",
        "Accept": "application/json, text/event-stream",
        "MCP-Protocol-Version": "2026-07-28",
        "Mcp-Method": method,
    }
    if name:
        headers["Mcp-Name"] = name
    params = dict(params)
    params["_meta"] = {
        "io.modelcontextprotocol/clientInfo": {"name": "upstream-connect-test", "version": "1"},
        "io.modelcontextprotocol/clientCapabilities": {},
    }
    response = await http.post(
        issuer + "/mcp", json={"jsonrpc": "2.0", "id": 1, "method": method, "params": params}, headers=headers
    )
    text = response.text
    if response.headers.get("content-type", "").startswith("text/event-stream"):
        for line in text.splitlines():
            if line.startswith("data:"):
                text = line[5:].strip()
    try:
        return json.loads(text)
    except ValueError as error:
        raise Failure(f"{method}: HTTP {response.status_code} is not JSON: {text[:200]}") from error


async def connect(
    http: httpx2.AsyncClient, options: argparse.Namespace, token: str, username: str, password: str
) -> tuple[dict, int]:
    """Steps 2 and 3: the connect link from /connections, followed by the user's browser: the
    gateway's confirmation page (the user's password), then the upstream's consent."""
    connections = await http.get(options.issuer + "/connections", headers={"Authorization": f"Bearer {token}"})
    if connections.status_code != 200:
        raise Failure(f"connections: HTTP {connections.status_code}: {connections.text[:200]}")
    listed = {entry["upstream"]: entry for entry in connections.json()["connections"]}
    link = next((entry.get("connectURL") for entry in listed.values() if entry.get("connectURL")), None)
    if not link:
        raise Failure(f"connections: no connect link in {listed}")
    # At the upstream's authorization server the user signs in as themselves (the simulator
    # takes login_hint for that).
    page = await http.get(link)
    forms = parse_forms(page.text)
    if page.status_code != 200 or len(forms) != 1:
        raise Failure(f"connect ({username}): no confirmation page: HTTP {page.status_code}: {page.text[:300]}")
    form = forms[0]
    fields = dict(form.fields)
    if "password" in form.inputs:
        fields["password"] = password
    page = await http.post(urljoin(link, form.action or ""), data=fields)
    for _ in range(5):
        if page.status_code not in (302, 303):
            break
        location = page.headers["location"]
        if location.startswith(options.simulator) and "/authorize" in location:
            location += "&login_hint=" + username
        page = await http.get(location)
    if page.status_code != 200 or "is connected" not in page.text:
        raise Failure(f"connect ({username}): HTTP {page.status_code}: {page.text[:400]}")
    return listed, page.status_code


async def moved(options: argparse.Namespace) -> dict:
    """After the upstream moved to another authorization server: the call says to reconnect,
    the user connects again, and the call works."""
    summary: dict = {}
    tool = options.tool
    async with httpx2.AsyncClient(timeout=60) as http:
        token = await gateway_token(http, options.issuer, options.username, options.password)
        refused = await call(http, options.issuer, token, "tools/call", {"name": tool, "arguments": {}}, tool)
        summary["refused"] = refused.get("error", refused.get("result"))
        summary["before"], _ = await connect(http, options, token, options.username, options.password)
        answer = await call(http, options.issuer, token, "tools/call", {"name": tool, "arguments": {}}, tool)
        summary["after"] = answer.get("result", {}).get("content", [{}])[0].get("text", answer.get("error"))
        summary["stats"] = (await http.get(options.simulator + "/_stats")).json()
    return summary


async def link_of(http: httpx2.AsyncClient, options: argparse.Namespace, token: str) -> str:
    connections = await http.get(options.issuer + "/connections", headers={"Authorization": f"Bearer {token}"})
    listed = connections.json()["connections"]
    link = next((entry.get("connectURL") for entry in listed if entry.get("connectURL")), None)
    if not link:
        raise Failure(f"connections: no connect link in {listed}")
    return link


async def misuses(http: httpx2.AsyncClient, options: argparse.Namespace, token: str) -> dict:
    """What must not connect: a wrong password on the confirmation page, and a link whose
    consent is finished in another browser (one without the gateway's cookie)."""
    seen: dict = {}
    link = await link_of(http, options, token)
    form = parse_forms((await http.get(link)).text)[0]
    fields = dict(form.fields)
    fields["password"] = "not the password"
    wrong = await http.post(urljoin(link, form.action or ""), data=fields)
    seen["wrongPassword"] = wrong.status_code
    seen["reusedAfterWrongPassword"] = (await http.get(link)).status_code

    link = await link_of(http, options, token)
    form = parse_forms((await http.get(link)).text)[0]
    fields = dict(form.fields)
    fields["password"] = options.password
    started = await http.post(urljoin(link, form.action or ""), data=fields)
    location = started.headers.get("location", "")
    seen["confirmed"] = started.status_code
    async with httpx2.AsyncClient(timeout=30) as other:
        page = await other.get(location + "&login_hint=" + options.username)
        if page.status_code in (302, 303):
            page = await other.get(page.headers["location"])
        seen["otherBrowser"] = page.status_code
        seen["otherBrowserText"] = "another browser" in page.text
    http.cookies.clear()
    after = await http.get(options.issuer + "/connections", headers={"Authorization": f"Bearer {token}"})
    seen["stillNotConnected"] = all(entry["status"] == "not connected" for entry in after.json()["connections"])
    return seen


async def run(options: argparse.Namespace) -> dict:
    if options.moved:
        return await moved(options)
    summary: dict = {}
    tool = options.tool
    async with httpx2.AsyncClient(timeout=60) as http:
        token = await gateway_token(http, options.issuer, options.username, options.password)
        summary["gatewayTokenPrefix"] = token[:24]
        if options.misuses:
            summary["misuses"] = await misuses(http, options, token)
        summary["before"], page = await connect(http, options, token, options.username, options.password)
        summary["connectPage"] = page
        after = await http.get(options.issuer + "/connections", headers={"Authorization": f"Bearer {token}"})
        summary["after"] = {entry["upstream"]: entry["status"] for entry in after.json()["connections"]}

        deadline = time.monotonic() + 30
        while True:
            listing = await call(http, options.issuer, token, "tools/list", {})
            names = [item["name"] for item in listing.get("result", {}).get("tools", [])]
            if tool in names:
                break
            if time.monotonic() > deadline:
                raise Failure(f"catalog: {tool} is not listed: {names} {listing.get('error')}")
            await asyncio.sleep(0.2)

        first = await call(http, options.issuer, token, "tools/call", {"name": tool, "arguments": {}}, tool)
        summary["first"] = first.get("result", first.get("error"))
        if "result" not in first:
            raise Failure(f"call: {first}")

        before = (await http.get(options.simulator + "/_stats")).json()
        await http.post(options.simulator + "/_expire_all")
        answers = await asyncio.gather(
            *[
                call(http, options.issuer, token, "tools/call", {"name": tool, "arguments": {}}, tool)
                for _ in range(options.concurrent)
            ]
        )
        stats = (await http.get(options.simulator + "/_stats")).json()
        summary["concurrentOK"] = sum(1 for answer in answers if "result" in answer and not answer["result"].get("isError"))
        summary["concurrentErrors"] = [answer.get("error") for answer in answers if "error" in answer][:3]
        summary["refreshesDuringExpiry"] = stats["token_requests"].get("refresh_token", 0) - before["token_requests"].get(
            "refresh_token", 0
        )
        summary["stats"] = {key: value for key, value in stats.items() if key != "authorization_headers"}
        summary["authorizationHeaders"] = stats["authorization_headers"]

        if options.other_username:
            other = await gateway_token(http, options.issuer, options.other_username, options.other_password)
            refused = await call(http, options.issuer, other, "tools/call", {"name": tool, "arguments": {}}, tool)
            summary["otherUser"] = refused.get("error", refused.get("result"))
            summary["otherTokenPrefix"] = other[:24]
            if options.other_connects:
                await connect(http, options, other, options.other_username, options.other_password)
                mine = await call(http, options.issuer, token, "tools/call", {"name": tool, "arguments": {}}, tool)
                theirs = await call(http, options.issuer, other, "tools/call", {"name": tool, "arguments": {}}, tool)
                again = await call(http, options.issuer, token, "tools/call", {"name": tool, "arguments": {}}, tool)
                summary["bothUsers"] = [
                    answer.get("result", {}).get("content", [{}])[0].get("text", answer.get("error"))
                    for answer in (mine, theirs, again)
                ]

        if options.expire_refresh:
            await http.post(options.simulator + "/_expire_all?refresh_tokens=1")
            ended = await call(http, options.issuer, token, "tools/call", {"name": tool, "arguments": {}}, tool)
            again = await call(http, options.issuer, token, "tools/call", {"name": tool, "arguments": {}}, tool)
            final = (await http.get(options.simulator + "/_stats")).json()
            summary["ended"] = ended.get("error", ended.get("result"))
            summary["endedAgain"] = again.get("error", again.get("result"))
            summary["refreshesAfterEnd"] = final["token_requests"].get("refresh_token", 0) - stats["token_requests"].get(
                "refresh_token", 0
            )
            gone = await http.get(options.issuer + "/connections", headers={"Authorization": f"Bearer {token}"})
            summary["afterEnd"] = {entry["upstream"]: entry["status"] for entry in gone.json()["connections"]}
    return summary


def main() -> None:
    parser = argparse.ArgumentParser(description="Connect an upstream through the gateway and call it.")
    parser.add_argument("issuer", metavar="GATEWAY_ISSUER")
    parser.add_argument("simulator", metavar="SIMULATOR_URL")
    parser.add_argument("--username", required=True)
    parser.add_argument("--password", required=True)
    parser.add_argument("--other-username")
    parser.add_argument("--other-password")
    parser.add_argument("--tool", default="sim__whoami")
    parser.add_argument("--concurrent", type=int, default=50)
    parser.add_argument("--expire-refresh", action="store_true")
    parser.add_argument("--other-connects", action="store_true", help="the other user connects too, then both call")
    parser.add_argument("--moved", action="store_true", help="the upstream moved: reconnect and call again")
    parser.add_argument("--misuses", action="store_true", help="first try a wrong password and another browser")
    options = parser.parse_args()
    try:
        summary = asyncio.run(run(options))
    except Failure as error:
        print(f"upstream_connect_client: {error}", file=sys.stderr)
        sys.exit(1)
    print(json.dumps(summary))


if __name__ == "__main__":
    main()
