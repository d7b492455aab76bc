"""An upstream MCP server behind its own OAuth 2.1 authorization server, with the quirks of real
providers, for the tests of the gateway as a per-user OAuth client of its upstream servers.

Run: python upstream_oauth_simulator.py PORT [--quirk NAME]... [--access-lifetime SECONDS]
         [--refresh-lifetime SECONDS] [--client ID[:SECRET]]... [--redirect-uri URI]...
         [--user NAME]...

One process on 127.0.0.1:PORT is both the authorization server (issuer http://127.0.0.1:PORT, or
http://127.0.0.1:PORT/tenant1 with the path-issuer quirk, its endpoints then under /tenant1) and
the protected MCP server (resource http://127.0.0.1:PORT/mcp). It serves
  GET  /.well-known/oauth-protected-resource[/mcp]  protected resource metadata (RFC 9728)
  GET  /.well-known/oauth-authorization-server      authorization server metadata (RFC 8414)
  GET  /.well-known/openid-configuration            the same with the OpenID discovery fields
  GET  /jwks                                        an empty key set (no ID tokens are issued)
  POST /register                                    dynamic client registration (RFC 7591)
  GET  /authorize                                   no sign-in page: approves at once, for the user
                                                    named by `login_hint` or else the first --user,
                                                    and redirects with code, state and iss
  POST /token                                       authorization_code (PKCE S256), refresh_token,
                                                    client_credentials (--client clients only)
  POST /revoke                                      token revocation (RFC 7009)
  POST /mcp                                         a stateless MCP server (JSON answers) with one
                                                    tool, whoami, for a valid Bearer access token
  GET  /_stats                                      what the tests check: counts of token requests,
                                                    successful refreshes, registrations, fetches of
                                                    client ID metadata documents, revocations, and
                                                    every Authorization header /mcp received and
                                                    every `resource` parameter, in order
  POST /_expire_all                                 every access token expires now (and every
                                                    refresh token too with ?refresh_tokens=1)
It prints "listening" on standard output once it accepts connections, and nothing else there.

Clients: those registered at /register; those given with --client (confidential with a secret,
client_secret_basic or client_secret_post; public without; their redirect URIs are the
--redirect-uri ones, or any URI when none is given); and, unless no-cimd, a client ID that is an
https URL (or an http URL on loopback): its client ID metadata document is fetched at each
/authorize, must name that URL as client_id, list the redirect URI and authenticate with `none`.
A client gets refresh tokens when its grant_types include refresh_token (RFC 7591: a registration
or metadata document without grant_types means authorization_code only); --client clients always.
Scopes are `read` and `write`; none asked means both; an unknown one is invalid_scope. A
`resource` parameter must be http://127.0.0.1:PORT/mcp (else invalid_target).

Quirks (--quirk, repeatable), each the way some real provider behaves:
  rotate-refresh       (the default) a new refresh token on every refresh; the old one dies
  never-rotate         refresh answers carry no refresh_token; the old one keeps working
  rotate-keep-old      a new refresh token on every refresh; the old ones keep working
  no-expires-in        token answers have no expires_in (the tokens still expire)
  expires-in-string    expires_in is a JSON string ("3600")
  error-200            token endpoint errors come with HTTP 200 ({"error", "error_description"})
  ok-false             token endpoint answers carry "ok": true, errors are HTTP 200
                       {"ok": false, "error": CODE}
  expired-403          a presented but expired or invalid access token is answered 403, not 401
  expired-200          ... is answered HTTP 200 with a JSON-RPC error -32001 for the request's id
  comma-scopes         the scope of token answers is comma-separated (requests may use commas)
  lowercase-bearer     token_type is "bearer"
  form-response        token endpoint answers (and its errors) are application/x-www-form-urlencoded
  reject-resource      /authorize and /token refuse any `resource` parameter with invalid_target
  no-dcr               no registration endpoint
  no-cimd              client_id_metadata_document_supported is false; URL client IDs are unknown
  openid-only          no oauth-authorization-server metadata, only openid-configuration
  path-issuer          issuer http://127.0.0.1:PORT/tenant1; metadata at
                       /.well-known/oauth-authorization-server/tenant1,
                       /.well-known/openid-configuration/tenant1 and
                       /tenant1/.well-known/openid-configuration
  no-www-authenticate  the 401 (or 403) challenge of /mcp has no resource_metadata
  bind-session         a session belongs to the user who initialized it: a request of another
                       user (or with an unknown session) is answered 404 "Session not found"
"""

import argparse
import asyncio
import base64
import json
import re
import secrets
import sys
import time
from dataclasses import dataclass, field
from ipaddress import ip_address
from urllib.parse import parse_qsl, unquote_plus, urlencode, urlsplit, urlunsplit

import httpx2
import uvicorn
from authlib.oauth2.rfc7636 import create_s256_code_challenge
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response
from starlette.routing import Route

QUIRKS = (
    "rotate-refresh",
    "never-rotate",
    "rotate-keep-old",
    "no-expires-in",
    "expires-in-string",
    "error-200",
    "ok-false",
    "expired-403",
    "expired-200",
    "comma-scopes",
    "lowercase-bearer",
    "form-response",
    "reject-resource",
    "no-dcr",
    "no-cimd",
    "openid-only",
    "path-issuer",
    "no-www-authenticate",
    "bind-session",
)
SCOPES = ("read", "write")
PROTOCOL_VERSIONS = ("2025-03-26", "2025-06-18", "2025-11-25")
LATEST_PROTOCOL_VERSION = "2025-11-25"
TENANT = "tenant1"

CODE_LIFETIME = 60
MAX_BODY = 64 * 1024  # request bodies and client ID metadata documents
MAX_ENTRIES = 10_000  # codes, tokens, sessions and each recorded list
MAX_CLIENTS = 1_000  # registered clients; the oldest goes first
CIMD_TIMEOUT = 5.0
VERIFIER = re.compile(r"[A-Za-z0-9._~-]{43,128}")
LOOPBACK_NAMES = ("localhost",)


@dataclass
class Client:
    client_id: str
    secret: str | None  # None: a public client (token_endpoint_auth_method none)
    redirect_uris: list[str] | None  # None: any redirect URI (a --client without --redirect-uri)
    grant_types: list[str]
    kind: str  # "registered", "preregistered" or "metadata-document"


@dataclass
class Grant:
    """One authorization: the user (None for client_credentials), the client, the scope granted."""

    user: str | None
    client_id: str
    scope: list[str]
    revoked: bool = False


@dataclass
class Code:
    grant: Grant
    redirect_uri: str
    code_challenge: str
    expires_at: float = field(default_factory=lambda: time.time() + CODE_LIFETIME)


@dataclass
class AccessToken:
    grant: Grant
    scope: list[str]
    expires_at: float


@dataclass
class RefreshToken:
    grant: Grant
    expires_at: float


class OAuthFailure(Exception):
    """An RFC 6749 error for the token endpoint (or revocation), with its HTTP status."""

    def __init__(self, error: str, description: str, status: int = 400, basic: bool = False):
        super().__init__(description)
        self.error, self.description, self.status, self.basic = error, description, status, basic


def bounded_put(table: dict, key, value, expired=None) -> None:
    """Adds to a table kept under MAX_ENTRIES: expired entries go first, then the oldest."""
    if len(table) >= MAX_ENTRIES and expired is not None:
        now = time.time()
        for stale in [name for name, entry in table.items() if expired(entry, now)]:
            del table[stale]
    while len(table) >= MAX_ENTRIES:
        del table[next(iter(table))]
    table[key] = value


def bounded_append(entries: list, value) -> None:
    if len(entries) >= MAX_ENTRIES:
        del entries[0]
    entries.append(value)


def is_loopback(host: str | None) -> bool:
    if not host:
        return False
    if host.lower() in LOOPBACK_NAMES:
        return True
    try:
        return ip_address(host).is_loopback
    except ValueError:
        return False


def valid_redirect_uri(uri: str) -> bool:
    """Absolute, without fragment; http only on loopback (private-use schemes are allowed)."""
    try:
        parts = urlsplit(uri)
        parts.port  # raises on a malformed port
    except ValueError:
        return False
    if not parts.scheme or parts.fragment or "#" in uri:
        return False
    if parts.scheme == "http":
        return is_loopback(parts.hostname)
    if parts.scheme == "https":
        return bool(parts.hostname)
    return True


def metadata_document_url(client_id: str) -> bool:
    """Whether a client ID names a client ID metadata document: https, or http on loopback."""
    try:
        parts = urlsplit(client_id)
        parts.port
    except ValueError:
        return False
    if parts.fragment or "#" in client_id or parts.username is not None or parts.password is not None:
        return False
    if parts.scheme == "https":
        return bool(parts.hostname)
    return parts.scheme == "http" and is_loopback(parts.hostname)


async def read_body(request: Request) -> bytes | None:
    """The request body, or None when it is larger than MAX_BODY."""
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > MAX_BODY:
        return None
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > MAX_BODY:
            return None
        chunks.append(chunk)
    return b"".join(chunks)


async def read_form(request: Request) -> list[tuple[str, str]]:
    """The parameters of an application/x-www-form-urlencoded body, as pairs in order."""
    body = await read_body(request)
    if body is None:
        raise OAuthFailure("invalid_request", "request body too large")
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if content_type != "application/x-www-form-urlencoded":
        raise OAuthFailure("invalid_request", "the body must be application/x-www-form-urlencoded")
    try:
        return parse_qsl(body.decode("utf-8"), keep_blank_values=True, max_num_fields=100)
    except (UnicodeDecodeError, ValueError):
        raise OAuthFailure("invalid_request", "malformed form body") from None


def single_values(pairs: list[tuple[str, str]], repeatable: tuple[str, ...] = ("resource",)) -> dict[str, str]:
    """Parameters may appear once (RFC 6749 section 3.2), except the repeatable ones."""
    values: dict[str, str] = {}
    for name, value in pairs:
        if name in repeatable:
            continue
        if name in values:
            raise OAuthFailure("invalid_request", f"parameter {name} is repeated")
        values[name] = value
    return values


def redirect(uri: str, **params: str | None) -> Response:
    """A 302 to `uri` with `params` (those that are not None) added to its query."""
    parts = urlsplit(uri)
    query = parse_qsl(parts.query, keep_blank_values=True)
    query += [(name, value) for name, value in params.items() if value is not None]
    return RedirectResponse(urlunsplit(parts._replace(query=urlencode(query))), status_code=302)


def form_encode(fields: dict) -> str:
    """Fields as application/x-www-form-urlencoded (booleans as true and false)."""
    return urlencode({name: str(value).lower() if isinstance(value, bool) else value for name, value in fields.items()})


def plain_error(error: str, description: str, status: int = 400, basic: bool = False) -> Response:
    headers = {"Cache-Control": "no-store"}
    if basic:
        headers["WWW-Authenticate"] = 'Basic realm="oauth-simulator"'
    return JSONResponse({"error": error, "error_description": description}, status_code=status, headers=headers)


class Simulator:
    def __init__(self, options: argparse.Namespace):
        self.options = options
        self.quirks: set[str] = set(options.quirk or [])
        self.base = f"http://127.0.0.1:{options.port}"
        self.prefix = f"/{TENANT}" if "path-issuer" in self.quirks else ""
        self.issuer = self.base + self.prefix
        self.resource = f"{self.base}/mcp"
        self.resource_metadata_url = f"{self.base}/.well-known/oauth-protected-resource/mcp"
        self.users: list[str] = options.user or ["alice"]
        self.clients: dict[str, Client] = {}
        for client in options.client or []:
            self.clients[client.client_id] = client
        self.registered = 0  # how many of self.clients came from /register
        self.metadata_clients: dict[str, Client] = {}  # the last fetched document of each URL client ID
        self.codes: dict[str, Code] = {}
        self.access_tokens: dict[str, AccessToken] = {}
        self.refresh_tokens: dict[str, RefreshToken] = {}
        self.sessions: dict[str, float] = {}
        self.session_users: dict[str, str | None] = {}
        self.stats = {
            "token_requests": {"authorization_code": 0, "refresh_token": 0, "client_credentials": 0},
            "refreshes_ok": 0,
            "registrations": 0,
            "cimd_fetches": 0,
            "revocations": 0,
            "authorization_headers": [],
            "resource_params": [],
        }

    # ----- metadata -----

    def server_metadata(self) -> dict:
        metadata = {
            "issuer": self.issuer,
            "authorization_endpoint": f"{self.issuer}/authorize",
            "token_endpoint": f"{self.issuer}/token",
        }
        if "no-dcr" not in self.quirks:
            metadata["registration_endpoint"] = f"{self.issuer}/register"
        metadata.update(
            {
                "revocation_endpoint": f"{self.issuer}/revoke",
                "scopes_supported": list(SCOPES),
                "response_types_supported": ["code"],
                "response_modes_supported": ["query"],
                "grant_types_supported": ["authorization_code", "refresh_token", "client_credentials"],
                "token_endpoint_auth_methods_supported": ["none", "client_secret_basic", "client_secret_post"],
                "revocation_endpoint_auth_methods_supported": ["none", "client_secret_basic", "client_secret_post"],
                "code_challenge_methods_supported": ["S256"],
                "authorization_response_iss_parameter_supported": True,
                "client_id_metadata_document_supported": "no-cimd" not in self.quirks,
            }
        )
        return metadata

    async def authorization_server_metadata(self, request: Request) -> Response:
        return JSONResponse(self.server_metadata())

    async def openid_configuration(self, request: Request) -> Response:
        metadata = self.server_metadata()
        metadata.update(
            {
                "jwks_uri": f"{self.issuer}/jwks",
                "subject_types_supported": ["public"],
                "id_token_signing_alg_values_supported": ["RS256"],
            }
        )
        return JSONResponse(metadata)

    async def jwks(self, request: Request) -> Response:
        return JSONResponse({"keys": []})

    async def protected_resource_metadata(self, request: Request) -> Response:
        return JSONResponse(
            {
                "resource": self.resource,
                "authorization_servers": [self.issuer],
                "scopes_supported": list(SCOPES),
                "bearer_methods_supported": ["header"],
            }
        )

    # ----- clients -----

    async def register(self, request: Request) -> Response:
        body = await read_body(request)
        if body is None:
            return plain_error("invalid_client_metadata", "request body too large")
        try:
            document = json.loads(body)
        except (UnicodeDecodeError, ValueError):
            return plain_error("invalid_client_metadata", "the body must be a JSON object")
        if not isinstance(document, dict):
            return plain_error("invalid_client_metadata", "the body must be a JSON object")
        method = document.get("token_endpoint_auth_method", "client_secret_basic")
        if method not in ("none", "client_secret_basic", "client_secret_post"):
            return plain_error("invalid_client_metadata", f"token_endpoint_auth_method {method!r} is not supported")
        grant_types = document.get("grant_types", ["authorization_code"])
        if not isinstance(grant_types, list) or not all(
            grant in ("authorization_code", "refresh_token") for grant in grant_types
        ):
            return plain_error(
                "invalid_client_metadata", "grant_types may hold authorization_code and refresh_token only"
            )
        response_types = document.get("response_types", ["code"])
        if not isinstance(response_types, list) or not all(kind == "code" for kind in response_types):
            return plain_error("invalid_client_metadata", "response_types may hold code only")
        redirect_uris = document.get("redirect_uris", [])
        if not isinstance(redirect_uris, list) or not all(isinstance(uri, str) for uri in redirect_uris):
            return plain_error("invalid_redirect_uri", "redirect_uris must be a list of strings")
        if "authorization_code" in grant_types and not redirect_uris:
            return plain_error("invalid_redirect_uri", "redirect_uris is required for authorization_code")
        for uri in redirect_uris:
            if not valid_redirect_uri(uri):
                return plain_error("invalid_redirect_uri", f"redirect URI {uri!r} is not allowed")
        client_id = "dcr-" + secrets.token_urlsafe(16)
        secret = None if method == "none" else secrets.token_urlsafe(32)
        if self.registered >= MAX_CLIENTS:
            oldest = next(name for name, known in self.clients.items() if known.kind == "registered")
            del self.clients[oldest]
            self.registered -= 1
        self.clients[client_id] = Client(client_id, secret, list(redirect_uris), list(grant_types), "registered")
        self.registered += 1
        self.stats["registrations"] += 1
        answer = {
            key: value
            for key, value in document.items()
            if key in ("client_name", "client_uri", "logo_uri", "scope", "contacts", "software_id", "software_version")
        }
        answer.update(
            {
                "client_id": client_id,
                "client_id_issued_at": int(time.time()),
                "redirect_uris": redirect_uris,
                "grant_types": grant_types,
                "response_types": response_types,
                "token_endpoint_auth_method": method,
            }
        )
        if secret is not None:
            answer["client_secret"] = secret
            answer["client_secret_expires_at"] = 0
        return JSONResponse(answer, status_code=201, headers={"Cache-Control": "no-store"})

    async def fetch_metadata_document(self, client_id: str) -> tuple[Client | None, str]:
        """The client a client ID metadata document describes, or None and why not."""
        self.stats["cimd_fetches"] += 1
        try:
            async with httpx2.AsyncClient(timeout=CIMD_TIMEOUT, follow_redirects=False, trust_env=False) as http:
                async with http.stream("GET", client_id, headers={"Accept": "application/json"}) as response:
                    if response.status_code != 200:
                        return None, f"the client ID metadata document answered HTTP {response.status_code}"
                    body = b""
                    async for chunk in response.aiter_bytes():
                        body += chunk
                        if len(body) > MAX_BODY:
                            return None, "the client ID metadata document is too large"
        except httpx2.HTTPError as error:
            return None, f"the client ID metadata document could not be fetched: {type(error).__name__}"
        try:
            document = json.loads(body)
        except (UnicodeDecodeError, ValueError):
            return None, "the client ID metadata document is not JSON"
        if not isinstance(document, dict):
            return None, "the client ID metadata document is not a JSON object"
        if document.get("client_id") != client_id:
            return None, "the client ID metadata document names another client_id"
        redirect_uris = document.get("redirect_uris")
        if not isinstance(redirect_uris, list) or not all(isinstance(uri, str) for uri in redirect_uris):
            return None, "the client ID metadata document has no redirect_uris list"
        if document.get("token_endpoint_auth_method", "none") != "none":
            return None, "a client with a metadata document must use token_endpoint_auth_method none"
        grant_types = document.get("grant_types", ["authorization_code"])
        if not isinstance(grant_types, list):
            return None, "grant_types of the client ID metadata document is not a list"
        grant_types = [grant for grant in grant_types if grant in ("authorization_code", "refresh_token")]
        return Client(client_id, None, redirect_uris, grant_types, "metadata-document"), ""

    def known_client(self, client_id: str) -> Client | None:
        """A client for the token and revocation endpoints: registered, --client, or one whose
        metadata document was fetched at /authorize."""
        client = self.clients.get(client_id)
        if client is None and "no-cimd" not in self.quirks:
            client = self.metadata_clients.get(client_id)
        return client

    def authenticate_client(self, request: Request, form: dict[str, str]) -> Client:
        """The client of a token or revocation request (client_secret_basic, client_secret_post or
        none, whichever its registration allows), else an OAuthFailure."""
        header = request.headers.get("authorization", "")
        basic = header[:6].lower() == "basic "
        if basic:
            if "client_secret" in form:
                raise OAuthFailure("invalid_request", "more than one client authentication method")
            try:
                decoded = base64.b64decode(header[6:].strip(), validate=True).decode("utf-8")
                raw_id, raw_secret = decoded.split(":", 1)
            except (ValueError, UnicodeDecodeError):
                raise OAuthFailure("invalid_client", "malformed Basic credentials", 401, basic=True) from None
            client_id, secret = unquote_plus(raw_id), unquote_plus(raw_secret)
            if form.get("client_id") not in (None, client_id):
                raise OAuthFailure("invalid_request", "client_id differs from the authenticated client")
        else:
            client_id, secret = form.get("client_id", ""), form.get("client_secret")
        if not client_id:
            raise OAuthFailure("invalid_client", "client authentication required (or client_id)", 401)
        client = self.known_client(client_id)
        if client is None:
            raise OAuthFailure("invalid_client", "unknown client", 401, basic=basic)
        if client.secret is None:
            if secret:
                raise OAuthFailure("invalid_client", "a public client has no secret", 401, basic=basic)
        elif secret is None:
            raise OAuthFailure("invalid_client", "client authentication required", 401)
        elif not secrets.compare_digest(secret.encode(), client.secret.encode()):
            raise OAuthFailure("invalid_client", "wrong client secret", 401, basic=basic)
        return client

    # ----- scopes and resources -----

    def parse_scope(self, text: str | None) -> list[str] | None:
        """The scopes asked for (in SCOPES order), None when the parameter is absent or empty."""
        if text is None:
            return None
        separators = "[ ,]+" if "comma-scopes" in self.quirks else " +"
        names = [name for name in re.split(separators, text.strip()) if name]
        if not names:
            return None
        unknown = [name for name in names if name not in SCOPES]
        if unknown:
            raise OAuthFailure("invalid_scope", f"unknown scope {unknown[0]!r}; supported: {' '.join(SCOPES)}")
        return [name for name in SCOPES if name in names]

    def check_resources(self, resources: list[str]) -> None:
        for resource in resources:
            bounded_append(self.stats["resource_params"], resource)
        if resources and "reject-resource" in self.quirks:
            raise OAuthFailure("invalid_target", "the resource parameter is not supported")
        for resource in resources:
            if resource != self.resource:
                raise OAuthFailure("invalid_target", f"unknown resource {resource!r}; this server is {self.resource}")

    # ----- authorization endpoint -----

    async def authorize(self, request: Request) -> Response:
        pairs = list(request.query_params.multi_items())
        try:
            params = single_values(pairs)
        except OAuthFailure as failure:
            return plain_error(failure.error, failure.description)
        client_id, redirect_uri = params.get("client_id"), params.get("redirect_uri")
        # Before the client and its redirect URI are trusted, errors are answered, not redirected.
        if not client_id:
            return plain_error("invalid_request", "client_id is missing")
        client = self.clients.get(client_id)
        if client is None and "no-cimd" not in self.quirks and metadata_document_url(client_id):
            client, why = await self.fetch_metadata_document(client_id)
            if client is None:
                return plain_error("invalid_client", why)
            bounded_put(self.metadata_clients, client_id, client)
        if client is None:
            return plain_error("invalid_client", f"unknown client_id {client_id!r}")
        if not redirect_uri:
            return plain_error("invalid_request", "redirect_uri is missing")
        if client.redirect_uris is None:
            if not valid_redirect_uri(redirect_uri):
                return plain_error("invalid_request", f"redirect_uri {redirect_uri!r} is not allowed")
        elif redirect_uri not in client.redirect_uris:
            return plain_error("invalid_request", f"redirect_uri {redirect_uri!r} is not registered for this client")
        state = params.get("state")

        def fail(error: str, description: str) -> Response:
            return redirect(redirect_uri, error=error, error_description=description, state=state, iss=self.issuer)

        if params.get("response_type") != "code":
            return fail("unsupported_response_type", "only response_type=code is supported")
        if "authorization_code" not in client.grant_types:
            return fail("unauthorized_client", "this client did not register the authorization_code grant")
        if not state:
            return fail("invalid_request", "state is required")
        try:
            self.check_resources([value for name, value in pairs if name == "resource"])
            scope = self.parse_scope(params.get("scope")) or list(SCOPES)
        except OAuthFailure as failure:
            return fail(failure.error, failure.description)
        challenge = params.get("code_challenge")
        if not challenge:
            return fail("invalid_request", "PKCE is required: code_challenge is missing")
        if params.get("code_challenge_method") != "S256":
            return fail("invalid_request", "code_challenge_method must be S256")
        if not re.fullmatch(r"[A-Za-z0-9_-]{43}", challenge):
            return fail("invalid_request", "code_challenge is not a base64url SHA-256 digest")
        hint = params.get("login_hint")
        user = hint if hint else self.users[0]
        if user not in self.users:
            return fail("access_denied", f"no user matches login_hint {hint!r}")
        code = secrets.token_urlsafe(32)
        grant = Grant(user=user, client_id=client.client_id, scope=scope)
        bounded_put(
            self.codes,
            code,
            Code(grant, redirect_uri, challenge),
            expired=lambda entry, now: now > entry.expires_at,
        )
        return redirect(redirect_uri, code=code, state=state, iss=self.issuer)

    # ----- token endpoint -----

    def expires_in(self, seconds: int) -> dict:
        if "no-expires-in" in self.quirks:
            return {}
        return {"expires_in": str(seconds) if "expires-in-string" in self.quirks else seconds}

    def token_answer(self, fields: dict) -> Response:
        if "ok-false" in self.quirks:
            fields = {"ok": True, **fields}
        headers = {"Cache-Control": "no-store", "Pragma": "no-cache"}
        if "form-response" in self.quirks:
            return Response(form_encode(fields), media_type="application/x-www-form-urlencoded", headers=headers)
        return JSONResponse(fields, headers=headers)

    def token_error(self, failure: OAuthFailure) -> Response:
        status = failure.status
        if "ok-false" in self.quirks:
            fields: dict = {"ok": False, "error": failure.error}
            status = 200
        else:
            fields = {"error": failure.error, "error_description": failure.description}
            if "error-200" in self.quirks:
                status = 200
        headers = {"Cache-Control": "no-store", "Pragma": "no-cache"}
        if failure.basic and status == 401:
            headers["WWW-Authenticate"] = 'Basic realm="oauth-simulator"'
        if "form-response" in self.quirks:
            return Response(
                form_encode(fields), status_code=status, media_type="application/x-www-form-urlencoded", headers=headers
            )
        return JSONResponse(fields, status_code=status, headers=headers)

    def issue(self, grant: Grant, scope: list[str], refresh: bool) -> dict:
        """Mints an access token (and a refresh token when `refresh`): the fields of the answer."""
        now = time.time()
        access_token = secrets.token_urlsafe(32)
        bounded_put(
            self.access_tokens,
            access_token,
            AccessToken(grant, scope, now + self.options.access_lifetime),
            expired=lambda entry, at: at > entry.expires_at,
        )
        fields = {
            "access_token": access_token,
            "token_type": "bearer" if "lowercase-bearer" in self.quirks else "Bearer",
            **self.expires_in(self.options.access_lifetime),
        }
        if refresh:
            refresh_token = secrets.token_urlsafe(32)
            bounded_put(
                self.refresh_tokens,
                refresh_token,
                RefreshToken(grant, now + self.options.refresh_lifetime),
                expired=lambda entry, at: at > entry.expires_at,
            )
            fields["refresh_token"] = refresh_token
        fields["scope"] = ("," if "comma-scopes" in self.quirks else " ").join(scope)
        return fields

    async def token(self, request: Request) -> Response:
        try:
            return self.token_answer(await self.token_grant(request))
        except OAuthFailure as failure:
            return self.token_error(failure)

    async def token_grant(self, request: Request) -> dict:
        pairs = await read_form(request)
        grant_type = dict(pairs).get("grant_type")
        if grant_type in self.stats["token_requests"]:
            self.stats["token_requests"][grant_type] += 1
        form = single_values(pairs)
        client = self.authenticate_client(request, form)
        if grant_type is None:
            raise OAuthFailure("invalid_request", "grant_type is missing")
        if grant_type not in self.stats["token_requests"]:
            raise OAuthFailure("unsupported_grant_type", f"grant_type {grant_type!r} is not supported")
        self.check_resources([value for name, value in pairs if name == "resource"])
        if grant_type == "authorization_code":
            return self.authorization_code_grant(client, form)
        if grant_type == "refresh_token":
            return self.refresh_token_grant(client, form)
        return self.client_credentials_grant(client, form)

    def authorization_code_grant(self, client: Client, form: dict[str, str]) -> dict:
        if not form.get("code"):
            raise OAuthFailure("invalid_request", "code is missing")
        code = self.codes.pop(form["code"], None)  # good for one exchange only
        if code is None:
            raise OAuthFailure("invalid_grant", "unknown or already used authorization code")
        if time.time() > code.expires_at:
            raise OAuthFailure("invalid_grant", "authorization code expired")
        if code.grant.client_id != client.client_id:
            raise OAuthFailure("invalid_grant", "the authorization code was issued to another client")
        if form.get("redirect_uri") != code.redirect_uri:
            raise OAuthFailure("invalid_grant", "redirect_uri differs from the authorization request")
        verifier = form.get("code_verifier")
        if not verifier:
            raise OAuthFailure("invalid_request", "code_verifier is missing")
        if not VERIFIER.fullmatch(verifier):
            raise OAuthFailure("invalid_request", "code_verifier is malformed")
        if not secrets.compare_digest(create_s256_code_challenge(verifier), code.code_challenge):
            raise OAuthFailure("invalid_grant", "code_verifier does not match the code_challenge")
        return self.issue(code.grant, code.grant.scope, refresh="refresh_token" in client.grant_types)

    def refresh_token_grant(self, client: Client, form: dict[str, str]) -> dict:
        if "refresh_token" not in client.grant_types:
            raise OAuthFailure("unauthorized_client", "this client did not register the refresh_token grant")
        presented = form.get("refresh_token")
        if not presented:
            raise OAuthFailure("invalid_request", "refresh_token is missing")
        entry = self.refresh_tokens.get(presented)
        if entry is None or entry.grant.revoked:
            raise OAuthFailure("invalid_grant", "unknown, rotated or revoked refresh token")
        if time.time() > entry.expires_at:
            del self.refresh_tokens[presented]
            raise OAuthFailure("invalid_grant", "refresh token expired")
        if entry.grant.client_id != client.client_id:
            raise OAuthFailure("invalid_grant", "the refresh token was issued to another client")
        scope = self.parse_scope(form.get("scope")) or entry.grant.scope
        if not set(scope) <= set(entry.grant.scope):
            raise OAuthFailure("invalid_scope", "a refresh cannot widen the scope granted")
        rotate = "never-rotate" not in self.quirks
        if rotate and "rotate-keep-old" not in self.quirks:
            del self.refresh_tokens[presented]
        self.stats["refreshes_ok"] += 1
        return self.issue(entry.grant, scope, refresh=rotate)

    def client_credentials_grant(self, client: Client, form: dict[str, str]) -> dict:
        if client.kind != "preregistered" or client.secret is None:
            raise OAuthFailure("unauthorized_client", "client_credentials is for pre-registered confidential clients")
        scope = self.parse_scope(form.get("scope")) or list(SCOPES)
        return self.issue(Grant(user=None, client_id=client.client_id, scope=scope), scope, refresh=False)

    # ----- revocation endpoint -----

    async def revoke(self, request: Request) -> Response:
        try:
            form = single_values(await read_form(request))
            client = self.authenticate_client(request, form)
        except OAuthFailure as failure:
            return plain_error(failure.error, failure.description, failure.status, failure.basic)
        token = form.get("token")
        if not token:
            return plain_error("invalid_request", "token is missing")
        # A token that is unknown, or another client's, is answered as revoked (RFC 7009 section 2.2).
        access = self.access_tokens.get(token)
        if access is not None and access.grant.client_id == client.client_id:
            del self.access_tokens[token]
            self.stats["revocations"] += 1
        refresh = self.refresh_tokens.get(token)
        if refresh is not None and refresh.grant.client_id == client.client_id:
            # Revoking a refresh token ends its whole authorization, access tokens included.
            grant = refresh.grant
            grant.revoked = True
            for table in (self.refresh_tokens, self.access_tokens):
                for name in [name for name, entry in table.items() if entry.grant is grant]:
                    del table[name]
            self.stats["revocations"] += 1
        return Response(status_code=200, headers={"Cache-Control": "no-store"})

    # ----- the protected MCP endpoint -----

    def challenge(self, error: str | None) -> str:
        params = [f'error="{error}"'] if error else []
        if "no-www-authenticate" not in self.quirks:
            params.append(f'resource_metadata="{self.resource_metadata_url}"')
        return "Bearer " + ", ".join(params) if params else "Bearer"

    def refuse(self, reason: str, request_id) -> Response:
        """The answer to a presented access token that is expired, revoked or unknown."""
        if "expired-200" in self.quirks:
            return JSONResponse(
                {
                    "jsonrpc": "2.0",
                    "id": request_id,
                    "error": {"code": -32001, "message": "Unauthorized: access token expired"},
                }
            )
        status = 403 if "expired-403" in self.quirks else 401
        return JSONResponse(
            {"error": "invalid_token", "error_description": reason},
            status_code=status,
            headers={"WWW-Authenticate": self.challenge("invalid_token")},
        )

    async def mcp(self, request: Request) -> Response:
        for value in request.headers.getlist("authorization"):
            bounded_append(self.stats["authorization_headers"], value)
        body = await read_body(request) if request.method == "POST" else b""
        if body is None:
            return rpc_error(None, -32600, "request body too large", 413)
        message = None
        try:
            message = json.loads(body) if body else None
        except (UnicodeDecodeError, ValueError):
            pass
        request_id = message.get("id") if isinstance(message, dict) else None
        if not isinstance(request_id, (str, int)) or isinstance(request_id, bool):
            request_id = None

        header = request.headers.get("authorization", "")
        if not header.startswith("Bearer ") or not header[7:].strip():
            # No credentials in the Bearer scheme (compared case-sensitively): a plain challenge.
            return JSONResponse(
                {"error": "unauthorized", "error_description": "a Bearer access token is required"},
                status_code=401,
                headers={"WWW-Authenticate": self.challenge(None)},
            )
        token = self.access_tokens.get(header[7:].strip())
        if token is None or token.grant.revoked:
            return self.refuse("unknown or revoked access token", request_id)
        if time.time() > token.expires_at:
            return self.refuse("access token expired", request_id)

        if request.method != "POST":
            return Response(status_code=405, headers={"Allow": "POST"})
        if message is None and body:
            return rpc_error(None, -32700, "parse error", 400)
        if not isinstance(message, dict) or message.get("jsonrpc") != "2.0":
            return rpc_error(request_id, -32600, "invalid request: one JSON-RPC 2.0 object per POST", 400)
        method = message.get("method")
        if "method" not in message and ("result" in message or "error" in message):
            return Response(status_code=202)  # the client's answer to a request: accepted
        if not isinstance(method, str):
            return rpc_error(request_id, -32600, "invalid request: method is missing", 400)
        if "id" not in message:
            return Response(status_code=202)  # a notification (notifications/initialized and the like)
        if request_id is None:
            return rpc_error(None, -32600, "invalid request: id must be a string or an integer", 400)
        params = message.get("params")
        params = params if isinstance(params, dict) else {}
        headers = {}
        if "bind-session" in self.quirks and method != "initialize":
            session = request.headers.get("mcp-session-id")
            if session is None or session not in self.session_users or self.session_users[session] != token.grant.user:
                return rpc_error(request_id, -32001, "Session not found", 404)
        if method == "initialize":
            asked = params.get("protocolVersion")
            session = secrets.token_hex(16)
            bounded_put(self.sessions, session, time.time())
            bounded_put(self.session_users, session, token.grant.user)
            headers["Mcp-Session-Id"] = session
            result = {
                "protocolVersion": asked if asked in PROTOCOL_VERSIONS else LATEST_PROTOCOL_VERSION,
                "capabilities": {"tools": {}},
                "serverInfo": {"name": "oauth-simulator", "version": "1"},
            }
        elif method == "ping":
            result = {}
        elif method == "tools/list":
            result = {
                "tools": [
                    {
                        "name": "whoami",
                        "description": "The user, client and scope of the access token of this request.",
                        "inputSchema": {"type": "object", "properties": {}},
                    }
                ]
            }
        elif method == "tools/call":
            if params.get("name") != "whoami":
                return rpc_error(request_id, -32602, f"unknown tool {params.get('name')!r}")
            user = token.grant.user if token.grant.user is not None else "-"
            text = f"user={user} client={token.grant.client_id} scope={' '.join(token.scope)}"
            result = {"content": [{"type": "text", "text": text}], "isError": False}
        else:
            return rpc_error(request_id, -32601, f"method not found: {method}")
        return JSONResponse({"jsonrpc": "2.0", "id": request_id, "result": result}, headers=headers)

    # ----- introspection for the tests -----

    async def stats_view(self, request: Request) -> Response:
        return JSONResponse(self.stats)

    async def expire_all(self, request: Request) -> Response:
        past = time.time() - 1
        for entry in self.access_tokens.values():
            entry.expires_at = past
        expired = {"access_tokens": len(self.access_tokens), "refresh_tokens": 0}
        if request.query_params.get("refresh_tokens") in ("1", "true"):
            for entry in self.refresh_tokens.values():
                entry.expires_at = past
            expired["refresh_tokens"] = len(self.refresh_tokens)
        return JSONResponse({"expired": expired})

    def app(self) -> Starlette:
        prefix = self.prefix
        routes = [
            Route("/.well-known/oauth-protected-resource", self.protected_resource_metadata, methods=["GET"]),
            Route("/.well-known/oauth-protected-resource/mcp", self.protected_resource_metadata, methods=["GET"]),
            Route("/mcp", self.mcp, methods=["GET", "POST", "DELETE"]),
            Route("/_stats", self.stats_view, methods=["GET"]),
            Route("/_expire_all", self.expire_all, methods=["POST"]),
            Route(f"{prefix}/authorize", self.authorize, methods=["GET"]),
            Route(f"{prefix}/token", self.token, methods=["POST"]),
            Route(f"{prefix}/revoke", self.revoke, methods=["POST"]),
            Route(f"{prefix}/jwks", self.jwks, methods=["GET"]),
        ]
        if "no-dcr" not in self.quirks:
            routes.append(Route(f"{prefix}/register", self.register, methods=["POST"]))
        if prefix:
            # RFC 8414 inserts the well-known segment before the issuer's path; OpenID Connect
            # Discovery appends it. Nothing at the root's well-known addresses.
            if "openid-only" not in self.quirks:
                routes.append(
                    Route(f"/.well-known/oauth-authorization-server{prefix}", self.authorization_server_metadata)
                )
            routes.append(Route(f"/.well-known/openid-configuration{prefix}", self.openid_configuration))
            routes.append(Route(f"{prefix}/.well-known/openid-configuration", self.openid_configuration))
        else:
            if "openid-only" not in self.quirks:
                routes.append(Route("/.well-known/oauth-authorization-server", self.authorization_server_metadata))
            routes.append(Route("/.well-known/openid-configuration", self.openid_configuration))
        return Starlette(routes=routes)


def rpc_error(request_id, code: int, message: str, status: int = 200) -> Response:
    return JSONResponse(
        {"jsonrpc": "2.0", "id": request_id, "error": {"code": code, "message": message}}, status_code=status
    )


def parse_client(text: str) -> Client:
    client_id, _, secret = text.partition(":")
    if not client_id:
        raise argparse.ArgumentTypeError(f"--client wants ID:SECRET (or ID for a public client), got {text!r}")
    grant_types = ["authorization_code", "refresh_token"] + (["client_credentials"] if secret else [])
    return Client(client_id, secret or None, None, grant_types, "preregistered")


def parse_options(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description="Upstream MCP server with its own OAuth authorization server.")
    parser.add_argument("port", type=int)
    parser.add_argument("--quirk", action="append", choices=QUIRKS, metavar="NAME", help=", ".join(QUIRKS))
    parser.add_argument("--access-lifetime", type=int, default=3600, metavar="SECONDS")
    parser.add_argument("--refresh-lifetime", type=int, default=86400, metavar="SECONDS")
    parser.add_argument("--client", action="append", type=parse_client, metavar="ID:SECRET")
    parser.add_argument("--redirect-uri", action="append", metavar="URI", help="the redirect URIs of --client clients")
    parser.add_argument("--user", action="append", metavar="NAME")
    options = parser.parse_args(argv)
    quirks = set(options.quirk or [])
    if len(quirks & {"rotate-refresh", "never-rotate", "rotate-keep-old"}) > 1:
        parser.error("rotate-refresh, never-rotate and rotate-keep-old exclude one another")
    if {"error-200", "ok-false"} <= quirks:
        parser.error("error-200 and ok-false exclude one another")
    if options.access_lifetime < 1 or options.refresh_lifetime < 1:
        parser.error("lifetimes are at least one second")
    for uri in options.redirect_uri or []:
        if not valid_redirect_uri(uri):
            parser.error(f"--redirect-uri {uri!r}: absolute, no fragment, http only on loopback")
    for client in options.client or []:
        client.redirect_uris = list(options.redirect_uri) if options.redirect_uri else None
    return options


async def serve(options: argparse.Namespace) -> None:
    simulator = Simulator(options)
    config = uvicorn.Config(
        simulator.app(), host="127.0.0.1", port=options.port, log_level="warning", access_log=False, lifespan="off"
    )
    server = uvicorn.Server(config)
    task = asyncio.create_task(server.serve())
    while not server.started:
        if task.done():
            await task  # startup failed: let its exception (or exit) through
            raise SystemExit(f"upstream_oauth_simulator: could not listen on 127.0.0.1:{options.port}")
        await asyncio.sleep(0.01)
    print("listening", flush=True)
    await task


if __name__ == "__main__":
    asyncio.run(serve(parse_options(sys.argv[1:])))
