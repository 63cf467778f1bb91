"""Probe (not a benchmark): how big a statement hangs psycopg's pipeline mode, and whether a
big `PostgresEventStore.append` still does.

Until commit b30c875 the store wrote a group of concurrent appends as one INSERT whose single
parameter is the array of all their events, inside psycopg's pipeline mode (eventsourcing's
recorder). Past about 1 MB on the wire the pipeline sync never returned: the server waited in
ClientRead, the client waited for results, and every later append of the process queued
behind it (≈ 2,000 ToppedUp events). The same happens with psycopg alone (one large parameter
in `conn.pipeline()`), so it is psycopg's pipeline flushing (compare psycopg issue #685).
Since b30c875 the store appends without the pipeline; the second half checks that.

    .venv/bin/python -m bench.pipeline_hang

(A hung probe is ended by dropping its database at exit: its thread then prints an
OperationalError, which is expected.)
"""

import functools
import threading
import time
from collections.abc import Callable
from decimal import Decimal
from uuid import uuid4

import psycopg

from adapters.postgres.event_store import PostgresEventStore
from bench.cli import exit_on_sigterm
from bench.seed import META
from bench.servers import BenchEnv
from domain.billing.events import ToppedUp
from domain.log import NewEvent

WAIT = 10.0


def finishes(work: Callable[[], object]) -> tuple[bool, float]:
    """(done within WAIT seconds, seconds); a hung thread is left behind (daemon)."""
    thread = threading.Thread(target=work, daemon=True)
    started = time.monotonic()
    thread.start()
    thread.join(WAIT)
    return not thread.is_alive(), time.monotonic() - started


def main() -> None:
    exit_on_sigterm()
    with BenchEnv("pipeline_hang") as env:
        print("one parameter of N bytes inside conn.pipeline(), psycopg alone:")
        for size in (250_000, 500_000, 750_000, 1_000_000, 2_000_000):
            def query(size: int = size) -> None:
                with psycopg.connect(env.database_url) as conn, conn.pipeline() as pipe:
                    cur = conn.execute("SELECT length(%s::bytea)", (b"x" * size,))
                    pipe.sync()
                    cur.fetchone()
            ok, seconds = finishes(query)
            print(f"  {size:>9,} bytes: {'ok' if ok else 'HANGS'} ({seconds:.2f} s)")
            if not ok:
                break
        print("one PostgresEventStore.append of N ToppedUp events:")
        for count in (500, 1000, 1500, 2000, 4000):
            store = PostgresEventStore(env.database_url, pool_size=1, max_overflow=1)
            aggregate, org = uuid4(), uuid4()
            events = [NewEvent(aggregate_id=aggregate, aggregate_version=v, event=ToppedUp(
                org_id=org, transaction_id=uuid4(), amount=Decimal("1.00"),
                description="bench")) for v in range(1, count + 1)]
            ok, seconds = finishes(functools.partial(store.append, events, META))
            print(f"  {count:>5} events: {'ok' if ok else 'HANGS'} ({seconds:.2f} s)")
            if not ok:
                break
            store.close()


if __name__ == "__main__":
    main()
