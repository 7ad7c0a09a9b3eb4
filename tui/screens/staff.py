"""Staff (工作人员): the office's people in name order, and one person's record with its
journal. Adding and editing go through ``jiedao staff`` for now; everything is read through
``ledger.staff``."""

from __future__ import annotations

from typing import Any

from rich.text import Text

from ledger import staff as svc
from tui.bindings import bind
from tui.screens.base import ListScreen, RecordScreen
from tui.widgets.columns import Column
from tui.widgets.filter_bar import FilterSpec


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
    Column("active"),
]
DETAIL_FIELDS = [
    *LIST_COLUMNS,
    Column("phone"),
    Column("webhook_url", render=_text("webhook_url")),
    Column("webhook_kind"),
    Column("notes", render=_text("notes")),
    Column("version"),
]


class StaffScreen(ListScreen):
    """Active staff, by name; Enter opens one."""

    TITLE_KEY = "tui.screen.staff"
    AREA = "staff"
    COLUMNS = LIST_COLUMNS
    FILTER = svc.StaffFilter
    SEARCH_HINT = "tui.staff.search_hint"

    BINDINGS = [
        bind("slash", "search", "tui.key.search", key_display="/"),
        bind("ctrl+r", "reload", "tui.key.reload"),
        bind("escape", "focus_list", "tui.key.to_list", show=False),
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


class StaffRecordScreen(RecordScreen):
    TITLE_KEY = "tui.screen.staff"
    FIELDS = DETAIL_FIELDS
    ENTITY = "staff"

    def load_record(self, reveal: bool) -> dict[str, Any]:
        return svc.get_staff(self.office, self.record_id, reveal=reveal)

    def record_title(self, record: dict[str, Any]) -> str:
        return str(record["name"])
