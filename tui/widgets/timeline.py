"""A record's journal as a timeline: when, who, what, and what changed.

Feed it the dicts of ``ledger.journal.history(office, entity, id)`` (several records' histories
may be merged, e.g. a member and their terms): each entry shows its local time (the office's
time zone), the operator, the action, and for an update only the fields that changed
(``education: associate → bachelor``). ID numbers and phones in old entries are masked: the
timeline is not a way round the reveal action.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from typing import Any

from rich.text import Text
from textual.widgets import Static

from ledger.i18n import catalogue, entity_label, field_label, t
from ledger.people import mask_id_number, mask_phone
from tui.widgets.columns import list_separator

# Journal fields that identify rather than describe: not worth a line in a timeline.
_SKIPPED = {"id", "person_id", "village_id", "election_id", "name_initials", "name_pinyin"}
_MASKS: dict[str, Callable[[str | None], str]] = {
    "id_number": mask_id_number, "phone": mask_phone}


def action_label(action: str) -> str:
    key = f"action.{action}"
    return t(key) if key in catalogue() else action


def show_value(name: str, value: Any) -> str:
    """A journaled value (JSON: dates are ISO strings) as text, coded values by name."""
    if value is None or value == "":
        return "—"
    if name in _MASKS and isinstance(value, str):
        return _MASKS[name](value)
    if isinstance(value, bool):
        return t("tui.yes") if value else t("tui.no")
    if isinstance(value, list):
        return list_separator().join(show_value(name, v) for v in value) or "—"
    if isinstance(value, dict):
        return ", ".join(f"{field_label(k)}={show_value(k, v)}" for k, v in value.items())
    text = str(value)
    # Coded values are journaled as codes; show the name when the catalogue knows one.
    key = f"value.{name}.{text}"
    return t(key) if key in catalogue() else text


def changes(before: dict[str, Any] | None, after: dict[str, Any] | None
            ) -> list[tuple[str, Any, Any]]:
    """``(field, old, new)`` for every field whose value differs (a create: every set field)."""
    old = before if isinstance(before, dict) else {}
    new = after if isinstance(after, dict) else {}
    out: list[tuple[str, Any, Any]] = []
    for name in list(old) + [k for k in new if k not in old]:
        if name in _SKIPPED:
            continue
        a, b = old.get(name), new.get(name)
        if a == b or (a in (None, "", []) and b in (None, "", [])):
            continue
        if before is None and b in (None, "", [], False):
            continue  # a new record: list what was given, not every empty field
        out.append((name, a, b))
    return out


def entry_lines(entry: dict[str, Any], to_local: Callable[[dt.datetime], dt.datetime],
                *, show_entity: bool = False) -> Text:
    """One journal entry as rich text: a heading line and one line per change."""
    at = to_local(entry["at"]).strftime("%Y-%m-%d %H:%M")
    text = Text()
    text.append(at, style="bold")
    text.append("  ")
    text.append(str(entry.get("operator", "")), style="italic")
    text.append("  ")
    heading = action_label(str(entry.get("action", "")))
    if show_entity:
        heading = f"{entity_label(str(entry.get('entity', '')))} {heading}"
    text.append(heading, style="bold")
    if entry.get("note"):
        text.append(f"  ({entry['note']})")
    for name, old, new in changes(entry.get("before"), entry.get("after")):
        text.append("\n    ")
        text.append(field_label(name), style="dim")
        text.append(": ")
        if entry.get("before") is None:
            text.append(show_value(name, new))
        else:
            text.append(show_value(name, old))
            text.append(" → ")
            text.append(show_value(name, new))
    return text


class Timeline(Static):
    """The journal entries of one or more records, newest first."""

    DEFAULT_CSS = """
    Timeline { height: auto; padding: 0 1; }
    """

    def __init__(self, *, to_local: Callable[[dt.datetime], dt.datetime] | None = None,
                 newest_first: bool = True, id: str | None = None,  # noqa: A002
                 classes: str | None = None) -> None:
        super().__init__("", id=id, classes=classes)
        self._to_local = to_local or (lambda instant: instant)
        self._newest_first = newest_first
        self.entries: list[dict[str, Any]] = []

    def set_entries(self, entries: Iterable[dict[str, Any]], *, show_entity: bool = False
                    ) -> None:
        """Show these journal dicts (any order: they are sorted by time, then id)."""
        self.entries = sorted(entries, key=lambda e: (e["at"], e.get("id", 0)),
                              reverse=self._newest_first)
        if not self.entries:
            self.update(Text(t("tui.timeline.empty"), style="dim"))
            return
        text = Text()
        for index, entry in enumerate(self.entries):
            if index:
                text.append("\n")
            text.append_text(entry_lines(entry, self._to_local, show_entity=show_entity))
        self.update(text)
