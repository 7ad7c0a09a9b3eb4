"""Benchmark: the app's tickets list opens as fast on 1,000,000 tickets as on 1,000.

The list widget pages from the database (one ``count`` and one page of rows), so the time from
pressing F4 to the first page on screen must not grow with the table. Builds the databases
with ``bench_tickets.build`` (or reuses them from ``--dir``), then drives the real app
headless (Textual's ``run_test``), ``runs`` times per size, and prints medians and the ratio.
Target: 1,000,000 within 1.3x of 1,000. Also reports the page turn (PageDown) time.

    .venv/bin/python bench/bench_tui_list.py [--sizes 1000,1000000] [--runs 5] [--dir DIR]

Not part of pytest; CI does not run it. About a minute with the databases built.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.bench_tickets import AS_OF, build  # noqa: E402
from bench.common import Figure, print_figures  # noqa: E402
from ledger import Clock, i18n, open_office  # noqa: E402
from tui.app import JiedaoApp  # noqa: E402
from tui.widgets.paged_table import PagedTable  # noqa: E402


async def _wait(pilot, condition, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise RuntimeError("the tickets list did not load")
        await pilot.pause(0.005)


async def _open_list(url: str) -> tuple[float, float, int]:
    """Seconds from F4 to the first page shown, from PageDown to the second, and the total."""
    office = open_office(url, operator="bench", clock=Clock.at(AS_OF))
    app = JiedaoApp(office)
    async with app.run_test(size=(160, 50)) as pilot:
        # The app opens on the dashboard, whose counts use the same database thread: let
        # them finish, so what is timed is the list alone.
        await _wait(pilot, lambda: getattr(app.screen, "overview", None) is not None)
        start = time.perf_counter()
        await pilot.press("f4")

        def table() -> PagedTable | None:
            found = app.screen.query(PagedTable)
            return found.first() if found else None

        await _wait(pilot, lambda: table() is not None and table().rows
                    and table().pager.total > 0)
        first = time.perf_counter() - start
        shown = table()
        # The page size follows the table's height once the layout settles (a resize may
        # reload the first page): let it, so the page turn is measured on its own.
        await pilot.pause(0.6)
        before = shown.pager.offset
        start = time.perf_counter()
        await pilot.press("pagedown")
        await _wait(pilot, lambda: shown.pager.offset != before and shown.rows)
        turn = time.perf_counter() - start
        total = shown.pager.total
    office.close()
    return first, turn, total


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,1000000")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--dir", help="Keep (and reuse) the databases here.")
    args = parser.parse_args()
    i18n.set_language("en")
    sizes = [int(s) for s in args.sizes.split(",")]
    with tempfile.TemporaryDirectory(prefix="bench-tui-") as tmp:
        folder = Path(args.dir or tmp)
        folder.mkdir(parents=True, exist_ok=True)
        firsts: dict[int, float] = {}
        figures: list[Figure] = []
        for n in sizes:
            path = folder / f"tickets-{n}.db"
            if not path.exists():
                print(f"building {n:,} tickets…", flush=True)
                build(path, n)
            url = f"sqlite:///{path}"
            asyncio.run(_open_list(url))  # warm the OS cache and the imports
            samples = [asyncio.run(_open_list(url)) for _ in range(args.runs)]
            first = statistics.median(s[0] for s in samples)
            turn = statistics.median(s[1] for s in samples)
            firsts[n] = first
            figures.append(Figure(f"first page, {samples[0][2]:,} tickets", first))
            figures.append(Figure(f"page down, {samples[0][2]:,} tickets", turn))
        if len(sizes) > 1:
            small, large = min(sizes), max(sizes)
            figures.append(Figure(f"first page {large:,} vs {small:,}", firsts[large],
                                  firsts[small], 1.3))
        ok = print_figures(figures)
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
