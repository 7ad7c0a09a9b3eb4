"""Duty rosters (值班): a week grid per post — a row per post and shift, a column per day,
the person on duty in each cell, gaps highlighted — with assign and swap as keys.

F8 opens it. Committee members and the office's staff stand duty alike (staff names in
italics). Keys: ``n`` / ``p`` the next and previous week, ``a`` assigns the cell under the
cursor (a member or a staff member: a name, initials, ID tail, #id or ``staff:NAME``; blank
leaves it empty), ``s`` swaps the cell's shift with
another shift of the week (chosen in the form, a reason required). Refusals (double
booking, unavailability, a stale version) come from ``ledger.roster`` as one line.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.coordinate import Coordinate
from textual.widgets import DataTable, Static

from ledger import roster as svc
from ledger.i18n import t, value_label
from ledger.workcal import weekday_code
from tui.bindings import bind
from tui.screens.base import LedgerScreen
from tui.widgets.columns import fitted_width
from tui.widgets.filter_bar import Choice
from tui.widgets.form import FieldSpec, FormScreen


class RosterScreen(LedgerScreen):
    """The week's grid; loaded in a worker, reloaded after every change."""

    TITLE_KEY = "tui.screen.roster"

    DEFAULT_CSS = """
    RosterScreen #roster-week { padding: 0 1; text-style: bold; }
    RosterScreen #roster-grid { height: 1fr; margin: 0 1; }
    """

    BINDINGS = [
        # [ and ] page through periods on every screen that has them (assessment: years).
        bind("left_square_bracket", "week(-1)", "tui.roster.key.previous", key_display="["),
        bind("right_square_bracket", "week(1)", "tui.roster.key.next", key_display="]"),
        bind("n", "week(1)", "tui.roster.key.next", show=False),
        bind("p", "week(-1)", "tui.roster.key.previous", show=False),
        bind("a", "assign", "tui.roster.key.assign"),
        bind("s", "swap", "tui.roster.key.swap"),
        bind("ctrl+r", "reload", "tui.key.reload", show=False),
    ]

    def __init__(self, office: Any, *, name: str | None = None) -> None:
        super().__init__(office, name=name)
        self.monday = svc.week_start(office.today())
        self.data: dict[str, Any] | None = None
        # (row, column) of the grid -> the shift there (None: not staffed that day)
        self.cells: dict[tuple[int, int], dict[str, Any] | None] = {}
        self.rows: list[tuple[dict[str, Any], str]] = []  # (post, shift name) per grid row

    def compose_body(self) -> ComposeResult:
        yield Static("", id="roster-week")
        table: DataTable[Text] = DataTable(id="roster-grid", cursor_type="cell",
                                           zebra_stripes=True)
        yield table

    @property
    def grid_table(self) -> DataTable[Text]:
        return self.query_one("#roster-grid", DataTable)

    def on_mount(self) -> None:
        self.action_reload()

    def on_screen_resume(self) -> None:
        if self.returning():
            self.action_reload()

    def action_reload(self) -> None:
        monday, office = self.monday, self.office
        self.run_db(lambda: svc.grid(office, monday, monday + dt.timedelta(days=6)),
                    self._show, group="roster", exclusive=True)

    def action_week(self, step: int) -> None:
        self.monday += dt.timedelta(days=7 * step)
        self.action_reload()

    def _show(self, data: dict[str, Any]) -> None:
        self.data = data
        days = data["days"]
        self.query_one("#roster-week", Static).update(Text(t(
            "tui.roster.week", start=days[0].isoformat(), end=days[-1].isoformat())))
        table = self.grid_table
        cursor = table.cursor_coordinate
        headers = [Text(t("field.duty_post")), Text(t("field.shift"))] + [
            Text(f"{value_label('weekday', weekday_code(day))} {day.month}/{day.day}")
            for day in days]
        self.cells = {}
        self.rows = []
        lines: list[list[Text]] = []
        for post in data["posts"]:
            for r, row in enumerate(post["rows"]):
                line = [Text(post["post"]["name"] if r == 0 else ""), Text(row["shift"])]
                for c, shift in enumerate(row["cells"]):
                    self.cells[(len(self.rows), c + 2)] = shift
                    line.append(_cell(shift))
                self.rows.append((post["post"], row["shift"]))
                lines.append(line)
        table.clear(columns=True)
        for index, header in enumerate(headers):
            table.add_column(header, width=fitted_width(header, (line[index] for line in lines)))
        for line in lines:
            table.add_row(*line)
        if table.row_count:
            table.cursor_coordinate = (cursor if cursor.row < table.row_count
                                       else Coordinate(0, 2))

    def current(self) -> dict[str, Any] | None:
        """The shift under the cursor (None on a day the post is not staffed)."""
        coord = self.grid_table.cursor_coordinate
        return self.cells.get((coord.row, coord.column))

    def _cell_slot(self) -> tuple[dict[str, Any], str, dt.date] | None:
        coord = self.grid_table.cursor_coordinate
        if self.data is None or not self.rows or coord.column < 2:
            return None
        post, shift = self.rows[coord.row]
        return post, shift, self.data["days"][coord.column - 2]

    def action_assign(self) -> None:
        slot = self._cell_slot()
        if slot is None:
            return
        post, shift_name, day = slot
        shift = self.current()
        office = self.office
        version = shift["version"] if shift else None

        def save(values: dict[str, Any]) -> dict[str, Any]:
            return svc.assign(office, post["code"], day, shift_name,
                              values.get("person") or "", version=version)

        title = t("tui.roster.assign_title", post=post["name"], day=day.isoformat(),
                  shift=shift_name)
        self.app.push_screen(
            FormScreen(title, [FieldSpec("person", placeholder_key="tui.roster.person_hint")],
                       submit=save, initial={"person": (shift or {}).get("person", "")}),
            callback=self._changed)

    def action_swap(self) -> None:
        first = self.current()
        if first is None or first["gap"] or self.data is None:
            self.notify(t("tui.roster.swap_needs_person"))
            return
        others = [c for c in self.cells.values()
                  if c is not None and not c["gap"] and c["id"] != first["id"]]
        if not others:
            return
        choices = [Choice(c["id"], f"{c['day'].isoformat()} {c['post_name']} {c['shift']} "
                                   f"{c['person']}") for c in others]
        office, version = self.office, first["version"]
        versions_of = {c["id"]: c["version"] for c in others}

        def save(values: dict[str, Any]) -> dict[str, Any]:
            second = values.get("second")
            return svc.swap(office, first["id"], second, reason=values.get("reason") or "",
                            version_first=version, version_second=versions_of.get(second))

        title = t("tui.roster.swap_title", person=first["person"], day=first["day"].isoformat(),
                  shift=first["shift"])
        self.app.push_screen(
            FormScreen(title, [FieldSpec("second", kind="choice", required=True,
                                         choices=choices),
                               FieldSpec("reason", required=True)], submit=save),
            callback=self._changed)

    def _changed(self, result: dict[str, Any] | None) -> None:
        if result is None:
            return
        if "first" in result:
            self.notify(t("roster.swapped", first=result["first"]["person"],
                          second=result["second"]["person"]))
        self.action_reload()


def _cell(shift: dict[str, Any] | None) -> Text:
    if shift is None:
        return Text("")
    if shift["gap"]:
        return Text(t("roster.vacant"), style="bold white on red")
    style = {"manual": "cyan", "swapped": "yellow"}.get(shift["source"], "")
    if shift["holder_kind"] == "staff":  # the office's own staff, beside the members
        style = f"{style} italic".strip()
    return Text(shift["person"], style=style)
