"""The tickets report on a small data set whose every figure is worked out by hand."""

from __future__ import annotations

import datetime as dt

import pytest

from ledger import items, tickets
from ledger.errors import ValidationError
from ledger.tickets.report import _median
from ledger.villages import add_village


def _at(y: int, m: int, d: int) -> dt.datetime:
    return dt.datetime(y, m, d, 9, 0)


@pytest.fixture
def data(office, staff_names):
    add_village(office, name="许庄村", code="V01")
    add_village(office, name="东王村", code="V02")
    items.add_item(office, code="R11", name="重度残疾人护理补贴", category="残疾人服务",
                   level="district", time_limit_days=20, materials="身份证")
    items.add_item(office, code="P01", name="企业投资项目备案代办", category="投资项目",
                   level="district", time_limit_days=3, track="project", materials="营业执照")

    def run(item, received, village, agent, steps=(), rating=None, **kw):
        t = tickets.open_ticket(office, item=item, applicant_name="张三", village=village,
                                agent=agent, received_at=received, materials=True, **kw)
        for step, when in steps:
            step(office, t["number"], at=when)
        if rating:
            tickets.rate(office, t["number"], rating)
        return t["number"]

    adv = tickets.advance
    # t1: due 11-04, done 11-02: on time, 18 working days (10-10 was a worked Saturday).
    run("R11", _at(2026, 10, 8), "V01", "王芳",
        [(adv, _at(2026, 10, 9)), (adv, _at(2026, 11, 2))], "satisfied")
    # t2: due 09-29, done 10-20: late, 31 working days.
    run("R11", _at(2026, 9, 1), "V01", "王芳",
        [(adv, _at(2026, 9, 2)), (adv, _at(2026, 10, 20))], "dissatisfied")
    # t3: due 11-19, done 11-18: on time, 2 working days.
    run("P01", _at(2026, 11, 16), "V02", "李强",
        [(adv, _at(2026, 11, 17)), (adv, _at(2026, 11, 18))], "basically_satisfied",
        enterprise="华北新材料")
    # t4: due 11-25, still received: overdue now.
    run("P01", _at(2026, 11, 20), None, "李强", enterprise="东方置业")
    # t5: last year, done: outside a 2026 report.
    run("R11", _at(2025, 12, 1), "V02", "王芳",
        [(adv, _at(2025, 12, 2)), (adv, _at(2025, 12, 5))])
    # t6: withdrawn, nobody assigned.
    run("R11", _at(2026, 11, 25), "V01", "",
        [(lambda o, n, at: tickets.withdraw(o, n, at=at), _at(2026, 11, 26))])
    return office


def _by(rows, field, value):
    return next(r for r in rows if r[field] == value)


def test_totals_for_a_year(data):
    rep = tickets.report(data, year=2026)
    assert rep["period"] == {"year": 2026, "month": None, "from": dt.date(2026, 1, 1),
                             "to": dt.date(2026, 12, 31), "all_time": False}
    tot = rep["totals"]
    assert (tot["count"], tot["done"], tot["open"], tot["withdrawn"]) == (5, 3, 1, 1)
    assert (tot["on_time"], tot["on_time_rate"], tot["overdue"]) == (2, 0.6667, 1)
    assert (tot["rated"], tot["satisfied_share"], tot["basically_satisfied_share"],
            tot["dissatisfied_share"]) == (3, 0.3333, 0.3333, 0.3333)
    assert tot["median_working_days"] == 18


def test_per_item_agent_and_village(data):
    rep = tickets.report(data, year=2026)
    assert [r["code"] for r in rep["by_item"]] == ["R11", "P01"]
    r11, p01 = rep["by_item"]
    assert (r11["count"], r11["done"], r11["on_time_rate"], r11["median_working_days"],
            r11["withdrawn"]) == (3, 2, 0.5, 24.5, 1)
    assert (p01["count"], p01["on_time_rate"], p01["median_working_days"], p01["overdue"]) == (
        2, 1.0, 2, 1)
    wang = _by(rep["by_agent"], "name", "王芳")
    li = _by(rep["by_agent"], "name", "李强")
    nobody = _by(rep["by_agent"], "name", "")
    assert (wang["count"], wang["on_time_rate"], wang["dissatisfied_share"]) == (2, 0.5, 0.5)
    assert (li["count"], li["done"], li["overdue"]) == (2, 1, 1)
    assert (nobody["count"], nobody["withdrawn"], nobody["on_time_rate"]) == (1, 1, None)
    counts = {r["code"]: r["count"] for r in rep["by_village"]}
    assert counts == {"V01": 3, "V02": 1, "": 1}


def test_a_month_and_all_time(data):
    november = tickets.report(data, year=2026, month=11)
    assert november["totals"]["count"] == 3
    assert november["period"]["to"] == dt.date(2026, 11, 30)
    assert tickets.report(data, year=2026, month=12)["period"]["to"] == dt.date(2026, 12, 31)
    assert tickets.report(data, all_time=True)["totals"]["count"] == 6


def test_an_empty_period_has_no_rates(data):
    rep = tickets.report(data, year=2020)
    assert rep["totals"]["count"] == 0
    assert rep["totals"]["on_time_rate"] is None
    assert rep["by_item"] == []


@pytest.mark.parametrize(("kw", "field"), [
    ({"all_time": True, "month": 3}, "all_time"), ({"year": 2026, "month": 13}, "month"),
    ({"year": 1800}, "year")])
def test_bad_periods(data, kw, field):
    with pytest.raises(ValidationError) as caught:
        tickets.report(data, **kw)
    assert caught.value.field == field


@pytest.mark.parametrize(("histogram", "median"), [
    ([], None), ([(5, 1)], 5), ([(1, 1), (3, 1)], 2), ([(1, 2), (9, 1)], 1),
    ([(0, 3), (4, 3)], 2), ([(2, 1), (3, 5), (10, 1)], 3)])
def test_median_from_a_histogram(histogram, median):
    assert _median(histogram) == median


def test_month_by_month(data):
    months = tickets.monthly(data, year=2026)
    assert [m["month"] for m in months] == [f"2026-{m:02d}" for m in range(1, 13)]
    by = {m["month"]: m for m in months}
    # t2 received in September, done late; t1 in October, on time; t3, t4 and t6 in November.
    assert (by["2026-09"]["count"], by["2026-09"]["done"], by["2026-09"]["on_time_rate"],
            by["2026-09"]["dissatisfied_share"]) == (1, 1, 0.0, 1.0)
    assert (by["2026-10"]["on_time"], by["2026-10"]["on_time_rate"],
            by["2026-10"]["satisfied_share"]) == (1, 1.0, 1.0)
    assert (by["2026-11"]["count"], by["2026-11"]["done"], by["2026-11"]["on_time_rate"],
            by["2026-11"]["rated"]) == (3, 1, 1.0, 1)
    assert (by["2026-01"]["count"], by["2026-01"]["on_time_rate"],
            by["2026-01"]["satisfied_share"]) == (0, None, None)
    # The months add up to the year's report.
    total = tickets.report(data, year=2026)["totals"]
    assert sum(m["count"] for m in months) == total["count"]
    assert sum(m["on_time"] for m in months) == total["on_time"]
    assert tickets.monthly(data, year=2025)[11]["count"] == 1


def test_month_by_month_refuses_a_bad_year(data):
    with pytest.raises(ValidationError) as caught:
        tickets.monthly(data, year=1800)
    assert caught.value.field == "year"
