"""Making many real events quickly: organizations with top-ups, through the real store."""

import threading
from decimal import Decimal
from uuid import UUID, uuid4

from adapters.postgres.event_store import PostgresEventStore
from commands.billing.accounts import TopUp, top_up
from commands.bus import CommandBus
from commands.workflows.onboarding import OnboardOrganization, onboard_organization
from domain.log import EventMeta

META = EventMeta(actor_type="system", actor_id="test")


def onboard(bus: CommandBus, name: str = "Shop") -> UUID:
    org_id = uuid4()
    bus.execute(onboard_organization, OnboardOrganization(
        org_id=org_id, name=name, admin_user_id=uuid4(),
        admin_email=f"{uuid4().hex[:10]}@example.test", admin_password_hash="not-a-real-hash",
    ), META)
    return org_id


def top_ups(bus: CommandBus, orgs: list[UUID], count: int, threads: int = 8) -> None:
    """`count` top-ups of 1.00 spread over `orgs`, from `threads` concurrent writers."""
    def writer(k: int) -> None:
        for i in range(k, count, threads):
            bus.execute(top_up, TopUp(org_id=orgs[i % len(orgs)], amount=Decimal("1.00")), META)
    workers = [threading.Thread(target=writer, args=(k,)) for k in range(threads)]
    for w in workers:
        w.start()
    for w in workers:
        w.join()


def store_for(database_url: str) -> tuple[PostgresEventStore, CommandBus]:
    store = PostgresEventStore(database_url)
    return store, CommandBus(store)
