"""Checks that a read model equals a rebuild from scratch (fault tests, and operators)."""

from psycopg import AsyncConnection, sql

from projections.base import Projection
from projections.rebuilds import replay_into
from projections.runner import create_schema, tracked_position


async def differences(conn: AsyncConnection, projection: Projection) -> list[str]:
    """Tables whose rows differ between the live schema and a fresh replay up to the live
    position; empty when the read model is exactly what the log says."""
    check = f"{projection.schema}__verify"
    ident = sql.Identifier
    await conn.execute(sql.SQL("DROP SCHEMA IF EXISTS {} CASCADE").format(ident(check)))
    await create_schema(conn, projection, check)
    position = await tracked_position(conn, projection.name)
    await replay_into(conn, [projection], [check], upto=position)
    cur = await conn.execute(
        "SELECT table_name FROM information_schema.tables WHERE table_schema = %s", (check,))
    problems = []
    for (table,) in await cur.fetchall():
        columns = await _comparable_columns(conn, check, table, projection.derived)
        for a, b in ((projection.schema, check), (check, projection.schema)):
            query = sql.SQL("SELECT count(*) FROM (SELECT {} FROM {}.{} EXCEPT ALL "
                            "SELECT {} FROM {}.{}) d").format(columns, ident(a), ident(table),
                                                              columns, ident(b), ident(table))
            row = await (await conn.execute(query)).fetchone()
            if row and row[0]:
                problems.append(f"{table}: {row[0]} rows in {a} not in {b}")
    await conn.execute(sql.SQL("DROP SCHEMA {} CASCADE").format(ident(check)))
    return problems


async def _comparable_columns(conn: AsyncConnection, schema: str, table: str,
                              derived: frozenset[tuple[str, str]]) -> sql.Composable:
    """The table's columns but the derived ones, a `json` one as jsonb (json has no equality;
    jsonb compares the value, whatever its spacing)."""
    cur = await conn.execute(
        "SELECT column_name, data_type FROM information_schema.columns"
        " WHERE table_schema = %s AND table_name = %s ORDER BY ordinal_position", (schema, table))
    return sql.SQL(", ").join(
        sql.SQL("{}::jsonb").format(sql.Identifier(name)) if kind == "json"
        else sql.Identifier(name) for name, kind in await cur.fetchall()
        if (table, name) not in derived)
