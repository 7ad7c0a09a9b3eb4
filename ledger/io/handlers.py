"""The kinds the import and export know: villages, items, members with their posts.

Small catalogues (villages, items) are written row by row through peewee, so each row's own
validator sees the rows before it; people go set-based (ids in a block, ``executemany``).
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from dateutil.relativedelta import relativedelta
from peewee import JOIN

from ledger import bulk, versions
from ledger.errors import Conflict, ValidationError
from ledger.fields import choice, date_field, text_field
from ledger.i18n import value_label
from ledger.io.kinds import (
    Column,
    Handler,
    JournalRows,
    Kind,
    allocate_ids,
    insert_rows,
    listed,
    register,
    update_rows,
)
from ledger.items.query import ItemFilter
from ledger.members.query import MemberFilter
from ledger.members.rules import POSTS, SOLE_POSTS, clean_person, committee_of
from ledger.models import Election, Person, Term, Village
from ledger.models.tickets import ServiceItem
from ledger.people import normalise_id_number

# --- villages -------------------------------------------------------------------------------

VILLAGE_COLUMNS = ("name", "code", "relocation_status", "notes")


@dataclass
class VillageHandler(Handler):
    chunk_size: int = 1  # each row's validator must see the rows before it

    def key(self, data: dict[str, str]) -> str:
        return text_field("name", data.get("name"), 60, required=True)

    def existing(self, keys: list[str]) -> dict[str, Any]:
        return {v.name: v for v in Village.select().where(Village.name.in_(keys))}

    def clean(self, data: dict[str, str], current: Any) -> dict[str, Any]:
        from ledger.villages.rules import clean_village

        return clean_village(data, current=current)

    def changed(self, clean: dict[str, Any], current: Any) -> bool:
        return any(getattr(current, k) != clean[k] for k in VILLAGE_COLUMNS)

    def write(self, added: list[dict[str, Any]],
              updated: list[tuple[Any, dict[str, Any]]]) -> JournalRows:
        from ledger.villages.query import village_dict

        out: JournalRows = []
        for data in added:
            row = Village.create(**data, created_at=self.office.now())
            out.append(("village", row.id, "create", None,
                        versions.journaled(village_dict(row)), "import"))
        for row, data in updated:
            before = village_dict(row)
            for key, value in data.items():
                setattr(row, key, value)
            versions.bump(row)
            row.save()
            out.append(("village", row.id, "update", versions.journaled(before),
                        versions.journaled(village_dict(row)), "import"))
        return out

    def export(self, reveal: bool, filters: Any = None) -> Iterator[dict[str, Any]]:
        for row in Village.select().order_by(Village.code).iterator():
            yield {k: getattr(row, k) for k in VILLAGE_COLUMNS}


register(Kind(
    name="villages", entity="village", key="name",
    columns=(Column("name", ("village_name", "name")), Column("code", ("code", "village_code")),
             Column("relocation_status"), Column("notes")),
    handler=VillageHandler,
))


# --- items ----------------------------------------------------------------------------------

ITEM_COLUMNS = ("code", "name", "category", "level", "time_limit_days", "materials", "fee",
                "track", "active", "notes")


@dataclass
class ItemHandler(Handler):
    chunk_size: int = 1

    def key(self, data: dict[str, str]) -> str:
        return text_field("name", data.get("name"), 100, required=True)

    def existing(self, keys: list[str]) -> dict[str, Any]:
        return {i.name: i for i in ServiceItem.select().where(ServiceItem.name.in_(keys))}

    def clean(self, data: dict[str, str], current: Any) -> dict[str, Any]:
        from ledger.items.rules import clean_item

        return clean_item(data, current=current)

    def changed(self, clean: dict[str, Any], current: Any) -> bool:
        from ledger.items.query import item_dict

        stored = item_dict(current)
        return any(stored[k] != clean[k] for k in ITEM_COLUMNS)

    def write(self, added: list[dict[str, Any]],
              updated: list[tuple[Any, dict[str, Any]]]) -> JournalRows:
        from ledger.items.query import item_dict

        out: JournalRows = []
        for data in added:
            row = ServiceItem.create(**{**data, "materials": json.dumps(
                data["materials"], ensure_ascii=False)}, created_at=self.office.now())
            out.append(("item", row.id, "create", None, versions.journaled(item_dict(row)),
                        "import"))
        for row, data in updated:
            before = item_dict(row)
            for key, value in data.items():
                setattr(row, key, json.dumps(value, ensure_ascii=False)
                        if key == "materials" else value)
            versions.bump(row)
            row.save()
            out.append(("item", row.id, "update", versions.journaled(before),
                        versions.journaled(item_dict(row)), "import"))
        return out

    def export(self, reveal: bool, filters: Any = None) -> Iterator[dict[str, Any]]:
        from ledger.items.query import item_dict, iter_items

        # Every item (retired ones too), or what the items list shows with these filters.
        rows = (ServiceItem.select().order_by(ServiceItem.code).iterator() if filters is None
                else (r for batch in listed(iter_items(self.office, filters), ServiceItem)
                      for r in batch))
        for row in rows:
            data = item_dict(row)
            data["materials"] = "|".join(data["materials"])
            yield {k: data[k] for k in ITEM_COLUMNS}


register(Kind(
    name="items", entity="item", key="name",
    columns=(Column("code"), Column("name"), Column("category"),
             Column("level"), Column("time_limit_days"), Column("materials"), Column("fee"),
             Column("track"), Column("active"), Column("notes")),
    handler=ItemHandler, filter=ItemFilter,
))


# --- members and their posts ----------------------------------------------------------------

PERSON_FIELDS = ("name", "id_number", "gender", "birth_date", "phone", "education",
                 "political_status", "college_graduate_official", "notes")
PERSON_COLUMNS = ("id", "name", "name_initials", "name_pinyin", "gender", "birth_date",
                  "id_number", "phone", "education", "political_status",
                  "college_graduate_official", "village_id", "notes", "created_at", "version")
STORED = (*PERSON_FIELDS, "village_id")


def _split(value: Any) -> list[str]:
    text = "" if value is None else str(value)
    for sep in ("、", ";", "；", ",", "，"):
        text = text.replace(sep, "|")
    return [p.strip() for p in text.split("|") if p.strip()]


@dataclass
class MemberHandler(Handler):
    chunk_size: int = 500  # memory: see PetitionHandler
    villages: dict[str, int] = field(default_factory=dict)
    elections: dict[tuple[int, dt.date], tuple[int, int]] = field(default_factory=dict)
    # (village, sole post) -> (person id or None while being imported, name)
    sole_holders: dict[tuple[int, str], tuple[int | None, str]] = field(default_factory=dict)
    active: dict[int, list[str]] = field(default_factory=dict)

    today: dt.date | None = None

    def prepare(self) -> None:
        self.today = self.office.today()  # one day for the whole run, as one transaction
        for v in Village.select(Village.id, Village.code, Village.name).tuples():
            vid, code, name = v
            self.villages.update({str(vid): vid, code: vid, code.upper(): vid, name: vid})
        for eid, vid, held_on, years in Election.select(
                Election.id, Election.village, Election.held_on, Election.term_years).tuples():
            self.elections[(vid, held_on)] = (eid, years)
        for pid, vid, post, name in (Term.select(Term.person, Term.village, Term.post,
                                                 Person.name).join(Person)
                                     .where(Term.ended_on.is_null(),
                                            Term.post.in_(SOLE_POSTS)).tuples()):
            self.sole_holders[(vid, post)] = (pid, name)

    def key(self, data: dict[str, str]) -> str:
        number = normalise_id_number(data.get("id_number"))
        if not number:
            raise ValidationError("id_number", "error.required")
        return number

    def existing(self, keys: list[str]) -> dict[str, Any]:
        # Plain SQL: peewee would build the chunk's hundreds of key parameters one by one.
        columns = ("id", *PERSON_FIELDS, "village_id", "version")
        cursor = self.office.db.execute_sql(
            "SELECT " + ", ".join(f'"{c}"' for c in columns) + ' FROM "person" WHERE '
            '"id_number" IN (' + ", ".join([self.office.db.param] * len(keys)) + ")", keys)
        birth = Person.birth_date.python_value  # the stored text as peewee reads it
        rows = {}
        for values in cursor.fetchall():
            r = dict(zip(columns, values, strict=True))
            r["birth_date"] = birth(r["birth_date"])
            r["college_graduate_official"] = bool(r["college_graduate_official"])
            rows[r["id_number"]] = r
        ids = [r["id"] for r in rows.values()]
        # The active posts of this chunk's stored people only: kept across chunks, a
        # re-import of every member would hold them all.
        self.active = {pid: [] for pid in ids}
        if ids:
            for pid, post in (Term.select(Term.person, Term.post)
                              .where(Term.person.in_(ids), Term.ended_on.is_null()).tuples()):
                self.active[pid].append(post)
        return rows

    def _village(self, ref: Any) -> int:
        text = "" if ref is None else str(ref).strip()
        if not text:
            raise ValidationError("village", "error.required")
        vid = self.villages.get(text) or self.villages.get(text.upper())
        if vid is None:
            raise ValidationError("village", "error.unknown_village", ref=text)
        return vid

    def clean(self, data: dict[str, str], current: Any) -> dict[str, Any]:
        person = clean_person(self.office, data, check_unique=False)
        person["village_id"] = self._village(data.get("village"))
        if current is not None and person["village_id"] != current["village_id"]:
            if self.active.get(current["id"]):
                raise ValidationError("village", "error.village_has_active_terms")
        post_text = data.get("post")
        posts = [choice("post", p, POSTS) for p in _split(post_text)] if post_text else []
        held = list(self.active.get(current["id"], [])) if current is not None else []
        new_posts: list[str] = []
        for post in posts:
            if post in held or post in new_posts:
                continue
            for other in (*held, *new_posts):
                if committee_of(other) == committee_of(post):
                    raise Conflict("error.same_committee", name=person["name"],
                                   post=value_label("post", other))
            if post in SOLE_POSTS:
                holder = self.sole_holders.get((person["village_id"], post))
                if holder is not None and (current is None or holder[0] != current["id"]):
                    raise Conflict("error.post_taken", post=value_label("post", post),
                                   village=str(data.get("village")).strip(), name=holder[1])
            new_posts.append(post)
        held_on = date_field("election_date", data.get("election_date"))
        start = date_field("started_on", data.get("started_on"))
        today = self.today or self.office.today()
        if held_on and held_on > today:
            raise ValidationError("election_date", "error.election_in_future",
                                  value=held_on.isoformat())
        start = start or held_on or today
        if held_on and start < held_on:
            raise ValidationError("started_on", "error.started_before_election")
        person["_posts"] = new_posts
        person["_term"] = (held_on, start)
        for post in new_posts:
            if post in SOLE_POSTS:  # later rows of the file see this holder
                self.sole_holders[(person["village_id"], post)] = (
                    current["id"] if current is not None else None, person["name"])
        return person

    def changed(self, clean: dict[str, Any], current: Any) -> bool:
        return bool(clean["_posts"]) or any(current[k] != clean[k] for k in STORED)

    def write(self, added: list[dict[str, Any]],
              updated: list[tuple[Any, dict[str, Any]]]) -> JournalRows:
        office = self.office
        out: JournalRows = []
        now = office.now()
        ids = allocate_ids(office, "person", len(added))
        # The row's only dates, given as SQLite stores them (the text peewee writes) here
        # rather than by looking at every value of every row.
        stored = (lambda v: v) if office.is_postgres else bulk.as_stored
        created = stored(now)
        rows = []
        for pid, data in zip(ids, added, strict=True):
            data["id"] = pid
            rows.append((pid, data["name"], data["name_initials"], data["name_pinyin"],
                         data["gender"], stored(data["birth_date"]), data["id_number"],
                         data["phone"], data["education"], data["political_status"],
                         data["college_graduate_official"], data["village_id"], data["notes"],
                         created, 1))
            out.append(("member", pid, "create", None, {k: data[k] for k in STORED}, "import"))
        bulk.insert(office, "person", PERSON_COLUMNS, rows)
        changes = []
        for current, data in updated:
            data["id"] = current["id"]
            if any(current[k] != data[k] for k in STORED):
                changes.append((*(data[k] for k in STORED), current["version"] + 1,
                                current["id"]))
                out.append(("member", current["id"], "update",
                            {k: current[k] for k in STORED}, {k: data[k] for k in STORED},
                            "import"))
        update_rows(office, "person", [*(f if f != "village_id" else "village_id"
                                         for f in STORED), "version"], changes)
        out += self._terms([*added, *(d for _, d in updated)])
        return out

    def _election(self, village_id: int, held_on: dt.date | None,
                  start: dt.date, out: JournalRows) -> tuple[int | None, dt.date | None]:
        from ledger.members.rules import term_years

        if held_on:
            found = self.elections.get((village_id, held_on))
            if found is None:
                years = term_years(self.office, held_on)
                row = Election.create(village=village_id, held_on=held_on, term_years=years)
                found = self.elections[(village_id, held_on)] = (row.id, years)
                out.append(("election", row.id, "create", None,
                            {"village_id": village_id, "held_on": held_on,
                             "term_years": years}, "import"))
            eid, years = found
            held = held_on
        else:
            earlier = [(d, e) for (v, d), e in self.elections.items()
                       if v == village_id and d <= start]
            if not earlier:
                return None, None
            held, (eid, years) = max(earlier)
        ends = held + relativedelta(years=years)
        if ends <= start:
            return None, None
        return eid, ends

    def _terms(self, people: list[dict[str, Any]]) -> JournalRows:
        out: JournalRows = []
        planned = []
        for data in people:
            held_on, start = data["_term"]
            for post in data["_posts"]:
                eid, ends = self._election(data["village_id"], held_on, start, out)
                planned.append((data["id"], data["village_id"], eid, post, start, ends))
        ids = allocate_ids(self.office, "term", len(planned))
        rows = []
        for tid, (pid, vid, eid, post, start, ends) in zip(ids, planned, strict=True):
            rows.append((tid, pid, vid, eid, post, start, ends, None, "", 1))
            out.append(("term", tid, "create", None,
                        {"person_id": pid, "village_id": vid, "election_id": eid,
                         "post": post, "started_on": start, "ends_on": ends,
                         "ended_on": None, "end_reason": ""}, "import"))
            if (vid, post) in self.sole_holders:
                self.sole_holders[(vid, post)] = (pid, self.sole_holders[(vid, post)][1])
        insert_rows(self.office, "term", ["id", "person_id", "village_id", "election_id", "post",
                                          "started_on", "ends_on", "ended_on", "end_reason",
                                          "version"], rows)
        return out

    def export(self, reveal: bool, filters: Any = None) -> Iterator[dict[str, Any]]:
        codes = dict(Village.select(Village.id, Village.code).tuples())
        if filters is not None:  # what the members list shows with these filters
            from ledger.members import iter_members

            for chunk in listed(iter_members(self.office, filters), Person):
                yield from self._export_batch(chunk, codes, POSTS)
            return
        query = Person.select().order_by(Person.id)
        batch: list[Person] = []
        for row in query.iterator():
            batch.append(row)
            if len(batch) >= 1000:
                yield from self._export_batch(batch, codes, POSTS)
                batch = []
        yield from self._export_batch(batch, codes, POSTS)

    def _export_batch(self, batch: list[Person], codes: dict[int, str],
                      posts_order: tuple[str, ...]) -> Iterator[dict[str, Any]]:
        if not batch:
            return
        terms: dict[int, list[tuple[str, dt.date, dt.date | None]]] = {}
        query = (Term.select(Term.person, Term.post, Term.started_on, Election.held_on)
                 .join(Election, on=(Term.election == Election.id), join_type=JOIN.LEFT_OUTER)
                 .where(Term.person.in_([r.id for r in batch]), Term.ended_on.is_null())
                 .tuples())
        for pid, post, started, held in query:
            terms.setdefault(pid, []).append((post, started, held))
        for row in batch:
            mine = sorted(terms.get(row.id, []), key=lambda t: posts_order.index(t[0]))
            yield {
                "name": row.name, "id_number": row.id_number or "", "gender": row.gender,
                "birth_date": row.birth_date, "phone": row.phone, "education": row.education,
                "political_status": row.political_status,
                "college_graduate_official": "yes" if row.college_graduate_official else "no",
                "village": codes.get(row.village_id, ""),
                "post": "|".join(t[0] for t in mine),
                "election_date": mine[0][2] if mine else None,
                "started_on": mine[0][1] if mine else None,
                "notes": row.notes,
            }


register(Kind(
    name="members", entity="member", key="id_number",
    columns=(Column("name", ("person_name", "name")), Column("id_number", personal="id_number"),
             Column("gender"), Column("birth_date", date=True),
             Column("phone", personal="phone"), Column("education"),
             Column("political_status"), Column("college_graduate_official"),
             Column("village", ("village", "village_code")), Column("post"),
             Column("election_date", date=True), Column("started_on", date=True),
             Column("notes")),
    handler=MemberHandler, filter=MemberFilter,
))
