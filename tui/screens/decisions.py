"""Decisions (五步决策法): a list with each decision's progress through the five steps and
two disclosures, filters (village, state, kind, waiting on the subdistrict, vetoed) and
search; a decision's detail with its seven stages, its steps' meeting records and its
journal.

Everything goes through ``ledger.decisions``; the stages and their statuses are ledger's
(``decisions.stages``), this module only lays them out.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual.app import ComposeResult
from textual.widgets import Static

from ledger import decisions as svc
from ledger.i18n import t, value_label
from tui.bindings import bind
from tui.screens.base import ListScreen, ProcedureScreen
from tui.widgets.columns import Column, format_value
from tui.widgets.detail import RowsTable
from tui.widgets.filter_bar import FilterSpec, code_choices
from tui.widgets.form import FieldSpec, FormScreen

if TYPE_CHECKING:
    from ledger.office import Office

# How a stage's status colours its mark (ledger decides the status).
STAGE_MARK = {"done": ("●", "green"), "vetoed": ("✕", "bold red"), "next": ("◐", "yellow"),
              "pending": ("○", "dim"), "never": ("–", "dim")}
TOTAL_STAGES = len(svc.STAGES)


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
    col("state", "decision_state", kind="decision_state"), col("last_on"),
]
DETAIL_FIELDS = [
    col("number"), col("village"), col("subject"), col("kind", kind="decision_kind"),
    col("amount"), col("proposal"), col("attachments"),
    col("state", "decision_state", kind="decision_state"),
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


ATTENDANCE = [FieldSpec("present", required=True), FieldSpec("entitled", required=True)]
VOTES = [FieldSpec("votes_for"), FieldSpec("votes_against"), FieldSpec("votes_abstain")]
VOTES_REQUIRED = [FieldSpec(f.name, required=True) for f in VOTES]

# action -> (key, the step's own form fields); every step also asks its date and a note
STEPS: dict[str, tuple[str, list[FieldSpec]]] = {
    "committees_deliberation": ("c", [*ATTENDANCE, *VOTES]),
    "party_members_review": ("m", [*ATTENDANCE, *VOTES_REQUIRED]),
    "subdistrict_review": ("a", []),
    "veto": ("x", [FieldSpec("reason", kind="multiline", required=True)]),
    "villagers_resolution": ("r", [
        FieldSpec("meeting", kind="choice", codes=svc.MEETINGS, value_kind="decision_meeting"),
        *ATTENDANCE, *VOTES_REQUIRED]),
    "publish_resolution": ("p", [FieldSpec("place", required=True)]),
    "publish_results": ("o", [FieldSpec("place", required=True)]),
}


def step_fields(action: str) -> list[FieldSpec]:
    return [*STEPS[action][1], FieldSpec("on", kind="date"), FieldSpec("note")]


def step_call(office: Office, number: str, version: int | None, action: str,
              values: dict[str, Any]) -> dict[str, Any]:
    """The form's values as a ``take_step`` call, on the version the clerk saw."""
    kwargs: dict[str, Any] = {spec.name: values.get(spec.name) for spec in STEPS[action][1]}
    return svc.take_step(office, number, action, on=values.get("on"),
                         note=values.get("note") or "", version=version, **kwargs)


def propose_fields(villages: list[dict[str, Any]]) -> list[FieldSpec]:
    return [
        FieldSpec("village", kind="choice", required=True, choices=code_choices(villages)),
        FieldSpec("subject", required=True),
        FieldSpec("kind", kind="choice", codes=svc.KINDS, value_kind="decision_kind"),
        FieldSpec("amount"),
        FieldSpec("proposal", kind="multiline", required=True),
        FieldSpec("attachments", kind="multiline"),
        FieldSpec("on", kind="date"),
        *ATTENDANCE, *VOTES, FieldSpec("note"),
    ]


def propose_call(office: Office, values: dict[str, Any]) -> dict[str, Any]:
    fields: dict[str, Any] = {k: values.get(k) for k in (
        "village", "subject", "amount", "proposal", "attachments", "on", "present",
        "entitled", "votes_for", "votes_against", "votes_abstain")}
    return svc.propose(office, **fields, kind=values.get("kind") or "other",
                       note=values.get("note") or "")


class DecisionsScreen(ListScreen):
    """The list of decisions with their progress; Enter opens one."""

    TITLE_KEY = "tui.screen.decisions"
    AREA = "decisions"
    COLUMNS = LIST_COLUMNS
    FILTER = svc.DecisionFilter
    SEARCH_HINT = "tui.decisions.search_hint"

    BINDINGS = [
        bind("a", "propose", "tui.decisions.key.propose"),
        bind("w", "waiting", "tui.decisions.key.waiting"),
        bind("v", "vetoed", "tui.decisions.key.vetoed"),
    ]

    def fetch(self, filters: Any, offset: int, limit: int) -> list[dict[str, Any]]:
        return svc.list_decisions(self.office, filters, offset=offset, limit=limit)

    def count(self, filters: Any) -> int:
        return svc.count_decisions(self.office, filters)

    def filter_specs(self) -> list[FilterSpec]:
        return [
            FilterSpec("state", "field.decision_state", codes=(*svc.STATES, svc.WAITING),
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

    def action_propose(self) -> None:
        office = self.office
        self.app.push_screen(
            FormScreen(t("tui.decisions.propose_title"), propose_fields(self.villages),
                       submit=lambda values: propose_call(office, values)),
            callback=self._proposed)

    def _proposed(self, decision: dict[str, Any] | None) -> None:
        if decision is None:
            return
        self.notify(t("decision.changed", number=decision["number"],
                      step=value_label("decision_action", "branch_proposal"),
                      state=value_label("decision_state", decision["state"])))
        self.table.reload(select=decision["id"])


class DecisionDetailScreen(ProcedureScreen):
    """One decision: its fields, the seven stages with their dates and meeting records,
    every step taken (refused meetings too), and the journal. Each step is a key; a veto
    asks for confirmation (it ends the decision for good)."""

    TITLE_KEY = "tui.screen.decisions"
    FIELDS = DETAIL_FIELDS
    ENTITY = "decision"
    SHOW_ENTITY = False
    STEPS = STEPS
    ACTION_KIND = "decision_action"

    BINDINGS = [
        *(bind(key, f"step('{action}')", f"value.decision_action.{action}")
          for action, (key, _) in STEPS.items()),
    ]

    DEFAULT_CSS = """
    DecisionDetailScreen RowsTable { height: auto; max-height: 12; margin: 0 1; }
    """

    def load_record(self, reveal: bool) -> dict[str, Any]:
        return svc.get_decision(self.office, self.record_id)

    def record_title(self, record: dict[str, Any]) -> str:
        return f"{record['number']} {record['subject']}"

    def compose_sections(self) -> ComposeResult:
        yield Static("", id="decision-actions", classes="section")
        yield Static(t("tui.decisions.stages"), classes="section")
        yield RowsTable(STAGE_COLUMNS, id="decision-stages")
        yield Static(t("tui.decisions.steps"), classes="section")
        yield RowsTable(STEP_COLUMNS, id="decision-steps")

    def show_sections(self, record: dict[str, Any]) -> None:
        actions = record["allowed_actions"]
        self.query_one("#decision-actions", Static).update(Text(
            t("tui.decisions.actions", actions=self.step_keys(actions, "  ")) if actions
            else ""))
        self.query_one("#decision-stages", RowsTable).show(record["stages"])
        self.query_one("#decision-steps", RowsTable).show(record["steps"])

    def refusal(self, action: str, record: dict[str, Any]) -> str:
        if record["state"] == "vetoed":
            return t("error.decision_vetoed", number=record["number"],
                     reason=record["veto_reason"])
        return t("tui.decisions.not_now", step=value_label("decision_action", action),
                 state=value_label("decision_state", record["state"]))

    def step_form(self, action: str, record: dict[str, Any]) -> FormScreen:
        office, number = self.office, record["number"]
        confirm = ((lambda values: t("tui.decisions.confirm_veto", number=number))
                   if action in svc.IRREVERSIBLE else None)
        # The form carries the version on screen (values["version"]); stale: ConflictDialog.
        return self.step_screen(f"{value_label('decision_action', action)} {number}",
                                step_fields(action), confirm=confirm,
                                submit=lambda values: step_call(office, number,
                                                                values.get("version"), action,
                                                                values))

    def done_message(self, action: str, result: dict[str, Any]) -> str:
        return t("decision.changed", number=result["number"],
                 step=value_label("decision_action", action),
                 state=value_label("decision_state", result["state"]))

    def stage_texts(self) -> list[str]:
        """What the stages table shows, a line a stage (for tests and screen readers)."""
        if self.record is None:
            return []
        return [" ".join(str(c.text(s)) for c in STAGE_COLUMNS[:3])
                for s in self.record["stages"]]

