"""Measurements beside the load: percentiles of latencies, and the CPU time spent by each
process tree (read from /proc, nothing sampled)."""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Sequence


def percentile(values: Sequence[float], q: float) -> float:
    """Nearest-rank percentile (q in 0..100)."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    rank = max(1, min(len(ordered), round(q / 100 * len(ordered) + 0.5)))
    return ordered[rank - 1]


def _cpu_snapshot() -> dict[int, tuple[int, float]]:
    """pid → (parent pid, CPU seconds used so far, all threads)."""
    tick = os.sysconf("SC_CLK_TCK")
    out: dict[int, tuple[int, float]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as f:
                fields = f.read().rpartition(")")[2].split()
        except OSError:
            continue
        out[int(entry)] = (int(fields[1]), (int(fields[11]) + int(fields[12])) / tick)
    return out


class CpuMeter:
    """CPU seconds spent by each named process tree (a process counts for its nearest named
    ancestor) between `start()` and `stop()`, or in a window `delay` seconds from now for
    `duration` seconds (`window`); nothing is sampled, so it slows nothing down."""

    def __init__(self, roles: dict[str, int]) -> None:
        self.roles = roles
        self.used: dict[str, float] = {}
        self.seconds = 0.0
        self._before: dict[int, tuple[int, float]] = {}
        self._started = 0.0
        self._thread: threading.Thread | None = None

    @classmethod
    def window(cls, roles: dict[str, int], delay: float, duration: float) -> CpuMeter:
        meter = cls(roles)

        def measure() -> None:
            time.sleep(delay)
            meter.start()
            time.sleep(duration)
            meter.stop()

        meter._thread = threading.Thread(target=measure, daemon=True)
        meter._thread.start()
        return meter

    def start(self) -> None:
        self._started = time.monotonic()
        self._before = _cpu_snapshot()

    def stop(self) -> None:
        after = _cpu_snapshot()
        self.seconds = time.monotonic() - self._started
        before = self._before
        by_pid = {pid: role for role, pid in self.roles.items()}
        used: dict[str, float] = {}
        for pid, (_, seconds) in after.items():
            role, cursor, hops = None, pid, 0
            while cursor > 1 and hops < 64:
                role = by_pid.get(cursor)
                if role:
                    break
                cursor, hops = after.get(cursor, before.get(cursor, (0, 0.0)))[0], hops + 1
            key = role or "other"
            used[key] = used.get(key, 0.0) + seconds - before.get(pid, (0, 0.0))[1]
        self.used = used

    def summary(self, per: float = 0.0, unit: str = "request") -> str:
        """CPU per process tree (100% = one core), and ms per `unit` when `per` (how many
        units were done in the window) is given."""
        if self._thread is not None:
            self._thread.join()
        cores = os.cpu_count() or 1
        total = sum(self.used.values())
        parts = []
        for role, seconds in sorted(self.used.items(), key=lambda kv: -kv[1]):
            if seconds < 0.01 * self.seconds:
                continue
            text = f"{role} {100 * seconds / self.seconds:.0f}%"
            if per:
                text += f" = {1000 * seconds / per:.2f} ms/{unit}"
            parts.append(text)
        busy = 100 * total / (self.seconds * cores)
        return (f"CPU (100% = one core; the {cores} cores were {busy:.0f}% busy): "
                + ", ".join(parts))
