"""Benchmark: the app on 1,000,000 tickets and petitions is as quick, and as small, as on 1,000.

Builds one database per size (``bench_tickets.build`` plus ``bench_lists.add_petitions``, or
reuses them from ``--dir``), then drives the real app headless (Textual's ``run_test``) in a
fresh interpreter per run, so each run pays the start-up a clerk pays and its peak memory is
its own. Each run measures:

* start to the first frame (the dashboard screen mounted: something visible at once);
* start to the dashboard painted with its figures (``DashboardScreen.overview`` set);
* pressing F5 to the petitions list's first page on screen, and PageDown to the next page;
* pressing F4 to the tickets list's first page, and its PageDown;
* the run's peak resident memory (``ru_maxrss``).

Each time ends at a painted frame: the first time the app's compositor draws the screen
(``App._display``) once the awaited state holds, not when the pilot's key press returns
(which waits for the whole screen to go idle, the filter bar and its choices included).

The project's bytecode is written first (``bench.common.compile_project``), as a clerk's
install has it. Medians of ``--runs`` runs per size, then the 1M/1k ratios. Targets
(issue #12): every ratio within 1.3, the first page of a list within 0.3 s of its key, the
dashboard painted within 1 s of start; memory at 1M within 1.3x of 1k.

    .venv/bin/python bench/bench_tui.py [--sizes 1000,1000000] [--runs 5] [--dir DIR]

Not part of pytest; CI does not run it.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.common import Figure, compile_project, print_figures  # noqa: E402

# What one run reports, in order: (key, label, target in seconds or None).
STEPS: tuple[tuple[str, str, float | None], ...] = (
    ("frame", "start to first frame", None),
    ("dashboard", "start to dashboard painted", 1.0),
    ("petitions", "F5 to petitions' first page", 0.3),
    ("petitions_next", "PageDown on petitions", None),
    ("tickets", "F4 to tickets' first page", 0.3),
    ("tickets_next", "PageDown on tickets", None),
)


class Frames:
    """When the app paints: ``painted(condition)`` is a future that gets the
    ``perf_counter`` of the first frame drawn while ``condition()`` holds."""

    def __init__(self, app: Any) -> None:
        self._waiting: list[tuple[Callable[[], Any], asyncio.Future[float]]] = []
        display = app._display

        def counted(screen: Any, renderable: Any) -> None:
            display(screen, renderable)
            if renderable is None:
                return
            now = time.perf_counter()
            for condition, future in list(self._waiting):
                if not future.done() and condition():
                    future.set_result(now)
                    self._waiting.remove((condition, future))

        app._display = counted  # the screens call app._display: this instance's wins

    def painted(self, condition: Callable[[], Any]) -> asyncio.Future[float]:
        future: asyncio.Future[float] = asyncio.get_running_loop().create_future()
        self._waiting.append((condition, future))
        return future


async def painted_at(future: asyncio.Future[float], what: str, timeout: float = 60.0) -> float:
    try:
        return await asyncio.wait_for(future, timeout)
    except TimeoutError as error:
        raise RuntimeError(f"timed out waiting for {what}") from error


async def _list_times(app: Any, pilot: Any, frames: Frames, key: str
                      ) -> tuple[float, float, int]:
    """Seconds from ``key`` to the list's first page painted, from PageDown to the next
    page painted, and the list's total."""
    from tui.widgets.paged_table import PagedTable

    before_screen = app.screen

    def table() -> Any:
        if app.screen is before_screen:
            return None
        found = app.screen.query(PagedTable)
        return found.first() if found else None

    def first_page() -> bool:
        shown = table()
        return shown is not None and bool(shown.rows) and shown.pager.total > 0

    painted = frames.painted(first_page)
    start = time.perf_counter()
    await pilot.press(key)
    first = await painted_at(painted, f"the list behind {key}") - start
    shown = table()
    # The page size follows the table's height once the layout settles (a resize may
    # reload the first page): let it, so the page turn is measured on its own.
    await pilot.pause(0.5)
    offset = shown.pager.offset
    painted = frames.painted(lambda: shown.pager.offset != offset and shown.rows)
    start = time.perf_counter()
    await pilot.press("pagedown")
    turn = await painted_at(painted, "the next page") - start
    return first, turn, shown.pager.total


async def _one_run(url: str, started: float) -> dict[str, Any]:
    from bench.bench_tickets import AS_OF
    from ledger import Clock, i18n, open_office
    from tui.app import JiedaoApp

    i18n.set_language("en")
    office = open_office(url, operator="bench", clock=Clock.at(AS_OF))
    app = JiedaoApp(office)
    figures: dict[str, Any] = {}
    frames = Frames(app)
    frame = frames.painted(lambda: type(app.screen).__name__ == "DashboardScreen")
    dashboard = frames.painted(lambda: getattr(app.screen, "overview", None) is not None)
    async with app.run_test(size=(120, 36)) as pilot:
        figures["frame"] = await painted_at(frame, "the first frame") - started
        figures["dashboard"] = await painted_at(dashboard, "the dashboard's figures") - started
        await pilot.pause(0.2)
        first, turn, total = await _list_times(app, pilot, frames, "f5")
        figures.update(petitions=first, petitions_next=turn, petitions_total=total)
        first, turn, total = await _list_times(app, pilot, frames, "f4")
        figures.update(tickets=first, tickets_next=turn, tickets_total=total)
    office.close()
    figures["peak_kb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return figures


def child(url: str) -> None:
    """One measured run, in this (fresh) interpreter; prints its figures as JSON."""
    started = float(os.environ.get("BENCH_STARTED", time.perf_counter()))
    print(json.dumps(asyncio.run(_one_run(url, started))))


def run_child(url: str) -> dict[str, Any]:
    # perf_counter is CLOCK_MONOTONIC on Linux: the same clock in parent and child, so the
    # child can time from the moment its interpreter was asked for.
    env = {**os.environ, "BENCH_STARTED": repr(time.perf_counter())}
    done = subprocess.run([sys.executable, __file__, "--child", url], env=env,
                          capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"run failed ({done.returncode}): {done.stderr.strip()[-2000:]}")
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def build(path: Path, n: int) -> None:
    from bench.bench_lists import add_petitions
    from bench.bench_tickets import build as build_tickets

    print(f"building {n:,} tickets and {n:,} petitions…", flush=True)
    build_tickets(path, n)
    add_petitions(path, n)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,1000000")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--dir", help="Keep (and reuse) the databases here.")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child)
        return
    sizes = [int(s) for s in args.sizes.split(",")]
    compile_project()
    medians: dict[int, dict[str, float]] = {}
    figures: list[Figure] = []
    with tempfile.TemporaryDirectory(prefix="bench-tui-") as tmp:
        folder = Path(args.dir or tmp)
        folder.mkdir(parents=True, exist_ok=True)
        for n in sizes:
            path = folder / f"office-{n}.db"
            if not path.exists():
                build(path, n)
            url = f"sqlite:///{path}"
            run_child(url)  # warm the OS cache and the bytecode
            samples = [run_child(url) for _ in range(args.runs)]
            medians[n] = {key: statistics.median(s[key] for s in samples)
                          for key in samples[0]}
            shown = f"{int(medians[n]['petitions_total']):,} petitions, " \
                    f"{int(medians[n]['tickets_total']):,} tickets"
            for key, label, target in STEPS:
                # A target in seconds is shown as a ratio to it: 1.0 s is the baseline.
                figures.append(Figure(f"{label} ({shown})", medians[n][key], target,
                                      1.0 if target else None))
            print(f"peak memory ({shown}): {medians[n]['peak_kb'] / 1024:.1f} MB", flush=True)
    if len(sizes) > 1:
        small, large = min(sizes), max(sizes)
        for key, label, _ in STEPS:
            figures.append(Figure(f"{label}: {large:,} vs {small:,}", medians[large][key],
                                  medians[small][key], 1.3))
        memory = medians[large]["peak_kb"] / medians[small]["peak_kb"]
        print(f"peak memory {large:,} vs {small:,}: {medians[large]['peak_kb'] / 1024:.1f} MB"
              f" / {medians[small]['peak_kb'] / 1024:.1f} MB = {memory:.2f}x (target 1.3x): "
              f"{'met' if memory <= 1.3 else 'MISSED'}")
        ok = print_figures(figures) and memory <= 1.3
    else:
        ok = print_figures(figures)
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
