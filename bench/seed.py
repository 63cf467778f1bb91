"""Data for a benchmark, made quickly through copydesk's own command bus and event store:
organizations (with their admin's access token) and top-up events."""

from __future__ import annotations

import dataclasses
import threading
import time
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal
from uuid import UUID, uuid4

from adapters.postgres.event_store import PostgresEventStore
from adapters.settings import Settings
from api.tokens import issue_access_token
from commands.bus import CommandBus
from commands.workflows.onboarding import OnboardOrganization, onboard_organization
from domain.billing.account import billing_account_id
from domain.billing.events import ToppedUp
from domain.log import EventMeta, NewEvent

META = EventMeta(actor_type="system", actor_id="bench")


@dataclasses.dataclass(frozen=True)
class Org:
    org_id: UUID
    admin_id: UUID


def onboard_orgs(settings: Settings, count: int, threads: int = 8) -> list[Org]:
    """`count` organizations onboarded through the real command bus and store (concurrent
    commands, so the store groups their appends)."""
    store = PostgresEventStore(settings.database_url, pool_size=threads, max_overflow=threads)
    bus = CommandBus(store)

    def one(_: int) -> Org:
        org_id, admin_id = uuid4(), uuid4()
        bus.execute(onboard_organization, OnboardOrganization(
            org_id=org_id, name=f"Bench {org_id.hex[:12]}", admin_user_id=admin_id,
            admin_email=f"bench-{org_id.hex[:16]}@example.test",
            admin_password_hash="not-a-real-hash"), META)
        return Org(org_id, admin_id)

    try:
        with ThreadPoolExecutor(threads) as pool:
            return list(pool.map(one, range(count)))
    finally:
        store.close()


def admin_token(settings: Settings, org: Org, minutes: int = 240) -> str:
    """The access token `POST /auth/login` would give the organization's admin (same function,
    same key), without spending an argon2 verification per organization."""
    return issue_access_token(settings.secret_key, user_id=org.admin_id, org_id=org.org_id,
                              role="admin", minutes=minutes)


APPEND_EVENTS_MAX = 1000
"""Events in flight at once through one store. The store's writer puts concurrent appends in
one transaction; before commit b30c875 that transaction ran in psycopg's pipeline mode, where
≈ 2,000 ToppedUp events (≈ 1 MB of parameters) hung for good (`bench/pipeline_hang.py`).
Kept small so the figures stay comparable across versions."""


def append_top_ups(settings: Settings, orgs: Sequence[Org], per_org: int, threads: int = 2,
                   chunk: int = 500, timeout: float = 300) -> float:
    """`per_org` ToppedUp events on each organization's billing account, appended through
    `PostgresEventStore.append` in chunks of `chunk` events from `threads` writers (each owns a
    share of the accounts, so versions never clash); the seconds it took."""
    assert threads * chunk <= APPEND_EVENTS_MAX, "bigger groups hung the store's writer"
    store = PostgresEventStore(settings.database_url, pool_size=threads, max_overflow=threads)
    versions = {o.org_id: len(store.load(billing_account_id(o.org_id))) for o in orgs}

    def writer(share: Sequence[Org]) -> None:
        batch: list[NewEvent] = []
        for _ in range(per_org):
            for org in share:
                versions[org.org_id] += 1
                batch.append(NewEvent(
                    aggregate_id=billing_account_id(org.org_id),
                    aggregate_version=versions[org.org_id],
                    event=ToppedUp(org_id=org.org_id, transaction_id=uuid4(),
                                   amount=Decimal("1.00"), description="bench")))
                if len(batch) >= chunk:
                    store.append(batch, META)
                    batch = []
        if batch:
            store.append(batch, META)

    started = time.monotonic()
    workers: list[threading.Thread] = []
    try:
        failed: list[BaseException] = []

        def guarded(share: Sequence[Org]) -> None:
            try:
                writer(share)
            except BaseException as error:
                failed.append(error)

        workers = [threading.Thread(target=guarded, args=(orgs[k::threads],), daemon=True)
                   for k in range(threads)]
        for w in workers:
            w.start()
        for w in workers:
            w.join(max(0.0, started + timeout - time.monotonic()))
        if any(w.is_alive() for w in workers):
            raise RuntimeError(f"appends still running after {timeout:.0f} s: the store hangs")
        if failed:
            raise failed[0]
    finally:
        if not any(w.is_alive() for w in workers):
            store.close()
    return time.monotonic() - started
