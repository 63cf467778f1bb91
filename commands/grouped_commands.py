"""Commands of one kind that many tasks of an event loop send at the same moment (the blog
scheduler's posts under way), run together: one thread, one unit of work, one append.

The event store already writes concurrent appends in one transaction; what each command paid
on its own besides was a thread, a unit of work and the bus's turn — more than the command's
own work when a few dozen a second run in one process. A group is whatever was sent while the
previous group ran (nothing waits for company). Each command's domain error is its own: the
others of its group are recorded. A stale write runs the whole group again from fresh state,
as the bus does for one command.
"""

import asyncio
from collections.abc import Callable
from typing import Generic, TypeVar

import anyio.to_thread

from commands.bus import CommandBus, Outcome
from commands.unit_of_work import UnitOfWork
from domain.errors import DomainError
from domain.log import EventMeta

C = TypeVar("C")
R = TypeVar("R")
MAX_GROUP = 64


class GroupedCommands(Generic[C, R]):
    """`await execute(command, meta)` as `bus.execute(handler, command, meta)` would answer,
    the position being its group's last. For the tasks of one event loop."""

    def __init__(self, bus: CommandBus, handler: Callable[[UnitOfWork, C], R]) -> None:
        self.bus = bus
        self.handler = handler
        self._waiting: list[tuple[C, EventMeta, asyncio.Future[Outcome[R]]]] = []
        self._runner: asyncio.Task[None] | None = None

    async def execute(self, command: C, meta: EventMeta) -> Outcome[R]:
        answer: asyncio.Future[Outcome[R]] = asyncio.get_running_loop().create_future()
        self._waiting.append((command, meta, answer))
        if self._runner is None or self._runner.done():
            self._runner = asyncio.create_task(self._run_groups())
        return await answer

    async def _run_groups(self) -> None:
        while self._waiting:
            taken, self._waiting = self._waiting[:MAX_GROUP], self._waiting[MAX_GROUP:]
            by_meta: dict[EventMeta, list[tuple[C, asyncio.Future[Outcome[R]]]]] = {}
            for command, meta, answer in taken:  # one append carries one meta
                by_meta.setdefault(meta, []).append((command, answer))
            for meta, group in by_meta.items():
                await self._run_group(meta, group)

    async def _run_group(self, meta: EventMeta,
                         group: list[tuple[C, asyncio.Future[Outcome[R]]]]) -> None:
        commands = [command for command, _ in group]

        def each(uow: UnitOfWork) -> list[R | DomainError]:
            results: list[R | DomainError] = []
            for command in commands:
                try:
                    results.append(self.handler(uow, command))
                except DomainError as error:  # raised before its event: nothing recorded
                    results.append(error)
            return results

        name = f"{type(commands[0]).__name__} x{len(commands)}"
        try:
            outcome = await anyio.to_thread.run_sync(lambda: self.bus.run(each, meta, name=name))
        except Exception as error:
            for _, answer in group:
                if not answer.done():
                    answer.set_exception(error)
            return
        for (_, answer), result in zip(group, outcome.result, strict=True):
            if answer.done():  # its caller went away
                continue
            if isinstance(result, DomainError):
                answer.set_exception(result)
            else:
                answer.set_result(Outcome(result, outcome.position))
