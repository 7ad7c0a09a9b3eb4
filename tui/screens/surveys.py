"""Residents' satisfaction surveys (群众满意度测评): the list by village and year with each
survey's counts and shares, the matching surveys summed above it, a survey's record with
its journal, and the add and edit forms (respondents per answer, comments; a refusal shows
beside its field).

Everything goes through ``ledger.surveys`` (validation is ``clean_survey``'s, the shares
and the score are ``surveys.shares``'); this module only lays out what it returns. F11 or
the dashboard's ``u`` opens it, and Ctrl+P lists it on every screen.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual.app import ComposeResult
from textual.widgets import Static

from ledger import display
from ledger import surveys as svc
from ledger.i18n import field_label, t
from tui.bindings import bind
from tui.screens.base import LedgerScreen, ListScreen, RecordScreen
from tui.widgets.columns import Column, format_value
from tui.widgets.filter_bar import Choice, FilterSpec, code_choices
from tui.widgets.form import FieldSpec, FormScreen

if TYPE_CHECKING:
    from ledger.office import Office


def _comments(row: dict[str, Any]) -> Text:
    # What residents said, as typed: one line in a list cell.
    return Text(" ".join(str(row.get("comments") or "").split()))


def _share(key: str) -> Column:
    return Column(key, label_key=f"field.{key.replace('_share', '_pct')}", kind=display.PERCENT)


LIST_COLUMNS = [
    Column("surveyed_on"),
    Column("village", render=lambda row: Text(str(row.get("village") or ""))),
    Column("satisfied"),
    Column("basically_satisfied"),
    Column("dissatisfied"),
    Column("respondents"),
    _share("satisfied_share"),
    _share("basically_satisfied_share"),
    _share("dissatisfied_share"),
    Column("score", label_key="field.satisfaction_score", kind=display.PERCENT),
    Column("comments", render=_comments),
]
DETAIL_FIELDS = [
    *LIST_COLUMNS[:-1],
    Column("comments", render=lambda row: Text(str(row.get("comments") or ""))),
    Column("version"),
]

COUNT_FIELDS = [FieldSpec(answer, placeholder_key="tui.surveys.count_hint")
                for answer in svc.ANSWERS]


def add_fields(villages: list[dict[str, Any]]) -> list[FieldSpec]:
    return [
        FieldSpec("village", kind="choice", required=True, choices=code_choices(villages)),
        FieldSpec("surveyed_on", kind="date", required=True),
        *COUNT_FIELDS,
        FieldSpec("comments", kind="multiline"),
    ]


def edit_fields() -> list[FieldSpec]:
    # The village stays (a survey of another village is another survey).
    return [FieldSpec("surveyed_on", kind="date", required=True), *COUNT_FIELDS,
            FieldSpec("comments", kind="multiline")]


def _form_values(record: dict[str, Any]) -> dict[str, Any]:
    """A survey in the edit form's shape."""
    return {"surveyed_on": record["surveyed_on"], "comments": record["comments"],
            **{a: str(record[a]) for a in svc.ANSWERS}}


def totals_text(totals: dict[str, Any]) -> Text:
    """``3 surveys, 250 respondents: satisfied 70%, …, score 80%``."""
    if not totals["surveys"]:
        return Text(t("tui.surveys.none"), style="dim")
    parts = [f"{field_label(a)} {totals[a]} ({display.percent(totals[a + '_share'])})"
             for a in svc.ANSWERS]
    return Text(t("tui.surveys.totals", surveys=totals["surveys"],
                  respondents=totals["respondents"], answers=display.join(parts),
                  score=display.percent(totals["score"])))


class SurveysScreen(ListScreen):
    """Surveys, latest first, filtered by village and year; the matching ones summed."""

    TITLE_KEY = "tui.screen.surveys"
    AREA = "surveys"
    COLUMNS = LIST_COLUMNS
    FILTER = svc.SurveyFilter
    SEARCH = False
    NONE_SELECTED = "tui.surveys.none_selected"

    DEFAULT_CSS = """
    SurveysScreen #surveys-totals { padding: 0 1; height: auto; }
    """

    BINDINGS = [
        bind("a", "add", "tui.key.add"),
        bind("e", "edit", "tui.key.edit"),
    ]

    def __init__(self, office: Office, *, name: str | None = None) -> None:
        super().__init__(office, name=name)
        self.years: list[int] = []
        self.totals: dict[str, Any] | None = None

    def compose_body(self) -> ComposeResult:
        yield from super().compose_body()
        yield Static("", id="surveys-totals")

    def fetch(self, filters: Any, offset: int, limit: int) -> list[dict[str, Any]]:
        return svc.list_surveys(self.office, filters, offset=offset, limit=limit)

    def count(self, filters: Any) -> int:
        return svc.count_surveys(self.office, filters)

    def load_choices(self) -> Any:
        return svc.survey_years(self.office)

    def choices_loaded(self, loaded: Any) -> None:
        self.years = list(loaded or [])

    def filter_specs(self) -> list[FilterSpec]:
        return [
            FilterSpec("village", "field.village", choices=code_choices(self.villages)),
            FilterSpec("year", "field.year",
                       choices=[Choice(year, str(year)) for year in self.years]),
        ]

    def filters_from(self, values: dict[str, Any]) -> svc.SurveyFilter:
        return svc.SurveyFilter(village=values.get("village"), year=values.get("year"))

    def detail_screen(self, row: dict[str, Any]) -> SurveyScreen:
        return SurveyScreen(self.office, row["id"])

    # -- the sums above the list --------------------------------------------------------

    def on_paged_table_loaded(self, event: Any) -> None:
        # Textual runs ListScreen's handler of this message too (every class's own): this
        # one only adds the sums of what the list now holds.
        filters = self.filters
        self.run_db(lambda: svc.survey_totals(self.office, filters), self._totals,
                    group="survey-totals", exclusive=True)

    def _totals(self, totals: dict[str, Any]) -> None:
        self.totals = totals
        self.query_one("#surveys-totals", Static).update(totals_text(totals))

    # -- actions -----------------------------------------------------------------------

    def action_add(self) -> None:
        office = self.office

        def save(values: dict[str, Any]) -> dict[str, Any]:
            return svc.add_survey(office, **values)

        self.app.push_screen(FormScreen(t("tui.surveys.add_title"), add_fields(self.villages),
                                        submit=save), callback=self._added)

    def action_edit(self) -> None:
        row = self.selected()
        if row is not None:
            open_edit_form(self, row["id"], on_done=self._edited)

    def _added(self, survey: dict[str, Any] | None) -> None:
        if survey is None:
            return
        self.notify(t("survey.added", village=survey["village"],
                      on=format_value(survey["surveyed_on"]),
                      respondents=survey["respondents"]))
        # A new year shows in the year filter the next time the screen is built; the list
        # and its sums reload now.
        self.table.reload(select=survey["id"])

    def _edited(self, survey: dict[str, Any] | None) -> None:
        if survey is None:
            return
        self.notify(t("tui.surveys.updated", village=survey["village"],
                      on=format_value(survey["surveyed_on"])))
        self.table.reload(select=survey["id"])


def open_edit_form(screen: LedgerScreen, survey_id: int, on_done: Any) -> None:
    """The edit form of a survey, on the version read now; only changed fields are sent."""
    office = screen.office

    def opened(record: dict[str, Any]) -> None:
        def save(changes: dict[str, Any]) -> dict[str, Any]:
            return svc.edit_survey(office, survey_id, **changes)  # with the form's version

        screen.app.push_screen(
            FormScreen(t("tui.surveys.edit_title", village=record["village"],
                         on=format_value(record["surveyed_on"])), edit_fields(),
                       submit=save, initial=_form_values(record), only_changed=True,
                       version=record["version"],
                       reload=lambda: _form_values(svc.get_survey(office, survey_id))),
            callback=on_done)

    screen.run_db(lambda: svc.get_survey(office, survey_id), opened)


class SurveyScreen(RecordScreen):
    """One survey: village, date, counts and shares, comments, and its journal; ``e``
    edits it."""

    TITLE_KEY = "tui.screen.surveys"
    FIELDS = DETAIL_FIELDS
    ENTITY = "survey"
    SHOW_ENTITY = False

    BINDINGS = [bind("e", "edit", "tui.key.edit")]

    def load_record(self, reveal: bool) -> dict[str, Any]:
        return svc.get_survey(self.office, self.record_id)

    def record_title(self, record: dict[str, Any]) -> str:
        return f"{record['village']} {format_value(record['surveyed_on'])}"

    def action_edit(self) -> None:
        open_edit_form(self, int(self.record_id), on_done=self._edited)

    def _edited(self, survey: dict[str, Any] | None) -> None:
        if survey is not None:
            self.notify(t("tui.surveys.updated", village=survey["village"],
                          on=format_value(survey["surveyed_on"])))
            self.reload()
