"""The sessions as an iCalendar file (.ics) for phone and desktop calendars.

- UIDs are stable: ``training-<session id>-<office key>@jiedao``, where the office key is
  the hash of the office's first journal entry (fixed for the life of the database, and
  different for every office), so a re-export updates events instead of duplicating them,
  and two offices' files never collide.
- SEQUENCE is the session's version - 1: every change of the session bumps it, so calendars
  take the new time or place; a cancelled session is exported as ``STATUS:CANCELLED`` so
  calendars drop it rather than keep a stale event.
- Times are written in UTC; calendars show them in the reader's zone.

``icalendar`` is imported here, inside the function, never at program start.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from ledger.i18n import t, value_label
from ledger.models import JournalEntry
from ledger.office import Office
from ledger.training.query import TrainingFilter, iter_sessions


def office_key() -> str:
    first = JournalEntry.select(JournalEntry.hash).order_by(JournalEntry.id).first()
    return first.hash[:16] if first else "0" * 16


def session_uid(session_id: int, key: str) -> str:
    return f"training-{session_id}-{key}@jiedao"


def ics_bytes(office: Office, f: TrainingFilter | None = None) -> tuple[bytes, int]:
    """The calendar of the matching sessions and how many events it holds."""
    from icalendar import Calendar, Event

    cal = Calendar()
    cal.add("prodid", "-//jiedao-ledger//training//ZH")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", f"{office.settings['office.name']} {t('training.calendar_name')}")
    key = office_key()
    stamp = office.now().replace(tzinfo=dt.UTC)
    count = 0
    for s in iter_sessions(office, f):
        event = Event()
        event.add("uid", session_uid(s["id"], key))
        event.add("dtstamp", stamp)
        event.add("sequence", s["sequence"])
        event.add("dtstart", s["starts_at"])
        event.add("dtend", s["ends_at"])
        event.add("summary", s["title"])
        event.add("status", {"planned": "CONFIRMED", "held": "CONFIRMED",
                             "cancelled": "CANCELLED"}[s["state"]])
        if s["place"]:
            event.add("location", s["place"])
        event.add("description", _description(s))
        event.add("categories", [value_label("training_kind", s["kind"])])
        cal.add_component(event)
        count += 1
    return cal.to_ical(), count


def _description(s: dict[str, Any]) -> str:
    lines = []
    if s["topic"]:
        lines.append(s["topic"])
    lines.append(f"{t('field.credit_hours')}: {s['credit_hours']:g}")
    if s["organiser"]:
        lines.append(f"{t('field.organiser')}: {s['organiser']}")
    if s["audience_names"]:
        lines.append(f"{t('field.audience')}: {'、'.join(s['audience_names'])}")
    if s["cancel_reason"]:
        lines.append(f"{t('field.cancel_reason')}: {s['cancel_reason']}")
    return "\n".join(lines)
