"""A supervised task restarts after a failure and never stops its neighbours."""

import asyncio
import itertools

from workers.supervision import supervise


async def test_a_failing_task_is_restarted_while_its_neighbour_keeps_running() -> None:
    stop = asyncio.Event()
    starts: list[int] = []
    ticks: list[int] = []

    async def failing() -> None:
        starts.append(1)
        if len(starts) < 3:
            raise RuntimeError("cannot apply this event")
        await stop.wait()

    async def steady() -> None:
        while not stop.is_set():
            ticks.append(1)
            await asyncio.sleep(0.005)

    async def stop_later() -> None:
        await asyncio.sleep(0.2)
        stop.set()

    await asyncio.gather(supervise("failing", failing, stop, first_pause=0.01),
                         supervise("steady", steady, stop, first_pause=0.01), stop_later())
    assert len(starts) == 3
    assert len(ticks) > 10


async def test_a_task_that_ends_is_not_started_again() -> None:
    runs: list[int] = []

    async def once() -> None:
        runs.append(1)

    await asyncio.wait_for(supervise("once", once, asyncio.Event()), 1)
    assert runs == [1]


async def test_stop_ends_the_pause_between_restarts() -> None:
    stop = asyncio.Event()

    async def broken() -> None:
        stop.set()
        raise RuntimeError("down")

    await asyncio.wait_for(supervise("broken", broken, stop, first_pause=60), 1)


async def test_a_run_that_stayed_healthy_starts_the_pauses_over() -> None:
    stop = asyncio.Event()
    starts: list[float] = []
    loop = asyncio.get_running_loop()

    async def flaky() -> None:
        starts.append(loop.time())
        if len(starts) == 3:  # this run stays up past `healthy_after`, then fails
            await asyncio.sleep(0.3)
        if len(starts) == 5:
            stop.set()
        raise RuntimeError("down")

    await asyncio.wait_for(supervise("flaky", flaky, stop, first_pause=0.05, longest_pause=10,
                                     healthy_after=0.25), 5)
    pauses = [later - earlier for earlier, later in itertools.pairwise(starts)]
    assert pauses[1] >= 0.1  # 0.05, then doubled to 0.1
    assert pauses[2] - 0.3 < 0.15  # after the healthy run: the first pause again, not 0.2
