"""Reading petitions: one petition in full, filtered pages of the list, counts.

Lists are built as one SQL query over indexed columns (``next_due`` for the overdue list,
``received_on`` otherwise) so a page costs the same on a thousand rows as on a million.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, cast

from peewee import JOIN, SQL, fn

from ledger import access, journal, lists, search
from ledger.db import parse_id
from ledger.errors import NotFound, ValidationError
from ledger.fields import choice, date_range
from ledger.lookups import find_staff_row, village_ref
from ledger.models import Village
from ledger.models.petitions import Petition, Petitioner, PetitionEvent
from ledger.office import Office
from ledger.people import mask_id_number, mask_phone
from ledger.petitions import due as dl
from ledger.petitions.rules import (
    CHANNELS,
    ENTITY,
    OPEN_STATES,
    STATES,
    allowed_actions,
    categories,
    is_final,
    label,
    petition_fields,
)


@dataclass(frozen=True)
class PetitionFilter:
    """What a list shows. ``state`` may also be ``open`` (every state not yet finished).

    ``overdue`` and ``due_within_days`` together mean either (the urgent ones).
    ``due_soon`` is ``due_within_days`` of the office's ``petitions.due_soon_days`` (what the
    lists mark due soon), unless ``due_within_days`` is given too.
    """

    state: str | None = None
    village: Any = None  # id, code or name
    category: str | None = None
    channel: str | None = None
    handler: Any = None  # a staff member (id or name), else part of a handler's name
    overdue: bool = False
    due_within_days: int | None = None
    due_soon: bool = False
    repeat: bool | None = None  # True: only repeats; False: no repeats
    received_from: dt.date | None = None
    received_to: dt.date | None = None
    search: str | None = None  # number, summary, or a petitioner (ledger.search)


PETITION_SEARCH = search.Columns(number=Petition.number, texts=(Petition.summary,))
PETITIONER_SEARCH = search.Columns(
    name=Petitioner.name, initials=Petitioner.name_initials, pinyin=Petitioner.name_pinyin,
    phone=Petitioner.phone, id_number=Petitioner.id_number)


def _within_days(office: Office, f: PetitionFilter) -> int | None:
    """How many days ahead the list reaches for due petitions (None: no such condition)."""
    if f.due_within_days is not None:
        return f.due_within_days
    return office.settings["petitions.due_soon_days"] if f.due_soon else None


def _where(office: Office, f: PetitionFilter) -> list[Any]:
    today = office.today()
    clauses: list[Any] = []
    # Only an open petition has a next deadline (``due.OPEN_KIND``: a closed one's is
    # NULL): open and a deadline range is the range alone, read from the (next_due, id)
    # index without a look at each row's state (30 ms of 10,000 overdue in a million).
    on_deadline = bool(f.overdue or f.due_soon or f.due_within_days is not None)
    if f.state and not (f.state == "open" and on_deadline):
        if f.state == "open":
            clauses.append(Petition.state.in_(OPEN_STATES))
        else:
            clauses.append(Petition.state == choice("state", f.state, (*STATES, "open"),
                                                    label=label("state")))
    if f.village not in (None, ""):
        place = village_ref(f.village, "village", label=label("village"))
        clauses.append(Petition.village == (place.id if place else None))
    if f.category:
        clauses.append(Petition.category == choice("category", f.category,
                                                   tuple(categories(office)),
                                                   label=label("category")))
    if f.channel:
        clauses.append(Petition.channel == choice("channel", f.channel, CHANNELS,
                                                  label=label("channel")))
    if f.handler not in (None, ""):
        # A staff member's petitions, by the record; a name that is no staff record's:
        # the petitions whose handler's name, matching nobody, contains it.
        person = find_staff_row(f.handler)
        clauses.append(Petition.handler_staff == person.id if person is not None else
                       Petition.handler.contains(str(f.handler).strip())
                       & Petition.handler_staff.is_null())
    within = _within_days(office, f)
    if within is not None and within < 0:
        raise ValidationError("due_within_days", "error.petition.negative_days",
                              label=label("due_within"))
    last = None if within is None else today + dt.timedelta(days=within)
    # Overdue or due within: one range on the (next_due, id) index, not an OR of two,
    # which the planners answer by reading the whole index.
    if f.overdue and last is not None:
        clauses.append(Petition.next_due <= last)
    elif f.overdue:
        clauses.append(Petition.next_due < today)
    elif last is not None:
        clauses.append(Petition.next_due.between(today, last))
    if f.repeat is True:
        clauses.append(Petition.repeat_of.is_null(False))
    elif f.repeat is False:
        clauses.append(Petition.repeat_of.is_null(True))
    clauses += date_range(Petition.received_on, f.received_from, f.received_to,
                          "received_to", label=label("received_to"))
    term = search.parse(f.search)
    if term is not None:
        people = Petitioner.select(Petitioner.petition).where(
            search.condition(term, PETITIONER_SEARCH))
        clauses.append(search.condition(term, PETITION_SEARCH) | Petition.id.in_(people))
    return clauses


def count_petitions(office: Office, f: PetitionFilter | None = None) -> int:
    # COUNT(*) itself, not peewee's count() of a wrapped subquery (a third of the time).
    query = Petition.select(fn.COUNT(SQL("*")))
    clauses = _where(office, f or PetitionFilter())
    if clauses:
        query = query.where(*clauses)
    return int(query.scalar())


def deadline_fields(office: Office, next_due: dt.date | None) -> tuple[int | None, str | None]:
    """(days left, ok / due_soon / overdue) of a stored next deadline."""
    if next_due is None:
        return None, None
    today = office.today()
    return (next_due - today).days, dl.deadline_state(
        next_due, today, office.settings["petitions.due_soon_days"])


def iter_petitions(office: Office, f: PetitionFilter | None = None, *, offset: int = 0,
                   limit: int | None = None, reveal: bool = False) -> Iterator[dict[str, Any]]:
    """Matching petitions as list rows, read lazily as tuples (an export of any size keeps
    memory flat); newest first, or by next deadline when filtering on deadlines. The first
    petitioner's phone is masked unless ``reveal``, which is journaled once (filters, count)."""
    f = f or PetitionFilter()
    rows = _rows(office, lists.page(_list_query(office, f), offset, limit), reveal)
    if reveal:
        lists.journal_reveal(office, ENTITY, f,
                             count=lists.shown(count_petitions(office, f), offset, limit))
    return rows


def _list_query(office: Office, f: PetitionFilter) -> Any:
    first = Petitioner.alias("first")
    earlier = Petition.alias("earlier")
    query = (Petition
             .select(Petition.id, Petition.number, Petition.received_on, Petition.channel,
                     Petition.category, Village.name, Petition.state, Petition.handler,
                     Petition.handler_staff, Petition.collective, Petition.group_size,
                     earlier.number,
                     Petition.next_due, Petition.next_due_kind, first.name, first.phone,
                     Petition.summary)
             .join(Village, join_type=JOIN.LEFT_OUTER, on=(Petition.village == Village.id))
             .switch(Petition)
             .join(first, join_type=JOIN.LEFT_OUTER,
                   on=((first.petition == Petition.id) & (first.position == 0)))
             .switch(Petition)
             .join(earlier, join_type=JOIN.LEFT_OUTER, on=(Petition.repeat_of == earlier.id)))
    return _ordered(office, f, query)


def _ordered(office: Office, f: PetitionFilter, query: Any) -> Any:
    """``query`` with the conditions of ``f``, in the list's order (by deadline when ``f``
    asks for deadlines, else newest first): both are index orders (``next_due, id``,
    ``received_on, id``)."""
    clauses = _where(office, f)
    if clauses:
        query = query.where(*clauses)
    if f.overdue or _within_days(office, f) is not None:
        return query.order_by(Petition.next_due, Petition.id)
    return query.order_by(Petition.received_on.desc(), Petition.id.desc())


def iter_due(office: Office, f: PetitionFilter) -> Iterator[tuple[int, str, str, dt.date,
                                                                   str, str, int | None]]:
    """``(id, number, summary, next deadline, its kind, handler, handler's staff id)`` of
    the petitions ``f`` matches, in the list's order: the rows ``iter_petitions`` gives (the
    same conditions), with only what reminders need, read as tuples. No petitioner is read."""
    query = _ordered(office, f, Petition.select(
        Petition.id, Petition.number, Petition.summary, Petition.next_due,
        Petition.next_due_kind, Petition.handler, Petition.handler_staff))
    cursor = office.db.execute(query)
    day: dict[Any, dt.date] = {}
    try:
        while batch := cursor.fetchmany(500):
            for pid, number, summary, due, kind, handler, handler_id in batch:
                # SQLite gives ISO text, PostgreSQL a date; few distinct days, parsed once.
                if due.__class__ is str:
                    due = day.get(due) or day.setdefault(due, dt.date.fromisoformat(due[:10]))
                yield pid, number, summary, due, kind, handler, handler_id
    finally:
        cursor.close()


def _rows(office: Office, query: Any, reveal: bool) -> Iterator[dict[str, Any]]:
    today = office.today()
    soon = office.settings["petitions.due_soon_days"]
    counter = dl.DayCounter(office)
    day = lists.Dates()
    provisional: dict[tuple[int, int], bool] = {}  # by (received year, due year)
    for (pid, number, received, channel, category, village, state, handler, handler_id,
         collective, size, repeat_number, due, due_kind, name, phone,
         summary) in lists.raw(office, query):
        received, due = cast(dt.date, day(received)), day(due)  # received_on: NOT NULL
        if due is not None:
            days_left: int | None = (due - today).days
            due_state: str | None = dl.deadline_state(due, today, soon)
            years = (received.year, due.year)
            if years not in provisional:
                provisional[years] = dl.provisional_due(counter, received, due)
            late = provisional[years]
        else:
            days_left = due_state = None
            late = False
        yield {
            "id": pid, "number": number, "received_on": received, "channel": channel,
            "category": category, "village": village, "state": state, "handler": handler,
            "handler_id": handler_id,
            "collective": bool(collective), "group_size": size, "repeat_of": repeat_number,
            "petitioner": name, "petitioner_phone": phone if reveal else mask_phone(phone),
            "summary": summary, "next_due": due, "next_due_kind": due_kind,
            "next_due_provisional": late,
            "days_left": days_left, "deadline_state": due_state,
        }


def list_petitions(office: Office, f: PetitionFilter | None = None, *, offset: int = 0,
                   limit: int | None = 50, reveal: bool = False) -> list[dict[str, Any]]:
    """One page of ``iter_petitions`` (``limit=None``: every match); a reveal is journaled
    with the ids shown."""
    f = f or PetitionFilter()
    rows = list(_rows(office, lists.page(_list_query(office, f), offset, limit), reveal))
    if reveal:
        lists.journal_reveal(office, ENTITY, f, ids=[r["id"] for r in rows])
    return rows


def _events(row: Petition) -> list[dict[str, Any]]:
    query = (PetitionEvent.select().where(PetitionEvent.petition == row.id)
             .order_by(PetitionEvent.id))
    return [{"at": e.at.replace(tzinfo=dt.UTC), "on": e.on, "action": e.action,
             "from_state": e.from_state or None, "to_state": e.to_state or None,
             "operator": e.operator, "note": e.note} for e in query]


def get_petition(office: Office, ref: Any, *, reveal: bool = False) -> dict[str, Any]:
    """A petition in full: petitioners (masked unless ``reveal``, which is journaled), the
    timeline, its deadlines, the repeat chain and the steps allowed now."""
    row = find_petition(ref)
    people = list(Petitioner.select().where(Petitioner.petition == row.id)
                  .order_by(Petitioner.position))
    villages = village_names({p.village_id for p in people if p.village_id}
                             | ({row.village_id} if row.village_id else set()))
    out = petition_fields(row)
    out["version"] = row.version
    out["village"] = villages.get(row.village_id) if row.village_id else None
    out["repeat_of"] = (Petition.get_by_id(row.repeat_of_id).number
                        if row.repeat_of_id else None)
    out["petitioners"] = [petitioner_dict(p, reveal=reveal, village_name=villages.get(
        p.village_id) if p.village_id else None) for p in people]
    out["events"] = _events(row)
    out["deadlines"] = dl.deadlines(office, row)
    out["days_left"], out["deadline_state"] = deadline_fields(office, row.next_due)
    out["next_due_provisional"] = any(
        d["provisional"] for d in out["deadlines"] if d["kind"] == row.next_due_kind)
    out["chain"] = chain(office, row.id)
    out["final"] = is_final(row)
    out["allowed_actions"] = allowed_actions(out)
    if reveal:
        access.require(office, "reveal", ENTITY, row.id)
        journal.record_reveal(office, ENTITY, row.id)
    return out


def deadlines(office: Office, petition: Any) -> list[dict[str, Any]]:
    """The deadlines of a petition given as a dict (``get_petition``), a row or a ref."""
    if isinstance(petition, str | int):
        petition = find_petition(petition)
    return dl.deadlines(office, petition)


__all__ = ["PetitionFilter", "count_petitions", "deadlines", "get_petition", "iter_petitions",
           "list_petitions"]


def find_petition(ref: Any) -> Petition:
    """A petition by its readable number (``XF-2026-0007``) or internal id."""
    text = str(ref).strip() if ref is not None else ""
    row = None
    if text.isdigit():
        key = parse_id(text)  # beyond any id: not found, not a database overflow
        row = Petition.get_or_none(Petition.id == key) if key is not None else None
    elif text and "\x00" not in text:  # nothing stored holds a NUL (fields.no_nul)
        row = Petition.get_or_none(Petition.number == text.upper())
    if row is None:
        raise NotFound("petition", text)
    return row


def village_names(ids: set[int]) -> dict[int, str]:
    if not ids:
        return {}
    query = Village.select(Village.id, Village.name).where(Village.id.in_(list(ids)))
    return {vid: name for vid, name in query.tuples()}


def petitioner_dict(row: Petitioner, *, reveal: bool, village_name: str | None) -> dict[str, Any]:
    return {
        "name": row.name,
        "phone": row.phone if reveal else mask_phone(row.phone),
        "id_number": (row.id_number or "") if reveal else mask_id_number(row.id_number),
        "address": row.address,
        "village_id": row.village_id,
        "village": village_name,
        "representative": row.representative,
    }


def result(office: Office, row: Petition, detail: bool) -> dict[str, Any]:
    """The petition in full (``get_petition``), or just its key facts for batch callers."""
    if not detail:
        return {"id": row.id, "number": row.number, "state": row.state,
                "next_due": row.next_due, "next_due_kind": row.next_due_kind,
                "repeat_of_id": row.repeat_of_id, "version": row.version}
    from ledger.petitions.query import get_petition

    return get_petition(office, row.id)


def _brief(row: Petition, villages: dict[int, str], numbers: dict[int, str]) -> dict[str, Any]:
    return {
        "id": row.id,
        "number": row.number,
        "received_on": row.received_on,
        "state": row.state,
        "category": row.category,
        "village": villages.get(row.village_id) if row.village_id else None,
        "repeat_of": numbers.get(row.repeat_of_id) if row.repeat_of_id else None,
        "final": is_final(row),
    }


def chain(office: Office, ref: Any) -> list[dict[str, Any]]:
    """Every petition linked to ``ref`` by ``repeat_of``, from the first, by date."""
    row = find_petition(ref)
    seen = {row.id}
    while row.repeat_of_id is not None and row.repeat_of_id not in seen:
        seen.add(row.repeat_of_id)
        row = Petition.get_by_id(row.repeat_of_id)
    rows = {row.id: row}
    frontier = [row.id]
    while frontier:
        children = list(Petition.select().where(Petition.repeat_of.in_(frontier)))
        frontier = [c.id for c in children if c.id not in rows]
        rows.update({c.id: c for c in children})
    villages = village_names({r.village_id for r in rows.values() if r.village_id})
    numbers = {r.id: r.number for r in rows.values()}
    ordered = sorted(rows.values(), key=lambda r: (r.received_on, r.id))
    return [_brief(r, villages, numbers) for r in ordered]
