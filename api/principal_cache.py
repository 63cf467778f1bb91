"""Remembering who a credential is, for as long as the identity read model stands still."""

import time
from typing import Any
from uuid import UUID

from api.principal import Principal
from api.tokens import read_access_token


class PrincipalCache:
    """Who a credential is, remembered while the identity read model has not moved.

    An entry is stamped with the last position at which the identity read model changed, as
    seen before its lookup, and is used only while that is unchanged. Any identity change (a
    user deactivated, a key revoked) makes every entry stale, so a change is seen as soon as
    this process learns of it: at once for the process that ran the command (read-your-writes).
    """

    MAX_ENTRIES = 10_000
    TOUCH_EVERY_SECONDS = 60.0

    def __init__(self) -> None:
        self._entries: dict[str, tuple[int, Principal]] = {}
        self._touched: dict[UUID, float] = {}
        self._claims: dict[tuple[str, str], dict[str, Any]] = {}

    def access_claims(self, secret: str, token: str) -> dict[str, Any]:
        """The claims of an access token (InvalidTokenError as `read_access_token`). A token
        verified before with the same secret is not verified again until it expires: the
        same string carries the same signature, already checked, and the
        decoding costs more than the rest of an authenticated read."""
        key = (secret, token)
        claims = self._claims.get(key)
        if claims is not None and claims["exp"] > time.time():
            return claims
        self._claims.pop(key, None)
        claims = read_access_token(secret, token)
        if len(self._claims) >= self.MAX_ENTRIES:
            self._claims.clear()
        self._claims[key] = claims
        return claims

    def get(self, key: str, stamp: int) -> Principal | None:
        entry = self._entries.get(key)
        return entry[1] if entry and entry[0] == stamp else None

    def put(self, key: str, stamp: int, principal: Principal) -> None:
        if len(self._entries) >= self.MAX_ENTRIES:
            self._entries.clear()
        self._entries[key] = (stamp, principal)

    def should_touch(self, key_id: UUID) -> bool:
        now = time.monotonic()
        if now - self._touched.get(key_id, -self.TOUCH_EVERY_SECONDS) < self.TOUCH_EVERY_SECONDS:
            return False
        self._touched[key_id] = now
        return True
