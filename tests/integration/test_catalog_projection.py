"""The catalog read model, applied from events appended to the real PostgreSQL event store:
counts stay right through import, generation, review, exclusion and deletion, whatever the
batching, and equal a rebuild from scratch."""

import time
from decimal import Decimal
from typing import Any
from uuid import UUID, uuid4

import psycopg
import pytest

from adapters.postgres.event_log import read_log
from commands.bus import CommandBus
from commands.catalog.items import (
    BatchSetStatus,
    EditItem,
    ExcludeItems,
    RestoreItems,
    batch_set_status,
    edit_item,
    exclude_items,
    restore_items,
)
from commands.catalog.projects import (
    CreateProject,
    PurgeProject,
    TruncateProject,
    create_project,
    purge_project,
    truncate_project,
)
from commands.catalog.sources import (
    AddManualSource,
    DeleteSource,
    ImportProducts,
    RegisterFileSource,
    add_manual_source,
    delete_source,
    import_products,
    register_file_source,
)
from commands.catalog.tones import CreateTone, create_tone
from commands.generation.results import RecordGeneration, record_generation
from domain.catalog.ids import item_id
from domain.catalog.records import ProductRecord
from domain.generation.settings import GeneratedTexts, Validation
from projections.catalog.projection import CatalogBoard
from projections.catalog.queries import (
    ItemFilter,
    count_items,
    get_items,
    get_project,
    item_ids_in_status,
    list_items,
    list_projects,
    list_sources,
    list_tones,
)
from projections.runner import apply_batch
from projections.verify import differences
from tests.integration.events import META, onboard

BOARD = CatalogBoard()


def record(external_id: str, item_type: str = "simple", parent: str | None = None,
           line: int = 2) -> ProductRecord:
    return ProductRecord(external_id=external_id, item_type=item_type, parent_external_id=parent,
                         name=f"Linen shirt {external_id}",
                         source_data={"sku": external_id, "price": "49.00"}, line=line)


class Shop:
    """An organization with one project, driven through the real command bus."""

    def __init__(self, bus: CommandBus) -> None:
        self.bus = bus
        self.org = onboard(bus)
        self.project = uuid4()
        self.run(create_project, CreateProject(org_id=self.org, project_id=self.project,
                                               name="Linen", platform="woocommerce"))

    def run(self, handler: Any, cmd: Any) -> Any:
        return self.bus.execute(handler, cmd, META).result

    @property
    def ids(self) -> dict[str, Any]:
        return {"org_id": self.org, "project_id": self.project}

    def manual(self, *records: ProductRecord, name: str = "Manual Entry") -> UUID:
        source = uuid4()
        self.run(add_manual_source, AddManualSource(**self.ids, source_id=source, name=name,
                                                    records=records))
        return source

    def generate(self, source: UUID, external_id: str, score: float = 0.9) -> None:
        self.run(record_generation, RecordGeneration(
            **self.ids, item_id=item_id(source, external_id), job_id=uuid4(),
            texts=GeneratedTexts(name="Linen shirt", short_description="Cool linen."),
            validation=Validation(confidence_score=score, reasons=("short",)),
            provider="template", model="template-writer", tier="economy", input_tokens=5,
            output_tokens=7, xct_cost=Decimal("24.00"), cached=False,
            prompt_key="p"))


async def catch_up(conn: psycopg.AsyncConnection, step: int = 10_000) -> None:
    records = await read_log(conn, after=0, limit=1_000_000)
    for start in range(0, len(records), step):
        await apply_batch(conn, BOARD, records[start:start + step])


async def test_counts_follow_import_generation_review_exclusion_and_deletion(
    bus: CommandBus, conn: psycopg.AsyncConnection,
) -> None:
    shop = Shop(bus)
    tees = shop.manual(record("TEE", "parent"), record("TEE-S", "variant", "TEE"),
                       record("TEE-M", "variant", "TEE"), record("MUG"), name="Tees")
    extra = shop.manual(record("CAP"), record("HAT"), name="Hats")
    shop.generate(tees, "TEE")
    shop.generate(tees, "MUG", score=0.3)
    shop.generate(extra, "CAP")
    shop.run(batch_set_status, BatchSetStatus(**shop.ids, item_ids=[item_id(tees, "TEE"),
                                                                    item_id(extra, "CAP")],
                                              status="approved"))
    shop.run(exclude_items, ExcludeItems(**shop.ids, item_ids=[item_id(tees, "TEE")]))
    await catch_up(conn)

    project = await get_project(conn, shop.org, shop.project)
    assert project is not None
    assert project.status_counts == {"pending": 1, "generated": 0, "flagged": 1, "approved": 1,
                                     "rejected": 0, "synced": 0, "excluded": 3}
    assert (project.item_count, project.source_count) == (6, 2)
    sources = {s.name: s for s in await list_sources(conn, shop.org, shop.project)}
    assert (sources["Tees"].item_count, sources["Hats"].item_count) == (4, 2)

    shop.run(restore_items, RestoreItems(**shop.ids, item_ids=[item_id(tees, "TEE")]))
    shop.run(delete_source, DeleteSource(**shop.ids, source_id=extra))
    await catch_up(conn)
    project = await get_project(conn, shop.org, shop.project)
    assert project is not None
    assert project.status_counts == {"pending": 2, "generated": 0, "flagged": 1, "approved": 1,
                                     "rejected": 0, "synced": 0, "excluded": 0}
    assert (project.item_count, project.source_count) == (4, 1)
    assert await count_items(conn, shop.org, shop.project, ItemFilter(source_id=extra)) == 0
    assert await differences(conn, BOARD) == []


async def test_items_show_generation_review_and_filters(
    bus: CommandBus, conn: psycopg.AsyncConnection,
) -> None:
    shop = Shop(bus)
    source = shop.manual(record("TEE", "parent"), record("TEE-S", "variant", "TEE"),
                         record("MUG_1"))
    shop.generate(source, "MUG_1", score=0.5)
    reviewer = uuid4()
    shop.run(edit_item, EditItem(**shop.ids, item_id=item_id(source, "TEE"), actor_id=reviewer,
                                 content={"short_description": "Hand written."},
                                 metadata={"note": "by hand"}))
    await catch_up(conn)

    mug, tee = await get_items(conn, shop.org, shop.project,
                               [item_id(source, "MUG_1"), item_id(source, "TEE"), uuid4()])
    assert (mug.status, mug.confidence_score, mug.ai_model_used) == ("flagged", 0.5,
                                                                      "template-writer")
    assert mug.generated_content == {"name": "Linen shirt", "short_description": "Cool linen."}
    assert mug.metadata["flag_reasons"] == ["short"] and mug.metadata["xct_cost"] == "24.00"
    assert tee.generated_content == {"short_description": "Hand written."}
    assert tee.metadata["note"] == "by hand" and tee.metadata["edited_by"] == str(reviewer)
    variant = (await list_items(conn, shop.org, shop.project, ItemFilter(item_type="variant")))[0]
    assert variant.parent_id == tee.id and variant.data_source_name == "Manual Entry"

    def ids(rows: list[Any]) -> list[str]:
        return [r.external_id for r in rows]
    assert ids(await list_items(conn, shop.org, shop.project, ItemFilter(search="mug_"))) == \
        ["MUG_1"]
    assert ids(await list_items(conn, shop.org, shop.project, ItemFilter(search="%"))) == []
    assert ids(await list_items(conn, shop.org, shop.project, ItemFilter(search="COOL LIN"))) \
        == ["MUG_1"]
    assert ids(await list_items(conn, shop.org, shop.project, ItemFilter(status="pending"))) \
        == ["TEE", "TEE-S"]
    assert ids(await list_items(conn, shop.org, shop.project, limit=1, offset=1)) == ["TEE-S"]
    assert await item_ids_in_status(conn, shop.org, shop.project, ["pending"]) == [tee.id]
    assert await list_items(conn, uuid4(), shop.project) == []


async def test_truncate_purge_trash_and_tones_show_in_the_lists(
    bus: CommandBus, conn: psycopg.AsyncConnection,
) -> None:
    shop = Shop(bus)
    shop.manual(record("A"), record("B"))
    shop.run(truncate_project, TruncateProject(**shop.ids, has_running_job=False))
    old = uuid4()
    shop.run(create_project, CreateProject(org_id=shop.org, project_id=old, name="Old",
                                           platform="magento2"))
    shop.run(add_manual_source, AddManualSource(org_id=shop.org, project_id=old,
                                                source_id=uuid4(), records=[record("C")]))
    shop.run(purge_project, PurgeProject(org_id=shop.org, project_id=old))
    shop.run(create_tone, CreateTone(org_id=shop.org, key="crisp", name="Crisp", description="",
                                     system_prompt="Be brief."))
    await catch_up(conn)

    [project] = await list_projects(conn, shop.org)
    assert (project.id, project.item_count, project.source_count) == (shop.project, 0, 0)
    assert await list_projects(conn, shop.org, deleted=True) == []
    assert await get_project(conn, shop.org, old) is None
    assert await count_items(conn, shop.org, old) == 0
    assert [t.key for t in await list_tones(conn, shop.org)] == ["crisp"]
    assert await differences(conn, BOARD) == []


async def test_a_rebuild_equals_the_read_model_built_in_small_batches(
    bus: CommandBus, conn: psycopg.AsyncConnection,
) -> None:
    shop = Shop(bus)
    tees = shop.manual(*[record(f"P{n}") for n in range(30)], record("TEE", "parent"),
                       record("TEE-S", "variant", "TEE"))
    for n in range(0, 30, 3):
        shop.generate(tees, f"P{n}", score=0.4 if n % 2 else 0.95)
    shop.run(exclude_items, ExcludeItems(**shop.ids, item_ids=[item_id(tees, "TEE")]))
    shop.manual(record("X"))
    await catch_up(conn, step=7)
    assert await differences(conn, BOARD) == []


async def test_a_thousand_products_per_import_command(
    bus: CommandBus, conn: psycopg.AsyncConnection, capsys: pytest.CaptureFixture[str],
) -> None:
    """How fast the import job's batches go in: 5 commands of 1,000 products each."""
    shop = Shop(bus)
    source = uuid4()
    shop.run(register_file_source, RegisterFileSource(
        **shop.ids, source_id=source, name="big.csv", platform="woocommerce",
        filename="big.csv", file_key="k", column_mapping={}))
    started = time.perf_counter()
    for batch in range(5):
        result = shop.run(import_products, ImportProducts(**shop.ids, source_id=source, records=[
            record(f"SKU-{batch}-{n}", line=n + 2) for n in range(1000)]))
        assert result.imported == 1000
    elapsed = time.perf_counter() - started
    again = shop.run(import_products, ImportProducts(**shop.ids, source_id=source, records=[
        record(f"SKU-0-{n}") for n in range(1000)]))
    assert (again.imported, again.skipped) == (0, 1000)
    projected = time.perf_counter()
    await catch_up(conn, step=500)
    applied = time.perf_counter() - projected
    with capsys.disabled():
        print(f"\nimport: {5000 / elapsed:.0f} products/s in commands of 1,000;"
              f" projection: {5000 / applied:.0f} items/s")
    assert await count_items(conn, shop.org, shop.project) == 5000
    project = await get_project(conn, shop.org, shop.project)
    assert project is not None and project.status_counts["pending"] == 5000
