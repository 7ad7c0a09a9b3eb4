"""Petitions (信访件): a paged list with deadline countdowns, filters and search; a petition's
detail with its petitioners, deadlines, the procedure's timeline and the repeat chain; a
registration form; every step of the procedure as a key (and so a palette entry).

Everything goes through ``ledger.petitions``; this module only lays out what it returns.
Personal data stays masked until the clerk presses Reveal, which ledger journals.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual.app import ComposeResult
from textual.widgets import Static

from ledger import petitions as svc
from ledger.errors import ValidationError
from ledger.i18n import t, value_label
from tui.bindings import bind
from tui.screens.base import ListScreen, ProcedureScreen
from tui.screens.staff import assignee_choices, assignee_field
from tui.widgets.columns import DEADLINE_STYLE, Column
from tui.widgets.detail import RowsTable
from tui.widgets.filter_bar import Choice, FilterSpec, code_choices
from tui.widgets.form import FieldSpec, FormScreen

if TYPE_CHECKING:
    from ledger.office import Office


def countdown(row: dict[str, Any]) -> Any:
    """Days left to the next deadline, red when overdue (a rich Text the table shows)."""
    days = row.get("days_left")
    if days is None:
        return ""
    text = t("tui.petitions.days_left", days=days) if days >= 0 else t(
        "tui.petitions.days_over", days=-days)
    return Text(text, style=DEADLINE_STYLE.get(row.get("deadline_state") or "", ""))


def col(key: str, label: str, kind: str | None = None,
        render: Callable[[dict[str, Any]], Any] | None = None) -> Column:
    return Column(key, label_key=f"field.{label}", kind=kind, render=render)


LIST_COLUMNS = [
    col("number", "petition_number"),
    col("received_on", "petition_received_on"),
    col("village", "petition_village"),
    col("category", "petition_category", "petition_category"),
    col("petitioner", "petitioner_name"),
    col("petitioner_phone", "petitioner_phone"),
    col("state", "petition_state", "petition_state"),
    col("next_due_kind", "petition_next_due_kind", "petition_deadline"),
    col("next_due", "petition_next_due", render=svc.next_due_label),
    col("days_left", "petition_days_left", render=countdown),
]
DETAIL_FIELDS = [
    col("number", "petition_number"),
    col("state", "petition_state", "petition_state"),
    col("channel", "petition_channel", "petition_channel"),
    col("received_on", "petition_received_on"),
    col("category", "petition_category", "petition_category"),
    col("village", "petition_village"),
    col("collective", "petition_collective"),
    col("group_size", "petition_group_size"),
    col("summary", "petition_summary"),
    col("demands", "petition_demands"),
    col("registered_by", "petition_registered_by"),
    col("handler", "petition_handler"),
    col("handler_unit", "petition_handler_unit"),
    col("decline_reason", "petition_reason"),
    col("forwarded_to", "petition_forwarded_to"),
    col("extension_days", "petition_extension_days"),
    col("reply_gist", "petition_gist"),
    col("repeat_of", "petition_repeat_of"),
    col("next_due", "petition_next_due", render=svc.next_due_label),
    col("days_left", "petition_days_left", render=lambda r: str(countdown(r))),
]
PEOPLE_COLUMNS = [
    col("name", "petitioner_name"), col("phone", "petitioner_phone"),
    col("id_number", "petitioner_id_number"), col("village", "petitioner_village"),
    col("address", "petitioner_address"), col("representative", "petition_representatives"),
]
DEADLINE_COLUMNS = [
    col("kind", "petition_next_due_kind", "petition_deadline"),
    col("party", "petition_party", "petition_party"), col("due", "petition_due"),
    col("provisional", "petition_provisional"), col("met_on", "petition_met_on"),
    col("state", "petition_deadline_state", "petition_deadline_state"),
]


def field(name: str, label: str | None = None, **options: Any) -> FieldSpec:
    """A form field named as ledger's keyword (and its errors' ``field``), labelled as a
    petition's (``field.petition_<name>``, see ``ledger.petitions.label``)."""
    return FieldSpec(name, label_key=f"field.{label or svc.label(name)}", **options)


# The first petitioner has fields of their own, named by the person's keys; the others are
# one line each in the "petitioners" box (where a petitioner list's errors show).
FIRST_PETITIONER = {"name": "name", "phone": "phone", "id_number": "id_number",
                    "address": "address", "village": "village"}


def register_fields(office: Office, villages: list[dict[str, Any]]) -> list[FieldSpec]:
    return [
        field("channel", kind="choice", required=True, codes=svc.CHANNELS,
              value_kind="petition_channel"),
        field("received_on", kind="date"),
        field("category", kind="choice", required=True, codes=svc.categories(office),
              value_kind="petition_category"),
        field("village", kind="choice", choices=code_choices(villages)),
        field("summary", kind="multiline", required=True),
        field("demands"),
        field("name", "petitioner_name", required=True),
        field("phone", "petitioner_phone"),
        field("id_number", "petitioner_id_number", max_length=18),
        field("address", "petitioner_address"),
        field("petitioners", "petition_more_petitioners", kind="multiline"),
        field("collective", kind="bool"),
        field("group_size"),
    ]


def register_call(office: Office, values: dict[str, Any]) -> dict[str, Any]:
    """The form's values (named as ledger's errors name fields) as a ``register`` call."""
    person = {key: values.get(key) for key in ("name", "phone", "id_number", "address")}
    person["village"] = values.get("village") or None
    # More people, one a line as on the command line; in a group visit, the representatives.
    more = svc.parse_petitioners(values.get("petitioners") or "", "petitioners")
    try:
        return svc.register(
            office, channel=values.get("channel") or "", category=values.get("category") or "",
            received_on=values.get("received_on"), village=values.get("village") or None,
            summary=values.get("summary") or "", demands=values.get("demands") or "",
            petitioners=[person, *more], collective=bool(values.get("collective")),
            group_size=values.get("group_size") or None)
    except ValidationError as err:
        raise svc.place_person_error(err, FIRST_PETITIONER, "petitioners") from None


# action -> (key, extra form fields; each field is named as the step function's keyword)
STEPS: dict[str, tuple[str, list[FieldSpec]]] = {
    "accept": ("a", []),
    "decline": ("n", [field("reason", required=True), field("forwarded_to")]),
    "assign": ("h", [field("handler", required=True), field("unit", "petition_handler_unit")]),
    "extend": ("x", [field("days", "petition_extension_days", required=True),
                     field("reason", required=True),
                     field("approved_by", required=True)]),
    "reply": ("y", [field("gist", kind="multiline", required=True)]),
    "request_review": ("v", []),
    "review": ("w", [field("gist", kind="multiline", required=True)]),
    "request_rereview": ("k", []),
    "rereview": ("j", [field("gist", kind="multiline", required=True)]),
    "close": ("c", []),
}


def step_fields(action: str) -> list[FieldSpec]:
    return [*STEPS[action][1], field("on", kind="date"), FieldSpec("note")]


def step_call(office: Office, number: str, action: str, values: dict[str, Any]) -> dict[str, Any]:
    """The step form's values as the step's call, with the version the clerk saw."""
    kwargs = {spec.name: values.get(spec.name) for spec in STEPS[action][1]}
    call: Callable[..., dict[str, Any]] = getattr(svc, action)
    return call(office, number, on=values.get("on"), note=values.get("note") or "",
                version=values.get("version"), **kwargs)


class PetitionsScreen(ListScreen):
    """The list of petitions with deadline countdowns; Enter opens one."""

    TITLE_KEY = "tui.screen.petitions"
    AREA = "petitions"
    COLUMNS = LIST_COLUMNS
    FILTER = svc.PetitionFilter
    SEARCH_HINT = "tui.petitions.search_hint"

    BINDINGS = [
        bind("a", "register", "tui.petitions.key.register"),
        bind("o", "overdue", "tui.petitions.key.overdue"),
    ]

    def fetch(self, filters: Any, offset: int, limit: int) -> list[dict[str, Any]]:
        return svc.list_petitions(self.office, filters, offset=offset, limit=limit)

    def count(self, filters: Any) -> int:
        return svc.count_petitions(self.office, filters)

    def filter_specs(self) -> list[FilterSpec]:
        return [
            FilterSpec("state", "field.petition_state", codes=(*svc.STATES, "open"),
                       kind="petition_state"),
            FilterSpec("village", "field.petition_village",
                       choices=code_choices(self.villages)),
            FilterSpec("category", "field.petition_category",
                       codes=svc.categories(self.office),
                       kind="petition_category"),
            FilterSpec("channel", "field.petition_channel", codes=svc.CHANNELS,
                       kind="petition_channel"),
            FilterSpec("deadline", "field.petition_deadline_state",
                       codes=("overdue", "due_soon"), kind="petition_deadline_state"),
        ]

    def filters_from(self, values: dict[str, Any]) -> svc.PetitionFilter:
        deadline = values.get("deadline")
        return svc.PetitionFilter(
            state=values.get("state"), village=values.get("village"),
            category=values.get("category"), channel=values.get("channel"),
            overdue=deadline == "overdue", due_soon=deadline == "due_soon",
            search=values.get("search"))

    def detail_screen(self, row: dict[str, Any]) -> PetitionDetailScreen:
        return PetitionDetailScreen(self.office, row["number"])

    def action_overdue(self) -> None:
        """Only the overdue ones, most overdue first (again: all of them). Set through the
        filter bar, so what it shows and what the list holds stay the same."""
        self.toggle_filter("deadline", "overdue")

    def action_register(self) -> None:
        office = self.office
        self.app.push_screen(
            FormScreen(t("tui.petitions.register_title"), register_fields(office, self.villages),
                       submit=lambda values: register_call(office, values)),
            callback=self._registered)

    def _registered(self, petition: dict[str, Any] | None) -> None:
        if petition is None:
            return
        self.notify(t("petition.registered", number=petition["number"]), markup=False)
        if petition.get("repeat_of"):
            self.notify(t("petition.repeat_flag", number=petition["repeat_of"]),
                        severity="warning", markup=False)
        self.table.reload(select=petition["id"])


class PetitionDetailScreen(ProcedureScreen):
    """One petition: fields, petitioners, deadlines, repeat chain and timeline; each step of
    the procedure is a key. Escape goes back."""

    TITLE_KEY = "tui.screen.petitions"
    FIELDS = DETAIL_FIELDS
    ENTITY = "petition"
    STEPS = STEPS
    ACTION_KIND = "petition_action"
    TIMELINE_KEY = "petition.section.timeline"
    SHOW_ENTITY = False

    DEFAULT_CSS = """
    PetitionDetailScreen RowsTable { height: auto; max-height: 10; margin: 0 1; }
    """

    BINDINGS = [
        *(bind(key, f"step('{action}')", f"tui.petitions.key.{action}")
          for action, (key, _) in STEPS.items()),
        bind("r", "reveal", "tui.key.reveal"),
    ]

    @property
    def petition(self) -> dict[str, Any] | None:
        return self.record

    assignees: list[Choice] = []  # whom the assign step offers, loaded with the record

    def load_record(self, reveal: bool) -> dict[str, Any]:
        record = svc.get_petition(self.office, self.record_id, reveal=reveal)
        self.assignees = assignee_choices(self.office, record.get("handler") or "")
        return record

    def record_title(self, record: dict[str, Any]) -> str:
        return str(record["number"])

    def compose_sections(self) -> ComposeResult:
        yield Static("", id="petition-actions", classes="section")
        yield Static(Text(t("petition.section.petitioners")), classes="section")
        yield RowsTable(PEOPLE_COLUMNS, id="petition-people")
        yield Static(Text(t("petition.section.deadlines")), classes="section")
        yield RowsTable(DEADLINE_COLUMNS, id="petition-deadlines")
        yield Static(Text(t("petition.section.chain")), classes="section")
        yield Static("", id="petition-chain")

    def show_sections(self, record: dict[str, Any]) -> None:
        actions = record["allowed_actions"]
        # Literal text: the key letters' [a] are brackets, not markup.
        self.query_one("#petition-actions", Static).update(Text(
            t("petition.actions", actions=self.step_keys(actions, " ")) if actions else ""))
        zone = self.office.clock
        self.query_one("#petition-people", RowsTable).show(record["petitioners"], zone=zone)
        self.query_one("#petition-deadlines", RowsTable).show(record["deadlines"], zone=zone)
        chain = record["chain"]
        self.query_one("#petition-chain", Static).update(Text(
            "  →  ".join(f"{c['number']} ({value_label('petition_state', c['state'])})"
                         for c in chain) if len(chain) > 1 else t("word.none")))

    def refusal(self, action: str, record: dict[str, Any]) -> str:
        return svc.refusal(record, action).message()

    def step_form(self, action: str, record: dict[str, Any]) -> FormScreen:
        office, number = self.office, record["number"]
        fields = step_fields(action)
        if action == "assign":  # a choice of the active staff, not a name typed blind
            fields[0] = assignee_field("handler", self.assignees, required=True,
                                       label_key=f"field.{svc.label('handler')}")
        return self.step_screen(f"{value_label('petition_action', action)} {number}", fields,
                                submit=lambda values: step_call(office, number, action, values))

    def done_message(self, action: str, result: dict[str, Any]) -> str:
        return t("petition.done", number=result["number"],
                 state=value_label("petition_state", result["state"]))
