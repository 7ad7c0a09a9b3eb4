"""Members of the two committees: validation, posts (一肩挑), terms, search, masking, paging."""

from __future__ import annotations

import datetime as dt

import pytest

from ledger import journal, members, villages
from ledger.errors import Conflict, InvalidTransition, NotFound, ValidationError
from ledger.members import MemberFilter
from ledger.models import Election, JournalEntry, Person, Term
from ledger.people import id_check_char

REGION = "139021"


def id_number(birth: str = "19800102", seq: str = "123") -> str:
    """A valid ID number; an odd ``seq`` ending means male."""
    first17 = REGION + birth + seq
    return first17 + id_check_char(first17)


def wrong_checksum(number: str) -> str:
    other = "0" if number[-1] != "0" else "1"
    return number[:-1] + other


@pytest.fixture
def village(office):
    return villages.add_village(office, name="许庄村", code="V01")


def _stored_counts() -> tuple[int, int, int, int]:
    return (Person.select().count(), Term.select().count(), Election.select().count(),
            JournalEntry.select().count())


def test_add_member_derives_gender_and_birth_and_opens_a_three_year_term(office, village):
    member = members.add_member(office, name="许少伟", village="V01", post="branch_secretary",
                                id_number=id_number("19800102", "123"), phone="13912345678",
                                education="bachelor", political_status="party_member",
                                election_date="2015-01-10")
    assert (member["gender"], member["birth_date"]) == ("male", dt.date(1980, 1, 2))
    assert member["age"] == 46  # at the fixed clock, 2026-11-27
    assert member["posts"] == ["branch_secretary"] and member["active"]
    assert member["name_initials"] == "xsw"
    (term,) = member["terms"]
    assert term["election_date"] == dt.date(2015, 1, 10)
    assert term["started_on"] == dt.date(2015, 1, 10)
    assert term["ends_on"] == dt.date(2018, 1, 10)  # 3-year terms before 2018
    assert term["overdue"]  # still in office after the term was due to end


def test_terms_since_2018_last_five_years(office, village):
    member = members.add_member(office, name="王建国", village="V01", post="committee_director",
                                election_date="2021-01-15")
    assert member["terms"][0]["ends_on"] == dt.date(2026, 1, 15)
    later = members.add_member(office, name="李强", village="V01", post="committee_member",
                               started_on="2022-03-01")
    # An appointment without an election serves out the village's current term.
    assert later["terms"][0]["ends_on"] == dt.date(2026, 1, 15)
    assert Election.select().count() == 1


def test_female_id_and_masking(office, village):
    member = members.add_member(office, name="唐秀英", village="V01", post="deputy_director",
                                id_number=id_number("19750306", "042"), phone="13812345678")
    assert member["gender"] == "female"
    assert member["id_number"] == REGION[:4] + "*" * 10 + member["id_number"][-4:]
    assert "*" in member["phone"] and member["phone"].endswith("5678")


@pytest.mark.parametrize(("values", "field", "key"), [
    ({"id_number": wrong_checksum(id_number())}, "id_number", "error.id_checksum"),
    ({"id_number": REGION + "19801332" + "1231"}, "id_number", "error.id_birth_date"),
    ({"id_number": "12345"}, "id_number", "error.id_format"),
    ({"phone": "12345"}, "phone", "error.phone_format"),
    ({"village": "V99"}, "village", "error.unknown_village"),
    ({"village": ""}, "village", "error.required"),
    ({"post": "mayor"}, "post", "error.bad_choice"),
    ({"education": "kindergarten"}, "education", "error.bad_choice"),
    ({"political_status": "anarchist"}, "political_status", "error.bad_choice"),
    ({"gender": "other"}, "gender", "error.bad_choice"),
    ({"name": "  "}, "name", "error.required"),
    ({"election_date": "2015-02-30"}, "election_date", "error.bad_date"),
    ({"election_date": "2027-01-01"}, "election_date", "error.election_in_future"),
    ({"birth_date": "2030-01-01"}, "birth_date", "error.birth_in_future"),
    ({"election_date": "2015-01-10", "started_on": "2015-01-01"}, "started_on",
     "error.started_before_election"),
    ({"id_number": id_number("19800102", "123"), "gender": "female"}, "gender",
     "error.gender_id_mismatch"),
    ({"id_number": id_number("19800102", "123"), "birth_date": "1980-01-03"}, "birth_date",
     "error.birth_id_mismatch"),
    ({"college_graduate_official": True, "education": "junior_secondary"},
     "college_graduate_official", "error.official_education"),
])
def test_bad_values_name_the_field_and_store_nothing(office, village, values, field, key):
    before = _stored_counts()
    args = {"name": "张三", "village": "V01", "post": "committee_member", **values}
    with pytest.raises(ValidationError) as err:
        members.add_member(office, **args)
    assert (err.value.field, err.value.key) == (field, key)
    assert err.value.message().count("\n") == 0
    assert _stored_counts() == before


def test_duplicate_id_number_names_the_existing_member(office, village):
    number = id_number()
    first = members.add_member(office, name="许少伟", village="V01", post="branch_secretary",
                               id_number=number)
    before = _stored_counts()
    with pytest.raises(Conflict) as err:
        members.add_member(office, name="许少卫", village="V01", post="committee_member",
                           id_number=number.lower())
    assert "许少伟" in err.value.message() and str(first["id"]) in err.value.message()
    assert _stored_counts() == before


def test_one_person_both_posts_and_the_posts_rules(office, village):
    secretary = members.add_member(office, name="许少伟", village="V01", post="branch_secretary",
                                   election_date="2015-01-10")
    both = members.add_post(office, secretary["id"], post="committee_director",
                            election_date="2015-01-10")
    assert both["posts"] == ["branch_secretary", "committee_director"]
    assert [t["committee"] for t in both["terms"]] == ["branch", "committee"]
    assert Election.select().count() == 1  # both terms come from the same election
    with pytest.raises(Conflict) as again:
        members.add_post(office, secretary["id"], post="committee_director")
    assert again.value.key == "error.post_already_held"
    with pytest.raises(Conflict) as same_committee:
        members.add_post(office, secretary["id"], post="branch_member")
    assert same_committee.value.key == "error.same_committee"
    other = members.add_member(office, name="王建国", village="V01", post="deputy_director")
    with pytest.raises(Conflict) as taken:
        members.add_post(office, other["id"], post="branch_secretary")
    assert taken.value.key == "error.post_taken" and "许少伟" in taken.value.message()
    with pytest.raises(NotFound):
        members.add_post(office, 9999, post="branch_member")


def test_add_post_stays_in_the_members_village(office, village):
    villages.add_village(office, name="东王村", code="V02")
    member = members.add_member(office, name="王建国", village="V01", post="committee_member")
    with pytest.raises(ValidationError) as err:
        members.add_post(office, member["id"], post="branch_member", village="V02")
    assert err.value.field == "village"


def test_end_term_keeps_history_and_leaves_the_active_list(office, village):
    member = members.add_member(office, name="王建国", village="V01", post="committee_director",
                                election_date="2015-01-10")
    members.add_post(office, member["id"], post="branch_member", election_date="2015-01-10")
    partly = members.end_term(office, member["id"], post="branch_member", ended_on="2016-05-01",
                              reason="调任")
    assert partly["posts"] == ["committee_director"] and partly["active"]
    ended = members.end_term(office, member["id"], reason="换届")
    assert not ended["active"] and ended["posts"] == []
    assert [(t["post"], t["ended_on"], t["end_reason"]) for t in ended["terms"]] == [
        ("committee_director", dt.date(2026, 11, 27), "换届"),
        ("branch_member", dt.date(2016, 5, 1), "调任"),
    ]
    assert members.count_members(office, MemberFilter()) == 0
    assert [m["name"] for m in members.list_members(office, MemberFilter(active=False))] == [
        "王建国"]
    assert members.count_members(office, MemberFilter(active=None)) == 1
    with pytest.raises(InvalidTransition):
        members.end_term(office, member["id"])
    ends = [e for e in journal.entries(office, entity="term") if e["action"] == "end"]
    assert len(ends) == 2 and ends[0]["before"]["ended_on"] is None


def test_end_term_before_it_started_is_refused(office, village):
    member = members.add_member(office, name="王建国", village="V01", post="committee_member",
                                election_date="2015-01-10")
    with pytest.raises(ValidationError) as err:
        members.end_term(office, member["id"], ended_on="2014-01-01")
    assert err.value.field == "ended_on"
    assert members.get_member(office, member["id"])["active"]


def test_edit_journals_before_and_after(office, village):
    member = members.add_member(office, name="王建国", village="V01", post="committee_member",
                                phone="13912345678")
    edited = members.edit_member(office, member["id"], phone="13800001111",
                                 education="associate", name="王建华")
    assert (edited["name"], edited["education"], edited["name_initials"]) == (
        "王建华", "associate", "wjh")
    last = journal.history(office, "member", member["id"], reveal=True)[-1]
    assert last["action"] == "update"
    assert (last["before"]["phone"], last["after"]["phone"]) == ("13912345678", "13800001111")
    assert (last["before"]["education"], last["after"]["education"]) == ("", "associate")


def test_edit_rejects_unknown_fields_and_bad_values_without_a_trace(office, village):
    member = members.add_member(office, name="王建国", village="V01", post="committee_member")
    before = _stored_counts()
    with pytest.raises(ValidationError) as unknown:
        members.edit_member(office, member["id"], salary=100)
    assert unknown.value.field == "salary"
    with pytest.raises(ValidationError):
        members.edit_member(office, member["id"], id_number=wrong_checksum(id_number()))
    assert _stored_counts() == before
    assert members.get_member(office, member["id"])["id_number"] == ""


def test_a_new_id_number_brings_its_own_gender(office, village):
    member = members.add_member(office, name="王丽", village="V01", post="committee_member",
                                id_number=id_number("19800102", "123"))
    assert member["gender"] == "male"
    fixed = members.edit_member(office, member["id"], id_number=id_number("19820304", "124"))
    assert (fixed["gender"], fixed["birth_date"]) == ("female", dt.date(1982, 3, 4))


def test_moving_village_needs_the_terms_ended_first(office, village):
    villages.add_village(office, name="东王村", code="V02")
    member = members.add_member(office, name="王建国", village="V01", post="committee_member")
    with pytest.raises(ValidationError) as err:
        members.edit_member(office, member["id"], village="V02")
    assert err.value.key == "error.village_has_active_terms"
    members.end_term(office, member["id"])
    assert members.edit_member(office, member["id"], village="V02")["village"] == "东王村"


def test_pinyin_search(office, village):
    for name, post in (("许少伟", "branch_secretary"), ("徐绍文", "deputy_secretary"),
                       ("王建国", "committee_member")):
        members.add_member(office, name=name, village="V01", post=post)

    def found(text: str) -> list[str]:
        return [m["name"] for m in members.list_members(office, MemberFilter(search=text))]

    assert found("xsw") == ["许少伟", "徐绍文"]  # both are x-s-w; ordered by post
    assert found("XSW") == ["许少伟", "徐绍文"]
    assert found("xushao") == ["许少伟", "徐绍文"]  # xu-shao both: a full-pinyin prefix
    assert found("xushaowei") == ["许少伟"]
    assert found("xu shao wen") == ["徐绍文"]
    assert found("少伟") == ["许少伟"]
    assert found("wjg") == ["王建国"]
    assert found("zz") == []
    assert found("%") == []  # a LIKE wildcard is searched for, not obeyed
    assert members.count_members(office, MemberFilter(search="xsw")) == 2


def test_masked_unless_revealed_and_reveals_are_journaled(office, village):
    number = id_number()
    member = members.add_member(office, name="许少伟", village="V01", post="branch_secretary",
                                id_number=number, phone="13912345678")
    listed = members.list_members(office, MemberFilter())
    assert listed[0]["id_number"] == number[:4] + "**********" + number[-4:]
    assert listed[0]["phone"] == "139****5678"
    assert not list(journal.entries(office, entity="member", entity_id="*"))
    revealed = members.list_members(office, MemberFilter(), reveal=True)
    assert (revealed[0]["id_number"], revealed[0]["phone"]) == (number, "13912345678")
    (entry,) = journal.entries(office, entity="member", entity_id="*")
    assert entry["action"] == "reveal" and entry["after"]["ids"] == [member["id"]]
    shown = members.get_member(office, member["id"], reveal=True)
    assert shown["id_number"] == number
    actions = [e["action"] for e in journal.history(office, "member", member["id"])]
    assert actions == ["create", "reveal"]
    assert journal.verify(office).ok


def test_paging_order_and_filters(office, village):
    villages.add_village(office, name="东王村", code="V02")
    plan = [("周一", "V02", "branch_secretary", "bachelor"),
            ("吴二", "V01", "committee_member", "associate"),
            ("郑三", "V01", "branch_secretary", "bachelor"),
            ("王四", "V01", "deputy_director", "associate"),
            ("冯五", "V02", "committee_member", "junior_secondary")]
    for name, place, post, level in plan:
        members.add_member(office, name=name, village=place, post=post, education=level)
    everyone = [m["name"] for m in members.list_members(office, MemberFilter())]
    # village V01 first; within it secretary, deputy director, committee member
    assert everyone == ["郑三", "王四", "吴二", "周一", "冯五"]
    pages = [[m["name"] for m in members.list_members(office, MemberFilter(), offset=o, limit=2)]
             for o in (0, 2, 4)]
    assert pages == [["郑三", "王四"], ["吴二", "周一"], ["冯五"]]
    assert members.count_members(office, MemberFilter()) == 5
    assert members.count_members(office, MemberFilter(village="东王村")) == 2
    assert members.count_members(office, MemberFilter(post="branch_secretary")) == 2
    assert members.count_members(office, MemberFilter(education="associate")) == 2
    assert members.count_members(office, MemberFilter(village="V01", education="bachelor")) == 1
    with pytest.raises(NotFound):
        members.list_members(office, MemberFilter(village="V99"))
    with pytest.raises(ValidationError):
        members.count_members(office, MemberFilter(post="mayor"))


def test_committee_of():
    assert members.committee_of("deputy_secretary") == "branch"
    assert members.committee_of("deputy_director") == "committee"
    with pytest.raises(ValidationError):
        members.committee_of("mayor")
