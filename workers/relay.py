"""The relay: publishes the event log to JetStream, in order, exactly as stored.

One relay is active at a time (a PostgreSQL advisory lock; the others wait as standbys).
It wakes on the events table's NOTIFY and also polls. A message carries one event, or a run
of one transaction's events of one topic (`adapters.nats.messages`); its `Nats-Msg-Id` is made
of positions and the same rows always form the same messages, so a relay that crashes after
publishing and before saving its position re-sends duplicates that JetStream drops. Its
position is saved after the acks.
"""

import asyncio
import contextlib
from typing import Any

import psycopg
import structlog
from nats.js import JetStreamContext

from adapters.nats import messages
from adapters.nats import stream as events_stream
from adapters.postgres import relay_state
from adapters.postgres.event_log import read_for_relay
from adapters.postgres.event_store import EVENTS_TABLE
from adapters.settings import Settings

log = structlog.get_logger("copydesk.relay")
RELAY_LOCK = 7_311_002
BATCH = 1000
assert BATCH > messages.RUN_BLOCK, "each read must hold at least one whole run"
POLL_SECONDS = 0.5


class Relay:
    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.position = 0
        self.published = 0

    async def run(self, stop: asyncio.Event) -> None:
        url = self.settings.database_url
        async with await psycopg.AsyncConnection.connect(url, autocommit=True) as conn:
            while not stop.is_set():
                if await relay_state.try_lock(conn, RELAY_LOCK):
                    break
                log.info("relay_standby")
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(stop.wait(), 2.0)
            if stop.is_set():
                return
            nc = await events_stream.connect(self.settings.nats_url, "copydesk-relay")
            try:
                js = nc.jetstream()
                await events_stream.ensure_stream(js, self.settings.events_stream,
                                                   self.settings.events_subject)
                await conn.execute(f"LISTEN {EVENTS_TABLE}")
                self.position = await relay_state.published_position(conn)
                log.info("relay_active", position=self.position)
                await self._loop(conn, js, stop)
            finally:
                await nc.close()

    async def _loop(
        self, conn: psycopg.AsyncConnection, js: JetStreamContext, stop: asyncio.Event
    ) -> None:
        async with await psycopg.AsyncConnection.connect(
            self.settings.database_url, autocommit=True
        ) as reader:
            while not stop.is_set():
                rows = await read_for_relay(reader, self.position, BATCH)
                if rows:
                    runs = messages.runs(rows, more_follow=len(rows) == BATCH)
                    await self._publish(js, runs)
                    self.position = runs[-1][-1].position
                    self.published += sum(len(run) for run in runs)
                    await relay_state.save_position(reader, self.position)
                    continue
                await self._wait_for_notify(conn, stop)

    async def _wait_for_notify(self, conn: psycopg.AsyncConnection, stop: asyncio.Event) -> None:
        async for _ in conn.notifies(timeout=POLL_SECONDS, stop_after=1):
            break

    async def _publish(self, js: JetStreamContext, runs: list[list[messages.LogRow]]) -> None:
        for attempt in range(1, 1_000_000):
            futures: list[asyncio.Future[Any]] = []
            try:
                for run in runs:
                    _, headers, body = messages.encode(run)
                    subject = events_stream.subject_for(run[0].topic, self.settings.events_subject)
                    futures.append(await js.publish_async(subject, body, wait_stall=5.0,
                                                          headers=headers))
                await asyncio.wait_for(asyncio.gather(*futures), timeout=10)
                return
            except Exception as error:  # NATS down, stream deleted, ack timeout
                for future in futures:
                    future.cancel()  # frees its slot among the pending publishes
                log.warning("relay_publish_failed", error=repr(error), attempt=attempt,
                            position=runs[0][0].position)
                await asyncio.sleep(min(0.1 * attempt, 2.0))
                with contextlib.suppress(Exception):
                    await events_stream.ensure_stream(js, self.settings.events_stream,
                                                   self.settings.events_subject)
        raise AssertionError("unreachable")


async def run_relay(settings: Settings, stop: asyncio.Event) -> None:
    await Relay(settings).run(stop)
