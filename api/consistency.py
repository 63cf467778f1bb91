"""Read-your-writes: where each projection is, learned from its NOTIFY, and waiting for it."""

import asyncio
import contextlib

import psycopg
import structlog

from projections.runner import tracked_positions

log = structlog.get_logger("copydesk.consistency")
POLL_SECONDS = 1.0


class ProjectionPositions:
    def __init__(self, database_url: str) -> None:
        self.database_url = database_url
        self.positions: dict[str, int] = {}
        self.changed: dict[str, int] = {}
        """Per projection, the latest position at which its rows (may have) changed."""
        self._changed = asyncio.Condition()
        self._task: asyncio.Task[None] | None = None

    async def start(self) -> None:
        await self._refresh_all()
        self._task = asyncio.create_task(self._listen())

    async def stop(self) -> None:
        if self._task:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task

    async def _refresh_all(self) -> None:
        async with await psycopg.AsyncConnection.connect(self.database_url, autocommit=True) as c:
            await self._update({name: pos for name, pos, _ in await tracked_positions(c)})

    async def _update(self, positions: dict[str, int], quiet: bool = False) -> None:
        async with self._changed:
            for name, position in positions.items():
                if position > self.positions.get(name, -1):
                    self.positions[name] = position
                if not quiet and position > self.changed.get(name, -1):
                    self.changed[name] = position
            self._changed.notify_all()

    async def _listen(self) -> None:
        while True:
            try:
                async with await psycopg.AsyncConnection.connect(
                    self.database_url, autocommit=True
                ) as conn:
                    await conn.execute("LISTEN projection_advanced")
                    await self._refresh_all()
                    while True:
                        async for note in conn.notifies(timeout=POLL_SECONDS):
                            name, position, *quiet = note.payload.split(":")
                            await self._update({name: int(position)}, quiet=bool(quiet))
                        await self._refresh_all()  # a NOTIFY can be missed; poll too
            except asyncio.CancelledError:
                raise
            except Exception as error:
                log.warning("positions_listener_failed", error=repr(error))
                await asyncio.sleep(0.5)

    def reached(self, names: tuple[str, ...], position: int) -> bool:
        return all(self.positions.get(name, 0) >= position for name in names)

    async def wait(self, names: tuple[str, ...], position: int, timeout: float) -> bool:
        """True once every named projection has reached `position`; False on timeout."""
        if self.reached(names, position):
            return True
        async def until_reached() -> None:
            async with self._changed:
                await self._changed.wait_for(lambda: self.reached(names, position))
        try:
            await asyncio.wait_for(until_reached(), timeout)
            return True
        except TimeoutError:
            return False

    async def wait_for_change(self, name: str, after: int, timeout: float) -> bool:
        """True once the rows of projection `name` changed past position `after`; False when
        `timeout` seconds passed first."""
        async def until_changed() -> None:
            async with self._changed:
                await self._changed.wait_for(lambda: self.changed.get(name, 0) > after)
        try:
            await asyncio.wait_for(until_changed(), timeout)
            return True
        except TimeoutError:
            return False
