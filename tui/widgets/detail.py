"""A record's fields as label/value lines.

    view = DetailView([Column("name"), Column("education", kind="education"), ...])
    view.show(record)        # the dict a ledger get_X function returned

Values are formatted like the list's columns (:mod:`tui.widgets.columns`), so coded values,
dates and booleans read the same everywhere. Pair it with a
:class:`~tui.widgets.timeline.Timeline` for the record's journal (see
``tui.screens.base.RecordScreen``, which does both), and a :class:`RowsTable` for rows that
belong to the record (a member's terms, a petition's petitioners).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from rich.table import Table
from rich.text import Text
from textual.widgets import DataTable, Static

from ledger.display import Zone
from tui.widgets.columns import Column, fitted_width


class DetailView(Static):
    """Label/value pairs for one record dict."""

    DEFAULT_CSS = """
    DetailView { height: auto; padding: 0 1; }
    """

    def __init__(self, fields: Sequence[Column], *, id: str | None = None,  # noqa: A002
                 classes: str | None = None) -> None:
        super().__init__("", id=id, classes=classes)
        self.fields = list(fields)
        self.record: dict[str, Any] | None = None
        self.zone: Zone = None

    def show(self, record: dict[str, Any], *, zone: Zone = None) -> None:
        """Show ``record``; ``zone`` (the office's clock) is where its instants are shown."""
        self.record = record
        self.zone = zone
        grid = Table.grid(padding=(0, 2))
        grid.add_column(style="dim", no_wrap=True)
        grid.add_column()
        for column in self.fields:
            value = column.text(record, zone)
            grid.add_row(Text(column.label), value if value.plain else Text("—"))
        self.update(grid)

    def value_text(self, key: str) -> str:
        """The text shown for ``key`` (tests and screens read it back)."""
        if self.record is None:
            return ""
        for column in self.fields:
            if column.key == key:
                return column.text(self.record, self.zone).plain
        return ""


class RowsTable(DataTable[Any]):
    """Rows that belong to a record (a member's terms, a petition's deadlines): the given
    columns, and ``show(rows)`` replaces what it holds."""

    def __init__(self, columns: Sequence[Column], *, row_key: str | None = None,
                 id: str | None = None, classes: str | None = None) -> None:  # noqa: A002
        super().__init__(id=id, classes=classes, cursor_type="row", zebra_stripes=True)
        self.fields = list(columns)
        self.row_key = row_key

    def on_mount(self) -> None:
        if not self.columns:
            self._add_columns([])

    def _add_columns(self, lines: Sequence[Sequence[Text]]) -> None:
        for index, column in enumerate(self.fields):
            label = Text(column.label)
            width = column.width or fitted_width(label, (line[index] for line in lines))
            self.add_column(label, key=column.key, width=width)

    def show(self, rows: Sequence[dict[str, Any]], *, zone: Zone = None) -> None:
        lines = [[c.text(row, zone) for c in self.fields] for row in rows]
        self.clear(columns=True)
        self._add_columns(lines)
        for row, line in zip(rows, lines, strict=True):
            self.add_row(*line, key=None if self.row_key is None else str(row[self.row_key]))
