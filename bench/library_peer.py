"""The peer of bench 1: the eventsourcing library's own `Application.save()` on its
PostgreSQL persistence, in the same database, from 32 threads and without any HTTP. Each
thread owns one aggregate and appends one event to it per save, as a top-up appends one
event to an account; the rate of saves is the figure copydesk's HTTP top-ups are compared
with (target: at least 3 times).
"""

from __future__ import annotations

import threading
import time
from collections import Counter
from uuid import UUID

from eventsourcing.application import Application
from eventsourcing.domain import Aggregate, event
from psycopg import connect
from psycopg.conninfo import conninfo_to_dict

from bench.load import LoadResult


class Account(Aggregate):
    @event("Created")
    def __init__(self) -> None:
        self.total = 0

    @event("ToppedUp")
    def top_up(self, amount: int) -> None:
        self.total += amount


def library_env(database_url: str, threads: int) -> dict[str, str]:
    params = conninfo_to_dict(database_url)
    return {
        "PERSISTENCE_MODULE": "eventsourcing.postgres",
        "POSTGRES_DBNAME": str(params.get("dbname", "postgres")),
        "POSTGRES_HOST": str(params.get("host", "localhost")),
        "POSTGRES_PORT": str(params.get("port", 5432)),
        "POSTGRES_USER": str(params.get("user", "postgres")),
        "POSTGRES_PASSWORD": str(params.get("password", "")),
        "POSTGRES_POOL_SIZE": str(threads),
        "POSTGRES_MAX_OVERFLOW": "0",
        "POSTGRES_SCHEMA": "bench_peer",
    }


def save_rate(database_url: str, threads: int, warmup: float, duration: float) -> LoadResult:
    """Saves completed per thread in the last `duration` seconds of `warmup + duration`."""
    with connect(database_url, autocommit=True) as conn:
        conn.execute("CREATE SCHEMA IF NOT EXISTS bench_peer")
    app: Application[UUID] = Application(env=library_env(database_url, threads))
    accounts = [Account() for _ in range(threads)]
    app.save(*accounts)
    start = time.monotonic()
    measure_from, end = start + warmup, start + warmup + duration
    counts: Counter[str] = Counter()
    latencies: list[float] = []
    lock = threading.Lock()

    def work(account: Account) -> None:
        done, times = 0, []
        while (now := time.monotonic()) < end:
            account.top_up(1)
            app.save(account)
            finished = time.monotonic()
            if now >= measure_from:
                done += 1
                times.append(finished - now)
        with lock:
            counts["ok"] += done
            latencies.extend(times)

    workers = [threading.Thread(target=work, args=(a,)) for a in accounts]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    app.close()
    return LoadResult(counts=counts, seconds=duration, latencies=latencies)
