"""Property-based tests: random and adversarial values through every importer and every
record's add and edit never raise anything but the domain's own errors (``LedgerError``),
and a refused import, add or edit leaves the database as it was (every table's row count,
the journal, the record itself).

Values are drawn from a column's good values, the hostile catalogue (``tests/hostile.py``)
and arbitrary text. Hypothesis runs derandomized without an example database (nothing is
written to the repository; CI is deterministic), few examples each, on both databases.
"""

from __future__ import annotations

import csv
import datetime as dt
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hostile import HOSTILE
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.configuration import set_hypothesis_home_dir

from ledger import (
    Office,
    io,
    items,
    members,
    petitions,
    roster,
    staff,
    surveys,
    tickets,
    training,
    villages,
)
from ledger.errors import LedgerError
from ledger.io.kinds import get_kind
from ledger.people import id_check_char

# Hypothesis keeps caches (unicode data, constants) in its home folder: outside the repository.
set_hypothesis_home_dir(str(Path(tempfile.gettempdir()) / "jiedao-hypothesis"))

# The office is built once per test (the ``office`` fixture, on each database) and every
# example runs against it, so the examples also meet what earlier ones stored.
FAST = settings(max_examples=20, deadline=None, derandomize=True, database=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture,
                                       HealthCheck.too_slow])


def idn(seq: str, birth: str = "19800102") -> str:
    first17 = "139021" + birth + seq
    return first17 + id_check_char(first17)


A, B = idn("123"), idn("224", "19751130")
CATEGORY = "城乡建设"

# Good values per column (any kind's): the strategies mix them with hostile and random text.
GOOD: dict[str, list[str]] = {
    "name": ["许庄村", "王建国", "城乡低保"], "code": ["V09", "R19", "centre"],
    "relocation_status": ["not_affected", "城中村"], "notes": ["", "备注"],
    "category": ["社会救助", CATEGORY], "level": ["district", "区级"],
    "time_limit_days": ["15", "0", "-1", "99999999999"], "materials": ["身份证|户口簿", ""],
    "fee": ["", "免费"], "track": ["resident"], "active": ["yes", "否"],
    "id_number": [A, B, "", "12345"], "gender": ["male", "女", ""],
    "birth_date": ["1980-01-02", "2026/2/30", ""], "phone": ["13812345678", "", "abc"],
    "education": ["", "本科"], "political_status": ["", "中共党员"],
    "college_graduate_official": ["", "yes"], "village": ["V01", "许庄村", "V99", ""],
    "post": ["committee_member", "主任", "centre", "V01"],
    "election_date": ["2024-03-01", ""], "started_on": ["", "2024-03-01"],
    "number": ["", "XF-2026-0041", "DB-2026-0040"], "channel": ["visit", "来访"],
    "received_on": ["2026-11-02", "2027-01-01"], "summary": ["路灯不亮"],
    "demands": ["", "修好"], "collective": ["", "yes"], "group_size": ["", "5", "x"],
    "handler": ["", "王芳", "赵刚"], "handler_unit": [""], "attachments": ["", "a.pdf"],
    "petitioner_name": ["张三", ""], "petitioner_phone": ["", "13812345678"],
    "petitioner_id_number": ["", A], "petitioner_village": ["", "V01"],
    "petitioner_address": [""], "other_petitioners": ["", "李四"],
    "item": ["R11", "城乡低保", "R99"], "applicant_name": ["许桂兰", ""],
    "applicant_phone": ["13812345678", ""], "applicant_id_number": ["", A],
    "enterprise": [""], "project": [""], "agent": ["", "王芳"],
    "received_at": ["2026-11-02", "2026-11-20 15:30", "2026-12-01"],
    "state": ["", "received", "出席", "excused"], "session": ["1", "2", "x"],
    "person_name": ["许少伟", "王建国", "无名"], "reason": ["", "leave", "出差"],
    "date_from": ["2026-12-01", ""], "date_to": ["2026-12-05", "2026-11-01", ""],
    "note": [""], "day": ["2026-12-01", "2026-13-01"], "shift": ["day", "morning", "night"],
    "surveyed_on": ["2026-06-30", "2027-01-01"], "satisfied": ["80", "0", "-3"],
    "basically_satisfied": ["15", "0"], "dissatisfied": ["5", "0"], "comments": ["", "好"],
}
HOSTILE_VALUES = [value for _, value in HOSTILE]


def value_for(field: str) -> st.SearchStrategy[str]:
    return st.one_of(st.sampled_from(GOOD.get(field, [""])),
                     st.sampled_from(HOSTILE_VALUES),
                     st.text(max_size=30))


def build_base(office: Office) -> None:
    """Villages, items, members, staff, a session held last week, a centre and a station."""
    villages.add_village(office, name="许庄村", code="V01")
    villages.add_village(office, name="东王村", code="V02")
    items.add_item(office, code="R11", name="重度残疾人护理补贴", category="残疾人服务",
                   level="district", time_limit_days=20, materials="身份证|户口簿")
    items.add_item(office, code="R13", name="城乡低保", category="社会救助", level="district",
                   time_limit_days=15, materials="身份证|户口簿")
    for name, number in (("许少伟", A), ("王建国", B)):
        members.add_member(office, name=name, village="V01", post="committee_member",
                           id_number=number, election_date="2024-03-01")
    staff.add_staff(office, name="王芳")
    training.add_session(office, title="信访条例讲座", starts_at="2026-11-20 09:00",
                         ends_at="2026-11-20 11:00", credit_hours=2)
    roster.add_post(office, code="centre", name="便民服务中心", kind="centre",
                    shifts="day=08:30-17:30")
    roster.add_post(office, code="V01", name="许庄村服务站", kind="station", village="V01",
                    shifts="morning=08:30-12:00,afternoon=14:00-17:30")
    roster.add_eligible(office, "CENTRE", ["许少伟", "王建国"])
    surveys.add_survey(office, village="V01", surveyed_on="2026-06-30", satisfied=3)
    tickets.open_ticket(office, item="R11", applicant_name="许桂兰", village="V01",
                        materials="all")
    petitions.register(office, channel="visit", category=petitions.categories(office)[0],
                       summary="路灯", petitioners=[{"name": "张三"}])


_TABLES: dict[str, list[str]] = {}


def state(office: Office) -> tuple[Any, ...]:
    """Every table's row count and the journal's last entry, in one statement."""
    if office.url not in _TABLES:
        _TABLES[office.url] = sorted(office.db.get_tables())
    counts = ", ".join(f'(SELECT COUNT(*) FROM "{t}")' for t in _TABLES[office.url])
    return tuple(office.db.execute_sql(
        f'SELECT {counts}, (SELECT MAX(id) FROM "journal")').fetchone())


def refused_cleanly(office: Office, call: Callable[[], Any],
                    after: Callable[[], Any] = lambda: None) -> bool:
    """Run ``call``: it succeeds, or raises a ``LedgerError`` having changed nothing (the
    counts, the journal and ``after()``, what the caller reads of the record)."""
    before, seen = state(office), after()
    try:
        call()
    except LedgerError as err:
        assert err.message()  # a line a face shows (its control characters escaped)
        assert state(office) == before, f"refused ({err.key}) but changed the database"
        assert after() == seen
        return True
    return False


# --- the importers --------------------------------------------------------------------------

KIND_NAMES = ["villages", "items", "members", "petitions", "tickets", "surveys",
              "attendance", "unavailability", "shifts"]


def rows_for(kind_name: str) -> st.SearchStrategy[list[list[str]]]:
    fields = [c.field for c in get_kind(kind_name).columns]
    row = st.tuples(*(value_for(f) for f in fields)).map(list)
    return st.lists(row, min_size=1, max_size=3)


def write_csv(path: Path, header: list[str], rows: list[list[str]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)
    return path


@pytest.mark.parametrize("kind_name", KIND_NAMES)
def test_an_import_of_random_rows_is_written_whole_or_not_at_all(office, tmp_path, kind_name):
    build_base(office)
    header = [c.field for c in get_kind(kind_name).columns]
    path = tmp_path / "in.csv"

    @FAST
    @given(rows=rows_for(kind_name), upsert=st.booleans())
    def check(rows: list[list[str]], upsert: bool) -> None:
        write_csv(path, header, rows)
        before = state(office)
        try:
            result = io.run_import(office, kind_name, path,
                                   mode="upsert" if upsert else "insert")
        except LedgerError:  # the file as a whole (no rows left, say): nothing written
            assert state(office) == before
            return
        if result.error_count:
            assert not result.written and state(office) == before
            assert all(line.strip() for line in result.error_lines())
        else:
            assert result.written

    check()


# --- add and edit --------------------------------------------------------------------------

def text() -> st.SearchStrategy[str]:
    return st.one_of(st.sampled_from(HOSTILE_VALUES), st.text(max_size=30))


def fields(spec: dict[str, list[Any]], required: tuple[str, ...] = ()
           ) -> st.SearchStrategy[dict[str, Any]]:
    """Keyword arguments: each field from its good values or hostile/random text; optional
    fields may be left out."""
    return st.fixed_dictionaries(
        {k: st.one_of(st.sampled_from(v), text()) for k, v in spec.items() if k in required},
        optional={k: st.one_of(st.sampled_from(v), text())
                  for k, v in spec.items() if k not in required})


VILLAGE = {"name": ["新村"], "code": ["V07"], "relocation_status": ["urban_village"],
           "notes": [""]}
ITEM = {"name": ["新事项"], "category": ["社会救助"], "level": ["district"],
        "time_limit_days": [5, "5", -1, 2**40, 1.5, None], "materials": ["身份证", None, []],
        "fee": [""], "track": ["resident", "enterprise"], "code": ["R20"], "notes": [""]}
MEMBER = {"name": ["新人"], "village": ["V01", 1, 2**70, None], "post": ["committee_member"],
          "id_number": [None, A, "X"], "gender": ["female"], "birth_date": ["1990-01-01", 5],
          "phone": ["13912345678"], "education": [""], "political_status": [""],
          "college_graduate_official": [True, "maybe"], "election_date": ["2024-03-01"],
          "started_on": [None], "notes": [""]}
STAFF = {"name": ["新干事"], "post": ["科员"], "phone": ["13912345678"],
         "email": ["a@b.cn", "a@"], "language": ["zh", "fr"], "channels": [None, ["email"]],
         "webhook_url": ["", "http://x"], "notes": [""]}
SURVEY = {"village": ["V02", "V01"], "surveyed_on": ["2026-05-01", dt.date(2026, 5, 2)],
          "satisfied": [1, "2", -1], "basically_satisfied": [0], "dissatisfied": [0, 2**40],
          "comments": [""]}
SESSION = {"title": ["讲座"], "starts_at": ["2026-12-01 09:00", "2026-12-01"],
           "ends_at": ["2026-12-01 10:00", "2026-11-01 10:00"], "credit_hours": [1, "2", -1],
           "topic": [""], "kind": ["lecture", "x"], "place": [""], "organiser": [""],
           "audience": ["all"], "notes": [""]}
POST = {"code": ["P9"], "name": ["新站"], "shifts": ["day=08:00-12:00", "x", "a=25:00-26:00"],
        "kind": ["station", "centre"], "village": ["V02", None], "notes": [""]}
UNAVAILABLE = {"person": ["许少伟", A, 999], "date_from": ["2026-12-01"],
               "date_to": ["2026-12-03", None], "reason": ["leave", "x"], "note": [""]}
TICKET = {"item": ["R11", "R99"], "applicant_name": ["赵六"], "applicant_phone": [""],
          "applicant_id_number": [None, A], "village": ["V01", None], "enterprise": [""],
          "project": [""], "agent": ["", "王芳", "赵刚"], "received_at": [None, "2026-11-20"],
          "materials": ["all", None], "notes": [""]}
PETITION = {"channel": ["visit", "fax"], "category": [CATEGORY], "summary": ["噪音"],
            "received_on": [None, "2026-11-02"], "village": [None, "V01"], "demands": [""],
            "collective": [False, "x"], "group_size": [None, 3, -1], "handler": ["", "王芳"],
            "handler_unit": [""], "note": [""]}

ADDS: dict[str, tuple[Callable[..., Any], dict[str, list[Any]], tuple[str, ...]]] = {
    "village": (villages.add_village, VILLAGE, ("name", "code")),
    "item": (items.add_item, ITEM, ("name", "category", "level", "time_limit_days")),
    "member": (members.add_member, MEMBER, ("name", "village", "post")),
    "staff": (staff.add_staff, STAFF, ("name",)),
    "survey": (surveys.add_survey, SURVEY, ("village", "surveyed_on")),
    "session": (training.add_session, SESSION, ("title", "starts_at", "ends_at",
                                                "credit_hours")),
    "post": (roster.add_post, POST, ("code", "name", "shifts")),
    "unavailable": (lambda office, person, **kw: roster.add_unavailable(office, person, **kw),
                    UNAVAILABLE, ("person", "date_from")),
    "ticket": (tickets.open_ticket, TICKET, ("item",)),
    "petition": (lambda office, name="张三", **kw: petitions.register(
        office, petitioners=[{"name": name}], **kw),
        {**PETITION, "name": ["张三"]}, ("channel", "category", "summary")),
}


@pytest.mark.parametrize("record", list(ADDS))
def test_adding_random_values_stores_or_refuses_cleanly(office, record):
    build_base(office)
    add, spec, required = ADDS[record]

    @FAST
    @given(data=fields(spec, required))
    def check(data: dict[str, Any]) -> None:
        refused_cleanly(office, lambda: add(office, **data))

    check()


EDITS: dict[str, tuple[Callable[..., Any], Callable[..., Any], Any, dict[str, list[Any]]]] = {
    "village": (villages.edit_village, villages.get_village, 1, VILLAGE),
    "item": (items.edit_item, items.get_item, 1,
             {k: v for k, v in ITEM.items() if k != "code"} | {"active": [True, "x"]}),
    "member": (members.edit_member, members.get_member, 1,
               {k: MEMBER[k] for k in members.EDITABLE_FIELDS if k in MEMBER}),
    "staff": (staff.edit_staff, staff.get_staff, 1, STAFF | {"active": [True, "x"]}),
    "survey": (surveys.edit_survey, surveys.get_survey, 1,
               {k: v for k, v in SURVEY.items() if k != "village"}),
    "session": (training.edit_session, training.get_session, 1,
                {k: v for k, v in SESSION.items() if k != "audience"}),
    "post": (roster.edit_post, roster.get_post, 1, POST),
    "ticket": (tickets.edit_ticket, tickets.get_ticket, 1,
               {k: v for k, v in TICKET.items() if k in tickets.EDITABLE}),
}


@pytest.mark.parametrize("record", list(EDITS))
def test_editing_random_values_stores_or_refuses_cleanly(office, record):
    build_base(office)
    edit, get, ref, spec = EDITS[record]

    def stored() -> Any:
        return get(office, ref)

    @FAST
    @given(changes=fields(spec), version=st.sampled_from([None, None, 1, 0, -5, 2**40]))
    def check(changes: dict[str, Any], version: Any) -> None:
        refused_cleanly(office, lambda: edit(office, ref, version=version, **changes), stored)

    check()
