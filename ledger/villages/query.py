"""Reading villages. A village is named by a ``ref``: its id, its code (``V01``, either case)
or its name (``许庄村``). The village a command is about is ``resolve_village`` (``NotFound``);
a village named in another record's field is ``ledger.lookups.village_ref``."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from peewee import fn

from ledger import lists
from ledger.db import parse_id
from ledger.errors import NotFound
from ledger.models import Person, Term, Village
from ledger.office import Office


def village_dict(row: Village, active_members: int | None = None) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": row.id,
        "code": row.code,
        "name": row.name,
        "relocation_status": row.relocation_status,
        "notes": row.notes,
        "version": row.version,
    }
    if active_members is not None:
        data["active_members"] = active_members
    return data


def find_village(ref: Any) -> Village | None:
    """The village with this id, code or name (in that order), or None."""
    if isinstance(ref, Village):
        return ref
    if ref is None:
        return None
    text = str(ref).strip()
    if not text or "\x00" in text:  # nothing stored holds a NUL (fields.no_nul)
        return None
    key = parse_id(ref)
    if key is not None:
        row = Village.get_or_none(Village.id == key)
        if row is not None:
            return row
    # A clerk types v01 as often as V01: codes match either way.
    row = Village.get_or_none(Village.code == text)
    if row is None and text.upper() != text:
        row = Village.get_or_none(Village.code == text.upper())
    if row is None:
        row = Village.get_or_none(Village.name == text)
    return row


def resolve_village(ref: Any) -> Village:
    row = find_village(ref)
    if row is None:
        raise NotFound("village", ref)
    return row


def active_member_counts(village_id: int | None = None) -> dict[int, int]:
    """Village id -> how many people hold an active post there (a person counts once)."""
    query = (Term.select(Term.village, fn.COUNT(fn.DISTINCT(Term.person)).alias("n"))
             .where(Term.ended_on.is_null())
             .group_by(Term.village))
    if village_id is not None:
        query = query.where(Term.village == village_id)
    return {row.village_id: row.n for row in query}


def get_village(office: Office, ref: Any) -> dict[str, Any]:
    row = resolve_village(ref)
    data = village_dict(row, active_member_counts(row.id).get(row.id, 0))
    data["people"] = Person.select().where(Person.village == row.id).count()
    return data


def iter_villages(office: Office, filters: None = None, *, offset: int = 0,
                  limit: int | None = None, reveal: bool = False) -> Iterator[dict[str, Any]]:
    """Every village in code order, each with its count of active members. Villages have no
    filters (an office has a few dozen) and no personal data: ``reveal`` changes nothing."""
    counts = active_member_counts()
    query = lists.page(Village.select().order_by(Village.code), offset, limit)
    return (village_dict(row, counts.get(row.id, 0)) for row in query.iterator())


def list_villages(office: Office, filters: None = None, *, offset: int = 0,
                  limit: int | None = None, reveal: bool = False) -> list[dict[str, Any]]:
    """One page of ``iter_villages`` (``limit=None``: all of them)."""
    return list(iter_villages(office, offset=offset, limit=limit))


def count_villages(office: Office, filters: None = None) -> int:
    return int(Village.select().count())
