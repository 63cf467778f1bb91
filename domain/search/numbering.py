"""Integer ids per organization, given out by a counter aggregate.

Each (organization, kind) has one counter stream. Two writers taking a number at once both
append after the same version; the store's unique (id, version) lets one win and the other
runs again with the next number. A numbered thing's aggregate id is derived from
(organization, kind, number), so another organization's number names nothing of ours.
"""

from uuid import NAMESPACE_URL, UUID, uuid5

from domain.aggregate import Aggregate
from domain.events import DomainEvent
from domain.search.saved_events import NumberAllocated

NUMBERS_NAMESPACE = uuid5(NAMESPACE_URL, "urn:copydesk:search-numbers")


def counter_id(org_id: UUID, kind: str) -> UUID:
    return uuid5(NUMBERS_NAMESPACE, f"counter:{kind}:{org_id}")


def numbered_id(org_id: UUID, kind: str, number: int) -> UUID:
    """The aggregate id of the organization's `kind` number `number`."""
    return uuid5(NUMBERS_NAMESPACE, f"{kind}:{org_id}:{number}")


class NumberCounter(Aggregate):
    def __init__(self, aggregate_id: UUID) -> None:
        super().__init__(aggregate_id)
        self.last = 0

    def allocate(self, org_id: UUID, kind: str) -> int:
        """The next number (1, 2, …); a number is never given out twice."""
        self._record(NumberAllocated(org_id=org_id, kind=kind, number=self.last + 1))
        return self.last

    def evolve(self, event: DomainEvent) -> None:
        match event:
            case NumberAllocated(number=number):
                self.last = number
            case _:
                pass
