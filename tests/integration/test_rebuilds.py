"""Rebuilding several read models in one pass over the log, reading only their topics."""

from decimal import Decimal
from uuid import UUID, uuid4

import psycopg

from adapters.postgres.event_log import max_position, read_log
from commands.billing.accounts import TopUp, top_up
from commands.bus import CommandBus
from commands.catalog.projects import CreateProject, create_project
from projections.audit.projection import AuditLog
from projections.billing.projection import BillingLedger
from projections.billing.queries import get_balance
from projections.identity.projection import IdentityDirectory
from projections.rebuilds import rebuild, rebuild_together
from projections.runner import apply_batch, tracked_position
from projections.verify import differences
from tests.integration.events import META, onboard

TOGETHER = [BillingLedger(), AuditLog(), IdentityDirectory()]


def a_shop_with_top_ups_then_a_project(bus: CommandBus) -> UUID:
    org = onboard(bus)
    for n in range(5):
        bus.execute(top_up, TopUp(org_id=org, amount=Decimal("10.00"), request_key=f"k{n}"),
                    META)
    bus.execute(create_project, CreateProject(org_id=org, project_id=uuid4(), name="Autumn",
                                                platform="shopify"),
                META)  # the last events are no billing or identity event
    return org


async def test_projections_rebuilt_together_equal_their_live_read_models(
    bus: CommandBus, conn: psycopg.AsyncConnection
) -> None:
    orgs = [a_shop_with_top_ups_then_a_project(bus) for _ in range(3)]
    records = await read_log(conn, after=0, limit=10_000)
    for projection in TOGETHER:
        for start in range(0, len(records), 4):
            await apply_batch(conn, projection, records[start:start + 4])
    before = [await get_balance(conn, org) for org in orgs]

    reached = await rebuild_together(conn, TOGETHER)

    end = await max_position(conn)
    assert reached == {p.name: end for p in TOGETHER}
    for projection in TOGETHER:
        assert await tracked_position(conn, projection.name) == end
        assert await differences(conn, projection) == []
    assert [await get_balance(conn, org) for org in orgs] == before


async def test_a_rebuild_reads_only_its_topics_and_still_reaches_the_end_of_the_log(
    bus: CommandBus, conn: psycopg.AsyncConnection
) -> None:
    org = a_shop_with_top_ups_then_a_project(bus)
    billing = BillingLedger()
    only_billing = await read_log(conn, after=0, limit=10_000, topics=billing.topics)
    everything = await read_log(conn, after=0, limit=10_000)
    assert {r.topic for r in only_billing} <= billing.topics
    assert len(only_billing) < len(everything)
    assert [r.position for r in only_billing] == [
        r.position for r in everything if r.topic in billing.topics]

    reached = await rebuild(conn, billing)

    assert reached == everything[-1].position
    assert everything[-1].topic not in billing.topics
    balance = await get_balance(conn, org)
    assert balance is not None and balance.topup_balance == Decimal("50.00")
