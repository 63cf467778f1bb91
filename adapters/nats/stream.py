"""The events stream: its subjects, its configuration, and the headers each message carries."""

import nats
from nats.aio.client import Client
from nats.js import JetStreamContext
from nats.js.api import RetentionPolicy, StorageType, StreamConfig
from nats.js.errors import NotFoundError

from adapters.nats.messages import AGGREGATE_ID, AGGREGATE_VERSION, POSITION, TOPIC

__all__ = ["AGGREGATE_ID", "AGGREGATE_VERSION", "POSITION", "TOPIC"]


def subject_for(topic: str, prefix: str = "events") -> str:
    """`billing.ToppedUp` → `events.billing.ToppedUp`."""
    return f"{prefix}.{topic}"


def all_subjects(prefix: str = "events") -> str:
    return f"{prefix}.>"


async def connect(url: str, name: str) -> Client:
    return await nats.connect(url, name=name, max_reconnect_attempts=-1, reconnect_time_wait=0.5)


async def ensure_stream(js: JetStreamContext, stream: str, prefix: str = "events") -> None:
    try:
        await js.stream_info(stream)
    except NotFoundError:
        await js.add_stream(
            StreamConfig(
                name=stream, subjects=[all_subjects(prefix)], retention=RetentionPolicy.LIMITS,
                storage=StorageType.FILE, duplicate_window=120.0,
                max_age=7 * 24 * 3600.0,
            )
        )
