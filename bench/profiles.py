"""Profiles, when `BENCH_PROFILE=DIR` is set: py-spy samples of other processes (summarized as
markdown tables) and cProfile of this one; no-ops otherwise."""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Iterator, Sequence
from pathlib import Path

from bench.cli import say


def profiling() -> Path | None:
    """Where profiles go when `BENCH_PROFILE=DIR` is set (py-spy must be installed)."""
    folder = os.environ.get("BENCH_PROFILE")
    if not folder:
        return None
    path = Path(folder).resolve()
    path.mkdir(parents=True, exist_ok=True)
    return path


class Profile:
    """py-spy samples (raw collapsed stacks) of each named process and its children, from
    `delay` seconds on for `duration` seconds, in a background thread; a no-op unless
    BENCH_PROFILE is set."""

    def __init__(self, name: str, pids: dict[str, int], delay: float, duration: float) -> None:
        self.folder = profiling()
        self.name = name
        self.files: dict[str, Path] = {}
        self._procs: list[subprocess.Popen[bytes]] = []
        self._thread: threading.Thread | None = None
        if self.folder is None:
            return
        folder = self.folder
        spy = shutil.which("py-spy") or str(Path(sys.executable).parent / "py-spy")

        def record() -> None:
            time.sleep(delay)
            for role, pid in pids.items():
                out = folder / f"{name}-{role}.txt"
                self.files[role] = out
                self._procs.append(subprocess.Popen(
                    [spy, "record", "--pid", str(pid), "--duration", str(int(duration)),
                     "--format", "raw", "--output", str(out), "--nonblocking", "--subprocesses", "--gil",
                     "--nolineno", "--rate", "200"],
                    stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))

        self._thread = threading.Thread(target=record, daemon=True)
        self._thread.start()

    def finish(self) -> str:
        """Wait for the samples; a summary per process (also written beside them), or ""."""
        if self._thread is None or self.folder is None:
            return ""
        self._thread.join()
        for proc in self._procs:
            try:
                proc.wait(30)
            except subprocess.TimeoutExpired:
                proc.kill()
        text = "\n".join(summarize_profile([path], f"{self.name}: {role}")
                         for role, path in self.files.items() if path.exists())
        (self.folder / f"{self.name}-summary.md").write_text(text)
        say(f"profile of {self.name} in {self.folder}")
        return text


def summarize_profile(files: Sequence[Path], title: str, top: int = 25) -> str:
    """Self and inclusive shares of the sampled functions (only samples holding the GIL)."""
    own: Counter[str] = Counter()
    inclusive: Counter[str] = Counter()
    total = 0
    for path in files:
        for line in path.read_text(errors="replace").splitlines():
            stack, _, count_text = line.rpartition(" ")
            if not stack or not count_text.isdigit():
                continue
            count = int(count_text)
            frames = [f for f in stack.split(";") if not f.startswith("process ")]
            if not frames:
                continue
            total += count
            own[frames[-1]] += count
            for frame in set(frames):
                inclusive[frame] += count
    if not total:
        return f"### {title}: no samples\n"
    lines = [f"### {title}: {total} samples", "", "| self % | function |", "| --- | --- |"]
    lines += [f"| {100 * n / total:.1f} | `{f}` |" for f, n in own.most_common(top)]
    lines += ["", "| inclusive % | function |", "| --- | --- |"]
    lines += [f"| {100 * n / total:.1f} | `{f}` |" for f, n in inclusive.most_common(top)]
    return "\n".join(lines) + "\n"


@contextlib.contextmanager
def cprofiled(name: str) -> Iterator[None]:
    """cProfile of this process for the block (its top functions written to BENCH_PROFILE);
    a no-op unless BENCH_PROFILE is set."""
    folder = profiling()
    if folder is None:
        yield
        return
    import cProfile
    import io
    import pstats

    profiler = cProfile.Profile()
    profiler.enable()
    try:
        yield
    finally:
        profiler.disable()
        text = io.StringIO()
        stats = pstats.Stats(profiler, stream=text).strip_dirs()
        stats.sort_stats("tottime").print_stats(25)
        stats.sort_stats("cumulative").print_stats(30)
        (folder / f"{name}-cprofile.txt").write_text(text.getvalue())
        say(f"profile of {name} in {folder}")
