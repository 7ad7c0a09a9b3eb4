"""Petitions (信访件): a paged list with deadline countdowns, filters and search; a petition's
detail with its petitioners, deadlines, the procedure's timeline and the repeat chain; a
registration form; every step of the procedure as a key (and so a palette entry).

Everything goes through ``ledger.petitions``; this module only lays out what it returns.
Personal data stays masked until the clerk presses Reveal, which ledger journals.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Container, VerticalScroll
from textual.widgets import DataTable, Select, Static

from ledger import journal, members
from ledger import petitions as svc
from ledger.i18n import t, value_label
from tui.bindings import bind
from tui.screens.base import LedgerScreen
from tui.widgets.columns import Column, format_value
from tui.widgets.detail import DetailView
from tui.widgets.filter_bar import Choice, FilterBar, FilterSpec
from tui.widgets.form import FieldSpec, FormScreen
from tui.widgets.paged_table import PagedTable
from tui.widgets.timeline import Timeline

DEADLINE_STYLE = {"overdue": "bold red", "due_soon": "yellow", "ok": "green"}


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
    col("next_due", "petition_next_due"),
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
    col("next_due", "petition_next_due"),
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


def village_choices(villages: list[dict[str, Any]]) -> list[Choice]:
    return [Choice(v["code"], f"{v['code']} {v['name']}") for v in villages]


def register_fields(office: Any, villages: list[dict[str, Any]]) -> list[FieldSpec]:
    return [
        FieldSpec("petition_channel", kind="choice", required=True, codes=svc.CHANNELS,
                  value_kind="petition_channel"),
        FieldSpec("petition_received_on", kind="date"),
        FieldSpec("petition_category", kind="choice", required=True,
                  codes=list(office.settings["petitions.categories"]),
                  value_kind="petition_category"),
        FieldSpec("petition_village", kind="choice", choices=village_choices(villages)),
        FieldSpec("petition_summary", kind="multiline", required=True),
        FieldSpec("petition_demands"),
        FieldSpec("petitioner_name", required=True),
        FieldSpec("petitioner_phone"),
        FieldSpec("petitioner_id_number", max_length=18),
        FieldSpec("petitioner_address"),
        FieldSpec("petition_representatives", kind="multiline",
                  label_key="field.petition_more_petitioners"),
        FieldSpec("petition_collective", kind="bool"),
        FieldSpec("petition_group_size"),
    ]


def register_call(office: Any, values: dict[str, Any]) -> dict[str, Any]:
    """The form's values (named as ledger's errors name fields) as a ``register`` call."""
    person = {"name": values.get("petitioner_name"), "phone": values.get("petitioner_phone"),
              "id_number": values.get("petitioner_id_number"),
              "address": values.get("petitioner_address"),
              "village": values.get("petition_village") or None}
    # More people, one a line as on the command line; in a group visit, the representatives
    # (the field is named as ledger names the representatives limit, so errors show there).
    more = svc.parse_petitioners(values.get("petition_representatives") or "",
                                 "petition_representatives")
    return svc.register(
        office, channel=values.get("petition_channel") or "",
        category=values.get("petition_category") or "",
        received_on=values.get("petition_received_on"),
        village=values.get("petition_village") or None,
        summary=values.get("petition_summary") or "",
        demands=values.get("petition_demands") or "", petitioners=[person, *more],
        collective=bool(values.get("petition_collective")),
        group_size=values.get("petition_group_size") or None)


# action -> (key, extra form fields as (field name, ledger keyword, required))
STEPS: dict[str, tuple[str, list[tuple[FieldSpec, str]]]] = {
    "accept": ("a", []),
    "decline": ("n", [(FieldSpec("petition_reason", required=True), "reason"),
                      (FieldSpec("petition_forwarded_to"), "forwarded_to")]),
    "assign": ("h", [(FieldSpec("petition_handler", required=True), "handler"),
                     (FieldSpec("petition_handler_unit"), "unit")]),
    "extend": ("x", [(FieldSpec("petition_extension_days", required=True), "days"),
                     (FieldSpec("petition_reason", required=True), "reason"),
                     (FieldSpec("petition_approved_by", required=True), "approved_by")]),
    "reply": ("y", [(FieldSpec("petition_gist", kind="multiline", required=True), "gist")]),
    "request_review": ("v", []),
    "review": ("w", [(FieldSpec("petition_gist", kind="multiline", required=True), "gist")]),
    "request_rereview": ("k", []),
    "rereview": ("j", [(FieldSpec("petition_gist", kind="multiline", required=True),
                        "gist")]),
    "close": ("c", []),
}


def step_fields(action: str) -> list[FieldSpec]:
    return [*(spec for spec, _ in STEPS[action][1]), FieldSpec("petition_on", kind="date"),
            FieldSpec("note")]


def step_call(office: Any, number: str, action: str, values: dict[str, Any]) -> dict[str, Any]:
    kwargs = {keyword: values.get(spec.name) for spec, keyword in STEPS[action][1]}
    call: Callable[..., dict[str, Any]] = getattr(svc, action)
    return call(office, number, on=values.get("petition_on"), note=values.get("note") or "",
                **kwargs)


def timeline_entries(office: Any, petition: dict[str, Any]) -> list[dict[str, Any]]:
    """The procedure's events as timeline entries, with the journaled reveals."""
    entries = []
    for index, event in enumerate(petition["events"]):
        heading = value_label("petition_action", event["action"])
        if event.get("to_state"):
            heading += " → " + value_label("petition_state", event["to_state"])
        note = " ".join(x for x in (format_value(event["on"]), event.get("note") or "") if x)
        entries.append({"id": index, "at": event["at"], "operator": event["operator"],
                        "action": heading, "note": note, "before": None, "after": None})
    entries.extend(e for e in journal.history(office, "petition", petition["id"])
                   if e["action"] == "reveal")
    return entries


class PetitionsScreen(LedgerScreen):
    """The list of petitions with deadline countdowns; Enter opens one."""

    TITLE_KEY = "tui.screen.petitions"

    BINDINGS = [
        bind("a", "register", "tui.petitions.key.register"),
        bind("o", "overdue", "tui.petitions.key.overdue"),
        bind("slash", "search", "tui.key.search", key_display="/"),
        bind("ctrl+r", "reload", "tui.key.reload"),
    ]

    def __init__(self, office: Any, *, name: str | None = None) -> None:
        super().__init__(office, name=name)
        self.villages: list[dict[str, Any]] = []
        self.filters = svc.PetitionFilter()
        self.table = PagedTable(LIST_COLUMNS, id="petitions-table")
        self._detail_open = False

    def compose_body(self) -> ComposeResult:
        yield Container(id="petitions-filters")
        yield self.table

    def on_mount(self) -> None:
        self.table.set_source(*self._source())
        self.table.focus_table()
        self.run_db(lambda: members.list_villages(self.office), self._villages_loaded)

    def on_screen_resume(self) -> None:
        if self._detail_open and self.table.is_mounted:
            self._detail_open = False
            self.table.reload()

    def _villages_loaded(self, villages: list[dict[str, Any]]) -> None:
        self.villages = villages
        bar = FilterBar([
            FilterSpec("state", "field.petition_state", codes=(*svc.STATES, "open"),
                       kind="petition_state"),
            FilterSpec("village", "field.petition_village", choices=village_choices(villages)),
            FilterSpec("category", "field.petition_category",
                       codes=list(self.office.settings["petitions.categories"]),
                       kind="petition_category"),
            FilterSpec("channel", "field.petition_channel", codes=svc.CHANNELS,
                       kind="petition_channel"),
            FilterSpec("deadline", "field.petition_deadline_state",
                       codes=("overdue", "due_soon"), kind="petition_deadline_state"),
        ], search_placeholder_key="tui.petitions.search_hint", id="petitions-filter-bar")
        self.query_one("#petitions-filters", Container).mount(bar)

    def _source(self) -> tuple[Any, Any]:
        filters, office = self.filters, self.office
        return (lambda offset, limit: svc.list_petitions(office, filters, offset=offset,
                                                         limit=limit),
                lambda: svc.count_petitions(office, filters))

    def on_filter_bar_changed(self, event: FilterBar.Changed) -> None:
        values = event.values
        deadline = values.get("deadline")
        soon = self.office.settings["petitions.due_soon_days"]
        self.filters = svc.PetitionFilter(
            state=values.get("state"), village=values.get("village"),
            category=values.get("category"), channel=values.get("channel"),
            overdue=deadline == "overdue",
            due_within_days=soon if deadline == "due_soon" else None,
            search=values.get("search"))
        self.table.set_source(*self._source())
        if event.submitted:
            self.table.focus_table()

    def on_paged_table_selected(self, event: PagedTable.Selected) -> None:
        self._detail_open = True
        self.app.push_screen(PetitionDetailScreen(self.office, event.row["number"]))

    def action_search(self) -> None:
        bars = self.query(FilterBar)
        if bars:
            bars.first().focus_search()

    def action_reload(self) -> None:
        self.table.reload()

    def action_overdue(self) -> None:
        """Only the overdue ones, most overdue first (again: all of them). Set through the
        filter bar, so what it shows and what the list holds stay the same."""
        bars = self.query(FilterBar)
        if not bars:
            return
        select = bars.first().query_one("#filter-deadline", Select)
        select.value = Select.NULL if select.value == "overdue" else "overdue"

    def action_register(self) -> None:
        office = self.office
        self.app.push_screen(
            FormScreen(t("tui.petitions.register_title"), register_fields(office, self.villages),
                       submit=lambda values: register_call(office, values)),
            callback=self._registered)

    def _registered(self, petition: dict[str, Any] | None) -> None:
        if petition is None:
            return
        self.notify(t("petition.registered", number=petition["number"]))
        if petition.get("repeat_of"):
            self.notify(t("petition.repeat_flag", number=petition["repeat_of"]),
                        severity="warning")
        self.table.reload(select=petition["id"])


class PetitionDetailScreen(LedgerScreen):
    """One petition: fields, petitioners, deadlines, repeat chain and timeline; each step of
    the procedure is a key. Escape goes back."""

    TITLE_KEY = "tui.screen.petitions"

    DEFAULT_CSS = """
    PetitionDetailScreen .section { text-style: bold; padding: 1 1 0 1; }
    PetitionDetailScreen DataTable { height: auto; max-height: 10; margin: 0 1; }
    """

    BINDINGS = [
        bind("escape", "back", "tui.key.back"),
        *(bind(key, f"step('{action}')", f"tui.petitions.key.{action}")
          for action, (key, _) in STEPS.items()),
        bind("r", "reveal", "tui.key.reveal"),
        bind("ctrl+r", "reload", "tui.key.reload"),
    ]

    def __init__(self, office: Any, number: str, *, name: str | None = None) -> None:
        super().__init__(office, name=name)
        self.number = number
        self.petition: dict[str, Any] | None = None
        self.revealed = False

    def compose_body(self) -> ComposeResult:
        with VerticalScroll(id="petition-detail"):
            yield DetailView(DETAIL_FIELDS, id="petition-fields")
            yield Static("", id="petition-actions", classes="section")
            yield Static(t("petition.section.petitioners"), classes="section")
            yield DataTable(id="petition-people", cursor_type="row", zebra_stripes=True)
            yield Static(t("petition.section.deadlines"), classes="section")
            yield DataTable(id="petition-deadlines", cursor_type="row", zebra_stripes=True)
            yield Static(t("petition.section.chain"), classes="section")
            yield Static("", id="petition-chain")
            yield Static(t("petition.section.timeline"), classes="section")
            yield Timeline(to_local=self.local_time, id="petition-timeline")

    def on_mount(self) -> None:
        for table_id, columns in (("#petition-people", PEOPLE_COLUMNS),
                                  ("#petition-deadlines", DEADLINE_COLUMNS)):
            table = self.query_one(table_id, DataTable)
            for column in columns:
                table.add_column(column.label, key=column.key)
        self.action_reload()

    def action_reload(self) -> None:
        self._load(reveal=False)

    def action_reveal(self) -> None:
        self._load(reveal=True)  # ledger journals it; the timeline shows it at once

    def _load(self, *, reveal: bool) -> None:
        office, number = self.office, self.number

        def work() -> tuple[dict[str, Any], list[dict[str, Any]]]:
            petition = svc.get_petition(office, number, reveal=reveal)
            return petition, timeline_entries(office, petition)

        self.revealed = reveal
        self.run_db(work, self._show, group="petition-detail", exclusive=True)

    def _show(self, loaded: tuple[dict[str, Any], list[dict[str, Any]]]) -> None:
        petition, entries = loaded
        self.petition = petition
        self.sub_title = petition["number"]
        self.query_one("#petition-fields", DetailView).show(petition)
        actions = petition["allowed_actions"]
        self.query_one("#petition-actions", Static).update(
            t("petition.actions", actions=" ".join(
                f"[{STEPS[a][0]}] {value_label('petition_action', a)}" for a in actions))
            if actions else "")
        for table_id, columns, rows in (
                ("#petition-people", PEOPLE_COLUMNS, petition["petitioners"]),
                ("#petition-deadlines", DEADLINE_COLUMNS, petition["deadlines"])):
            table = self.query_one(table_id, DataTable)
            table.clear()
            for row in rows:
                table.add_row(*(c.text(row) for c in columns))
        chain = petition["chain"]
        self.query_one("#petition-chain", Static).update(
            "  →  ".join(f"{c['number']} ({value_label('petition_state', c['state'])})"
                         for c in chain) if len(chain) > 1 else t("word.none"))
        self.query_one("#petition-timeline", Timeline).set_entries(entries)

    def action_back(self) -> None:
        self.dismiss()

    def action_step(self, action: str) -> None:
        petition = self.petition
        if petition is None:
            return
        if action not in petition["allowed_actions"]:
            self.notify(t("tui.petitions.not_now", action=value_label("petition_action", action),
                          state=value_label("petition_state", petition["state"])),
                        severity="warning")
            return
        office, number = self.office, petition["number"]
        title = f"{value_label('petition_action', action)} {number}"
        self.app.push_screen(
            FormScreen(title, step_fields(action),
                       submit=lambda values: step_call(office, number, action, values)),
            callback=self._stepped)

    def _stepped(self, result: dict[str, Any] | None) -> None:
        if result is None:
            return
        self.notify(t("petition.done", number=result["number"],
                      state=value_label("petition_state", result["state"])))
        self._load(reveal=self.revealed)
