"""Bench — file import: a generated 100k-row Magento 2 export uploaded through the real API
(`POST /projects/{id}/sources/file`) to the real stack (API, relay, projector and worker
processes on embedded PostgreSQL + NATS), timed until the catalog read model holds every
product. Figures: products/s end to end, and the peak RSS of each process (VmHWM). Baseline,
same run: PostgreSQL `COPY` of the same records (id, name, JSON data) into a plain table.

    .venv/bin/python -m bench.import_rate
"""

from __future__ import annotations

import json
import tempfile
import threading
import time
from pathlib import Path

import httpx
import psycopg

from adapters.catalog_files import read_catalog
from bench.catalog_fixture import generate_catalog
from bench.cli import main, say
from bench.measure import CpuMeter
from bench.report import Result
from bench.seed import admin_token, onboard_orgs
from bench.servers import BenchEnv
from tests.support import wait_until

NAME = "file import"
PLATFORM = "magento2"
ROWS = 100_000
RATE_TARGET = 10_000
RSS_TARGET_MB = 300.0
ROLES = ("api", "relay", "projector", "worker")


def _peak_rss_mb(pids: list[int]) -> float:
    """The largest VmHWM (peak resident set) among `pids`."""
    peak = 0.0
    for pid in pids:
        try:
            status = Path(f"/proc/{pid}/status").read_text()
        except OSError:
            continue
        for line in status.splitlines():
            if line.startswith("VmHWM:"):
                peak = max(peak, int(line.split()[1]) / 1024)
    return peak


def _worker_ready(home: Path) -> bool:
    """The worker has started its job engine (importing the AI SDKs takes it seconds): the
    clock measures the import, not the worker's start."""
    return any("job_engine_started" in log.read_text(errors="replace")
               for log in home.glob("worker-*.log"))


def _items(database_url: str, project_id: str) -> int:
    with psycopg.connect(database_url) as conn:
        row = conn.execute("SELECT count(*) FROM rm_catalog.items WHERE project_id = %s",
                           (project_id,)).fetchone()
    return int(row[0]) if row else 0


def _job_done(database_url: str, project_id: str) -> bool:
    with psycopg.connect(database_url) as conn:
        row = conn.execute("SELECT count(*) FROM rm_jobs.jobs WHERE project_id = %s"
                           " AND status IN ('completed', 'failed')", (project_id,)).fetchone()
    return bool(row and row[0])


def _phases(database_url: str, started_at: float) -> dict[str, float]:
    """Seconds from the upload's start to the job's creation (the file received, checked
    and kept), its first and last batch of products written, and its completion."""
    query = ("SELECT min(extract(epoch FROM (convert_from(state, 'UTF8')::jsonb->'data'"
             "->>'occurred_at')::timestamptz)), max(extract(epoch FROM (convert_from(state,"
             " 'UTF8')::jsonb->'data'->>'occurred_at')::timestamptz)) FROM events WHERE topic = %s")
    out: dict[str, float] = {}
    with psycopg.connect(database_url) as conn:
        for what, topic, end in (("job created", "jobs.JobCreated", 0),
                                 ("first products", "catalog.ProductBatchImported", 0),
                                 ("last products", "catalog.ProductBatchImported", 1),
                                 ("job completed", "jobs.JobCompleted", 1)):
            row = conn.execute(query, (topic,)).fetchone()
            if row and row[end] is not None:
                out[what] = float(row[end]) - started_at
    return out


def copy_baseline(database_url: str, path: Path) -> tuple[int, float]:
    """(records, seconds) to COPY the file's records into a plain table, parse included."""
    started = time.perf_counter()
    with psycopg.connect(database_url) as conn, path.open("rb") as stream:
        conn.execute("CREATE TEMP TABLE bench_products (external_id text, name text, data jsonb)")
        count = 0
        with conn.cursor().copy("COPY bench_products FROM STDIN") as copy:
            for record in read_catalog(PLATFORM, stream, filename=path.name):
                copy.write_row((record.external_id, record.name, json.dumps(record.source_data)))
                count += 1
    return count, time.perf_counter() - started


def upload(base_url: str, token: str, project_id: str, path: Path) -> httpx.Response:
    with path.open("rb") as stream:
        return httpx.post(f"{base_url}/api/v1/projects/{project_id}/sources/file",
                          headers={"Authorization": f"Bearer {token}"},
                          files={"file": (path.name, stream)}, timeout=1200)


def run() -> list[Result]:
    with tempfile.TemporaryDirectory() as folder, BenchEnv("import") as env:
        path = Path(folder) / "catalog.csv"
        with path.open("wb") as out:
            generate_catalog(PLATFORM, ROWS, out)
        size_mb = path.stat().st_size / 1e6
        say(f"{PLATFORM}: {size_mb:.0f} MB, {ROWS} rows")
        records, copy_seconds = copy_baseline(env.database_url, path)
        say(f"baseline: COPY of {records} records in {copy_seconds:.1f} s")
        env.start_pipeline()
        env.processes.start("worker", "worker")
        host, port = env.start_api()
        wait_until(lambda: _worker_ready(env.home), 120, "the worker to start its job engine")
        base_url = f"http://{host}:{port}"
        [org] = onboard_orgs(env.settings, 1)
        token = admin_token(env.settings, org)
        env.wait_for_projections()
        created = httpx.post(f"{base_url}/api/v1/projects", timeout=60,
                             data={"name": "Bench", "platform": PLATFORM},
                             headers={"Authorization": f"Bearer {token}"})
        assert created.status_code == 200, created.text
        project = created.json()["id"]

        answered: dict[str, float | int] = {}
        meter = CpuMeter(env.roles())
        meter.start()
        started, started_at = time.perf_counter(), time.time()

        def send() -> None:
            response = upload(base_url, token, project, path)
            answered["seconds"] = time.perf_counter() - started
            answered["status"] = response.status_code
            answered["item_count"] = response.json().get("item_count", -1)

        sender = threading.Thread(target=send)
        sender.start()
        written = 0.0
        while _items(env.database_url, project) < records:
            time.sleep(0.2)
            if not written and _job_done(env.database_url, project):
                written = time.perf_counter() - started
            if time.perf_counter() - started > 1800:
                raise RuntimeError("the import did not finish in 30 minutes")
        seconds = time.perf_counter() - started
        meter.stop()
        sender.join()
        peaks = {role: _peak_rss_mb(env.pids(role)) for role in ROLES}
        phases = _phases(env.database_url, started_at)
        say("after upload start: " + ", ".join(f"{what} {at:.1f} s" for what, at in phases.items()))
        cpu = meter.summary(per=records / 1000, unit="1000 products")
        say(f"CPU: {cpu}")
        written = written or seconds
        say(f"import: {records} products in {seconds:.1f} s (job done after {written:.1f} s);"
            f" upload answered {answered}")
        say("peak RSS: " + ", ".join(f"{role} {mb:.0f} MB" for role, mb in peaks.items()))
    rate, base_rate = records / seconds, records / copy_seconds
    verdict = "met" if rate >= RATE_TARGET else "NOT met"
    results = [Result(
        NAME, "upload → read model", "products/s", "parse + COPY into a plain table", base_rate, rate,
        None, target_text=f"\u2265 {RATE_TARGET:,} products/s",
        notes=[f"{records} products from {ROWS} rows ({size_mb:.0f} MB) in "
               f"{seconds:.1f} s (the job, i.e. the events written, done after {written:.1f} s:"
               f" {records / written:,.0f}/s); the upload answered {answered.get('status')} after "
               f"{answered.get('seconds', 0):.1f} s; {RATE_TARGET:,}/s {verdict}",
               "after the upload's start: " + ", ".join(f"{what} {at:.1f} s" for what, at in phases.items()),
               f"CPU while importing: {cpu}"])]
    results.extend(Result(NAME, f"{role} peak RSS", "MB", "target", RSS_TARGET_MB, mb, RSS_TARGET_MB,
                          higher_is_better=False, target_text=f"\u2264 {RSS_TARGET_MB:.0f} MB")
                   for role, mb in peaks.items())
    return results


if __name__ == "__main__":
    main(run, "import_rate")
