"""Loading next year's schedule moves petition deadlines too, when they count working days."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from ledger import petitions, workcal
from ledger.config import Settings
from ledger.models import Village
from ledger.people import id_check_char

# An invented 2027 schedule whose New Year break runs longer than the library's guess.
SCHEDULE_2027 = """
year = 2027
[[holiday]]
name = "元旦"
from = 2027-01-01
to = 2027-01-06
[[workday]]
name = "元旦调休"
dates = [2027-01-09]
"""


def _schedule(tmp_path: Path) -> Path:
    path = tmp_path / "calendar-2027.toml"
    path.write_text(SCHEDULE_2027, encoding="utf-8")
    return path


def _petition_in_handling_into_2027(office) -> dict:
    with office.transaction():
        Village.create(code="V01", name="东村", created_at=office.now())
    body = "11010119800101123"
    p = petitions.register(
        office, channel="visit", category="land_demolition", summary="拆迁补偿未到位",
        village="V01", received_on=dt.date(2026, 10, 19),
        petitioners=[{"name": "王五", "phone": "13812345678",
                      "id_number": body + id_check_char(body)}])
    return petitions.accept(office, p["number"], on=dt.date(2026, 10, 20))


def test_loading_2027_recomputes_working_day_petition_deadlines(office, tmp_path):
    office.settings = Settings().with_overrides({"petitions.day_counting": "working"}, "test")
    before = _petition_in_handling_into_2027(office)
    handling = {d["kind"]: d for d in before["deadlines"]}["handling"]
    assert handling["due"].year == 2027 and handling["provisional"] is True

    result = workcal.load_schedule(office, _schedule(tmp_path))

    assert result["petitions_changed"] == 1
    after = petitions.get_petition(office, before["number"])
    handling_after = {d["kind"]: d for d in after["deadlines"]}["handling"]
    assert handling_after["provisional"] is False
    # 60 working days from 2026-10-20 end in mid-January 2027; three more days off (01-04..06)
    # less one worked Saturday (01-09) move the deadline two working days later.
    assert handling_after["due"] > handling["due"]
    assert after["next_due"] == handling_after["due"]


def test_calendar_day_petitions_are_left_alone_by_a_load(office, tmp_path):
    before = _petition_in_handling_into_2027(office)
    result = workcal.load_schedule(office, _schedule(tmp_path))
    assert result["petitions_changed"] == 0
    assert petitions.get_petition(office, before["number"])["next_due"] == before["next_due"]
