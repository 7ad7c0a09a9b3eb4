"""Satisfaction surveys: entered by hand, validated, corrected, summed per village per year."""

from __future__ import annotations

import pytest

from ledger import Conflict, NotFound, ValidationError, journal, surveys, villages


@pytest.fixture
def office2(office):
    villages.add_village(office, name="许庄村", code="V01")
    villages.add_village(office, name="东王村", code="V02")
    return office


def test_add_and_shares(office2):
    s = surveys.add_survey(office2, village="V01", surveyed_on="2026-06-30", satisfied=80,
                           basically_satisfied=15, dissatisfied=5, comments="路灯不亮")
    assert (s["respondents"], s["satisfied_share"], s["dissatisfied_share"]) == (100, 0.8, 0.05)
    assert s["score"] == 0.875  # (80 + 15/2) / 100
    assert journal.history(office2, "survey", s["id"])[0]["action"] == "create"
    assert surveys.get_survey(office2, s["id"])["comments"] == "路灯不亮"


def test_report_per_village_per_year(office2):
    add = surveys.add_survey
    add(office2, village="V01", surveyed_on="2026-03-31", satisfied=30, basically_satisfied=10,
        dissatisfied=10)
    add(office2, village="V01", surveyed_on="2026-09-30", satisfied=50, basically_satisfied=0,
        dissatisfied=0)
    add(office2, village="V02", surveyed_on="2025-12-31", satisfied=1)
    report = surveys.report(office2, year=2026)
    v1, v2 = report["villages"]
    # 80 satisfied, 10 basically, 10 dissatisfied of 100 answers over two surveys
    assert (v1["surveys"], v1["respondents"], v1["satisfied_share"], v1["score"]) == (
        2, 100, 0.8, 0.85)
    assert (v2["surveys"], v2["respondents"], v2["score"]) == (0, 0, None)
    assert surveys.report(office2, year=2025)["villages"][1]["score"] == 1.0
    assert surveys.count_surveys(office2, surveys.SurveyFilter(village="V01", year=2026)) == 2


@pytest.mark.parametrize("change, field", [
    ({"village": "V99"}, "village"),
    ({"surveyed_on": ""}, "surveyed_on"),
    ({"surveyed_on": "2026-11-28"}, "surveyed_on"),
    ({"satisfied": -1}, "satisfied"),
    ({"dissatisfied": "many"}, "dissatisfied"),
    ({"satisfied": 0, "basically_satisfied": 0, "dissatisfied": 0}, "satisfied"),
])
def test_bad_survey_is_refused(office2, change, field):
    data = {"village": "V01", "surveyed_on": "2026-06-30", "satisfied": 5, **change}
    with pytest.raises(ValidationError) as err:
        surveys.add_survey(office2, **data)
    assert err.value.field == field
    assert surveys.count_surveys(office2) == 0


def test_edit_with_versions(office2):
    s = surveys.add_survey(office2, village="V01", surveyed_on="2026-06-30", satisfied=5)
    s2 = surveys.edit_survey(office2, s["id"], version=1, dissatisfied=5)
    assert (s2["respondents"], s2["version"]) == (10, 2)
    with pytest.raises(Conflict):
        surveys.edit_survey(office2, s["id"], version=1, dissatisfied=1)
    with pytest.raises(NotFound):
        surveys.get_survey(office2, "x")
    # an id no column holds is not found, not an overflow in the database
    for ref in ("99999999999", "0", -1):
        with pytest.raises(NotFound):
            surveys.get_survey(office2, ref)
    with pytest.raises(ValidationError) as unknown:
        surveys.edit_survey(office2, s["id"], village="V02")
    assert unknown.value.field == "village" and "no such field" in unknown.value.message()
