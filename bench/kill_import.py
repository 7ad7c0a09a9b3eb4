"""Crash test: ``jiedao import`` killed with SIGKILL at random points (issue #13).

Each round takes a fresh office (20 villages: a copy of a template SQLite file, or a
PostgreSQL database made from a template database), starts ``jiedao import KIND FILE`` as a
subprocess, kills it with SIGKILL, and then checks that

* the database passes ``PRAGMA integrity_check`` (SQLite; on PostgreSQL the killed one is
  the client and the server rolls its transaction back);
* it holds none or all of that import's rows (never part of them), and ``db check`` finds
  the journal chain whole and every record matching its journal;
* running the same import again finishes it: all the rows, once, and ``db check`` passes.

Where the kills land: one import is timed uninterrupted first; the kill times are spread
over the whole run, from start-up to 110% of that time, one in each equal slice of it
(stratified, at a random point inside each slice), so every phase is hit, the commit
included. The child is ``jiedao``'s own command line with one addition (``HOOK``): right
after the import's transaction has committed it says so on stderr and waits a moment before
printing its result and exiting, so a kill can land *after* the commit (all the rows must
then be there) instead of the process being gone already. ``--on-commit N`` adds N rounds
killed the moment the commit is announced.

    .venv/bin/python bench/kill_import.py [--rows 100000] [--kills 10] [--on-commit 2]
                                          [--kind members] [--backend sqlite|postgresql|all]
                                          [--jobs N] [--dir DIR]

Prints one line per kill and the figures at the end (how many kills landed before and after
the commit). Not part of pytest (a bounded version runs in tests/domain/test_import_kill.py);
exits 1 if any round broke a rule.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor, as_completed
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.bench_import import write_members, write_petitions  # noqa: E402
from ledger import check, open_office, villages  # noqa: E402
from ledger import db as dbmod  # noqa: E402
from ledger._driver import enable_postgres  # noqa: E402
from ledger.config import Settings  # noqa: E402

PY = sys.executable
TABLES = {"members": "person", "petitions": "petition"}
PG_SERVER = os.environ.get("JIEDAO_TEST_PG", "postgresql://root@127.0.0.1:5432")
COMMITTED = "JIEDAO-KILL: committed"

# ``python -m jiedao`` with the import's commit announced on stderr, then a pause of
# JIEDAO_KILL_PAUSE seconds before the command goes on to print its result and exit. The
# real command line and the real ``run_import``: only what happens after its return differs.
HOOK = f"""
import os, sys, time
import ledger.io as io
real = io.run_import
def announced(*args, **kwargs):
    result = real(*args, **kwargs)
    if result.written:
        sys.stderr.write({COMMITTED!r} + "\\n")
        sys.stderr.flush()
        time.sleep(float(os.environ.get("JIEDAO_KILL_PAUSE") or 0))
    return result
io.run_import = announced
from jiedao.entry import main
main()
"""


@dataclass
class Round:
    delay: float  # seconds after the start when the kill was sent
    killed: bool  # False: the import had already finished
    announced: bool  # the child had announced its commit before it was killed
    found: int  # the import's rows in the database after the kill
    wal_bytes: int  # SQLite: the WAL the killed import left (its writes in flight)
    integrity: str  # "ok", SQLite's complaint, or "n/a" (PostgreSQL)
    check_ok: bool
    rerun_seconds: float
    after_rerun: int
    rerun_check_ok: bool

    def ok(self, rows: int) -> bool:
        return (self.integrity in ("ok", "n/a") and self.found in (0, rows)
                and (self.found == rows or not self.announced) and self.check_ok
                and self.after_rerun == rows and self.rerun_check_ok)

    @property
    def landed(self) -> str:
        """Where the kill landed, as the rows left show it."""
        if not self.killed:
            return "after the end"
        return "after the commit" if self.found else "before the commit"


# -- databases --------------------------------------------------------------------------

def pg_reachable(server: str = PG_SERVER) -> bool:
    """The PostgreSQL server answers and psycopg2 is installed (as tests/conftest.py asks)."""
    if server.lower() in ("off", "0", "no", ""):
        return False
    parsed = urlparse(server)
    try:
        with socket.create_connection((parsed.hostname or "127.0.0.1", parsed.port or 5432), 1):
            pass
        import psycopg2  # noqa: F401
    except (OSError, ImportError):
        return False
    return True


def _pg_admin():  # type: ignore[no-untyped-def]  # peewee is untyped
    import peewee

    enable_postgres()
    return peewee.PostgresqlDatabase("test", dsn=f"{PG_SERVER}/test")


def pg_create(prefix: str, template: str | None = None) -> str:
    """A new PostgreSQL database (a copy of ``template``'s URL when given); its URL."""
    name = f"{prefix}_{uuid.uuid4().hex[:8]}"
    admin = _pg_admin()
    try:
        copy = f' TEMPLATE "{template.rsplit("/", 1)[1]}"' if template else ""
        admin.execute_sql(f'CREATE DATABASE "{name}"{copy}')
    finally:
        admin.close()
    return f"{PG_SERVER}/{name}"


def pg_drop(url: str) -> None:
    """Drop the database at ``url``, ending whatever is still connected to it."""
    name = url.rsplit("/", 1)[1]
    admin = _pg_admin()
    try:
        admin.execute_sql(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s", (name,))
        admin.execute_sql(f'DROP DATABASE IF EXISTS "{name}"')
    finally:
        admin.close()


@contextmanager
def pg_database(prefix: str = "jiedao_bench") -> Iterator[str]:
    """A new, empty PostgreSQL database, dropped afterwards (as tests/conftest.py does)."""
    url = pg_create(prefix)
    try:
        yield url
    finally:
        pg_drop(url)


def sqlite_path(url: str) -> Path | None:
    return Path(url[len("sqlite:///"):]) if url.startswith("sqlite:///") else None


def scalar(url: str, sql: str) -> object:
    """One value read from ``url`` on a connection of its own (SQLite or PostgreSQL)."""
    database = dbmod.connect(url)
    try:
        return database.execute_sql(sql).fetchone()[0]
    finally:
        database.close()


def count(url: str, table: str) -> int:
    return int(scalar(url, f'SELECT count(*) FROM "{table}"'))  # type: ignore[call-overload]


def integrity(url: str) -> str:
    path = sqlite_path(url)
    if path is None:
        return "n/a"
    import sqlite3

    with sqlite3.connect(path) as raw:
        return "; ".join(r[0] for r in raw.execute("PRAGMA integrity_check").fetchall())


def db_check(url: str) -> bool:
    """``jiedao db check`` (in this process: a subprocess would mostly time Python's start):
    integrity, foreign keys, the journal chain, every record against its journal."""
    office = open_office(url, operator="killer", settings=Settings())
    try:
        return check.run(office).ok
    finally:
        office.close()


# -- the office and the file ------------------------------------------------------------

def env_for(work: Path, operator: str = "killer") -> dict[str, str]:
    config = work / "config.toml"
    if not config.exists():
        config.write_text("", encoding="utf-8")
    return {**os.environ, "JIEDAO_CONFIG": str(config), "JIEDAO_OPERATOR": operator,
            "JIEDAO_LANG": "en", "PYTHONPATH": str(ROOT),
            "XDG_CACHE_HOME": str(work / "cache")}


def initialised(url: str) -> bool:
    """The database at ``url`` exists and has its tables (a test's migrated one)."""
    path = sqlite_path(url)
    if path is not None and not path.exists():
        return False
    database = dbmod.connect(url)
    try:
        return not dbmod.schema_status(database).empty
    finally:
        database.close()


def make_template(url: str, env: dict[str, str]) -> None:
    """An office with villages V01–V20 (the generated rows name them): ``url`` is a SQLite
    file to create, an empty PostgreSQL database, or an empty migrated one of either."""
    if not initialised(url):
        subprocess.run([PY, "-m", "jiedao", "--db", url, "init", "--no-roles"], check=True, env=env,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    office = open_office(url, operator="killer", settings=Settings())
    try:
        with office.transaction():
            for i in range(1, 21):
                villages.add_village(office, name=f"村{i:02d}", code=f"V{i:02d}")
    finally:
        office.close()


def write_rows(kind: str, path: Path, rows: int) -> None:
    """The file to import, written whole under another name then renamed: a run stopped
    while writing it must not leave a short file that the next run (``--dir``) takes as
    made. Petitions get their numbers filled in: a petition is keyed by its number, so
    re-running a file that was already imported leaves it unchanged (without numbers every
    run registers the petitions anew)."""
    part = path.with_name(path.name + ".part")
    if kind == "members":
        write_members(part, rows)
    else:
        write_petitions(part, rows)
        lines = part.read_text(encoding="utf-8").splitlines()
        numbered = [lines[0]] + [f"XF-2024-{n:06d}{line}"
                                 for n, line in enumerate(lines[1:], 1)]
        part.write_text("\n".join(numbered) + "\n", encoding="utf-8")
    part.replace(path)


def import_argv(url: str, kind: str, file: Path, *, hooked: bool = False) -> list[str]:
    start = [PY, "-c", HOOK] if hooked else [PY, "-m", "jiedao"]
    return [*start, "--db", url, "import", kind, str(file)]


def timed_import(url: str, kind: str, file: Path, env: dict[str, str]) -> float:
    start = time.perf_counter()
    done = subprocess.run(import_argv(url, kind, file), env=env, capture_output=True,
                          text=True, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"import failed ({done.returncode}): {done.stderr.strip()}")
    return time.perf_counter() - start


class Offices:
    """Fresh offices made from one template: SQLite files copied, or PostgreSQL databases
    made with ``CREATE DATABASE … TEMPLATE`` (a file copy on the server: fast)."""

    def __init__(self, backend: str, work: Path, env: dict[str, str]) -> None:
        self.backend, self.work, self.env = backend, work, env
        if backend == "sqlite":
            self.template = f"sqlite:///{work / 'template.db'}"
            if not (work / "template.db").exists():
                make_template(self.template, env)
        else:
            self.template = pg_create("jiedao_kill_template")
            make_template(self.template, env)

    def fresh(self, name: str) -> str:
        if self.backend == "sqlite":
            db = self.work / f"{name}.db"
            for suffix in ("", "-wal", "-shm"):
                Path(f"{db}{suffix}").unlink(missing_ok=True)
            shutil.copy(self.work / "template.db", db)
            return f"sqlite:///{db}"
        return pg_create(f"jiedao_kill_{name}", self.template)

    def done(self, url: str) -> None:
        if self.backend == "postgresql":
            pg_drop(url)
        else:
            path = sqlite_path(url)
            for suffix in ("", "-wal", "-shm"):
                Path(f"{path}{suffix}").unlink(missing_ok=True)

    def close(self) -> None:
        if self.backend == "postgresql":
            pg_drop(self.template)


# -- the rounds -------------------------------------------------------------------------

def kill_round(offices: Offices, kind: str, file: Path, rows: int, delay: float | None,
               pause: float, n: int) -> Round:
    """One import killed ``delay`` seconds after its start, or (``delay`` None) the moment it
    announces its commit."""
    url = offices.fresh(f"round{n}")
    try:
        table = TABLES[kind]
        base = count(url, table)
        env = {**offices.env, "JIEDAO_KILL_PAUSE": str(pause)}
        start = time.perf_counter()
        child = subprocess.Popen(import_argv(url, kind, file, hooked=True), env=env,
                                 stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        assert child.stderr is not None
        if delay is None:
            for line in child.stderr:  # until the announcement, or the end without one
                if line.strip() == COMMITTED:
                    break
        else:
            time.sleep(max(0.0, delay - (time.perf_counter() - start)))
        sent = time.perf_counter() - start
        killed = child.poll() is None
        if killed:
            child.send_signal(signal.SIGKILL)
        child.wait()
        told = delay is None and killed or COMMITTED in child.stderr.read()
        child.stderr.close()
        path = sqlite_path(url)
        wal = Path(f"{path}-wal") if path else None
        wal_bytes = wal.stat().st_size if wal is not None and wal.exists() else 0
        found = count(url, table) - base
        state = integrity(url)
        check_ok = db_check(url)
        rerun = timed_import(url, kind, file, offices.env)
        after = count(url, table) - base
        return Round(sent, killed, told, found, wal_bytes, state, check_ok, rerun, after,
                     db_check(url))
    finally:
        offices.done(url)


def kill_times(full: float, kills: int, low: float, high: float,
               rng: random.Random) -> list[float]:
    """``kills`` moments spread over ``low``–``high`` times ``full``: one at a random point in
    each equal slice, shuffled, so every phase of the run is hit whatever the seed."""
    width = (high - low) / kills
    times = [(low + (i + rng.random()) * width) * full for i in range(kills)]
    rng.shuffle(times)
    return times


def run(rows: int, kills: int, kind: str, work: Path, seed: int = 13, low: float = 0.1,
        high: float = 1.1, on_commit: int = 0, backend: str = "sqlite",
        echo: bool = True, jobs: int = 1) -> tuple[float, list[Round]]:
    """Time one uninterrupted import, then ``kills`` rounds killed at moments spread over
    ``low`` to ``high`` times that import's time, and ``on_commit`` rounds killed right
    after the commit (``jobs`` rounds at a time). Returns that time and the rounds."""
    env = env_for(work)
    file = work / f"{kind}-{rows}.csv"
    if not file.exists():
        write_rows(kind, file, rows)
    offices = Offices(backend, work, env)
    try:
        calibration = offices.fresh("calibration")
        try:
            full = timed_import(calibration, kind, file, env)
            if count(calibration, TABLES[kind]) != rows:
                raise RuntimeError("the uninterrupted import did not write every row")
        finally:
            offices.done(calibration)
        # Long enough that a kill up to ``high`` times the run still finds the process alive.
        pause = max(0.5, (high - 1.0) * full * 1.5)
        rng = random.Random(seed)
        plan: list[float | None] = [*kill_times(full, kills, low, high, rng),
                                    *([None] * on_commit)]
        rounds: list[Round] = []

        def show(n: int, delay: float | None, result: Round) -> None:
            rounds.append(result)
            if echo:
                when = "on the commit" if delay is None else f"{delay / full:.0%} of the run"
                print(f"kill {n + 1}: at {result.delay:.2f} s ({when}; {result.landed}"
                      f"{', announced' if result.announced else ''}), WAL "
                      f"{result.wal_bytes / 1e6:.1f} MB — rows after kill "
                      f"{result.found}/{rows}, integrity {result.integrity}, db check "
                      f"{'ok' if result.check_ok else 'FAILED'}; re-run "
                      f"{result.rerun_seconds:.2f} s -> {result.after_rerun}/{rows}, db check "
                      f"{'ok' if result.rerun_check_ok else 'FAILED'}", flush=True)

        if jobs <= 1:
            for n, delay in enumerate(plan):
                show(n, delay, kill_round(offices, kind, file, rows, delay, pause, n))
        else:
            # Rounds are independent (a database each): several at once, each in a process
            # of its own (``db check`` opens an office, and the ledger's database is global).
            with ProcessPoolExecutor(max_workers=jobs) as pool:
                futures = {pool.submit(kill_round, offices, kind, file, rows, delay, pause,
                                       n): (n, delay) for n, delay in enumerate(plan)}
                for future in as_completed(futures):
                    show(*futures[future], future.result())
        return full, rounds
    finally:
        offices.close()


def summary(backend: str, kind: str, rows: int, full: float, rounds: list[Round]) -> list[str]:
    killed = [r for r in rounds if r.killed]
    before = sum(1 for r in killed if r.found == 0)
    after = sum(1 for r in killed if r.found == rows)
    told = sum(1 for r in killed if r.found == rows and r.announced)
    broken = [r for r in rounds if not r.ok(rows)]
    return [
        f"{backend}, {kind}: {rows:,} rows; uninterrupted import {full:.2f} s "
        f"({rows / full:,.0f} rows/s)",
        f"kills: {len(rounds)}, {len(killed)} while the import ran ({len(rounds) - len(killed)}"
        f" after it had ended); landed before the commit: {before} (none of the rows), after "
        f"the commit: {after} (all of them; {told} after the commit was announced); part of "
        f"the rows: {len(killed) - before - after}",
        "integrity_check ok: "
        + (f"{sum(r.integrity == 'ok' for r in rounds)}/{len(rounds)}"
           if backend == "sqlite" else "n/a (PostgreSQL: the server rolled back)")
        + f"; db check ok after the kill: {sum(r.check_ok for r in rounds)}/{len(rounds)}; "
        f"re-run finished the import: {sum(r.after_rerun == rows for r in rounds)}"
        f"/{len(rounds)} (median {statistics.median(r.rerun_seconds for r in rounds):.2f} s)",
        "RESULT: " + ("ok" if not broken else f"{len(broken)} rounds broke a rule"),
    ]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--kills", type=int, default=10)
    parser.add_argument("--on-commit", type=int, default=2,
                        help="Rounds killed the moment the commit is announced.")
    parser.add_argument("--kind", choices=sorted(TABLES), default="members")
    parser.add_argument("--backend", choices=("sqlite", "postgresql", "all"), default="all",
                        help="all: SQLite, and PostgreSQL when it answers.")
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--jobs", type=int, default=1,
                        help="Rounds run at once (each on its own database).")
    parser.add_argument("--dir", type=Path)
    args = parser.parse_args()
    backends = ["sqlite", "postgresql"] if args.backend == "all" else [args.backend]
    if args.backend == "all" and not pg_reachable():
        print(f"PostgreSQL does not answer at {PG_SERVER}: SQLite only")
        backends = ["sqlite"]
    work = args.dir or Path(tempfile.mkdtemp(prefix="jiedao-kill-"))
    work.mkdir(parents=True, exist_ok=True)
    failed = False
    lines: list[str] = []
    for backend in backends:
        print(f"== {backend} ==", flush=True)
        full, rounds = run(args.rows, args.kills, args.kind, work, args.seed,
                           on_commit=args.on_commit, backend=backend, jobs=args.jobs)
        lines += ["", *summary(backend, args.kind, args.rows, full, rounds)]
        failed = failed or any(not r.ok(args.rows) for r in rounds)
    print("\n".join(lines))
    if not args.dir:
        shutil.rmtree(work, ignore_errors=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
