"""QA: petitions' edge cases found while testing against the 信访工作条例 (see DOMAIN.md).

The clock is conftest's NOW (2026-11-27); every date here is fixed.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from ledger import journal
from ledger import petitions as P
from ledger.config import Settings
from ledger.errors import InvalidTransition, ValidationError
from ledger.models import JournalEntry, Village
from ledger.models.core import NumberSequence
from ledger.models.petitions import Petition, Petitioner, PetitionEvent
from ledger.people import id_check_char

D = dt.date
WANG_ID = "11010119800101123" + id_check_char("11010119800101123")


@pytest.fixture
def villages(office, staff_names):
    with office.transaction():
        for code, name in (("V01", "东村"), ("V02", "西村")):
            Village.create(code=code, name=name, created_at=office.now())
    return office


def reg(office, **kw: Any) -> dict:
    args: dict[str, Any] = {
        "channel": "visit", "category": "land_demolition", "summary": "拆迁补偿未到位",
        "village": "V01", "received_on": D(2026, 6, 1),
        "petitioners": [{"name": "王五", "phone": "13812345678", "id_number": WANG_ID}],
    }
    args.update(kw)
    return P.register(office, **args)


def finalised(office, received: dt.date | None = None, **kw: Any) -> dict:
    """A matter taken through reply, review and re-review, which closes it: final."""
    received = received or D(2026, 8, 1)
    n = reg(office, received_on=received, **kw)["number"]
    step = dt.timedelta(days=1)
    P.accept(office, n, on=received + step)
    P.assign(office, n, handler="李", on=received + step)
    P.reply(office, n, gist="答", on=received + 10 * step)
    P.request_review(office, n, on=received + 12 * step)
    P.review(office, n, gist="复", on=received + 20 * step)
    P.request_rereview(office, n, on=received + 22 * step)
    return P.rereview(office, n, gist="核", on=received + 30 * step)


def _nothing_stored_since(before: tuple[int, int, int, int]) -> None:
    assert (Petition.select().count(), Petitioner.select().count(),
            JournalEntry.select().where(JournalEntry.entity == "petition").count(),
            _last_number()) == before


def _counts() -> tuple[int, int, int, int]:
    return (Petition.select().count(), Petitioner.select().count(),
            JournalEntry.select().where(JournalEntry.entity == "petition").count(),
            _last_number())


def _last_number() -> int:
    return NumberSequence.select(NumberSequence.last).where(
        NumberSequence.year == 2026).scalar() or 0


# --- a final matter ----------------------------------------------------------------------------

def test_a_final_matter_registered_again_without_a_link_is_refused(villages):
    # The regulation: after the re-review the same matter is not accepted again. The clerk
    # linking it by hand was refused, but registering it plainly found the link itself and
    # took the petition in as a repeat.
    final = finalised(villages)
    assert final["final"]
    before = _counts()
    with pytest.raises(InvalidTransition) as err:
        reg(villages, received_on=D(2026, 11, 1))
    assert final["number"] in err.value.message()
    _nothing_stored_since(before)
    # by name and phone too (no ID number given this time)
    with pytest.raises(InvalidTransition):
        reg(villages, received_on=D(2026, 11, 1),
            petitioners=[{"name": "王五", "phone": "138-1234-5678"}])
    _nothing_stored_since(before)


def test_a_final_matter_stays_final_after_the_repeat_window(villages):
    final = finalised(villages, received=D(2024, 3, 1))
    with pytest.raises(InvalidTransition) as err:
        reg(villages, received_on=D(2026, 11, 1))  # over 365 days later
    assert final["number"] in err.value.message()


def test_another_matter_of_the_same_person_is_still_taken(villages):
    final = finalised(villages)
    other_category = reg(villages, received_on=D(2026, 11, 1), category="social_security")
    assert other_category["repeat_of"] == final["number"]  # linked, flagged, not refused
    other_village = reg(villages, received_on=D(2026, 11, 1), village="V02")
    assert other_village["repeat_of"] == final["number"]
    same_name_only = reg(villages, received_on=D(2026, 11, 1),
                         petitioners=[{"name": "王五", "phone": "13900000000"}])
    assert same_name_only["repeat_of"] is None
    # a matter closed after a reply only (no re-review) is not final: a repeat, taken
    n = reg(villages, received_on=D(2026, 9, 1), category="village_finances")["number"]
    P.accept(villages, n, on=D(2026, 9, 2))
    P.assign(villages, n, handler="李", on=D(2026, 9, 2))
    P.reply(villages, n, gist="答", on=D(2026, 9, 10))
    P.close(villages, n, on=D(2026, 9, 11))
    again = reg(villages, received_on=D(2026, 11, 2), category="village_finances")
    assert again["repeat_of"] == n


# --- journaling --------------------------------------------------------------------------------

def test_recomputed_deadlines_are_journaled_per_petition_with_before_and_after(villages):
    # Switching to working days moves the acceptance deadline of 09-28 from 10-13 to 10-23
    # (the National Day week). The journal only said "1 changed" under the id "*": the
    # petition's own history did not show its deadline moving.
    p = reg(villages, received_on=D(2026, 9, 28))
    untouched = reg(villages, received_on=D(2026, 9, 29), petitioners=[{"name": "甲"}])
    P.decline(villages, untouched["number"], reason="不属于本机关", on=D(2026, 9, 30))
    villages.settings = Settings(values={"petitions.day_counting": "working"})
    assert P.recompute_deadlines(villages) == 1
    moved = [e for e in journal.history(villages, "petition", p["id"])
             if e["action"] == "recompute_deadlines"]
    assert len(moved) == 1
    assert (moved[0]["before"]["next_due"], moved[0]["after"]["next_due"]) == (
        "2026-10-13", "2026-10-23")
    assert not [e for e in journal.history(villages, "petition", untouched["id"])
                if e["action"] == "recompute_deadlines"]
    assert journal.verify(villages).ok


# --- provisional deadlines -----------------------------------------------------------------------

def test_a_deadline_counted_through_an_unpublished_year_says_so_in_lists_and_show(villages):
    # With working days, 60 from 2026-10-20 reach into 2027, whose 调休 is not published:
    # the detail's deadline said provisional, but the list (and the detail's next_due,
    # what the countdown shows) gave the date as if it were certain.
    villages.settings = Settings(values={"petitions.day_counting": "working"})
    far = reg(villages, received_on=D(2026, 10, 19))
    P.accept(villages, far["number"], on=D(2026, 10, 20))
    near = reg(villages, received_on=D(2026, 11, 20), petitioners=[{"name": "甲"}])
    rows = {r["number"]: r for r in P.list_petitions(villages)}
    assert rows[far["number"]]["next_due"].year == 2027
    assert rows[far["number"]]["next_due_provisional"] is True
    assert rows[near["number"]]["next_due_provisional"] is False  # due 2026-12-11
    assert P.get_petition(villages, far["number"])["next_due_provisional"] is True
    assert P.get_petition(villages, near["number"])["next_due_provisional"] is False
    # counted in calendar days nothing is provisional
    villages.settings = Settings()
    P.recompute_deadlines(villages)
    assert not any(r["next_due_provisional"] for r in P.list_petitions(villages))
    assert P.get_petition(villages, far["number"])["next_due_provisional"] is False


# --- representatives ---------------------------------------------------------------------------

def _people(n: int) -> list[dict[str, str]]:
    return [{"name": f"代表{i}", "phone": f"1390000000{i}"} for i in range(n)]


def test_the_five_representatives_limit_holds_for_a_visit_not_ticked_collective(villages):
    # Six people visiting together were refused as a group visit but taken when the
    # collective box was left unticked: the regulation's limit was one click away.
    before = _counts()
    with pytest.raises(ValidationError) as err:
        reg(villages, channel="visit", petitioners=_people(6))
    assert err.value.field == "petitioners"
    assert "5" in err.value.message() and "6" in err.value.message()
    _nothing_stored_since(before)
    assert len(reg(villages, channel="visit", petitioners=_people(5))["petitioners"]) == 5
    assert len(reg(villages, channel="letter", petitioners=_people(8))["petitioners"]) == 8
    group = reg(villages, channel="visit", collective=True, group_size=30,
                petitioners=_people(5))
    assert group["collective"] and group["group_size"] == 30


def test_people_beyond_those_named_make_a_group_petition(villages):
    # A single petitioner "with 40 people" was registered as an individual visit: the
    # group's size without a group (and without the limit on representatives).
    with pytest.raises(ValidationError) as err:
        reg(villages, channel="visit", group_size=40)
    assert err.value.field == "group_size"
    assert "40" in err.value.message()
    assert reg(villages, group_size=1)["group_size"] == 1
    assert reg(villages, group_size=None, petitioners=_people(2))["group_size"] == 2


# --- deadlines at their edges --------------------------------------------------------------------

def _kinds(p: dict) -> dict[str, dict]:
    return {d["kind"]: d for d in p["deadlines"]}


def test_each_step_on_its_deadline_day_is_on_time_and_the_day_after_is_late(villages):
    on_time = reg(villages, received_on=D(2026, 6, 1))["number"]
    late = reg(villages, received_on=D(2026, 6, 1), petitioners=[{"name": "甲"}])["number"]
    P.accept(villages, on_time, on=D(2026, 6, 16))  # day 15
    P.accept(villages, late, on=D(2026, 6, 17))
    for n in (on_time, late):
        P.assign(villages, n, handler="李", on=D(2026, 6, 17))
    P.reply(villages, on_time, gist="答", on=D(2026, 8, 15))  # 60 days after 06-16
    P.reply(villages, late, gist="答", on=D(2026, 8, 17))  # 61 days after 06-17
    a, b = (_kinds(P.get_petition(villages, n)) for n in (on_time, late))
    assert (a["acceptance"]["state"], a["handling"]["state"]) == ("met", "met")
    assert (b["acceptance"]["state"], b["handling"]["state"]) == ("late", "late")
    assert a["handling"]["due"] == D(2026, 8, 15)
    # the petitioner's window: 30 days from the reply, its last day included
    assert a["review_request"]["due"] == D(2026, 9, 14)
    before = PetitionEvent.select().count()
    with pytest.raises(InvalidTransition):
        P.request_review(villages, on_time, on=D(2026, 9, 15))
    assert PetitionEvent.select().count() == before
    p = P.request_review(villages, on_time, on=D(2026, 9, 14))
    assert _kinds(p)["review"]["due"] == D(2026, 10, 14)
    p = P.review(villages, on_time, gist="维持", on=D(2026, 10, 14))
    assert _kinds(p)["review"]["state"] == "met"
    assert _kinds(p)["rereview_request"]["due"] == D(2026, 11, 13)
    with pytest.raises(InvalidTransition):
        P.request_rereview(villages, on_time, on=D(2026, 11, 14))
    p = P.request_rereview(villages, on_time, on=D(2026, 11, 13))
    assert p["next_due"] == D(2026, 12, 13) and p["next_due_kind"] == "rereview"
    p = P.rereview(villages, on_time, gist="维持", on=D(2026, 11, 27))
    # the re-review opinion makes the matter final: no separate close follows
    assert p["final"] and p["state"] == "closed" and p["allowed_actions"] == []


def test_an_extension_on_the_last_day_counts_from_the_original_deadline(villages):
    n = reg(villages, received_on=D(2026, 8, 1))["number"]
    P.accept(villages, n, on=D(2026, 8, 2))  # handling due 10-01
    journal_rows = JournalEntry.select().count()
    with pytest.raises(InvalidTransition):  # the day after: too late
        P.extend(villages, n, days=10, reason="需调查", approved_by="主任", on=D(2026, 10, 2))
    assert JournalEntry.select().count() == journal_rows
    p = P.extend(villages, n, days=30, reason="需调查", approved_by="主任", on=D(2026, 10, 1))
    assert p["next_due"] == D(2026, 10, 31) and p["extension_days"] == 30
    entry = [e for e in journal.history(villages, "petition", p["id"])
             if e["action"] == "extend"][-1]
    assert (entry["before"]["extension_days"], entry["after"]["extension_days"]) == (0, 30)
    assert entry["after"]["extension_approved_by"] == "主任"
    with pytest.raises(InvalidTransition):
        P.extend(villages, n, days=1, reason="再延", approved_by="主任", on=D(2026, 10, 5))
    assert "extend" not in P.get_petition(villages, n)["allowed_actions"]


def test_steps_out_of_order_in_time_are_refused_and_leave_nothing(villages):
    n = reg(villages, received_on=D(2026, 11, 2))["number"]
    before = (PetitionEvent.select().count(), JournalEntry.select().count())
    with pytest.raises(ValidationError):
        P.accept(villages, n, on=D(2026, 11, 1))  # before receipt
    with pytest.raises(ValidationError):
        P.accept(villages, n, on=D(2026, 11, 28))  # after today
    with pytest.raises(ValidationError):
        reg(villages, received_on=D(2026, 11, 28))
    assert (PetitionEvent.select().count(), JournalEntry.select().count()) == before
    P.accept(villages, n, on=D(2026, 11, 10))
    P.assign(villages, n, handler="李", on=D(2026, 11, 10))
    with pytest.raises(ValidationError):
        P.reply(villages, n, gist="答", on=D(2026, 11, 9))
    assert P.get_petition(villages, n)["state"] == "in_handling"


def test_working_days_across_the_spring_festival_and_into_an_unknown_year(villages):
    villages.settings = Settings(values={"petitions.day_counting": "working"})
    # Received Tue 2026-02-10: 02-11..13 (3), Sat 02-14 worked (4), 02-15..23 off,
    # 02-24..27 (8), Sat 02-28 worked (9), 03-02..06 (14), 03-09 (15).
    p = reg(villages, received_on=D(2026, 2, 10))
    assert (_kinds(p)["acceptance"]["due"], _kinds(p)["acceptance"]["provisional"]) == (
        D(2026, 3, 9), False)
    # Received 2026-12-21: 15 working days end in January 2027, provisional.
    q = reg(villages, received_on=D(2026, 11, 20), petitioners=[{"name": "甲"}])
    assert _kinds(q)["acceptance"]["provisional"] is False
    villages.clock = villages.clock.at(dt.datetime(2026, 12, 22, 10, 0), tz="Asia/Shanghai")
    r = reg(villages, received_on=D(2026, 12, 21), petitioners=[{"name": "乙"}])
    assert _kinds(r)["acceptance"]["due"].year == 2027
    assert _kinds(r)["acceptance"]["provisional"] is True
    assert r["next_due_provisional"] is True


# --- repeats -------------------------------------------------------------------------------------

def test_the_repeat_window_includes_its_last_day_and_matches_people_not_names(villages):
    earlier = reg(villages, received_on=D(2025, 6, 1),
                  petitioners=[{"name": "甲", "phone": "13700000001"}])["number"]
    P.accept(villages, earlier, on=D(2025, 6, 2))
    person = [{"name": "甲", "phone": "13700000001"}]
    # 2026-06-02 is 365 days after the acceptance: the window's last day
    assert reg(villages, received_on=D(2026, 6, 2), petitioners=person)["repeat_of"] == earlier
    assert reg(villages, received_on=D(2026, 6, 3), petitioners=person)["repeat_of"] is None
    # the same name alone, or the same phone under another name, is someone else
    for other in ([{"name": "甲"}], [{"name": "甲", "phone": "13700000002"}],
                  [{"name": "乙", "phone": "13700000001"}]):
        assert reg(villages, received_on=D(2026, 1, 5), petitioners=other)["repeat_of"] is None
    # an ID number on both decides, whatever the phone
    first = reg(villages, received_on=D(2026, 3, 1))["number"]
    P.accept(villages, first, on=D(2026, 3, 2))
    assert reg(villages, received_on=D(2026, 4, 1), petitioners=[
        {"name": "王五", "phone": "13900000000", "id_number": WANG_ID}])["repeat_of"] == first


def test_the_registration_journal_says_who_petitioned_masked_until_revealed(villages):
    # The create entry held only how many petitioners there were: the journal could not
    # tell whose petition it recorded.
    p = reg(villages, received_on=D(2026, 11, 2), collective=True, group_size=12,
            petitioners=[{"name": "王五", "phone": "13812345678", "id_number": WANG_ID,
                          "village": "V02"}, {"name": "赵六"}])
    entry = journal.history(villages, "petition", p["id"])[0]
    assert entry["action"] == "create" and entry["after"]["petitioners"] == 2
    people = entry["after"]["people"]
    assert [x["name"] for x in people] == ["王五", "赵六"]
    assert people[0]["phone"] == "138****5678" and people[0]["id_number"].count("*") == 10
    assert people[0]["representative"] is True and people[0]["village_id"] is not None
    # The journal keeps what was written (one convention for every area); reads mask it.
    shown = journal.history(villages, "petition", p["id"], reveal=True)[0]["after"]["people"]
    assert (shown[0]["phone"], shown[0]["id_number"]) == ("13812345678", WANG_ID)


def test_every_petitioner_is_masked_in_show_list_and_journal_until_revealed(villages):
    li_id = "11010119850505432" + id_check_char("11010119850505432")
    people = [{"name": "王五", "phone": "13812345678", "id_number": WANG_ID},
              {"name": "李四", "phone": "13912345678", "id_number": li_id},
              {"name": "赵六", "phone": "01088886666"}]
    p = reg(villages, received_on=D(2026, 11, 2), channel="letter", petitioners=people)
    raw = {WANG_ID, li_id, "13812345678", "13912345678", "01088886666"}

    def leaks(value: Any) -> set[str]:
        return {r for r in raw if r in str(value)}

    assert not leaks(p) and not leaks(P.get_petition(villages, p["number"]))
    assert not leaks(P.list_petitions(villages, limit=None))
    assert not leaks(list(journal.entries(villages)))
    assert not any(e["action"] == "reveal" for e in journal.entries(villages))
    shown = P.get_petition(villages, p["number"], reveal=True)
    assert {x["phone"] for x in shown["petitioners"]} == {
        "13812345678", "13912345678", "01088886666"}
    assert [e["action"] for e in journal.entries(villages)][-1] == "reveal"


def test_a_step_cannot_be_dated_before_an_assignment_or_an_extension(villages):
    # Only the procedure's date columns were compared: a reply dated before the handler
    # was assigned, or before the extension it followed, was taken and the timeline ran
    # backwards.
    n = reg(villages, received_on=D(2026, 8, 1))["number"]
    P.accept(villages, n, on=D(2026, 8, 2))
    P.assign(villages, n, handler="李", on=D(2026, 8, 10))
    events = PetitionEvent.select().count()
    with pytest.raises(ValidationError) as err:
        P.reply(villages, n, gist="答", on=D(2026, 8, 5))
    assert err.value.field == "on" and "2026-08-10" in err.value.message()
    P.extend(villages, n, days=20, reason="需调查", approved_by="主任", on=D(2026, 9, 15))
    with pytest.raises(ValidationError):
        P.reply(villages, n, gist="答", on=D(2026, 9, 1))
    with pytest.raises(ValidationError):
        P.assign(villages, n, handler="王", on=D(2026, 9, 14))
    assert PetitionEvent.select().count() == events + 1
    p = P.reply(villages, n, gist="答", on=D(2026, 9, 15))
    assert [e["on"] for e in p["events"]] == sorted(e["on"] for e in p["events"])


def test_the_next_deadline_label_stars_a_provisional_date():
    due = D(2027, 1, 28)
    assert P.next_due_label({"next_due": due, "next_due_provisional": True}) == "2027-01-28*"
    assert P.next_due_label({"next_due": due, "next_due_provisional": False}) == "2027-01-28"
    assert P.next_due_label({"next_due": None}) == ""


@pytest.mark.parametrize("days", [30.5, "7.5", "x", True])
def test_an_extension_is_a_whole_number_of_days(villages, days):
    n = reg(villages, received_on=D(2026, 8, 1))["number"]
    P.accept(villages, n, on=D(2026, 8, 2))
    with pytest.raises(ValidationError) as err:
        P.extend(villages, n, days=days, reason="需调查", approved_by="主任", on=D(2026, 8, 3))
    assert err.value.field == "days"
    assert P.extend(villages, n, days="20", reason="需调查", approved_by="主任",
                    on=D(2026, 8, 3))["extension_days"] == 20
