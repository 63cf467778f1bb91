"""The positions of the event subscribers (`subscriber_tracking`): a subscriber saves its
position after each effect, so a restart resumes after the last event it acted on."""

from psycopg import AsyncConnection


async def tracked_position(conn: AsyncConnection, name: str) -> int:
    """The subscriber's position; 0 (and its row made) the first time it runs."""
    await conn.execute("INSERT INTO subscriber_tracking (name) VALUES (%s)"
                       " ON CONFLICT (name) DO NOTHING", (name,))
    cur = await conn.execute("SELECT position FROM subscriber_tracking WHERE name = %s", (name,))
    row = await cur.fetchone()
    return int(row[0]) if row else 0


async def save_position(conn: AsyncConnection, name: str, position: int) -> None:
    """Move forward only: a stale writer (an older process still running) cannot move it
    back."""
    await conn.execute(
        "UPDATE subscriber_tracking SET position = %s, updated_at = now()"
        " WHERE name = %s AND position < %s", (position, name, position))
