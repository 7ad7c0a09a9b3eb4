"""A record's timeline, ready to show: when, who, what, and what changed.

    timeline(office, "member", 12)                  # the member's and their terms' journal
    timeline(office, "ticket", 7)                   # the ticket's steps and its reveals
    timeline(office, "petition", 5, reveal=True)    # personal data in old entries shown

Each entry (newest first) is a dict of text a face draws as it is::

    {"at": aware UTC instant, "when": "2026-11-27 18:00" (the office's time zone),
     "operator": "clerk", "entity": "term", "entity_label": "任职", "action": "update",
     "heading": "修改", "note": "", "created": False,
     "changes": [{"field": "education", "label": "学历", "before": "大专", "after": "本科"}]}

Most records' timeline is their journal. A record with a procedure keeps its steps as events
(a ticket's, a petition's): their timeline is those events, each headed by the step and the
state it led to, plus the journaled reveals of the record's personal data (the journal's
other entries repeat the events). A member's merges their terms' journals.

ID numbers and phones in journaled values are masked unless ``reveal``: the caller that
reveals has journaled the reveal already (the area's ``get_x(..., reveal=True)``), so the
timeline does not journal again.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from ledger import display, journal
from ledger.i18n import catalogue, entity_label, field_label, t, value_label
from ledger.office import Office

# Journal fields that identify rather than describe: not worth a line in a timeline.
SKIPPED = frozenset({"id", "person_id", "village_id", "election_id", "item_id",
                     "agent_id", "handler_id", "name_initials", "name_pinyin", "version"})
EMPTY: tuple[Any, ...] = (None, "", [])


def action_label(action: str) -> str:
    key = f"action.{action}"
    return t(key) if key in catalogue() else action


def value_text(name: str, value: Any) -> str:
    """A journaled value (JSON: dates are ISO strings, coded values codes) as text; "—"
    for nothing."""
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return display.yes_no(value)
    if isinstance(value, list):
        return display.separator().join(value_text(name, v) for v in value) or "—"
    if isinstance(value, dict):
        return ", ".join(f"{field_label(k)}={value_text(k, v)}" for k, v in value.items())
    text = str(value)
    # Coded values are journaled as codes; show the name when the catalogue knows one.
    return value_label(name, text) if f"value.{name}.{text}" in catalogue() else text


def changes(before: dict[str, Any] | None, after: dict[str, Any] | None
            ) -> list[dict[str, str]]:
    """The fields whose value differs (a creation: every field it was given)."""
    old = before if isinstance(before, dict) else {}
    new = after if isinstance(after, dict) else {}
    out: list[dict[str, str]] = []
    for name in list(old) + [k for k in new if k not in old]:
        if name in SKIPPED:
            continue
        a, b = old.get(name), new.get(name)
        if a == b or (a in EMPTY and b in EMPTY):
            continue
        if before is None and b in (*EMPTY, False):
            continue  # a new record: list what was given, not every empty field
        out.append({"field": name, "label": field_label(name),
                    "before": value_text(name, a), "after": value_text(name, b)})
    return out


def _entry(office: Office, *, at: dt.datetime, operator: str, entity: str, action: str,
           heading: str, note: str = "", before: Any = None, after: Any = None,
           order: tuple[int, int] = (0, 0)) -> dict[str, Any]:
    return {"at": at, "when": display.datetime_text(at, office.clock),
            "operator": operator, "entity": entity, "entity_label": entity_label(entity),
            "action": action, "heading": heading, "note": note or "",
            "created": before is None and after is not None,
            "changes": changes(before, after) if before is not None or after is not None
            else [], "_order": order}


def _journaled(office: Office, entity: str, entity_id: Any, *, reveal: bool,
               only: str | None = None) -> list[dict[str, Any]]:
    return [_entry(office, at=e["at"], operator=e["operator"], entity=e["entity"],
                   action=e["action"], heading=action_label(e["action"]), note=e["note"],
                   before=e["before"], after=e["after"], order=(1, e["id"]))
            for e in journal.history(office, entity, entity_id, reveal=reveal)
            if only is None or e["action"] == only]


def _member(office: Office, ref: Any, reveal: bool) -> list[dict[str, Any]]:
    from ledger import members

    member = members.get_member(office, ref)
    out = _journaled(office, "member", member["id"], reveal=reveal)
    for term in member.get("terms", []):
        out.extend(_journaled(office, "term", term["id"], reveal=reveal))
    return out


def _steps(office: Office, entity: str, record_id: Any, events: list[dict[str, Any]],
           said: Callable[[dict[str, Any]], str], reveal: bool) -> list[dict[str, Any]]:
    """A procedure's timeline (``ledger.steps``): each step headed by its action and the
    state it led to, its note after what ``said(event)`` adds (a due date, the step's day),
    and the record's reveals from the journal (its changes are the steps themselves)."""
    out = []
    for index, event in enumerate(events):
        heading = value_label(f"{entity}_action", event["action"])
        if event.get("to_state") and event["to_state"] != event.get("from_state"):
            heading += " → " + value_label(f"{entity}_state", event["to_state"])
        note = " ".join(x for x in (said(event), event.get("note") or "") if x)
        out.append(_entry(office, at=event["at"], operator=event["operator"], entity=entity,
                          action=event["action"], heading=heading, note=note,
                          order=(0, index)))
    out.extend(_journaled(office, entity, record_id, reveal=reveal, only="reveal"))
    return out


def _ticket(office: Office, ref: Any, reveal: bool) -> list[dict[str, Any]]:
    from ledger import tickets

    ticket = tickets.get_ticket(office, ref)
    return _steps(office, "ticket", ticket["id"], ticket["history"],
                  lambda e: t("ticket.due_then", due=display.date_text(e["due_date"]))
                  if e["due_date"] else "", reveal)


def _petition(office: Office, ref: Any, reveal: bool) -> list[dict[str, Any]]:
    from ledger import petitions

    petition = petitions.get_petition(office, ref)
    return _steps(office, "petition", petition["id"], petition["events"],
                  lambda e: display.text(e["on"]), reveal)


# Records whose timeline is more than their own journal.
SOURCES: dict[str, Callable[[Office, Any, bool], list[dict[str, Any]]]] = {
    "member": _member, "ticket": _ticket, "petition": _petition}


def timeline(office: Office, entity: str, entity_id: Any, *,
             reveal: bool = False) -> list[dict[str, Any]]:
    """The record's timeline, newest first (see the module's docstring for an entry).

    ``entity_id`` is what the record's area finds it by (a ticket's number works too); a
    record that does not exist raises ``NotFound`` for the areas above, and has an empty
    timeline otherwise.
    """
    source = SOURCES.get(entity)
    entries = (source(office, entity_id, reveal) if source is not None
               else _journaled(office, entity, entity_id, reveal=reveal))
    entries.sort(key=lambda e: (e["at"], e["_order"]), reverse=True)
    for entry in entries:
        del entry["_order"]
    return entries
