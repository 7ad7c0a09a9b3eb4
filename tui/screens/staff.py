"""Staff (工作人员): the office's people in name order, one person's record with its journal,
and the add, edit and retire forms (edits carry the record's version: a stale one shows the
conflict dialog; the role and login are fields of both, a supervisor's to change).
Everything goes through ``ledger.staff``."""

from __future__ import annotations

from typing import Any

from rich.text import Text

from ledger import staff as svc
from ledger.i18n import t
from tui.bindings import bind
from tui.dbwork import run_db
from tui.screens.base import LedgerScreen, ListScreen, RecordScreen, by_id
from tui.widgets.columns import Column
from tui.widgets.confirm import ConfirmDialog
from tui.widgets.filter_bar import Choice, FilterSpec
from tui.widgets.form import FieldSpec, FormScreen


def _text(key: str) -> Any:
    return lambda row: Text(str(row.get(key) or ""))


def _channels(row: dict[str, Any]) -> Text:
    return Text(", ".join(row.get("channels") or []))


LIST_COLUMNS = [
    Column("name", label_key="field.staff_name", render=_text("name")),
    Column("post", render=_text("post")),
    Column("email", render=_text("email")),
    Column("language"),
    Column("channels", render=_channels),
    Column("role", kind="staff_role"),
    Column("active"),
]
DETAIL_FIELDS = [
    *LIST_COLUMNS,
    Column("login", render=_text("login")),
    Column("phone"),
    Column("webhook_url", render=_text("webhook_url")),
    Column("webhook_kind"),
    Column("notes", render=_text("notes")),
    Column("version"),
]


def assignee_choices(office: Any, written: str = "") -> list[Choice]:
    """Whom a ticket or petition may be assigned to: the active staff (by id, so two people
    of one name stay apart), then ``written``, the name the record holds now, when it is
    no active person's (ledger refuses it beside the field, naming why). Runs in a worker."""
    people = svc.list_staff(office, svc.StaffFilter(active=True), limit=None)
    choices = [Choice(str(p["id"]), f"{p['name']} · {p['post']}" if p["post"] else p["name"])
               for p in people]
    if written and written not in {p["name"] for p in people}:
        choices.append(Choice(written, t("tui.staff.as_written", name=written)))
    return choices


def assignee_field(name: str, choices: list[Choice], **options: Any) -> FieldSpec:
    """The assign step's person: a choice among ``choices`` (free text while there are
    none, e.g. before the staff directory is filled)."""
    if choices:
        return FieldSpec(name, kind="choice", choices=choices, **options)
    return FieldSpec(name, **options)


# Languages by their own names: each person reads the one they chose.
LANGUAGE_CHOICES = [Choice("zh", "中文"), Choice("en", "English")]


def form_fields(*, editing: bool = False) -> list[FieldSpec]:
    """The fields of the add and edit forms. Editing, the phone starts blank (the stored one
    is masked): left blank it is kept."""
    return [
        FieldSpec("name", label_key="field.staff_name", required=True, max_length=60),
        FieldSpec("post", max_length=60),
        FieldSpec("phone", placeholder_key="tui.form.keep_hint" if editing else None),
        FieldSpec("email", max_length=200),
        FieldSpec("language", kind="choice", choices=LANGUAGE_CHOICES),
        FieldSpec("channels", placeholder_key="tui.staff.channels_hint"),
        FieldSpec("webhook_url", max_length=500),
        FieldSpec("webhook_kind", kind="choice", codes=svc.WEBHOOK_KINDS),
        # Left blank: no role. Only a supervisor changes roles (ledger.access refuses others).
        FieldSpec("role", kind="choice", codes=svc.ROLES, value_kind="staff_role"),
        FieldSpec("login", max_length=100),
        FieldSpec("notes", kind="multiline"),
    ]


def _shape(record: dict[str, Any]) -> dict[str, Any]:
    """A staff dict in the form's shape: channels as the text typed, no (masked) phone."""
    return {**{k: v for k, v in record.items() if k != "phone"},
            "channels": ",".join(record.get("channels") or [])}


def open_add_form(screen: LedgerScreen, on_done: Any) -> None:
    office = screen.office

    def save(values: dict[str, Any]) -> dict[str, Any]:
        return svc.add_staff(office, **values)

    def saved(result: dict[str, Any] | None) -> None:
        if result is not None:
            screen.notify(t("staff.added", name=result["name"]), markup=False)
            on_done(result)

    screen.app.push_screen(
        # Language and webhook kind left unchosen take ledger's defaults (Chinese, generic).
        FormScreen(t("tui.staff.add_title"), form_fields(), submit=save),
        callback=saved)


def open_edit_form(screen: LedgerScreen, person: dict[str, Any], on_done: Any) -> None:
    """Only the changed fields go to ``edit_staff``, with the version the form was opened
    on."""
    office, staff_id = screen.office, person["id"]

    def save(changes: dict[str, Any]) -> dict[str, Any]:
        return svc.edit_staff(office, staff_id, **changes)  # with the form's version

    def saved(result: dict[str, Any] | None) -> None:
        if result is not None:
            screen.notify(t("staff.updated", name=result["name"]), markup=False)
            on_done(result)

    screen.app.push_screen(
        FormScreen(t("tui.staff.edit_title", name=person["name"]), form_fields(editing=True),
                   submit=save, initial=_shape(person), only_changed=True,
                   version=person["version"],
                   reload=lambda: _shape(svc.get_staff(office, staff_id))),
        callback=saved)


def confirm_retire(screen: LedgerScreen, person: dict[str, Any], on_done: Any) -> None:
    """Ask, then retire the person as the clerk saw them (their version): a record changed
    meanwhile is refused and said so, not retired blindly."""
    if not person.get("active", True):
        screen.notify(t("tui.staff.already_retired", name=person["name"]), markup=False)
        return
    office, staff_id, version = screen.office, person["id"], person["version"]

    def retired(result: dict[str, Any]) -> None:
        screen.notify(t("staff.retired", name=result["name"]), markup=False)
        on_done(result)

    def answered(yes: bool | None) -> None:
        if yes:
            run_db(screen, lambda: svc.retire_staff(office, staff_id, version=version),
                   retired)

    screen.app.push_screen(
        ConfirmDialog(t("tui.staff.confirm_retire", name=person["name"])), callback=answered)


class StaffScreen(ListScreen):
    """Active staff, by name; Enter opens one; add, edit and retire from the list."""

    TITLE_KEY = "tui.screen.staff"
    AREA = "staff"
    COLUMNS = LIST_COLUMNS
    FILTER = svc.StaffFilter
    SEARCH_HINT = "tui.staff.search_hint"
    NONE_SELECTED = "tui.staff.none_selected"

    BINDINGS = [
        bind("a", "add", "tui.key.add"),
        bind("e", "edit", "tui.key.edit"),
        bind("x", "retire", "tui.key.retire"),
    ]

    def fetch(self, filters: Any, offset: int, limit: int) -> list[dict[str, Any]]:
        return svc.list_staff(self.office, filters, offset=offset, limit=limit)

    def count(self, filters: Any) -> int:
        return svc.count_staff(self.office, filters)

    def filter_specs(self) -> list[FilterSpec]:
        return []

    def filters_from(self, values: dict[str, Any]) -> svc.StaffFilter:
        return svc.StaffFilter(search=values.get("search"))

    def detail_screen(self, row: dict[str, Any]) -> StaffRecordScreen:
        return StaffRecordScreen(self.office, row["id"])

    def find_records(self, text: str, limit: int) -> list[dict[str, Any]]:
        # The palette finds a person by id as well as by name.
        found = by_id(lambda ident: svc.get_staff(self.office, ident), text)
        return found + svc.list_staff(self.office, svc.StaffFilter(search=text), limit=limit)

    def action_add(self) -> None:
        open_add_form(self, on_done=lambda row: self.table.reload(select=row["id"]))

    def action_edit(self) -> None:
        row = self.selected()
        if row is not None:
            open_edit_form(self, row, on_done=lambda _r: self.table.reload())

    def action_retire(self) -> None:
        row = self.selected()
        if row is not None:
            confirm_retire(self, row, on_done=lambda _r: self.table.reload())


class StaffRecordScreen(RecordScreen):
    TITLE_KEY = "tui.screen.staff"
    FIELDS = DETAIL_FIELDS
    ENTITY = "staff"

    BINDINGS = [
        bind("e", "edit", "tui.key.edit"),
        bind("x", "retire", "tui.key.retire"),
        bind("r", "reveal", "tui.key.reveal"),
    ]

    def action_edit(self) -> None:
        if self.record is not None:
            open_edit_form(self, self.record, on_done=lambda _r: self.reload())

    def action_retire(self) -> None:
        if self.record is not None:
            confirm_retire(self, self.record, on_done=lambda _r: self.reload())

    def load_record(self, reveal: bool) -> dict[str, Any]:
        return svc.get_staff(self.office, self.record_id, reveal=reveal)

    def record_title(self, record: dict[str, Any]) -> str:
        return str(record["name"])
