"""Records named in another record's field: one way for every area.

A village (or an item) given as a field's value — the village of a member, of a ticket, of a
petitioner — is found by id, code (either case) or name; a staff member (a ticket's agent, a
petition's handler, the reminders' supervisor) by id or name; an unknown one is a
``ValidationError`` on that field, so a form shows it beside the field and an import names
the column. The record a command is *about* (``villages show V9``) is looked up by the area's
``resolve_*`` instead and is ``NotFound``.
"""

from __future__ import annotations

from typing import Any, Literal, overload

from ledger.db import parse_id
from ledger.errors import ValidationError
from ledger.models import Village
from ledger.models.staff import Staff
from ledger.models.tickets import ServiceItem


def _blank(ref: Any) -> bool:
    return ref is None or (isinstance(ref, str) and not ref.strip())


@overload
def village_ref(ref: Any, field: str = ..., *, required: Literal[True]) -> Village: ...
@overload
def village_ref(ref: Any, field: str = ..., *, required: bool = ...) -> Village | None: ...
def village_ref(ref: Any, field: str = "village", *, required: bool = False) -> Village | None:
    """The village ``ref`` names, None when blank (refused when ``required``)."""
    if _blank(ref):
        if required:
            raise ValidationError(field, "error.required")
        return None
    from ledger.villages.query import find_village

    row = find_village(ref)
    if row is None:
        raise ValidationError(field, "error.unknown_village", ref=str(ref).strip())
    return row


@overload
def item_ref(ref: Any, field: str = ..., *, required: Literal[True]) -> ServiceItem: ...
@overload
def item_ref(ref: Any, field: str = ..., *, required: bool = ...) -> ServiceItem | None: ...
def item_ref(ref: Any, field: str = "item", *, required: bool = False) -> ServiceItem | None:
    """The proxy service item ``ref`` names, None when blank (refused when ``required``)."""
    if _blank(ref):
        if required:
            raise ValidationError(field, "error.required")
        return None
    from ledger.items.query import find_item

    row = find_item(ref)
    if row is None:
        raise ValidationError(field, "error.unknown_item", ref=str(ref).strip())
    return row


def find_staff_row(ref: Any) -> Staff | None:
    """The staff record ``ref`` names: an id, else a name (surrounding spaces ignored)."""
    if isinstance(ref, Staff):
        return ref
    text = "" if ref is None else str(ref).strip()
    if not text:
        return None
    key = parse_id(text)
    row = Staff.get_or_none(Staff.id == key) if key is not None else None
    return row if row is not None else Staff.get_or_none(Staff.name == text)


@overload
def staff_ref(ref: Any, field: str = ..., *, required: Literal[True],
              assigning: bool = ...) -> Staff: ...
@overload
def staff_ref(ref: Any, field: str = ..., *, required: bool = ...,
              assigning: bool = ...) -> Staff | None: ...
def staff_ref(ref: Any, field: str = "agent", *, required: bool = False,
              assigning: bool = True) -> Staff | None:
    """The staff member ``ref`` names (id or name), None when blank (refused when
    ``required``). ``assigning``: a new assignment, which a retired person is refused for;
    pass False to name anyone who ever was on the staff (a filter, a report)."""
    if _blank(ref):
        if required:
            raise ValidationError(field, "error.required")
        return None
    row = find_staff_row(ref)
    if row is None:
        raise ValidationError(field, "error.unknown_staff", ref=str(ref).strip())
    if assigning and not row.active:
        raise ValidationError(field, "error.staff_retired", name=row.name)
    return row
