"""Runs the benchmarks on one pair of embedded servers (each on a fresh database of its
own) and prints the results as a markdown table, then the notes of each row.

    .venv/bin/python -m bench.run_all               # all of them
    .venv/bin/python -m bench.run_all rebuild       # some of them, by module name
    BENCH_PROFILE=/tmp/prof .venv/bin/python -m bench.run_all   # with py-spy/cProfile summaries
"""

import importlib
import shutil
import sys
import tempfile
import time
from pathlib import Path

from adapters.embedded import EmbeddedServers
from bench.cli import exit_on_sigterm, say
from bench.report import Result, machine, report

MODULES = ["http_commands", "projection_lag", "rebuild", "balance_reads", "relay_rate",
           "long_streams", "vector_search", "embedding_pipeline", "page_upserts", "public_pages"]


def main(argv: list[str]) -> None:
    chosen = argv or MODULES
    unknown = set(chosen) - set(MODULES)
    if unknown:
        raise SystemExit(f"unknown benchmark(s) {sorted(unknown)}; there are {MODULES}")
    exit_on_sigterm()
    home = Path(tempfile.mkdtemp(prefix="copydesk-bench-servers-"))
    results: list[Result] = []
    timings: list[str] = []
    servers = EmbeddedServers(home).start()
    try:
        for name in chosen:
            module = importlib.import_module(f"bench.{name}")
            started = time.monotonic()
            results += module.run(servers)
            timings.append(f"{name} {time.monotonic() - started:.0f} s")
            say(f"{name} done in {time.monotonic() - started:.0f} s")
    finally:
        servers.stop()
        shutil.rmtree(home, ignore_errors=True)
    print(f"Measured {machine()}; command: `.venv/bin/python -m bench.run_all"
          f"{' ' + ' '.join(argv) if argv else ''}`; wall time: {', '.join(timings)}.\n")
    print(report(results))


if __name__ == "__main__":
    main(sys.argv[1:])
