"""Use cases that change staff records: each one transaction with its journal entry."""

from __future__ import annotations

from typing import Any

from ledger import access, journal, versions
from ledger.errors import ValidationError
from ledger.models.petitions import Petition
from ledger.models.staff import Staff
from ledger.models.tickets import Ticket
from ledger.office import Office
from ledger.staff.query import ENTITY, find_staff, staff_dict
from ledger.staff.rules import STAFF_FIELDS, check_supervised, clean_staff


def _stored(row: Staff) -> dict[str, Any]:
    return versions.journaled(staff_dict(row, reveal=True))


def link_written_names(office: Office, row: Staff) -> dict[str, int]:
    """Tickets and petitions whose agent or handler was written as this person's name and
    matches nobody (written before the staff directory, or before this record was added or
    renamed) are linked to the record now: an unmatched name is fixed by adding the person,
    or by correcting their record's name. Returns how many of each were linked; each kind's
    link is one journal entry naming many records (``"*"``).

    Not a change the clerk sees (the name stays as written), so versions are not bumped."""
    linked = {
        "tickets": Ticket.update(agent_staff=row.id)
        .where(Ticket.agent == row.name, Ticket.agent_staff.is_null()).execute(),
        "petitions": Petition.update(handler_staff=row.id)
        .where(Petition.handler == row.name, Petition.handler_staff.is_null()).execute(),
    }
    for entity, key, count in (("ticket", "agent", linked["tickets"]),
                               ("petition", "handler", linked["petitions"])):
        if count:
            journal.record(office, entity, "*", "link_staff",
                           after={f"{key}_id": row.id, key: row.name, "count": count})
    return linked


def add_staff(office: Office, *, name: str, post: str = "", phone: str = "", email: str = "",
              language: str = "zh", channels: Any = None, webhook_url: str = "",
              webhook_kind: str = "generic", role: str = "", login: str = "",
              notes: str = "") -> dict[str, Any]:
    """Add a person; ``role`` (``ledger.access``) and ``login`` (the OS or database login
    that is this person when it is not their name) decide what they may do."""
    access.require(office, "staff", ENTITY)
    data = {"name": name, "post": post, "phone": phone, "email": email, "language": language,
            "channels": channels, "webhook_url": webhook_url, "webhook_kind": webhook_kind,
            "active": True, "role": role, "login": login, "notes": notes}
    with office.transaction():
        clean = clean_staff(data)
        now = office.now()
        row = Staff.create(**clean, created_at=now, updated_at=now)
        check_supervised()
        journal.record(office, ENTITY, row.id, "create", after=_stored(row))
        link_written_names(office, row)
    return staff_dict(row)


def edit_staff(office: Office, ref: Any, *, version: int | None = None,
               **changes: Any) -> dict[str, Any]:
    """Change a staff record's fields (only those given); ``version`` as in ledger.versions.
    Only a supervisor manages the staff; the last supervisor keeps the role."""
    access.require(office, "staff", ENTITY, lambda: find_staff(ref).id)
    for key in changes:
        if key not in STAFF_FIELDS:
            raise ValidationError(key, "error.unknown_field", field=key)
    with office.transaction():
        row = versions.lock(Staff, find_staff(ref).id)
        before = staff_dict(row, reveal=True)
        versions.check(row, version, ENTITY, before, changes, ref=row.name)
        clean = clean_staff({**before, **changes}, current=row)
        stored = {k: getattr(row, k) for k in clean}
        if all(clean[k] == stored[k] for k in clean):
            return staff_dict(row)
        for key, value in clean.items():
            setattr(row, key, value)
        row.updated_at = office.now()
        versions.bump(row)
        row.save()
        check_supervised()
        journal.record(office, ENTITY, row.id, "update", before=versions.journaled(before),
                       after=_stored(row))
        if row.name != before["name"]:
            link_written_names(office, row)
    return staff_dict(row)


def retire_staff(office: Office, ref: Any, *, version: int | None = None) -> dict[str, Any]:
    """Mark a person as no longer on the staff: kept (the log names them), never reminded."""
    return edit_staff(office, ref, version=version, active=False)


def first_supervisor(office: Office) -> dict[str, Any] | None:
    """``jiedao init``: the operator becomes the office's first supervisor (their staff
    record, added if there is none), so roles are in force from the start. Nothing happens
    once anyone holds a role (returns None)."""
    if Staff.select(Staff.id).where(Staff.role != "").exists():
        return None
    name = office.operator
    row = Staff.get_or_none(Staff.name == name)
    if row is not None:
        return edit_staff(office, row.id, role=access.SUPERVISOR, active=True)
    if len(name) > Staff.name.max_length:  # a login longer than a name: kept as the login
        return add_staff(office, name=name[:Staff.name.max_length], login=name,
                         role=access.SUPERVISOR)
    return add_staff(office, name=name, role=access.SUPERVISOR)
