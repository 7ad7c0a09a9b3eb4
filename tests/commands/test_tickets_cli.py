"""``jiedao items`` and ``jiedao tickets`` as scripts use them: JSON, masking, one-line
errors (exit 1 refused, 2 bad usage), and the sample office."""

from __future__ import annotations

import json

import pytest

from ledger import journal, open_office

PHONE = "13812345678"
ID_NUMBER = "11010519491231002X"


@pytest.fixture
def url(jiedao, db_url: str) -> str:
    assert jiedao("--db", db_url, "villages", "add", "--name", "许庄村", "--code", "V01").code == 0
    assert jiedao("--db", db_url, "staff", "add", "--name", "王芳").code == 0  # an agent
    for args in (
        ["--code", "R11", "--name", "重度残疾人护理补贴", "--category", "残疾人服务", "--level",
         "district", "--limit", "20", "--materials", "身份证|户口簿|残疾证"],
        ["--code", "R21", "--name", "生育服务登记", "--category", "卫生计生", "--level",
         "subdistrict", "--limit", "0", "--materials", "身份证|户口簿|结婚证"],
    ):
        added = jiedao("--db", db_url, "items", "add", *args)
        assert added.code == 0, added.err
    return db_url


def _open(jiedao, url, *extra):
    result = jiedao("--db", url, "tickets", "open", "--item", "R11", "--name", "许桂兰",
                    "--phone", PHONE, "--id-number", ID_NUMBER, "--village", "V01",
                    "--received", "2026-11-02 09:00", "--materials", "all", "--json", *extra)
    assert result.code == 0, result.err
    return json.loads(result.out)


def _one_line(result) -> bool:
    return result.err.count("\n") == 1 and "Traceback" not in result.err


def test_items_list_and_show_as_json(jiedao, url):
    listed = json.loads(jiedao("--db", url, "items", "list", "--json").out)
    assert [i["code"] for i in listed] == ["R11", "R21"]
    shown = json.loads(jiedao("--db", url, "items", "show", "生育服务登记", "--json").out)
    assert (shown["time_limit_days"], shown["on_the_spot"]) == (0, True)
    table = jiedao("--db", url, "items", "list").out  # people read the limit in words
    assert "on the spot" in table and "20 working days" in table
    edited = jiedao("--db", url, "items", "edit", "R11", "--limit", "15", "--json")
    assert json.loads(edited.out)["time_limit_days"] == 15
    assert jiedao("--db", url, "items", "retire", "R21").code == 0
    again = jiedao("--db", url, "items", "retire", "R21")
    assert again.code == 1 and _one_line(again)


def test_items_bad_input(jiedao, url):
    bad_level = jiedao("--db", url, "items", "add", "--name", "x", "--category", "y",
                       "--level", "moon", "--limit", "1")
    assert bad_level.code == 2
    bad_limit = jiedao("--db", url, "items", "add", "--name", "x", "--category", "y",
                       "--level", "city", "--limit", "-1")
    assert bad_limit.code == 1 and _one_line(bad_limit)
    assert "time limit" in bad_limit.err
    missing = jiedao("--db", url, "items", "show", "R99")
    assert missing.code == 1 and "not found" in missing.err


def test_open_list_show_and_the_whole_life_of_a_ticket(jiedao, url):
    t = _open(jiedao, url)
    assert (t["number"], t["due_date"], t["deadline_state"]) == (
        "DB-2026-0001", "2026-11-30", "due_soon")
    assert t["applicant_phone"] == "138****5678"
    number = t["number"]
    for args in (["advance"], ["return", "--note", "缺照片"], ["resume"], ["advance"],
                 ["rate", "satisfied", "--comment", "很好"]):
        step = jiedao("--db", url, "tickets", args[0], number, *args[1:], "--json")
        assert step.code == 0, step.err
    shown = json.loads(jiedao("--db", url, "tickets", "show", number, "--json").out)
    assert shown["state"] == "done" and shown["satisfaction"] == "satisfied"
    assert [h["action"] for h in shown["history"]] == [
        "open", "advance", "return", "resume", "advance", "rate"]
    table = jiedao("--db", url, "tickets", "show", number)
    assert "[x] 残疾证" in table.out and "history" in table.out


def test_the_other_steps_from_the_command_line(jiedao, url):
    """assign, materials (tick and untick, by name or number), reopen and withdraw, each
    with its own arguments, as a script would call them."""
    number = _open(jiedao, url, "--materials", "1")["number"]

    def step(*args: str) -> dict:
        result = jiedao("--db", url, "tickets", args[0], number, *args[1:], "--json")
        assert result.code == 0, result.err
        return json.loads(result.out)

    assigned = step("assign", "王芳", "--note", "交代办员", "--at", "2026-11-02 10:00")
    assert assigned["agent"] == "王芳"
    assert step("materials", "户口簿", "3")["materials_missing"] == []
    assert step("materials", "2", "--uncheck")["materials_missing"] == ["户口簿"]
    assert step("advance", "--materials", "all")["state"] == "in_progress"
    assert step("advance")["state"] == "done"
    reopen = jiedao("--db", url, "tickets", "reopen", number)  # --note is required
    assert reopen.code == 2 and "--note" in reopen.err
    assert step("reopen", "--note", "结果有误")["state"] == "in_progress"
    assert step("withdraw", "--note", "申请人撤回")["state"] == "withdrawn"
    shown = json.loads(jiedao("--db", url, "tickets", "show", number, "--json").out)
    assert [h["action"] for h in shown["history"]] == [
        "open", "assign", "materials", "materials", "advance", "advance", "reopen", "withdraw"]
    assert [h["note"] for h in shown["history"]][-2:] == ["结果有误", "申请人撤回"]
    assert shown["history"][1]["at"].startswith("2026-11-02T02:00")  # --at, local → UTC


def test_list_filters_and_json_stream(jiedao, url):
    first = _open(jiedao, url)["number"]
    late = _open(jiedao, url, "--received", "2026-10-08 10:00")["number"]
    overdue = json.loads(jiedao("--db", url, "tickets", "list", "--overdue", "--json").out)
    assert [r["number"] for r in overdue] == [late]
    soon = json.loads(jiedao("--db", url, "tickets", "list", "--due-soon", "--json").out)
    assert [r["number"] for r in soon] == [first]
    paged = json.loads(jiedao("--db", url, "tickets", "list", "--json", "--limit", "1",
                              "--offset", "1").out)
    assert [r["number"] for r in paged] == [first]
    assert json.loads(jiedao("--db", url, "tickets", "list", "--search", "xgl",
                             "--json").out)[0]["applicant_name"] == "许桂兰"
    assert json.loads(jiedao("--db", url, "tickets", "list", "--state", "done",
                             "--json").out) == []
    received = json.loads(jiedao("--db", url, "tickets", "list", "--state", "received",
                                 "--json").out)
    assert received and {r["state"] for r in received} == {"received"}
    # --status, the option's former name, still works for old scripts, unlisted in the help
    assert json.loads(jiedao("--db", url, "tickets", "list", "--status", "received",
                             "--json").out) == received
    assert "--status" not in jiedao("--db", url, "tickets", "list", "--help").out
    table = jiedao("--db", url, "tickets", "list")
    assert "rows 1–2 of 2" in table.err and "overdue" in table.out


def test_masked_unless_revealed_and_revealing_is_journaled(jiedao, url):
    number = _open(jiedao, url)["number"]
    listed = jiedao("--db", url, "tickets", "list", "--json").out
    assert PHONE not in listed and ID_NUMBER not in listed
    revealed = jiedao("--db", url, "tickets", "list", "--json", "--reveal").out
    assert PHONE in revealed and ID_NUMBER in revealed
    table = jiedao("--db", url, "tickets", "list", "--reveal").out
    assert PHONE in table  # the table reveals too, and is journaled like the JSON
    shown = json.loads(jiedao("--db", url, "tickets", "show", number, "--reveal", "--json").out)
    assert shown["applicant_id_number"] == ID_NUMBER
    office = open_office(url, check=False)
    try:
        reveals = [e["entity_id"] for e in journal.entries(office) if e["action"] == "reveal"]
    finally:
        office.close()
    assert reveals == ["*", "*", str(shown["id"])]


def test_refused_moves_are_one_line_and_exit_1(jiedao, url):
    number = _open(jiedao, url)["number"]
    for step in (["advance"], ["advance"]):
        assert jiedao("--db", url, "tickets", *step, number).code == 0
    refused = jiedao("--db", url, "tickets", "advance", number)
    assert refused.code == 1 and _one_line(refused)
    assert "reopen it first" in refused.err
    assert jiedao("--db", url, "tickets", "withdraw", number).code == 1
    unknown = jiedao("--db", url, "tickets", "show", "DB-2026-0999")
    assert unknown.code == 1 and "ticket not found" in unknown.err
    bad_phone = jiedao("--db", url, "tickets", "open", "--item", "R11", "--name", "张三",
                       "--phone", "123")
    assert bad_phone.code == 1 and _one_line(bad_phone) and "phone" in bad_phone.err
    future = jiedao("--db", url, "tickets", "open", "--item", "R11", "--name", "张三",
                    "--received", "2027-01-01 09:00")
    assert future.code == 1 and "future" in future.err


@pytest.mark.parametrize("args", [
    ["list", "--state", "lost"],
    ["list", "--from", "yesterday"],
    ["list", "--limit", "-1"],
    ["rate", "DB-2026-0001", "thrilled"],
    ["return", "DB-2026-0001"],
    ["open", "--name", "张三"],
    ["report", "--month", "13"],
])
def test_bad_usage_exits_2_without_traceback(jiedao, url, args):
    result = jiedao("--db", url, "tickets", *args)
    assert result.code == 2
    assert "Traceback" not in result.err


def test_report_json_and_table(jiedao, url):
    _open(jiedao, url)
    data = json.loads(jiedao("--db", url, "tickets", "report", "--json").out)
    assert data["period"]["year"] == 2026
    assert data["totals"]["count"] == 1
    assert data["by_item"][0]["code"] == "R11"
    table = jiedao("--db", url, "tickets", "report", "--all-time")
    assert "By village" in table.out and "许庄村" in table.out
    march = json.loads(jiedao("--db", url, "tickets", "report", "--month", "3", "--json").out)
    assert (march["period"]["from"], march["totals"]["count"]) == ("2026-03-01", 0)
    assert jiedao("--db", url, "tickets", "report", "--year", "1800").code == 1


def test_the_sample_office_has_47_items_and_tickets_in_every_state(jiedao, db_url: str):
    url = db_url
    assert jiedao("--db", url, "init", "--example").code == 0
    listed = json.loads(jiedao("--db", url, "items", "list", "--json").out)
    assert len(listed) == 47
    assert {i["track"] for i in listed} == {"resident", "project"}
    everything = json.loads(jiedao("--db", url, "tickets", "list", "--json").out)
    assert len(everything) >= 200
    assert {t["state"] for t in everything} == {
        "received", "in_progress", "done", "returned", "withdrawn"}
    assert len({t["village"] for t in everything}) >= 9
    assert len({t["number"] for t in everything}) == len(everything)
    table = jiedao("--db", url, "tickets", "list")  # a table is a page, and the count
    assert f"rows 1–50 of {len(everything)}" in table.err
    assert len(table.out.splitlines()) == 2 + 50
    report = json.loads(jiedao("--db", url, "tickets", "report", "--all-time", "--json").out)
    totals = report["totals"]
    assert totals["overdue"] > 0 and 0.7 < totals["on_time_rate"] < 1
    assert totals["rated"] > totals["done"] / 2
    assert jiedao("--db", url, "audit", "verify").code == 0


def test_a_step_entered_by_its_day_alone_follows_the_days_earlier_step(jiedao, url):
    # --at with a bare day once became midnight, so a ticket opened at 10:00 today could
    # not be advanced "today": ledger now decides what a bare day means.
    opened = jiedao("--db", url, "tickets", "open", "--item", "R11", "--name", "许桂兰",
                    "--phone", PHONE, "--village", "V01", "--materials", "all", "--json")
    number = json.loads(opened.out)["number"]
    advanced = jiedao("--db", url, "tickets", "advance", number, "--at", "2026-11-27", "--json")
    assert advanced.code == 0, advanced.err
    assert json.loads(advanced.out)["state"] == "in_progress"
    bad = jiedao("--db", url, "tickets", "advance", number, "--at", "2026-11-27 25:00")
    assert bad.code == 2 and _one_line(bad)


def test_edit_corrects_the_applicant_with_the_opening_rules(jiedao, url):
    t = _open(jiedao, url)
    edited = jiedao("--db", url, "tickets", "edit", t["number"], "--phone", "13912345678",
                    "--version", str(t["version"]), "--json")
    assert edited.code == 0, edited.err
    assert json.loads(edited.out)["version"] == t["version"] + 1
    stale = jiedao("--db", url, "tickets", "edit", t["number"], "--notes", "x",
                   "--version", str(t["version"]))
    assert stale.code == 1 and _one_line(stale)
    bad = jiedao("--db", url, "tickets", "edit", t["number"], "--phone", "12345")
    assert bad.code == 1 and _one_line(bad) and "phone" in bad.err
    nothing = jiedao("--db", url, "tickets", "edit", t["number"])
    assert nothing.code == 2 and "nothing to change" in nothing.err
