"""Proxy tickets: the state machine, due dates across holidays and 调休, the stopped clock,
provisional dates and their recomputation, masking, filters and bad input.

The clock is conftest's NOW: Friday 2026-11-27 10:00 Asia/Shanghai. With the default lead
of 2 working days, "due soon" runs up to Tuesday 2026-12-01.
"""

from __future__ import annotations

import datetime as dt

import pytest

from ledger import items, journal, tickets, workcal
from ledger.errors import InvalidTransition, NotFound, ValidationError
from ledger.models.core import NumberSequence
from ledger.models.tickets import Ticket, TicketEvent
from ledger.tickets import TicketFilter
from ledger.villages import add_village

D = dt.date
ID_NUMBER = "11010519491231002X"


@pytest.fixture
def cat(office, staff_names):
    add_village(office, name="许庄村", code="V01")
    add_village(office, name="东王村", code="V02")
    items.add_item(office, code="R11", name="重度残疾人护理补贴", category="残疾人服务",
                   level="district", time_limit_days=20, materials="身份证|户口簿|残疾证")
    items.add_item(office, code="R13", name="城乡低保", category="社会救助", level="district",
                   time_limit_days=15, materials="身份证|户口簿|家庭收入证明")
    items.add_item(office, code="R21", name="生育服务登记", category="卫生计生",
                   level="subdistrict", time_limit_days=0, materials="身份证|户口簿|结婚证")
    items.add_item(office, code="P01", name="企业投资项目备案代办", category="投资项目",
                   level="district", time_limit_days=3, track="project",
                   materials="项目备案申请表|营业执照")
    return office


def _open(office, item="R11", when=dt.datetime(2026, 11, 2, 9, 0), **kw):
    data = {"item": item, "applicant_name": "许桂兰", "applicant_phone": "13812345678",
            "village": "V01", "received_at": when, "materials": True}
    data.update(kw)
    return tickets.open_ticket(office, **data)


def _at(day: dt.date, hour: int = 9) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour))


# --- opening and due dates ----------------------------------------------------------------

def test_opening_numbers_the_ticket_sets_the_due_date_and_journals_it(cat):
    t = _open(cat)
    assert t["number"] == "DB-2026-0001"
    assert t["state"] == "received"
    # 2026-11-02 (Mon) + 20 working days = 2026-11-30.
    assert (t["due_date"], t["due_provisional"]) == (D(2026, 11, 30), False)
    assert t["deadline_state"] == "due_soon"
    assert t["village"] == "许庄村" and t["item_code"] == "R11"
    assert [h["action"] for h in t["history"]] == ["open"]
    assert [m["checked"] for m in t["materials"]] == [True, True, True]
    entry = list(journal.entries(cat, entity="ticket"))[0]
    assert (entry["entity_id"], entry["action"]) == (str(t["id"]), "create")
    assert _open(cat)["number"] == "DB-2026-0002"


@pytest.mark.parametrize(("item", "received", "due"), [
    ("R21", D(2026, 2, 13), D(2026, 2, 13)),    # on the spot
    ("P01", D(2026, 2, 12), D(2026, 2, 24)),    # Fri 13, Sat 14 (worked), then break to 23
    ("R13", D(2026, 2, 10), D(2026, 3, 9)),     # across the whole Spring Festival
    ("P01", D(2026, 9, 29), D(2026, 10, 9)),    # 30th, then 10-01..07 off, 10-08, 10-09
    ("P01", D(2026, 9, 18), D(2026, 9, 22)),    # Sunday 09-20 is worked
])
def test_due_dates_skip_holidays_and_count_adjusted_working_days(cat, item, received, due):
    kw = {"enterprise": "某某新材料有限公司"} if item == "P01" else {}
    t = _open(cat, item=item, when=_at(received), **kw)
    assert t["due_date"] == due
    assert t["due_provisional"] is False


def test_a_ticket_received_on_saturday_counts_from_monday(cat):
    # 2026-11-21 is an ordinary Saturday: +3 working days -> Mon 23, Tue 24, Wed 25.
    t = _open(cat, item="P01", when=_at(D(2026, 11, 21)), enterprise="某公司")
    assert t["due_date"] == D(2026, 11, 25)
    assert t["deadline_state"] == "overdue"


def test_a_limit_reaching_into_an_unpublished_year_is_provisional_until_it_is_loaded(cat,
                                                                                     tmp_path):
    cat.clock = cat.clock.at(dt.datetime(2026, 12, 16, 10, 0), tz="Asia/Shanghai")
    crossing = _open(cat, when=_at(D(2026, 12, 15)))
    inside = _open(cat, item="R21", when=_at(D(2026, 12, 15)))
    done = _open(cat, when=_at(D(2026, 12, 15)))
    tickets.advance(cat, done["number"])
    tickets.advance(cat, done["number"])
    assert (crossing["due_date"], crossing["due_provisional"]) == (D(2027, 1, 13), True)
    assert inside["due_provisional"] is False
    # Both faces show a provisional due date starred, a published one plain.
    assert tickets.due_label(crossing) == "2027-01-13*"
    assert tickets.due_label(inside) == inside["due_date"].isoformat()
    assert tickets.due_label({"due_date": None, "due_provisional": True}) == ""
    schedule = tmp_path / "2027.toml"
    schedule.write_text('year = 2027\n[[holiday]]\nname = "元旦"\nfrom = 2027-01-01\n'
                        'to = 2027-01-05\n', encoding="utf-8")
    result = workcal.load_schedule(cat, schedule)
    assert result["tickets_changed"] == 1
    again = tickets.get_ticket(cat, crossing["number"])
    # 2027-01-04 and 01-05 are now holidays too: two working days later.
    assert (again["due_date"], again["due_provisional"]) == (D(2027, 1, 15), False)
    assert again["history"][-1]["action"] == "recompute"
    assert tickets.get_ticket(cat, done["number"])["due_date"] == D(2027, 1, 13)
    recomputed = [e for e in journal.entries(cat, entity="ticket")
                  if e["action"] == "recompute_due"]
    assert [e["entity_id"] for e in recomputed] == [str(crossing["id"])]
    # Loading the same schedule again changes nothing more.
    assert workcal.load_schedule(cat, schedule)["tickets_changed"] == 0


# --- the state machine --------------------------------------------------------------------

def _in_state(office, state: str) -> str:
    number = _open(office, when=_at(D(2026, 11, 20)))["number"]
    steps = {
        "received": [],
        "in_progress": [lambda: tickets.advance(office, number)],
        "done": [lambda: tickets.advance(office, number),
                 lambda: tickets.advance(office, number)],
        "returned": [lambda: tickets.return_ticket(office, number, note="缺照片")],
        "withdrawn": [lambda: tickets.withdraw(office, number)],
    }[state]
    for step in steps:
        step()
    return number


ACTIONS = {
    "advance": lambda o, n: tickets.advance(o, n),
    "assign": lambda o, n: tickets.assign(o, n, "王芳"),
    "materials": lambda o, n: tickets.check_materials(o, n, ["残疾证"], checked=False),
    "return": lambda o, n: tickets.return_ticket(o, n, note="缺户口簿"),
    "resume": lambda o, n: tickets.resume(o, n),
    "withdraw": lambda o, n: tickets.withdraw(o, n, note="申请人撤回"),
    "reopen": lambda o, n: tickets.reopen(o, n, note="结果有误"),
    "rate": lambda o, n: tickets.rate(o, n, "satisfied"),
}
EXPECTED = {  # (from state, action) -> resulting state; anything missing is refused
    ("received", "advance"): "in_progress",
    ("in_progress", "advance"): "done",
    ("received", "assign"): "received",
    ("in_progress", "assign"): "in_progress",
    ("returned", "assign"): "returned",
    ("received", "materials"): "received",
    ("in_progress", "materials"): "in_progress",
    ("returned", "materials"): "returned",
    ("received", "return"): "returned",
    ("in_progress", "return"): "returned",
    ("returned", "resume"): "received",
    ("received", "withdraw"): "withdrawn",
    ("in_progress", "withdraw"): "withdrawn",
    ("returned", "withdraw"): "withdrawn",
    ("done", "reopen"): "in_progress",
    ("done", "rate"): "done",
}
STATES = ("received", "in_progress", "done", "returned", "withdrawn")


@pytest.mark.parametrize("state", STATES)
@pytest.mark.parametrize("action", list(ACTIONS))
def test_every_move_is_allowed_or_refused_as_the_rules_say(cat, state, action):
    number = _in_state(cat, state)
    before = tickets.get_ticket(cat, number)
    events, entries = TicketEvent.select().count(), len(list(journal.entries(cat)))
    assert (action in before["allowed_actions"]) == ((state, action) in EXPECTED)
    if (state, action) in EXPECTED:
        after = ACTIONS[action](cat, number)
        assert after["state"] == EXPECTED[(state, action)]
        assert after["history"][-1]["action"] == action
        assert after["history"][-1]["from_state"] == state
        assert TicketEvent.select().count() == events + 1
        assert list(journal.entries(cat))[-1]["action"] == action
    else:
        with pytest.raises(InvalidTransition) as caught:
            ACTIONS[action](cat, number)
        assert number in caught.value.message()
        assert "\n" not in caught.value.message()
        assert tickets.get_ticket(cat, number)["state"] == state
        assert TicketEvent.select().count() == events
        assert len(list(journal.entries(cat))) == entries


def test_refusals_say_why(cat):
    done = _in_state(cat, "done")
    with pytest.raises(InvalidTransition, match="reopen it first"):
        tickets.advance(cat, done)
    gone = _in_state(cat, "withdrawn")
    with pytest.raises(InvalidTransition, match="was withdrawn"):
        tickets.resume(cat, gone)
    fresh = _in_state(cat, "received")
    with pytest.raises(InvalidTransition, match="rate it once it is done"):
        tickets.rate(cat, fresh, "satisfied")


def test_submitting_upstream_needs_every_material(cat):
    t = _open(cat, materials=["身份证"])
    assert t["materials_missing"] == ["户口簿", "残疾证"]
    with pytest.raises(InvalidTransition, match="户口簿, 残疾证"):
        tickets.advance(cat, t["number"])
    t = tickets.check_materials(cat, t["number"], [2])
    assert t["materials_missing"] == ["残疾证"]
    t = tickets.advance(cat, t["number"], materials=["残疾证"])
    assert t["state"] == "in_progress"


def test_materials_all_is_the_whole_checklist_whichever_face_says_it(cat):
    assert _open(cat, materials=" All ")["materials_missing"] == []
    t = _open(cat, materials="")
    assert t["materials_missing"] == ["身份证", "户口簿", "残疾证"]
    assert tickets.check_materials(cat, t["number"], "all")["materials_missing"] == []
    t = _open(cat, materials="1")
    assert tickets.advance(cat, t["number"], materials="all")["state"] == "in_progress"
    with pytest.raises(ValidationError, match="everything"):
        _open(cat, materials="everything")


def test_return_and_reopen_need_a_note(cat):
    number = _in_state(cat, "received")
    with pytest.raises(ValidationError) as caught:
        tickets.return_ticket(cat, number, note=" ")
    assert caught.value.field == "note"
    done = _in_state(cat, "done")
    with pytest.raises(ValidationError):
        tickets.reopen(cat, done, note="")


def test_the_clock_stops_while_returned_and_resume_moves_the_due_date(cat):
    t = _open(cat, when=_at(D(2026, 11, 2)))          # due 2026-11-30
    tickets.advance(cat, t["number"], at=_at(D(2026, 11, 3)))
    returned = tickets.return_ticket(cat, t["number"], note="缺残疾证复印件",
                                     at=_at(D(2026, 11, 5)))
    assert returned["deadline_state"] is None
    # While returned it is neither overdue nor due soon, whatever its old due date.
    assert tickets.count_tickets(cat, TicketFilter(due_soon=True)) == 0
    back = tickets.resume(cat, t["number"], at=_at(D(2026, 11, 10)))
    # Returned Thu 11-05, back Tue 11-10: 3 working days (06, 09, 10) added.
    assert back["state"] == "in_progress"
    assert (back["due_date"], back["returned_days"]) == (D(2026, 12, 3), 3)
    done = tickets.advance(cat, t["number"])
    # 19 working days from 11-02 to 11-27, minus the 3 returned.
    assert (done["working_days_taken"], done["on_time"]) == (16, True)


def test_a_return_over_the_national_day_week_counts_only_working_days(cat):
    cat.clock = cat.clock.at(dt.datetime(2026, 10, 12, 10, 0), tz="Asia/Shanghai")
    t = _open(cat, item="R13", when=_at(D(2026, 9, 25)))  # Fri, Mid-Autumn: clock from 28th
    # 09-28..30 (3), 10-01..07 off, 10-08, 10-09, Sat 10-10 worked (6), then 10-22 is 15th.
    assert t["due_date"] == D(2026, 10, 22)
    tickets.return_ticket(cat, t["number"], note="缺收入证明", at=_at(D(2026, 9, 29)))
    back = tickets.resume(cat, t["number"], at=_at(D(2026, 10, 9)))
    # Working days after 09-29 up to 10-09: 09-30, 10-08, 10-09, and Sat 10-10 is not in
    # the range: 3 days.
    assert back["returned_days"] == 3
    assert back["due_date"] == D(2026, 10, 27)


def test_late_done_is_not_on_time_and_reopen_clears_the_result(cat):
    t = _open(cat, item="P01", when=_at(D(2026, 11, 16)), enterprise="某公司")  # due 11-19
    tickets.advance(cat, t["number"], at=_at(D(2026, 11, 17)))
    done = tickets.advance(cat, t["number"], at=_at(D(2026, 11, 24)))
    assert (done["on_time"], done["working_days_taken"]) == (False, 6)
    rated = tickets.rate(cat, t["number"], "basically_satisfied", comment="慢了点")
    assert rated["satisfaction"] == "basically_satisfied"
    rated = tickets.rate(cat, t["number"], "dissatisfied", comment="还是慢")
    assert rated["satisfaction_comment"] == "还是慢"
    reopened = tickets.reopen(cat, t["number"], note="备案信息有误")
    assert reopened["state"] == "in_progress"
    assert (reopened["done_on"], reopened["on_time"], reopened["satisfaction"]) == (
        None, None, None)
    assert reopened["deadline_state"] == "overdue"


def test_steps_cannot_be_dated_in_the_future_or_before_the_previous_step(cat):
    t = _open(cat, when=_at(D(2026, 11, 10)))
    with pytest.raises(ValidationError) as caught:
        tickets.advance(cat, t["number"], at=_at(D(2026, 11, 9)))
    assert caught.value.field == "at"
    with pytest.raises(ValidationError):
        tickets.advance(cat, t["number"], at=_at(D(2026, 12, 1)))
    with pytest.raises(ValidationError):
        _open(cat, when=_at(D(2026, 11, 28)))
    assert tickets.get_ticket(cat, t["number"])["state"] == "received"


# --- personal data ------------------------------------------------------------------------

def test_phone_and_id_are_masked_unless_revealed_and_revealing_is_journaled(cat):
    t = _open(cat, applicant_id_number=ID_NUMBER)
    assert t["applicant_phone"] == "138****5678"
    assert t["applicant_id_number"] == "1101**********002X"
    listed = tickets.list_tickets(cat, TicketFilter())[0]
    assert listed["applicant_phone"] == "138****5678"
    streamed = next(tickets.iter_tickets(cat))  # the export stream never reveals
    assert (streamed["applicant_phone"], streamed["applicant_id_number"]) == (
        "138****5678", "1101**********002X")
    assert not [e for e in journal.entries(cat) if e["action"] == "reveal"]
    shown = tickets.get_ticket(cat, t["number"], reveal=True)
    assert (shown["applicant_phone"], shown["applicant_id_number"]) == ("13812345678", ID_NUMBER)
    revealed = tickets.list_tickets(cat, TicketFilter(), reveal=True)
    assert revealed[0]["applicant_id_number"] == ID_NUMBER
    reveals = [e for e in journal.entries(cat) if e["action"] == "reveal"]
    assert [e["entity_id"] for e in reveals] == [str(t["id"]), "*"]


# --- bad input ----------------------------------------------------------------------------

@pytest.mark.parametrize(("changes", "field"), [
    ({"item": "R99"}, None),
    ({"item": ""}, "item"),
    ({"applicant_name": ""}, "applicant_name"),
    ({"applicant_phone": "12345"}, "applicant_phone"),
    ({"applicant_id_number": "110105194912310021"}, "applicant_id_number"),
    ({"village": "火星村"}, "village"),
    ({"materials": ["护照"]}, "materials"),
    ({"item": "P01"}, "enterprise"),
    ({"received_at": "yesterday"}, "received_at"),
    ({"agent": "x" * 61}, "agent"),
])
def test_bad_tickets_are_refused_and_nothing_is_stored(cat, changes, field):
    with pytest.raises((ValidationError, NotFound)) as caught:
        _open(cat, **changes)
    if field:
        assert caught.value.field == field
    assert Ticket.select().count() == 0
    assert NumberSequence.select().count() == 0
    assert not list(journal.entries(cat, entity="ticket"))


def test_retired_items_take_no_new_tickets(cat):
    items.retire_item(cat, "R13")
    with pytest.raises(ValidationError, match="retired"):
        _open(cat, item="R13")


def test_bad_satisfaction_and_unknown_tickets(cat):
    done = _in_state(cat, "done")
    with pytest.raises(ValidationError):
        tickets.rate(cat, done, "thrilled")
    with pytest.raises(NotFound):
        tickets.get_ticket(cat, "DB-2026-9999")
    with pytest.raises(NotFound):
        tickets.advance(cat, "nonsense")


# --- lists and filters --------------------------------------------------------------------

@pytest.fixture
def spread(cat):
    """Six tickets in known states."""
    a = _open(cat, when=_at(D(2026, 10, 8)), agent="王芳")["number"]           # overdue
    b = _open(cat, item="R13", when=_at(D(2026, 11, 10)), village="V02",
              applicant_name="东方红", agent="李强")["number"]                   # due 12-01
    c = _open(cat, item="R21", when=_at(D(2026, 11, 27)), applicant_name="赵敏")["number"]
    d = _open(cat, item="P01", when=_at(D(2026, 11, 26)), enterprise="华北新材料有限公司",
              applicant_name="", village=None)["number"]                       # due 12-01
    e = _open(cat, when=_at(D(2026, 11, 3)), agent="王芳")["number"]            # due 12-01
    tickets.return_ticket(cat, e, note="缺材料")
    f = _open(cat, when=_at(D(2026, 9, 1)), agent="李强")["number"]
    tickets.advance(cat, f, at=_at(D(2026, 9, 2)))
    tickets.advance(cat, f, at=_at(D(2026, 9, 15)))
    return {"a": a, "b": b, "c": c, "d": d, "e": e, "f": f}


@pytest.mark.parametrize(("flt", "expected"), [
    (TicketFilter(), "fedcba"),
    (TicketFilter(state="open"), "edcba"),
    (TicketFilter(state="returned"), "e"),
    (TicketFilter(village="东王村"), "b"),
    (TicketFilter(agent="王芳"), "ea"),
    (TicketFilter(item="R11"), "fea"),
    (TicketFilter(overdue=True), "a"),
    (TicketFilter(due_soon=True), "cbd"),
    (TicketFilter(overdue=True, due_soon=True), "acbd"),
    (TicketFilter(received_from=D(2026, 11, 1), received_to=D(2026, 11, 26)), "edb"),
    (TicketFilter(search="dfh"), "b"),
    (TicketFilter(search="赵"), "c"),
    (TicketFilter(search="华北"), "d"),
    (TicketFilter(search="2026-0003"), "c"),
])
def test_filters_select_and_order_the_right_tickets(spread, cat, flt, expected):
    rows = tickets.list_tickets(cat, flt)
    assert [r["number"] for r in rows] == [spread[k] for k in expected]
    assert tickets.count_tickets(cat, flt) == len(expected)


def test_deadline_states_in_lists_and_paging(spread, cat):
    rows = {r["number"]: r for r in tickets.list_tickets(cat, TicketFilter())}
    states = {k: rows[n]["deadline_state"] for k, n in spread.items()}
    assert states == {"a": "overdue", "b": "due_soon", "c": "due_soon", "d": "due_soon",
                      "e": None, "f": None}
    page = tickets.list_tickets(cat, TicketFilter(), offset=2, limit=2)
    assert [r["number"] for r in page] == [spread["d"], spread["c"]]
    assert len(tickets.list_tickets(cat, TicketFilter(), offset=4)) == 2


@pytest.mark.parametrize("flt", [
    TicketFilter(state="lost"),
    TicketFilter(village="火星村"),
    TicketFilter(received_from=D(2026, 11, 2), received_to=D(2026, 11, 1)),
])
def test_bad_filters_are_refused(cat, flt):
    with pytest.raises(ValidationError):
        tickets.list_tickets(cat, flt)


def test_allowed_actions_follow_the_state():
    assert tickets.allowed_actions({"state": "received"}) == [
        "advance", "assign", "materials", "return", "withdraw"]
    assert tickets.allowed_actions({"state": "done"}) == ["reopen", "rate"]
    assert tickets.allowed_actions({"state": "withdrawn"}) == []


def test_due_preview_shows_the_promise_before_opening(cat):
    preview = tickets.due_preview(cat, "R13")
    # Friday 2026-11-27 + 15 working days.
    assert (preview["due_date"], preview["due_provisional"]) == (D(2026, 12, 18), False)
    assert preview["materials"] == ["身份证", "户口簿", "家庭收入证明"]
    later = tickets.due_preview(cat, "R11", received_at=_at(D(2026, 11, 27)))
    assert later["due_provisional"] is False
    with pytest.raises(NotFound):
        tickets.due_preview(cat, "R99")
    assert Ticket.select().count() == 0
