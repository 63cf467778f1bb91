"""Steps of the two-factor flows over HTTP: an authenticator app, members, sign-ins, setups."""

import dataclasses
import re
import time
from typing import Any

import httpx
import pyotp

from tests.e2e.helpers import PASSWORD, Tenant, login, unique_email
from tests.support import Stack

SEEN_SECRETS: list[str] = []
"""Every TOTP secret, code and backup code the tests were shown (to look for in the logs)."""


class Authenticator:
    """An authenticator app holding one TOTP secret. Each code it gives is of a time-step after
    the last one it gave (the server accepts each step once, one step either side of now)."""

    def __init__(self, secret: str) -> None:
        self.secret = secret
        self.totp = pyotp.TOTP(secret)
        self.last_step = -1
        self.last_code = ""
        SEEN_SECRETS.append(secret)

    def code(self) -> str:
        while True:
            now = time.time()
            current = int(now // 30)
            # the step before now stays valid until this step ends: use it only well before
            usable = ([current - 1] if now - current * 30 < 25 else []) + [current, current + 1]
            fresh = [step for step in usable if step > self.last_step]
            if fresh:
                self.last_step = fresh[0]
                self.last_code = self.totp.generate_otp(fresh[0])
                SEEN_SECRETS.append(self.last_code)
                return self.last_code
            time.sleep((current + 1) * 30 - now + 0.2)

    def wrong_code(self) -> str:
        """A six-digit code that is not valid now (nor a moment from now)."""
        current = int(time.time() // 30)
        valid = {self.totp.generate_otp(s) for s in range(current - 2, current + 3)}
        return next(c for c in ("000000", "999999", "123123") if c not in valid)


@dataclasses.dataclass(frozen=True)
class Member:
    user_id: str
    email: str
    headers: dict[str, str]


def call(stack: Stack, method: str, path: str, headers: dict[str, str] | None = None,
         body: object = None) -> httpx.Response:
    return httpx.request(method, f"{stack.base_url}/api/v1{path}", headers=headers, json=body,
                         timeout=30)


def new_member(stack: Stack, tenant: Tenant, role: str = "member", *,
               signed_in: bool = True) -> Member:
    """A user of the tenant's organization made by its admin, signed in unless told not to
    (no `headers` then: where 2FA is enforced, signing in is not one step)."""
    email = unique_email(role)
    made = call(stack, "POST", "/users", tenant.headers,
                {"email": email, "password": PASSWORD, "role": role})
    assert made.status_code == 200, made.text
    headers = login(stack.base_url, email, PASSWORD) if signed_in else {}
    return Member(user_id=made.json()["id"], email=email, headers=headers)


def sign_in(stack: Stack, email: str, password: str = PASSWORD) -> httpx.Response:
    return call(stack, "POST", "/auth/login", body={"email": email, "password": password})


def temp_token(stack: Stack, email: str, required: str = "two_factor_required") -> str:
    """Sign in with the right password; the temp token of the second step it asks for."""
    response = sign_in(stack, email)
    assert response.status_code == 200, response.text
    body = response.json()
    assert body[required] is True, body
    assert body["access_token"] == "" and body["refresh_token"] is None
    assert "set-cookie" not in response.headers
    return str(body["temp_token"])


def verify(stack: Stack, token: str, code: str) -> httpx.Response:
    return call(stack, "POST", "/auth/verify-2fa", body={"temp_token": token, "code": code})


def bearer(tokens: dict[str, Any]) -> dict[str, str]:
    return {"Authorization": f"Bearer {tokens['access_token']}"}


def enable_totp(stack: Stack, headers: dict[str, str]) -> tuple[Authenticator, list[str]]:
    """Set up and confirm TOTP for the signed-in user; its authenticator and backup codes."""
    started = call(stack, "POST", "/auth/2fa/setup", headers, {"method": "totp"})
    assert started.status_code == 200, started.text
    app = Authenticator(started.json()["secret"])
    confirmed = call(stack, "POST", "/auth/2fa/confirm", headers, {"code": app.code()})
    assert confirmed.status_code == 200, confirmed.text
    codes = list(confirmed.json()["backup_codes"])
    SEEN_SECRETS.extend(codes)
    return app, codes


def profile(stack: Stack, headers: dict[str, str]) -> dict[str, Any]:
    response = call(stack, "GET", "/users/me", headers)
    assert response.status_code == 200, response.text
    return dict(response.json())


def seen_in(text: str, secret: str) -> bool:
    """Whether `secret` is in `text` as a whole token (six-digit codes could otherwise match
    inside a timestamp's microseconds or a hex id)."""
    return re.search(rf"(?<![0-9A-Za-z.]){re.escape(secret)}(?![0-9A-Za-z])", text) is not None
