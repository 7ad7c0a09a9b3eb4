"""Small helpers shared by the benchmarks: time a command in a subprocess, print figures.

Everything is timed as a subprocess, start-up included, because that is what a clerk's
script or a cron job pays. Each command runs once to warm the OS cache, then ``runs`` times;
the median is reported. Output goes to /dev/null, so terminal speed is not measured.

    from bench.common import Figure, median_seconds, print_figures
    base = median_seconds([sys.executable, "plain.py", db])
    cmd = median_seconds(["jiedao", "--db", db, "tickets", "list", "--json"])
    print_figures([Figure("plain", base), Figure("jiedao", cmd, baseline=base, target=3.0)])
"""

from __future__ import annotations

import os
import statistics
import subprocess
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass


def median_seconds(argv: Sequence[str], *, runs: int = 5, warmup: int = 1,
                   env: Mapping[str, str] | None = None) -> float:
    """Median wall-clock seconds of ``argv`` over ``runs`` runs (after ``warmup`` runs).

    A failing command raises ``RuntimeError`` with its stderr: a fast failure must never
    be reported as a fast command.
    """
    full_env = {**os.environ, **(env or {})}
    times: list[float] = []
    for index in range(warmup + runs):
        start = time.perf_counter()
        done = subprocess.run(list(argv), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                              env=full_env, check=False)
        elapsed = time.perf_counter() - start
        if done.returncode != 0:
            raise RuntimeError(f"{' '.join(argv)} failed ({done.returncode}): "
                               f"{done.stderr.decode(errors='replace').strip()}")
        if index >= warmup:
            times.append(elapsed)
    return statistics.median(times)


@dataclass(frozen=True)
class Figure:
    """One measured line; ``baseline`` and ``target`` (a maximum ratio) are optional."""

    name: str
    seconds: float
    baseline: float | None = None
    target: float | None = None

    @property
    def ratio(self) -> float | None:
        return self.seconds / self.baseline if self.baseline else None

    @property
    def verdict(self) -> str:
        if self.target is None or self.ratio is None:
            return ""
        return "ok" if self.ratio <= self.target else "MISSED"


def print_figures(figures: Sequence[Figure], *, title: str = "") -> bool:
    """Print a table of figures and ratios; return whether every target was met."""
    if title:
        print(title)
    width = max([len(f.name) for f in figures] + [len("measurement")])
    print(f"{'measurement':<{width}}  {'median ms':>10}  {'ratio':>7}  {'target':>7}  result")
    print(f"{'-' * width}  {'-' * 10}  {'-' * 7}  {'-' * 7}  ------")
    for f in figures:
        ratio = f"{f.ratio:.2f}x" if f.ratio is not None else ""
        target = f"<={f.target:g}x" if f.target is not None else ""
        print(f"{f.name:<{width}}  {f.seconds * 1000:>10.1f}  {ratio:>7}  {target:>7}  "
              f"{f.verdict}")
    return all(f.verdict != "MISSED" for f in figures)
