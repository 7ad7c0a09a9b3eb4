"""How a value of a record dict becomes text: columns of lists, rows of detail views.

Formatting is shared so a list and a detail view show the same value the same way.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from rich.text import Text

from ledger.i18n import field_label, get_language, t, value_label

# How a deadline state colours a cell (tickets' and petitions' lists alike).
DEADLINE_STYLE = {"overdue": "bold red", "due_soon": "yellow", "ok": "green"}


def list_separator() -> str:
    """Between items of a list value: 、 in Chinese, a comma in English."""
    return "、" if get_language() == "zh" else ", "


def format_value(value: Any, *, kind: str | None = None) -> str:
    """Display text for one value. ``kind`` names a coded value's kind (``education``)."""
    if value is None or value == "":
        return ""
    if isinstance(value, bool):
        return t("tui.yes") if value else t("tui.no")
    if kind is not None:
        if isinstance(value, list | tuple):
            return list_separator().join(value_label(kind, str(v)) for v in value)
        return value_label(kind, str(value))
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return list_separator().join(format_value(v) for v in value)
    if isinstance(value, dict):
        return ", ".join(f"{field_label(k)}={format_value(v)}" for k, v in value.items())
    return str(value)


@dataclass(frozen=True)
class Column:
    """One column of a :class:`~tui.widgets.paged_table.PagedTable`.

    ``key`` is the record dict's key; the header is ``field_label(key)`` unless ``label_key``
    names another catalogue message; ``kind`` shows coded values through ``value_label``;
    ``render`` overrides everything (it receives the whole row and may return a rich
    ``Text`` for colour, e.g. a countdown that turns red when overdue).
    """

    key: str
    label_key: str | None = None
    kind: str | None = None
    width: int | None = None
    render: Callable[[dict[str, Any]], str | Text] | None = None

    @property
    def label(self) -> str:
        return t(self.label_key) if self.label_key else field_label(self.key)

    def text(self, row: dict[str, Any]) -> str | Text:
        if self.render is not None:
            return self.render(row)
        return format_value(row.get(self.key), kind=self.kind)
