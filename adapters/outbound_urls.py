"""Fetching a URL a customer gave us (an external product feed) without letting it reach
inside our network: every host is resolved first and each of its addresses must be public
(no private, loopback — unless the policy allows it for tests —, link-local, multicast,
reserved or cloud-metadata address); the connection goes to the address checked, not to a
second lookup; every redirect is checked again; the body is limited in size and the whole
fetch in time."""

import dataclasses
import ipaddress
import socket
from urllib.parse import urljoin, urlsplit, urlunsplit

import anyio
import anyio.to_thread
import httpx

REDIRECTS = frozenset({301, 302, 303, 307, 308})
METADATA = frozenset({ipaddress.ip_address("169.254.169.254"),
                      ipaddress.ip_address("100.100.100.200"),
                      ipaddress.ip_address("fd00:ec2::254")})

Address = ipaddress.IPv4Address | ipaddress.IPv6Address


class OutboundRefusedError(Exception):
    """The URL may not be fetched, or its answer was refused; the message says why (safe to
    show the customer: it names the URL's host, never our network)."""


@dataclasses.dataclass(frozen=True, kw_only=True)
class OutboundPolicy:
    allow_loopback: bool = False
    """Tests only: let loopback addresses through (local fake servers)."""
    max_bytes: int = 20 * 1024 * 1024
    timeout_seconds: float = 30.0
    max_redirects: int = 5


def refused_address(address: Address, policy: OutboundPolicy) -> str | None:
    """Why `address` may not be reached, or None when it may."""
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    if address in METADATA:
        return "a cloud metadata address"
    if address.is_loopback:
        return None if policy.allow_loopback else "a loopback address"
    if address.is_link_local:
        return "a link-local address"
    if address.is_multicast:
        return "a multicast address"
    if not address.is_global:
        return "a private or reserved address"
    return None


async def resolve(host: str, port: int) -> list[Address]:
    try:
        infos = await anyio.to_thread.run_sync(
            lambda: socket.getaddrinfo(host, port, type=socket.SOCK_STREAM), abandon_on_cancel=True)
    except (socket.gaierror, UnicodeError) as error:
        raise OutboundRefusedError(f"the host {host!r} cannot be resolved") from error
    return list(dict.fromkeys(ipaddress.ip_address(info[4][0]) for info in infos))


async def checked_address(url: str, policy: OutboundPolicy) -> tuple[httpx.URL, Address]:
    """The URL parsed and the first of its host's addresses; OutboundRefusedError when the
    URL is not http(s) or any address of its host may not be reached."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise OutboundRefusedError("the URL must be http:// or https:// with a host")
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError as error:
        raise OutboundRefusedError("the URL's port is not valid") from error
    addresses = await resolve(parts.hostname, port)
    for address in addresses:
        reason = refused_address(address, policy)
        if reason is not None:
            raise OutboundRefusedError(f"the host {parts.hostname!r} resolves to {reason}")
    if not addresses:
        raise OutboundRefusedError(f"the host {parts.hostname!r} cannot be resolved")
    return httpx.URL(urlunsplit(parts)), addresses[0]


async def fetch(url: str, policy: OutboundPolicy, client: httpx.AsyncClient | None = None,
                ) -> bytes:
    """The body of `url` (after checked redirects); OutboundRefusedError on a refused
    address, a status other than 2xx, a body over the limit or a fetch over the time."""
    try:
        with anyio.fail_after(policy.timeout_seconds):
            async with (httpx.AsyncClient(follow_redirects=False, trust_env=False)
                        if client is None else _borrowed(client)) as http:
                return await _follow(http, url, policy)
    except TimeoutError as error:
        raise OutboundRefusedError(
            f"the fetch took longer than {policy.timeout_seconds:g} seconds") from error
    except httpx.HTTPError as error:
        raise OutboundRefusedError(f"the fetch failed: {type(error).__name__}") from error


class _borrowed:
    def __init__(self, client: httpx.AsyncClient) -> None:
        self.client = client

    async def __aenter__(self) -> httpx.AsyncClient:
        return self.client

    async def __aexit__(self, *_: object) -> None:
        return None


async def _follow(http: httpx.AsyncClient, url: str, policy: OutboundPolicy) -> bytes:
    for _ in range(policy.max_redirects + 1):
        target, address = await checked_address(url, policy)
        pinned = target.copy_with(host=str(address))  # connect to the address checked
        request = http.build_request("GET", pinned, headers={"Host": target.netloc.decode()},
                                     extensions={"sni_hostname": target.host})
        response = await http.send(request, stream=True)
        try:
            if response.status_code in REDIRECTS and "location" in response.headers:
                url = urljoin(str(target), response.headers["location"])
                continue
            if not 200 <= response.status_code < 300:
                raise OutboundRefusedError(f"the server answered {response.status_code}")
            return await _read(response, policy.max_bytes)
        finally:
            await response.aclose()
    raise OutboundRefusedError(f"more than {policy.max_redirects} redirects")


async def _read(response: httpx.Response, max_bytes: int) -> bytes:
    declared = response.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > max_bytes:
        raise OutboundRefusedError(f"the body is larger than {max_bytes} bytes")
    body = bytearray()
    async for chunk in response.aiter_bytes():  # decoded: a gzip bomb counts in full
        body += chunk
        if len(body) > max_bytes:
            raise OutboundRefusedError(f"the body is larger than {max_bytes} bytes")
    return bytes(body)
