"""Two writers racing for the same e-mail or slug: one wins, the other sees the claim."""

import threading
from collections.abc import Callable, Sequence
from datetime import datetime
from uuid import UUID, uuid4

import pytest

from adapters.memory_store import InMemoryEventStore
from commands.bus import CommandBus
from commands.identity.organization import CreateOrganization, create_organization, email_claim_id
from commands.identity.users import RegisterUser, register_user
from domain.claims import UniqueClaim
from domain.errors import ConflictError
from domain.events import DomainEvent
from domain.identity.errors import EmailTakenError
from domain.identity.events import UserRegistered
from domain.identity.organization import Organization
from domain.log import EventMeta, NewEvent, SideWrites

META = EventMeta(actor_type="user")


class RivalFirstStore(InMemoryEventStore):
    """Runs a rival command just before the next append, as if it had been a bit faster."""

    def __init__(self) -> None:
        super().__init__()
        self.rival: Callable[[], object] | None = None

    def append(
        self, events: Sequence[NewEvent], meta: EventMeta, side_writes: SideWrites = ()
    ) -> list[int]:
        rival, self.rival = self.rival, None
        if rival is not None:
            rival()
        return super().append(events, meta, side_writes)


class MeetAfterReadingStore(InMemoryEventStore):
    """Holds two worker threads, each once, after it read `watched`, until both have."""

    def __init__(self, watched: UUID) -> None:
        super().__init__()
        self.watched = watched
        self.barrier = threading.Barrier(2, timeout=5)
        self.met = {threading.get_ident()}  # the test's own thread never waits

    def load(self, aggregate_id: UUID, until: datetime | None = None) -> list[DomainEvent]:
        events = super().load(aggregate_id, until)
        if aggregate_id == self.watched and threading.get_ident() not in self.met:
            self.met.add(threading.get_ident())
            self.barrier.wait()
        return events


def new_org(bus: CommandBus, name: str = "Acme") -> UUID:
    cmd = CreateOrganization(org_id=uuid4(), name=name, admin_user_id=uuid4(),
                             admin_email=f"{uuid4().hex[:8]}@acme.test",
                             admin_password_hash="argon2$admin")
    bus.execute(create_organization, cmd, META)
    return cmd.org_id


def registration(org_id: UUID, email: str = "bob@example.com") -> RegisterUser:
    return RegisterUser(org_id=org_id, user_id=uuid4(), email=email, password_hash="argon2$u")


def owner_of(store: InMemoryEventStore, email: str) -> UUID | None:
    claim = email_claim_id(email)
    return UniqueClaim.rebuild(claim, store.load(claim)).owner_id


def registered_with(store: InMemoryEventStore, email: str) -> list[UUID]:
    return [r.aggregate_id for r in store.log
            if isinstance(r.event, UserRegistered) and r.event.email == email]


def test_a_rival_registration_appended_first_wins_the_email() -> None:
    store = RivalFirstStore()
    bus = CommandBus(store)
    ours, theirs = registration(new_org(bus)), registration(new_org(bus))
    store.rival = lambda: bus.execute(register_user, theirs, META)
    with pytest.raises(EmailTakenError):
        bus.execute(register_user, ours, META)
    assert owner_of(store, "bob@example.com") == theirs.user_id
    assert registered_with(store, "bob@example.com") == [theirs.user_id]


def test_two_threads_registering_the_same_email_one_wins_one_conflicts() -> None:
    store = MeetAfterReadingStore(email_claim_id("bob@example.com"))
    bus = CommandBus(store)
    commands = [registration(new_org(bus)), registration(new_org(bus))]
    outcomes: dict[UUID, str] = {}

    def register(cmd: RegisterUser) -> None:
        try:
            bus.execute(register_user, cmd, META)
            outcomes[cmd.user_id] = "registered"
        except ConflictError as error:
            outcomes[cmd.user_id] = str(error)

    threads = [threading.Thread(target=register, args=(cmd,)) for cmd in commands]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=10)

    assert sorted(outcomes.values()) == ["email already registered", "registered"]
    winner = next(uid for uid, outcome in outcomes.items() if outcome == "registered")
    assert owner_of(store, "bob@example.com") == winner
    assert registered_with(store, "bob@example.com") == [winner]


def test_two_organizations_of_one_name_created_at_once_get_different_slugs() -> None:
    store = RivalFirstStore()
    bus = CommandBus(store)
    rival_ids: list[UUID] = []
    store.rival = lambda: rival_ids.append(new_org(bus, "Acme"))
    ours = new_org(bus, "Acme")
    slugs = {Organization.rebuild(i, store.load(i)).slug for i in [ours, *rival_ids]}
    assert slugs == {"acme", "acme-2"}
