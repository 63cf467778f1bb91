"""Bench 13b — bulk landing pages: one `pages.bulk-generate` job making and writing a page for
each of 200 active saved queries, every page's texts written by the real OpenAI client
against the fake LLM server (a subprocess) answering after a fixed 1 s (a short page's copy
takes a real model longer); against the ideal bound by the calls in flight,
ceil(200 / C) * 1 s for an LLM concurrency C. A first job of 16 pages for another
organization warms the worker up.

Relay, projector and one worker run as processes. The organization, its products (a manual
source) and its queries are made through the command bus and the job is queued as the API
does; each unit goes the whole way: query embedded, products searched, the model asked, its
copy checked, the page made within the page limit, written and charged once. Elapsed =
`JobCreated` → `JobCompleted` (the events' own times).

    .venv/bin/python -m bench.bulk_pages
"""

from __future__ import annotations

import dataclasses
import math
from decimal import Decimal
from uuid import UUID, uuid4

import httpx
import psycopg

from adapters.postgres.event_store import PostgresEventStore
from adapters.settings import Settings
from bench.cli import main, say
from bench.generation_rate import _charges, _elapsed, _status, products, start_fake
from bench.measure import CpuMeter
from bench.report import Result, at_least
from bench.seed import META, onboard_orgs
from bench.servers import BenchEnv
from commands.billing.accounts import ChangeBillingSettings, change_billing_settings
from commands.bus import CommandBus
from commands.catalog.projects import CreateProject, create_project
from commands.catalog.sources import AddManualSource, add_manual_source
from commands.identity.organization import ChangeOrganizationDetails, change_organization_details
from commands.pages.landing import StartBulkGeneration, start_bulk_generation
from commands.pages.page_copy import writer_parameters
from commands.search.queries import SaveQuery, save_query
from tests.support import free_port, wait_until

NAME = "13b bulk_pages"
PAGES, LATENCY = 200, 1.0
WARM_PAGES = 16
CONCURRENCY = 16
TARGET = 0.9
WRITER = {"ai_provider": "openai", "ai_model": "gpt-4o-mini"}


def run() -> list[Result]:
    port = free_port()
    fake = start_fake(port, LATENCY)
    try:
        with BenchEnv("bulk-pages") as env:
            env.settings = dataclasses.replace(
                env.settings, openai_base_url=f"http://127.0.0.1:{port}/v1",
                openai_api_key="bench-platform-key", llm_concurrency=CONCURRENCY,
                llm_timeout_seconds=30.0)
            env.processes.settings = env.settings
            env.start_pipeline()
            env.processes.start("worker", "worker")
            warm, onboarded = onboard_orgs(env.settings, 2)
            org = onboarded.org_id
            store = PostgresEventStore(env.database_url, pool_size=2, max_overflow=2)
            bus = CommandBus(store)
            _prepare(bus, warm.org_id, warm.admin_id, WARM_PAGES)
            _prepare(bus, org, onboarded.admin_id, PAGES)
            env.wait_for_projections()
            _bulk(bus, env.settings, warm.org_id, 120)
            meter = CpuMeter(env.roles())
            meter.start()
            say(NAME, f"{PAGES} pages x {LATENCY} s at LLM concurrency {CONCURRENCY}")
            ideal = math.ceil(PAGES / CONCURRENCY) * LATENCY
            job_id = _bulk(bus, env.settings, org, ideal * 10 + 120)
            meter.stop()
            store.close()
            env.wait_for_projections()
            elapsed, succeeded, phases = _elapsed(env.settings, job_id)
            charges = _charges(env.settings, job_id)
            pages, written = _pages(env.settings, org)
            stats = httpx.get(f"http://127.0.0.1:{port}/_fake/stats", timeout=5).json()
    finally:
        fake.terminate()
        fake.wait(10)
    once = all(n == 1 for n in charges.values()) and len(charges) == succeeded
    return [Result(
        bench=NAME, case=f"{PAGES} pages x {LATENCY} s, LLM concurrency {CONCURRENCY}",
        unit="pages/s", baseline_label=f"ideal ({ideal:.1f} s)", baseline=PAGES / ideal,
        figure=PAGES / elapsed, target=TARGET, target_text=at_least(TARGET),
        notes=[f"elapsed {elapsed:.2f} s vs ideal {ideal:.2f} s; {succeeded} units succeeded,"
               f" {pages} pages made, {written} with the model's intro;"
               f" {sum(charges.values())} charges ({'one per page' if once else 'NOT one per page'});"
               f" {phases}; at most {stats['max_in_flight']} calls in flight at the fake",
               meter.summary(per=PAGES, unit="page")])]


def _bulk(bus: CommandBus, settings: Settings, org: UUID, seconds: float) -> UUID:
    job_id = uuid4()
    bus.execute(start_bulk_generation, StartBulkGeneration(
        org_id=org, job_id=job_id, writer=writer_parameters(WRITER)), META)
    wait_until(lambda: _status(settings, job_id) in ("completed", "failed"), seconds,
               f"job {job_id}")
    return job_id


def _prepare(bus: CommandBus, org: UUID, admin: UUID, pages: int) -> None:
    """Overage on (the balance never stops the run), no page limit, products and queries."""
    bus.execute(change_billing_settings, ChangeBillingSettings(
        org_id=org, overage_enabled=True, token_rate_multiplier=Decimal(1)), META)
    bus.execute(change_organization_details, ChangeOrganizationDetails(
        org_id=org, actor_id=admin, settings={"page_limit": pages * 2}), META)
    project = uuid4()
    bus.execute(create_project, CreateProject(org_id=org, project_id=project, name="Bench pages",
                                              platform="woocommerce"), META)
    bus.execute(add_manual_source, AddManualSource(
        org_id=org, project_id=project, source_id=uuid4(),
        records=products(500, f"page{org.hex[:6]}")),
        META)
    for n in range(pages):
        bus.execute(save_query, SaveQuery(org_id=org, text=f"linen shirt {n}"), META)


def _pages(settings: Settings, org: UUID) -> tuple[int, int]:
    with psycopg.connect(settings.database_url) as conn:
        row = conn.execute(
            "SELECT count(*), count(*) FILTER (WHERE intro_copy LIKE 'Welcome to %%')"
            " FROM rm_pages.landing_pages WHERE org_id = %s", (org,)).fetchone()
    assert row is not None
    return int(row[0]), int(row[1])


if __name__ == "__main__":
    main(run, "bulk_pages")
