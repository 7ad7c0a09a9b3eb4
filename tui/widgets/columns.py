"""How a value of a record dict becomes text: columns of lists, rows of detail views.

Values are formatted by ``ledger.display`` (the command line formats them alike) and become
``rich.text.Text``: what a user typed is shown literally, never read as markup.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from rich.cells import cell_len
from rich.text import Text

from ledger import display
from ledger.display import Zone
from ledger.i18n import field_label, t

# How a deadline state colours a cell (tickets' and petitions' lists alike).
DEADLINE_STYLE = {"overdue": "bold red", "due_soon": "yellow", "ok": "green"}


def literal(value: Any, style: str = "") -> Text:
    """Text shown exactly as it is: a user's ``[b]`` is two brackets and a letter, never
    markup. Every string a widget shows goes through here or is a ``Text`` already."""
    return value if isinstance(value, Text) else Text(str(value), style=style)


def fitted_width(header: Text, cells: Iterable[Text]) -> int:
    """A column as wide as its widest text (header or cell, each line of it). A table filled
    all at once says so as it adds the column: a DataTable left to measure new rows when
    idle was drawn, on a busy machine, with its columns cut to their headers."""
    return max(cell_len(part) for text in (header, *cells) for part in text.plain.split("\n"))


def format_value(value: Any, *, kind: str | None = None, zone: Zone = None) -> str:
    """Display text for one value (``ledger.display``: the command line shows it alike)."""
    return display.text(value, kind=kind, zone=zone)


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

    def text(self, row: dict[str, Any], zone: Zone = None) -> Text:
        """The cell for ``row``, as literal text (``zone``: where instants are shown)."""
        if self.render is not None:
            return literal(self.render(row))
        return Text(format_value(row.get(self.key), kind=self.kind, zone=zone))
