"""Records named in another record's field: one way for every area.

A village (or an item) given as a field's value — the village of a member, of a ticket, of a
petitioner — is found by id, code (either case) or name; a staff member (a ticket's agent, a
petition's handler, the reminders' supervisor) by id or name; an unknown one is a
``ValidationError`` on that field, so a form shows it beside the field and an import names
the column. The record a command is *about* (``villages show V9``) is looked up by the area's
``resolve_*`` instead and is ``NotFound``. ``label`` names the field for people when its
code name reads wrong for the record (``ledger.errors.ValidationError``).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Literal, overload

from ledger.db import parse_id
from ledger.errors import ValidationError
from ledger.models import Village
from ledger.models.staff import Staff
from ledger.models.tickets import ServiceItem


def _named(ref: Any, field: str, required: bool, label: str | None,
           find: Callable[[Any], Any], unknown_key: str) -> Any:
    """The record ``find(ref)`` gives, None when ``ref`` is blank; a blank one that is
    ``required`` or one ``find`` does not know is refused on ``field``."""
    if ref is None or (isinstance(ref, str) and not ref.strip()):
        if required:
            raise ValidationError(field, "error.required", label=label)
        return None
    # Nothing stored holds a NUL (``fields.no_nul``), and PostgreSQL refuses one in a query.
    row = None if isinstance(ref, str) and "\x00" in ref else find(ref)
    if row is None:
        raise ValidationError(field, unknown_key, label=label, ref=str(ref).strip())
    return row


@overload
def village_ref(ref: Any, field: str = ..., *, required: Literal[True],
              label: str | None = ...) -> Village: ...
@overload
def village_ref(ref: Any, field: str = ..., *, required: bool = ...,
              label: str | None = ...) -> Village | None: ...
def village_ref(ref: Any, field: str = "village", *, required: bool = False,
              label: str | None = None) -> Village | None:
    """The village ``ref`` names, None when blank (refused when ``required``)."""
    if isinstance(ref, Village):  # already found (a batch import looks villages up once)
        return ref
    from ledger.villages.query import find_village

    return _named(ref, field, required, label, find_village, "error.unknown_village")


@overload
def item_ref(ref: Any, field: str = ..., *, required: Literal[True],
           label: str | None = ...) -> ServiceItem: ...
@overload
def item_ref(ref: Any, field: str = ..., *, required: bool = ...,
           label: str | None = ...) -> ServiceItem | None: ...
def item_ref(ref: Any, field: str = "item", *, required: bool = False,
           label: str | None = None) -> ServiceItem | None:
    """The proxy service item ``ref`` names, None when blank (refused when ``required``)."""
    from ledger.items.query import find_item

    return _named(ref, field, required, label, find_item, "error.unknown_item")


def find_staff_row(ref: Any) -> Staff | None:
    """The staff record ``ref`` names: an id, else a name (surrounding spaces ignored)."""
    if isinstance(ref, Staff):
        return ref
    text = "" if ref is None else str(ref).strip()
    if not text or "\x00" in text:  # nothing stored holds a NUL (``fields.no_nul``)
        return None
    key = parse_id(text)
    row = Staff.get_or_none(Staff.id == key) if key is not None else None
    return row if row is not None else Staff.get_or_none(Staff.name == text)


@overload
def staff_ref(ref: Any, field: str = ..., *, required: Literal[True],
              assigning: bool = ..., label: str | None = ...) -> Staff: ...
@overload
def staff_ref(ref: Any, field: str = ..., *, required: bool = ...,
              assigning: bool = ..., label: str | None = ...) -> Staff | None: ...
def staff_ref(ref: Any, field: str = "agent", *, required: bool = False,
              assigning: bool = True, label: str | None = None) -> Staff | None:
    """The staff member ``ref`` names (id or name), None when blank (refused when
    ``required``). ``assigning``: a new assignment, which a retired person is refused for;
    pass False to name anyone who ever was on the staff (a filter, a report)."""
    row = _named(ref, field, required, label, find_staff_row, "error.unknown_staff")
    if row is not None and assigning and not row.active:
        raise ValidationError(field, "error.staff_retired", label=label, name=row.name)
    return row
