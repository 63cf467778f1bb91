"""Remembering who a credential is, for as long as the identity read model stands still."""

import time
from uuid import UUID

from api.principal import Principal


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
