"""The work queue of job units: a JetStream stream with work-queue retention, one subject and
one durable pull consumer per kind, shared by every worker process.

A unit is removed once acked. `Nats-Msg-Id` = "<job id>:<unit id>" makes publishing a plan
again (a planner that crashed) a no-op within the stream's duplicate window; past it, a unit
published twice is still recorded once (the job ignores a second outcome). The consumers
redeliver without limit: the engine itself gives up after the kind's `max_attempts`, so a
unit whose worker died on its last attempt is not lost.
"""

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any
from uuid import UUID

import msgspec
from nats.js import JetStreamContext
from nats.js.api import AckPolicy, ConsumerConfig, RetentionPolicy, StorageType, StreamConfig
from nats.js.errors import NotFoundError

from adapters.settings import Settings
from commands.jobs.kind import JobKind, Unit

PUBLISH_WINDOW = 500
MAX_ACK_PENDING = 20_000


class UnitMessage(msgspec.Struct, frozen=True):
    job_id: UUID
    unit_id: str
    data: dict[str, Any] = {}


_decoder = msgspec.json.Decoder(UnitMessage)


def decode_unit(data: bytes) -> UnitMessage:
    return _decoder.decode(data)


def unit_subject(settings: Settings, kind: str) -> str:
    return f"{settings.jobs_subject}.{kind}"


def consumer_name(kind: str) -> str:
    return "units_" + kind.replace(".", "__")


async def ensure_units_stream(js: JetStreamContext, settings: Settings) -> None:
    try:
        await js.stream_info(settings.jobs_stream)
    except NotFoundError:
        await js.add_stream(StreamConfig(
            name=settings.jobs_stream, subjects=[f"{settings.jobs_subject}.>"],
            retention=RetentionPolicy.WORK_QUEUE, storage=StorageType.FILE,
            duplicate_window=120.0, max_age=7 * 24 * 3600.0,
        ))


async def units_subscription(
    js: JetStreamContext, settings: Settings, kind: JobKind
) -> JetStreamContext.PullSubscription:
    """The kind's shared durable consumer (created, or updated to the kind's ack_wait)."""
    name = consumer_name(kind.name)
    await js.add_consumer(settings.jobs_stream, ConsumerConfig(
        name=name, durable_name=name, filter_subject=unit_subject(settings, kind.name),
        ack_policy=AckPolicy.EXPLICIT, ack_wait=kind.ack_wait, max_deliver=-1,
        max_ack_pending=MAX_ACK_PENDING,
    ))
    return await js.pull_subscribe_bind(durable=name, stream=settings.jobs_stream)


class PlanningError(Exception):
    """The kind could not plan the job (its `plan` raised, or gave one unit id twice)."""


async def publish_units(
    js: JetStreamContext, settings: Settings, job_id: UUID, kind: str,
    units: AsyncIterator[Unit], heartbeat: Callable[[], Awaitable[None]] | None = None,
) -> int:
    """Publish every unit `units` yields; how many. PlanningError for the kind's faults;
    NATS errors as they are (publishing again later is safe)."""
    subject, seen = unit_subject(settings, kind), set()
    pending: list[Any] = []
    while True:
        try:
            unit = await units.__anext__()
        except StopAsyncIteration:
            break
        except Exception as error:
            raise PlanningError(str(error) or type(error).__name__) from error
        if unit.id in seen:
            raise PlanningError(f"the plan gives unit {unit.id!r} twice")
        seen.add(unit.id)
        body = msgspec.json.encode(UnitMessage(job_id=job_id, unit_id=unit.id, data=unit.data))
        pending.append(await js.publish_async(
            subject, body, wait_stall=10.0, headers={"Nats-Msg-Id": f"{job_id}:{unit.id}"}))
        if len(pending) >= PUBLISH_WINDOW:
            await _settle(pending)
            if heartbeat is not None:
                await heartbeat()
    await _settle(pending)
    return len(seen)


async def _settle(pending: list[Any]) -> None:
    try:
        await asyncio.wait_for(asyncio.gather(*pending), timeout=10)
    except BaseException:
        for future in pending:
            future.cancel()  # frees its slot among the client's pending publishes
        raise
    finally:
        pending.clear()
