"""Villages (村): every village in code order with its members in office, one village's
record with its journal, and the add and edit forms (an edit carries the record's version:
a stale one shows the conflict dialog). From a village, ``m``, ``t`` and ``p`` open its
members, open tickets and open petitions. Everything goes through ``ledger.villages``."""

from __future__ import annotations

from typing import Any

from rich.text import Text

from ledger import villages as svc
from ledger.i18n import t
from tui.bindings import bind
from tui.screens.base import LedgerScreen, ListScreen, RecordScreen
from tui.widgets.columns import Column
from tui.widgets.filter_bar import FilterSpec
from tui.widgets.form import FieldSpec, FormScreen


def _text(key: str) -> Any:
    return lambda row: Text(str(row.get(key) or ""))


LIST_COLUMNS = [
    Column("code", render=_text("code")),
    Column("name", render=_text("name")),
    Column("relocation_status", kind="relocation_status"),
    Column("active_members"),
]
DETAIL_FIELDS = [
    *LIST_COLUMNS,
    Column("people"),
    Column("notes", render=_text("notes")),
    Column("version"),
]


def form_fields() -> list[FieldSpec]:
    return [
        FieldSpec("name", required=True, max_length=60),
        FieldSpec("code", required=True, max_length=20),
        FieldSpec("relocation_status", kind="choice", codes=svc.RELOCATION_STATUSES),
        FieldSpec("notes", kind="multiline"),
    ]


def open_add_form(screen: LedgerScreen, on_done: Any) -> None:
    office = screen.office

    def save(values: dict[str, Any]) -> dict[str, Any]:
        # A status left unchosen is ledger's default (not affected).
        return svc.add_village(office, **{k: v for k, v in values.items() if v != ""})

    def saved(result: dict[str, Any] | None) -> None:
        if result is not None:
            screen.notify(t("villages.added", name=result["name"], code=result["code"]),
                          markup=False)
            on_done(result)

    screen.app.push_screen(FormScreen(t("tui.villages.add_title"), form_fields(), submit=save),
                           callback=saved)


def open_edit_form(screen: LedgerScreen, village: dict[str, Any], on_done: Any) -> None:
    """Only the changed fields go to ``edit_village``, with the version the form was opened
    on."""
    office, village_id = screen.office, village["id"]

    def save(changes: dict[str, Any]) -> dict[str, Any]:
        return svc.edit_village(office, village_id, **changes)

    def saved(result: dict[str, Any] | None) -> None:
        if result is not None:
            screen.notify(t("villages.updated", name=result["name"], code=result["code"]),
                          markup=False)
            on_done(result)

    screen.app.push_screen(
        FormScreen(t("tui.villages.edit_title", name=village["name"]), form_fields(),
                   submit=save, initial=village, only_changed=True,
                   version=village["version"],
                   reload=lambda: svc.get_village(office, village_id)),
        callback=saved)


class VillagesScreen(ListScreen):
    """The villages by code; Enter opens one; add and edit from the list."""

    TITLE_KEY = "tui.screen.villages"
    AREA = "villages"
    COLUMNS = LIST_COLUMNS
    FILTER = dict  # villages have no filters: an office has a few dozen
    SEARCH = False
    NONE_SELECTED = "tui.villages.none_selected"

    BINDINGS = [
        bind("a", "add", "tui.key.add"),
        bind("e", "edit", "tui.key.edit"),
        bind("ctrl+r", "reload", "tui.key.reload"),
    ]

    def fetch(self, filters: Any, offset: int, limit: int) -> list[dict[str, Any]]:
        return svc.list_villages(self.office, offset=offset, limit=limit)

    def count(self, filters: Any) -> int:
        return svc.count_villages(self.office)

    def filter_specs(self) -> list[FilterSpec]:
        return []

    def filters_from(self, values: dict[str, Any]) -> dict[str, Any]:
        return {}

    def detail_screen(self, row: dict[str, Any]) -> VillageRecordScreen:
        return VillageRecordScreen(self.office, row["id"])

    def action_add(self) -> None:
        open_add_form(self, on_done=lambda row: self.table.reload(select=row["id"]))

    def action_edit(self) -> None:
        row = self.selected()
        if row is not None:
            open_edit_form(self, row, on_done=lambda _r: self.table.reload())


class VillageRecordScreen(RecordScreen):
    """One village: its fields and journal; its members, open tickets and open petitions
    are a key away (the lists, filtered by the village)."""

    TITLE_KEY = "tui.screen.villages"
    FIELDS = DETAIL_FIELDS
    ENTITY = "village"

    BINDINGS = [
        bind("e", "edit", "tui.key.edit"),
        bind("m", "open_list('members')", "tui.villages.its_members"),
        bind("t", "open_list('tickets')", "tui.villages.its_tickets"),
        bind("p", "open_list('petitions')", "tui.villages.its_petitions"),
    ]

    def load_record(self, reveal: bool) -> dict[str, Any]:
        return svc.get_village(self.office, self.record_id)

    def record_title(self, record: dict[str, Any]) -> str:
        return f"{record['code']} {record['name']}"

    def action_edit(self) -> None:
        if self.record is not None:
            open_edit_form(self, self.record, on_done=lambda _r: self.reload())

    def action_open_list(self, area: str) -> None:
        if self.record is None:
            return
        filters: dict[str, Any] = {"village": self.record["code"]}
        if area != "members":
            filters["state"] = "open"
        self.app.show_filtered(area, **filters)  # type: ignore[attr-defined]
