"""Authlib as the OAuth client of a plain HTTP API protected by MCPAuth alone (no MCP).

Run: python protected_api_client.py API_URL --username U --password P

Steps, each checked (a failure names its step):
  1. challenge      GET API_URL without a token answers 401 with a Bearer challenge naming the
                    protected resource metadata, whose resource is API_URL.
  2. metadata       the authorization server's RFC 8414 metadata, validated by Authlib.
  3. registration   Dynamic Client Registration of a public client.
  4. authorization  Authlib builds the authorization URL (PKCE S256, resource=API_URL);
                    oauth_browser.py signs in and consents; the code is exchanged for a token.
  5. call           GET API_URL with the access token answers 200 with a JSON body.
  6. revocation     the refresh token is revoked; the access token issued under the same grant is
                    then refused with 401.
Prints {"challenge", "status", "body", "statusAfterRevocation"} and exits 0 when every step held.
"""

import argparse
import json
import sys

import anyio
import httpx2
from authlib.common.security import generate_token
from authlib.integrations.httpx_client import AsyncOAuth2Client
from authlib.oauth2.rfc8414 import AuthorizationServerMetadata

from oauth_browser import AuthorizationError, authorize

REDIRECT_URI = "http://127.0.0.1:8977/callback"


class Failure(Exception):
    """A step failed; the message names it."""


def challenge_parameters(header: str) -> dict[str, str]:
    if not header.lower().startswith("bearer "):
        raise Failure(f"challenge: not a Bearer challenge: {header!r}")
    parameters = {}
    for part in header[7:].split(","):
        name, _, value = part.strip().partition("=")
        parameters[name] = value.strip('"')
    return parameters


async def run(options: argparse.Namespace) -> dict:
    summary: dict = {}
    async with httpx2.AsyncClient(timeout=30) as http, httpx2.AsyncClient(timeout=30) as browser:
        refused = await http.get(options.url)
        if refused.status_code != 401:
            raise Failure(f"challenge: expected 401, got {refused.status_code}")
        challenge = challenge_parameters(refused.headers.get("www-authenticate", ""))
        summary["challenge"] = challenge
        resource_metadata = (await http.get(challenge["resource_metadata"])).json()
        if resource_metadata.get("resource") != options.url:
            raise Failure(f"challenge: the metadata names resource {resource_metadata.get('resource')!r}")
        issuer = resource_metadata["authorization_servers"][0]
        metadata = AuthorizationServerMetadata(
            (await http.get(issuer + "/.well-known/oauth-authorization-server")).json()
        )
        try:
            metadata.validate()
        except Exception as error:
            raise Failure(f"metadata: {error}") from error
        registered = await http.post(
            metadata["registration_endpoint"],
            json={
                "client_name": "Authlib API client",
                "redirect_uris": [REDIRECT_URI],
                "grant_types": ["authorization_code", "refresh_token"],
                "token_endpoint_auth_method": "none",
            },
        )
        if registered.status_code != 201:
            raise Failure(f"registration: HTTP {registered.status_code}: {registered.text[:300]}")
        client_id = registered.json()["client_id"]
        async with AsyncOAuth2Client(
            client_id=client_id,
            token_endpoint_auth_method="none",
            revocation_endpoint_auth_method="none",
            redirect_uri=REDIRECT_URI,
            scope=challenge.get("scope"),
            code_challenge_method="S256",
            timeout=30,
        ) as oauth:
            verifier = generate_token(64)
            url, state = oauth.create_authorization_url(
                metadata["authorization_endpoint"], code_verifier=verifier, resource=options.url
            )
            try:
                answer = await authorize(browser, url, REDIRECT_URI, options.username, options.password)
            except AuthorizationError as error:
                raise Failure(f"authorization: {error}") from error
            if answer.get("state") != state or answer.get("iss") != metadata["issuer"]:
                raise Failure(f"authorization: state or iss differ: {answer}")
            token = await oauth.fetch_token(
                metadata["token_endpoint"], code=answer["code"], code_verifier=verifier, resource=options.url
            )
            headers = {"Authorization": f"Bearer {token['access_token']}"}
            called = await http.get(options.url, headers=headers)
            summary["status"] = called.status_code
            summary["body"] = called.json() if called.status_code == 200 else called.text
            if called.status_code != 200:
                raise Failure(f"call: HTTP {called.status_code}: {called.text[:300]}")
            await oauth.revoke_token(
                metadata["revocation_endpoint"], token["refresh_token"], token_type_hint="refresh_token"
            )
            summary["statusAfterRevocation"] = (await http.get(options.url, headers=headers)).status_code
    return summary


def main() -> None:
    parser = argparse.ArgumentParser(description="Authlib client of an API protected by MCPAuth.")
    parser.add_argument("url", metavar="API_URL")
    parser.add_argument("--username", required=True)
    parser.add_argument("--password", required=True)
    options = parser.parse_args()
    try:
        summary = anyio.run(run, options)
    except Failure as error:
        print(f"protected_api_client: {error}", file=sys.stderr)
        sys.exit(1)
    print(json.dumps(summary))


if __name__ == "__main__":
    main()
