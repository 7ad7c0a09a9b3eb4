"""A record's timeline, as ``ledger.timeline.timeline(office, entity, id)`` built it.

Each entry shows its time (the office's time zone), the operator, the step or action, and
for a change the fields that changed (``education: associate → bachelor``). Ledger decides
what an entry says and whether personal data in it is masked (masked unless the screen
revealed it); this widget only draws it, every value as literal text.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from rich.text import Text
from textual.widgets import Static

from ledger.i18n import t


def entry_text(entry: dict[str, Any], *, show_entity: bool = False) -> Text:
    """One entry: a heading line and one line per change."""
    text = Text()
    text.append(entry["when"], style="bold")
    text.append("  ")
    text.append(str(entry.get("operator") or ""), style="italic")
    text.append("  ")
    heading = entry["heading"]
    if show_entity:
        heading = f"{entry['entity_label']} {heading}"
    text.append(heading, style="bold")
    if entry.get("note"):
        text.append(f"  ({entry['note']})")
    for change in entry.get("changes", ()):
        text.append("\n    ")
        text.append(change["label"], style="dim")
        text.append(": ")
        if entry.get("created"):
            text.append(change["after"])
        else:
            text.append(change["before"])
            text.append(" → ")
            text.append(change["after"])
    return text


class Timeline(Static):
    """The entries of a record's timeline, in the order given (ledger: newest first)."""

    DEFAULT_CSS = """
    Timeline { height: auto; padding: 0 1; }
    """

    def __init__(self, *, id: str | None = None,  # noqa: A002
                 classes: str | None = None) -> None:
        super().__init__("", id=id, classes=classes)
        self.entries: list[dict[str, Any]] = []

    def set_entries(self, entries: Iterable[dict[str, Any]], *, show_entity: bool = False
                    ) -> None:
        self.entries = list(entries)
        if not self.entries:
            self.update(Text(t("tui.timeline.empty"), style="dim"))
            return
        text = Text()
        for index, entry in enumerate(self.entries):
            if index:
                text.append("\n")
            text.append_text(entry_text(entry, show_entity=show_entity))
        self.update(text)
