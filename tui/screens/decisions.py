"""Decisions (五步决策法): a list with each decision's progress through the five steps and
two disclosures, filters (village, state, kind, waiting on the subdistrict, vetoed) and
search; a decision's detail with its seven stages, its steps' meeting records and its
journal.

Everything goes through ``ledger.decisions``; the stages and their statuses are ledger's
(``decisions.stages``), this module only lays them out.
"""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.widgets import Static

from ledger import decisions as svc
from ledger import journal
from ledger.i18n import t, value_label
from tui.bindings import bind
from tui.screens.base import ListScreen, RecordScreen
from tui.widgets.columns import Column, format_value
from tui.widgets.detail import RowsTable
from tui.widgets.filter_bar import FilterSpec, code_choices

# How a stage's status colours its mark (ledger decides the status).
STAGE_MARK = {"done": ("●", "green"), "vetoed": ("✕", "bold red"), "next": ("◐", "yellow"),
              "pending": ("○", "dim"), "never": ("–", "dim")}
TOTAL_STAGES = len(svc.PROCEDURE)


def progress_bar(row: dict[str, Any]) -> Text:
    """Seven marks, one a stage: done, vetoed, next, not yet, never."""
    done = row.get("progress") or 0
    state = row.get("state")
    text = Text()
    for index in range(TOTAL_STAGES):
        if index < done:
            status = "vetoed" if state == "vetoed" and index == done - 1 else "done"
        elif state == "vetoed":
            status = "never"
        elif index == done and state not in svc.FINAL_STATES:
            status = "next"
        else:
            status = "pending"
        mark, style = STAGE_MARK[status]
        text.append(mark, style=style)
    text.append(f" {done}/{TOTAL_STAGES}")
    return text


def stage_mark(stage: dict[str, Any]) -> Text:
    mark, style = STAGE_MARK[stage["status"]]
    return Text(f"{mark} {value_label('decision_stage_status', stage['status'])}", style=style)


def literal(key: str, kind: str | None = None) -> Any:
    """A cell as literal text: what a clerk typed (a subject, a veto's reason) is never
    read as markup by the table."""
    return lambda row: Text(format_value(row.get(key), kind=kind))


def col(key: str, label: str | None = None, kind: str | None = None, render: Any = None
        ) -> Column:
    return Column(key, label_key=f"field.{label}" if label else None, kind=kind,
                  render=render or literal(key, kind))


LIST_COLUMNS = [
    col("number"), col("village"), col("subject"), col("kind", kind="decision_kind"),
    col("amount"), col("proposed_on"), col("progress", render=progress_bar),
    col("state", kind="decision_state"), col("last_on"),
]
DETAIL_FIELDS = [
    col("number"), col("village"), col("subject"), col("kind", kind="decision_kind"),
    col("amount"), col("proposal"), col("attachments"), col("state", kind="decision_state"),
    col("progress", render=progress_bar), col("proposed_on"), col("last_on"),
    col("veto_reason"),
    col("allowed_actions", "next_steps", kind="decision_action"),
]
STAGE_COLUMNS = [
    col("stage", "step", kind="decision_step"), col("status", "stage_status", render=stage_mark),
    col("on"), col("summary", "meeting_record"),
]
STEP_COLUMNS = [
    col("on"), col("step", kind="decision_step"), col("outcome", "stage_status",
                                                      kind="decision_outcome"),
    col("meeting", kind="decision_meeting"), col("present"), col("entitled"),
    col("votes_for"), col("votes_against"), col("votes_abstain"), col("place"),
    col("reason"), col("note"), col("recorder"),
]


class DecisionsScreen(ListScreen):
    """The list of decisions with their progress; Enter opens one."""

    TITLE_KEY = "tui.screen.decisions"
    AREA = "decisions"
    COLUMNS = LIST_COLUMNS
    FILTER = svc.DecisionFilter
    SEARCH_HINT = "tui.decisions.search_hint"

    BINDINGS = [
        bind("w", "waiting", "tui.decisions.key.waiting"),
        bind("v", "vetoed", "tui.decisions.key.vetoed"),
        bind("slash", "search", "tui.key.search", key_display="/"),
        bind("ctrl+r", "reload", "tui.key.reload"),
    ]

    def fetch(self, filters: Any, offset: int, limit: int) -> list[dict[str, Any]]:
        return svc.list_decisions(self.office, filters, offset=offset, limit=limit)

    def count(self, filters: Any) -> int:
        return svc.count_decisions(self.office, filters)

    def filter_specs(self) -> list[FilterSpec]:
        return [
            FilterSpec("state", "field.state", codes=(*svc.STATES, svc.WAITING),
                       kind="decision_state"),
            FilterSpec("village", "field.village", choices=code_choices(self.villages)),
            FilterSpec("kind", "field.kind", codes=svc.KINDS, kind="decision_kind"),
        ]

    def filters_from(self, values: dict[str, Any]) -> svc.DecisionFilter:
        return svc.DecisionFilter(state=values.get("state"), village=values.get("village"),
                                  kind=values.get("kind"), search=values.get("search"))

    def detail_screen(self, row: dict[str, Any]) -> DecisionDetailScreen:
        return DecisionDetailScreen(self.office, row["number"])

    def action_waiting(self) -> None:
        """Only those waiting on the subdistrict's review (again: all of them)."""
        self.toggle_filter("state", svc.WAITING)

    def action_vetoed(self) -> None:
        self.toggle_filter("state", "vetoed")


class DecisionDetailScreen(RecordScreen):
    """One decision: its fields, the seven stages with their dates and meeting records,
    every step taken (refused meetings too), and the journal."""

    TITLE_KEY = "tui.screen.decisions"
    FIELDS = DETAIL_FIELDS
    ENTITY = "decision"
    SHOW_ENTITY = False

    DEFAULT_CSS = """
    DecisionDetailScreen RowsTable { height: auto; max-height: 12; margin: 0 1; }
    """

    def load_record(self, reveal: bool) -> dict[str, Any]:
        return svc.get_decision(self.office, self.record_id)

    def load_history(self, record: dict[str, Any]) -> list[dict[str, Any]]:
        return journal.history(self.office, "decision", record["number"])

    def record_title(self, record: dict[str, Any]) -> str:
        return f"{record['number']} {record['subject']}"

    def compose_sections(self) -> ComposeResult:
        yield Static(t("tui.decisions.stages"), classes="section")
        yield RowsTable(STAGE_COLUMNS, id="decision-stages")
        yield Static(t("tui.decisions.steps"), classes="section")
        yield RowsTable(STEP_COLUMNS, id="decision-steps")

    def show_sections(self, record: dict[str, Any]) -> None:
        self.query_one("#decision-stages", RowsTable).show(record["stages"])
        self.query_one("#decision-steps", RowsTable).show(record["steps"])

    def stage_texts(self) -> list[str]:
        """What the stages table shows, a line a stage (for tests and screen readers)."""
        if self.record is None:
            return []
        return [" ".join(str(c.text(s)) for c in STAGE_COLUMNS[:3])
                for s in self.record["stages"]]

