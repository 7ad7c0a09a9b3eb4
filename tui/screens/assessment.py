"""The annual assessment (考核): the villages ranked by total for a year, every goal's
points, the grade and its reward or penalty; the highlighted village's scores with how each
derived one was derived. ``[`` and ``]`` step through the years that have a scheme.

The report is ``ledger.assessment.report``'s; this screen only lays it out.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import DataTable, Static

from ledger import assessment as svc
from ledger.errors import NotFound
from ledger.i18n import field_label, t, value_label
from tui.bindings import bind
from tui.screens.base import LedgerScreen

if TYPE_CHECKING:
    from ledger.office import Office

GRADE_STYLE = {"excellent": "bold green", "good": "green", "pass": "", "fail": "bold red"}


class AssessmentScreen(LedgerScreen):
    """The ranking of one year's assessment."""

    TITLE_KEY = "tui.screen.assessment"

    DEFAULT_CSS = """
    AssessmentScreen #assess-title { text-style: bold; padding: 0 1; }
    AssessmentScreen #assess-ranking { height: auto; max-height: 16; margin: 0 1; }
    AssessmentScreen #assess-detail { padding: 1 1; }
    """

    BINDINGS = [
        bind("left_square_bracket", "year(-1)", "tui.assessment.key.previous", key_display="["),
        bind("right_square_bracket", "year(1)", "tui.assessment.key.next", key_display="]"),
        bind("ctrl+r", "reload", "tui.key.reload", show=False),
    ]

    def __init__(self, office: Office, *, name: str | None = None) -> None:
        super().__init__(office, name=name)
        self.years: list[int] = []
        self.year: int | None = None
        self.report: dict[str, Any] | None = None

    def compose_body(self) -> ComposeResult:
        with VerticalScroll():
            yield Static(t("tui.loading"), id="assess-title")
            yield DataTable(id="assess-ranking", cursor_type="row", zebra_stripes=True)
            yield Static("", id="assess-detail")

    def on_mount(self) -> None:
        self.action_reload()

    def action_reload(self) -> None:
        office = self.office

        def work() -> tuple[list[int], int, dict[str, Any] | None]:
            years = [int(s["year"]) for s in svc.list_schemes(office)]
            year = self.year if self.year is not None and self.year in years \
                else svc.latest_year(office)
            return years, year, self._load(year)

        self.run_db(work, self._loaded, group="assessment", exclusive=True)

    def _load(self, year: int) -> dict[str, Any] | None:
        try:
            return svc.report(self.office, year=year)
        except NotFound:
            return None

    def action_year(self, step: int) -> None:
        if not self.years or self.year is None:
            return
        later = sorted(self.years)
        index = later.index(self.year) if self.year in later else 0
        index = max(0, min(len(later) - 1, index + step))
        year = later[index]
        self.run_db(lambda: (self.years, year, self._load(year)), self._loaded,
                    group="assessment", exclusive=True)

    def _loaded(self, loaded: tuple[list[int], int, dict[str, Any] | None]) -> None:
        self.years, self.year, self.report = loaded
        title = self.query_one("#assess-title", Static)
        table = self.query_one("#assess-ranking", DataTable)
        table.clear(columns=True)
        self.sub_title = str(self.year)
        if self.report is None:
            title.update(t("tui.assessment.no_scheme", year=self.year))
            self.query_one("#assess-detail", Static).update("")
            return
        title.update(t("assess.report_title", year=self.year))
        goals = self.report["scheme"]["goals"]
        table.add_column(field_label("rank"), key="rank")
        table.add_column(field_label("village"), key="village")
        for goal in goals:
            table.add_column(Text(f"{goal['name']}\n/{svc.show_number(goal['max_points'])}"),
                             key=goal["code"])
        table.add_column(field_label("total_points"), key="total")
        table.add_column(field_label("grade"), key="grade")
        table.add_column(field_label("consequence"), key="consequence")
        for row in self.report["villages"]:
            cells = [Text(svc.show_number(c["points"]) if c["applies"] else "-",
                          style="" if c["scored"] or not c["applies"] else "dim italic")
                     for c in row["goals"]]
            table.add_row(Text(str(row["rank"])), Text(row["village"]), *cells,
                          Text(svc.show_number(row["total"]), style="bold"),
                          Text(value_label("assess_grade", row["grade"]),
                               style=GRADE_STYLE.get(row["grade"], "")),
                          Text(row["consequence"]), key=str(row["village_id"]))
        self._show_village(0)

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        self._show_village(event.cursor_row)

    def _show_village(self, index: int) -> None:
        if self.report is None or not self.report["villages"]:
            return
        row = self.report["villages"][max(0, min(index, len(self.report["villages"]) - 1))]
        goals = {g["code"]: g for g in self.report["scheme"]["goals"]}
        text = Text(f"{row['village']}  {svc.show_number(row['total'])}/"
                    f"{svc.show_number(row['max_total'])}\n", style="bold")
        for cell in row["goals"]:
            if not cell["applies"]:
                continue
            goal = goals[cell["code"]]
            text.append(f"{goal['name']}: {svc.show_number(cell['points'])}"
                        f"/{svc.show_number(cell['max_points'])}  ")
            if cell["formula"]:
                facts = ", ".join(f"{field_label(k)} {v}" for k, v in cell["inputs"].items())
                text.append(f"{facts}; {cell['formula']}", style="dim")
            elif cell["scored"]:
                text.append(cell["note"], style="dim")
            else:
                text.append(t("tui.assessment.not_scored"), style="italic yellow")
            text.append("\n")
        self.query_one("#assess-detail", Static).update(text)
