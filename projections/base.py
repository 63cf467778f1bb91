"""What a projection is: a read model that is a deterministic function of the log.

Each projection owns one PostgreSQL schema; its tables are created there from its migration
(`migrations/projections/<name>.sql`, unqualified names). It turns events into plain SQL
writes (no reads) in a `Writes` buffer, so a batch reaches the database in a few calls. It
never uses the clock, only the events' own times, so a rebuild from scratch gives the same
rows. Queries name tables with the schema (`rm_billing.balances`).
"""

import hashlib
from importlib import resources
from typing import ClassVar

from domain.log import RecordedEvent
from projections.writes import Writes


class Projection:
    name: ClassVar[str]
    """Its key in `projection_tracking` and in `copydesk projections rebuild NAME`."""
    schema: ClassVar[str]
    topics: ClassVar[frozenset[str]] = frozenset()
    """Topics it applies; the others only advance its position. Empty: every event."""
    derived: ClassVar[frozenset[tuple[str, str]]] = frozenset()
    """(table, column) pairs that a worker fills beside the events (embeddings): a replay
    leaves them at their defaults, so a comparison with a rebuild passes over them."""

    def handles(self, topic: str) -> bool:
        return not self.topics or topic in self.topics

    def apply(self, writes: Writes, record: RecordedEvent) -> None:
        raise NotImplementedError

    @classmethod
    def ddl(cls) -> str:
        return (resources.files("migrations") / "projections" / f"{cls.name}.sql").read_text()

    @classmethod
    def ddl_hash(cls) -> str:
        return hashlib.sha256(cls.ddl().encode()).hexdigest()[:16]
