"""Petitions in batch files: registrations, keyed by number, validated by
``petitions.clean_petition`` and written set-based (numbers in a block, rows, petitioners,
timeline events and journal entries with ``executemany``).

A petition changes after its registration only through the procedure's steps, so a stored
petition whose row in the file differs is refused, not overwritten; the same row again is
unchanged.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from types import SimpleNamespace
from typing import Any

from ledger import bulk
from ledger.errors import Conflict, InvalidTransition, ValidationError
from ledger.fields import bool_field, text_field
from ledger.i18n import t
from ledger.io.kinds import Column, Handler, JournalRows, Kind, allocate_ids, listed, register
from ledger.models import Village
from ledger.models.petitions import Petition, Petitioner, PetitionEvent
from ledger.people import mask_id_number, mask_phone
from ledger.petitions.due import DayCounter
from ledger.petitions.query import PetitionFilter
from ledger.petitions.repeat import find_final_matter, find_repeat_of
from ledger.petitions.rules import clean_petition, parse_petitioners, place_person_error

# Every column a new petition starts with (the procedure's dates and texts empty).
PETITION_DEFAULTS: dict[str, Any] = {
    f.name: (f.default() if callable(f.default) else f.default)
    for f in Petition._meta.sorted_fields}
# A person's key -> the column of the first petitioner (the others share other_petitioners).
FIRST_PETITIONER = {"name": "petitioner_name", "phone": "petitioner_phone",
                    "id_number": "petitioner_id_number", "village": "petitioner_village",
                    "address": "petitioner_address"}
COMPARED = ("channel", "received_on", "category", "village", "summary", "demands",
            "collective", "group_size", "handler", "handler_unit")
PERSON = ("name", "phone", "id_number", "village", "address")


class _RunCounter(DayCounter):
    """The office's day counter with its sums remembered for the run: every petition's
    first deadline counts the same days from its received date, and a file spans a few
    hundred dates (working days are counted one by one)."""

    def __init__(self, office: Any) -> None:
        super().__init__(office)
        self._sums: dict[tuple[dt.date, int], tuple[dt.date, bool]] = {}

    def add(self, start: dt.date, days: int) -> tuple[dt.date, bool]:
        key = (start, days)
        found = self._sums.get(key)
        if found is None:
            if len(self._sums) >= 10_000:  # bounded, whatever the file
                self._sums.clear()
            found = self._sums[key] = super().add(start, days)
        return found


@dataclass
class PetitionHandler(Handler):
    # A chunk's rows, records and journal entries are all in memory at once: 500 keeps the
    # process under 100 MB (2000 cost 15 MB more) for no measurable speed.
    chunk_size: int = 500
    villages: dict[str, Village] = field(default_factory=dict)
    prefix: str = ""
    any_accepted: bool = False
    any_final: bool = False
    counter: Any = None

    def prepare(self) -> None:
        for row in Village.select():
            self.villages.update({str(row.id): row, row.code: row, row.code.upper(): row,
                                  row.name: row})
        self.prefix = self.office.settings["petitions.number_prefix"]
        # Repeat and final-matter checks read earlier petitions one row at a time; an office
        # with no accepted petition (a first import) skips the queries that cannot match.
        self.any_accepted = Petition.select().where(Petition.accepted_on.is_null(False)).exists()
        self.any_final = Petition.select().where(Petition.rereviewed_on.is_null(False)).exists()
        self.counter = _RunCounter(self.office)

    def key(self, data: dict[str, str]) -> str | None:
        number = text_field("number", data.get("number"), 20, label="petition_number")
        return number or None

    def existing(self, keys: list[str]) -> dict[str, Any]:
        rows = {p.number: p for p in Petition.select().where(Petition.number.in_(keys))}
        people: dict[int, list[Petitioner]] = {}
        if rows:
            for person in (Petitioner.select()
                           .where(Petitioner.petition.in_([p.id for p in rows.values()]))
                           .order_by(Petitioner.position)):
                people.setdefault(person.petition_id, []).append(person)
        return {n: (p, people.get(p.id, [])) for n, p in rows.items()}

    def _village(self, ref: Any) -> Any:
        text = "" if ref is None else str(ref).strip()
        return self.villages.get(text) or self.villages.get(text.upper()) or ref

    def clean(self, data: dict[str, str], current: Any) -> dict[str, Any]:
        first = {"name": data.get("petitioner_name"), "phone": data.get("petitioner_phone"),
                 "id_number": data.get("petitioner_id_number"),
                 "village": self._village(data.get("petitioner_village")),
                 "address": data.get("petitioner_address")}
        others = data.get("other_petitioners")
        people = [first] + (parse_petitioners(others, "other_petitioners") if others else [])
        for person in people[1:]:
            person["village"] = self._village(person.get("village"))
        try:
            fields, people = clean_petition(self.office, {
                **data, "village": self._village(data.get("village")), "petitioners": people,
                "collective": bool_field("collective", data.get("collective"),
                                         label="petition_collective"),
                "attachments": [a for a in (data.get("attachments") or "").split("|") if a]})
        except ValidationError as err:
            # The first petitioner has columns of their own, the others one column.
            raise place_person_error(err, FIRST_PETITIONER, "other_petitioners") from None
        number = text_field("number", data.get("number"), 20, label="petition_number")
        if current is not None:
            row, stored_people = current
            stored = {k: getattr(row, k if k != "village" else "village_id") for k in COMPARED}
            mine = {k: fields[k] for k in COMPARED}
            theirs = [{k: getattr(p, k if k != "village" else "village_id") for k in PERSON}
                      for p in stored_people]
            ours = [{k: p[k] for k in PERSON} for p in people]
            if stored != mine or theirs != ours:
                raise Conflict("error.io.petition_changed", number=number)
            return {"number": number, "fields": fields, "people": people, "earlier": None}
        earlier = None
        if self.any_final:
            final = find_final_matter(self.office, people, fields["category"], fields["village"])
            if final is not None:
                raise InvalidTransition("error.petition.final_matter", number=final.number,
                                        date=final.closed_on)
        if self.any_accepted:
            earlier = find_repeat_of(self.office, people, fields["received_on"])
        return {"number": number, "fields": fields, "people": people, "earlier": earlier}

    def changed(self, clean: dict[str, Any], current: Any) -> bool:
        return False  # a differing stored petition is refused in ``clean``

    def write(self, added: list[dict[str, Any]],
              updated: list[tuple[Any, dict[str, Any]]]) -> JournalRows:
        from ledger import numbering
        from ledger.petitions import due as dl
        from ledger.petitions.rules import ENTITY, petition_fields

        office = self.office
        now = office.now()
        operator = office.operator
        blank: dict[int, list[dict[str, Any]]] = {}
        given: dict[int, int] = {}  # year -> the highest serial given in the file
        pattern = re.compile(rf"{re.escape(self.prefix)}-(\d{{4}})-(\d+)")
        for item in added:
            if item["number"]:
                match = pattern.fullmatch(item["number"])
                if match:
                    year, serial = int(match[1]), int(match[2])
                    given[year] = max(serial, given.get(year, 0))
            else:
                blank.setdefault(item["fields"]["received_on"].year, []).append(item)
        for year, serial in given.items():  # the counter moves past them: once a year
            numbering.note_used(office, self.prefix, year, serial)
        for year, items in blank.items():
            for item, number in zip(items, numbering.next_numbers(
                    office, self.prefix, year, len(items)), strict=True):
                item["number"] = number
        ids = allocate_ids(office, "petition", len(added))
        petition_table = bulk.table(office, Petition)
        people_table = bulk.table(office, Petitioner, with_id=False)
        event_table = bulk.table(office, PetitionEvent, with_id=False)
        petitions, people, events = [], [], []
        out: JournalRows = []
        for pid, item in zip(ids, added, strict=True):
            data = item["fields"]
            earlier = item["earlier"]
            next_due, kind = dl.next_due(self.counter, {"state": "registered", **data})
            record = {**PETITION_DEFAULTS, **data, "id": pid, "number": item["number"],
                      "state": "registered", "registered_by": operator,
                      "repeat_of": earlier.id if earlier else None, "next_due": next_due,
                      "next_due_kind": kind, "created_at": now, "updated_at": now,
                      "version": 1}
            petitions.append(petition_table.row(record))
            for person in item["people"]:
                person["petition"] = pid
                people.append(people_table.row(person))
            note = t("petition.note.repeat_of", number=earlier.number) if earlier else ""
            events.append(event_table.row({
                "petition": pid, "at": now, "on": data["received_on"], "action": "register",
                "from_state": "", "to_state": "registered", "operator": operator,
                "note": note}))
            # petition_fields reads a row's attributes: the same dict as one.
            record["village_id"] = record["village"]
            record["repeat_of_id"] = record["repeat_of"]
            after = petition_fields(SimpleNamespace(**record))  # type: ignore[arg-type]
            after["petitioners"] = len(item["people"])
            # As register keeps it: written as given; the journal's reads mask it.
            after["people"] = [{"name": p["name"], "phone": p["phone"],
                                "id_number": p["id_number"],
                                "village_id": p["village"],
                                "representative": p["representative"]}
                               for p in item["people"]]
            out.append((ENTITY, pid, "create", None, after, note))
        bulk.insert(office, "petition", petition_table.columns, petitions)
        bulk.insert(office, "petitioner", people_table.columns, people)
        bulk.insert(office, "petition_event", event_table.columns, events)
        return out

    def export(self, reveal: bool, filters: Any = None) -> Iterator[dict[str, Any]]:
        from ledger.petitions import iter_petitions

        codes = dict(Village.select(Village.id, Village.code).tuples())
        for batch in listed(iter_petitions(self.office, filters or PetitionFilter()), Petition):
            yield from self._batch(batch, codes, reveal)

    def _batch(self, batch: list[Petition], codes: dict[int, str],
               reveal: bool) -> Iterator[dict[str, Any]]:
        if not batch:
            return
        people: dict[int, list[Petitioner]] = {}
        for person in (Petitioner.select()
                       .where(Petitioner.petition.in_([p.id for p in batch]))
                       .order_by(Petitioner.petition, Petitioner.position)):
            people.setdefault(person.petition_id, []).append(person)
        for row in batch:
            mine = people.get(row.id, [])
            first = mine[0] if mine else None

            def spec(p: Petitioner) -> str:
                phone = p.phone if reveal else mask_phone(p.phone)
                number = (p.id_number or "") if reveal else mask_id_number(p.id_number)
                village = codes.get(p.village_id, "") if p.village_id else ""
                return ",".join([f"name={p.name}"] + [f"{k}={v}" for k, v in (
                    ("phone", phone), ("id", number), ("village", village),
                    ("address", p.address)) if v])

            yield {
                "number": row.number, "channel": row.channel, "received_on": row.received_on,
                "category": row.category, "village": codes.get(row.village_id, ""),
                "summary": row.summary, "demands": row.demands,
                "collective": row.collective, "group_size": row.group_size,
                "handler": row.handler, "handler_unit": row.handler_unit,
                "attachments": "|".join(a for a in row.attachments.split("\n") if a),
                "petitioner_name": first.name if first else "",
                "petitioner_phone": first.phone if first else "",
                "petitioner_id_number": (first.id_number or "") if first else "",
                "petitioner_village": codes.get(first.village_id, "")
                if first and first.village_id else "",
                "petitioner_address": first.address if first else "",
                "other_petitioners": "\n".join(spec(p) for p in mine[1:]),
            }


register(Kind(
    name="petitions", entity="petition", key="number",
    columns=(
        Column("number", ("petition_number",)),
        Column("channel", ("petition_channel",), coded="petition_channel"),
        Column("received_on", ("petition_received_on",), date=True),
        Column("category", ("petition_category",)),
        Column("village", ("petition_village",)),
        Column("summary", ("petition_summary",)),
        Column("demands", ("petition_demands",)),
        Column("collective", ("petition_collective",)),
        Column("group_size", ("petition_group_size",)),
        Column("handler", ("petition_handler",)),
        Column("handler_unit", ("petition_handler_unit",)),
        Column("attachments", ("petition_attachments",)),
        Column("petitioner_name", ("petitioner_name",)),
        Column("petitioner_phone", ("io_petitioner_phone", "petitioner_phone"),
               personal="phone"),
        Column("petitioner_id_number", ("io_petitioner_id_number", "petitioner_id_number"),
               personal="id_number"),
        Column("petitioner_village", ("io_petitioner_village",)),
        Column("petitioner_address", ("io_petitioner_address", "petitioner_address")),
        Column("other_petitioners", ("io_other_petitioners",)),
    ),
    handler=PetitionHandler, filter=PetitionFilter,
    # Errors name the petition's fields as its columns do (ledger.petitions.clean_petition);
    # one person's are placed by PetitionHandler.clean, the list's (too many representatives)
    # go to the column that lists the others.
    aliases={"petitioners": "other_petitioners"},
))
