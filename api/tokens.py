"""JWT access tokens (HS256 only, `aud`, `exp`, a token type) and opaque refresh tokens."""

import secrets
import time
from typing import Any
from uuid import UUID, uuid4

import jwt

AUDIENCE = "copydesk"
ALGORITHMS = ["HS256"]


class InvalidTokenError(Exception):
    pass


def issue_access_token(secret: str, *, user_id: UUID, org_id: UUID, role: str,
                       minutes: int, token_type: str = "access") -> str:
    now = int(time.time())
    claims = {"sub": str(user_id), "org": str(org_id), "role": role, "typ": token_type,
              "aud": AUDIENCE, "iat": now, "exp": now + minutes * 60, "jti": uuid4().hex}
    return jwt.encode(claims, secret, algorithm=ALGORITHMS[0])


def read_access_token(secret: str, token: str, token_type: str = "access") -> dict[str, Any]:
    try:
        claims: dict[str, Any] = jwt.decode(
            token, secret, algorithms=ALGORITHMS, audience=AUDIENCE,
            options={"require": ["exp", "iat", "sub", "aud"]},
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
