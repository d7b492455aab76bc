"""A headless browser for the gateway's authorization endpoint, shared by the OAuth client peers.

Not run on its own: oauth_sdk_client.py and oauth_authlib_client.py import it.

`authorize()` opens an authorization URL the way a user's browser would and walks the
gateway's pages until the gateway redirects to the client's redirect URI:
  - a page whose single form has a password field is the sign-in page: the form is submitted
    with all its hidden inputs plus `username` and `password`;
  - a page whose single form has submit buttons named `decision` is the consent page: the form
    is submitted with all its hidden inputs plus `decision=<approve|deny>`;
  - a redirect to anywhere else is followed with GET.
The final redirect is captured, not followed (nothing listens at the redirect URI), and its
query parameters are returned. Cookies are dropped before every request so the flow must work
on the form fields alone. Every failure raises AuthorizationError naming the step, the HTTP
status and the page text.
"""

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import parse_qsl, urljoin, urlsplit

import httpx2

MAX_STEPS = 8
_TEXT_LIMIT = 1500


class AuthorizationError(Exception):
    """The authorization endpoint did not lead to a redirect carrying a code."""


@dataclass
class Form:
    action: str | None = None
    method: str = "get"
    # (name, value) in document order: hidden inputs and the default values of other fields.
    fields: list[tuple[str, str]] = field(default_factory=list)
    # Names of text-like inputs, and the named submit buttons as (name, value).
    inputs: dict[str, str] = field(default_factory=dict)
    buttons: list[tuple[str, str]] = field(default_factory=list)


class _FormParser(HTMLParser):
    """Collects every form of a page with its inputs and buttons (attribute values come unescaped)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.forms: list[Form] = []
        self._current: Form | None = None
        self._button: dict[str, str] | None = None
        self._button_text: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = {name.lower(): value or "" for name, value in attrs}
        if tag == "form":
            self._current = Form(action=attributes.get("action"), method=(attributes.get("method") or "get").lower())
            self.forms.append(self._current)
            return
        if self._current is None:
            return
        name = attributes.get("name")
        if tag == "input" and name:
            kind = (attributes.get("type") or "text").lower()
            value = attributes.get("value", "")
            if kind in ("submit", "image"):
                self._current.buttons.append((name, value))
            elif kind in ("checkbox", "radio"):
                if "checked" in attributes:
                    self._current.fields.append((name, value or "on"))
            elif kind not in ("button", "reset", "file"):
                self._current.fields.append((name, value))
                self._current.inputs[name] = kind
        elif tag == "button":
            kind = (attributes.get("type") or "submit").lower()
            if kind == "submit" and name:
                self._button = {"name": name, "value": attributes.get("value")}
                self._button_text = []
        elif tag in ("textarea", "select") and name:
            self._current.fields.append((name, ""))
            self._current.inputs[name] = tag

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._current = None
        elif tag == "button" and self._button is not None and self._current is not None:
            value = self._button["value"]
            self._current.buttons.append(
                (self._button["name"], value if value is not None else "".join(self._button_text).strip())
            )
            self._button = None

    def handle_data(self, data: str) -> None:
        if self._button is not None:
            self._button_text.append(data)
        self.text.append(data)


def parse_forms(body: str) -> list[Form]:
    """Every form of an HTML page, with its inputs and buttons."""
    parser = _FormParser()
    parser.feed(body)
    return parser.forms


def page_text(body: str) -> str:
    """The readable text of an HTML (or any) body, for error messages."""
    parser = _FormParser()
    try:
        parser.feed(body)
        text = " ".join(parser.text)
    except Exception:
        text = body
    text = re.sub(r"\s+", " ", text).strip() or body.strip()
    return text[:_TEXT_LIMIT] + ("…" if len(text) > _TEXT_LIMIT else "")


def _same_endpoint(url: str, redirect_uri: str) -> bool:
    a, b = urlsplit(url), urlsplit(redirect_uri)
    return (a.scheme.lower(), a.netloc.lower(), a.path or "/") == (b.scheme.lower(), b.netloc.lower(), b.path or "/")


def _describe(step: str, response: httpx2.Response) -> str:
    where = f"{response.request.method} {response.url.copy_with(query=None)}"
    return f"{step}: HTTP {response.status_code} from {where}: {page_text(response.text)}"


async def authorize(
    http: httpx2.AsyncClient,
    authorization_url: str,
    redirect_uri: str,
    username: str,
    password: str,
    decision: str = "approve",
    federate: str | None = None,
) -> dict[str, str]:
    """Walk from `authorization_url` to the redirect to `redirect_uri`; return its query parameters.

    With `federate`, the sign-in page's button of that external provider is used instead of
    the password form, and the redirects through the provider are followed.

    Raises AuthorizationError on an unexpected status or page, on a redirect carrying `error`,
    or when the sign-in or consent page comes back instead of moving on.
    """
    step = "authorization request"
    http.cookies.clear()
    response = await http.get(authorization_url, follow_redirects=False)
    seen: dict[str, int] = {}
    for _ in range(MAX_STEPS):
        if response.is_redirect:
            location = urljoin(str(response.url), response.headers["location"])
            if _same_endpoint(location, redirect_uri):
                params = dict(parse_qsl(urlsplit(location).query, keep_blank_values=True))
                if "error" in params:
                    description = params.get("error_description", "")
                    raise AuthorizationError(
                        f"{step}: redirected with error={params['error']}"
                        + (f" ({description})" if description else "")
                        + f", state={params.get('state')!r}, iss={params.get('iss')!r}"
                    )
                if "code" not in params:
                    raise AuthorizationError(f"{step}: redirect to the client carries no code: {location}")
                return params
            http.cookies.clear()
            response = await http.get(location, follow_redirects=False)
            continue

        if response.status_code != 200:
            raise AuthorizationError(_describe(step, response))
        parser = _FormParser()
        parser.feed(response.text)
        federated = [f for f in parser.forms if ("provider", federate) in f.buttons] if federate else []
        password_forms = [f for f in parser.forms if "password" in f.inputs.values()]
        if federated:
            form = federated[0]
            fields = list(form.fields) + [("provider", federate)]
            labels = ["federated sign-in"]
        elif federate and password_forms:
            raise AuthorizationError(
                f"{step}: the sign-in page offers no provider {federate!r}: {page_text(response.text)}"
            )
        elif len(parser.forms) == 1 or len(password_forms) == 1:
            form = password_forms[0] if len(parser.forms) > 1 else parser.forms[0]
            fields = list(form.fields)
            labels = []
        else:
            raise AuthorizationError(
                f"{step}: expected a page with exactly one form, found {len(parser.forms)}: {page_text(response.text)}"
            )
        if not federated and "password" in form.inputs.values():
            labels.append("sign-in")
            fields = [(name, value) for name, value in fields if name not in ("username", "password")]
            fields += [("username", username), ("password", password)]
        decisions = [value for name, value in form.buttons if name == "decision"]
        if decisions:
            labels.append("consent")
            if decision not in decisions:
                raise AuthorizationError(f"consent: the page offers decisions {decisions}, not {decision!r}")
            fields.append(("decision", decision))
        if not labels:
            raise AuthorizationError(
                f"{step}: the page is neither a sign-in page (password field) nor a consent page "
                f"(decision buttons): {page_text(response.text)}"
            )
        page = " and ".join(labels)
        seen[page] = seen.get(page, 0) + 1
        if seen[page] > 1:
            raise AuthorizationError(
                f"{page}: the page was shown again after submitting it: {page_text(response.text)}"
            )
        step = page
        action = urljoin(str(response.url), form.action or "")
        http.cookies.clear()
        if form.method == "post":
            response = await http.post(action, data=_form_data(fields), follow_redirects=False)
        else:
            response = await http.get(action, params=fields, follow_redirects=False)
    raise AuthorizationError(f"{step}: no redirect to {redirect_uri} after {MAX_STEPS} pages")


def _form_data(fields: list[tuple[str, str]]) -> dict[str, str | list[str]]:
    """Form fields for httpx2, keeping repeated names."""
    data: dict[str, str | list[str]] = {}
    for name, value in fields:
        if name in data:
            previous = data[name]
            data[name] = (previous if isinstance(previous, list) else [previous]) + [value]
        else:
            data[name] = value
    return data
