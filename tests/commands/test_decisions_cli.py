"""``jiedao decisions`` as a clerk and a script use it: the five steps and the disclosures,
the list's filters, JSON, and one-line refusals (exit 1) and usage errors (exit 2)."""

from __future__ import annotations

import json

import pytest

MEETING = ["--present", "30", "--entitled", "45", "--for", "16", "--against", "10",
           "--abstain", "4"]


@pytest.fixture
def url(jiedao, db_url: str) -> str:
    for name, code in (("许庄村", "V01"), ("东王村", "V02")):
        assert jiedao("--db", db_url, "villages", "add", "--name", name, "--code", code).code == 0
    return db_url


def _propose(jiedao, url, *extra: str) -> str:
    result = jiedao("--db", url, "decisions", "propose", "--village", "V01", "--subject",
                    "村东路硬化", "--proposal", "硬化村东路 800 米", "--kind", "project",
                    "--amount", "120000", "--attachment", "预算表.pdf", "--on", "2026-09-01",
                    "--present", "5", "--entitled", "5", *extra)
    assert result.code == 0, result.err
    return result.out.strip()


def _one_line(result) -> bool:
    return result.err.count("\n") == 1 and "Traceback" not in result.err


def test_the_procedure_from_the_command_line(jiedao, url):
    number = _propose(jiedao, url)
    assert number == "JC-2026-0001"
    run = lambda *args: jiedao("--db", url, "decisions", *args)  # noqa: E731
    assert run("step", number, "committees_deliberation", "--present", "9", "--entitled", "9",
               "--on", "2026-09-02").code == 0
    assert run("step", number, "party_members_review", *MEETING, "--on", "2026-09-03").code == 0
    waiting = json.loads(run("list", "--waiting", "--json").out)
    assert [d["number"] for d in waiting] == [number]
    assert run("step", number, "subdistrict_review", "--on", "2026-09-04").code == 0
    resolved = run("step", number, "villagers_resolution", "--meeting", "representatives",
                   "--present", "20", "--entitled", "30", "--for", "11", "--against", "6",
                   "--abstain", "3", "--on", "2026-09-05", "--json")
    assert json.loads(resolved.out)["state"] == "resolved"
    early = run("publish", number, "results", "--place", "公开栏")
    assert early.code == 1 and _one_line(early) and "before its results" in early.err
    assert run("publish", number, "resolution", "--place", "村务公开栏").code == 0
    assert run("publish", number, "results", "--place", "村务公开栏").code == 0
    shown = run("show", number)
    assert "results made public" in shown.out and "20 of 30 present" in shown.out
    assert "tester" in shown.out  # the recorder of each step
    data = json.loads(run("show", number, "--json").out)
    assert [s["status"] for s in data["stages"]] == ["done"] * 7
    assert data["attachments"] == ["预算表.pdf"]


def test_veto_and_the_steps_after_it(jiedao, url):
    number = _propose(jiedao, url)
    run = lambda *args: jiedao("--db", url, "decisions", *args)  # noqa: E731
    run("step", number, "committees_deliberation", "--present", "9", "--entitled", "9")
    run("step", number, "party_members_review", *MEETING)
    vetoed = run("veto", number, "--reason", "占用基本农田", "--json")
    assert vetoed.code == 0 and json.loads(vetoed.out)["state"] == "vetoed"
    after = run("step", number, "villagers_resolution", "--present", "20", "--entitled", "30",
                "--for", "20", "--against", "0", "--abstain", "0")
    assert after.code == 1 and _one_line(after) and "vetoed" in after.err
    listed = json.loads(run("list", "--vetoed", "--json").out)
    assert [d["number"] for d in listed] == [number]
    zh = jiedao("--lang", "zh", "--db", url, "decisions", "publish", number, "resolution",
                "--place", "栏")
    assert zh.code == 1 and "否决" in zh.err


def test_refusals_name_the_numbers(jiedao, url):
    number = _propose(jiedao, url)
    run = lambda *args: jiedao("--db", url, "decisions", *args)  # noqa: E731
    order = run("step", number, "party_members_review", *MEETING)
    assert order.code == 1 and _one_line(order) and "out of order" in order.err
    run("step", number, "committees_deliberation", "--present", "9", "--entitled", "9")
    sums = run("step", number, "party_members_review", "--present", "30", "--entitled", "45",
               "--for", "16", "--against", "10", "--abstain", "3")
    assert sums.code == 1 and "= 29, not the 30 present" in sums.err
    quorum = run("step", number, "party_members_review", "--present", "29", "--entitled", "45",
                 "--for", "29", "--against", "0", "--abstain", "0")
    assert quorum.code == 1 and _one_line(quorum)
    assert "29 of 45 present, 30 needed" in quorum.err


def test_bad_usage_and_bad_input(jiedao, url):
    run = lambda *args: jiedao("--db", url, "decisions", *args)  # noqa: E731
    assert run("propose", "--village", "V01").code == 2  # missing options
    bad_kind = run("list", "--kind", "bribe")
    assert bad_kind.code == 2
    unknown = run("propose", "--village", "V99", "--subject", "x", "--proposal", "y",
                  "--present", "1", "--entitled", "1")
    assert unknown.code == 1 and _one_line(unknown) and "V99" in unknown.err
    amount = run("propose", "--village", "V01", "--subject", "x", "--proposal", "y",
                 "--amount", "-5", "--present", "1", "--entitled", "1")
    assert amount.code == 1 and "amount" in amount.err
    missing = run("show", "JC-2026-0042")
    assert missing.code == 1 and _one_line(missing)
    assert run("list", "--json").out.strip() == "[]"


def test_list_table_and_filters(jiedao, url):
    first = _propose(jiedao, url)
    jiedao("--db", url, "decisions", "propose", "--village", "V02", "--subject", "集体资产出租",
           "--proposal", "出租厂房", "--kind", "contract", "--present", "5", "--entitled", "7")
    table = jiedao("--db", url, "decisions", "list")
    assert table.code == 0 and "集体资产出租" in table.out and "of 2" in table.err
    only = json.loads(jiedao("--db", url, "decisions", "list", "--village", "V01",
                             "--json").out)
    assert [d["number"] for d in only] == [first]
    report = json.loads(jiedao("--db", url, "decisions", "report", "--year", "2026",
                               "--json").out)
    assert [v["proposed"] for v in report["villages"]] == [1, 1]
