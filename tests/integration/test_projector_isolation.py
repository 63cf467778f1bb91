"""Projector processes each running a subset of the projections, and a transient database
failure that restarts a projection instead of parking its events."""

import asyncio
import dataclasses
import subprocess
import sys
from pathlib import Path

import psycopg
import pytest

from adapters.settings import Settings
from projections.audit.projection import AuditLog
from projections.registry import all_projections
from projections.runner import is_transient
from projections.verify import differences
from tests.integration.events import onboard, store_for, top_ups
from tests.support import (
    ROOT,
    Processes,
    assert_read_models_equal_rebuild,
    projection_positions,
    scalar,
    store_position,
    wait_for_projections,
    wait_until,
)
from workers.runtime import child_env

pytestmark = pytest.mark.fault
PARKED = "SELECT count(*) FROM parked_events"
REST = {p.name for p in all_projections()} - {"identity", "billing"}


def _at_head(settings: Settings, names: set[str]) -> bool:
    head = store_position(settings)
    return all(p >= head for n, p in projection_positions(settings).items() if n in names)


def test_two_projector_processes_with_disjoint_subsets_bring_every_read_model_to_the_head(
        database: Settings, processes: Processes, monkeypatch: pytest.MonkeyPatch) -> None:
    store, bus = store_for(database.database_url)
    try:
        orgs = [onboard(bus) for _ in range(3)]
        top_ups(bus, orgs, 30, threads=3)
        processes.start("projector-a", "projector", "--only", "identity, billing")
        wait_until(lambda: _at_head(database, {"identity", "billing"}), 30, "identity and billing")
        others = {n: p for n, p in projection_positions(database).items()
                  if n not in {"identity", "billing"}}
        assert set(others) == REST and set(others.values()) == {0}  # nobody runs them yet
        monkeypatch.setenv("COPYDESK_PROJECTIONS", ",".join(sorted(REST)))
        processes.start("projector-b", "projector")
        orgs.append(onboard(bus, "Later"))
        top_ups(bus, orgs, 30, threads=3)
    finally:
        store.close()
    wait_for_projections(database)
    assert scalar(database, PARKED) == 0
    assert_read_models_equal_rebuild(database)


def test_an_unknown_projection_name_ends_the_projector_naming_it_and_the_known_ones(
        database: Settings) -> None:
    done = subprocess.run([sys.executable, "-m", "workers.cli", "projector", "--only",
                           "billing,nope"], cwd=ROOT, env=child_env(database),
                          capture_output=True, text=True, timeout=60)
    assert done.returncode != 0
    assert "'nope'" in done.stderr
    assert "identity, billing, audit, catalog, jobs" in done.stderr


def _log_of(log_dir: Path, name: str) -> str:
    return "".join(path.read_text() for path in log_dir.glob(f"{name}-*.log"))


def test_a_transient_failure_restarts_the_projection_and_parks_nothing(
        database: Settings, tmp_path: Path) -> None:
    # every lock wait of the projector fails after 100 ms: LockNotAvailable, a transient error
    impatient = dataclasses.replace(database, database_url=psycopg.conninfo.make_conninfo(
        database.database_url, options="-c lock_timeout=100"))
    procs = Processes(impatient, tmp_path)
    store, bus = store_for(database.database_url)
    try:
        orgs = [onboard(bus)]
        procs.start("audit", "projector", "--only", "audit")
        wait_until(lambda: _at_head(database, {"audit"}), 30, "audit to start")
        with psycopg.connect(database.database_url) as holder:
            holder.execute("LOCK TABLE rm_audit.audit_log IN ACCESS EXCLUSIVE MODE")
            orgs.append(onboard(bus, "While locked"))
            top_ups(bus, orgs, 20, threads=2)
            wait_until(lambda: _log_of(tmp_path, "audit").count("task_failed_restarting") >= 2,
                       30, "the audit projection to fail and restart twice")
            assert not _at_head(database, {"audit"})
            holder.rollback()
        wait_until(lambda: _at_head(database, {"audit"}), 30, "audit after the lock is gone")
    finally:
        store.close()
        procs.stop_all()
    assert "LockNotAvailable" in _log_of(tmp_path, "audit")
    assert scalar(database, PARKED) == 0

    async def audit_differences() -> list[str]:
        async with await psycopg.AsyncConnection.connect(database.database_url,
                                                         autocommit=True) as conn:
            return await differences(conn, AuditLog())
    assert asyncio.run(audit_differences()) == []


async def _failure_of(conn: psycopg.AsyncConnection, query: str) -> psycopg.Error:
    try:
        await conn.execute(query.encode())
    except psycopg.Error as error:
        return error
    raise AssertionError(f"{query} did not fail")


def test_the_database_at_fault_is_transient_and_a_value_it_refuses_is_not(
        database: Settings) -> None:
    async def check() -> None:
        url = database.database_url
        async with await psycopg.AsyncConnection.connect(url, autocommit=True) as conn:
            nul = await _failure_of(conn, """SELECT '"a\\u0000b"'::jsonb""")
            too_big = await _failure_of(conn, "SELECT array_fill(1, ARRAY[400000000])")
            await conn.execute("SET statement_timeout = 50")
            timed_out = await _failure_of(conn, "SELECT pg_sleep(2)")
            assert isinstance(too_big, psycopg.OperationalError)  # yet deterministic
            assert too_big.sqlstate == "54000" and nul.sqlstate == "22P05"
            assert not is_transient(nul, conn) and not is_transient(too_big, conn)
            assert not is_transient(ValueError("cannot apply this event"), conn)
            assert is_transient(timed_out, conn)
            async with await psycopg.AsyncConnection.connect(url, autocommit=True) as other:
                pid = (await (await conn.execute("SELECT pg_backend_pid()")).fetchone() or [0])[0]
                await other.execute("SELECT pg_terminate_backend(%s)", (pid,))
            terminated = await _failure_of(conn, "SELECT 1")
            assert is_transient(terminated, conn)
            assert is_transient(ValueError("any error, once the connection is gone"), conn)
    asyncio.run(check())
