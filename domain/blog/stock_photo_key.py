"""An organization's own key (BYOK) for a stock-photo provider. The key is sealed outside
the aggregate; here only its fingerprint, so that a new key is a change of the aggregate."""

from uuid import UUID

from domain.aggregate import Aggregate
from domain.blog.media_events import StockPhotoKeyAdded, StockPhotoKeyChanged, StockPhotoKeyDeleted
from domain.errors import InvalidCommandError, NotFoundError
from domain.events import DomainEvent

PROVIDERS = ("unsplash", "pexels")
MAX_KEY = 500


def check_provider(provider: str) -> str:
    cleaned = provider.strip().lower()
    if cleaned not in PROVIDERS:
        raise InvalidCommandError(f"provider must be one of {', '.join(PROVIDERS)}")
    return cleaned


def check_api_key(api_key: str) -> str:
    cleaned = api_key.strip()
    if not 1 <= len(cleaned) <= MAX_KEY or any(c.isspace() for c in cleaned):
        raise InvalidCommandError(f"api_key must be 1 to {MAX_KEY} characters, no spaces")
    return cleaned


class StockPhotoKey(Aggregate):
    def __init__(self, aggregate_id: UUID) -> None:
        super().__init__(aggregate_id)
        self.org_id: UUID | None = None
        self.provider = ""
        self.key_fingerprint = ""
        self.is_active = True
        self.live = False

    def add(self, *, org_id: UUID, provider: str, key_fingerprint: str,
            is_active: bool) -> None:
        self._record(StockPhotoKeyAdded(org_id=org_id, provider=check_provider(provider),
                                        key_fingerprint=key_fingerprint, is_active=is_active))

    def change(self, org_id: UUID, *, key_fingerprint: str | None,
               is_active: bool | None) -> bool:
        """Apply what is given; False (nothing recorded) when nothing changes."""
        self.check_is_live(org_id)
        fingerprint = key_fingerprint or self.key_fingerprint
        active = self.is_active if is_active is None else is_active
        if (fingerprint, active) == (self.key_fingerprint, self.is_active):
            return False
        self._record(StockPhotoKeyChanged(org_id=org_id, key_fingerprint=fingerprint,
                                          is_active=active))
        return True

    def delete(self, org_id: UUID) -> None:
        self.check_is_live(org_id)
        self._record(StockPhotoKeyDeleted(org_id=org_id))

    def check_is_live(self, org_id: UUID) -> None:
        if not self.live or self.org_id != org_id:
            raise NotFoundError("stock photo key not found")

    def evolve(self, event: DomainEvent) -> None:
        match event:
            case StockPhotoKeyAdded():
                self.org_id, self.provider = event.org_id, event.provider
                self.key_fingerprint, self.is_active = event.key_fingerprint, event.is_active
                self.live = True
            case StockPhotoKeyChanged():
                self.key_fingerprint, self.is_active = event.key_fingerprint, event.is_active
            case StockPhotoKeyDeleted():
                self.live = False
            case _:
                pass
