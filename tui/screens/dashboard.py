"""The dashboard: today's duty, tickets and petitions due, this week's trainings, the
villages' counts, quick keys. Every figure opens the list behind it, filtered.

The frame paints at once; each figure (``ledger.dashboard.FIGURES``) is its own call on the
database thread and fills its panel as it arrives, so a slow one never holds the others
back. A figure is an option of its panel (Enter or a click opens what it counts): a count
switches to its area's list with that list's filters set (``app.show_filtered``), a
petition or a training session opens its record here. The villages are a table whose cells
open the members, tickets or petitions of that village, and the name the village itself.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import DataTable, OptionList, Static
from textual.widgets.option_list import Option

from ledger import dashboard, display
from ledger.i18n import t, value_label
from tui.bindings import bind
from tui.screens import SCREENS
from tui.screens.base import LedgerScreen

if TYPE_CHECKING:
    from ledger.office import Office

# The villages table's columns: (label key, the figure's key, what a cell opens).
VILLAGE_COLUMNS = (
    ("field.code", "code", None),
    ("field.name", "name", None),
    ("tui.dashboard.village_members", "members", "members"),
    ("tui.dashboard.village_tickets", "open_tickets", "tickets"),
    ("tui.dashboard.village_petitions", "open_petitions", "petitions"),
)


class DashboardScreen(LedgerScreen):
    """Figures from ``ledger.dashboard.figure``, each loaded in its own worker, all
    refreshed on return. ``overview`` holds what has arrived (``None`` until every figure
    has)."""

    TITLE_KEY = "tui.screen.dashboard"

    DEFAULT_CSS = """
    DashboardScreen .dash-row { height: auto; }
    DashboardScreen .dash-panel {
        border: round $primary; padding: 0 1; height: auto; max-height: 16; width: 1fr;
        margin: 0 1 0 0; background: transparent;
    }
    DashboardScreen #dash-villages { height: auto; max-height: 14; }
    DashboardScreen #dash-as-of { padding: 0 1; color: $text-muted; }
    """

    BINDINGS = [
        bind("ctrl+r", "reload", "tui.key.reload", show=False),
    ]

    def __init__(self, office: Office, *, name: str | None = None) -> None:
        super().__init__(office, name=name)
        self.figures: dict[str, Any] = {}
        self.overview: dict[str, Any] | None = None
        self.village_rows: list[dict[str, Any]] = []
        # What each option opens, by option id (rebuilt with its panel).
        self.links: dict[str, Callable[[], Any]] = {}
        # Quick keys: a letter for each other screen (the dashboard has no text box).
        for entry in SCREENS:
            if entry.key != "dashboard":
                self.add_binding(entry.quick_key, f"app.show({entry.key!r})",
                                 t(entry.title_key), show=False)

    def compose_body(self) -> ComposeResult:
        with VerticalScroll():
            yield Static(Text(self.office.settings["office.name"]), id="dash-as-of")
            with Horizontal(classes="dash-row"):
                for figure in ("tickets", "petitions"):
                    yield self._panel(figure)
            with Horizontal(classes="dash-row"):
                for figure in ("duty", "trainings"):
                    yield self._panel(figure)
            table: DataTable[Text] = DataTable(id="dash-villages", cursor_type="cell",
                                               zebra_stripes=True, classes="dash-panel")
            table.border_title = t("tui.dashboard.villages")
            table.add_columns(*(Text(t(key)) for key, _f, _a in VILLAGE_COLUMNS))
            yield table
            yield Static(self._keys(), id="dash-keys", classes="dash-panel")

    def _panel(self, figure: str) -> OptionList:
        panel = OptionList(Option(Text(t("tui.loading"), style="dim"), disabled=True),
                           id=f"dash-{figure}", classes="dash-panel", markup=False)
        panel.border_title = t(f"tui.dashboard.{figure}")
        return panel

    def on_mount(self) -> None:
        self.action_reload()

    def on_screen_resume(self) -> None:
        # Back from another screen: what it changed shows here at once.
        if self.returning():
            self.action_reload()

    def action_reload(self) -> None:
        self.figures = {}
        for figure in dashboard.FIGURES:
            self.run_db(partial(dashboard.figure, self.office, figure),
                        partial(self._arrived, figure),
                        group=f"dashboard-{figure}", exclusive=True)

    def _arrived(self, figure: str, value: Any) -> None:
        self.figures[figure] = value
        getattr(self, f"_show_{figure}")(value)
        if all(name in self.figures for name in dashboard.FIGURES):
            self.overview = dict(self.figures)
            prepare = getattr(self.app, "prepare", None)
            if prepare is not None:  # the rest of the app, now that the clerk sees this
                self.call_after_refresh(prepare)

    # -- what a figure opens -----------------------------------------------------------

    def _open(self, key: str, **filters: Any) -> Callable[[], None]:
        return lambda: self.app.show_filtered(key, **filters)  # type: ignore[attr-defined]

    def _push(self, make: Callable[[], Any]) -> Callable[[], Any]:
        return lambda: self.app.push_screen(make())

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        link = self.links.get(event.option.id or "")
        if link is not None:
            event.stop()
            link()

    def on_data_table_cell_selected(self, event: DataTable.CellSelected) -> None:
        event.stop()
        row, column = event.coordinate.row, event.coordinate.column
        if row >= len(self.village_rows):
            return
        village = self.village_rows[row]
        opens = VILLAGE_COLUMNS[column][2]
        if opens == "members":
            self.app.show_filtered("members", village=village["code"])  # type: ignore[attr-defined]
        elif opens is not None:
            self.app.show_filtered(opens, village=village["code"],  # type: ignore[attr-defined]
                                   state="open")
        else:
            from tui.screens.villages import VillageRecordScreen

            self.app.push_screen(VillageRecordScreen(self.office, village["id"]))

    # -- the panels ----------------------------------------------------------------------

    def panel_text(self, figure: str) -> str:
        """What a panel shows, one option a line (plain text)."""
        panel = self.query_one(f"#dash-{figure}", OptionList)
        return "\n".join(str(getattr(panel.get_option_at_index(i).prompt, "plain",
                                      panel.get_option_at_index(i).prompt))
                         for i in range(panel.option_count))

    def _fill(self, figure: str, options: list[tuple[Text, Callable[[], Any] | None]]) -> None:
        panel = self.query_one(f"#dash-{figure}", OptionList)
        for option_id in [k for k in self.links if k.startswith(f"{figure}:")]:
            del self.links[option_id]
        built = []
        for n, (prompt, link) in enumerate(options):
            option_id = f"{figure}:{n}"
            if link is not None:
                self.links[option_id] = link
            built.append(Option(prompt, id=option_id, disabled=link is None))
        highlighted = panel.highlighted
        panel.clear_options()
        panel.add_options(built)
        if highlighted is not None and highlighted < len(built):
            panel.highlighted = highlighted

    @staticmethod
    def _count(number: int, label: str, *, alarm: bool = False) -> Text:
        text = Text(f"{number:>6}  ", style="bold red" if alarm and number else "bold")
        text.append(label)
        return text

    def _show_tickets(self, figures: dict[str, int]) -> None:
        self._fill("tickets", [
            (self._count(figures["overdue"], t("tui.figure.overdue"), alarm=True),
             self._open("tickets", deadline="overdue")),
            (self._count(figures["due_soon"], t("tui.figure.due_soon")),
             self._open("tickets", deadline="due_soon")),
            (self._count(figures["open"], t("tui.figure.open")),
             self._open("tickets", state="open")),
        ])

    def _show_petitions(self, figures: dict[str, Any]) -> None:
        from tui.screens.petitions import PetitionDetailScreen

        office = self.office
        options: list[tuple[Text, Callable[[], Any] | None]] = [
            (self._count(figures["overdue"], t("tui.figure.overdue"), alarm=True),
             self._open("petitions", state="open", deadline="overdue")),
            (self._count(figures["due_soon"], t("tui.figure.due_soon")),
             self._open("petitions", state="open", deadline="due_soon")),
            (self._count(figures["open"], t("tui.figure.open")),
             self._open("petitions", state="open")),
        ]
        if figures["nearest"]:
            options.append((Text(t("tui.dashboard.nearest"), style="dim"), None))
        for p in figures["nearest"]:
            line = Text(f"{display.date_text(p['next_due'])} ", style="bold")
            line.append(f"{value_label('petition_deadline', p['next_due_kind'])} ",
                        style="dim")
            line.append(f"{p['number']} ")
            line.append(p["summary"].splitlines()[0] if p["summary"] else "")
            line.truncate(110, overflow="ellipsis")
            options.append((line, self._push(
                partial(PetitionDetailScreen, office, p["number"]))))
        self._fill("petitions", options)

    def _show_duty(self, shifts: list[dict[str, Any]]) -> None:
        options: list[tuple[Text, Callable[[], Any] | None]] = []
        for shift in shifts:
            span = "–".join(self.local_time(shift[k]).strftime("%H:%M")
                            for k in ("starts_at", "ends_at"))
            line = Text(shift["post"] + "  ")
            line.append(f"{shift['shift']} {span}  ", style="dim")
            if shift["gap"]:
                line.append(t("roster.vacant"), style="bold red")
            else:
                line.append(shift["person"])
            if shift.get("kind") == "staff":  # the office's own staff, beside the members
                line.append(f" {t('roster.staff_label')}", style="dim")
            options.append((line, self._open("roster")))
        if not shifts:
            options.append((Text(t("roster.nobody_today"), style="dim"), None))
        self._fill("duty", options)

    def _show_trainings(self, figures: dict[str, Any]) -> None:
        from tui.screens.training import TrainingSessionScreen

        office = self.office
        options: list[tuple[Text, Callable[[], Any] | None]] = [
            (self._count(figures["today_count"], t("tui.figure.today")),
             self._open("training", period="today")),
            (self._count(figures["week_count"], t("tui.figure.this_week")),
             self._open("training", period="week")),
        ]
        for s in figures["sessions"]:
            start = self.local_time(s["starts_at"])
            line = Text(start.strftime("%m-%d %H:%M") + "  ",
                        style="bold" if s["today"] else "dim")
            line.append(s["title"])
            if s["state"] != "planned":
                line.append(f"  {value_label('training_state', s['state'])}", style="dim")
            line.truncate(110, overflow="ellipsis")
            options.append((line, self._push(partial(TrainingSessionScreen, office, s["id"]))))
        self._fill("trainings", options)

    def _show_villages(self, rows: list[dict[str, Any]]) -> None:
        self.village_rows = rows
        table = self.query_one("#dash-villages", DataTable)
        cursor = table.cursor_coordinate
        table.clear()
        for village in rows:
            # Every cell a Text: names are clerks' text, never markup.
            table.add_row(*(Text(str(village[key]), justify="right" if opens else "left")
                            for _label, key, opens in VILLAGE_COLUMNS))
        if rows:
            table.cursor_coordinate = table.validate_cursor_coordinate(cursor)
        self.query_one("#dash-as-of", Static).update(Text(t(
            "tui.dashboard.as_of", office=self.office.settings["office.name"],
            date=display.date_text(self.office.today()))))

    def _keys(self) -> Text:
        text = Text(t("tui.dashboard.keys") + "\n", style="bold")
        for entry in SCREENS:
            if entry.key == "dashboard":
                continue
            text.append(f"{entry.quick_key} {entry.binding.upper():>3}  ", style="bold")
            text.append(t(entry.title_key) + "\n")
        text.append(f"{'^P':>6}  ", style="bold")
        text.append(t("tui.key.palette"))
        return text

