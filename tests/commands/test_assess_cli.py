"""``jiedao assess``: a scheme from the template, hand scores (a note required), the report
with its derivations, the xlsx export, and bad input in one line."""

from __future__ import annotations

import json


def _setup(jiedao, url):
    for name, code in (("许庄村", "V01"), ("东王村", "V02")):
        assert jiedao("--db", url, "villages", "add", "--name", name, "--code", code).code == 0


def test_assessment_from_the_command_line(jiedao, db_url, tmp_path):
    url = db_url
    _setup(jiedao, url)
    run = lambda *args: jiedao("--db", url, "assess", *args)  # noqa: E731
    created = run("scheme", "--year", "2025")
    assert created.code == 0, created.err
    assert "party_building" in created.out and "created the 2025 scheme" in created.err
    again = run("scheme", "--year", "2025")
    assert again.code == 1 and "already exists" in again.err
    no_note = run("score", "--year", "2025", "--village", "V01", "--goal", "party_building",
                  "--points", "18")
    assert no_note.code == 2  # --note is required
    blank = run("score", "--year", "2025", "--village", "V01", "--goal", "party_building",
                "--points", "18", "--note", " ")
    assert blank.code == 1 and blank.err.count("\n") == 1 and "note" in blank.err
    ok = run("score", "--year", "2025", "--village", "V01", "--goal", "party_building",
             "--points", "18", "--note", "组织生活规范", "--json")
    assert ok.code == 0 and json.loads(ok.out)["points"] == "18"
    derived = run("score", "--year", "2025", "--village", "V01", "--goal",
                  "petition_stability", "--points", "1", "--note", "x")
    assert derived.code == 1 and "derived" in derived.err
    duty = run("goal", "--year", "2025", "--code", "duty", "--name", "值班",
               "--points", "5", "--method", "duty")
    assert duty.code == 0, duty.err  # derived from the roster: no station here, full points
    bad_param = run("goal", "--year", "2025", "--code", "x", "--name", "x", "--points", "5",
                    "--param", "per_petition")
    assert bad_param.code == 2
    xlsx = tmp_path / "a.xlsx"
    report = run("report", "--year", "2025", "--xlsx", str(xlsx))
    assert report.code == 0, report.err
    assert "max(0, 15 - 0.5×0 - 1×0) = 15" in report.out
    assert "stations 0" in report.out and "5 (0 slots) = 5" in report.out  # the duty goal
    assert "hand scores not entered" in report.err and xlsx.exists()
    data = json.loads(run("report", "--year", "2025", "--json").out)
    assert data["villages"][0]["village_code"] == "V01" and data["villages"][0]["rank"] == 1
    bands = run("bands", "--year", "2025", "--band", "90:excellent:表彰", "--band", "0:pass")
    assert bands.code == 0
    bad_bands = run("bands", "--year", "2025", "--band", "90:excellent")
    assert bad_bands.code == 1 and "start at 0" in bad_bands.err
    shown = json.loads(run("show", "--year", "2025", "--json").out)
    assert [b["grade"] for b in shown["bands"]] == ["excellent", "pass"]
    missing = run("report", "--year", "2024")
    assert missing.code == 1 and missing.err.count("\n") == 1


def test_report_help_does_not_load_openpyxl(jiedao):
    import subprocess
    import sys

    code = ("import sys; from commands.main import run; run(['assess', 'report', '--help']); "
            "print('openpyxl' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout
    assert out.strip().endswith("False")
