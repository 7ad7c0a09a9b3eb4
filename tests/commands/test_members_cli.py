"""``jiedao villages`` and ``jiedao members`` as scripts use them: JSON, exit codes, stdout."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from ledger import journal, open_office
from ledger.people import id_check_char


def _id(birth: str = "19800102", seq: str = "123") -> str:
    first17 = "139021" + birth + seq
    return first17 + id_check_char(first17)


@pytest.fixture
def office_url(jiedao, db_url: str) -> str:
    """A database with one village and its secretary (also the director: 一肩挑)."""
    assert jiedao("--db", db_url, "villages", "add", "--name", "许庄村", "--code", "V01",
                  "--status", "flattened_returned").code == 0
    added = jiedao("--db", db_url, "members", "add", "--name", "许少伟", "--village", "V01",
                   "--post", "branch_secretary", "--id-number", _id(), "--phone", "13912345678",
                   "--education", "bachelor", "--political-status", "party_member",
                   "--election-date", "2015-01-10", "--json")
    assert added.code == 0, added.err
    member = json.loads(added.out)
    both = jiedao("--db", db_url, "members", "add-post", str(member["id"]),
                  "--post", "committee_director", "--election-date", "2015-01-10", "--json")
    assert both.code == 0, both.err
    return db_url


def test_the_full_flow_init_example_then_report(jiedao, db_url: str):
    url = db_url
    init = jiedao("--db", url, "init", "--example")
    assert init.code == 0, init.err
    result = jiedao("--db", url, "members", "report", "--json")
    assert result.code == 0, result.err
    whole = json.loads(result.out)["office"]
    assert whole["total"] == 68
    assert whole["education"]["bachelor_or_higher"] == 10
    assert whole["bachelor_or_higher_officials"] == 9
    assert (whole["education"]["associate"], whole["education"]["senior_secondary"],
            whole["education"]["junior_secondary"]) == (12, 23, 23)
    assert jiedao("--db", url, "audit", "verify").code == 0


def test_villages_list_and_show_json(jiedao, office_url: str):
    rows = json.loads(jiedao("--db", office_url, "villages", "list", "--json").out)
    assert rows == [{"id": 1, "code": "V01", "name": "许庄村",
                     "relocation_status": "flattened_returned", "notes": "",
                     "version": 1, "active_members": 1}]
    shown = json.loads(jiedao("--db", office_url, "villages", "show", "许庄村", "--json").out)
    assert shown["code"] == "V01" and shown["people"] == 1
    edited = jiedao("--db", office_url, "villages", "edit", "V01", "--status", "urban_village",
                    "--json")
    assert edited.code == 0 and json.loads(edited.out)["relocation_status"] == "urban_village"
    assert "updated village" in edited.err  # messages on stderr, data on stdout


def test_table_output_shows_translated_labels(jiedao, office_url: str):
    table = jiedao("--db", office_url, "villages", "list")
    assert "flattened, moved back" in table.out
    zh = jiedao("--db", office_url, "--lang", "zh", "members", "list")
    assert "党支部书记、村委会主任" in zh.out and "大学本科" in zh.out
    assert "1390**********" in zh.out  # masked


def test_members_list_json_keys_search_and_paging(jiedao, office_url: str):
    for name, post in (("王建国", "committee_member"), ("李强", "deputy_director")):
        assert jiedao("--db", office_url, "members", "add", "--name", name, "--village", "V01",
                      "--post", post).code == 0
    rows = json.loads(jiedao("--db", office_url, "members", "list", "--json").out)
    assert [r["name"] for r in rows] == ["许少伟", "李强", "王建国"]
    assert set(rows[0]) >= {"id", "name", "name_initials", "gender", "birth_date", "age",
                            "id_number", "phone", "education", "political_status",
                            "college_graduate_official", "village", "village_id", "posts",
                            "active", "notes"}
    assert rows[0]["posts"] == ["branch_secretary", "committee_director"]
    assert rows[0]["phone"] == "139****5678"
    found = json.loads(jiedao("--db", office_url, "members", "list", "--search", "xsw",
                              "--json").out)
    assert [r["name"] for r in found] == ["许少伟"]
    page = jiedao("--db", office_url, "members", "list", "--limit", "1", "--offset", "1")
    assert "李强" in page.out and "王建国" not in page.out
    assert "2–2 of 3" in page.err
    secretaries = json.loads(jiedao("--db", office_url, "members", "list", "--post",
                                    "branch_secretary", "--json").out)
    assert [r["name"] for r in secretaries] == ["许少伟"]


def test_reveal_shows_full_values_and_is_journaled(jiedao, office_url: str):
    result = jiedao("--db", office_url, "members", "list", "--reveal", "--json")
    assert json.loads(result.out)[0]["id_number"] == _id()
    shown = json.loads(jiedao("--db", office_url, "members", "show", "1", "--reveal",
                              "--json").out)
    assert shown["phone"] == "13912345678"
    office = open_office(office_url)
    try:
        reveals = [(e["entity_id"], e["operator"]) for e in journal.entries(office)
                   if e["action"] == "reveal"]
    finally:
        office.close()
    assert reveals == [("*", "tester"), ("1", "tester")]


def test_edit_end_term_and_show_history(jiedao, office_url: str):
    edited = jiedao("--db", office_url, "members", "edit", "1", "--phone", "13800001111",
                    "--not-official", "--json")
    assert edited.code == 0, edited.err
    assert json.loads(edited.out)["phone"] == "138****1111"
    ended = jiedao("--db", office_url, "members", "end-term", "1", "--post",
                   "committee_director", "--on", "2021-01-20", "--reason", "换届", "--json")
    assert ended.code == 0, ended.err
    member = json.loads(ended.out)
    assert member["posts"] == ["branch_secretary"]
    assert [t["ended_on"] for t in member["terms"]] == [None, "2021-01-20"]
    shown = jiedao("--db", office_url, "members", "show", "1")
    assert "2021-01-20" in shown.out and "换届" in shown.out
    # Ending the last post makes a former member: --former lists them, --all everyone.
    assert jiedao("--db", office_url, "members", "end-term", "1").code == 0

    def ids(*options: str) -> list[int]:
        out = jiedao("--db", office_url, "members", "list", *options, "--json").out
        return [r["id"] for r in json.loads(out)]

    assert 1 not in ids() and ids("--former") == [1]
    assert set(ids("--all")) == set(ids()) | {1}


def test_report_table_and_json(jiedao, office_url: str):
    table = jiedao("--db", office_url, "members", "report")
    assert table.code == 0 and "bachelor or higher" in table.out and "许庄村" in table.out
    data = json.loads(jiedao("--db", office_url, "members", "report", "--village", "V01",
                             "--json").out)
    assert data["office"]["one_person_both_posts"] == 1
    assert data["as_of"] == "2026-11-27"
    past = json.loads(jiedao("--db", office_url, "members", "report", "--on", "2014-01-01",
                             "--json").out)
    assert past["office"]["total"] == 0


def test_the_python_api_example_runs_and_refuses_a_second_run(tmp_path: Path, db_url: str):
    import subprocess
    import sys

    root = Path(__file__).resolve().parents[2]
    url = db_url
    command = [sys.executable, str(root / "examples" / "add_village.py"), url]
    first = subprocess.run(command, capture_output=True, text=True, cwd=tmp_path, timeout=60)
    assert first.returncode == 0, first.stderr
    report = json.loads(first.stdout)
    assert report["office"]["total"] == 2 and report["office"]["one_person_both_posts"] == 1
    second = subprocess.run(command, capture_output=True, text=True, cwd=tmp_path, timeout=60)
    assert second.returncode == 1
    assert len(second.stderr.splitlines()) == 1 and "V10" in second.stderr
