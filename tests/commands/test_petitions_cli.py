"""``jiedao petitions``: registering from scripts, --json, filters, masking, and errors as one
line on stderr with exit code 1 (refused) or 2 (bad usage), never a traceback."""

from __future__ import annotations

import json
from typing import Any

import pytest

from ledger import journal
from ledger.people import id_check_char

WANG_ID = "11010119800101123" + id_check_char("11010119800101123")


@pytest.fixture
def cli(jiedao, db_url):
    def call(*args: str) -> Any:
        return jiedao("--db", db_url, *args)

    assert call("villages", "add", "--name", "东村", "--code", "V01").code == 0
    assert call("villages", "add", "--name", "西村", "--code", "V02").code == 0
    assert call("staff", "add", "--name", "李干事").code == 0  # a handler
    return call


def register(cli, *extra: str) -> dict:
    result = cli("petitions", "register", "--channel", "visit", "--category",
                 "land_demolition", "--summary", "拆迁补偿款未到位", "--village", "V01",
                 "--received", "2026-11-01", "--json", *extra)
    assert result.code == 0, result.err
    return json.loads(result.out)


def one_line_error(result: Any, code: int) -> str:
    assert result.code == code, (result.code, result.out, result.err)
    lines = result.err.strip().splitlines()
    assert len(lines) == 1, result.err
    assert "Traceback" not in result.err
    return lines[0]


def test_register_with_positional_and_keyed_petitioners(cli):
    p = register(cli, "--petitioner", f"王五,13812345678,{WANG_ID},V01",
                 "--petitioner", "name=李四,phone=13900001111,village=西村,address=3组")
    assert p["number"] == "XF-2026-0001"
    assert [x["name"] for x in p["petitioners"]] == ["王五", "李四"]
    assert p["petitioners"][0]["phone"] == "138****5678"
    assert p["petitioners"][1]["village"] == "西村"
    assert p["petitioners"][1]["address"] == "3组"
    assert p["next_due"] == "2026-11-16"


def test_group_visit_over_five_representatives_is_refused(cli):
    reps = [arg for i in range(6) for arg in ("--petitioner", f"代表{i}")]
    line = one_line_error(cli("petitions", "register", "--channel", "visit", "--category",
                              "land_demolition", "--summary", "集体访", "--collective",
                              "--people", "40", *reps), 1)
    assert "at most 5" in line
    assert json.loads(cli("petitions", "list", "--json").out) == []


def test_the_procedure_through_the_command_line(cli, db_url):
    p = register(cli, "--petitioner", "王五,13812345678")
    n = p["number"]
    steps = [
        ("accept", "--on", "2026-11-02"),
        ("assign", "--handler", "李干事", "--unit", "信访办", "--on", "2026-11-03"),
        ("extend", "--days", "20", "--reason", "需会商", "--approved-by", "主任",
         "--on", "2026-11-10"),
        ("reply", "--gist", "依政策补偿", "--on", "2026-11-20"),
        ("request-review",),
        ("review", "--gist", "维持"),
        ("request-rereview",),
        ("rereview", "--gist", "维持"),
    ]
    for step in steps:
        result = cli("petitions", step[0], n, *step[1:])
        assert result.code == 0, (step, result.err)
    shown = json.loads(cli("petitions", "show", n, "--json").out)
    assert shown["state"] == "closed" and shown["final"] and shown["extension_days"] == 20
    assert [e["action"] for e in shown["events"]][-3:] == ["review", "request_rereview",
                                                          "rereview"]
    assert cli("petitions", "close", n).code == 1  # the re-review closed it already
    text = cli("petitions", "show", n)
    assert text.code == 0 and "Timeline" in text.out and "138****5678" in text.out


def test_decline_with_reason_and_where_it_goes(cli):
    n = register(cli, "--petitioner", "王五", "--attachment", "来信原件",
                 "--attachment", "/scans/xf-0001.pdf")["number"]
    missing = cli("petitions", "decline", n, "--forwarded-to", "区人社局")
    assert missing.code == 2 and "--reason" in missing.err  # the reason is required
    declined = cli("petitions", "decline", n, "--reason", "属劳动仲裁事项",
                   "--forwarded-to", "区人社局", "--on", "2026-11-03", "--json")
    assert declined.code == 0, declined.err
    row = json.loads(declined.out)
    assert (row["state"], row["decline_reason"], row["forwarded_to"]) == (
        "not_accepted", "属劳动仲裁事项", "区人社局")
    assert row["attachments"] == ["来信原件", "/scans/xf-0001.pdf"]
    assert row["events"][-1]["on"] == "2026-11-03"
    assert "区人社局" in row["events"][-1]["note"]


def test_refused_step_is_one_line_exit_1(cli):
    n = register(cli, "--petitioner", "王五")["number"]
    line = one_line_error(cli("petitions", "close", n), 1)
    assert n in line and "cannot close" in line
    line = one_line_error(cli("petitions", "accept", "XF-2026-0404"), 1)
    assert "not found" in line
    line = one_line_error(cli("petitions", "accept", n, "--on", "2026-12-01"), 1)
    assert "after today" in line


@pytest.mark.parametrize("args", [
    ("petitions", "register", "--channel", "fax", "--category", "other", "--summary", "s",
     "--petitioner", "甲"),
    ("petitions", "register", "--channel", "visit", "--category", "other", "--summary", "s"),
    ("petitions", "register", "--channel", "visit", "--category", "other", "--summary", "s",
     "--petitioner", "a,b,c,d,e,f"),
    ("petitions", "register", "--channel", "visit", "--category", "other", "--summary", "s",
     "--petitioner", "name=甲,age=3"),
    ("petitions", "list", "--due-within", "-2"),
    ("petitions", "list", "--from", "2026-02-30"),
    ("petitions", "list", "--state", "lost"),
    ("petitions", "extend", "XF-2026-0001", "--days", "x", "--reason", "r",
     "--approved-by", "a"),
])
def test_bad_usage_is_one_line_exit_2(cli, args):
    one_line_error(cli(*args), 2)


def test_bad_values_only_ledger_knows_are_exit_1(cli):
    line = one_line_error(cli("petitions", "register", "--channel", "visit", "--category",
                              "weather", "--summary", "s", "--petitioner", "甲"), 1)
    assert "category" in line
    line = one_line_error(cli("petitions", "register", "--channel", "visit", "--category",
                              "other", "--summary", "s", "--petitioner", "甲,12"), 1)
    assert "phone" in line
    line = one_line_error(cli("petitions", "list", "--village", "nowhere"), 1)
    assert "nowhere" in line


def test_list_filters_json_and_reveal(cli, office):
    a = register(cli, "--petitioner", "王五,13812345678")
    b = register(cli, "--petitioner", "李四,13900001111", "--village", "V02",
                 "--received", "2026-11-20", "--channel", "letter")
    rows = json.loads(cli("petitions", "list", "--overdue", "--json").out)
    assert [r["number"] for r in rows] == [a["number"]]
    assert rows[0]["days_left"] == -11 and rows[0]["deadline_state"] == "overdue"
    assert rows[0]["petitioner_phone"] == "138****5678"
    by_village = json.loads(cli("petitions", "list", "--village", "西村", "--json").out)
    assert [r["number"] for r in by_village] == [b["number"]]
    by_channel = json.loads(cli("petitions", "list", "--channel", "letter", "--json").out)
    assert [r["number"] for r in by_channel] == [b["number"]]
    within = json.loads(cli("petitions", "list", "--due-within", "10", "--json").out)
    assert [r["number"] for r in within] == [b["number"]]
    paged = json.loads(cli("petitions", "list", "--limit", "1", "--offset", "1", "--json").out)
    assert [r["number"] for r in paged] == [a["number"]]
    assert not [e for e in journal.entries(office) if e["action"] == "reveal"]
    revealed = json.loads(cli("petitions", "list", "--reveal", "--json").out)
    assert {r["petitioner_phone"] for r in revealed} == {"13812345678", "13900001111"}
    shown = json.loads(cli("petitions", "show", a["number"], "--reveal", "--json").out)
    assert shown["petitioners"][0]["phone"] == "13812345678"
    reveals = [e for e in journal.entries(office) if e["action"] == "reveal"]
    assert [e["entity_id"] for e in reveals] == ["*", str(a["id"])]
    table = cli("petitions", "list")
    assert table.code == 0 and "138****5678" in table.out
    assert "rows 1–2 of 2" in table.err and "rows" not in table.out


def test_chain_and_report(cli):
    first = register(cli, "--petitioner", "王五,13812345678")
    cli("petitions", "accept", first["number"], "--on", "2026-11-02")
    again = register(cli, "--petitioner", "王五,13812345678", "--received", "2026-11-20")
    assert again["repeat_of"] == first["number"]
    chain = json.loads(cli("petitions", "chain", again["number"], "--json").out)
    assert [c["number"] for c in chain] == [first["number"], again["number"]]
    repeats = json.loads(cli("petitions", "list", "--repeat", "--json").out)
    assert [r["number"] for r in repeats] == [again["number"]]
    others = json.loads(cli("petitions", "list", "--no-repeat", "--json").out)
    assert [r["number"] for r in others] == [first["number"]]
    out = json.loads(cli("petitions", "report", "--from", "2026-01-01", "--to",
                         "2026-11-30", "--json").out)
    assert out["total"] == 2 and out["repeats"] == 1 and out["repeat_share"] == 0.5
    text = cli("petitions", "report", "--from", "2026-01-01", "--to", "2026-11-30")
    assert text.code == 0 and "On time" in text.out and "东村" in text.out
    line = one_line_error(cli("petitions", "report", "--from", "2026-05-01", "--to",
                              "2026-04-01"), 1)
    assert "before" in line


def test_recompute_deadlines_after_switching_to_working_days(cli, jiedao, db_url, tmp_path,
                                                             monkeypatch):
    p = register(cli, "--petitioner", "王五", "--received", "2026-09-28")
    assert p["next_due"] == "2026-10-13"
    config = tmp_path / "working.toml"
    config.write_text('[petitions]\nday_counting = "working"\n', encoding="utf-8")
    monkeypatch.setenv("JIEDAO_CONFIG", str(config))
    result = cli("petitions", "recompute-deadlines")
    assert result.code == 0 and "1 petitions" in result.err
    shown = json.loads(cli("petitions", "show", p["number"], "--json").out)
    assert shown["next_due"] == "2026-10-23"  # 15 working days across National Day
