"""JWT access tokens (HS256 only, `aud`, `exp`, a token type) and opaque refresh tokens.

Every JWT names its type (`typ`) and each reader asks for one: an access token opens the API,
a `2fa` temp token only the second step of a sign-in, a `2fa_setup` one only the 2FA setup an
organization enforces. None of them is accepted where another type is expected.
"""

import secrets
import time
from typing import Any
from uuid import UUID, uuid4

import jwt

AUDIENCE = "copydesk"
ALGORITHMS = ["HS256"]
ACCESS = "access"
TWO_FACTOR = "2fa"
TWO_FACTOR_SETUP = "2fa_setup"


class InvalidTokenError(Exception):
    pass


def issue_access_token(secret: str, *, user_id: UUID, org_id: UUID, role: str,
                       minutes: int, token_type: str = "access") -> str:
    now = int(time.time())
    claims = {"sub": str(user_id), "org": str(org_id), "role": role, "typ": token_type,
              "aud": AUDIENCE, "iat": now, "exp": now + minutes * 60, "jti": uuid4().hex}
    return jwt.encode(claims, secret, algorithm=ALGORITHMS[0])


def issue_temp_token(secret: str, *, user_id: UUID, org_id: UUID, token_type: str,
                     minutes: int) -> str:
    """A short-lived token for one step of a sign-in (`TWO_FACTOR` or `TWO_FACTOR_SETUP`)."""
    if token_type not in (TWO_FACTOR, TWO_FACTOR_SETUP):
        raise ValueError(f"not a temp token type: {token_type}")
    return issue_access_token(secret, user_id=user_id, org_id=org_id, role="", minutes=minutes,
                              token_type=token_type)


def read_access_token(secret: str, token: str, token_type: str = ACCESS) -> dict[str, Any]:
    try:
        claims: dict[str, Any] = jwt.decode(
            token, secret, algorithms=ALGORITHMS, audience=AUDIENCE,
            options={"require": ["exp", "iat", "sub", "aud", "org"]},
        )
    except jwt.PyJWTError as error:
        raise InvalidTokenError(str(error)) from None
    if claims.get("typ") != token_type:
        raise InvalidTokenError("wrong token type")
    return claims


def new_refresh_token() -> str:
    return "rt_" + secrets.token_urlsafe(32)


def new_api_key() -> str:
    return "sk_" + secrets.token_urlsafe(30)


API_KEY_PREFIX_LENGTH = 12
