"""A saved query (`AIQuery`): a search text the organization keeps; the active ones are
those landing pages are generated from."""

from uuid import UUID

from domain.aggregate import Aggregate
from domain.errors import InvalidCommandError, NotFoundError
from domain.events import DomainEvent
from domain.search.saved_events import QueryChanged, QueryDeleted, QuerySaved

QUERY_KIND = "query"
MAX_TEXT_LENGTH = 500


def check_query_text(text: str) -> str:
    cleaned = " ".join(text.split())
    if not 1 <= len(cleaned) <= MAX_TEXT_LENGTH:
        raise InvalidCommandError(f"text must be 1 to {MAX_TEXT_LENGTH} characters")
    return cleaned


class SavedQuery(Aggregate):
    def __init__(self, aggregate_id: UUID) -> None:
        super().__init__(aggregate_id)
        self.org_id: UUID | None = None
        self.number = 0
        self.text = ""
        self.active = False
        self.live = False

    def save(self, *, org_id: UUID, number: int, text: str, active: bool) -> None:
        self._record(QuerySaved(org_id=org_id, number=number, text=check_query_text(text),
                                active=active))

    def change(self, org_id: UUID, *, text: str | None, active: bool | None) -> bool:
        """Apply what is given; False (nothing recorded) when nothing changes."""
        self.check_is_live(org_id)
        new_text = self.text if text is None else check_query_text(text)
        new_active = self.active if active is None else active
        if (new_text, new_active) == (self.text, self.active):
            return False
        self._record(QueryChanged(org_id=org_id, number=self.number, text=new_text,
                                  active=new_active))
        return True

    def delete(self, org_id: UUID) -> None:
        self.check_is_live(org_id)
        self._record(QueryDeleted(org_id=org_id, number=self.number))

    def check_is_live(self, org_id: UUID) -> None:
        if not self.live or self.org_id != org_id:
            raise NotFoundError("query not found")

    def evolve(self, event: DomainEvent) -> None:
        match event:
            case QuerySaved() | QueryChanged():
                self.org_id, self.number = event.org_id, event.number
                self.text, self.active, self.live = event.text, event.active, True
            case QueryDeleted():
                self.live = False
            case _:
                pass
