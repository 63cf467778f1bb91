"""Starting a file import registers the source and queues its job together; the import kind
records the job's outcome with the source's end (completed, or failed with the reader's
message), once."""

from uuid import UUID, uuid4

import pytest

from api.imports.file_sources import safe_filename
from commands.catalog.sources import RegisterFileSource
from commands.imports.file_import import (
    IMPORT_KIND,
    StartFileImport,
    start_file_import,
)
from commands.imports.kind import KIND, UNIT_ID
from commands.jobs.kind import Unit, UnitResult
from commands.jobs.lifecycle import PlanJob, StartJob, plan_job, start_job
from commands.unit_of_work import UnitOfWork
from domain.catalog.data_source import COMPLETED, FAILED, PROCESSING, DataSource
from domain.catalog.ids import import_job_id
from domain.errors import ConflictError, InvalidCommandError
from domain.jobs.job import Job
from tests.unit.catalog_world import META, World


@pytest.fixture
def world() -> World:
    return World()


def start(world: World, filename: str = "spring.csv") -> UUID:
    source_id = uuid4()
    world.when(start_file_import, StartFileImport(source=RegisterFileSource(
        org_id=world.org_id, project_id=world.project_id, source_id=source_id, name=filename,
        platform="shopify", filename=filename, file_key=f"{world.org_id}/{source_id}/{filename}",
        column_mapping={"Titel": "name"})))
    return source_id


def record(world: World, source_id: UUID, result: UnitResult) -> None:
    """What the engine does with the unit's result: the kind's `record` in one unit of work."""
    uow = UnitOfWork(world.store)
    job = uow.get_existing(Job, import_job_id(source_id), "job")
    KIND.record(uow, job, Unit(id=UNIT_ID), result)
    events = uow.new_events()
    if events:
        world.store.append(events, META, uow.side_writes)


def plan(world: World, source_id: UUID) -> None:
    world.when(start_job, StartJob(job_id=import_job_id(source_id)))
    world.when(plan_job, PlanJob(job_id=import_job_id(source_id), total=1))


def test_starting_an_import_registers_the_file_source_and_queues_its_job(world: World) -> None:
    source_id = start(world)

    source = world.load(DataSource, source_id)
    job = world.load(Job, import_job_id(source_id))
    assert (source.kind, source.status, source.filename) == ("file", PROCESSING, "spring.csv")
    assert source.file_key == f"{world.org_id}/{source_id}/spring.csv"
    assert source.column_mapping == {"Titel": "name"}
    assert (job.kind, job.status, job.parameters) == (IMPORT_KIND, "queued",
                                                      {"source_id": str(source_id)})


def test_a_second_import_while_one_runs_is_refused_and_registers_nothing(world: World) -> None:
    start(world)
    mark = len(world.store.log)

    with pytest.raises(ConflictError):
        start(world, "summer.csv")

    assert len(world.store.log) == mark


def test_a_succeeded_import_completes_its_source(world: World) -> None:
    source_id = start(world)
    plan(world, source_id)

    record(world, source_id, UnitResult(detail={"rows": 3, "imported": 3, "skipped": 0}))

    assert world.load(DataSource, source_id).status == COMPLETED
    assert world.load(Job, import_job_id(source_id)).status == "completed"


def test_a_failed_import_fails_its_source_with_the_reader_s_message_once(world: World) -> None:
    source_id = start(world)
    plan(world, source_id)
    message = "line 80001, column 'Body (HTML)': unterminated quoted field"

    record(world, source_id, UnitResult(status="failed", error=message))
    mark = len(world.store.log)
    record(world, source_id, UnitResult(detail={"rows": 1}))

    assert world.load(DataSource, source_id).status == FAILED
    assert world.load(Job, import_job_id(source_id)).status == "failed"
    assert len(world.store.log) == mark


def test_the_import_kind_takes_only_a_source_id() -> None:
    source_id = uuid4()
    assert KIND.check_parameters({"source_id": str(source_id), "file_key": "x"}) == {
        "source_id": str(source_id)}
    with pytest.raises(InvalidCommandError, match="source_id"):
        KIND.check_parameters({"source_id": "../etc/passwd"})


@pytest.mark.parametrize(("given", "kept"), [
    ("catalog.csv", "catalog.csv"), ("../../etc/passwd", "passwd"),
    ("C:\\exports\\Été 2024.csv", "t_2024.csv"), ("...", "catalog.csv"), ("", "catalog.csv"),
])
def test_an_uploaded_file_name_is_reduced_to_a_safe_key_part(given: str, kept: str) -> None:
    assert safe_filename(given) == kept
