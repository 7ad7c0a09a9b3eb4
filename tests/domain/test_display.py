"""ledger.display: the one formatter of values for people, in both languages."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from ledger import Clock, display, i18n

UTC_NOON = dt.datetime(2026, 11, 27, 2, 30, tzinfo=dt.UTC)


@pytest.fixture
def chinese():
    i18n.set_language("zh")
    yield
    i18n.set_language("en")


def test_yes_no_and_none_in_english():
    assert (display.text(True), display.text(False)) == ("yes", "no")
    assert display.text(None) == "" and display.text("") == ""
    assert display.text(0) == "0"  # a zero is a value, not nothing


def test_yes_no_and_lists_in_chinese(chinese):
    assert (display.text(True), display.text(False)) == ("是", "否")
    assert display.text(["甲", "乙", "丙"]) == "甲、乙、丙"
    assert display.labels("education", ["bachelor", "associate"]) == "大学本科、大专"


def test_lists_in_english_join_with_a_comma():
    assert display.text(["a", "b"]) == "a, b"
    assert display.join([]) == ""
    assert display.text(["bachelor", "unknown_code"], kind="education") == (
        f"{i18n.value_label('education', 'bachelor')}, unknown_code")


def test_coded_values_are_named_and_unknown_codes_show_themselves():
    assert display.text("bachelor", kind="education") == i18n.value_label("education",
                                                                          "bachelor")
    assert display.text("senior_secondary", kind="education") == "senior secondary / technical"
    assert display.text("no_such_code", kind="education") == "no_such_code"


def test_percentages_only_for_shares_marked_as_such():
    assert display.text(0.125, kind=display.PERCENT) == "12.5%"
    assert display.text(1, kind=display.PERCENT) == "100.0%"
    assert display.percent(0.5, 0) == "50%"
    assert display.percent(None) == ""
    # A float that is not a share (a median of 0.5 working days) is a number, not "50.0%".
    assert display.text(0.5) == "0.5"
    assert display.text(2.0) == "2"
    assert display.text(3.14159) == "3.14"


def test_dates_and_instants_in_the_offices_time_zone():
    assert display.text(dt.date(2026, 11, 27)) == "2026-11-27"
    shanghai = Clock(tz="Asia/Shanghai")
    assert display.text(UTC_NOON, zone=shanghai) == "2026-11-27 10:30"
    assert display.datetime_text(UTC_NOON, "Europe/London") == "2026-11-27 02:30"
    assert display.datetime_text(UTC_NOON, ZoneInfo("Asia/Urumqi")) == "2026-11-27 08:30"
    # A naive instant is UTC as stored.
    assert display.datetime_text(UTC_NOON.replace(tzinfo=None), shanghai) == "2026-11-27 10:30"
    # Without a zone an instant is shown as it is.
    assert display.text(UTC_NOON) == "2026-11-27 02:30"


def test_text_is_returned_as_it_is():
    # Making text safe is each face's job (markup, control characters): ledger keeps it whole.
    for value in ("[bold red]x[/]", "a\rb\nc", "\x1b]0;pwn\a", "𠀀😀"):
        assert display.text(value) == value


def test_a_dict_shows_its_fields_by_label():
    assert display.text({"name": "李红", "active": True}) == (
        f"{i18n.field_label('name')}=李红, {i18n.field_label('active')}=yes")
