"""A `catalog.import` job run by real worker processes: a worker killed in the middle of a
20,000-row file leaves an import that another worker finishes, every product imported once."""

import io
from uuid import uuid4

import psycopg
import pytest

from adapters.catalog_files import read_catalog
from adapters.files.store import file_store_for
from adapters.postgres.codec import decode_event
from adapters.settings import Settings
from bench.catalog_fixture import generate_catalog
from commands.catalog.projects import CreateProject, create_project
from commands.catalog.sources import RegisterFileSource
from commands.imports.file_import import StartFileImport, start_file_import
from domain.catalog.events import ImportedProduct, ProductBatchImported
from domain.catalog.ids import import_job_id
from domain.catalog.import_batch import IMPORTED_ITEMS
from domain.events import DomainEvent
from tests.integration.events import META, onboard, store_for
from tests.integration.jobs_support import outcome_events, wait_for_job
from tests.support import Processes, scalar, wait_for_projections, wait_until

ROWS = 20_000


def _products(event: DomainEvent) -> tuple[ImportedProduct, ...]:
    assert isinstance(event, ProductBatchImported)
    return event.products


def _count(settings: Settings, query: str, *params: object) -> int:
    return int(scalar(settings, query, *params) or 0)


@pytest.mark.fault
def test_a_worker_killed_mid_import_leaves_every_product_imported_exactly_once(
    database: Settings, processes: Processes,
) -> None:
    catalog = io.BytesIO()
    generate_catalog("shopify", ROWS, catalog)
    products = sum(1 for _ in read_catalog("shopify", io.BytesIO(catalog.getvalue()),
                                           filename="big.csv"))
    store, bus = store_for(database.database_url)
    org_id, project_id, source_id = onboard(bus), uuid4(), uuid4()
    bus.execute(create_project, CreateProject(org_id=org_id, project_id=project_id, name="Big",
                                              platform="shopify"), META)
    key = f"{org_id}/{source_id}/big.csv"
    file_store_for(database).put(key, [catalog.getvalue()])
    for name in ("relay", "projector", "worker-a"):
        processes.start(name, name.split("-")[0])

    bus.execute(start_file_import, StartFileImport(source=RegisterFileSource(
        org_id=org_id, project_id=project_id, source_id=source_id, name="big.csv",
        platform="shopify", filename="big.csv", file_key=key, column_mapping={})), META)
    wait_until(lambda: _count(database, "SELECT count(*) FROM rm_catalog.items WHERE source_id = %s",
                              source_id) >= 2000, 60, "the import to be under way")
    processes.kill("worker-a")
    processes.start("worker-b", "worker")

    job_id = import_job_id(source_id)
    wait_for_job(database, job_id, seconds=120)
    wait_for_projections(database)
    assert _count(database, "SELECT count(*) FROM rm_catalog.items WHERE source_id = %s",
                  source_id) == products
    assert scalar(database, "SELECT status FROM rm_catalog.sources WHERE id = %s",
                  source_id) == "completed"
    with psycopg.connect(database.database_url) as conn:
        batches = conn.execute("SELECT topic, state FROM events"
                               " WHERE topic = 'catalog.ProductBatchImported'").fetchall()
        indexed = conn.execute("SELECT count(*) FROM write_index WHERE index_name = %s"
                               " AND entry->>'source_id' = %s",
                               (IMPORTED_ITEMS, str(source_id))).fetchone()
    written = [product.external_id for topic, state in batches
               for product in _products(decode_event(topic, state)[0])]
    assert len(written) == len(set(written)) == products
    assert indexed == (products,)
    [outcome] = outcome_events(database, job_id)
    assert outcome.attempts == 2
    assert outcome.detail["skipped"] >= 2000
    assert outcome.detail["imported"] + outcome.detail["skipped"] == products
    store.close()
