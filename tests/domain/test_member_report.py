"""The two committees' report: figures on a small known set, on past dates, and the sample."""

from __future__ import annotations

import random

import pytest

from ledger import journal, members, sample, villages
from ledger.errors import NotFound, ValidationError
from ledger.people import id_check_char
from ledger.sample import members as sample_members


def _id(birth: str, seq: str = "123") -> str:
    first17 = "139021" + birth + seq
    return first17 + id_check_char(first17)


@pytest.fixture
def small(office):
    """Two villages, five people, six posts; one person holds both leading posts (一肩挑)."""
    villages.add_village(office, name="东村", code="V01", relocation_status="urban_village")
    villages.add_village(office, name="西村", code="V02")
    a = members.add_member(office, name="许少伟", village="V01", post="branch_secretary",
                           id_number=_id("19800102"), education="bachelor",
                           political_status="party_member", college_graduate_official=True,
                           election_date="2015-01-10")
    members.add_post(office, a["id"], post="committee_director", election_date="2015-01-10")
    members.add_member(office, name="王建国", village="V01", post="committee_member",
                       id_number=_id("19700102"), education="junior_secondary",
                       political_status="masses", election_date="2015-01-10")
    members.add_member(office, name="李强", village="V02", post="branch_secretary",
                       id_number=_id("19600102"), education="postgraduate",
                       political_status="probationary_member", election_date="2015-02-01")
    members.add_member(office, name="赵敏", village="V02", post="committee_director",
                       education="associate", political_status="league_member",
                       election_date="2015-02-01")
    gone = members.add_member(office, name="孙刚", village="V02", post="committee_member",
                              education="senior_secondary", election_date="2015-02-01")
    members.end_term(office, gone["id"], ended_on="2016-06-30", reason="辞职")
    return office


def test_office_figures_count_each_person_once(small):
    report = members.report(small)
    whole = report["office"]
    assert whole["total"] == 4  # 孙刚 left in 2016
    assert whole["education"] == {"bachelor_or_higher": 2, "associate": 1,
                                  "senior_secondary": 0, "junior_secondary": 1, "unknown": 0}
    assert (whole["college_graduate_officials"], whole["bachelor_or_higher_officials"]) == (1, 1)
    assert whole["posts"] == {"branch_secretary": 2, "deputy_secretary": 0, "branch_member": 0,
                              "committee_director": 2, "deputy_director": 0,
                              "committee_member": 1}
    assert whole["one_person_both_posts"] == 1
    assert whole["party_members"] == 2  # a probationary member counts as a Party member
    assert whole["party_member_share"] == 0.5
    # ages on 2026-11-27: 46, 56, 66 (赵敏 has no birth date)
    assert whole["average_age"] == 56.0
    assert whole["villages"] == 2
    assert whole["relocation_statuses"]["urban_village"] == 1
    assert whole["relocation_statuses"]["not_affected"] == 1


def test_per_village_figures(small):
    rows = {v["code"]: v for v in members.report(small)["villages"]}
    assert (rows["V01"]["total"], rows["V02"]["total"]) == (2, 2)
    assert rows["V01"]["one_person_both_posts"] == 1
    assert rows["V02"]["one_person_both_posts"] == 0
    assert rows["V02"]["education"]["bachelor_or_higher"] == 1
    only = members.report(small, village="西村")
    assert [v["code"] for v in only["villages"]] == ["V02"]
    assert only["office"]["total"] == 2 and only["village"] == "V02"


def test_as_of_counts_the_terms_active_on_that_date(small):
    back_then = members.report(small, as_of="2016-01-01")["office"]
    assert back_then["total"] == 5  # 孙刚 was still in office
    assert back_then["education"]["senior_secondary"] == 1
    before_elections = members.report(small, as_of="2014-12-31")["office"]
    assert before_elections["total"] == 0
    assert before_elections["average_age"] is None
    assert before_elections["party_member_share"] is None


def test_report_refuses_a_bad_date_or_village(small):
    with pytest.raises(ValidationError) as err:
        members.report(small, as_of="2016-13-01")
    assert err.value.field == "as_of"
    with pytest.raises(NotFound):
        members.report(small, village="V99")


def test_the_sample_office_gives_the_reports_figures(office):
    sample_members.fill(office, random.Random(2015))
    whole = members.report(office)["office"]
    assert whole["total"] == 68
    assert whole["education"] == {"bachelor_or_higher": 10, "associate": 12,
                                  "senior_secondary": 23, "junior_secondary": 23, "unknown": 0}
    assert whole["bachelor_or_higher_officials"] == 9
    statuses = [v["relocation_status"] for v in villages.list_villages(office)]
    assert len(statuses) == 9
    assert {s: statuses.count(s) for s in set(statuses)} == {
        "flattened_returned": 2, "demolished_rebuilding": 4, "resettled_elsewhere": 1,
        "preparing_demolition": 1, "urban_village": 1}
    for village in members.report(office)["villages"]:
        assert village["posts"]["branch_secretary"] == 1, village["code"]
        assert village["posts"]["committee_director"] == 1, village["code"]
    elections = {t["election_date"] for m in members.list_members(office, limit=100)
                 for t in members.get_member(office, m["id"])["terms"]}
    assert min(elections).isoformat() >= "2014-12-01"
    assert max(elections).isoformat() <= "2015-02-09"
    assert [m["name"] for m in members.list_members(
        office, members.MemberFilter(search="xsw"))] == ["许少伟"]
    assert journal.verify(office).ok


def test_the_sample_is_deterministic_and_ids_are_valid(office):
    first = sample_members._plan(random.Random(7), sample_members._villages())
    second = sample_members._plan(random.Random(7), sample_members._villages())
    assert first == second
    assert len({p["id_number"] for p in first}) == 68
    assert all(id_check_char(p["id_number"][:17]) == p["id_number"][17] for p in first)
    sample.fill(office)  # the entry point `jiedao init --example` uses
    assert members.count_members(office) == 68
    # The sample's agents and handlers are its staff, and its reminders reach them.
    from ledger import remind, staff
    from ledger.models import Petition, Ticket
    from ledger.sample.staff import SUPERVISOR

    assert not Ticket.select().where(Ticket.agent != "", Ticket.agent_staff.is_null()).exists()
    assert not Petition.select().where(Petition.handler != "",
                                       Petition.handler_staff.is_null()).exists()
    assert staff.match_responsible(office)["unmatched"] == []
    office.settings = office.settings.with_overrides({"remind.supervisor": SUPERVISOR}, "test")
    people = {p["name"]: p for p in remind.plan(office)["recipients"]}
    assert SUPERVISOR in people and len(people) >= 4
    assert all(i["reason"] == "responsible" for name, p in people.items() if name != SUPERVISOR
               for i in p["items"])


def test_unknown_education_shows_only_when_someone_lacks_it():
    from ledger.members import shown_education

    known = {"bachelor_or_higher": 1, "associate": 0, "senior_secondary": 2,
             "junior_secondary": 3, "unknown": 0}
    assert [g for g, _ in shown_education(known)] == [
        "bachelor_or_higher", "associate", "senior_secondary", "junior_secondary"]
    assert shown_education({**known, "unknown": 2})[-1] == ("unknown", 2)
