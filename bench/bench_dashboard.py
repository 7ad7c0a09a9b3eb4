"""Benchmark: the dashboard paints as fast on 1,000,000 tickets as on 1,000.

The dashboard's frame paints at once and each figure (``ledger.dashboard.FIGURES``) fills
its panel as it arrives from the database thread. Measured with Textual's ``run_test`` from
the app's start: the frame on screen (the panels mounted), and every figure arrived; and
each figure's ledger call alone. Targets: every figure in within 1 s of start, and 1M within
1.3x of 1k. Builds the databases with ``bench_tickets.build`` (or reuses them from ``--dir``).

    .venv/bin/python bench/bench_dashboard.py [--sizes 1000,1000000] [--runs 5] [--dir DIR]

Not part of pytest; CI does not run it.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.bench_tickets import AS_OF, build  # noqa: E402
from bench.common import Figure, print_figures  # noqa: E402
from ledger import Clock, dashboard, i18n, open_office  # noqa: E402
from tui.app import JiedaoApp  # noqa: E402


async def _open(url: str) -> tuple[float, float]:
    """Seconds from the app's start to the frame, and to the last figure."""
    office = open_office(url, operator="bench", clock=Clock.at(AS_OF))
    start = time.perf_counter()
    app = JiedaoApp(office)
    async with app.run_test(size=(160, 50)) as pilot:
        frame = full = None
        deadline = start + 60
        while full is None and time.perf_counter() < deadline:
            screen = app.screen
            if frame is None and screen.query("#dash-villages"):
                frame = time.perf_counter() - start
            if getattr(screen, "overview", None) is not None:
                full = time.perf_counter() - start
            await pilot.pause(0.005)
    office.close()
    if frame is None or full is None:
        raise RuntimeError("the dashboard did not fill")
    return frame, full


def _figures(url: str) -> dict[str, float]:
    """Each figure's ledger call alone (seconds, best of three)."""
    office = open_office(url, operator="bench", clock=Clock.at(AS_OF))
    times = {}
    for name in dashboard.FIGURES:
        runs = []
        for _ in range(3):
            start = time.perf_counter()
            dashboard.figure(office, name)
            runs.append(time.perf_counter() - start)
        times[name] = min(runs)
    office.close()
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,1000000")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--dir", help="Keep (and reuse) the databases here.")
    args = parser.parse_args()
    i18n.set_language("en")
    sizes = [int(s) for s in args.sizes.split(",")]
    with tempfile.TemporaryDirectory(prefix="bench-dash-") as tmp:
        folder = Path(args.dir or tmp)
        folder.mkdir(parents=True, exist_ok=True)
        urls: dict[int, str] = {}
        figures: list[Figure] = []
        for n in sizes:
            path = folder / f"tickets-{n}.db"
            if not path.exists():
                print(f"building {n:,} tickets…", flush=True)
                build(path, n)
            urls[n] = f"sqlite:///{path}"
            for name, seconds in _figures(urls[n]).items():
                figures.append(Figure(f"figure {name}, {n:,} tickets", seconds))
            asyncio.run(_open(urls[n]))  # warm the OS cache and the imports
        # The sizes take turns, run by run: one process grows slower as it runs app after
        # app, and measuring every 1k run before every 1M run charged that to the 1M.
        samples: dict[int, list[tuple[float, float]]] = {n: [] for n in sizes}
        for _ in range(args.runs):
            for n in sizes:
                gc.collect()
                samples[n].append(asyncio.run(_open(urls[n])))
        fulls: dict[int, float] = {}
        for n in sizes:
            frame = statistics.median(s[0] for s in samples[n])
            full = statistics.median(s[1] for s in samples[n])
            fulls[n] = full
            figures.append(Figure(f"frame painted, {n:,} tickets", frame))
            # Target: within 1 s of start (a ratio to one second).
            figures.append(Figure(f"every figure in, {n:,} tickets", full, 1.0, 1.0))
        if len(sizes) > 1:
            small, large = min(sizes), max(sizes)
            figures.append(Figure(f"every figure in {large:,} vs {small:,}", fulls[large],
                                  fulls[small], 1.3))
        ok = print_figures(figures)
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
