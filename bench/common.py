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


@dataclass(frozen=True)
class Timing:
    """Medians of one command's runs: wall-clock seconds and CPU seconds (user + system of
    the child). CPU time is what the program costs; wall time also holds the waits of a busy
    machine, so on a shared one the CPU ratio is the steadier figure."""

    wall: float
    cpu: float


def median_pair(first: Sequence[str], second: Sequence[str], *, runs: int = 5,
                warmup: int = 1, env: Mapping[str, str] | None = None,
                first_env: Mapping[str, str] | None = None) -> tuple[Timing, Timing]:
    """Time two commands run alternately (after ``warmup`` runs of each), so a change in the
    machine's load weighs on both alike. A failing command raises ``RuntimeError``."""
    full_env = {**os.environ, **(env or {})}
    envs = ({**full_env, **(first_env or {})}, full_env)
    samples: tuple[list[float], ...] = ([], [], [], [])
    for index in range(warmup + runs):
        for which, argv in enumerate((first, second)):
            before = os.times()
            start = time.perf_counter()
            done = subprocess.run(list(argv), stdout=subprocess.DEVNULL,
                                  stderr=subprocess.PIPE, env=envs[which], check=False)
            wall = time.perf_counter() - start
            after = os.times()
            if done.returncode != 0:
                raise RuntimeError(f"{' '.join(argv)} failed ({done.returncode}): "
                                   f"{done.stderr.decode(errors='replace').strip()}")
            if index >= warmup:
                samples[which * 2].append(wall)
                samples[which * 2 + 1].append(after.children_user - before.children_user
                                              + after.children_system
                                              - before.children_system)
    m = [statistics.median(s) for s in samples]
    return Timing(m[0], m[1]), Timing(m[2], m[3])


PACKAGES = ("ledger", "tui", "commands", "jiedao", "bench")


def compile_project() -> None:
    """Write the project's bytecode (``__pycache__``), as a clerk's install has it: pip
    compiles an installed package, and an editable install writes it at its first start,
    unless ``PYTHONDONTWRITEBYTECODE`` is set, as it is on this project's build machines.
    Without it every start compiles every module it imports again (about 0.2 s of an app
    start), which no clerk pays; a start-up benchmark measures the app, not that."""
    import compileall
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    for package in PACKAGES:
        compileall.compile_dir(root / package, quiet=1)

