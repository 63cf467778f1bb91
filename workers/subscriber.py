"""An event subscriber: a worker whose effect of an event is outside the read models (a
command, a call to a store), following the log from its own durable JetStream consumer.

It is tracked like a projection (`subscriber_tracking`), except that its effect cannot share
a transaction with its position: so each effect must be idempotent (derived ids), and the
position is saved after it. A crash between the two repeats the event once, and the
effect recognises itself; a restart resumes after the last event acted on, never before
an event not acted on. NATS is only the fast path: a hole in the positions, a quiet stream,
a lost message or a consumer gone is made good from the event store, the truth.
"""

import asyncio
import contextlib
from collections.abc import Awaitable, Callable, Sequence

import psycopg
import structlog
from nats.aio.client import Client
from nats.js.api import AckPolicy, ConsumerConfig, DeliverPolicy

from adapters.nats import messages
from adapters.nats import stream as events_stream
from adapters.postgres.codec import decode_record, unread_record
from adapters.postgres.event_log import max_position, read_log
from adapters.postgres.subscriber_tracking import save_position, tracked_position
from adapters.settings import Settings
from domain.log import RecordedEvent

log = structlog.get_logger("copydesk.subscriber")
BATCH = 200
IDLE_SECONDS = 1.0
READ_LIMIT = 2000
MAX_READ_BYTES = 4 * 1024 * 1024

Handle = Callable[[RecordedEvent, asyncio.Event], Awaitable[bool]]
"""Act on one event; False when `stop` was set before the effect was done."""


class TrackedSubscriber:
    def __init__(self, settings: Settings, nc: Client, name: str, topics: frozenset[str],
                 handle: Handle) -> None:
        self.settings = settings
        self.nc = nc
        self.name = name
        self.durable = f"sub_{name}"
        self.topics = topics
        self.handle = handle
        self.position = 0

    def handles(self, topic: str) -> bool:
        return topic in self.topics

    async def run(self, stop: asyncio.Event) -> None:
        async with await psycopg.AsyncConnection.connect(
                self.settings.database_url, autocommit=True) as conn:
            self.position = await tracked_position(conn, self.name)
            log.info("subscriber_started", subscriber=self.name, position=self.position)
            await self._catch_up(conn, stop)
            while not stop.is_set():
                try:
                    await self._consume(conn, stop)
                except psycopg.Error:  # the database: the supervisor starts over
                    raise
                except Exception as error:  # stream or consumer gone, NATS down
                    if stop.is_set():
                        break
                    log.warning("subscriber_consume_failed", subscriber=self.name,
                                error=repr(error))
                    await self._catch_up(conn, stop)
                    with contextlib.suppress(TimeoutError):
                        await asyncio.wait_for(stop.wait(), 0.5)

    async def _consume(self, conn: psycopg.AsyncConnection, stop: asyncio.Event) -> None:
        js = self.nc.jetstream()
        await events_stream.ensure_stream(js, self.settings.events_stream,
                                          self.settings.events_subject)
        sub = await js.pull_subscribe(
            events_stream.all_subjects(self.settings.events_subject), durable=self.durable,
            stream=self.settings.events_stream,
            config=ConsumerConfig(durable_name=self.durable, ack_policy=AckPolicy.EXPLICIT,
                                  deliver_policy=DeliverPolicy.ALL, max_ack_pending=20_000,
                                  ack_wait=60))
        try:
            while not stop.is_set():
                try:
                    msgs = await sub.fetch(BATCH, timeout=IDLE_SECONDS)
                except TimeoutError:
                    await self._catch_up(conn, stop)
                    continue
                records = [decode_record(*e) if self.handles(e.topic) else unread_record(*e)
                           for m in msgs for e in messages.decode(m.headers or {}, m.data)]
                await self._take(conn, records, stop)
                # acked even when stopped early: the position, not the stream, says what is done
                await asyncio.gather(*(m.ack() for m in msgs))
        finally:
            with contextlib.suppress(Exception):
                await sub.unsubscribe()

    async def _take(self, conn: psycopg.AsyncConnection, records: Sequence[RecordedEvent],
                    stop: asyncio.Event) -> None:
        fresh = sorted({r.position: r for r in records if r.position > self.position}.values(),
                       key=lambda r: r.position)
        if not fresh:
            return
        if any(r.position != self.position + i for i, r in enumerate(fresh, start=1)):
            # a hole: lost, out of order, or a rolled-back id; the store says which
            fresh = await read_log(conn, after=self.position, limit=READ_LIMIT,
                                   upto=fresh[-1].position, max_bytes=MAX_READ_BYTES,
                                   handles=self.handles)
        await self._apply(conn, fresh, stop)

    async def _apply(self, conn: psycopg.AsyncConnection, records: Sequence[RecordedEvent],
                     stop: asyncio.Event) -> None:
        start = self.position
        for record in records:
            if self.handles(record.topic):
                if not await self.handle(record, stop):
                    break  # stopped before its effect: it is taken up again on restart
                self.position = record.position
                await save_position(conn, self.name, self.position)
            else:
                self.position = record.position
        if self.position > start:
            await save_position(conn, self.name, self.position)

    async def _catch_up(self, conn: psycopg.AsyncConnection, stop: asyncio.Event) -> None:
        """Act on what the store has beyond our position (the stream may have lost it)."""
        while not stop.is_set() and await max_position(conn) > self.position:
            records = await read_log(conn, after=self.position, limit=READ_LIMIT,
                                     max_bytes=MAX_READ_BYTES, handles=self.handles)
            if not records:
                break
            await self._apply(conn, records, stop)
