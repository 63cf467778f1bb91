"""Job kinds are plugged in by "module:attr" and checked; the CLI's progress line."""

import dataclasses
from datetime import UTC, datetime
from decimal import Decimal
from uuid import uuid4

import pytest

from adapters.settings import Settings
from commands.generation.kinds import UNITS_PER_CALL
from commands.jobs.kind import JobKind, check_kind
from commands.jobs.kinds import load_kinds
from projections.jobs.queries import JobRow
from tests.fakes.job_kinds import KINDS, SleepKind
from workers.job_watch import progress_line, work_line

SINGLE = SleepKind(name="test.single")
DUPLICATE = SleepKind(name="test.sleep", concurrency=2)


def kinds_factory() -> list[SleepKind]:
    return [SleepKind(name="test.made")]


def sized_kinds(settings: Settings) -> list[SleepKind]:
    return [SleepKind(name="test.sized", concurrency=settings.llm_concurrency)]


def load(specs: str) -> dict[str, JobKind]:
    return load_kinds(Settings(job_kinds=specs))


def test_kinds_are_loaded_from_module_attributes_lists_and_factories() -> None:
    kinds = load("tests.fakes.job_kinds:KINDS, tests.unit.test_job_kinds:SINGLE,"
                 "tests.unit.test_job_kinds:kinds_factory")
    assert sorted(set(kinds) - set(load(""))) == [
        "test.echo", "test.made", "test.single", "test.sleep"]
    assert kinds["test.sleep"] is KINDS[0]


def test_no_setting_means_only_the_built_in_kinds() -> None:
    assert sorted(load("")) == ["blog.generate", "catalog.import", "content.generate", "content.regenerate",
                                "content.regenerate-rejected", "feed.sync", "pages.bulk-generate",
                                "pages.export", "pages.generate", "store.import", "store.sync"]


def test_kinds_are_made_with_the_settings_they_are_loaded_with() -> None:
    kinds = load_kinds(Settings(job_kinds="tests.unit.test_job_kinds:sized_kinds",
                                llm_concurrency=5))
    assert kinds["test.sized"].concurrency == 5
    assert kinds["content.generate"].concurrency == 5 * UNITS_PER_CALL


@pytest.mark.parametrize(("spec", "problem"), [
    ("tests.fakes.job_kinds", ValueError),
    ("tests.fakes.job_kinds:NOPE", AttributeError),
    ("no.such.module:KINDS", ModuleNotFoundError),
    ("tests.fakes.job_kinds:KINDS,tests.unit.test_job_kinds:DUPLICATE", ValueError),
    ("tests.fakes.job_kinds:PROVIDER", TypeError),
])
def test_a_bad_kind_setting_is_refused_at_start(spec: str, problem: type[Exception]) -> None:
    with pytest.raises(problem):
        load(spec)


@pytest.mark.parametrize("kind", [
    SleepKind(name="Has Spaces"), SleepKind(name="a.>"), SleepKind(name=""),
    SleepKind(concurrency=0), SleepKind(ack_wait=0), SleepKind(max_attempts=0),
])
def test_kinds_with_unusable_names_or_limits_are_refused(kind: SleepKind) -> None:
    with pytest.raises(ValueError):
        check_kind(kind)


def test_a_kind_is_checked_for_what_the_protocol_needs() -> None:
    @dataclasses.dataclass
    class Half:
        name: str = "half"

    with pytest.raises(TypeError):
        check_kind(Half())


def test_the_progress_line_shows_the_bar_counts_and_rate() -> None:
    assert progress_line("running", 100, 40, 2, 0, 4.0) == (
        "[############..................] 42/100 succeeded 40 failed 2 · 10.5 items/s")
    assert progress_line("queued", None, 0, 0, 0, 0.0) == (
        "[..............................] 0/? succeeded 0 failed 0 · 0.0 items/s · queued")
    assert progress_line("cancelled", 10, 3, 0, 7, 2.0).endswith(
        "10/10 succeeded 3 failed 0 skipped 7 · 5.0 items/s · cancelled")


def test_an_import_shows_its_rows_against_the_expected_count() -> None:
    assert work_line("running", 42_000, 100_000, 4.0) == (
        "[############..................] 42,000/~100,000 rows · 10,500 rows/s")
    assert work_line("completed", 99_871, 99_871, 10.0) == (
        "[##############################] 99,871/99,871 rows · 9,987 rows/s · completed")


def test_a_job_row_counts_a_long_units_work_when_it_reports_some() -> None:
    now = datetime.now(UTC)
    row = JobRow(id=uuid4(), org_id=uuid4(), project_id=uuid4(), job_type="catalog.import",
                 status="running", parameters={}, created_by=None, progress_total=1,
                 succeeded=0, failed=0, skipped=0, cost=Decimal(0), error=None, result={},
                 created_at=now, started_at=now, completed_at=None, position=1)
    assert (row.progress_current, row.progress_of) == (0, 1)
    reported = dataclasses.replace(row, work_done=5000, work_expected=20_000)
    assert (reported.progress_current, reported.progress_of) == (5000, 20_000)
