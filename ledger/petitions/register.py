"""Registering a petition: its petitioners, a group visit's limit, the repeat link."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from ledger import journal, numbering
from ledger.errors import InvalidTransition, ValidationError
from ledger.i18n import t
from ledger.lookups import village_ref
from ledger.models.petitions import Petition, Petitioner, PetitionEvent
from ledger.people import mask_id_number, mask_phone, normalise_id_number, normalise_phone
from ledger.petitions import due as dl
from ledger.petitions.common import (
    CHANNELS,
    ENTITY,
    MAX_REPRESENTATIVES,
    TEXT_MAX,
    as_date,
    categories,
    choice,
    clean_text,
    find_petition,
    is_final,
    not_future,
    petition_fields,
    result,
)
from ledger.petitions.repeat import find_final_matter, find_repeat_of


def _petitioners(raw: Iterable[Mapping[str, Any]] | None, collective: bool,
                 channel: str = "") -> list[dict[str, Any]]:
    people = list(raw or [])
    if not people:
        raise ValidationError("petitioners", "error.petition.no_petitioner")
    if collective and len(people) > MAX_REPRESENTATIVES:
        raise ValidationError("petition_representatives", "error.petition.too_many_reps",
                              max=MAX_REPRESENTATIVES, count=len(people))
    if channel == "visit" and len(people) > MAX_REPRESENTATIVES:
        # 多人采用走访形式……代表人数不超过5人: the limit holds whether or not the clerk
        # ticked "group visit" (a joint letter is not limited).
        raise ValidationError("petition_representatives", "error.petition.visit_is_collective",
                              max=MAX_REPRESENTATIVES, count=len(people))
    out: list[dict[str, Any]] = []
    seen: set[str] = set()
    for position, person in enumerate(people):
        if not isinstance(person, Mapping):
            raise ValidationError("petitioners", "error.petition.bad_petitioner")
        id_number = normalise_id_number(person.get("id_number"), "petitioner_id_number")
        if id_number and id_number in seen:
            raise ValidationError("petitioner_id_number", "error.petition.duplicate_person")
        if id_number:
            seen.add(id_number)
        village = village_ref(person.get("village"), "petitioner_village")
        out.append({
            "position": position,
            "name": clean_text(person.get("name"), "petitioner_name", required=True,
                               limit=TEXT_MAX["name"]),
            "phone": normalise_phone(person.get("phone"), "petitioner_phone"),
            "id_number": id_number,
            "address": clean_text(person.get("address"), "petitioner_address",
                                  limit=TEXT_MAX["address"]),
            "village": village.id if village else None,
            "representative": collective,
        })
    return out


def _group_size(value: Any, collective: bool, people: int) -> int:
    if value is None or value == "":
        if collective:
            raise ValidationError("petition_group_size", "error.required")
        return people
    try:
        size = int(value)
    except (TypeError, ValueError):
        raise ValidationError("petition_group_size", "error.bad_number", value=value) from None
    if size < people or (collective and size < 2):
        raise ValidationError("petition_group_size", "error.petition.group_too_small",
                              count=people)
    if not collective and size > people:
        # People who came but are not on it: that is a group petition, with representatives.
        raise ValidationError("petition_group_size", "error.petition.size_needs_collective",
                              size=size, count=people)
    return size


def register(office: Any, *, channel: str, category: str, summary: str,
             petitioners: Iterable[Mapping[str, Any]], received_on: Any = None,
             village: Any = None, demands: str = "", collective: bool = False,
             group_size: int | None = None, handler: str = "", handler_unit: str = "",
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
    data: dict[str, Any] = {
        "channel": choice(channel, CHANNELS, "petition_channel"),
        "category": choice(category, categories(office), "petition_category"),
        "summary": clean_text(summary, "petition_summary", required=True,
                              limit=TEXT_MAX["summary"]),
        "demands": clean_text(demands, "petition_demands", limit=TEXT_MAX["demands"]),
        "handler": clean_text(handler, "petition_handler", limit=TEXT_MAX["handler"]),
        "handler_unit": clean_text(handler_unit, "petition_handler_unit",
                                   limit=TEXT_MAX["handler_unit"]),
        "collective": bool(collective),
    }
    received = (as_date(received_on, "petition_received_on") if received_on not in (None, "")
                else office.today())
    data["received_on"] = not_future(office, received, "petition_received_on")
    place = village_ref(village, "petition_village")
    data["village"] = place.id if place else None
    people = _petitioners(petitioners, data["collective"], data["channel"])
    data["group_size"] = _group_size(group_size, data["collective"], len(people))
    files = [clean_text(a, "petition_attachments") for a in attachments]
    if any("\n" in f for f in files):
        raise ValidationError("petition_attachments", "error.petition.attachment_newline")
    data["attachments"] = "\n".join(f for f in files if f)
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
        text = clean_text(note, "note")
        if earlier is not None:
            text = (text + " " if text else "") + t("petition.note.repeat_of",
                                                     number=earlier.number)
        PetitionEvent.create(petition=row.id, at=now, on=row.received_on, action="register",
                             to_state="registered", operator=office.operator, note=text)
        after = petition_fields(row)
        after["petitioners"] = len(people)
        # Who petitioned, for the record's history: masked as the journal never holds a raw
        # ID number or phone (the petitioner rows hold them).
        after["people"] = [{"name": p["name"], "phone": mask_phone(p["phone"]),
                            "id_number": mask_id_number(p["id_number"]),
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
