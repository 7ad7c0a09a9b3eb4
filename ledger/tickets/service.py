"""Use cases that change a proxy ticket: open it, then one function per state change.

Each change runs in one transaction, refuses a move the rules do not allow with a translated
``InvalidTransition``, records who/when/note in ``ticket_event`` (the timeline) and in the
journal (before/after). ``at`` lets a clerk record a step that happened earlier (a paper
form entered later); it may not lie in the future nor before the ticket's last step.

The proxy agent (代办员) is a staff record (``agent_id``, found by ``lookups.staff_ref``: a
retired person is refused), not a committee member: agents are counter staff. The ticket also
keeps the name it was handled under (``agent``), which a later rename of the staff record
does not change.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from typing import Any

from ledger import access, display, journal, numbering, steps, versions
from ledger.errors import InvalidTransition, ValidationError
from ledger.fields import editable, text_field
from ledger.items import resolve_item
from ledger.lookups import staff_ref
from ledger.models.tickets import Ticket, TicketEvent
from ledger.office import Office
from ledger.tickets import rules
from ledger.tickets.query import find_ticket, ticket_dict
from ledger.tickets.rules import (
    RECEIVED,
    RUNNING_STATES,
    SATISFACTION,
    TRANSITIONS,
)
from ledger.workcal import calendar_for

MAX_AGENT = rules.MAX_AGENT


# The validators moved to ``rules`` (``clean_ticket`` is THE ticket validator); the steps use
# them under their old names.
_instant = rules.instant
_local_date = rules.local_date
_material_names = rules.material_names


# --- reading -------------------------------------------------------------------------------


def _stored(row: Ticket) -> dict[str, Any]:
    """What the journal keeps as before/after: the stored fields (unmasked, like members)."""
    return {
        "number": row.number, "item_id": row.item_id, "track": row.track,
        "applicant_name": row.applicant_name, "applicant_id_number": row.applicant_id_number,
        "applicant_phone": row.applicant_phone, "village_id": row.village_id,
        "enterprise": row.enterprise, "project": row.project, "agent": row.agent,
        "agent_id": row.agent_id, "received_at": row.received_at, "state": row.state,
        "time_limit_days": row.time_limit_days, "due_date": row.due_date,
        "due_provisional": bool(row.due_provisional), "returned_on": row.returned_on,
        "returned_days": row.returned_days, "materials": rules.materials_checklist(row.materials),
        "done_on": row.done_on, "working_days_taken": row.working_days_taken,
        "on_time": row.on_time, "satisfaction": row.satisfaction,
        "satisfaction_comment": row.satisfaction_comment, "notes": row.notes,
    }


# --- opening -------------------------------------------------------------------------------

def due_preview(office: Office, item: Any, received_at: Any = None) -> dict[str, Any]:
    """What opening a ticket for ``item`` now (or at ``received_at``) would promise: for a
    form that shows the due date and the checklist as soon as the item is chosen."""
    row = resolve_item(item)
    received_on = _local_date(office, _instant(office, received_at))
    due, provisional = calendar_for(office).add_working_days(received_on, row.time_limit_days)
    return {"item_code": row.code, "item": row.name, "time_limit_days": row.time_limit_days,
            "received_on": received_on, "due_date": due, "due_provisional": provisional,
            "materials": json.loads(row.materials or "[]"), "fee": row.fee,
            "active": bool(row.active)}


def open_ticket(office: Office, *, item: Any, applicant_name: str = "",
                applicant_phone: str | None = "", applicant_id_number: str | None = None,
                village: Any = None, enterprise: str = "", project: str = "",
                agent: Any = "", received_at: Any = None, materials: Any = None,
                notes: str = "", detail: bool = True) -> dict[str, Any]:
    """Receive a ticket (受理). ``materials``: what the applicant handed in (names or
    1-based positions on the item's checklist, ``True`` or ``"all"`` for all of it); not
    given or blank, none of it."""
    access.require(office, "write", "ticket")
    data = rules.clean_ticket(office, {
        "item": item, "applicant_name": applicant_name, "applicant_phone": applicant_phone,
        "applicant_id_number": applicant_id_number, "village": village,
        "enterprise": enterprise, "project": project, "agent": agent,
        "received_at": received_at, "materials": materials, "notes": notes})
    now = office.now()
    with office.transaction():
        number = numbering.next_number(office, office.settings["tickets.number_prefix"],
                                       data["received_on"].year)
        row = Ticket.create(number=number, **data, running_due=data["due_date"],
                            created_at=now, updated_at=now)
        TicketEvent.create(ticket=row.id, at=data["received_at"], operator=office.operator,
                           action="open", from_state="", to_state=RECEIVED,
                           due_date=data["due_date"], note=data["notes"])
        journal.record(office, "ticket", row.id, "create", after=_stored(row))
    return ticket_dict(office, row) if detail else _brief(row)


def edit_ticket(office: Office, ref: Any, *, version: Any = None,
                **changes: Any) -> dict[str, Any]:
    """Correct the applicant's details, the village, the enterprise or project, or the
    notes (``rules.EDITABLE``). The item and the day received are the ticket's promise and
    stay; the agent, the materials and the state change by the ticket's steps."""
    access.require(office, "write", "ticket", ref)
    editable(changes, rules.EDITABLE)
    with office.transaction():
        row = versions.lock(Ticket, find_ticket(ref).id)
        before = _stored(row)
        versions.check(row, version, "ticket", before, changes, ref=row.number)
        data = rules.clean_ticket(office, changes, current=before)
        if all(getattr(row, k) == v for k, v in data.items()):
            return ticket_dict(office, row)
        for key, value in data.items():
            setattr(row, key, value)
        row.updated_at = office.now()
        versions.bump(row)
        row.save()
        journal.record(office, "ticket", row.id, "update", before=before, after=_stored(row))
    return ticket_dict(office, row)


# --- changes -------------------------------------------------------------------------------

def _refuse(row: Ticket, action: str) -> InvalidTransition:
    return rules.refusal({"number": row.number, "state": row.state}, action)


def _brief(row: Ticket) -> dict[str, Any]:
    """What ``detail=False`` returns: enough for a batch caller to carry on."""
    return {"id": row.id, "number": row.number, "state": row.state,
            "due_date": row.due_date, "due_provisional": bool(row.due_provisional),
            "materials_missing": rules.missing_materials(row.materials)}


def _last_step_at(row: Ticket) -> dt.datetime | None:
    """The last step someone took: a due date recomputed by a calendar load is no step."""
    last = (TicketEvent.select(TicketEvent.at)
            .where(TicketEvent.ticket == row.id, TicketEvent.action != "recompute")
            .order_by(TicketEvent.id.desc()).first())
    return last.at if last is not None else None


def _settle(step: steps.Step) -> None:
    """The due date while the clock runs: kept in step with the state and the due date."""
    row = step.row
    if {"state", "due_date"} & {f.name for f in row.dirty_fields}:
        row.running_due = row.due_date if row.state in RUNNING_STATES else None


def _show_instant(office: Office, instant: dt.datetime) -> str:
    return office.clock.to_local(instant).strftime("%Y-%m-%d %H:%M")


PROCEDURE = steps.Procedure(
    entity="ticket", model=Ticket, event_model=TicketEvent, event_link="ticket",
    transitions=TRANSITIONS,
    moments=steps.Moments(
        field="at", read=lambda office, value, last: _instant(office, value, "at", last),
        latest=lambda office: office.now() + dt.timedelta(minutes=5), show=_show_instant,
        future_key="error.ticket_in_future", before_key="error.ticket_before_last_step"),
    find=find_ticket, snapshot=lambda row: _stored(row), journal_id=lambda row: row.id,
    last_moment=_last_step_at,
    event_fields=lambda step: {"at": step.moment, "due_date": step.row.due_date},
    refuse=_refuse, settle=_settle, initial=RECEIVED)


Apply = Callable[[Ticket, dt.date], None]


def _change(office: Office, ref: Any, action: str, *, note: str = "", at: Any = None,
            apply: Apply | None = None, detail: bool = True,
            version: int | None = None) -> dict[str, Any]:
    """One step of the ticket's procedure through ``ledger.steps``; ``apply(row, day)``
    changes the locked row in place (its state is set by the transition table)."""
    note = text_field("note", note, 2000, required=action in rules.NOTE_REQUIRED)

    def step_apply(step: steps.Step) -> None:
        if apply is not None:
            apply(step.row, step.day)

    row = steps.run_step(office, PROCEDURE, ref, action, at=at, note=note, apply=step_apply,
                         version=version)
    return ticket_dict(office, row) if detail else _brief(row)


def assign(office: Office, ref: Any, agent: Any, *, note: str = "", at: Any = None,
           detail: bool = True, version: int | None = None) -> dict:
    """Hand the ticket to a proxy agent (代办员, a staff member by id or name), or to
    another one."""
    who = staff_ref(agent, "agent", required=True)

    def apply(row: Ticket, day: dt.date) -> None:
        row.agent, row.agent_staff = who.name, who.id

    return _change(office, ref, "assign", note=note, at=at, detail=detail, apply=apply,
                   version=version)


def check_materials(office: Office, ref: Any, materials: Any, *, checked: bool = True,
                    note: str = "", at: Any = None, detail: bool = True,
                    version: int | None = None) -> dict:
    """Tick (or untick) materials on the ticket's checklist."""
    def apply(row: Ticket, day: dt.date) -> None:
        checklist = rules.materials_checklist(row.materials)
        names = _material_names([m["name"] for m in checklist], materials)
        if not names:
            raise ValidationError("materials", "error.required")
        for m in checklist:
            if m["name"] in names:
                m["checked"] = checked
        row.materials = json.dumps(checklist, ensure_ascii=False)

    return _change(office, ref, "materials", note=note, at=at, apply=apply, detail=detail,
                   version=version)


def _with_materials(row: Ticket, materials: Any) -> str:
    checklist = rules.materials_checklist(row.materials)
    names = _material_names([m["name"] for m in checklist], materials)
    for m in checklist:
        m["checked"] = m["checked"] or m["name"] in names
    return json.dumps(checklist, ensure_ascii=False)


def advance(office: Office, ref: Any, *, note: str = "", at: Any = None,
            materials: Any = None, detail: bool = True, version: int | None = None) -> dict:
    """One step forward: received -> in progress (submitted upstream, every required material
    must be in hand) -> done (办结)."""
    def apply(row: Ticket, day: dt.date) -> None:
        if materials:
            row.materials = _with_materials(row, materials)
        if row.state == RECEIVED:
            missing = rules.missing_materials(row.materials)
            if missing:
                raise InvalidTransition("error.ticket_materials_missing", number=row.number,
                                        missing=display.join(missing))
            return
        cal = calendar_for(office)
        row.done_on = day
        row.working_days_taken = max(
            0, cal.working_days_between(row.received_on, day) - row.returned_days)
        row.on_time = day <= row.due_date

    return _change(office, ref, "advance", note=note, at=at, apply=apply, detail=detail,
                   version=version)


def return_ticket(office: Office, ref: Any, *, note: str, at: Any = None,
                  detail: bool = True, version: int | None = None) -> dict:
    """Materials are missing (退回): the clock stops until the applicant brings them."""
    def apply(row: Ticket, day: dt.date) -> None:
        row.returned_on = day

    return _change(office, ref, "return", note=note, at=at, detail=detail, apply=apply,
                   version=version)


def resume(office: Office, ref: Any, *, note: str = "", at: Any = None,
           materials: Any = None, detail: bool = True, version: int | None = None) -> dict:
    """The applicant brought what was missing: the clock runs again and the due date moves
    by the working days the ticket spent returned. The ticket goes back to where it was
    returned from (upstream work already started stays started)."""
    def apply(row: Ticket, day: dt.date) -> None:
        cal = calendar_for(office)
        spent = cal.working_days_between(row.returned_on or day, day)
        row.returned_days = row.returned_days + spent
        row.due_date, row.due_provisional = cal.add_working_days(
            row.received_on, row.time_limit_days + row.returned_days)
        row.returned_on = None
        if materials:
            row.materials = _with_materials(row, materials)

    return _change(office, ref, "resume", note=note, at=at, apply=apply, detail=detail,
                   version=version)


def withdraw(office: Office, ref: Any, *, note: str = "", at: Any = None,
             detail: bool = True, version: int | None = None) -> dict:
    """The applicant withdrew (撤回). Final: nothing more can be done with the ticket."""
    def apply(row: Ticket, day: dt.date) -> None:
        row.returned_on = None

    return _change(office, ref, "withdraw", note=note, at=at, detail=detail, apply=apply,
                   version=version)


def reopen(office: Office, ref: Any, *, note: str, at: Any = None, detail: bool = True,
           version: int | None = None) -> dict:
    """Take a done ticket back to in progress (the result was wrong or incomplete). The
    due date stays: the promise was already made; the rating is cleared with the result."""
    def apply(row: Ticket, day: dt.date) -> None:
        row.done_on = row.working_days_taken = row.on_time = row.satisfaction = None
        row.satisfaction_comment = ""

    return _change(office, ref, "reopen", note=note, at=at, detail=detail, apply=apply,
                   version=version)


def rate(office: Office, ref: Any, satisfaction: str, *, comment: str = "",
         at: Any = None, detail: bool = True, version: int | None = None) -> dict:
    """Record the applicant's satisfaction (群众满意度) with a done ticket."""
    code = str(satisfaction or "").strip()
    if code not in SATISFACTION:
        raise ValidationError("satisfaction", "error.bad_choice", value=code,
                              choices=", ".join(SATISFACTION))
    comment = text_field("satisfaction_comment", comment, 1000)

    def apply(row: Ticket, day: dt.date) -> None:
        row.satisfaction, row.satisfaction_comment = code, comment

    return _change(office, ref, "rate", note=comment, at=at, detail=detail, apply=apply,
                   version=version)


def _returned_days(office: Office, cal: Any, row: Ticket) -> int:
    """The working days the ticket's clock stood still (each return up to its resume),
    counted again with the calendar as it is now: a return that spans a year whose schedule
    was provisional counted that year's guessed working days."""
    total = 0
    since: dt.date | None = None
    spans = 0
    for action, at in (TicketEvent.select(TicketEvent.action, TicketEvent.at)
                       .where(TicketEvent.ticket == row.id,
                              TicketEvent.action.in_(("return", "resume")))
                       .order_by(TicketEvent.id).tuples()):
        day = _local_date(office, at)
        if action == "return":
            since = day
        elif since is not None:
            total += cal.working_days_between(since, day)
            since = None
            spans += 1
    # A row written without its timeline (an import, a benchmark) keeps what it says.
    return total if spans else row.returned_days


def recompute_due_dates(office: Office, year: int) -> int:
    """After a calendar change: recompute open tickets whose clock passes through ``year``.

    Call inside the transaction that changed the calendar. Returns how many changed; each
    change is journaled and added to the ticket's timeline.
    """
    access.require(office, "write", "ticket")
    cal = calendar_for(office)
    first, last = dt.date(year, 1, 1), dt.date(year, 12, 31)
    query = (Ticket.select()
             .where(Ticket.state.in_(rules.OPEN_STATES), Ticket.received_on <= last,
                    (Ticket.due_date >= first) | Ticket.due_provisional)
             .order_by(Ticket.id))
    changed = 0
    now = office.now()
    for row in query:
        returned_days = _returned_days(office, cal, row)
        due, provisional = cal.add_working_days(row.received_on,
                                                row.time_limit_days + returned_days)
        if (due, provisional, returned_days) == (row.due_date, bool(row.due_provisional),
                                                 row.returned_days):
            continue
        before = _stored(row)
        Ticket.update(due_date=due, due_provisional=provisional, updated_at=now,
                      returned_days=returned_days,
                      running_due=due if row.state in RUNNING_STATES else None,
                      ).where(Ticket.id == row.id).execute()
        TicketEvent.create(ticket=row.id, at=now, operator=office.operator, action="recompute",
                           from_state=row.state, to_state=row.state, due_date=due,
                           note=str(year))
        journal.record(office, "ticket", row.id, "recompute_due", before=before,
                       after=_stored(Ticket.get_by_id(row.id)), note=str(year))
        changed += 1
    return changed


