"""The sample office's decisions, surveys and assessment: every stage, one veto, a refused
meeting, a year of surveys per village, and last year's assessment fully scored."""

from __future__ import annotations

import random

from ledger import assessment, decisions, journal, surveys
from ledger.sample import decisions as sample_decisions
from ledger.sample import members as sample_members


def test_the_sample_has_every_stage_a_veto_surveys_and_an_assessment(office):
    sample_members.fill(office, random.Random(2015))
    sample_decisions.fill(office, random.Random(2015))
    states = {d["state"] for d in decisions.iter_decisions(office)}
    assert states == set(decisions.STATES)
    vetoed = decisions.list_decisions(office, decisions.DecisionFilter(vetoed=True))
    assert len(vetoed) == 1
    record = decisions.get_decision(office, vetoed[0]["number"])
    assert "土地管理法" in record["veto_reason"]
    assert [s["outcome"] for s in record["steps"]].count("refused") == 1
    assert decisions.count_decisions(office, decisions.DecisionFilter(waiting=True)) >= 1
    last_year = office.today().year - 1
    for row in surveys.report(office, year=last_year)["villages"]:
        assert row["surveys"] == 4, row["village"]
    report = assessment.report(office, year=last_year)
    assert report["missing_hand_scores"] == []
    assert len(report["villages"]) == 9 and report["villages"][0]["rank"] == 1
    assert len({r["grade"] for r in report["villages"]}) >= 2
    assert journal.verify(office).ok
