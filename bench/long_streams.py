"""Bench 6 — long streams: top-up commands through the command bus (in process, the real
PostgreSQL store) on billing accounts with 200,000 prior events against accounts with 10, in
the same run, alternating rounds; commands/s of each. The long accounts' events are appended
through `PostgresEventStore.append` first; a fresh store then stands for a restarted process,
and its first command on a long account (no snapshot yet: the whole stream) is timed apart, as
is the first command of a second fresh store (from the snapshot written meanwhile).

    .venv/bin/python -m bench.long_streams
"""

from __future__ import annotations

import threading
import time
from decimal import Decimal
from uuid import UUID

from adapters.embedded import EmbeddedServers
from adapters.postgres.event_store import PostgresEventStore
from bench.cli import main, say
from bench.report import Result, at_least
from bench.seed import META, Org, append_top_ups, onboard_orgs
from bench.servers import BenchEnv
from commands.billing.accounts import TopUp, top_up
from commands.bus import CommandBus
from domain.billing.account import BillingAccount, billing_account_id

NAME = "6 long_streams"
LONG_EVENTS = 200_000
SHORT_EVENTS = 10  # onboarding's 2 + 8 top-ups
ACCOUNTS = 2  # of each kind
THREADS = 8
ROUNDS = 3
PER_ROUND = 600  # commands per kind per round
TARGET = 0.9


def commands_per_second(bus: CommandBus, orgs: list[UUID], count: int) -> float:
    """`count` top-ups spread over `orgs` from THREADS threads; commands/s."""
    def writer(k: int) -> None:
        for i in range(k, count, THREADS):
            bus.execute(top_up, TopUp(org_id=orgs[i % len(orgs)], amount=Decimal("1.00"),
                                      description="bench"), META)
    threads = [threading.Thread(target=writer, args=(k,)) for k in range(THREADS)]
    started = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return count / (time.monotonic() - started)


def rss_mb() -> float:
    with open("/proc/self/status") as status:
        line = next(x for x in status if x.startswith("VmRSS:"))
    return int(line.split()[1]) / 1024


def first_command(settings_url: str, org: UUID) -> float:
    store = PostgresEventStore(settings_url)
    try:
        started = time.monotonic()
        CommandBus(store).execute(top_up, TopUp(org_id=org, amount=Decimal("1.00")), META)
        return time.monotonic() - started
    finally:
        store.close()


def seed(env: BenchEnv) -> tuple[list[Org], list[Org]]:
    orgs = onboard_orgs(env.settings, 2 * ACCOUNTS)
    long, short = orgs[:ACCOUNTS], orgs[ACCOUNTS:]
    seconds = append_top_ups(env.settings, long, LONG_EVENTS - 2, threads=ACCOUNTS)
    append_top_ups(env.settings, short, SHORT_EVENTS - 2, threads=1)
    say(NAME, f"{ACCOUNTS} accounts of {LONG_EVENTS:,} events in {seconds:.0f} s, "
              f"{ACCOUNTS} of {SHORT_EVENTS}")
    return long, short


def run(servers: EmbeddedServers | None = None) -> list[Result]:
    with BenchEnv("long_streams", servers) as env:
        long, short = seed(env)
        url = env.database_url
        cold = [first_command(url, o.org_id) for o in long]  # whole stream: the snapshot
        warm = [first_command(url, o.org_id) for o in long]  # from the snapshot
        store = PostgresEventStore(url, pool_size=THREADS, max_overflow=THREADS)
        bus = CommandBus(store)
        rss_before = rss_mb()
        try:
            long_ids, short_ids = [o.org_id for o in long], [o.org_id for o in short]
            commands_per_second(bus, long_ids + short_ids, 2 * THREADS)  # warm-up
            rates: dict[str, list[float]] = {"long": [], "short": []}
            for _ in range(ROUNDS):
                rates["long"].append(commands_per_second(bus, long_ids, PER_ROUND))
                rates["short"].append(commands_per_second(bus, short_ids, PER_ROUND))
            version = BillingAccount.state_version()
            snapshots = [store.load_latest(billing_account_id(o), version) for o in long_ids]
            cached, rss_after = store.cached_events, rss_mb()
        finally:
            store.close()
            long_rate = sum(rates["long"]) / ROUNDS
    short_rate = sum(rates["short"]) / ROUNDS
    say(NAME, f"long {long_rate:,.0f}/s, short {short_rate:,.0f}/s")
    return [Result(
        bench=NAME, case=f"top-ups on accounts of {LONG_EVENTS:,} events (bus, {THREADS} threads)",
        unit="cmd/s", baseline_label=f"accounts of {SHORT_EVENTS} events, same run",
        baseline=short_rate, figure=long_rate, target=TARGET, target_text=at_least(TARGET),
        notes=[
            "rounds (long / short cmd/s): " + ", ".join(
                f"{a:,.0f} / {b:,.0f}" for a, b in zip(rates["long"], rates["short"],
                                                       strict=True)),
            "first command of a fresh store on a long account: "
            f"{', '.join(f'{s * 1000:,.0f} ms' for s in cold)} without a snapshot (reads the "
            f"whole stream, writes one), {', '.join(f'{s * 1000:,.0f} ms' for s in warm)} "
            "from the snapshot",
            "at the end, the long accounts' latest snapshots are at versions "
            + ", ".join(f"{s.version:,} (+{len(e)} events)" for s, e in snapshots if s)
            + f"; the measuring store holds {cached:,} events in memory; the bench process's "
            f"RSS {rss_before:,.0f} MB before the rounds, {rss_after:,.0f} MB after",
        ])]


if __name__ == "__main__":
    main(run, "long_streams")
