"""Bench — catalog files: `read_catalog` over a generated 100k-row export of each platform, in
rows/s and peak RSS, against the standard library's `csv.reader` over the same file doing
nothing else. Each run is a fresh process, so its peak RSS is its own.

    .venv/bin/python -m bench.catalog_files
"""

from __future__ import annotations

import csv
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.catalog_fixture import generate_catalog
from bench.cli import main, say
from bench.report import Result

NAME = "catalog files"
ROWS = 100_000
RATE_TARGET = 50_000
RSS_TARGET_MB = 100.0


def _peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def child(mode: str, platform: str, path: str) -> dict[str, float]:
    """One measured pass over the file, in this process."""
    from adapters.catalog_files import read_catalog  # imported before the clock starts

    with open(path, "rb") as stream:
        started = time.perf_counter()
        if mode == "baseline":
            with open(path, encoding="utf-8", newline="") as text:
                rows = sum(1 for _ in csv.reader(text)) - 1
            records = 0
        else:
            records = sum(1 for _ in read_catalog(platform, stream, filename=path))
            rows = ROWS
        seconds = time.perf_counter() - started
    return {"rows": rows, "records": records, "seconds": seconds, "peak_rss_mb": _peak_rss_mb()}


def _measure(mode: str, platform: str, path: Path) -> dict[str, float]:
    done = subprocess.run([sys.executable, "-m", "bench.catalog_files", "--child", mode, platform, str(path)],
                          capture_output=True, text=True, check=True)
    result: dict[str, float] = json.loads(done.stdout)
    return result


def run() -> list[Result]:
    results = []
    with tempfile.TemporaryDirectory() as folder:
        for platform in ("shopify", "woocommerce", "magento2"):
            path = Path(folder) / f"{platform}.csv"
            with path.open("wb") as out:
                generate_catalog(platform, ROWS, out)
            say(f"{platform}: {path.stat().st_size / 1e6:.0f} MB, {ROWS} rows")
            base = min((_measure("baseline", platform, path) for _ in range(2)), key=lambda r: r["seconds"])
            read = min((_measure("read", platform, path) for _ in range(2)), key=lambda r: r["seconds"])
            rate, base_rate = ROWS / read["seconds"], base["rows"] / base["seconds"]
            verdict = "met" if rate >= RATE_TARGET else "NOT met"
            results.append(Result(
                NAME, f"{platform} parse rate", "rows/s", "csv.reader alone", base_rate, rate, None,
                target_text=f"\u2265 {RATE_TARGET:,} rows/s",
                notes=[f"{platform}: {read['records']:.0f} records from {ROWS} rows "
                       f"({path.stat().st_size / 1e6:.0f} MB); {RATE_TARGET:,} rows/s {verdict}"]))
            results.append(Result(
                NAME, f"{platform} peak RSS", "MB", "csv.reader alone", base["peak_rss_mb"],
                read["peak_rss_mb"], RSS_TARGET_MB, higher_is_better=False,
                target_text=f"\u2264 {RSS_TARGET_MB:.0f} MB"))
    return results


if __name__ == "__main__":
    if sys.argv[1:2] == ["--child"]:
        print(json.dumps(child(*sys.argv[2:5])))
    else:
        main(run, "catalog_files")
