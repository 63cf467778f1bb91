"""The results: one row per figure against its baseline, the markdown table of them with their
notes, and the line saying what was measured on which machine."""

from __future__ import annotations

import dataclasses
import os
import platform
import subprocess
from collections.abc import Sequence
from datetime import UTC, datetime

from tests.support import ROOT


@dataclasses.dataclass
class Result:
    """One row: a figure against its baseline, measured in the same run."""

    bench: str
    case: str
    unit: str
    baseline_label: str
    baseline: float
    figure: float
    target: float | None
    """A ratio to reach (higher is better) or an absolute figure not to exceed (lower is
    better); None: reported for information."""
    higher_is_better: bool = True
    """False for latencies: the ratio is then figure / baseline and the target is absolute."""
    target_text: str = ""
    notes: list[str] = dataclasses.field(default_factory=list)
    caveat: str = ""
    """Why the verdict should not be taken at face value (shown beside it)."""

    @property
    def ratio(self) -> float:
        return self.figure / self.baseline if self.baseline else float("inf")

    @property
    def met(self) -> bool | None:
        if self.target is None:
            return None
        if self.higher_is_better:
            return self.ratio >= self.target
        return self.figure <= self.target


def at_least(ratio: float) -> str:
    return f"\u2265 {ratio}\u00d7"


def _num(value: float) -> str:
    if value >= 100:
        return f"{value:,.0f}"
    if value >= 10:
        return f"{value:.1f}"
    return f"{value:.2f}"


def _met(met: bool | None) -> str:
    return "—" if met is None else "yes" if met else "**no**"


def table(results: Sequence[Result]) -> str:
    lines = ["| benchmark | case | baseline | figure | ratio | target | met |",
             "| --- | --- | --- | --- | --- | --- | --- |"]
    for r in results:
        lines.append(
            f"| {r.bench} | {r.case} | {_num(r.baseline)} {r.unit} ({r.baseline_label}) "
            f"| {_num(r.figure)} {r.unit} | {r.ratio:.2f}\u00d7 | {r.target_text} "
            f"| {_met(r.met)}{' — ' + r.caveat if r.caveat else ''} |")
    return "\n".join(lines)


def report(results: Sequence[Result]) -> str:
    notes = [f"- {r.bench} / {r.case}: {n}" for r in results for n in r.notes]
    return table(results) + ("\n\n" + "\n".join(notes) if notes else "")


def source_version() -> str:
    """The commit measured, and whether files outside bench/ differ from it (read-only git)."""
    def git(*args: str) -> str:
        try:
            return subprocess.run(["git", "--no-optional-locks", *args], cwd=ROOT,
                                  capture_output=True, text=True, timeout=10).stdout.rstrip()
        except (OSError, subprocess.SubprocessError):
            return ""
    commit = git("rev-parse", "--short", "HEAD") or "unknown"
    changed = [line[3:] for line in git("status", "--porcelain", "--untracked-files=no")
               .splitlines() if not line[3:].startswith(("bench/", "BENCHMARKS.md"))]
    return f"commit {commit}" + (f" + local changes in {', '.join(changed)}" if changed else "")


def machine() -> str:
    return (f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC, {source_version()}, {os.cpu_count()} "
            f"cores, {platform.python_implementation()} {platform.python_version()}, "
            f"{platform.system()} {platform.release()}")
