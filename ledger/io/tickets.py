"""Proxy tickets in batch files, keyed by number, validated by ``tickets.clean_ticket`` (the
validator opening and ``edit_ticket`` use) and written set-based: numbers in a block, rows,
their ``open`` events and journal entries with ``executemany``.

What an imported ticket may carry (the procedure decides):
- A new ticket is *opened*: item, applicant, village, enterprise or project, agent, the
  materials handed in, notes, and when it was received (a day, or a day and time; blank:
  now). Its due date is counted by the office's calendar from that day, exactly as
  ``open_ticket`` counts it, and its state is ``received`` — the only state opening leads
  to. A file that says ``in_progress``, ``done``… for a new ticket is refused on that row:
  the later states are reached by the steps (``jiedao tickets advance``…), each with its
  moment, note and checks.
- A stored ticket (same number) is *edited*: the applicant's details, the village, the
  enterprise or project and the notes (``tickets.EDITABLE``). The item and the day received
  are its promise, and the agent, the materials and the state change by its steps: the file
  may repeat them as stored (an export imports back unchanged) but a different value is
  refused naming the column.
- A row without a number gets the next number of the year it was received, handed out in
  one block; a given number (a paper ledger's ``DB-2025-0042``) is kept and the counter
  moves past it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from types import SimpleNamespace
from typing import Any

from ledger import bulk, versions
from ledger.errors import ValidationError
from ledger.fields import text_field
from ledger.io.kinds import (
    Column,
    Handler,
    JournalRows,
    Kind,
    allocate_ids,
    listed,
    register,
    update_rows,
)
from ledger.models import Village
from ledger.models.tickets import ServiceItem, Ticket, TicketEvent
from ledger.people import mask_id_number, mask_phone
from ledger.tickets.query import TicketFilter

FIELDS = ("item", "applicant_name", "applicant_phone", "applicant_id_number", "village",
          "enterprise", "project", "agent", "received_at", "materials", "notes")


def _refs(rows: Any) -> dict[str, Any]:
    """id, code (either case) and name -> row, as ``lookups`` finds them, for the run."""
    out: dict[str, Any] = {}
    for row in rows:
        out.update({str(row.id): row, row.code: row, row.code.upper(): row})
        out.setdefault(row.name, row)
    return out


@dataclass
class TicketHandler(Handler):
    items: dict[str, Any] = field(default_factory=dict)
    villages: dict[str, Any] = field(default_factory=dict)
    prefix: str = ""
    cal: Any = None

    def prepare(self) -> None:
        from ledger.workcal import calendar_for

        # One calendar for the run: no schedule is loaded inside the import's transaction.
        self.cal = calendar_for(self.office)
        self.items = _refs(ServiceItem.select())
        self.villages = _refs(Village.select())
        self.prefix = self.office.settings["tickets.number_prefix"]

    def key(self, data: dict[str, str]) -> str | None:
        return text_field("number", data.get("number"), 30) or None

    def existing(self, keys: list[str]) -> dict[str, Any]:
        return {t.number: t for t in Ticket.select().where(Ticket.number.in_(keys))}

    @staticmethod
    def _ref(cache: dict[str, Any], value: Any) -> Any:
        """The cached row a reference names; anything else is passed on for the lookup to
        refuse (or find) as it would by hand."""
        text = "" if value is None else str(value).strip()
        return cache.get(text) or cache.get(text.upper()) or value

    def clean(self, data: dict[str, str], current: Any) -> dict[str, Any]:
        from ledger.tickets.rules import RECEIVED, clean_ticket
        from ledger.tickets.service import _stored

        given = {k: data[k] for k in (*FIELDS, "state") if k in data}
        if "item" in given:
            given["item"] = self._ref(self.items, given["item"])
        if "village" in given:
            given["village"] = self._ref(self.villages, given["village"])
        if current is not None:
            before = _stored(current)
            for name, mask in (("applicant_phone", mask_phone),
                               ("applicant_id_number", mask_id_number)):
                # A masked export imported back: the mask of what is stored stands for it.
                value = (given.get(name) or "").strip()
                if "*" in value and value == mask(before[name]):
                    given[name] = before[name]
            return {"before": before, "fields": clean_ticket(self.office, given,
                                                             current=before)}
        state = (given.pop("state", "") or "").strip()
        if state and state != RECEIVED:
            raise ValidationError("state", "error.io.ticket_state")
        return {"number": self.key(data),
                "fields": clean_ticket(self.office, given, cal=self.cal)}

    def changed(self, clean: dict[str, Any], current: Any) -> bool:
        return any(getattr(current, k) != v for k, v in clean["fields"].items())

    def _numbers(self, added: list[dict[str, Any]]) -> None:
        from ledger import numbering

        blank: dict[int, list[dict[str, Any]]] = {}
        for item in added:
            if item["number"]:
                match = re.fullmatch(rf"{re.escape(self.prefix)}-(\d{{4}})-(\d+)", item["number"])
                if match:
                    numbering.note_used(self.office, self.prefix, int(match[1]), int(match[2]))
            else:
                blank.setdefault(item["fields"]["received_on"].year, []).append(item)
        for year, items in blank.items():
            for item, number in zip(items, numbering.next_numbers(
                    self.office, self.prefix, year, len(items)), strict=True):
                item["number"] = number

    def write(self, added: list[dict[str, Any]],
              updated: list[tuple[Any, dict[str, Any]]]) -> JournalRows:
        from ledger.tickets.service import _stored

        office = self.office
        now = office.now()
        self._numbers(added)
        ids = allocate_ids(office, "ticket", len(added))
        tickets, events = [], []
        out: JournalRows = []
        for tid, item in zip(ids, added, strict=True):
            data = item["fields"]
            record = {**data, "id": tid, "number": item["number"], "item": data["item_id"],
                      "village": data["village_id"], "running_due": data["due_date"],
                      "created_at": now, "updated_at": now, "version": 1}
            tickets.append(record)
            events.append({"ticket": tid, "at": data["received_at"], "operator": office.operator,
                           "action": "open", "from_state": "", "to_state": data["state"],
                           "due_date": data["due_date"], "note": data["notes"]})
            # _stored reads a row's attributes: the record as one.
            out.append(("ticket", tid, "create", None, _stored(SimpleNamespace(  # type: ignore[arg-type]
                **{**record, "agent_id": data["agent_staff"], "returned_on": None,
                   "returned_days": 0, "done_on": None,
                   "working_days_taken": None, "on_time": None, "satisfaction": None,
                   "satisfaction_comment": ""})), "import"))
        bulk.table(office, Ticket).insert(office, tickets)
        bulk.table(office, TicketEvent, with_id=False).insert(office, events)
        columns = sorted({k for _, clean in updated for k in clean["fields"]})
        rows = []
        for row, clean in updated:
            fields = clean["fields"]
            rows.append((*(fields[k] for k in columns), now, row.version + 1, row.id))
            before = clean["before"]
            after = {**before, **{k: v for k, v in fields.items() if k in before}}
            out.append(("ticket", row.id, "update", versions.journaled(before), after, "import"))
        # The clean fields are named as the table's columns (village_id, applicant_pinyin…).
        update_rows(office, "ticket", [*columns, "updated_at", "version"], rows)
        return out

    def export(self, reveal: bool, filters: Any = None) -> Iterator[dict[str, Any]]:
        from ledger.tickets import iter_tickets, rules

        items = dict(ServiceItem.select(ServiceItem.id, ServiceItem.code).tuples())
        codes = dict(Village.select(Village.id, Village.code).tuples())
        to_local = self.office.clock.to_local
        for batch in listed(iter_tickets(self.office, filters or TicketFilter()), Ticket):
            for row in batch:
                yield {
                    "number": row.number, "item": items.get(row.item_id, ""),
                    "applicant_name": row.applicant_name,
                    "applicant_phone": row.applicant_phone,
                    "applicant_id_number": row.applicant_id_number or "",
                    "village": codes.get(row.village_id, "") if row.village_id else "",
                    "enterprise": row.enterprise, "project": row.project, "agent": row.agent,
                    # The office's wall time, to the second: imports back to the same instant.
                    "received_at": to_local(row.received_at).strftime("%Y-%m-%d %H:%M:%S"),
                    "materials": "|".join(m["name"] for m in rules.materials_checklist(
                        row.materials) if m["checked"]),
                    "state": row.state, "notes": row.notes,
                }


register(Kind(
    name="tickets", entity="ticket", key="number",
    columns=(
        Column("number"), Column("item", ("item", "item_code")),
        Column("applicant_name"), Column("applicant_phone", personal="phone"),
        Column("applicant_id_number", personal="id_number"),
        Column("village", ("village", "village_code")), Column("enterprise"),
        Column("project"), Column("agent"),
        Column("received_at", ("received_at", "received_on"), date=True),
        Column("materials"), Column("state", coded="ticket_state"), Column("notes"),
    ),
    handler=TicketHandler, filter=TicketFilter,
))
