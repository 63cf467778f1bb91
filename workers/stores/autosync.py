"""`copydesk autosync`: the store auto-sync subscriber. On each `catalog.ItemApproved` it
queues a `store.sync` job for that item when the project's store connection has auto-sync
on (`commands.stores.autosync`); the job worker writes the store. While another sync job
runs on the project it waits (holding its position) and tries again."""

import asyncio
import contextlib
import functools

import structlog

from adapters.nats import stream as events_stream
from adapters.postgres.event_store import PostgresEventStore
from adapters.settings import Settings
from commands.bus import CommandBus
from commands.stores.autosync import AutoSyncApprovedItem, auto_sync_approved_item
from domain.catalog.events import ItemApproved
from domain.errors import DomainError
from domain.jobs.errors import JobAlreadyRunningError
from domain.log import EventMeta, RecordedEvent
from workers.subscriber import TrackedSubscriber
from workers.supervision import supervise

log = structlog.get_logger("copydesk.autosync")
NAME = "store_autosync"
FIRST_PAUSE = 0.2
LONGEST_PAUSE = 5.0


async def queue_sync(bus: CommandBus, record: RecordedEvent, stop: asyncio.Event) -> bool:
    """Queue the approved item's sync job (or find it queued already); False when stopped
    while another sync job held the project."""
    event = record.event
    assert isinstance(event, ItemApproved)
    cmd = AutoSyncApprovedItem(org_id=event.org_id, project_id=event.project_id,
                               item_id=record.aggregate_id,
                               approval_version=record.aggregate_version,
                               approved_at=event.occurred_at)
    meta = EventMeta(actor_type="system", actor_id="store-autosync",
                     causation_id=str(record.position), correlation_id=str(record.aggregate_id))
    pause = FIRST_PAUSE
    while not stop.is_set():
        try:
            outcome = await asyncio.to_thread(bus.execute, auto_sync_approved_item, cmd, meta)
        except JobAlreadyRunningError:  # one sync at a time per project: wait for it
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), pause)
            pause = min(pause * 2, LONGEST_PAUSE)
            continue
        except DomainError as error:  # the item or project refuses it: nothing to sync
            log.warning("auto_sync_refused", org_id=str(event.org_id), item_id=str(cmd.item_id),
                        position=record.position, error=str(error))
            return True
        if outcome.result is not None:
            log.info("auto_sync_queued", org_id=str(event.org_id), item_id=str(cmd.item_id),
                     job_id=str(outcome.result), position=record.position)
        return True
    return False


async def run_store_autosync(settings: Settings, stop: asyncio.Event) -> None:
    store = PostgresEventStore(settings.database_url, pool_size=2, max_overflow=2)
    nc = await events_stream.connect(settings.nats_url, "copydesk-autosync")
    try:
        subscriber = TrackedSubscriber(settings, nc, NAME, frozenset({ItemApproved.topic()}),
                                       functools.partial(queue_sync, CommandBus(store)))
        await supervise("store auto-sync", functools.partial(subscriber.run, stop), stop)
    finally:
        with contextlib.suppress(Exception):
            await nc.close()
        store.close()
