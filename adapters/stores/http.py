"""Calls to a connected store's API through the outbound guard: the host's addresses are
checked (no private or loopback address unless the policy allows it for tests), the
connection goes to the address checked, no redirect is followed, the body is bounded, each
call has a deadline and a 429's `Retry-After` is waited out within it."""

import base64
import dataclasses
import json
from collections.abc import Mapping
from typing import Any

import anyio
import httpx
import structlog

from adapters.outbound_urls import OutboundPolicy, OutboundRefusedError, checked_address

log = structlog.get_logger("copydesk.stores")
MAX_RETRY_AFTER = 60.0


class StoreError(Exception):
    """The store could not be reached or refused the call; the message is safe to show the
    customer (it names the store's host or its answer, never a credential)."""

    def __init__(self, message: str, *, status: int | None = None) -> None:
        super().__init__(message)
        self.status = status


class StoreAuthError(StoreError):
    """The store refused the credentials (401/403)."""


@dataclasses.dataclass(frozen=True)
class StoreReply:
    status: int
    headers: httpx.Headers
    body: bytes

    def json(self) -> Any:
        try:
            return json.loads(self.body)
        except ValueError:
            raise StoreError(f"the store answered {self.status} with a body that is not"
                             " JSON") from None


def retry_after(headers: httpx.Headers, default: float = 1.0) -> float:
    value = headers.get("retry-after", "")
    try:
        return min(max(float(value), 0.0), MAX_RETRY_AFTER)
    except ValueError:
        return default


class StoreHttp:
    def __init__(self, policy: OutboundPolicy, *, retries: int = 3,
                 client: httpx.AsyncClient | None = None) -> None:
        self.policy, self.retries, self._client = policy, retries, client

    async def request(self, method: str, url: str, *, headers: Mapping[str, str],
                      body: object = None, params: Mapping[str, Any] | None = None,
                      auth: tuple[str, str] | None = None) -> StoreReply:
        """The store's answer (any status but 429, which is waited out and retried);
        StoreError when it cannot be reached in time."""
        try:
            with anyio.fail_after(self.policy.timeout_seconds):
                async with httpx.AsyncClient(follow_redirects=False, trust_env=False,
                                             timeout=self.policy.timeout_seconds) as http:
                    for attempt in range(self.retries + 1):
                        reply = await self._once(self._client or http, method, url,
                                                 headers, body, params, auth)
                        if reply.status != 429 or attempt == self.retries:
                            return reply
                        wait = retry_after(reply.headers)
                        log.info("store_throttled", method=method, wait_seconds=wait)
                        await anyio.sleep(wait)
                    raise AssertionError("unreachable")
        except TimeoutError as error:
            raise StoreError(f"the store did not answer within"
                             f" {self.policy.timeout_seconds:g} seconds") from error
        except OutboundRefusedError as error:
            raise StoreError(str(error)) from error
        except httpx.HTTPError as error:
            raise StoreError(f"the store could not be reached: {type(error).__name__}") from error

    async def _once(self, http: httpx.AsyncClient, method: str, url: str,
                    headers: Mapping[str, str], body: object,
                    params: Mapping[str, Any] | None,
                    auth: tuple[str, str] | None) -> StoreReply:
        target, address = await checked_address(url, self.policy)
        pinned = target.copy_with(host=str(address))
        sent = {**headers, "Host": target.netloc.decode(), "Accept": "application/json"}
        if auth is not None:
            sent["Authorization"] = "Basic " + base64.b64encode(":".join(auth).encode()).decode()
        request = http.build_request(
            method, pinned, headers=sent, params=params,
            content=None if body is None else json.dumps(body).encode(),
            extensions={"sni_hostname": target.host})
        if body is not None:
            request.headers["Content-Type"] = "application/json"
        response = await http.send(request, stream=True)
        try:
            return StoreReply(response.status_code, response.headers,
                              await _read(response, self.policy.max_bytes))
        finally:
            await response.aclose()


async def _read(response: httpx.Response, max_bytes: int) -> bytes:
    body = bytearray()
    async for chunk in response.aiter_bytes():
        body += chunk
        if len(body) > max_bytes:
            raise StoreError(f"the store's answer is larger than {max_bytes} bytes")
    return bytes(body)


def refused(reply: StoreReply, what: str) -> StoreError:
    """The error for a store's non-2xx answer to `what`."""
    if reply.status in (401, 403):
        return StoreAuthError(f"the store refused the credentials ({reply.status})",
                              status=reply.status)
    detail = ""
    try:
        found = json.loads(reply.body)
        if isinstance(found, dict):
            detail = str(found.get("message") or found.get("errors") or "")[:200]
    except ValueError:
        pass
    return StoreError(f"{what}: the store answered {reply.status}"
                      + (f" ({detail})" if detail else ""), status=reply.status)
