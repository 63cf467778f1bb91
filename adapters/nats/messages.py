"""How events travel in the stream: one message per event, or one per run of events.

A run is the events of ONE transaction with one topic, within one aligned block of positions.
Those facts never change once the transaction is visible, so a relay that re-reads the log
after a crash forms the very same messages, with the same `Nats-Msg-Id`, and JetStream drops
the repeats. Bulk work (an import writes thousands of events of one topic per transaction)
then costs one message per run instead of one per event.
"""

from collections.abc import Sequence
from typing import NamedTuple
from uuid import UUID

import msgspec

POSITION = "Nats-Msg-Id"
AGGREGATE_ID = "Cd-Aggregate-Id"
AGGREGATE_VERSION = "Cd-Aggregate-Version"
TOPIC = "Cd-Topic"
LAST_POSITION = "Cd-Last-Position"
"""On a run's message: the position of its last event (`Nats-Msg-Id` is `first-last`)."""

RUN_BLOCK = 200
"""A run never crosses a multiple of this position, which bounds a message's size."""
MAX_RUN_BYTES = 512 * 1024


class LogRow(NamedTuple):
    position: int
    aggregate_id: UUID
    version: int
    topic: str
    state: bytes
    txid: int
    """The inserting transaction (PostgreSQL's xmin)."""


class StreamEvent(NamedTuple):
    position: int
    aggregate_id: UUID
    version: int
    topic: str
    state: bytes


_RUN = msgspec.json.Decoder(list[tuple[int, UUID, int, msgspec.Raw]])


def runs(rows: Sequence[LogRow], more_follow: bool) -> list[list[LogRow]]:
    """`rows` (in position order) cut into messages. When the read stopped at its limit
    (`more_follow`), the last run may continue beyond it: it is left for the next read (so a
    read must be larger than RUN_BLOCK, leaving at least one whole run)."""
    out: list[list[LogRow]] = []
    size = 0
    for row in rows:
        last = out[-1][-1] if out else None
        if (last is not None and row.txid == last.txid and row.topic == last.topic
                and row.position // RUN_BLOCK == last.position // RUN_BLOCK
                and row.position == last.position + 1 and size + len(row.state) <= MAX_RUN_BYTES):
            out[-1].append(row)
            size += len(row.state)
        else:
            out.append([row])
            size = len(row.state)
    if more_follow and len(out) > 1:
        out.pop()
    return out


def encode(run: Sequence[LogRow]) -> tuple[str, dict[str, str], bytes]:
    """(message id, headers, body) of a run."""
    first = run[0]
    headers = {AGGREGATE_ID: str(first.aggregate_id), AGGREGATE_VERSION: str(first.version),
               TOPIC: first.topic}
    if len(run) == 1:
        msg_id = str(first.position)
        body = first.state
    else:
        msg_id = f"{first.position}-{run[-1].position}"
        headers[LAST_POSITION] = str(run[-1].position)
        body = msgspec.json.encode(
            [(r.position, r.aggregate_id, r.version, msgspec.Raw(r.state)) for r in run])
    headers[POSITION] = msg_id
    return msg_id, headers, body


def decode(headers: dict[str, str], data: bytes) -> list[StreamEvent]:
    topic = headers[TOPIC]
    if LAST_POSITION not in headers:
        return [StreamEvent(int(headers[POSITION]), UUID(headers[AGGREGATE_ID]),
                            int(headers[AGGREGATE_VERSION]), topic, data)]
    return [StreamEvent(p, a, v, topic, bytes(state)) for p, a, v, state in _RUN.decode(data)]
