"""Proxy tickets (代办件): a paged list with overdue and due-soon rows marked, filters and
search (number, name or pinyin initials); a ticket's detail with its materials checklist and
timeline; an open-ticket form that shows the due date and checklist as soon as the item is
chosen; every state change as a key (and so a palette entry), withdrawing behind a
confirmation because it cannot be undone.

Keyboard path for a counter clerk: F4, ``a``, pick the item (type to jump), Tab through
name, phone, village, Ctrl+S. Everything goes through ``ledger.tickets``; this module only
lays out what it returns.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual.app import ComposeResult
from textual.widgets import Select, Static

from ledger import display, items, staff
from ledger import tickets as svc
from ledger.i18n import t, value_label
from tui.bindings import bind
from tui.dbwork import run_db
from tui.screens.base import ListScreen, ProcedureScreen
from tui.screens.staff import assignee_choices, assignee_field
from tui.widgets.columns import DEADLINE_STYLE, Column
from tui.widgets.filter_bar import Choice, FilterSpec, code_choices
from tui.widgets.form import FieldSpec, FormScreen

if TYPE_CHECKING:
    from ledger.office import Office


def deadline(row: dict[str, Any]) -> Any:
    """Overdue in red, due soon in yellow (a rich Text the table shows as is)."""
    state = row.get("deadline_state")
    if not state:
        return ""
    return Text(value_label("deadline_state", state), style=DEADLINE_STYLE.get(state, ""))


LIST_COLUMNS = [
    Column("number"),
    Column("item"),
    Column("applicant_name"),
    Column("village"),
    Column("agent"),
    Column("received_on"),
    Column("state", kind="ticket_state"),
    Column("due_date", render=svc.due_label),
    Column("deadline_state", render=deadline),
]
DETAIL_FIELDS = [
    Column("number"),
    Column("item"),
    Column("track", kind="item_track"),
    Column("level", kind="item_level"),
    Column("state", kind="ticket_state"),
    Column("applicant_name"),
    Column("applicant_phone"),
    Column("applicant_id_number"),
    Column("village"),
    Column("enterprise"),
    Column("project"),
    Column("agent"),
    Column("received_at"),
    Column("time_limit_days"),
    Column("due_date", render=svc.due_label),
    Column("deadline_state", render=lambda r: str(deadline(r))),
    Column("returned_on"),
    Column("returned_days"),
    Column("done_on"),
    Column("working_days_taken"),
    Column("on_time"),
    Column("satisfaction", kind="satisfaction"),
    Column("satisfaction_comment"),
    Column("notes"),
]

# action -> (key, extra fields as (spec, ledger keyword)); every step also takes a note and
# the time it happened. Keys avoid r (reveal) and the screen keys of the app (F-keys).
AT = FieldSpec("at", placeholder_key="tui.tickets.at_hint")
STEPS: dict[str, tuple[str, list[tuple[FieldSpec, str]]]] = {
    "advance": ("v", [(FieldSpec("materials", placeholder_key="tui.tickets.materials_hint"),
                       "materials")]),
    "assign": ("g", [(FieldSpec("agent", required=True), "agent")]),
    "materials": ("m", [(FieldSpec("materials", required=True,
                                   placeholder_key="tui.tickets.materials_hint"), "materials")]),
    "return": ("b", []),
    "resume": ("u", [(FieldSpec("materials", placeholder_key="tui.tickets.materials_hint"),
                      "materials")]),
    "withdraw": ("w", []),
    "reopen": ("o", []),
    "rate": ("s", [(FieldSpec("satisfaction", kind="choice", required=True,
                              codes=svc.SATISFACTION, value_kind="satisfaction"),
                    "satisfaction")]),
}


def step_fields(action: str) -> list[FieldSpec]:
    note_name = "satisfaction_comment" if action == "rate" else "note"
    note = FieldSpec(note_name, required=action in svc.NOTE_REQUIRED)
    return [*(spec for spec, _ in STEPS[action][1]), note, AT]


def step_call(office: Office, number: str, action: str, values: dict[str, Any]) -> dict[str, Any]:
    """The form's values as the ledger call for ``action``."""
    kwargs = {keyword: values.get(spec.name) or None for spec, keyword in STEPS[action][1]}
    # When it happened, and the version the clerk saw (a stale one is refused).
    when: dict[str, Any] = {"at": values.get("at") or None, "version": values.get("version")}
    if action == "rate":
        return svc.rate(office, number, kwargs["satisfaction"] or "",
                        comment=values.get("satisfaction_comment") or "", **when)
    note = values.get("note") or ""
    if action == "assign":
        return svc.assign(office, number, kwargs["agent"] or "", note=note, **when)
    if action == "materials":
        return svc.check_materials(office, number, kwargs["materials"], note=note, **when)
    calls: dict[str, Callable[..., dict[str, Any]]] = {
        "advance": svc.advance, "return": svc.return_ticket, "resume": svc.resume,
        "withdraw": svc.withdraw, "reopen": svc.reopen}
    return calls[action](office, number, note=note, **when, **kwargs)


def open_fields(catalogue: list[dict[str, Any]], villages: list[dict[str, Any]],
                agents: list[str]) -> list[FieldSpec]:
    """``agents``: the names of the active staff, whom a new ticket may go to."""
    return [
        FieldSpec("item", kind="choice", required=True, choices=code_choices(catalogue)),
        FieldSpec("applicant_name"),
        FieldSpec("applicant_phone"),
        FieldSpec("village", kind="choice", choices=code_choices(villages)),
        FieldSpec("applicant_id_number", max_length=18),
        FieldSpec("enterprise"),
        FieldSpec("project"),
        FieldSpec("agent", kind="choice", choices=[Choice(a, a) for a in agents])
        if agents else FieldSpec("agent"),
        FieldSpec("materials", placeholder_key="tui.tickets.materials_open_hint"),
        FieldSpec("received_at", placeholder_key="tui.tickets.at_hint"),
        FieldSpec("notes"),
    ]


def open_call(office: Office, values: dict[str, Any]) -> dict[str, Any]:
    """The form's values as an ``open_ticket`` call, passed through as typed: what blank
    materials (or "all") mean is ledger's rule."""
    materials = values.get("materials") or None
    return svc.open_ticket(
        office, item=values.get("item") or "", applicant_name=values.get("applicant_name") or "",
        applicant_phone=values.get("applicant_phone") or "",
        applicant_id_number=values.get("applicant_id_number") or None,
        village=values.get("village") or None, enterprise=values.get("enterprise") or "",
        project=values.get("project") or "", agent=values.get("agent") or "",
        received_at=values.get("received_at") or None, materials=materials,
        notes=values.get("notes") or "")


class OpenTicketForm(FormScreen):
    """The open-ticket form, with a line that shows the promised due date and the checklist
    as soon as the item is chosen (computed by ledger, in a worker)."""

    def __init__(self, office: Office, fields: list[FieldSpec]) -> None:
        super().__init__(t("tui.tickets.open_title"), fields,
                         submit=lambda values: open_call(office, values))
        self.office = office
        self.preview = Static("", id="ticket-preview")

    def on_mount(self) -> None:
        self.query_one("#form-box").mount(self.preview, after=self.form)

    def on_select_changed(self, event: Select.Changed) -> None:
        if event.select.id != "field-item":
            return
        code = event.value
        if code is Select.NULL or not code:
            self.preview.update("")
            return
        office = self.office
        run_db(self, lambda: svc.due_preview(office, str(code)), self._show_preview,
               on_error=lambda err: self.preview.update(Text(err.message())), group="preview",
               exclusive=True)

    def _show_preview(self, data: dict[str, Any]) -> None:
        self.preview.update(Text(t(
            "tui.tickets.preview", limit=items.time_limit_label(data["time_limit_days"]),
            due=svc.due_label(data),
            materials="  ".join(f"{n}.{m}" for n, m in enumerate(data["materials"], start=1))
            or "-")))


class TicketsScreen(ListScreen):
    """The list of tickets, newest first (by due date when a deadline filter is on)."""

    TITLE_KEY = "tui.screen.tickets"
    AREA = "tickets"
    COLUMNS = LIST_COLUMNS
    FILTER = svc.TicketFilter
    SEARCH_HINT = "tui.tickets.search_hint"

    BINDINGS = [
        bind("a", "open_ticket", "tui.tickets.key.open"),
        bind("o", "deadline('overdue')", "tui.tickets.key.overdue"),
        bind("d", "deadline('due_soon')", "tui.tickets.key.due_soon"),
    ]

    def __init__(self, office: Office, *, name: str | None = None) -> None:
        super().__init__(office, name=name)
        self.catalogue: list[dict[str, Any]] = []
        self.agents: list[str] = []  # active staff: whom a new ticket may go to
        self.agent_filter: list[Choice] = []  # every staff member, then unmatched names

    def fetch(self, filters: Any, offset: int, limit: int) -> list[dict[str, Any]]:
        return svc.list_tickets(self.office, filters, offset=offset, limit=limit)

    def count(self, filters: Any) -> int:
        return svc.count_tickets(self.office, filters)

    def load_choices(self) -> tuple[list[dict[str, Any]], list[dict[str, Any]], list[str]]:
        return (items.list_items(self.office, ticket_counts=False),
                staff.list_staff(self.office, staff.StaffFilter(active=None), limit=None),
                svc.agents(self.office))

    def choices_loaded(self, loaded: tuple[list[dict[str, Any]], list[dict[str, Any]],
                                           list[str]]) -> None:
        self.catalogue, people, written = loaded
        self.agents = [p["name"] for p in people if p["active"]]
        # The filter names a staff member by id (a renamed one keeps their tickets), then
        # the names written that match nobody (``jiedao staff unmatched``).
        names = {p["name"] for p in people}
        self.agent_filter = [Choice(str(p["id"]), p["name"]) for p in people] + [
            Choice(n, n) for n in written if n not in names]

    def filter_specs(self) -> list[FilterSpec]:
        return [
            FilterSpec("state", "field.state", codes=(*svc.STATES, svc.OPEN),
                       kind="ticket_state"),
            FilterSpec("village", "field.village", choices=code_choices(self.villages)),
            FilterSpec("item", "field.item", choices=code_choices(self.catalogue)),
            FilterSpec("agent", "field.agent", choices=self.agent_filter),
            FilterSpec("deadline", "field.deadline_state", codes=("overdue", "due_soon"),
                       kind="deadline_state"),
        ]

    def filters_from(self, values: dict[str, Any]) -> svc.TicketFilter:
        state = values.get("deadline")
        return svc.TicketFilter(
            state=values.get("state"), village=values.get("village"),
            item=values.get("item"), agent=values.get("agent"),
            overdue=state == "overdue", due_soon=state == "due_soon",
            search=values.get("search"))

    def detail_screen(self, row: dict[str, Any]) -> TicketScreen:
        return TicketScreen(self.office, row["number"])

    def action_deadline(self, state: str) -> None:
        """Only overdue (or due-soon) tickets, by due date; the same key shows all again.
        Set through the filter bar, so what it shows and what the list holds agree."""
        self.toggle_filter("deadline", state)

    def action_open_ticket(self) -> None:
        if not self.catalogue:
            self.notify(t("tui.tickets.no_items"), severity="warning", markup=False)
            return
        form = OpenTicketForm(self.office, open_fields(self.catalogue, self.villages,
                                                       self.agents))
        self.app.push_screen(form, callback=self._opened)

    def _opened(self, ticket: dict[str, Any] | None) -> None:
        if ticket is None:
            return
        self.notify(t("ticket.opened", number=ticket["number"], item=ticket["item"],
                      due=svc.due_label(ticket)), markup=False)
        missing = svc.materials_warning(ticket)
        if missing:
            self.notify(t("ticket.materials_missing", missing=display.join(missing)),
                        severity="warning", markup=False)
        self.table.reload(select=ticket["id"])


class TicketScreen(ProcedureScreen):
    """One ticket: fields, materials checklist, allowed actions and its timeline; each
    state change is a key. Escape goes back."""

    TITLE_KEY = "tui.screen.tickets"
    FIELDS = DETAIL_FIELDS
    ENTITY = "ticket"
    STEPS = STEPS
    ACTION_KIND = "ticket_action"

    BINDINGS = [
        *(bind(key, f"step('{action}')", f"tui.tickets.key.{action}")
          for action, (key, _) in STEPS.items()),
        bind("r", "reveal", "tui.key.reveal"),
    ]

    assignees: list[Choice] = []  # whom the assign step offers, loaded with the record

    def load_record(self, reveal: bool) -> dict[str, Any]:
        record = svc.get_ticket(self.office, self.record_id, reveal=reveal)
        self.assignees = assignee_choices(self.office, record.get("agent") or "")
        return record

    def compose_sections(self) -> ComposeResult:
        yield Static(Text(t("field.materials")), classes="section")
        yield Static("", id="ticket-materials")
        yield Static("", id="ticket-actions", classes="section")

    def show_sections(self, record: dict[str, Any]) -> None:
        # Literal text: the checkbox's [x] and the key letters' [a] are brackets, not markup,
        # and a material's name is what a clerk typed.
        self.query_one("#ticket-materials", Static).update(Text(
            "\n".join(f"  [{'x' if m['checked'] else ' '}] {m['name']}"
                      for m in record["materials"]) or t("word.none")))
        actions = record["allowed_actions"]
        self.query_one("#ticket-actions", Static).update(Text(
            t("tui.tickets.actions", actions=self.step_keys(actions, "  ")) if actions else ""))

    def record_title(self, record: dict[str, Any]) -> str:
        return str(record["number"])

    def refusal(self, action: str, record: dict[str, Any]) -> str:
        return svc.refusal(record, action).message()

    def step_form(self, action: str, record: dict[str, Any]) -> FormScreen:
        office, number = self.office, record["number"]
        confirm = None
        if action in svc.IRREVERSIBLE:
            def confirm(values: dict[str, Any]) -> str:
                return t("tui.tickets.confirm_withdraw", number=number)
        fields = step_fields(action)
        if action == "assign":  # a choice of the active staff, not a name typed blind
            fields[0] = assignee_field("agent", self.assignees, required=True)
        return self.step_screen(f"{value_label('ticket_action', action)} {number}", fields,
                                submit=lambda values: step_call(office, number, action, values),
                                confirm=confirm)

    def done_message(self, action: str, result: dict[str, Any]) -> str:
        done = t("ticket.changed", number=result["number"],
                 action=value_label("ticket_action", action),
                 state=value_label("ticket_state", result["state"]))
        missing = svc.materials_warning(result)
        if missing:
            done += "\n" + t("ticket.materials_missing", missing=display.join(missing))
        return done
