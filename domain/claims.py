"""Claims make a key (an e-mail, a slug) unique across aggregates through the event store.

A claim's id is `uuid5(namespace, kind:key)`: two writers claiming the same key write the
same aggregate, and the store's unique (id, version) lets only one of them win.
"""

from uuid import NAMESPACE_URL, UUID, uuid5

from domain.aggregate import Aggregate
from domain.errors import ConflictError
from domain.events import DomainEvent

CLAIM_NAMESPACE = uuid5(NAMESPACE_URL, "urn:copydesk:claims")


def claim_id(kind: str, key: str) -> UUID:
    return uuid5(CLAIM_NAMESPACE, f"{kind}:{key}")


class ClaimEvent(DomainEvent):
    """The base of every claim event: its topic in the log is `claims.<ClassName>`."""

    context = "claims"


class KeyClaimed(ClaimEvent):
    kind: str
    owner_id: UUID


class KeyReleased(ClaimEvent):
    kind: str
    owner_id: UUID


class UniqueClaim(Aggregate):
    def __init__(self, aggregate_id: UUID) -> None:
        super().__init__(aggregate_id)
        self.owner_id: UUID | None = None

    def claim(self, org_id: UUID, kind: str, owner_id: UUID, taken: ConflictError) -> None:
        """Hold the key for `owner_id`; `taken` is raised when another holds it."""
        if self.owner_id == owner_id:
            return
        if self.owner_id is not None:
            raise taken
        self._record(KeyClaimed(org_id=org_id, kind=kind, owner_id=owner_id))

    def release(self, org_id: UUID, kind: str, owner_id: UUID) -> None:
        if self.owner_id == owner_id:
            self._record(KeyReleased(org_id=org_id, kind=kind, owner_id=owner_id))

    def evolve(self, event: DomainEvent) -> None:
        match event:
            case KeyClaimed(owner_id=owner_id):
                self.owner_id = owner_id
            case KeyReleased():
                self.owner_id = None
