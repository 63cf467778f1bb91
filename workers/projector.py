"""Projector: keeps each read model up to date from its own durable JetStream consumer.

Per projection: fetch a batch, apply it with its position in one transaction, commit, then
ack. When the stream is quiet (or gone, or NATS is down) it compares its position with the
event store and catches up from PostgreSQL directly, so a lost stream only delays it.
A database failure that reaches a worker is transient (see `projections.runner`): it ends the
worker, and its supervisor starts it again on a new connection after a doubling pause.
A process may run any subset of the projections (`copydesk projector --only`); the others
run elsewhere, each projection on its own consumer and tracking row.
"""

import asyncio
import contextlib
import functools

import psycopg
import structlog
from nats.aio.client import Client
from nats.aio.msg import Msg
from nats.js.api import AckPolicy, ConsumerConfig, DeliverPolicy

from adapters.nats import messages
from adapters.nats import stream as events_stream
from adapters.postgres.codec import decode_record, unread_record
from adapters.postgres.event_log import max_position, read_log
from adapters.settings import Settings
from domain.log import RecordedEvent
from projections.base import Projection
from projections.runner import apply_batch, pass_over, save_position, tracked_position
from workers.runtime import spare_full_collections
from workers.supervision import supervise

log = structlog.get_logger("copydesk.projector")
BATCH = 500
IDLE_SECONDS = 1.0
CATCH_UP_BATCH = 2000
RUNS_PER_BATCH = 10
"""Messages of runs (up to 200 events each) applied in one transaction."""
MAX_BATCH_BYTES = 4 * 1024 * 1024
"""Event data one batch may hold, about: an import's events are large, and every projection
of the process holds its batch decoded."""


def records_of(msg: Msg, projection: Projection) -> list[RecordedEvent]:
    return [decode_record(*event) if projection.handles(event.topic) else unread_record(*event)
            for event in messages.decode(msg.headers or {}, msg.data)]


def more_to_fetch(first: Msg) -> int:
    """How many messages to fetch after `first` for one batch: fewer when they hold runs of
    events, or large ones (judged by the first)."""
    more = BATCH - 1 if messages.LAST_POSITION not in (first.headers or {}) else RUNS_PER_BATCH - 1
    return min(more, MAX_BATCH_BYTES // max(len(first.data), 1) - 1)


class ProjectionWorker:
    def __init__(self, settings: Settings, projection: Projection, nc: Client) -> None:
        self.settings = settings
        self.projection = projection
        self.nc = nc
        self.durable = f"proj_{projection.name}"
        self.position = 0

    async def run(self, stop: asyncio.Event) -> None:
        async with await psycopg.AsyncConnection.connect(
            self.settings.database_url, autocommit=True
        ) as conn:
            self.position = await tracked_position(conn, self.projection.name)
            await self._catch_up_from_store(conn)
            while not stop.is_set():
                try:
                    await self._consume(conn, stop)
                except psycopg.Error:  # transient (the runner parks the others): restart
                    raise
                except Exception as error:  # stream or consumer gone, NATS down
                    if stop.is_set():
                        break
                    log.warning("projector_consume_failed", projection=self.projection.name,
                                error=repr(error))
                    await self._catch_up_from_store(conn)
                    with contextlib.suppress(TimeoutError):
                        await asyncio.wait_for(stop.wait(), 0.5)

    async def _consume(self, conn: psycopg.AsyncConnection, stop: asyncio.Event) -> None:
        js = self.nc.jetstream()
        await events_stream.ensure_stream(js, self.settings.events_stream,
                                          self.settings.events_subject)
        sub = await js.pull_subscribe(
            events_stream.all_subjects(self.settings.events_subject), durable=self.durable,
            stream=self.settings.events_stream,
            config=ConsumerConfig(
                durable_name=self.durable, ack_policy=AckPolicy.EXPLICIT,
                deliver_policy=DeliverPolicy.ALL, max_ack_pending=20_000, ack_wait=30,
            ),
        )
        try:
            while not stop.is_set():
                try:
                    msgs = await sub.fetch(1, timeout=IDLE_SECONDS)
                except TimeoutError:
                    await save_position(conn, self.projection.name, self.position)
                    await self._catch_up_from_store(conn)
                    continue
                more = more_to_fetch(msgs[0])
                if more > 0:
                    with contextlib.suppress(TimeoutError):
                        msgs += await sub.fetch(more, timeout=0.005)
                records = [r for m in msgs for r in records_of(m, self.projection)]
                passed = await pass_over(conn, self.projection, records, self.position)
                self.position = (passed if passed is not None else
                                 await apply_batch(conn, self.projection, records, self.position))
                await asyncio.gather(*(m.ack() for m in msgs))
        finally:
            with contextlib.suppress(Exception):
                await sub.unsubscribe()

    async def _catch_up_from_store(self, conn: psycopg.AsyncConnection) -> None:
        """Apply what the store has beyond our position (the stream may have lost it)."""
        while await max_position(conn) > self.position:
            records = await read_log(conn, after=self.position, limit=CATCH_UP_BATCH,
                                     max_bytes=MAX_BATCH_BYTES, handles=self.projection.handles)
            if not records:
                break
            self.position = await apply_batch(conn, self.projection, records)


async def run_projectors(
    settings: Settings, projections: list[Projection], stop: asyncio.Event
) -> None:
    spare_full_collections()
    log.info("projector_started", projections=[p.name for p in projections])
    nc = await events_stream.connect(settings.nats_url, "copydesk-projector")
    try:
        workers = [ProjectionWorker(settings, p, nc) for p in projections]
        # each on its own: one projection failing never stops another or closes the connection
        await asyncio.gather(*(supervise(f"projection {w.projection.name}",
                                         functools.partial(w.run, stop), stop)
                               for w in workers))
    finally:
        await nc.close()
