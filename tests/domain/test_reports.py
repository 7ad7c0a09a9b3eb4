"""ledger.reports: each area's report for a year as tables and charts, and its export.

The figures are the areas' own (their reports are tested in their own files); these tests
check that the tables and charts carry them for the right period, and that an export in
each format reads back to what the screen shows."""

from __future__ import annotations

import csv
import datetime as dt
import json

import pytest

from ledger import items, members, petitions, reports, roster, tickets, training, villages
from ledger.errors import ValidationError
from ledger.io.readers import read_table

D = dt.date


@pytest.fixture
def data(office, staff_names):
    villages.add_village(office, name="许庄村", code="V01")
    villages.add_village(office, name="=东王村", code="V02")  # a name a spreadsheet would run
    members.add_member(office, name="许少伟", village="V01", post="branch_secretary",
                       education="bachelor", political_status="party_member",
                       election_date="2021-01-10")
    members.add_member(office, name="王建国", village="V02", post="committee_director",
                       education="associate", election_date="2021-01-12")
    members.add_member(office, name="李红", village="V01", post="committee_member",
                       education="senior_secondary", election_date="2026-03-01")
    items.add_item(office, code="R11", name="重度残疾人护理补贴", category="残疾人服务",
                   level="district", time_limit_days=20, materials="身份证")
    # Done on time in October, rated satisfied; done late in September, dissatisfied.
    for received, done, rating in ((dt.datetime(2026, 10, 8, 9), dt.datetime(2026, 11, 2, 9),
                                    "satisfied"),
                                   (dt.datetime(2026, 9, 1, 9), dt.datetime(2026, 10, 20, 9),
                                    "dissatisfied")):
        ticket = tickets.open_ticket(office, item="R11", applicant_name="张三", village="V01",
                                     agent="王芳", received_at=received, materials=True)
        tickets.advance(office, ticket["number"], at=received + dt.timedelta(days=1))
        tickets.advance(office, ticket["number"], at=done)
        tickets.rate(office, ticket["number"], rating)
    for village, day in (("V01", D(2026, 2, 3)), ("V01", D(2026, 2, 20)),
                         ("V02", D(2026, 7, 1)), ("V01", D(2025, 5, 5))):
        petitions.register(office, channel="visit", category="land_demolition",
                           summary="拆迁补偿未到位", village=village, received_on=day,
                           petitioners=[{"name": "王五"}])
    session = training.add_session(office, title="信访条例讲座", starts_at="2026-03-20 09:00",
                                   ends_at="2026-03-20 11:00", credit_hours="2",
                                   kind="lecture")
    training.checkin(office, session["id"], people=["许少伟"])
    roster.add_post(office, code="centre", name="便民服务中心", kind="centre",
                    shifts="day=08:30-17:30")
    return office


def test_every_report_has_tables_and_charts(data):
    assert reports.years(data)[:2] == [2026, 2025]
    assert reports.years(data)[-1] == 2021  # the first term's year
    for name in reports.NAMES:
        rep = reports.build(data, name, year=2026)
        assert (rep.name, rep.year, rep.date_from) == (name, 2026, D(2026, 1, 1))
        assert rep.date_to == D(2026, 11, 27)  # today: no day ahead is judged
        assert rep.tables and rep.charts and rep.notes
        for table in rep.tables:
            assert all(c.title() for c in table.columns)
            assert all(len(cells) == len(table.columns) for cells in table.cells())


def test_members_as_of_the_years_end(data):
    rep = reports.build(data, "members", year=2025)
    assert rep.date_to == D(2025, 12, 31)
    by_village, posts = rep.tables
    assert [r["code"] for r in by_village.rows] == ["V01", "V02", ""]
    # 李红 took office in 2026: not in the 2025 report.
    total = by_village.rows[-1]
    assert (total["total"], total["bachelor_or_higher"], total["associate"],
            total["senior_secondary"]) == (2, 1, 1, 0)
    education = rep.charts[0]
    assert education.kind == reports.BARS
    assert education.values == (1.0, 1.0, 0.0, 0.0)
    this_year = reports.build(data, "members", year=2026)
    assert this_year.tables[0].rows[-1]["total"] == 3
    assert this_year.charts[0].values == (1.0, 1.0, 1.0, 0.0)
    assert {r["post"]: r["count"] for r in posts.rows}["branch_secretary"] == 1


def test_tickets_on_time_by_month_and_satisfaction(data):
    rep = reports.build(data, "tickets", year=2026)
    on_time, satisfaction = rep.charts
    assert (on_time.kind, on_time.percent, len(on_time.labels)) == (reports.MONTHS, True, 12)
    assert on_time.values[8:10] == (0.0, 1.0)  # September late, October on time
    assert on_time.values[0] is None  # nothing done: no rate
    assert satisfaction.values == (0.5, 0.0, 0.5)
    items_table, months = rep.tables
    assert items_table.rows[0]["code"] == "R11" and items_table.rows[-1]["count"] == 2
    assert months.rows == tickets.monthly(data, year=2026)


def test_petitions_trend_per_village(data):
    rep = reports.build(data, "petitions", year=2026)
    trend, on_time = rep.tables
    months = [c.heading for c in trend.columns if c.heading]
    assert months == [f"{m:02d}" for m in range(1, 12)]  # January to this November
    rows = {r["village"]: r for r in trend.rows}
    assert (rows["许庄村"]["m2026-02"], rows["许庄村"]["total"]) == (2, 2)
    assert rows["=东王村"]["m2026-07"] == 1
    monthly, per_village = rep.charts
    assert monthly.values[1] == 2.0 and sum(v or 0 for v in monthly.values) == 3
    assert dict(per_village.series)["许庄村"][1] == 2.0
    assert [r["kind"] for r in on_time.rows] == [
        r["kind"] for r in petitions.report(data, date_from=D(2026, 1, 1),
                                            date_to=D(2026, 11, 27))["on_time"]]
    assert reports.build(data, "petitions", year=2025).charts[0].values[4] == 1.0


def test_training_hours_and_attendance(data):
    rep = reports.build(data, "training", year=2026)
    area = training.report(data, year=2026)
    by_village, people = rep.tables
    assert [r["rate"] for r in by_village.rows] == [r["rate"] for r in area["by_village"]]
    assert {r["name"]: r["hours"] for r in people.rows}["许少伟"] == 2.0
    hours, attendance = rep.charts
    assert hours.values[2] == 2.0 and sum(hours.values) == 2.0  # March
    assert attendance.labels == tuple(r["village"] for r in by_village.rows)


def test_roster_coverage(data):
    rep = reports.build(data, "roster", year=2026)
    (posts,) = rep.tables
    area = roster.coverage(data, D(2026, 1, 1), D(2026, 12, 31))
    assert posts.rows == area["posts"]
    assert rep.charts[0].labels == ("便民服务中心",)


@pytest.mark.parametrize(("kw", "field"), [({"name": "nope"}, "report"),
                                           ({"name": "tickets", "year": 1999}, "year")])
def test_refusals(data, kw, field):
    with pytest.raises(ValidationError) as caught:
        reports.build(data, **kw)
    assert caught.value.field == field


def test_export_reads_back_in_each_format(data, tmp_path):
    rep = reports.build(data, "petitions", year=2026)
    trend = rep.tables[0]
    shown = trend.cells()

    out = reports.export(data, rep, str(tmp_path / "p.xlsx"))
    assert out["rows"] == sum(len(t.rows) for t in rep.tables) and out["format"] == "xlsx"
    lines = [cells for _, cells in read_table(tmp_path / "p.xlsx")]  # the first sheet
    assert lines[0] == [c.title() for c in trend.columns]
    # What the screen shows (the reader drops blank cells at a row's end), a formula-like
    # name kept as text.
    assert lines[1:] == [_trimmed(["'" + v if v.startswith("=") else v for v in row])
                         for row in shown]

    reports.export(data, rep, str(tmp_path / "p.csv"))
    with (tmp_path / "p.csv").open(encoding="utf-8-sig", newline="") as stream:
        rows = list(csv.reader(stream))
    assert rows[0][0].endswith("各村每月件数") or rows[0][0].endswith(
        "Petitions per village and month")
    assert rows[1] == [c.title() for c in trend.columns]
    assert rows[2 + len(shown)] == []  # a blank line, then the next table under its title
    assert "'=东王村" in [r[0] for r in rows if r]

    reports.export(data, rep, str(tmp_path / "p.json"))
    document = json.loads((tmp_path / "p.json").read_text(encoding="utf-8"))
    assert (document["report"], document["year"]) == ("petitions", 2026)
    assert document["tables"]["trend"] == [{c.field: r.get(c.field) for c in trend.columns}
                                           for r in trend.rows]


def _trimmed(row: list[str]) -> list[str]:
    while row and not row[-1]:
        row = row[:-1]
    return row


def test_a_bare_file_name_goes_to_the_data_folder(data, tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "share"))
    rep = reports.build(data, "roster", year=2026)
    out = reports.export(data, rep, reports.default_file(rep, "csv"))
    assert out["path"] == str(tmp_path / "share" / "jiedao-ledger" / "roster-2026.csv")


@pytest.mark.parametrize(("name", "key"), [("report.txt", "error.report_format"),
                                           ("/no/such/folder/r.csv", "error.report_no_folder"),
                                           ("  ", "error.required")])
def test_export_refusals_name_the_file_field(data, name, key):
    rep = reports.build(data, "roster", year=2026)
    with pytest.raises(ValidationError) as caught:
        reports.export(data, rep, name)
    assert (caught.value.field, caught.value.key) == ("file", key)
