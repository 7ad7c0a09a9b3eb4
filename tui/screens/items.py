"""Proxy service items (代办事项): the catalogue the office runs errands for, with each
item's time limit, level, materials and fee; one item's record with its journal; the add and
edit forms (an edit carries the record's version) and retiring an item (its tickets stay).
Everything goes through ``ledger.items``."""

from __future__ import annotations

from typing import Any

from rich.text import Text

from ledger import items as svc
from ledger.i18n import t
from tui.bindings import bind
from tui.dbwork import run_db
from tui.screens.base import LedgerScreen, ListScreen, RecordScreen
from tui.widgets.columns import Column
from tui.widgets.confirm import ConfirmDialog
from tui.widgets.filter_bar import Choice, FilterSpec
from tui.widgets.form import FieldSpec, FormScreen


def _text(key: str) -> Any:
    return lambda row: Text(str(row.get(key) or ""))


def _limit(row: dict[str, Any]) -> str:
    return svc.time_limit_label(row["time_limit_days"])


def _fee(row: dict[str, Any]) -> Text:
    return Text(row.get("fee") or t("item.free"))


def _materials(row: dict[str, Any]) -> Text:
    return Text("、".join(row.get("materials") or []))


LIST_COLUMNS = [
    Column("code", render=_text("code")),
    Column("name", render=_text("name")),
    Column("category", render=_text("category")),
    Column("level", kind="item_level"),
    Column("time_limit_days", render=_limit),
    Column("fee", render=_fee),
    Column("tickets"),
    Column("active", label_key="field.offered"),
]
DETAIL_FIELDS = [
    *LIST_COLUMNS[:3],
    Column("track", kind="item_track"),
    *LIST_COLUMNS[3:6],
    Column("materials", render=_materials),
    *LIST_COLUMNS[6:],
    Column("notes", render=_text("notes")),
    Column("version"),
]

# The list's status filter: offered (the default), retired, or every item.
STATUS = {"active": True, "retired": False, "all": None}


def form_fields(*, editing: bool = False) -> list[FieldSpec]:
    """The add and edit forms. A code left blank on a new item is given the track's next
    one (ledger's rule)."""
    return [
        FieldSpec("name", required=True, max_length=100),
        FieldSpec("category", required=True, max_length=30),
        FieldSpec("level", kind="choice", required=True, codes=svc.LEVELS,
                  value_kind="item_level"),
        FieldSpec("time_limit_days", required=True),
        FieldSpec("materials", placeholder_key="tui.items.materials_hint"),
        FieldSpec("fee", placeholder_key="tui.items.fee_hint"),
        FieldSpec("track", kind="choice", codes=svc.TRACKS, value_kind="item_track"),
        FieldSpec("code", required=editing, max_length=20),
        FieldSpec("notes", kind="multiline"),
    ]


def _shape(item: dict[str, Any]) -> dict[str, Any]:
    """An item dict in the form's shape: the materials as one line."""
    return {**item, "materials": "、".join(item.get("materials") or []),
            "time_limit_days": str(item["time_limit_days"])}


def open_add_form(screen: LedgerScreen, on_done: Any) -> None:
    office = screen.office

    def save(values: dict[str, Any]) -> dict[str, Any]:
        # Left blank: ledger's defaults (the track's next code, residents' track, free).
        return svc.add_item(office, **{k: v for k, v in values.items() if v != ""})

    def saved(result: dict[str, Any] | None) -> None:
        if result is not None:
            screen.notify(t("item.created", code=result["code"], name=result["name"]),
                          markup=False)
            on_done(result)

    screen.app.push_screen(FormScreen(t("tui.items.add_title"), form_fields(), submit=save),
                           callback=saved)


def open_edit_form(screen: LedgerScreen, item: dict[str, Any], on_done: Any) -> None:
    """Only the changed fields go to ``edit_item`` (a new time limit holds for tickets opened
    from now on), with the version the form was opened on."""
    office, item_id = screen.office, item["id"]

    def save(changes: dict[str, Any]) -> dict[str, Any]:
        return svc.edit_item(office, item_id, **changes)

    def saved(result: dict[str, Any] | None) -> None:
        if result is not None:
            screen.notify(t("item.updated", code=result["code"], name=result["name"]),
                          markup=False)
            on_done(result)

    screen.app.push_screen(
        FormScreen(t("tui.items.edit_title", name=item["name"]), form_fields(editing=True),
                   submit=save, initial=_shape(item), only_changed=True,
                   version=item["version"],
                   reload=lambda: _shape(svc.get_item(office, item_id))),
        callback=saved)


def confirm_retire(screen: LedgerScreen, item: dict[str, Any], on_done: Any) -> None:
    """Ask, then retire the item as the clerk saw it (its version)."""
    if not item.get("active", True):
        screen.notify(t("error.item_already_retired", item=item["name"]), markup=False)
        return
    office, item_id, version = screen.office, item["id"], item["version"]

    def retired(result: dict[str, Any]) -> None:
        screen.notify(t("item.retired", code=result["code"], name=result["name"]),
                      markup=False)
        on_done(result)

    def answered(yes: bool | None) -> None:
        if yes:
            run_db(screen, lambda: svc.retire_item(office, item_id, version=version), retired)

    screen.app.push_screen(
        ConfirmDialog(t("tui.items.confirm_retire", code=item["code"], name=item["name"])),
        callback=answered)


class ItemsScreen(ListScreen):
    """The offered items by track and code; Enter opens one; add, edit and retire."""

    TITLE_KEY = "tui.screen.items"
    AREA = "items"
    COLUMNS = LIST_COLUMNS
    FILTER = svc.ItemFilter
    SEARCH_HINT = "tui.items.search_hint"
    NONE_SELECTED = "tui.items.none_selected"

    BINDINGS = [
        bind("a", "add", "tui.key.add"),
        bind("e", "edit", "tui.key.edit"),
        bind("x", "retire", "tui.items.key_retire"),
        bind("slash", "search", "tui.key.search", key_display="/"),
        bind("ctrl+r", "reload", "tui.key.reload"),
        bind("escape", "focus_list", "tui.key.to_list", show=False),
    ]

    def fetch(self, filters: Any, offset: int, limit: int) -> list[dict[str, Any]]:
        return svc.list_items(self.office, filters, offset=offset, limit=limit)

    def count(self, filters: Any) -> int:
        return svc.count_items(self.office, filters)

    def filter_specs(self) -> list[FilterSpec]:
        return [
            FilterSpec("track", "field.track", codes=svc.TRACKS, kind="item_track"),
            FilterSpec("level", "field.level", codes=svc.LEVELS, kind="item_level"),
            FilterSpec("status", "field.offered", default="active", allow_blank=False,
                       choices=[Choice("active", t("tui.items.offered")),
                                Choice("retired", t("tui.items.retired")),
                                Choice("all", t("tui.filter.all"))]),
        ]

    def filters_from(self, values: dict[str, Any]) -> svc.ItemFilter:
        return svc.ItemFilter(track=values.get("track"), level=values.get("level"),
                              active=STATUS[values.get("status") or "active"],
                              search=values.get("search"))

    def detail_screen(self, row: dict[str, Any]) -> ItemRecordScreen:
        return ItemRecordScreen(self.office, row["id"])

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


class ItemRecordScreen(RecordScreen):
    TITLE_KEY = "tui.screen.items"
    FIELDS = DETAIL_FIELDS
    ENTITY = "item"

    BINDINGS = [
        bind("e", "edit", "tui.key.edit"),
        bind("x", "retire", "tui.items.key_retire"),
        bind("t", "tickets", "tui.items.its_tickets"),
    ]

    def load_record(self, reveal: bool) -> dict[str, Any]:
        return svc.get_item(self.office, self.record_id)

    def record_title(self, record: dict[str, Any]) -> str:
        return f"{record['code']} {record['name']}"

    def action_edit(self) -> None:
        if self.record is not None:
            open_edit_form(self, self.record, on_done=lambda _r: self.reload())

    def action_retire(self) -> None:
        if self.record is not None:
            confirm_retire(self, self.record, on_done=lambda _r: self.reload())

    def action_tickets(self) -> None:
        if self.record is not None:
            self.app.show_filtered(  # type: ignore[attr-defined]
                "tickets", item=self.record["code"])
