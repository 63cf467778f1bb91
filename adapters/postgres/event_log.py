"""Reads the log (the events table in position order) on an async connection."""

from collections.abc import Callable, Collection

from psycopg import AsyncConnection

from adapters.nats.messages import LogRow
from adapters.postgres.codec import decode_record, unread_record
from adapters.postgres.event_store import EVENTS_TABLE
from domain.log import RecordedEvent

_SELECT = (
    f"SELECT notification_id, originator_id, originator_version, topic, state FROM {EVENTS_TABLE}"
    " WHERE notification_id > %s AND notification_id <= %s{topics}"
    " ORDER BY notification_id LIMIT %s"
)
_SELECT_BOUNDED = (
    "SELECT notification_id, originator_id, originator_version, topic, state FROM ("
    " SELECT *, sum(octet_length(state)) OVER (ORDER BY notification_id) AS running_bytes"
    f" FROM {EVENTS_TABLE} WHERE notification_id > %s AND notification_id <= %s{{topics}}"
    " ORDER BY notification_id LIMIT %s) AS head"
    " WHERE running_bytes - octet_length(state) < %s ORDER BY notification_id"
)
_TOPICS = " AND topic = ANY(%s)"


async def read_raw(
    conn: AsyncConnection, after: int, limit: int, upto: int = 2**62,
    max_bytes: int | None = None, topics: Collection[str] | None = None,
) -> list[tuple[int, object, int, str, bytes]]:
    """Rows with `after < position <= upto`, at most `limit`; with `max_bytes`, only as many
    (at least one) as fit in that many bytes of event data: an import's events are large.
    With `topics`, only rows of those topics (filtered by PostgreSQL: a rebuild of a read model
    that handles a few kinds of event reads only those)."""
    params: list[object] = [after, upto]
    if topics is not None:
        params.append(list(topics))
    template = _SELECT if max_bytes is None else _SELECT_BOUNDED
    query = template.replace("{topics}", "" if topics is None else _TOPICS)
    params.append(limit)
    if max_bytes is not None:
        params.append(max_bytes)
    cur = await conn.execute(query, params)
    return [(r[0], r[1], r[2], r[3], bytes(r[4])) for r in await cur.fetchall()]


_SELECT_WITH_TXID = (
    "SELECT notification_id, originator_id, originator_version, topic, state, xmin::text::bigint"
    f" FROM {EVENTS_TABLE} WHERE notification_id > %s ORDER BY notification_id LIMIT %s"
)


async def read_for_relay(conn: AsyncConnection, after: int, limit: int) -> list[LogRow]:
    """Like `read_raw`, with each event's inserting transaction (see `adapters.nats.messages`)."""
    cur = await conn.execute(_SELECT_WITH_TXID, (after, limit))
    return [LogRow(r[0], r[1], r[2], r[3], bytes(r[4]), r[5]) for r in await cur.fetchall()]


async def read_log(
    conn: AsyncConnection, after: int, limit: int, upto: int = 2**62, *,
    max_bytes: int | None = None, handles: Callable[[str], bool] | None = None,
    topics: Collection[str] | None = None,
) -> list[RecordedEvent]:
    """Events with `after < position <= upto`, at most `limit` (and `max_bytes` and `topics`,
    see `read_raw`), in order; those whose topic `handles` refuses are left undecoded."""
    return [decode_record(*row) if handles is None or handles(row[3]) else unread_record(*row)  # type: ignore[arg-type]
            for row in await read_raw(conn, after, limit, upto, max_bytes, topics)]


async def max_position(conn: AsyncConnection) -> int:
    cur = await conn.execute(f"SELECT coalesce(max(notification_id), 0) FROM {EVENTS_TABLE}")
    row = await cur.fetchone()
    return int(row[0]) if row else 0
