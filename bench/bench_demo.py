"""Benchmark: `jiedao demo` is ready within 3 s of its start (issue #12).

Runs the real command (``commands.main.run(["demo"])``) in a fresh interpreter per run and
times it from the moment the interpreter was asked for to the dashboard painted with its
figures (``bench_tui.Frames``), the app driven headless. Two cases:

* the first start, with an empty cache folder: it builds the sample office and keeps it as
  the template (``ledger.sample.template``);
* a later start: it copies the template.

The project's bytecode is written first (``bench.common.compile_project``), as a clerk's
install has it. Target (issue #12): a later start within 3 s. The first start (of the day:
the template's key holds the date) is printed too.

    .venv/bin/python bench/bench_demo.py [--runs 5]

Not part of pytest; CI does not run it.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.common import Figure, compile_project, print_figures  # noqa: E402

TARGET_SECONDS = 3.0


def child() -> None:
    """One `jiedao demo`, timed to its painted dashboard; prints the seconds as JSON."""
    started = float(os.environ["BENCH_STARTED"])
    import commands.setup
    from commands.main import run

    # The app runs headless here: no terminal to require.
    commands.setup.require_terminal = lambda: None  # type: ignore[attr-defined]
    seconds: dict[str, float] = {}

    def launch(office: Any) -> None:
        from bench.bench_tui import Frames, painted_at
        from tui.app import JiedaoApp

        async def measure() -> None:
            app = JiedaoApp(office)
            frames = Frames(app)
            ready = frames.painted(lambda: getattr(app.screen, "overview", None) is not None)
            async with app.run_test(size=(120, 36)):
                seconds["ready"] = await painted_at(ready, "the dashboard") - started

        asyncio.run(measure())

    code = run(["--lang", "en", "demo"], launch_tui=launch)
    if code != 0:
        raise SystemExit(code)
    print(json.dumps(seconds))


def run_child(cache: Path) -> float:
    env = {**os.environ, "XDG_CACHE_HOME": str(cache),
           "BENCH_STARTED": repr(time.perf_counter())}
    done = subprocess.run([sys.executable, __file__, "--child"], env=env,
                          capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"demo failed ({done.returncode}): {done.stderr.strip()[-2000:]}")
    ready: float = json.loads(done.stdout.strip().splitlines()[-1])["ready"]
    return ready


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--first-runs", type=int, default=2,
                        help="First starts to time (each builds the sample: seconds each).")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child()
        return
    compile_project()
    with tempfile.TemporaryDirectory(prefix="bench-demo-") as tmp:
        cache = Path(tmp) / "cache"
        first = []
        for _ in range(args.first_runs):
            shutil.rmtree(cache, ignore_errors=True)
            first.append(run_child(cache))
        run_child(cache)  # the template is there; warm the OS cache
        later = [run_child(cache) for _ in range(args.runs)]
    figures = [
        Figure("jiedao demo, first start (builds the sample)", statistics.median(first)),
        Figure("jiedao demo, later start (copies the template): ready", statistics.median(later),
               TARGET_SECONDS, 1.0),
    ]
    sys.exit(0 if print_figures(figures) else 1)


if __name__ == "__main__":
    main()
