"""Hostile text stored in every free-text column renders literally in every screen of the app.

The sample office is built, then every column a person types into (names, titles, notes,
summaries…) is overwritten behind the ledger's back with values from a catalogue of hostile
text: Rich markup, terminal escapes, right-to-left marks, very long unbroken strings, emoji
and rare CJK characters. Stored data is not always what today's validation lets in (an old
import, a hand-edited PostgreSQL row), so the app must show whatever is stored. Every
registered screen is then opened, and on each list its first two rows' detail screens: nothing
may raise or be reported as an error, and the markup must appear as typed."""

from __future__ import annotations

from typing import Any

from rawdb import run_sql
from textual.widgets import DataTable
from tui_helpers import run, wait_for

from ledger import sample
from ledger.office import Office
from ledger.sample import petitions as sample_petitions
from ledger.sample import tickets as sample_tickets
from tui import screens
from tui.app import JiedaoApp
from tui.screens.base import ListScreen, RecordScreen

SIZE = (120, 36)

MARKUP = "[bold red]红[/]"
HOSTILE = (
    MARKUP,
    "[/]",
    "[link=file:///etc/passwd]点[/link]",
    "\x1b[31m红\x1b[0m\x1b[2J",
    "\x1b]8;;http://x\x07链\x1b]8;;\x07",
    "甲\u202e乙\u200f丙",
    "x" * 3000,
    "长" * 400,
    "👨‍👩‍👧 😀",
    "𠀀𪚥龘",
    "a\rb\nc\td",
    "' OR 1=1 -- %_",
)

# The columns a clerk types into, by table. Codes, states and numbers are left alone: the
# app looks them up, so they are validated on every way in.
FREE_TEXT = {
    "village": ("name", "notes"),
    "person": ("name", "notes"),
    "service_item": ("name", "notes"),
    "ticket": ("applicant_name", "enterprise", "project", "agent", "satisfaction_comment",
               "notes"),
    "ticket_event": ("note",),
    "petition": ("summary", "demands", "handler", "handler_unit", "reply_gist"),
    "petition_event": ("note",),
    "petitioner": ("name", "address"),
    "training_session": ("title", "topic", "place", "organiser", "notes"),
    "training_series": ("title", "place"),
    "staff": ("name", "post", "notes"),
    "duty_post": ("name", "notes"),
    "duty_unavailability": ("reason", "note"),
    "decision": ("subject", "proposal"),
    "decision_step": ("meeting", "place", "note"),
    "satisfaction_survey": ("comments",),
    "assessment_goal": ("name",),
    "calendar_day": ("name",),
}


def poison(url: str) -> None:
    """Overwrite every free-text column with the catalogue, row by row (a unique suffix
    keeps unique names unique)."""
    values = " UNION ALL ".join(f"SELECT {i} AS k, ? AS v" for i in range(len(HOSTILE)))
    for table, columns in FREE_TEXT.items():
        if not run_sql(url, "SELECT name FROM sqlite_master WHERE type = 'table' AND name = ?",
                       (table,)):
            continue
        sets = ", ".join(
            f"{column} = (SELECT v FROM ({values}) WHERE k = ({table}.id + {n}) % "
            f"{len(HOSTILE)}) || '#' || {table}.id" for n, column in enumerate(columns))
        run_sql(url, f"UPDATE {table} SET {sets}", HOSTILE * len(columns))


def _cells(app: Any) -> set[str]:
    found: set[str] = set()
    for table in app.screen.query(DataTable):
        for index in range(table.row_count):
            for cell in table.get_row_at(index):
                found.add(getattr(cell, "plain", str(cell)))
    return found


def _errors(app: Any) -> list[str]:
    return [n.message for n in app._notifications if n.severity == "error"]


async def _settle(pilot: Any, screen: Any) -> None:
    """Let a screen's database work finish: its list has its first page, or a moment passes."""
    if isinstance(screen, ListScreen):
        await wait_for(pilot, lambda: screen.table.pager.total == 0 or screen.table.rows,
                       timeout=20, what=f"{type(screen).__name__}'s first page")
    await pilot.pause(0.3)


def test_hostile_text_in_every_list_and_detail(sqlite_office: Office, sqlite_url: str,
                                               monkeypatch: Any) -> None:
    # A smaller sample: every kind of record, not every one of the demo's hundreds.
    monkeypatch.setattr(sample_tickets, "TICKETS", 30)
    monkeypatch.setattr(sample_petitions, "DAYS", 120)
    sample.fill(sqlite_office)
    poison(sqlite_url)
    app = JiedaoApp(sqlite_office)
    seen_markup: list[str] = []
    visited: list[str] = []

    async def scenario() -> None:
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause(0.5)
            for entry in screens.SCREENS:
                app.action_show(entry.key)
                await wait_for(pilot, lambda e=entry: app.current_mode == e.key,
                               what=entry.key)
                screen = app.screen
                await _settle(pilot, screen)
                assert not _errors(app), (entry.key, _errors(app))
                visited.append(entry.key)
                if not isinstance(screen, ListScreen) or not screen.table.rows:
                    continue
                if any(MARKUP in cell for cell in _cells(app)):
                    seen_markup.append(entry.key)
                for row in range(min(2, len(screen.table.rows))):
                    screen.table.table.focus()
                    screen.table.table.move_cursor(row=row)
                    await pilot.press("enter")
                    await pilot.pause(0.2)
                    detail = app.screen
                    if detail is screen:
                        continue
                    if isinstance(detail, RecordScreen):
                        await wait_for(pilot, lambda d=detail: d.record is not None,
                                       timeout=20, what=f"{entry.key} detail")
                    await pilot.pause(0.2)
                    assert not _errors(app), (entry.key, row, _errors(app))
                    app.pop_screen()
                    await pilot.pause(0.1)

    run(scenario())
    assert len(visited) == len(screens.SCREENS)
    # The lists whose first columns hold typed text show the markup as typed.
    assert {"members", "tickets", "petitions"} <= set(seen_markup), seen_markup
