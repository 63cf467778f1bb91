"""The WordPress REST API as a blog connection uses it: who an Application Password belongs
to (`/wp-json/wp/v2/users/me?context=edit`) and the site's categories, page by page
(`X-WP-TotalPages`). Every request goes to the address the outbound-URL guard checked;
redirects are not followed, so the credentials never go to another host. The HTTP clients are
pooled, one per site and event loop (`_client`)."""

import asyncio
import base64
import dataclasses
import functools
import json
import ssl
import weakref
from http.cookiejar import CookieJar
from typing import Any

import anyio
import certifi
import httpx

from adapters.outbound_urls import OutboundPolicy, OutboundRefusedError, checked_address

PER_PAGE = 100
MAX_PAGES = 50


class WordPressError(Exception):
    """WordPress could not be reached or refused; the message is safe to show the user."""


class WordPressAuthError(WordPressError):
    """The username or application password was refused (401/403)."""


class WordPressUnavailableError(WordPressError):
    """The site is down, slow, or answered 5xx/429: worth trying again later."""


class WordPressNotFoundError(WordPressError):
    """The site has no such post (404)."""


@dataclasses.dataclass(frozen=True, kw_only=True)
class WordPressUser:
    id: int
    name: str
    can_publish: bool


@dataclasses.dataclass(frozen=True, kw_only=True)
class Site:
    url: str
    username: str
    password: str = dataclasses.field(repr=False)


@functools.cache
def _tls() -> ssl.SSLContext:
    """One verifying TLS context for the process: each new one loads the CA bundle again
    (≈ 50 ms of CPU), which a client per call would pay on every call."""
    return ssl.create_default_context(cafile=certifi.where())


class _NoCookies(CookieJar):
    """A pooled client serves every connection to a site: it keeps no cookie of one to send
    with another's calls (each call carries its own credentials)."""

    def extract_cookies(self, *_: Any) -> None:
        return None

    def set_cookie(self, *_: Any) -> None:
        return None


_clients: weakref.WeakKeyDictionary[
    asyncio.AbstractEventLoop, dict[tuple[str, str, int | None], httpx.AsyncClient]
] = weakref.WeakKeyDictionary()


def _client(target: httpx.URL) -> httpx.AsyncClient:
    """The pooled client of `target`'s site (scheme, host name, port) in the running loop:
    a client built per call cost more CPU than the call's own work, and its connection could
    not be kept. Calls go to the checked address (the URL's host replaced by it), so a pool
    keys its connections by address and would hand a connection opened for one host name
    (its TLS name, SNI) to another name resolving to the same address: one client per host
    name keeps each connection to the site it was opened for, and a connection is reused
    only for the address just checked again."""
    clients = _clients.setdefault(asyncio.get_running_loop(), {})
    key = (target.scheme, target.host, target.port)
    client = clients.get(key)
    if client is None or client.is_closed:
        client = httpx.AsyncClient(follow_redirects=False, trust_env=False, verify=_tls(),
                                   cookies=_NoCookies())
        clients[key] = client
    return client


def _auth(site: Site) -> str:
    token = base64.b64encode(f"{site.username}:{site.password}".encode()).decode()
    return f"Basic {token}"


async def call(site: Site, method: str, path: str, policy: OutboundPolicy, *,
                   params: dict[str, str] | None = None, body: Any = None,
                   content: bytes | None = None, headers: dict[str, str] | None = None,
                   ) -> httpx.Response:
    try:
        with anyio.fail_after(policy.timeout_seconds):
            target, address = await checked_address(site.url + path, policy)
            target = target.copy_merge_params(params or {})
            sent = {"Host": target.netloc.decode(), "Authorization": _auth(site),
                    "Accept": "application/json", **(headers or {})}
            if body is not None:
                content = json.dumps(body).encode()
                sent["Content-Type"] = "application/json"
            http = _client(target)
            request = http.build_request(
                method, target.copy_with(host=str(address)), headers=sent, content=content,
                extensions={"sni_hostname": target.host})
            response = await http.send(request)
    except OutboundRefusedError as error:
        raise WordPressError(str(error)) from error
    except TimeoutError as error:
        raise WordPressUnavailableError("the site did not answer in time") from error
    except httpx.HTTPError as error:
        raise WordPressUnavailableError(
            f"the site could not be reached: {type(error).__name__}") from error
    if len(response.content) > policy.max_bytes:
        raise WordPressError("the site's answer is too large")
    if response.status_code in (401, 403):
        raise WordPressAuthError(_message(response) or "the credentials were refused")
    if not 200 <= response.status_code < 300:
        detail = _message(response)
        kind = (WordPressUnavailableError if response.status_code in (429,) or
                response.status_code >= 500 else
                WordPressNotFoundError if response.status_code == 404 else WordPressError)
        raise kind(f"the site answered {response.status_code}"
                   + (f": {detail}" if detail else ""))
    return response


async def _get(site: Site, path: str, params: dict[str, str], policy: OutboundPolicy,
               ) -> httpx.Response:
    return await call(site, "GET", path, policy, params=params)


def _message(response: httpx.Response) -> str:
    """WordPress's own error (`{"code", "message"}`), shortened."""
    try:
        body = response.json()
    except (json.JSONDecodeError, UnicodeDecodeError):
        return ""
    if isinstance(body, dict) and isinstance(body.get("message"), str):
        code = body.get("code")
        return (f"{body['message']} ({code})" if isinstance(code, str) else body["message"])[:300]
    return ""


def json_body(response: httpx.Response) -> Any:
    try:
        return response.json()
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        raise WordPressError("the site did not answer with JSON") from error


async def current_user(site: Site, policy: OutboundPolicy) -> WordPressUser:
    """The user the application password belongs to, and whether they may publish."""
    body = json_body(await _get(site, "/wp-json/wp/v2/users/me", {"context": "edit"}, policy))
    if not isinstance(body, dict) or not isinstance(body.get("id"), int):
        raise WordPressError("the site's answer for the user is not a WordPress user")
    capabilities = body.get("capabilities")
    can_publish = isinstance(capabilities, dict) and capabilities.get("publish_posts") is True
    return WordPressUser(id=body["id"], name=str(body.get("name") or site.username),
                         can_publish=can_publish)


async def categories(site: Site, policy: OutboundPolicy) -> list[dict[str, Any]]:
    """Every category of the site ({id, name, slug, count, parent}), all pages collected."""
    found: list[dict[str, Any]] = []
    page, pages = 1, 1
    while page <= min(pages, MAX_PAGES):
        response = await _get(site, "/wp-json/wp/v2/categories",
                              {"per_page": str(PER_PAGE), "page": str(page)}, policy)
        body = json_body(response)
        if not isinstance(body, list):
            raise WordPressError("the site's answer for categories is not a list")
        found.extend(_category(item) for item in body if isinstance(item, dict))
        total = response.headers.get("x-wp-totalpages", "1")
        pages = int(total) if total.isdigit() else 1
        page += 1
    return found


def _category(item: dict[str, Any]) -> dict[str, Any]:
    def number(key: str) -> int:
        value = item.get(key)
        return value if isinstance(value, int) else 0
    return {"id": number("id"), "name": str(item.get("name", "")),
            "slug": str(item.get("slug", "")), "count": number("count"),
            "parent": number("parent")}
