"""``jiedao calendar``: JSON for scripts, one-line errors naming file and line, exit codes."""

from __future__ import annotations

import json
from pathlib import Path

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "calendar-2027.toml"


def test_show_a_published_year_as_json(jiedao, db_url):
    result = jiedao("--db", db_url, "calendar", "show", "2026", "--json")
    assert result.code == 0, result.err
    data = json.loads(result.out)
    assert (data["source"], data["provisional"], data["working_days"]) == ("library", False, 248)
    assert "2026-02-14" in [w["date"] for w in data["workdays"]]


def test_show_as_a_table_says_the_source(jiedao, db_url):
    result = jiedao("--db", db_url, "calendar", "show", "2027")
    assert result.code == 0
    assert "provisional" in result.out.splitlines()[0]
    assert "(no adjusted working days)" in result.out


def test_load_then_show_and_list_years(jiedao, db_url):
    loaded = jiedao("--db", db_url, "calendar", "load", str(EXAMPLE))
    assert loaded.code == 0, loaded.err
    assert "28 holidays, 6 adjusted working days" in loaded.err
    assert "0 open tickets" in loaded.err
    shown = json.loads(jiedao("--db", db_url, "calendar", "show", "2027", "--json").out)
    assert (shown["source"], shown["loaded_from"], shown["loaded_by"]) == (
        "loaded", "calendar-2027.toml", "tester")
    years = json.loads(jiedao("--db", db_url, "calendar", "years", "--json").out)
    assert [y["year"] for y in years] == [2027]
    again = jiedao("--db", db_url, "calendar", "load", str(EXAMPLE), "--json")
    assert json.loads(again.out)["replaced"] is True


def test_a_bad_file_is_one_line_with_file_and_line_and_exit_1(jiedao, db_url, tmp_path):
    bad = tmp_path / "2027.csv"
    bad.write_text("date,kind,name\n2027-01-01,holiday,元旦\n2027-01-04,workday,x\n",
                   encoding="utf-8")
    result = jiedao("--db", db_url, "calendar", "load", str(bad))
    assert result.code == 1
    assert result.err.count("\n") == 1 and "Traceback" not in result.err
    assert f"{bad} line 3" in result.err
    assert json.loads(jiedao("--db", db_url, "calendar", "years", "--json").out) == []


def test_a_missing_file_is_one_line(jiedao, db_url, tmp_path):
    result = jiedao("--db", db_url, "calendar", "load", str(tmp_path / "none.toml"))
    assert result.code == 1
    assert "none.toml" in result.err and result.err.count("\n") == 1


def test_day_and_add(jiedao, db_url):
    day = json.loads(jiedao("--db", db_url, "calendar", "day", "2025-10-11", "--json").out)
    assert day["working"] is True
    added = json.loads(jiedao("--db", db_url, "calendar", "add", "2026-12-15", "20",
                              "--json").out)
    assert (added["date"], added["provisional"]) == ("2027-01-13", True)
    text = jiedao("--db", db_url, "calendar", "add", "2026-12-15", "20")
    assert "provisional" in text.out


def test_bad_usage_exits_2(jiedao, db_url):
    assert jiedao("--db", db_url, "calendar", "show", "1800").code == 2
    assert jiedao("--db", db_url, "calendar", "day", "2026-02-30").code == 2
    assert jiedao("--db", db_url, "calendar", "add", "2026-01-01", "-1").code == 2


def test_chinese_output(jiedao, db_url):
    result = jiedao("--db", db_url, "--lang", "zh", "calendar", "day", "2026-10-10")
    assert "是工作日" in result.out
