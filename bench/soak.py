"""Soak test: several writers on one office at once (issue #13, "Concurrency without lost work").

On one database, all at once (the import starts ``--import-after`` seconds in; the run lasts
``--seconds`` at least and ``--tail`` seconds after the import has ended, ``--limit`` at
most; 50,000 rows take some 6 s on an idle machine, far more on a busy one):

* a clerk in the TUI (Textual's Pilot, the real app): the members list searched down to a
  few members, then again and again: ``e`` on one of them, a new text in the notes, Ctrl+S;
  a conflict dialog (another clerk changed the member since the form opened) is answered
  with "reload", which keeps the typing, and saved again;
* a second clerk (a thread, ``ledger.members.edit_member`` with the version it read a
  moment before) editing the notes of the same members, so conflicts happen both ways;
* ``jiedao remind --force --json`` every second as a subprocess (cron's command; ``--force``
  re-sends, so each run writes the reminder log);
* ``jiedao import members FILE`` of 50,000 generated rows as a subprocess: one transaction
  that holds SQLite's write lock for its whole run.

First on a SQLite file, then (when the server answers) on a new PostgreSQL database made and
dropped here. The figures printed, and what must hold (exit 1 otherwise):

* edits saved, conflicts shown (expected: two clerks on the same members), other errors: 0;
* "database is locked" failures anywhere (TUI, clerk, remind, import): 0;
* remind runs and their exit codes: all 0; the reminder log holds what the runs sent;
* lost updates: 0 — every saved edit is in the journal as the change from exactly the
  version its clerk had seen, and is what is stored, or a later journaled change replaced it;
  each member's version counts its journaled changes;
* ``jiedao audit verify``: the chain verifies; ``db check``: every record matches its journal;
* counts add up: 50,000 more members, and journal entries = TUI edits + clerk's edits +
  imported rows.

    .venv/bin/python bench/soak.py [--rows 50000] [--seconds 30] [--import-after 5] [--tail 5]
                                   [--limit 300] [--backend sqlite|postgresql|all] [--dir DIR]

A bounded version runs in tests/domain/test_soak.py (a few seconds, both databases).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.bench_tickets import AS_OF  # noqa: E402
from bench.kill_import import (  # noqa: E402
    PG_SERVER,
    PY,
    env_for,
    make_template,
    pg_database,
    pg_reachable,
    write_rows,
)
from ledger import Clock, check, items, journal, members, open_office, staff, tickets  # noqa: E402
from ledger import db as dbmod  # noqa: E402
from ledger.config import Settings  # noqa: E402
from ledger.errors import LedgerError, StaleVersion  # noqa: E402

JIEDAO = [PY, "-m", "jiedao"]
TUI, CLERK, IMPORTER, CRON = "clerk-tui", "clerk-two", "importer", "cron"
# The members both clerks edit: a surname none of the generated rows has, so the TUI's search
# ("qian", the start of the full pinyin) finds them alone among the 50,000.
EDITED = ("钱一", "钱二", "钱三", "钱四")
SEARCH = "qian"
TICKETS = 12  # due tomorrow: every remind run tells 王芳 about each of them


@dataclass(frozen=True)
class Edit:
    who: str
    member_id: int
    notes: str
    version: int  # the version the clerk saw, and sent with the save


@dataclass
class Side:
    """What one writer did."""

    saved: list[Edit] = field(default_factory=list)
    conflicts: int = 0
    errors: list[str] = field(default_factory=list)
    longest: float = 0.0  # the longest save, in seconds (waiting for another writer's lock)


@dataclass
class Figures:
    backend: str
    rows: int
    seconds: float = 0.0
    tui: Side = field(default_factory=Side)
    clerk: Side = field(default_factory=Side)
    remind_codes: Counter[int] = field(default_factory=Counter)
    remind_errors: list[str] = field(default_factory=list)
    remind_sent: int = 0  # items the runs said they sent (and logged)
    started: float = 0.0  # time.monotonic() when the writers started
    import_at: float = 0.0  # seconds into the run when the import started
    import_code: int | None = None
    import_seconds: float = 0.0
    import_error: str = ""
    members_added: int = 0
    journal_added: int = 0
    journal_by: dict[str, int] = field(default_factory=dict)
    reminder_log: int = 0
    lost: list[str] = field(default_factory=list)
    verify: str = ""
    verify_code: int | None = None
    check: str = ""
    check_ok: bool = False

    @property
    def locked(self) -> int:
        texts = [*self.tui.errors, *self.clerk.errors, *self.remind_errors, self.import_error]
        return sum(1 for text in texts if "locked" in text.lower())

    def problems(self) -> list[str]:
        """Every rule the run broke (none: the soak passed)."""
        out = []
        if self.locked:
            out.append(f'{self.locked} "database is locked" failures')
        for name, side in (("TUI", self.tui), ("clerk", self.clerk)):
            if side.errors:
                out.append(f"{name} errors: {side.errors[:3]}")
        if not self.tui.saved:
            out.append("the TUI saved nothing")
        if self.import_code != 0:
            out.append(f"import exit code {self.import_code}: {self.import_error}")
        if self.members_added != self.rows:
            out.append(f"{self.members_added} members added, not {self.rows}")
        if not self.remind_codes or set(self.remind_codes) != {0}:
            out.append(f"remind exit codes {dict(self.remind_codes)}: {self.remind_errors[:3]}")
        if self.reminder_log != self.remind_sent:
            out.append(f"reminder log {self.reminder_log} rows, the runs sent {self.remind_sent}")
        if self.lost:
            out.append(f"{len(self.lost)} lost updates: {self.lost[:3]}")
        if self.verify_code != 0:
            out.append(f"audit verify: {self.verify}")
        if not self.check_ok:
            out.append(f"db check: {self.check}")
        expected = len(self.tui.saved) + len(self.clerk.saved) + self.rows
        if self.journal_added != expected:
            out.append(f"journal grew by {self.journal_added}, expected {expected}")
        return out

    def lines(self) -> list[str]:
        runs = sum(self.remind_codes.values())
        codes = ", ".join(f"exit {c}: {n}" for c, n in sorted(self.remind_codes.items()))
        expected = len(self.tui.saved) + len(self.clerk.saved) + self.rows
        others = self.journal_added - sum(self.journal_by.get(w, 0) for w in (TUI, CLERK,
                                                                            IMPORTER))
        problems = self.problems()
        return [
            f"{self.backend}: {self.seconds:.1f} s; import of {self.rows:,} members from "
            f"{self.import_at:.1f} s to {self.import_at + self.import_seconds:.1f} s "
            f"({self.import_seconds:.1f} s, exit {self.import_code})",
            f"  TUI (Pilot): {len(self.tui.saved)} edits saved, {self.tui.conflicts} conflicts "
            f"shown (reloaded, saved again), {len(self.tui.errors)} errors; longest save "
            f"{self.tui.longest:.1f} s",
            f"  second clerk: {len(self.clerk.saved)} edits saved, {self.clerk.conflicts} "
            f"refused as stale, {len(self.clerk.errors)} errors; longest save "
            f"{self.clerk.longest:.1f} s",
            f"  remind: {runs} runs ({codes}), {self.remind_sent} items sent, reminder log "
            f"{self.reminder_log} rows",
            f'  "database is locked" failures: {self.locked}',
            f"  lost updates: {len(self.lost)}",
            f"  audit verify: {self.verify} (exit {self.verify_code}); db check: {self.check}",
            f"  counts: members +{self.members_added:,} (of {self.rows:,}); journal "
            f"+{self.journal_added:,} = TUI {self.journal_by.get(TUI, 0)} + clerk "
            f"{self.journal_by.get(CLERK, 0)} + import {self.journal_by.get(IMPORTER, 0):,}"
            f" + other {others} (expected {expected:,})",
            "  RESULT: " + ("ok" if not problems else "FAILED: " + "; ".join(problems)),
        ]


# -- the office -------------------------------------------------------------------------

def seed(url: str, env: dict[str, str]) -> list[int]:
    """The office of ``kill_import.make_template`` (villages V01–V20), plus the members the
    clerks edit and tickets due tomorrow for the reminders. Returns the members' ids."""
    make_template(url, env)
    office = open_office(url, operator="seed", clock=Clock.at(AS_OF), settings=Settings())
    try:
        ids = [members.add_member(office, name=name, village="V01", post="committee_member",
                                  election_date="2024-01-10")["id"] for name in EDITED]
        staff.add_staff(office, name="王芳", language="en")
        items.add_item(office, code="R13", name="城乡低保", category="社会救助",
                       level="district", time_limit_days=1)
        for n in range(TICKETS):
            tickets.open_ticket(office, item="R13", applicant_name=f"申请人{n}", agent="王芳")
    finally:
        office.close()
    return ids


def counts(url: str) -> dict[str, int]:
    database = dbmod.connect(url)
    try:
        out = {table: int(database.execute_sql(f'SELECT count(*) FROM "{table}"').fetchone()[0])
               for table in ("person", "journal", "reminder_log")}
        for who, n in database.execute_sql(
                "SELECT operator, count(*) FROM journal GROUP BY operator").fetchall():
            out[f"by:{who}"] = int(n)
        return out
    finally:
        database.close()


# -- the writers ------------------------------------------------------------------------

def remind_loop(url: str, env: dict[str, str], stop: threading.Event, figures: Figures) -> None:
    """``jiedao remind`` every second (the next run starts on the next whole second after
    the last one ended, as a cron with a lock would)."""
    argv = [*JIEDAO, "--db", url, "--as-of", AS_OF, "remind", "--force", "--json"]
    env = {**env, "JIEDAO_OPERATOR": CRON}
    while not stop.is_set():
        started = time.monotonic()
        done = subprocess.run(argv, env=env, capture_output=True, text=True, check=False)
        figures.remind_codes[done.returncode] += 1
        if done.returncode == 0:
            result = json.loads(done.stdout)
            figures.remind_sent += sum(d["items"] for p in result["recipients"]
                                       for d in p["deliveries"] if d["status"] == "sent")
        else:
            figures.remind_errors.append(done.stderr.strip()[-300:])
        stop.wait(max(0.0, 1.0 - (time.monotonic() - started) % 1.0))


def run_import(url: str, file: Path, env: dict[str, str], figures: Figures,
               done: threading.Event, stop: threading.Event, after: float) -> None:
    """The import, ``after`` seconds into the run (the clerks and cron are at work by then)."""
    if stop.wait(after):
        return
    argv = [*JIEDAO, "--db", url, "--as-of", AS_OF, "import", "members", str(file)]
    started = time.monotonic()
    figures.import_at = started - figures.started
    finished = subprocess.run(argv, env={**env, "JIEDAO_OPERATOR": IMPORTER},
                              capture_output=True, text=True, check=False)
    figures.import_seconds = time.monotonic() - started
    figures.import_code = finished.returncode
    if finished.returncode != 0:
        figures.import_error = (finished.stderr.strip() or finished.stdout.strip())[-500:]
    done.set()


def clerk_loop(url: str, ids: list[int], stop: threading.Event, side: Side,
               seed_: int) -> None:
    """A second clerk: reads a member, thinks a moment, saves new notes with the version
    read; a stale version is refused (counted), never written."""
    rng = random.Random(seed_)
    office = open_office(url, operator=CLERK, clock=Clock.at(AS_OF), settings=Settings())
    n = 0
    try:
        while not stop.is_set():
            member_id = rng.choice(ids)
            notes = f"clerk two, edit {n}"
            n += 1
            try:
                version = members.get_member(office, member_id)["version"]
                stop.wait(rng.uniform(0.0, 0.4))
                began = time.monotonic()
                members.edit_member(office, member_id, version=version, notes=notes)
                side.longest = max(side.longest, time.monotonic() - began)
                side.saved.append(Edit(CLERK, member_id, notes, version))
            except StaleVersion:
                side.conflicts += 1
            except LedgerError as err:
                side.errors.append(err.message())
            stop.wait(rng.uniform(1.0, 3.0))
    finally:
        office.close()


async def tui_loop(url: str, ids: list[int], side: Side, started: Callable[[], None],
                   finished: Callable[[], bool], patience: float) -> None:
    """The clerk in the app: edit the notes of the searched members one after the other,
    until ``finished()``. ``started()`` is called once the list shows them; a save may wait
    ``patience`` seconds (for the import's lock)."""
    from textual.widgets import Input

    from tui.app import JiedaoApp
    from tui.screens.members import MembersScreen
    from tui.widgets.conflict import ConflictDialog
    from tui.widgets.filter_bar import FilterBar
    from tui.widgets.form import FormScreen

    class SoakApp(JiedaoApp):
        """The app, keeping the error notifications it shows (a failed save is one)."""

        CSS_PATH = str(Path(sys.modules[JiedaoApp.__module__].__file__ or "").parent
                       / str(JiedaoApp.CSS_PATH))
        shown_errors: list[str] = []

        def notify(self, message: str, *, title: str = "", severity: Any = "information",
                   timeout: float | None = None, markup: bool = False) -> None:
            if severity == "error":
                self.shown_errors.append(str(message))
            super().notify(message, title=title, severity=severity, timeout=timeout,
                           markup=markup)

    office = open_office(url, operator=TUI, clock=Clock.at(AS_OF), settings=Settings())
    app = SoakApp(office)
    app.shown_errors = []

    async def wait(pilot: Any, condition: Callable[[], Any], what: str,
                   timeout: float = patience) -> None:
        deadline = time.monotonic() + timeout
        while True:
            try:
                if condition():
                    return
            except Exception:  # noqa: BLE001 - a widget not mounted yet: keep waiting
                pass
            if time.monotonic() > deadline:
                raise TimeoutError(f"TUI: timed out waiting for {what}")
            await pilot.pause(0.02)

    def row_of(screen: MembersScreen, member_id: int) -> tuple[int, dict[str, Any]]:
        for index, row in enumerate(screen.table.rows):
            if row["id"] == member_id:
                return index, row
        raise LookupError(member_id)

    async def edit(pilot: Any, screen: MembersScreen, member_id: int, notes: str) -> None:
        """One edit as a clerk makes it: the member's form, new notes, Ctrl+S; a conflict is
        reloaded (the typing stays) and saved again; an error is shown, the form left."""
        screen.table.table.move_cursor(row=row_of(screen, member_id)[0])
        await wait(pilot, lambda: screen.table.current_row["id"] == member_id, "the cursor")
        await pilot.press("e")
        await wait(pilot, lambda: isinstance(app.screen, FormScreen), "the edit form")
        form = app.screen
        assert isinstance(form, FormScreen)
        form.form.widget_for("notes").text = notes  # type: ignore[attr-defined]
        while True:
            version = form.version
            if version is None:  # not the member's edit form: say which form it was
                side.errors.append(f"TUI: a form without a version: {form.form_title!r}, "
                                   f"{form.form.values()!r}")
                await pilot.press("escape")
                return
            errors = len(app.shown_errors)
            began = time.monotonic()
            await pilot.press("ctrl+s")
            await wait(pilot, lambda seen=errors: app.screen is screen
                       or isinstance(app.screen, ConflictDialog)
                       or len(app.shown_errors) > seen, "the save")
            side.longest = max(side.longest, time.monotonic() - began)
            if app.screen is screen:
                side.saved.append(Edit(TUI, member_id, notes, version))
                # The list reloads the row: the next form opens on what is stored.
                await wait(pilot, lambda saved=version: row_of(screen, member_id)[1]["version"]
                           > saved, "the list's reload")
                return
            if not isinstance(app.screen, ConflictDialog):
                side.errors.append(app.shown_errors[-1])
                await pilot.press("escape")
                await wait(pilot, lambda: app.screen is screen, "the list again")
                return
            side.conflicts += 1
            await pilot.press("r")  # reload: theirs in, my typing kept
            await wait(pilot, lambda stale=version: app.screen is form
                       and form.version != stale, "the reloaded form")

    try:
        async with app.run_test(size=(140, 45)) as pilot:
            await pilot.press("f3")
            await wait(pilot, lambda: isinstance(app.screen, MembersScreen)
                       and app.screen.table.pager.total and app.screen.query(FilterBar),
                       "the members list and its search box")
            screen = app.screen
            assert isinstance(screen, MembersScreen)
            await pilot.press("slash")
            search = screen.query_one("#filter-search", Input)
            # Typed only once the box has the focus: the letters are the list's keys too.
            await wait(pilot, lambda: search.has_focus, "the search box")
            await pilot.press(*SEARCH, "enter")
            await wait(pilot, lambda: search.value == SEARCH and app.screen is screen
                       and sorted(r["id"] for r in screen.table.rows) == sorted(ids),
                       "the searched members")
            started()
            n = 0
            while not finished():
                await edit(pilot, screen, ids[n % len(ids)], f"TUI, edit {n}")
                n += 1
    except TimeoutError as err:
        side.errors.append(str(err))
    finally:
        office.close()


# -- checks -----------------------------------------------------------------------------

def lost_updates(url: str, ids: list[int], saved: list[Edit]) -> list[str]:
    """Every saved edit must be the journaled change from exactly the version its clerk saw
    (entry number ``version`` of the member's changes, the creation being entry 0), and be
    what is stored or be followed by a later journaled change; a member's version is one
    more than its journaled changes, and its stored notes are the last change's."""
    office = open_office(url, operator="soak-check", clock=Clock.at(AS_OF),
                         settings=Settings())
    lost: list[str] = []
    try:
        for member_id in ids:
            changes = [e for e in journal.entries(office, entity="member", entity_id=member_id)
                       if e["action"] in ("create", "update")]
            stored = members.get_member(office, member_id)
            if stored["version"] != len(changes):
                lost.append(f"member {member_id}: version {stored['version']} after "
                            f"{len(changes)} journaled changes")
            if stored["notes"] != (changes[-1]["after"] or {}).get("notes"):
                lost.append(f"member {member_id}: notes {stored['notes']!r} are not the last "
                            "journaled change's")
            for edit in (e for e in saved if e.member_id == member_id):
                at = edit.version  # the change that made version v+1 from v
                entry = changes[at] if at < len(changes) else None
                if (entry is None or entry["operator"] != edit.who
                        or (entry["after"] or {}).get("notes") != edit.notes):
                    lost.append(f"{edit.who}'s save of {edit.notes!r} on member {member_id} "
                                f"(seen version {edit.version}) is not the change from it")
                elif stored["notes"] != edit.notes and at == len(changes) - 1:
                    lost.append(f"{edit.who}'s {edit.notes!r} on member {member_id} is gone "
                                "without a later change")
    finally:
        office.close()
    return lost


def verify(url: str, env: dict[str, str]) -> tuple[int, str]:
    done = subprocess.run([*JIEDAO, "--db", url, "audit", "verify"], env=env,
                          capture_output=True, text=True, check=False)
    return done.returncode, " ".join((done.stdout + done.stderr).split())[:200]


def db_check(url: str) -> tuple[bool, str]:
    office = open_office(url, operator="soak-check", settings=Settings())
    try:
        report = check.run(office)
        problems = getattr(report, "problems", [])
        return report.ok, "ok" if report.ok else f"{len(problems)} problems: {problems[:3]}"
    finally:
        office.close()


# -- the run ----------------------------------------------------------------------------

def soak(url: str, work: Path, *, backend: str, rows: int = 50_000, seconds: float = 30.0,
         import_after: float = 5.0, tail: float = 5.0, limit: float = 300.0,
         seed_: int = 13) -> Figures:
    """Seed the office at ``url`` (empty, or a SQLite file to create; an empty migrated one
    will do), then run every writer at once: the import starts ``import_after`` seconds in,
    and the run goes on for ``seconds`` at least and ``tail`` seconds after the import has
    ended (``limit`` at most; an import still running then fails the run). Then check."""
    env = env_for(work)
    file = work / f"members-{rows}.csv"
    if not file.exists():
        write_rows("members", file, rows)
    ids = seed(url, env)
    before = counts(url)
    figures = Figures(backend, rows)
    stop, imported = threading.Event(), threading.Event()
    threads = [
        threading.Thread(target=remind_loop, args=(url, env, stop, figures), daemon=True),
        threading.Thread(target=clerk_loop, args=(url, ids, stop, figures.clerk, seed_),
                         daemon=True),
    ]
    threads.append(threading.Thread(target=run_import, daemon=True, args=(
        url, file, env, figures, imported, stop, import_after)))

    def started() -> None:
        figures.started = time.monotonic()
        for thread in threads:
            thread.start()

    def finished() -> bool:
        elapsed = time.monotonic() - figures.started
        ended = figures.import_at + figures.import_seconds
        return elapsed >= limit or (imported.is_set() and elapsed >= max(seconds, ended + tail))

    try:
        # A save waits for the import's lock as long as the import may run.
        asyncio.run(tui_loop(url, ids, figures.tui, started, finished, limit))
    finally:
        figures.seconds = time.monotonic() - (figures.started or time.monotonic())
        stop.set()
        for thread in threads:
            if thread.is_alive():
                thread.join(limit)
    if not imported.is_set():
        figures.import_error = f"still running after {limit:.0f} s"
    after = counts(url)
    figures.members_added = after["person"] - before["person"]
    figures.journal_added = after["journal"] - before["journal"]
    figures.journal_by = {k[3:]: v - before.get(k, 0) for k, v in after.items()
                          if k.startswith("by:")}
    figures.reminder_log = after["reminder_log"] - before["reminder_log"]
    figures.lost = lost_updates(url, ids, figures.tui.saved + figures.clerk.saved)
    figures.verify_code, figures.verify = verify(url, env)
    figures.check_ok, figures.check = db_check(url)
    return figures


def run(backend: str, work: Path, **options: Any) -> Figures:
    """The soak on a new SQLite file in ``work`` or a new PostgreSQL database (dropped)."""
    if backend == "sqlite":
        path = work / "soak.db"
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        return soak(f"sqlite:///{path}", work, backend=backend, **options)
    with pg_database("jiedao_soak") as url:
        return soak(url, work, backend=backend, **options)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=50_000)
    parser.add_argument("--seconds", type=float, default=30.0,
                        help="How long at least (and until the import has ended).")
    parser.add_argument("--import-after", type=float, default=5.0,
                        help="When the import starts, in seconds from the start.")
    parser.add_argument("--tail", type=float, default=5.0,
                        help="How long the others go on after the import has ended.")
    parser.add_argument("--limit", type=float, default=300.0,
                        help="How long at most: an import still running then fails the run.")
    parser.add_argument("--backend", choices=("sqlite", "postgresql", "all"), default="all",
                        help="all: SQLite, and PostgreSQL when it answers.")
    parser.add_argument("--dir", type=Path)
    args = parser.parse_args()
    backends = ["sqlite", "postgresql"] if args.backend == "all" else [args.backend]
    if args.backend == "all" and not pg_reachable():
        print(f"PostgreSQL does not answer at {PG_SERVER}: SQLite only")
        backends = ["sqlite"]
    work = args.dir or Path(tempfile.mkdtemp(prefix="jiedao-soak-"))
    work.mkdir(parents=True, exist_ok=True)
    failed = False
    try:
        for backend in backends:
            figures = run(backend, work, rows=args.rows, seconds=args.seconds,
                          import_after=args.import_after, tail=args.tail, limit=args.limit)
            print("\n".join(figures.lines()), flush=True)
            failed = failed or bool(figures.problems())
    finally:
        if not args.dir:
            shutil.rmtree(work, ignore_errors=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
