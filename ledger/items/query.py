"""Reading the catalogue: an item by its ref (id, code in either case, or exact name), a
page of items with their ticket counts."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from peewee import fn

from ledger import lists
from ledger.db import parse_id
from ledger.errors import NotFound
from ledger.fields import choice, no_nul
from ledger.items.rules import LEVELS, TRACKS
from ledger.models.tickets import ServiceItem, Ticket
from ledger.office import Office


def item_dict(row: ServiceItem, *, ticket_count: int | None = None) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": row.id,
        "code": row.code,
        "name": row.name,
        "category": row.category,
        "level": row.level,
        "time_limit_days": row.time_limit_days,
        "on_the_spot": row.time_limit_days == 0,
        "materials": json.loads(row.materials or "[]"),
        "fee": row.fee,
        "free": not row.fee,
        "track": row.track,
        "active": bool(row.active),
        "notes": row.notes,
        "version": row.version,
    }
    if ticket_count is not None:
        data["tickets"] = ticket_count
    return data


def find_item(ref: Any) -> ServiceItem | None:
    if isinstance(ref, ServiceItem):
        return ref
    text = "" if ref is None else str(ref).strip()
    if not text or "\x00" in text:  # nothing stored holds a NUL (fields.no_nul)
        return None
    key = parse_id(ref)
    if key is not None:
        row = ServiceItem.get_or_none(ServiceItem.id == key)
        if row is not None:
            return row
    # A clerk types r11 as often as R11: codes match either way.
    return (ServiceItem.get_or_none(ServiceItem.code == text)
            or ServiceItem.get_or_none(ServiceItem.code == text.upper())
            or ServiceItem.get_or_none(ServiceItem.name == text))


def resolve_item(ref: Any) -> ServiceItem:
    row = find_item(ref)
    if row is None:
        raise NotFound("item", ref)
    return row


def get_item(office: Office, ref: Any) -> dict[str, Any]:
    row = resolve_item(ref)
    return item_dict(row, ticket_count=Ticket.select().where(Ticket.item == row.id).count())


@dataclass(frozen=True)
class ItemFilter:
    track: str | None = None
    level: str | None = None
    category: str | None = None
    active: bool | None = True  # None: active and retired
    search: str | None = None


def _query(f: ItemFilter) -> Any:
    query = ServiceItem.select()
    if f.track:
        query = query.where(ServiceItem.track == choice("track", f.track, TRACKS))
    if f.level:
        query = query.where(ServiceItem.level == choice("level", f.level, LEVELS))
    if f.category:
        query = query.where(ServiceItem.category == f.category)
    if f.active is not None:
        query = query.where(ServiceItem.active == f.active)
    if f.search:
        term = no_nul("search", f.search.strip())
        query = query.where(ServiceItem.name.contains(term)
                            | (ServiceItem.code == term.upper()))
    return query


def iter_items(office: Office, f: ItemFilter | None = None, *, offset: int = 0,
               limit: int | None = None, ticket_counts: bool = True,
               reveal: bool = False) -> Iterator[dict[str, Any]]:
    """The catalogue in track and code order, each item with its number of ``tickets``;
    ``ticket_counts=False`` leaves that out (a form's choices need no count over every
    ticket). The catalogue holds no personal data: ``reveal`` changes nothing."""
    query = lists.page(_query(f or ItemFilter()).order_by(ServiceItem.track.desc(),
                                                          ServiceItem.code), offset, limit)
    return _rows(query, ticket_counts)


def _rows(query: Any, ticket_counts: bool) -> Iterator[dict[str, Any]]:
    # A catalogue is tens of items: one read, then one grouped count of their tickets.
    rows = list(query)
    if not ticket_counts:
        yield from (item_dict(r) for r in rows)
        return
    counts = dict(Ticket.select(Ticket.item, fn.COUNT(Ticket.id))
                  .where(Ticket.item.in_([r.id for r in rows]))
                  .group_by(Ticket.item).tuples()) if rows else {}
    yield from (item_dict(r, ticket_count=counts.get(r.id, 0)) for r in rows)


def list_items(office: Office, f: ItemFilter | None = None, *, offset: int = 0,
               limit: int | None = None, ticket_counts: bool = True,
               reveal: bool = False) -> list[dict[str, Any]]:
    """One page of ``iter_items`` (``limit=None``: the whole catalogue)."""
    return list(iter_items(office, f, offset=offset, limit=limit,
                           ticket_counts=ticket_counts))


def count_items(office: Office, f: ItemFilter | None = None) -> int:
    return _query(f or ItemFilter()).count()
