"""``jiedao surveys``: add, list, show and the yearly report; bad input in one line."""

from __future__ import annotations

import json


def test_surveys_from_the_command_line(jiedao, db_url):
    assert jiedao("--db", db_url, "villages", "add", "--name", "许庄村", "--code", "V01").code == 0
    added = jiedao("--db", db_url, "surveys", "add", "--village", "V01", "--on", "2026-06-30",
                   "--satisfied", "80", "--basically", "15", "--dissatisfied", "5", "--json")
    assert added.code == 0, added.err
    sid = json.loads(added.out)["id"]
    shown = jiedao("--db", db_url, "surveys", "show", str(sid))
    assert "80.0%" in shown.out
    listed = json.loads(jiedao("--db", db_url, "surveys", "list", "--json").out)
    assert [r["respondents"] for r in listed] == [100]
    report = jiedao("--db", db_url, "surveys", "report", "--year", "2026")
    assert "87.5%" in report.out
    bad = jiedao("--db", db_url, "surveys", "add", "--village", "V01", "--on", "2026-06-30")
    assert bad.code == 1 and bad.err.count("\n") == 1 and "respondent" in bad.err
    usage = jiedao("--db", db_url, "surveys", "add", "--village", "V01", "--on", "June")
    assert usage.code == 2
