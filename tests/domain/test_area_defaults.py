"""Defaults and rules that used to live in one face only, now decided by ledger: what blank
materials mean, which states warn about missing materials, the tickets report's default
period, and why a step is refused."""

from __future__ import annotations

import datetime as dt

import pytest

from ledger import items, tickets
from ledger.errors import ValidationError


@pytest.fixture
def cat(office):
    items.add_item(office, code="R13", name="城乡低保", category="社会救助", level="district",
                   time_limit_days=15, materials="身份证|户口簿|家庭收入证明")
    return office


def _open(office, **kw):
    return tickets.open_ticket(office, item="R13", applicant_name="许桂兰", **kw)


@pytest.mark.parametrize("given", [None, "", "  ", "\u3000", []])
def test_materials_not_given_mean_none_handed_in(cat, given):
    ticket = _open(cat, materials=given)
    assert ticket["materials_missing"] == ["身份证", "户口簿", "家庭收入证明"]


@pytest.mark.parametrize("given", [True, "all", "ALL", " 全部 "])
def test_materials_all_means_every_one(cat, given):
    assert _open(cat, materials=given)["materials_missing"] == []


def test_materials_by_number_or_name(cat):
    assert _open(cat, materials="1，家庭收入证明")["materials_missing"] == ["户口簿"]


def test_which_states_warn_about_missing_materials(cat):
    ticket = _open(cat, materials="1")
    assert tickets.materials_warning(ticket) == ["户口簿", "家庭收入证明"]
    returned = tickets.return_ticket(cat, ticket["number"], note="缺户口簿")
    assert tickets.materials_warning(returned) == ["户口簿", "家庭收入证明"]
    resumed = tickets.resume(cat, ticket["number"], materials="all")
    assert tickets.materials_warning(resumed) == []
    # In progress or done, missing materials are no longer worth a warning.
    assert tickets.materials_warning({**resumed, "state": "in_progress",
                                      "materials_missing": ["户口簿"]}) == []


def test_the_tickets_report_defaults_to_this_year_and_says_so(cat):
    _open(cat, received_at="2025-06-02 09:00", materials="all")
    _open(cat, materials="all")
    rep = tickets.report(cat)
    assert rep["period"] == {"year": 2026, "month": None, "from": dt.date(2026, 1, 1),
                             "to": dt.date(2026, 12, 31), "all_time": False}
    assert rep["totals"]["count"] == 1
    assert tickets.report(cat, month=11)["period"]["from"] == dt.date(2026, 11, 1)
    whole = tickets.report(cat, all_time=True)
    assert (whole["period"]["all_time"], whole["period"]["year"]) == (True, None)
    assert whole["totals"]["count"] == 2
    with pytest.raises(ValidationError) as caught:
        tickets.report(cat, all_time=True, year=2025)
    assert caught.value.field == "all_time"
