"""A person's reminder as text, in the person's language: the digest on stdout, the body of
an email, the content of a robot message."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from ledger import i18n
from ledger.display import date_text


@contextmanager
def in_language(lang: str) -> Iterator[None]:
    """Speak ``lang`` for a while: each recipient reads their own language."""
    before = i18n.get_language()
    i18n.set_language(lang or before)
    try:
        yield
    finally:
        i18n.set_language(before)


# What would break a line of the digest: a name holding one would start a line of its own
# (in an email, a forged "overdue" line). Shown as an escape instead; the record is unchanged.
_LINE_BREAKS = re.compile("[\r\n\x0b\x0c\x1c-\x1e\x85\u2028\u2029]")
_SHOWN = {"\r": "\\r", "\n": "\\n"}


def one_line(value: Any) -> str:
    """``value`` as text that stays on its line of the digest."""
    text = "" if value is None else str(value)
    if not _LINE_BREAKS.search(text):
        return text
    return _LINE_BREAKS.sub(lambda m: _SHOWN.get(m.group(), f"\\u{ord(m.group()):04x}"),
                            text)


def counts(items: list[dict[str, Any]]) -> tuple[int, int]:
    overdue = sum(1 for i in items if i["state"] == "overdue")
    return overdue, len(items) - overdue


def _deadline_label(item: dict[str, Any]) -> str:
    if item["kind"] == "ticket":
        return i18n.t("remind.deadline.ticket_due")
    return i18n.value_label("petition_deadline", item["deadline_kind"])


def subject(office_name: str, items: list[dict[str, Any]], lang: str) -> str:
    overdue, soon = counts(items)
    with in_language(lang):
        return i18n.t("remind.subject", office=office_name, overdue=overdue, due_soon=soon)


def body(person: dict[str, Any], items: list[dict[str, Any]], day: Any, lang: str) -> str:
    overdue, soon = counts(items)
    with in_language(lang):
        lines = [i18n.t("remind.heading", name=one_line(person["name"]), day=date_text(day),
                        overdue=overdue, due_soon=soon)]
        for item in items:
            note = ""
            if item["reason"] == "escalated":
                note = i18n.t("remind.note.escalated", days=item["overdue_working_days"],
                              who=one_line(item["responsible"]) or "—")
            elif item["reason"] in ("unassigned", "unmatched", "retired"):
                note = i18n.t(f"remind.note.{item['reason']}",
                              who=one_line(item["responsible"]))
            lines.append(i18n.t(
                "remind.line", state=i18n.t(f"remind.state.{item['state']}"),
                number=item["number"], deadline=date_text(item["deadline"]),
                kind=_deadline_label(item), title=one_line(item["title"]),
                note=note).rstrip())
    return "\n".join(lines)
