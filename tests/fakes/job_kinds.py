"""Job kinds for tests, loaded through `COPYDESK_JOB_KINDS=tests.fakes.job_kinds:KINDS`.

`test.sleep` does nothing but wait, then succeeds, fails or raises as its parameters say, and
charges real XCT for each unit that succeeds (so "charged once" can be counted in the ledger):

    {"units": 200, "latency": 0.5, "fail": ["u00003"], "crash": [...], "flaky": [...],
     "skip": [...], "tokens": 10, "plan_error": "…"}

`crash` units raise on every attempt, `flaky` ones on the first only. `test.echo` is the same
work with no conflicts: it may run beside any job.
"""

import asyncio
import dataclasses
import os
from collections.abc import AsyncIterator
from typing import Any
from uuid import uuid4

from commands.jobs.kind import JobContext, JobSpec, Unit, UnitResult, record_result
from commands.unit_of_work import UnitOfWork
from domain.billing.account import BillingAccount, billing_account_id
from domain.errors import InvalidCommandError
from domain.jobs.job import Job

PROVIDER, MODEL = "template", "template-writer"
MAX_UNITS = 200_000
LISTS = ("fail", "crash", "flaky", "skip")


def unit_id(n: int) -> str:
    return f"u{n:05d}"


@dataclasses.dataclass(frozen=True)
class SleepKind:
    name: str = "test.sleep"
    conflicts: frozenset[str] = frozenset({"test.sleep"})
    concurrency: int = 8
    ack_wait: float = 2.0
    max_attempts: int = 3

    def check_parameters(self, parameters: dict[str, Any]) -> dict[str, Any]:
        units = parameters.get("units", 10)
        if isinstance(units, bool) or not isinstance(units, int) or not 0 <= units <= MAX_UNITS:
            raise InvalidCommandError(f"units must be a whole number from 0 to {MAX_UNITS}")
        latency = parameters.get("latency", 0)
        if not isinstance(latency, int | float) or not 0 <= latency <= 60:
            raise InvalidCommandError("latency must be a number of seconds from 0 to 60")
        for name in LISTS:
            if not isinstance(parameters.get(name, []), list):
                raise InvalidCommandError(f"{name} must be a list of unit ids")
        return parameters

    async def plan(self, ctx: JobContext, job: JobSpec) -> AsyncIterator[Unit]:
        if job.parameters.get("plan_error"):
            raise InvalidCommandError(str(job.parameters["plan_error"]))
        for n in range(int(job.parameters.get("units", 10))):
            yield Unit(id=unit_id(n), data={"n": n})

    async def run(self, ctx: JobContext, job: JobSpec, unit: Unit) -> UnitResult:
        given = job.parameters
        await asyncio.sleep(float(given.get("latency", 0)))
        if unit.id in given.get("crash", []) or (unit.id in given.get("flaky", [])
                                                 and unit.attempt == 1):
            raise RuntimeError(f"unit {unit.id} crashed")
        detail = {"pid": os.getpid(), "n": unit.data.get("n")}
        if unit.id in given.get("fail", []):
            return UnitResult(status="failed", error="asked to fail", detail=detail)
        if unit.id in given.get("skip", []):
            return UnitResult(status="skipped", error="nothing to do", detail=detail)
        return UnitResult(detail=detail)

    def record(self, uow: UnitOfWork, job: Job, unit: Unit, result: UnitResult) -> None:
        tokens = int(job.parameters.get("tokens", 0))
        if result.status != "succeeded" or not tokens:
            record_result(job, unit, result)
            return
        assert job.org_id is not None
        account = uow.get_existing(BillingAccount, billing_account_id(job.org_id),
                                   "billing account")
        cost = account.quote(tokens, PROVIDER, MODEL)
        if record_result(job, unit, dataclasses.replace(result, cost=cost)):
            account.charge(job.org_id, uuid4(), tokens, 0, PROVIDER, MODEL, purpose=self.name,
                           reference_id=f"{job.id}:{unit.id}")


KINDS = [SleepKind(), SleepKind(name="test.echo", conflicts=frozenset())]
