"""Crash test: ``jiedao import`` killed with SIGKILL at random points (issue #13).

Each round copies a fresh office (20 villages), starts ``python -m jiedao import KIND FILE``
as a subprocess, kills it with SIGKILL after a random delay inside the import's measured
running time, and then checks that

* the database passes ``PRAGMA integrity_check``;
* it holds none or all of that import's rows (never part of them), and ``db check`` finds
  the journal chain whole and every record matching its journal;
* running the same import again finishes it: all the rows, once, and ``db check`` passes.

    .venv/bin/python bench/kill_import.py [--rows 100000] [--kills 10] [--kind members]

Prints one line per kill and the figures at the end. Not part of pytest (a bounded version
runs in tests/domain/test_import_kill.py); exits 1 if any round broke a rule.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import signal
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.bench_import import write_members, write_petitions  # noqa: E402

PY = sys.executable
TABLES = {"members": "person", "petitions": "petition"}


@dataclass
class Round:
    delay: float  # seconds after the start when the kill was sent
    killed: bool  # False: the import had already finished
    found: int  # the import's rows in the database after the kill
    wal_bytes: int  # the WAL left by the killed import: its uncommitted writes in flight
    integrity: str
    check_ok: bool
    rerun_seconds: float
    after_rerun: int
    rerun_check_ok: bool

    def ok(self, rows: int) -> bool:
        return (self.integrity == "ok" and self.found in (0, rows) and self.check_ok
                and self.after_rerun == rows and self.rerun_check_ok)


def env_for(work: Path) -> dict[str, str]:
    config = work / "config.toml"
    config.write_text("", encoding="utf-8")
    return {**os.environ, "JIEDAO_CONFIG": str(config), "JIEDAO_OPERATOR": "killer",
            "JIEDAO_LANG": "en", "PYTHONPATH": str(ROOT)}


def make_template(path: Path, env: dict[str, str]) -> None:
    """A migrated office with villages V01–V20 (the generated rows name them)."""
    url = f"sqlite:///{path}"
    subprocess.run([PY, "-m", "jiedao", "--db", url, "init"], check=True, env=env,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    code = (
        "from ledger import open_office, villages\n"
        f"o = open_office({url!r}, operator='killer')\n"
        "with o.transaction():\n"
        "    for i in range(1, 21):\n"
        "        villages.add_village(o, name=f'村{i:02d}', code=f'V{i:02d}')\n")
    subprocess.run([PY, "-c", code], check=True, env=env)


def write_rows(kind: str, path: Path, rows: int) -> None:
    """The file to import. Petitions get their numbers filled in: a petition is keyed by its
    number, so re-running a file that was already imported leaves it unchanged (without
    numbers every run registers the petitions anew)."""
    if kind == "members":
        write_members(path, rows)
        return
    write_petitions(path, rows)
    lines = path.read_text(encoding="utf-8").splitlines()
    numbered = [lines[0]] + [f"XF-2024-{n:06d}{line}" for n, line in enumerate(lines[1:], 1)]
    path.write_text("\n".join(numbered) + "\n", encoding="utf-8")


def import_argv(db: Path, kind: str, file: Path) -> list[str]:
    return [PY, "-m", "jiedao", "--db", f"sqlite:///{db}", "import", kind, str(file)]


def count(db: Path, table: str) -> int:
    with sqlite3.connect(db) as raw:
        return int(raw.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0])


def integrity(db: Path) -> str:
    with sqlite3.connect(db) as raw:
        return "; ".join(r[0] for r in raw.execute("PRAGMA integrity_check").fetchall())


def db_check(db: Path) -> bool:
    """``jiedao db check`` (in this process: a subprocess would mostly time Python's start):
    integrity, foreign keys, the journal chain, every record against its journal."""
    from ledger import check, open_office

    office = open_office(f"sqlite:///{db}", operator="killer")
    try:
        return check.run(office).ok
    finally:
        office.close()


def timed_import(db: Path, kind: str, file: Path, env: dict[str, str]) -> float:
    start = time.perf_counter()
    done = subprocess.run(import_argv(db, kind, file), env=env, capture_output=True,
                          text=True, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"import failed ({done.returncode}): {done.stderr.strip()}")
    return time.perf_counter() - start


def kill_round(template: Path, work: Path, kind: str, file: Path, rows: int, delay: float,
               env: dict[str, str], n: int) -> Round:
    db = work / f"round{n}.db"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)
    shutil.copy(template, db)
    table = TABLES[kind]
    base = count(db, table)
    child = subprocess.Popen(import_argv(db, kind, file), env=env, stdout=subprocess.DEVNULL,
                             stderr=subprocess.DEVNULL)
    time.sleep(delay)
    killed = child.poll() is None
    if killed:
        child.send_signal(signal.SIGKILL)
    child.wait()
    wal = Path(f"{db}-wal")
    wal_bytes = wal.stat().st_size if wal.exists() else 0
    found = count(db, table) - base
    state = integrity(db)
    check_ok = db_check(db)
    rerun = timed_import(db, kind, file, env)
    after = count(db, table) - base
    return Round(delay, killed, found, wal_bytes, state, check_ok, rerun, after, db_check(db))


def run(rows: int, kills: int, kind: str, work: Path, seed: int = 13, low: float = 0.15,
        echo: bool = True) -> tuple[float, list[Round]]:
    """Calibrate one uninterrupted import, then ``kills`` killed rounds, each after a random
    share (``low`` to 1) of the uninterrupted import's time. Returns that time and the
    rounds."""
    env = env_for(work)
    template = work / "template.db"
    if not template.exists():
        make_template(template, env)
    file = work / f"{kind}-{rows}.csv"
    if not file.exists():
        write_rows(kind, file, rows)
    calibration = work / "calibration.db"
    shutil.copy(template, calibration)
    full = timed_import(calibration, kind, file, env)
    if count(calibration, TABLES[kind]) != rows:
        raise RuntimeError("the uninterrupted import did not write every row")
    rng = random.Random(seed)
    rounds = []
    for n in range(kills):
        # Anywhere from start-up (reading, validating) to the commit itself.
        delay = rng.uniform(low, 1.0) * full
        result = kill_round(template, work, kind, file, rows, delay, env, n)
        rounds.append(result)
        if echo:
            print(f"kill {n + 1}: at {result.delay:.2f} s"
                  f"{'' if result.killed else ' (already finished)'}, WAL "
                  f"{result.wal_bytes / 1e6:.1f} MB — rows after kill "
                  f"{result.found}/{rows}, integrity {result.integrity}, db check "
                  f"{'ok' if result.check_ok else 'FAILED'}; re-run {result.rerun_seconds:.2f} s"
                  f" -> {result.after_rerun}/{rows}, db check "
                  f"{'ok' if result.rerun_check_ok else 'FAILED'}", flush=True)
    return full, rounds


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--kills", type=int, default=10)
    parser.add_argument("--kind", choices=sorted(TABLES), default="members")
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--dir", type=Path)
    args = parser.parse_args()
    work = args.dir or Path(tempfile.mkdtemp(prefix="jiedao-kill-"))
    work.mkdir(parents=True, exist_ok=True)
    full, rounds = run(args.rows, args.kills, args.kind, work, args.seed)
    killed = [r for r in rounds if r.killed]
    none = sum(1 for r in killed if r.found == 0)
    whole = sum(1 for r in killed if r.found == args.rows)
    broken = [r for r in rounds if not r.ok(args.rows)]
    print()
    print(f"{args.kind}: {args.rows:,} rows; uninterrupted import {full:.2f} s "
          f"({args.rows / full:,.0f} rows/s)")
    print(f"kills: {len(killed)} sent during the import ({len(rounds) - len(killed)} landed "
          f"after it ended); after the kill: {none} held none of the rows, {whole} all of "
          f"them, {len(killed) - none - whole} part of them")
    print(f"integrity_check ok: {sum(r.integrity == 'ok' for r in rounds)}/{len(rounds)}; "
          f"db check ok after the kill: {sum(r.check_ok for r in rounds)}/{len(rounds)}; "
          f"re-run finished the import: {sum(r.after_rerun == args.rows for r in rounds)}"
          f"/{len(rounds)} (median {statistics.median(r.rerun_seconds for r in rounds):.2f} s)")
    print("RESULT:", "ok" if not broken else f"{len(broken)} rounds broke a rule")
    if not args.dir:
        shutil.rmtree(work, ignore_errors=True)
    return 1 if broken else 0


if __name__ == "__main__":
    sys.exit(main())
