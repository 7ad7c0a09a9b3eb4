"""Use cases that change petitions: registering one (its petitioners, a group visit's limit,
the repeat link) and each step of the procedure of the 信访工作条例 after it.

Each step is one use case: validate, change the row, recompute the next deadline, add a
timeline event and a journal entry, all in one transaction; a refused step says why.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from peewee import fn

from ledger import access, journal, numbering, steps
from ledger.errors import InvalidTransition
from ledger.fields import int_field, text_field
from ledger.i18n import t, value_label
from ledger.lookups import staff_ref
from ledger.models.petitions import Petition, Petitioner, PetitionEvent
from ledger.office import Office
from ledger.petitions import due as dl
from ledger.petitions.query import find_petition, result
from ledger.petitions.repeat import find_final_matter, find_repeat_of
from ledger.petitions.rules import (
    ENTITY,
    OPEN_STATES,
    TEXT_MAX,
    TRANSITIONS,
    as_date,
    clean_petition,
    is_final,
    label,
    petition_fields,
    refusal,
)


def register(office: Office, *, channel: str, category: str, summary: str,
             petitioners: Iterable[Mapping[str, Any]], received_on: Any = None,
             village: Any = None, demands: str = "", collective: bool = False,
             group_size: int | None = None, handler: Any = "", handler_unit: str = "",
             attachments: Iterable[str] = (), repeat_of: Any = None,
             note: str = "", detail: bool = True) -> dict[str, Any]:
    """Register a petition received on ``received_on`` (default today); returns it (masked).

    ``petitioners``: dicts with ``name`` and optional ``phone``, ``id_number``, ``address``,
    ``village``. For a group visit (``collective``) they are its representatives, at most
    five, and ``group_size`` is how many people came. ``repeat_of`` links the clerk's
    choice of an earlier petition on the same matter; otherwise an earlier matter of the
    same petitioner within ``petitions.repeat_window_days`` is found and linked.
    ``detail=False`` (batch imports) returns only the id, number, state and next deadline.
    """
    access.require(office, "write", ENTITY)
    data, people = clean_petition(office, {
        "channel": channel, "category": category, "summary": summary, "demands": demands,
        "handler": handler, "handler_unit": handler_unit, "collective": collective,
        "received_on": received_on, "village": village, "petitioners": petitioners,
        "group_size": group_size, "attachments": attachments})
    counter = dl.DayCounter(office)
    with office.transaction():
        earlier = None
        if repeat_of not in (None, ""):
            earlier = find_petition(repeat_of)
            _refuse_final_matter(earlier, data, people)
        else:
            # The same person's same matter, final after its re-review, is refused whether
            # the clerk links it or not (the link would otherwise be found, or the window
            # may have passed since).
            final = find_final_matter(office, people, data["category"], data["village"])
            if final is not None:
                raise InvalidTransition("error.petition.final_matter", number=final.number,
                                        date=final.closed_on)
            earlier = find_repeat_of(office, people, data["received_on"])
        prefix = office.settings["petitions.number_prefix"]
        now = office.now()
        due, kind = dl.next_due(counter, {"state": "registered", **data})
        row = Petition.create(
            number=numbering.next_number(office, prefix, data["received_on"].year),
            state="registered", registered_by=office.operator,
            repeat_of=earlier.id if earlier else None, next_due=due, next_due_kind=kind,
            created_at=now, updated_at=now, **data)
        for person in people:
            Petitioner.create(petition=row.id, **person)
        text = text_field("note", note, 100_000)
        if earlier is not None:
            text = (text + " " if text else "") + t("petition.note.repeat_of",
                                                     number=earlier.number)
        PetitionEvent.create(petition=row.id, at=now, on=row.received_on, action="register",
                             to_state="registered", operator=office.operator, note=text)
        after = petition_fields(row)
        after["petitioners"] = len(people)
        # Who petitioned, for the record's history: stored as written, like every journal
        # entry; reads of the journal mask ID numbers and phones unless revealed.
        after["people"] = [{"name": p["name"], "phone": p["phone"],
                            "id_number": p["id_number"],
                            "village_id": p["village"], "representative": p["representative"]}
                           for p in people]
        journal.record(office, ENTITY, row.id, "create", after=after, note=text)
    return result(office, row, detail)


def _refuse_final_matter(earlier: Petition, data: Mapping[str, Any],
                         people: list[dict[str, Any]]) -> None:
    """The same petitioner's matter, closed after its re-review, is not accepted again."""
    if not is_final(earlier):
        return
    if earlier.category != data["category"] or earlier.village_id != data["village"]:
        return
    ids = {p["id_number"] for p in people if p["id_number"]}
    pairs = {(p["name"], p["phone"]) for p in people if p["phone"]}
    for old in Petitioner.select().where(Petitioner.petition == earlier.id):
        if (old.id_number and old.id_number in ids) or (
                old.phone and (old.name, old.phone) in pairs):
            raise InvalidTransition("error.petition.final_matter", number=earlier.number,
                                    date=earlier.closed_on)


# --- the steps ------------------------------------------------------------------------------

def _label(kind: str, code: str | None) -> str:
    return value_label(kind, code)


def _refuse(row: Petition, action: str) -> InvalidTransition:
    return refusal({"number": row.number, "state": row.state}, action)


def _last_step_on(row: Petition) -> dt.date:
    """The day of the latest step: the procedure's date columns, and the timeline's days
    (an assignment or an extension has no column of its own)."""
    dates = [row.received_on, row.accepted_on, row.declined_on, row.replied_on,
             row.review_requested_on, row.reviewed_on, row.rereview_requested_on,
             row.rereviewed_on,
             PetitionEvent.select(fn.MAX(PetitionEvent.on))
             .where(PetitionEvent.petition == row.id).scalar()]
    return max(d for d in dates if d is not None)


def _read_on(office: Office, value: Any, last: dt.date | None) -> dt.date:
    return as_date(value, "on") if value not in (None, "") else office.today()


def _settle(step: steps.Step) -> None:
    row = step.row
    row.next_due, row.next_due_kind = dl.next_due(dl.DayCounter(step.office), row)


PROCEDURE = steps.Procedure(
    entity=ENTITY, model=Petition, event_model=PetitionEvent, event_link="petition",
    transitions=TRANSITIONS,
    moments=steps.Moments(
        field="on", label=label("on"), read=_read_on, latest=lambda office: office.today(),
        show=lambda office, day: day.isoformat(), future_key="error.petition.date_future",
        before_key="error.petition.date_before"),
    find=find_petition, snapshot=petition_fields, journal_id=lambda row: row.id,
    last_moment=_last_step_on,
    event_fields=lambda step: {"at": step.office.now(), "on": step.moment},
    refuse=_refuse, settle=_settle, initial="registered")


def _step(office: Office, ref: Any, action: str, on: Any, note: str,
          apply: Callable[[Petition, dt.date], str], detail: bool,
          version: int | None = None) -> dict[str, Any]:
    """Run one step through ``ledger.steps``: ``apply`` changes the locked row and returns
    the event's note."""
    note = text_field("note", note, TEXT_MAX["summary"])
    row = steps.run_step(office, PROCEDURE, ref, action, at=on, note=note,
                         apply=lambda step: apply(step.row, step.moment), version=version)
    return result(office, row, detail)


def accept(office: Office, ref: Any, *, on: Any = None,
           note: str = "", detail: bool = True, version: int | None = None) -> dict[str, Any]:
    """Accept the petition (受理): the 60-day handling period starts on ``on``."""

    def apply(row: Petition, day: dt.date) -> str:
        row.accepted_on = day
        return ""

    return _step(office, ref, "accept", on, note, apply, detail, version)


def decline(office: Office, ref: Any, *, reason: str, forwarded_to: str = "", on: Any = None,
            note: str = "", detail: bool = True, version: int | None = None) -> dict[str, Any]:
    """Do not accept (不予受理), with the reason and the competent body it goes to."""
    reason = text_field("reason", reason, TEXT_MAX["summary"], required=True,
                        label=label("reason"))
    body = text_field("forwarded_to", forwarded_to, TEXT_MAX["forwarded_to"],
                      label=label("forwarded_to"))

    def apply(row: Petition, day: dt.date) -> str:
        row.declined_on, row.decline_reason, row.forwarded_to = day, reason, body
        return reason + (" → " + body if body else "")

    return _step(office, ref, "decline", on, note, apply, detail, version)


def assign(office: Office, ref: Any, *, handler: Any, unit: str = "", on: Any = None,
           note: str = "", detail: bool = True, version: int | None = None) -> dict[str, Any]:
    """Give the petition a responsible handler (a staff member, by id or name; a retired one
    is refused) and unit; it is then in handling."""
    who = staff_ref(handler, "handler", required=True, label=label("handler"))
    where = text_field("unit", unit, TEXT_MAX["handler_unit"], label=label("handler_unit"))

    def apply(row: Petition, day: dt.date) -> str:
        row.handler, row.handler_staff = who.name, who.id
        row.handler_unit = where or row.handler_unit
        return who.name + (f"（{row.handler_unit}）" if row.handler_unit else "")

    return _step(office, ref, "assign", on, note, apply, detail, version)


def extend(office: Office, ref: Any, *, days: int, reason: str, approved_by: str,
           on: Any = None, note: str = "", detail: bool = True,
           version: int | None = None) -> dict[str, Any]:
    """Extend the handling period once, by at most 30 days, with a reason and an approver."""
    # 30.5 is no number of days; 0 and 31 are outside the regulation's range.
    count = int_field("days", days, 1, dl.MAX_EXTENSION_DAYS,
                      range_key="error.petition.extension_range",
                      label=label("extension_days"))
    why = text_field("reason", reason, TEXT_MAX["summary"], required=True,
                     label=label("reason"))
    approver = text_field("approved_by", approved_by, TEXT_MAX["approved_by"],
                          required=True, label=label("approved_by"))

    def apply(row: Petition, day: dt.date) -> str:
        if row.extension_days:
            raise InvalidTransition("error.petition.already_extended", number=row.number,
                                    days=row.extension_days)
        due = dl.due_date(dl.DayCounter(office), row, "handling")
        if due is not None and day > due[0]:
            raise InvalidTransition("error.petition.extension_too_late", number=row.number,
                                    date=due[0])
        row.extension_days, row.extension_reason = count, why
        row.extension_approved_by = approver
        return t("petition.note.extended", days=count, by=approver) + " " + why

    return _step(office, ref, "extend", on, note, apply, detail, version)


def _opinion(office: Office, ref: Any, action: str, gist: str, on: Any, note: str,
             detail: bool, version: int | None, day_field: str, gist_field: str,
             closes: bool = False) -> dict[str, Any]:
    """A written opinion (the reply, the review's, the re-review's): its date and gist.
    ``closes``: the opinion is final and the petition is closed on its day."""
    text = text_field("gist", gist, TEXT_MAX["summary"], required=True, label=label("gist"))

    def apply(row: Petition, day: dt.date) -> str:
        setattr(row, day_field, day)
        setattr(row, gist_field, text)
        if closes:
            row.closed_on = day
        return text

    return _step(office, ref, action, on, note, apply, detail, version)


def _within_window(office: Office, row: Petition, kind: str, day: dt.date) -> None:
    due = dl.due_date(dl.DayCounter(office), row, kind)
    if due is not None and day > due[0]:
        raise InvalidTransition("error.petition.window_closed", number=row.number,
                                kind=_label("petition_deadline", kind), date=due[0])


def _request(office: Office, ref: Any, action: str, window: str, on: Any, note: str,
             detail: bool, version: int | None, day_field: str) -> dict[str, Any]:
    """The petitioner asks for the next instance, within the ``window`` deadline."""

    def apply(row: Petition, day: dt.date) -> str:
        _within_window(office, row, window, day)
        setattr(row, day_field, day)
        return ""

    return _step(office, ref, action, on, note, apply, detail, version)


def reply(office: Office, ref: Any, *, gist: str, on: Any = None,
          note: str = "", detail: bool = True, version: int | None = None) -> dict[str, Any]:
    """Record the written reply (答复意见书): its date and gist."""
    return _opinion(office, ref, "reply", gist, on, note, detail, version, "replied_on",
                    "reply_gist")


def request_review(office: Office, ref: Any, *, on: Any = None,
                   note: str = "", detail: bool = True,
                   version: int | None = None) -> dict[str, Any]:
    """The petitioner asks for a review (复查), within 30 days of the reply."""
    return _request(office, ref, "request_review", "review_request", on, note, detail, version,
                    "review_requested_on")


def review(office: Office, ref: Any, *, gist: str, on: Any = None,
           note: str = "", detail: bool = True, version: int | None = None) -> dict[str, Any]:
    """The review's written opinion (复查意见), due 30 days after the request."""
    return _opinion(office, ref, "review", gist, on, note, detail, version, "reviewed_on",
                    "review_gist")


def request_rereview(office: Office, ref: Any, *, on: Any = None,
                     note: str = "", detail: bool = True,
                     version: int | None = None) -> dict[str, Any]:
    """The petitioner asks for a re-review (复核), within 30 days of the review."""
    return _request(office, ref, "request_rereview", "rereview_request", on, note, detail,
                    version, "rereview_requested_on")


def rereview(office: Office, ref: Any, *, gist: str, on: Any = None,
             note: str = "", detail: bool = True, version: int | None = None) -> dict[str, Any]:
    """The re-review's opinion (复核意见): the matter is final, so the petition is closed on
    the opinion's day (the regulation accepts the same matter no more)."""
    return _opinion(office, ref, "rereview", gist, on, note, detail, version, "rereviewed_on",
                    "rereview_gist", closes=True)


def close(office: Office, ref: Any, *, on: Any = None,
          note: str = "", detail: bool = True, version: int | None = None) -> dict[str, Any]:
    """Close (办结) a petition that has a written reply on record."""

    def apply(row: Petition, day: dt.date) -> str:
        if row.replied_on is None or not row.reply_gist:
            raise InvalidTransition("error.petition.close_without_reply", number=row.number)
        row.closed_on = day
        return ""

    return _step(office, ref, "close", on, note, apply, detail, version)


def recompute_deadlines(office: Office) -> int:
    """Recompute every open petition's ``next_due`` (after ``petitions.day_counting`` or the
    working-day calendar changed). Returns how many rows changed."""
    access.require(office, "write", ENTITY)
    counter = dl.DayCounter(office)
    changed = 0
    with office.transaction():
        for row in Petition.select().where(Petition.state.in_(OPEN_STATES)).iterator():
            due, kind = dl.next_due(counter, row)
            if (due, kind) != (row.next_due, row.next_due_kind):
                before = petition_fields(row)
                Petition.update(next_due=due, next_due_kind=kind,
                                version=Petition.version + 1).where(
                    Petition.id == row.id).execute()
                row.next_due, row.next_due_kind = due, kind
                # Each petition's history shows its deadline moving, as a ticket's does.
                journal.record(office, ENTITY, row.id, "recompute_deadlines", before=before,
                               after=petition_fields(row))
                changed += 1
        if changed:
            journal.record(office, ENTITY, "*", "recompute_deadlines",
                           after={"changed": changed})
    return changed
