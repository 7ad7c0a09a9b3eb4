"""The command line takes ledger's defaults: no --materials means none handed in (as in the
app), the warning about missing materials follows ledger's rule, and the tickets report's
default period is ledger's."""

from __future__ import annotations

import json

import pytest


@pytest.fixture
def url(jiedao, db_url: str) -> str:
    added = jiedao("--db", db_url, "items", "add", "--code", "R11", "--name", "护理补贴",
                   "--category", "残疾人服务", "--level", "district", "--limit", "20",
                   "--materials", "身份证|户口簿")
    assert added.code == 0, added.err
    return db_url


def test_missing_materials_warned_while_received_or_returned_only(jiedao, url):
    opened = jiedao("--db", url, "tickets", "open", "--item", "R11", "--name", "许桂兰",
                    "--received", "2026-11-02 09:00")
    assert opened.code == 0, opened.err
    number = opened.out.strip()
    assert "身份证" in opened.err and "户口簿" in opened.err  # nothing given: none handed in
    returned = jiedao("--db", url, "tickets", "return", number, "--note", "缺材料")
    assert returned.code == 0, returned.err
    assert "户口簿" in returned.err
    resumed = jiedao("--db", url, "tickets", "resume", number, "--materials", "1")
    assert "户口簿" in resumed.err and "身份证" not in resumed.err
    done = jiedao("--db", url, "tickets", "materials", number, "2")
    assert "户口簿" not in done.err
    shown = json.loads(jiedao("--db", url, "tickets", "show", number, "--json").out)
    assert shown["materials_missing"] == []


def test_tickets_report_period_is_ledgers(jiedao, url):
    for when in ("2025-06-02 09:00", "2026-11-02 09:00"):
        assert jiedao("--db", url, "tickets", "open", "--item", "R11", "--name", "许桂兰",
                      "--received", when).code == 0
    data = json.loads(jiedao("--db", url, "tickets", "report", "--json").out)
    assert (data["period"]["year"], data["totals"]["count"]) == (2026, 1)
    assert "2026" in jiedao("--db", url, "tickets", "report").out.splitlines()[0]
    whole = jiedao("--db", url, "tickets", "report", "--all-time")
    assert "all time" in whole.out.splitlines()[0]
    both = jiedao("--db", url, "tickets", "report", "--all-time", "--year", "2025")
    assert both.code == 1 and "all time" in both.err
