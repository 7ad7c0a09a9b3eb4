"""The working-day calendar (工作日历): one year's holidays and adjusted working days (调休)
and where they come from (loaded by the office, the calendar library, or provisional);
``[`` and ``]`` step through the years. A day is set (a holiday or an adjusted working day,
with its name) or made ordinary again, and a year's schedule file is loaded as
``jiedao calendar load`` does; each change recomputes the deadlines counting through that
year. Everything goes through ``ledger.workcal``."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Static

from ledger import display, workcal
from ledger.i18n import t, value_label
from tui.bindings import bind
from tui.screens.base import LedgerScreen
from tui.widgets.columns import Column
from tui.widgets.confirm import ConfirmDialog
from tui.widgets.detail import RowsTable
from tui.widgets.form import FieldSpec, FormScreen

if TYPE_CHECKING:
    from ledger.office import Office


def _name(row: dict[str, Any]) -> Text:
    return Text(row["name"] or value_label("calendar_kind", row["kind"]))


DAY_COLUMNS = [
    Column("date"),
    Column("weekday", kind="weekday"),
    Column("kind", kind="calendar_kind"),
    Column("name", render=_name),
]


def day_fields() -> list[FieldSpec]:
    return [
        FieldSpec("date", kind="date", required=True),
        FieldSpec("kind", kind="choice", required=True, codes=workcal.KINDS,
                  value_kind="calendar_kind"),
        FieldSpec("name", max_length=60),
    ]


def rows_of(schedule: dict[str, Any]) -> list[dict[str, Any]]:
    """The year's days, holidays and adjusted working days together, in date order."""
    days = [{**d, "kind": workcal.HOLIDAY} for d in schedule["holidays"]]
    days += [{**d, "kind": workcal.WORKDAY} for d in schedule["workdays"]]
    return sorted(days, key=lambda d: d["date"])


class CalendarScreen(LedgerScreen):
    """A year of the working-day calendar; ``year`` starts at the office's this year."""

    TITLE_KEY = "tui.screen.calendar"

    DEFAULT_CSS = """
    CalendarScreen #calendar-header { padding: 0 1; height: auto; }
    CalendarScreen #calendar-days { height: 1fr; }
    """

    BINDINGS = [
        bind("left_square_bracket", "year(-1)", "tui.calendar.previous", key_display="["),
        bind("right_square_bracket", "year(1)", "tui.calendar.next", key_display="]"),
        bind("a", "set_day", "tui.calendar.set_day"),
        bind("e", "edit_day", "tui.key.edit"),
        bind("x", "remove_day", "tui.calendar.remove_day"),
        bind("l", "load", "tui.calendar.load"),
        bind("ctrl+r", "reload", "tui.key.reload", show=False),
    ]

    def __init__(self, office: Office, *, name: str | None = None) -> None:
        super().__init__(office, name=name)
        self.year = office.today().year
        self.schedule: dict[str, Any] | None = None
        self.days: list[dict[str, Any]] = []

    def compose_body(self) -> ComposeResult:
        with Vertical():
            yield Static(Text(t("tui.loading")), id="calendar-header")
            yield RowsTable(DAY_COLUMNS, row_key="date", id="calendar-days")

    def on_mount(self) -> None:
        self.action_reload()

    def action_reload(self) -> None:
        year = self.year
        self.run_db(lambda: workcal.year_schedule(self.office, year), self._show,
                    group="calendar", exclusive=True)

    def action_year(self, step: int) -> None:
        year = self.year + step
        if workcal.MIN_YEAR <= year <= workcal.MAX_YEAR:
            self.year = year
            self.action_reload()

    def _show(self, schedule: dict[str, Any]) -> None:
        self.schedule = schedule
        self.sub_title = str(schedule["year"])
        header = Text(t("calendar.header", year=schedule["year"],
                        source=value_label("calendar_source", schedule["source"]),
                        working_days=schedule["working_days"]), style="bold")
        if schedule["loaded_from"]:
            header.append("\n")
            header.append(t("calendar.loaded_from", source=schedule["loaded_from"],
                            at=display.datetime_text(schedule["loaded_at"], self.office.clock),
                            by=schedule["loaded_by"]), style="dim")
        if schedule["provisional"]:
            header.append("\n")
            header.append(t("calendar.provisional_note"), style="yellow")
        self.query_one("#calendar-header", Static).update(header)
        self.days = rows_of(schedule)
        table = self.query_one("#calendar-days", RowsTable)
        row = table.cursor_row
        table.show(self.days)
        if self.days:
            table.move_cursor(row=min(row, len(self.days) - 1))
        table.focus()

    def _selected(self) -> dict[str, Any] | None:
        table = self.query_one("#calendar-days", RowsTable)
        if not self.days or not 0 <= table.cursor_row < len(self.days):
            self.notify(t("tui.calendar.none_selected"), severity="warning", markup=False)
            return None
        return self.days[table.cursor_row]

    def _changed(self, result: dict[str, Any] | None, message: str) -> None:
        if result is None:
            return
        self.notify(message, markup=False)
        if result["tickets_changed"]:
            self.notify(t("calendar.tickets_changed", count=result["tickets_changed"]),
                        markup=False)
        if result["petitions_changed"]:
            self.notify(t("calendar.petitions_changed", count=result["petitions_changed"]),
                        markup=False)
        self.year = result["year"]
        self.action_reload()

    def _day_form(self, title: str, initial: dict[str, Any] | None = None) -> None:
        office = self.office

        def save(values: dict[str, Any]) -> dict[str, Any]:
            return workcal.set_day(office, values["date"], values["kind"], values["name"])

        def saved(result: dict[str, Any] | None) -> None:
            if result is not None:
                self._changed(result, t("tui.calendar.day_set", date=result["date"],
                                        kind=value_label("calendar_kind", result["kind"])))

        self.app.push_screen(FormScreen(title, day_fields(), submit=save, initial=initial),
                             callback=saved)

    def action_set_day(self) -> None:
        self._day_form(t("tui.calendar.set_title"))

    def action_edit_day(self) -> None:
        day = self._selected()
        if day is not None:
            self._day_form(t("tui.calendar.set_title"), initial=day)

    def action_remove_day(self) -> None:
        day = self._selected()
        if day is None:
            return
        office, when = self.office, day["date"]

        def answered(yes: bool | None) -> None:
            if yes:
                self.run_db(lambda: workcal.remove_day(office, when),
                            lambda result: self._changed(
                                result, t("tui.calendar.day_removed", date=when)))

        self.app.push_screen(ConfirmDialog(t(
            "tui.calendar.confirm_remove", date=when,
            kind=value_label("calendar_kind", day["kind"]))), callback=answered)

    def action_load(self) -> None:
        office = self.office

        def load(values: dict[str, Any]) -> dict[str, Any]:
            return workcal.load_schedule(office, values["schedule_file"])

        def loaded(result: dict[str, Any] | None) -> None:
            if result is not None:
                message = t("calendar.loaded", year=result["year"],
                            holidays=result["holidays"], workdays=result["workdays"])
                if result["replaced"]:
                    message += " " + t("calendar.replaced", year=result["year"])
                self._changed(result, message)

        self.app.push_screen(
            FormScreen(t("tui.calendar.load_title"),
                       [FieldSpec("schedule_file", required=True,
                                  placeholder_key="tui.calendar.file_hint")],
                       submit=load),
            callback=loaded)

