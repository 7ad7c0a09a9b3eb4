"""Optimistic versions: two clerks editing one record never silently overwrite each other.

Every editable record has a ``version`` integer column (1 when created), bumped by every
change. A face reads the record (its dict carries ``version``), the clerk edits, and the face
passes the version it read back to the edit function; if someone changed the record in
between, the edit is refused with a ``StaleVersion`` (a ``Conflict``) naming the fields, and
nothing is written. ``version=None`` skips the check (scripts that do not care), never the
lock or the bump. An edit use case, inside its one transaction::

    def edit_village(office: Office, ref: Any, *, version: int | None = None, **changes):
        with office.transaction():
            row = versions.lock(Village, resolve_village(ref).id)   # FOR UPDATE on PostgreSQL
            before = village_dict(row)
            versions.check(row, version, "village", before, changes, ref=row.code)
            ...validate, set the fields...
            versions.bump(row)                                       # then row.save()
            journal.record(office, "village", row.id, "update", before=before, after=...)

``lock`` serialises two clerks on one row: on PostgreSQL the second waits for the first's
commit and then reads its result (and its new version); SQLite's ``BEGIN IMMEDIATE``
already serialises every writer. A step of a procedure (tickets, petitions) is a change too:
it locks, may check, and bumps.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

import peewee

from ledger.errors import NotFound, StaleVersion
from ledger.fields import int_field
from ledger.models import database_proxy


# Any, not a TypeVar over peewee.Model: mypy reads peewee as untyped (see pyproject.toml).
def lock(source: Any, id: Any) -> Any:  # noqa: A002 - the row's id
    """The row ``id`` of a model (or of a select over it), read ``FOR UPDATE`` on PostgreSQL
    so that a concurrent edit waits for this transaction. Call inside the transaction."""
    query: Any = source if not isinstance(source, type) else source.select()  # type: ignore[attr-defined]
    model = query.model
    query = query.where(model._meta.primary_key == id)
    if isinstance(database_proxy.obj, peewee.PostgresqlDatabase):
        query = query.for_update()
    row = query.get_or_none()
    if row is None:
        raise NotFound(model._meta.table_name, id)
    return row


def expected(version: Any) -> int | None:
    """The version a caller passed: None (no check) or a whole number from 1."""
    return int_field("version", version, 1, required=False)


def check(row: peewee.Model, expected_version: Any, entity: str, before: Mapping[str, Any],
          proposed: Mapping[str, Any], *, ref: Any = None) -> None:
    """Refuse an edit based on a stale version.

    ``before``: the record's fields as stored now; ``proposed``: the changes the clerk asks
    for. When ``expected_version`` is given and differs from ``row.version``, raise
    ``StaleVersion`` whose ``changes`` list each asked-for field whose stored value is not
    what the clerk wants (``theirs``: stored now, ``yours``: asked for). Personal data
    stored now (ID numbers, phones) is masked: the clerk's own typing is not.
    """
    wanted = expected(expected_version)
    if wanted is None or wanted == row.version:
        return
    changes = [{"field": name, "theirs": _masked(name, before.get(name)), "yours": value}
               for name, value in proposed.items()
               if name in before and not _same(before.get(name), value)]
    raise StaleVersion(entity, row.id if ref is None else ref, yours=wanted,
                       theirs=row.version, changes=changes)


def bump(row: peewee.Model) -> int:
    """Count one change: ``row.version`` goes up by one (saved with the row's own save or
    passed to an ``update``). Returns the new version."""
    row.version = (row.version or 0) + 1
    return row.version


def journaled(record: Mapping[str, Any]) -> dict[str, Any]:
    """A record's dict for the journal's before/after: its fields without the version (the
    journal's own order already says which change came first; a timeline would show the
    counter moving on every entry)."""
    return {k: v for k, v in record.items() if k != "version"}


def shown(value: Any) -> str:
    """A value in a conflict message: quoted, blanks named, dates in ISO form."""
    from ledger.i18n import t

    if value is None or value == "" or value == []:
        return t("error.stale_version.blank")
    if isinstance(value, bool):
        return t("word.yes") if value else t("word.no")
    if isinstance(value, dt.date):
        value = value.isoformat()
    elif isinstance(value, list | tuple):
        value = "、".join(str(v) for v in value)
    return f"“{value}”"


def _same(stored: Any, wanted: Any) -> bool:
    if isinstance(stored, bool) or isinstance(wanted, bool):
        return bool(stored) == bool(wanted)
    if isinstance(stored, dt.date) and isinstance(wanted, str):
        return stored.isoformat() == wanted.strip()
    if stored in (None, "") and wanted in (None, ""):
        return True
    return stored == wanted or str(stored) == str(wanted).strip()


def _masked(name: str, value: Any) -> Any:
    from ledger.people import mask_id_number, mask_phone

    if isinstance(value, str) and value and name.endswith("id_number"):
        return mask_id_number(value)
    if isinstance(value, str) and value and name.endswith("phone"):
        return mask_phone(value)
    return value
