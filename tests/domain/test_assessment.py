"""The annual assessment on a small known office: derived scores computed by hand below from
the records entered here (petitions, tickets, decisions, surveys), hand scores with notes,
the ranking and the bands, refusals, and the xlsx export read back."""

from __future__ import annotations

import datetime as dt

import pytest

from ledger import (
    Conflict,
    NotFound,
    ValidationError,
    assessment,
    decisions,
    items,
    petitions,
    surveys,
    tickets,
    villages,
)

MEETING = {"present": 30, "entitled": 45, "votes_for": 16, "votes_against": 10,
           "votes_abstain": 4}


def _petition(office, village: str, day: str, name: str, repeat_of: str | None = None) -> str:
    p = petitions.register(office, channel="visit", category="land_demolition",
                           summary="拆迁补偿", village=village, received_on=day,
                           petitioners=[{"name": name}], repeat_of=repeat_of)
    return p["number"]


def _ticket(office, village: str, received: str, done: str, rating: str | None) -> None:
    t = tickets.open_ticket(office, item="R01", applicant_name="许桂兰", village=village,
                            received_at=received, materials=True)
    tickets.advance(office, t["number"], at=received)
    tickets.advance(office, t["number"], at=done)
    if rating:
        tickets.rate(office, t["number"], rating, at=done)


def _decision(office, village: str, publish: tuple[str, ...], veto: bool = False) -> None:
    d = decisions.propose(office, village=village, subject="修路", proposal="硬化道路",
                          present=5, entitled=5, on="2025-03-01")
    n = d["number"]
    decisions.deliberate(office, n, present=9, entitled=9, on="2025-03-02")
    decisions.members_review(office, n, on="2025-03-03", **MEETING)
    if veto:
        decisions.veto(office, n, reason="违反政策", on="2025-03-04")
        return
    decisions.approve(office, n, on="2025-03-04")
    decisions.resolve(office, n, on="2025-05-05", **MEETING)
    for what in publish:
        decisions.publish(office, n, what, place="村务公开栏", on="2025-05-06")


@pytest.fixture
def known(office):
    """Three villages and a year (2025) of records; the expected scores are in the tests."""
    villages.add_village(office, name="许庄村", code="V01", relocation_status="flattened_returned")
    villages.add_village(office, name="东王村", code="V02",
                        relocation_status="preparing_demolition")
    villages.add_village(office, name="西营村", code="V03", relocation_status="urban_village")
    items.add_item(office, code="R01", name="老年证", category="老龄", level="subdistrict",
                   time_limit_days=5)
    # petitions in 2025: V01 3 (one a repeat); V03 10 (three repeats); one of V01 in 2026
    first = _petition(office, "V01", "2025-02-01", "甲一")
    _petition(office, "V01", "2025-03-01", "甲二")
    _petition(office, "V01", "2025-04-01", "甲三", repeat_of=first)
    _petition(office, "V01", "2026-04-01", "甲四")
    earlier = [_petition(office, "V03", f"2025-{m:02d}-10", f"丙{m}") for m in range(1, 8)]
    for m, of in zip((8, 9, 10), earlier, strict=False):
        _petition(office, "V03", f"2025-{m:02d}-10", f"丙{m}", repeat_of=of)
    # tickets in 2025: V01 three on time and one late; rated 2 satisfied, 1 basically,
    # 1 dissatisfied. V03 one on time, not rated. V02 none.
    _ticket(office, "V01", "2025-03-03 09:00", "2025-03-04 16:00", "satisfied")
    _ticket(office, "V01", "2025-03-10 09:00", "2025-03-11 16:00", "satisfied")
    _ticket(office, "V01", "2025-03-17 09:00", "2025-03-18 16:00", "basically_satisfied")
    _ticket(office, "V01", "2025-04-01 09:00", "2025-04-30 16:00", "dissatisfied")  # late
    _ticket(office, "V03", "2025-06-02 09:00", "2025-06-03 16:00", None)
    # decisions: V01 one resolved, only its resolution published, and one vetoed;
    # V03 one resolved and both disclosures made; V02 none
    _decision(office, "V01", ("resolution",))
    _decision(office, "V01", (), veto=True)
    _decision(office, "V03", ("resolution", "results"))
    # surveys in 2025: V01 80/15/5; V03 30/20/0 and 20/30/0; V02 only in 2026
    surveys.add_survey(office, village="V01", surveyed_on="2025-06-30", satisfied=80,
                       basically_satisfied=15, dissatisfied=5)
    surveys.add_survey(office, village="V03", surveyed_on="2025-03-31", satisfied=30,
                       basically_satisfied=20)
    surveys.add_survey(office, village="V03", surveyed_on="2025-09-30", satisfied=20,
                       basically_satisfied=30)
    surveys.add_survey(office, village="V02", surveyed_on="2026-03-31", satisfied=10)
    assessment.create_scheme(office, 2025)
    hand = {
        "V01": {"party_building": 18, "new_countryside": 12, "family_planning": 9,
                "key_projects": 8},
        "V02": {"party_building": 20, "new_countryside": 15, "family_planning": 10,
                "land_acquisition": 10},
        "V03": {"party_building": 10, "new_countryside": 5, "family_planning": 5},
    }
    for village, goals in hand.items():
        for goal, points in goals.items():
            assessment.score(office, year=2025, village=village, goal=goal, points=points,
                             note="年终考核组评定")
    return office


def _cells(report, code):
    row = next(r for r in report["villages"] if r["village_code"] == code)
    return row, {c["code"]: c for c in row["goals"]}


def test_derived_scores_from_the_records(known):
    report = assessment.report(known, year=2025)
    v1, c1 = _cells(report, "V01")
    # petitions: 15 - 0.5*3 - 1*1 = 12.5
    assert c1["petition_stability"]["inputs"] == {"petitions": 3, "repeats": 1}
    assert c1["petition_stability"]["points"] == 12.5
    assert c1["petition_stability"]["formula"] == "max(0, 15 - 0.5×3 - 1×1) = 12.5"
    # tickets: on time 3/4, satisfaction (2 + 1/2)/4 = 0.625: 15 * (0.375 + 0.3125) = 10.31
    assert c1["practical_help"]["inputs"]["done"] == 4
    assert c1["practical_help"]["inputs"]["on_time"] == 3
    assert c1["practical_help"]["points"] == 10.31
    # decisions: one resolved, one of its two disclosures made: 5 * 1/2
    assert c1["democratic_decisions"]["inputs"]["vetoed"] == 1
    assert c1["democratic_decisions"]["points"] == 2.5
    # satisfaction: 10 * (80 + 15/2)/100
    assert c1["residents_satisfaction"]["points"] == 8.75
    assert c1["land_acquisition"]["applies"] is False
    assert c1["land_acquisition"]["points"] is None
    assert v1["total"] == 81.06  # 18+12+9+8 by hand + 12.5 + 10.31 + 2.5 + 8.75
    v2, c2 = _cells(report, "V02")
    # no petitions, no tickets, nothing resolved: full; no survey in 2025: 0
    assert [c2[g]["points"] for g in ("petition_stability", "practical_help",
                                      "democratic_decisions", "residents_satisfaction")] == [
        15, 15, 5, 0]
    assert v2["total"] == 90
    v3, c3 = _cells(report, "V03")
    # 15 - 0.5*10 - 1*3 = 7
    assert c3["petition_stability"]["inputs"] == {"petitions": 10, "repeats": 3}
    assert c3["petition_stability"]["points"] == 7
    assert c3["practical_help"]["points"] == 15  # one on time, none rated
    assert c3["democratic_decisions"]["points"] == 5
    assert c3["residents_satisfaction"]["points"] == 7.5  # (50 + 50/2)/100
    assert c3["key_projects"]["scored"] is False  # not entered: 0, and listed as missing
    assert v3["total"] == 54.5
    assert report["missing_hand_scores"] == [{"village": "西营村", "goal": "key_projects"}]


def test_ranking_and_bands(known):
    report = assessment.report(known, year=2025)
    ranked = [(r["rank"], r["village_code"], r["total"], r["grade"])
              for r in report["villages"]]
    # 90 is exactly the excellent band's minimum
    assert ranked == [(1, "V02", 90, "excellent"), (2, "V01", 81.06, "good"),
                      (3, "V03", 54.5, "fail")]
    assert all(r["max_total"] == 100 for r in report["villages"])
    # corrections (+3, +1) and new bands: V01 at 85.06 is good, just below excellent
    assessment.score(known, year=2025, village="V01", goal="new_countryside", points=15,
                     note="复核后调整")
    assessment.score(known, year=2025, village="V01", goal="family_planning", points=10,
                     note="复核后调整")
    scheme = assessment.set_bands(known, 2025, ["86:excellent:表彰", "78:good:奖励",
                                                "0:fail:约谈"])
    assert [b["min"] for b in scheme["bands"]] == ["86", "78", "0"]
    report = assessment.report(known, year=2025)
    assert [(r["rank"], r["village_code"], r["total"], r["grade"], r["consequence"])
            for r in report["villages"]] == [
        (1, "V02", 90, "excellent", "表彰"), (2, "V01", 85.06, "good", "奖励"),
        (3, "V03", 54.5, "fail", "约谈")]


def test_ties_share_a_rank(known):
    # V01 down by 14.56 + 2 to 64.5; V03 up by its missing key projects score to 64.5
    assessment.score(known, year=2025, village="V01", goal="party_building", points="3.44",
                     note="复核")
    assessment.score(known, year=2025, village="V01", goal="new_countryside", points=10,
                     note="复核")
    assessment.score(known, year=2025, village="V03", goal="key_projects", points=10,
                     note="补录")
    report = assessment.report(known, year=2025)
    assert [(r["rank"], r["village_code"], r["total"], r["grade"])
            for r in report["villages"]] == [
        (1, "V02", 90, "excellent"), (2, "V01", 64.5, "pass"), (2, "V03", 64.5, "pass")]
    assert report["missing_hand_scores"] == []


def test_hand_scores_need_a_note_and_a_hand_goal(known):
    for bad, field in (({"note": " "}, "note"),
                       ({"goal": "petition_stability"}, "goal"),
                       ({"goal": "land_acquisition"}, "village"),  # V01 is not relocating
                       ({"points": 21}, "points"),
                       ({"points": -1}, "points"),
                       ({"points": "7.555"}, "points"),
                       ({"village": "V99"}, "village")):
        args = {"year": 2025, "village": "V01", "goal": "party_building", "points": 7,
                "note": "理由", **bad}
        with pytest.raises(ValidationError) as err:
            assessment.score(known, **args)
        assert err.value.field == field, bad
    with pytest.raises(NotFound):
        assessment.score(known, year=2025, village="V01", goal="nonsense", points=1, note="x")
    with pytest.raises(NotFound):
        assessment.score(known, year=2024, village="V01", goal="party_building", points=1,
                         note="x")
    with pytest.raises(NotFound):  # a year no column holds: not found, not an overflow
        assessment.get_scheme(known, "99999999999999999999")
    # nothing changed by the refusals
    _, cells = _cells(assessment.report(known, year=2025), "V01")
    assert cells["party_building"]["points"] == 18
    assert cells["party_building"]["note"] == "年终考核组评定"


def test_a_stale_score_correction_is_a_conflict(known):
    first = assessment.score(known, year=2025, village="V01", goal="party_building",
                             points=17, note="复核", version=1)
    assert first["version"] == 2
    with pytest.raises(Conflict):
        assessment.score(known, year=2025, village="V01", goal="party_building", points=16,
                         note="复核", version=1)


def test_scheme_goals_and_bands_rules(known):
    with pytest.raises(Conflict):
        assessment.create_scheme(known, 2025)
    with pytest.raises(ValidationError) as err:
        assessment.add_goal(known, 2025, code="x", name="x", max_points=5, scope="village")
    assert err.value.field == "villages"
    with pytest.raises(ValidationError):
        assessment.add_goal(known, 2025, code="x", name="x", max_points=5, method="tickets",
                            params={"on_time_weight": "0.7"})  # weights add to 1.2
    scheme = assessment.add_goal(known, 2025, code="sanitation", name="环境整治",
                                 max_points=5, scope="village", villages=["V03"],
                                 method="petitions", params={"per_petition": "0.1"})
    goal = scheme["goals"][-1]
    assert (goal["villages"], goal["params"]) == (["西营村"], {"per_petition": "0.1",
                                                              "per_repeat": "1"})
    _, cells = _cells(assessment.report(known, year=2025), "V03")
    assert cells["sanitation"]["points"] == 1  # 5 - 0.1*10 - 1*3
    for bands in (["90:excellent"], ["50:pass", "50:good", "0:fail"], ["x:pass", "0:fail"],
                  ["0:superb"], []):
        with pytest.raises(ValidationError) as err:
            assessment.set_bands(known, 2025, bands)
        assert err.value.field == "bands"


def test_xlsx_export_parses_back(known, tmp_path):
    from openpyxl import load_workbook

    from ledger.assessment.export import write_xlsx

    report = assessment.report(known, year=2025)
    path = write_xlsx(report, tmp_path / "assessment-2025.xlsx")
    book = load_workbook(path)
    ranking = [[c.value for c in row] for row in book.worksheets[0].iter_rows()]
    assert ranking[0][:3] == ["rank", "village code", "village"]
    assert [row[1] for row in ranking[1:]] == ["V02", "V01", "V03"]
    assert ranking[2][-4:-2] == [81.06, 100]
    derivations = [[c.value for c in row] for row in book.worksheets[1].iter_rows()]
    assert ["许庄村", "Petition stability"] in [r[:2] for r in derivations]
    assert any(r[4] == "max(0, 15 - 0.5×3 - 1×1) = 12.5" for r in derivations)
    assert len(book.worksheets) == 3


def test_training_hours_met_per_village(office):
    from ledger import members, training

    villages.add_village(office, name="许庄村", code="V01")
    villages.add_village(office, name="东王村", code="V02")
    villages.add_village(office, name="西营村", code="V03")
    for name, village, post in (("许少伟", "V01", "branch_secretary"),
                                ("李红", "V01", "committee_member"),
                                ("王建国", "V02", "committee_director")):
        members.add_member(office, name=name, village=village, post=post,
                           election_date="2024-01-10")
    # one 20-hour session in 2025 (20 hours are required by default): 许少伟 and 王建国 came
    session = training.add_session(office, title="党课", starts_at="2025-06-01 09:00",
                                   ends_at="2025-06-01 17:00", credit_hours=20)
    training.checkin(office, session["id"], ["许少伟", "王建国"])
    assessment.create_scheme(office, 2025)
    assessment.add_goal(office, 2025, code="training", name="培训学时", max_points=10,
                        method="training")
    report = assessment.report(office, year=2025)
    cells = {r["village_code"]: next(c for c in r["goals"] if c["code"] == "training")
             for r in report["villages"]}
    # V01: 1 of 2 members met the hours; V02: 1 of 1; V03 has no member in office: full
    assert cells["V01"]["inputs"] == {"members": 2, "met": 1, "required_hours": 20}
    assert (cells["V01"]["points"], cells["V01"]["formula"]) == (5, "10 × 1/2 = 5")
    assert cells["V02"]["points"] == 10
    assert cells["V03"]["points"] == 10


def test_duty_coverage_from_the_roster(office):
    """2026-11 (the clock: Friday 2026-11-27). V01's station, a day shift on working days,
    entered today but with a roster from Monday 11-02 (its first shift: judged from there):
    11-02 to 11-27 holds 20 working days. Held: 15 (members and a staff member alike);
    2 gaps (nobody free); 3 days never planned. V02's station has its morning and
    afternoon planned in full through today; V03 has no station: nothing to cover. The
    centre counts for no village; shifts after today are not judged yet."""
    from ledger import members, roster, staff

    for code, name in (("V01", "许庄村"), ("V02", "东王村"), ("V03", "西营村")):
        villages.add_village(office, name=name, code=code)
    a = members.add_member(office, name="许少伟", village="V01", post="committee_member",
                           election_date="2024-01-10")["id"]
    b = members.add_member(office, name="王建国", village="V02", post="committee_member",
                           election_date="2024-01-10")["id"]
    staff.add_staff(office, name="王芳", post="代办员")
    roster.add_post(office, code="CENTRE", name="便民服务中心", kind="centre",
                    shifts="day=08:30-17:30")
    roster.add_post(office, code="V01", name="许庄村服务站", village="V01",
                    shifts="day=08:30-17:30")
    roster.add_post(office, code="V02", name="东王村服务站", village="V02",
                    shifts="morning=08:30-12:00,afternoon=14:00-17:30")
    roster.add_eligible(office, "V01", [f"#{a}", "staff:王芳"])
    roster.add_eligible(office, "V02", [f"#{b}"])
    roster.add_eligible(office, "CENTRE", [f"#{b}"])
    # V01: planned 11-02 .. 11-20 (15 working days) with both away on two of them, then
    # nothing planned for the last week's 11-23 .. 11-25, then 11-26 and 11-27 by hand
    for term in (f"#{a}", "staff:王芳"):
        roster.add_unavailable(office, term, date_from="2026-11-18", date_to="2026-11-19",
                               reason="training")
    first = roster.plan(office, "V01", "2026-11-02", "2026-11-20")
    assert first["gaps"] == 2 and len(first["shifts"]) == 15
    roster.assign(office, "V01", "2026-11-26", "day", "staff:王芳")
    roster.assign(office, "V01", "2026-11-27", "day", f"#{a}")
    roster.plan(office, "V01", "2026-11-30", "2026-12-04")  # ahead of today: not judged
    # V02: the whole month, mornings and afternoons (2 x 20 through today)
    roster.plan(office, "V02", "2026-11-02", "2026-11-30")
    roster.plan(office, "CENTRE", "2026-11-02", "2026-11-06")

    figures = {p["post"]: p for p in roster.coverage(office, "2026-11-01", "2026-11-30")[
        "posts"]}
    v1 = figures["V01"]
    assert (v1["slots"], v1["covered"], v1["gaps"], v1["unplanned"]) == (20, 15, 2, 3)
    assert (v1["date_from"], v1["date_to"], v1["coverage"]) == (
        dt.date(2026, 11, 2), dt.date(2026, 11, 27), 0.75)
    assert (figures["V02"]["slots"], figures["V02"]["covered"]) == (40, 40)

    assessment.create_scheme(office, 2026)
    assessment.add_goal(office, 2026, code="duty", name="值班覆盖", max_points=10,
                        method="duty")
    report = assessment.report(office, year=2026)
    cells = {r["village_code"]: next(c for c in r["goals"] if c["code"] == "duty")
             for r in report["villages"]}
    assert cells["V01"]["inputs"] == {"stations": 1, "slots": 20, "covered": 15, "gaps": 2,
                                      "unplanned": 3}
    assert (cells["V01"]["points"], cells["V01"]["formula"]) == (7.5, "10 × 15/20 = 7.5")
    assert (cells["V02"]["points"], cells["V02"]["formula"]) == (10, "10 × 40/40 = 10")
    assert cells["V03"]["inputs"]["stations"] == 0
    assert (cells["V03"]["points"], cells["V03"]["formula"]) == (10, "10 (0 slots) = 10")
