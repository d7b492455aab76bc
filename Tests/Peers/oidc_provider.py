"""An external OpenID Connect provider on loopback for the gateway's federated sign-in tests.

Run: python oidc_provider.py PORT --client-id ID --client-secret SECRET --redirect-uri URI
         --user SUB:EMAIL:GROUP1,GROUP2 [--user ...] [--id-token-alg RS256|ES256] [--keys FILE]
         [--bad-signature] [--wrong-audience] [--wrong-issuer] [--wrong-nonce] [--expired]

It listens on 127.0.0.1:PORT with issuer http://127.0.0.1:PORT and serves
  GET  /.well-known/openid-configuration   discovery (RS256 and ES256 ID tokens, PKCE S256)
  GET  /jwks                               the public signing keys (one RSA, one EC)
  GET  /authorize                          no sign-in page: approves at once, for the user named by
                                           `login_hint` (subject or email) or else the first --user,
                                           and redirects to the redirect URI with code, state and iss
  POST /token                              authorization_code grant with PKCE S256, client
                                           authentication client_secret_basic or client_secret_post;
                                           answers access_token and an ID token with iss, sub,
                                           aud, exp, iat, nonce, email and groups
  GET  /userinfo                           the claims of the user an access token was issued for
It prints "listening" on standard output once it accepts connections. A --user without
groups is written SUB:EMAIL (or SUB:EMAIL:). --redirect-uri may be repeated.

Each attack flag makes every ID token defective in one way, so a test can check the gateway
refuses it:
  --bad-signature   signed by a key that is not published, under the kid of the published one
  --wrong-audience  aud names another client
  --wrong-issuer    iss names another issuer
  --wrong-nonce     nonce differs from the one of the authorization request
  --expired         exp (and iat) lie in the past
The authorization response, discovery and /userinfo stay correct.
"""

import argparse
import asyncio
import json
import os
import base64
import html
import secrets
import sys
import time
from dataclasses import dataclass, field
from urllib.parse import unquote, urlencode, urlsplit, urlunsplit, parse_qsl

import uvicorn
from authlib.oauth2.rfc7636 import create_s256_code_challenge
from joserfc import jwt
from joserfc.jwk import ECKey, KeySet, RSAKey
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from starlette.routing import Route

CODE_LIFETIME = 60
TOKEN_LIFETIME = 3600


@dataclass
class User:
    sub: str
    email: str
    groups: list[str]


@dataclass
class Grant:
    """What an authorization code (and later the access token) stands for."""

    user: User
    redirect_uri: str
    code_challenge: str
    nonce: str | None
    scope: str
    expires_at: float = field(default_factory=lambda: time.time() + CODE_LIFETIME)


def parse_user(text: str) -> User:
    parts = text.split(":", 2)
    if len(parts) < 2 or not parts[0] or not parts[1]:
        raise argparse.ArgumentTypeError(f"--user wants SUB:EMAIL:GROUP1,GROUP2, got {text!r}")
    groups = [group for group in (parts[2].split(",") if len(parts) == 3 else []) if group]
    return User(sub=parts[0], email=parts[1], groups=groups)


class Provider:
    def __init__(self, options: argparse.Namespace):
        self.options = options
        self.issuer = f"http://127.0.0.1:{options.port}"
        self.users: list[User] = options.user
        self.codes: dict[str, Grant] = {}
        self.access_tokens: dict[str, tuple[User, float]] = {}
        self.rsa_key, self.ec_key = signing_keys(options.keys)
        # Same kid as the published keys, different key material: what --bad-signature signs with.
        self.rogue_keys = {
            "RS256": RSAKey.generate_key(2048, parameters={"kid": "rsa-1", "use": "sig", "alg": "RS256"}),
            "ES256": ECKey.generate_key("P-256", parameters={"kid": "ec-1", "use": "sig", "alg": "ES256"}),
        }

    # ----- helpers -----

    def discovery(self) -> dict:
        return {
            "issuer": self.issuer,
            "authorization_endpoint": f"{self.issuer}/authorize",
            "token_endpoint": f"{self.issuer}/token",
            "userinfo_endpoint": f"{self.issuer}/userinfo",
            "jwks_uri": f"{self.issuer}/jwks",
            "response_types_supported": ["code"],
            "response_modes_supported": ["query"],
            "grant_types_supported": ["authorization_code"],
            "subject_types_supported": ["public"],
            "id_token_signing_alg_values_supported": ["RS256", "ES256"],
            "scopes_supported": ["openid", "email", "profile", "groups"],
            "claims_supported": ["iss", "sub", "aud", "exp", "iat", "nonce", "email", "email_verified", "groups"],
            "token_endpoint_auth_methods_supported": ["client_secret_basic", "client_secret_post"],
            "code_challenge_methods_supported": ["S256"],
            "authorization_response_iss_parameter_supported": True,
        }

    def find_user(self, hint: str | None) -> User | None:
        if not hint:
            return self.users[0]
        for user in self.users:
            if hint in (user.sub, user.email):
                return user
        return None

    def id_token(self, grant: Grant) -> str:
        options = self.options
        now = int(time.time())
        claims = {
            "iss": self.issuer,
            "sub": grant.user.sub,
            "aud": options.client_id,
            "iat": now,
            "exp": now + TOKEN_LIFETIME,
            "email": grant.user.email,
            "email_verified": True,
            "groups": grant.user.groups,
        }
        if grant.nonce is not None:
            claims["nonce"] = grant.nonce
        if options.wrong_audience:
            claims["aud"] = f"not-{options.client_id}"
        if options.wrong_issuer:
            claims["iss"] = "http://issuer.invalid"
        if options.wrong_nonce:
            claims["nonce"] = "not-" + (grant.nonce or secrets.token_urlsafe(16))
        if options.expired:
            claims["iat"] = now - 2 * TOKEN_LIFETIME
            claims["exp"] = now - TOKEN_LIFETIME
        alg = options.id_token_alg
        key = self.rsa_key if alg == "RS256" else self.ec_key
        if options.bad_signature:
            key = self.rogue_keys[alg]
        return jwt.encode({"alg": alg, "kid": key.kid}, claims, key)

    def authenticate_client(self, request: Request, form: dict[str, str]) -> Response | None:
        """None when the client authenticated (client_secret_basic or client_secret_post)."""
        header = request.headers.get("authorization", "")
        if header[:6].lower() == "basic ":
            if "client_secret" in form:
                return oauth_error("invalid_request", "more than one client authentication method", 400)
            try:
                decoded = base64.b64decode(header[6:].strip(), validate=True).decode()
                client_id, client_secret = (unquote(part) for part in decoded.split(":", 1))
            except (ValueError, UnicodeDecodeError):
                return oauth_error("invalid_client", "malformed Basic credentials", 401)
            if form.get("client_id") not in (None, client_id):
                return oauth_error("invalid_request", "client_id differs from the authenticated client", 400)
        elif "client_secret" in form:
            client_id, client_secret = form.get("client_id", ""), form["client_secret"]
        else:
            return oauth_error("invalid_client", "client authentication required", 401)
        if not (
            secrets.compare_digest(client_id, self.options.client_id)
            and secrets.compare_digest(client_secret, self.options.client_secret)
        ):
            return oauth_error("invalid_client", "unknown client or wrong secret", 401)
        return None

    # ----- endpoints -----

    async def well_known(self, request: Request) -> Response:
        return JSONResponse(self.discovery())

    async def jwks(self, request: Request) -> Response:
        return JSONResponse(KeySet([self.rsa_key, self.ec_key]).as_dict(private=False))

    async def authorize(self, request: Request) -> Response:
        params = dict(request.query_params)
        if request.method == "POST":
            params.update(dict(await request.form()))
        client_id, redirect_uri = params.get("client_id"), params.get("redirect_uri")
        # Before the client and its redirect URI are trusted, errors are shown, not redirected.
        if client_id != self.options.client_id:
            return error_page(f"unknown client_id {client_id!r}")
        if redirect_uri not in self.options.redirect_uri:
            return error_page(f"redirect_uri {redirect_uri!r} is not registered for this client")
        state = params.get("state")

        def fail(error: str, description: str) -> Response:
            return redirect(redirect_uri, error=error, error_description=description, state=state, iss=self.issuer)

        if params.get("response_type") != "code":
            return fail("unsupported_response_type", "only response_type=code is supported")
        scope = params.get("scope", "")
        if "openid" not in scope.split():
            return fail("invalid_scope", "scope must include openid")
        if not params.get("code_challenge"):
            return fail("invalid_request", "PKCE is required: code_challenge is missing")
        if params.get("code_challenge_method") != "S256":
            return fail("invalid_request", "code_challenge_method must be S256")
        user = self.find_user(params.get("login_hint"))
        if user is None:
            return fail("access_denied", f"no user matches login_hint {params.get('login_hint')!r}")
        code = secrets.token_urlsafe(32)
        self.codes[code] = Grant(
            user=user,
            redirect_uri=redirect_uri,
            code_challenge=params["code_challenge"],
            nonce=params.get("nonce"),
            scope=scope,
        )
        return redirect(redirect_uri, code=code, state=state, iss=self.issuer)

    async def token(self, request: Request) -> Response:
        form = {key: value for key, value in (await request.form()).items() if isinstance(value, str)}
        failure = self.authenticate_client(request, form)
        if failure is not None:
            return failure
        if form.get("grant_type") != "authorization_code":
            return oauth_error("unsupported_grant_type", f"grant_type {form.get('grant_type')!r} is not supported")
        grant = self.codes.pop(form.get("code", ""), None)  # a code is good for one exchange only
        if grant is None:
            return oauth_error("invalid_grant", "unknown or already used authorization code")
        if time.time() > grant.expires_at:
            return oauth_error("invalid_grant", "authorization code expired")
        if form.get("redirect_uri") != grant.redirect_uri:
            return oauth_error("invalid_grant", "redirect_uri differs from the authorization request")
        verifier = form.get("code_verifier")
        if not verifier:
            return oauth_error("invalid_request", "code_verifier is missing")
        if not secrets.compare_digest(create_s256_code_challenge(verifier), grant.code_challenge):
            return oauth_error("invalid_grant", "code_verifier does not match the code_challenge")
        access_token = secrets.token_urlsafe(32)
        self.access_tokens[access_token] = (grant.user, time.time() + TOKEN_LIFETIME)
        body = {
            "access_token": access_token,
            "token_type": "Bearer",
            "expires_in": TOKEN_LIFETIME,
            "scope": grant.scope,
            "id_token": self.id_token(grant),
        }
        return JSONResponse(body, headers={"Cache-Control": "no-store", "Pragma": "no-cache"})

    async def userinfo(self, request: Request) -> Response:
        header = request.headers.get("authorization", "")
        entry = self.access_tokens.get(header[7:].strip()) if header[:7].lower() == "bearer " else None
        if entry is None or time.time() > entry[1]:
            return Response(status_code=401, headers={"WWW-Authenticate": 'Bearer error="invalid_token"'})
        user = entry[0]
        return JSONResponse({"sub": user.sub, "email": user.email, "email_verified": True, "groups": user.groups})

    def app(self) -> Starlette:
        return Starlette(
            routes=[
                Route("/.well-known/openid-configuration", self.well_known, methods=["GET"]),
                Route("/jwks", self.jwks, methods=["GET"]),
                Route("/authorize", self.authorize, methods=["GET", "POST"]),
                Route("/token", self.token, methods=["POST"]),
                Route("/userinfo", self.userinfo, methods=["GET", "POST"]),
            ]
        )


def oauth_error(error: str, description: str, status: int = 400) -> Response:
    headers = {"Cache-Control": "no-store"}
    if status == 401:
        headers["WWW-Authenticate"] = 'Basic realm="oidc-provider"'
    return JSONResponse({"error": error, "error_description": description}, status_code=status, headers=headers)


def error_page(message: str) -> Response:
    return HTMLResponse(f"<!doctype html><title>Error</title><p>{html.escape(message)}</p>", status_code=400)


def redirect(uri: str, **params: str | None) -> Response:
    """A 302 to `uri` with `params` (those that are not None) added to its query."""
    parts = urlsplit(uri)
    query = parse_qsl(parts.query, keep_blank_values=True)
    query += [(name, value) for name, value in params.items() if value is not None]
    return RedirectResponse(urlunsplit(parts._replace(query=urlencode(query))), status_code=302)


def signing_keys(path: str | None) -> tuple[RSAKey, ECKey]:
    """The published signing keys: read from `path` when it exists, else made (and saved there),
    so that a provider started again keeps its keys, as a real one does."""
    if path and os.path.exists(path):
        with open(path) as file:
            saved = json.load(file)
        return RSAKey.import_key(saved["rsa"]), ECKey.import_key(saved["ec"])
    rsa_key = RSAKey.generate_key(2048, parameters={"kid": "rsa-1", "use": "sig", "alg": "RS256"})
    ec_key = ECKey.generate_key("P-256", parameters={"kid": "ec-1", "use": "sig", "alg": "ES256"})
    if path:
        with open(path, "w") as file:
            json.dump({"rsa": rsa_key.as_dict(private=True), "ec": ec_key.as_dict(private=True)}, file)
    return rsa_key, ec_key


def parse_options(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description="External OpenID Connect provider for the gateway tests.")
    parser.add_argument("port", type=int)
    parser.add_argument("--client-id", required=True)
    parser.add_argument("--client-secret", required=True)
    parser.add_argument("--redirect-uri", required=True, action="append")
    parser.add_argument("--user", required=True, action="append", type=parse_user, metavar="SUB:EMAIL:GROUPS")
    parser.add_argument("--id-token-alg", choices=["RS256", "ES256"], default="RS256")
    parser.add_argument("--keys", metavar="FILE", help="keep the signing keys in FILE across runs")
    for flag in ("--bad-signature", "--wrong-audience", "--wrong-issuer", "--wrong-nonce", "--expired"):
        parser.add_argument(flag, action="store_true")
    return parser.parse_args(argv)


async def serve(options: argparse.Namespace) -> None:
    provider = Provider(options)
    config = uvicorn.Config(
        provider.app(), host="127.0.0.1", port=options.port, log_level="warning", access_log=False, lifespan="off"
    )
    server = uvicorn.Server(config)
    task = asyncio.create_task(server.serve())
    while not server.started:
        if task.done():
            await task  # startup failed: let its exception (or exit) through
            raise SystemExit(f"oidc_provider: could not listen on 127.0.0.1:{options.port}")
        await asyncio.sleep(0.01)
    print("listening", flush=True)
    await task


if __name__ == "__main__":
    asyncio.run(serve(parse_options(sys.argv[1:])))
