"""The app passes what the clerk typed to ledger unchanged: ledger's rules decide what blank
means and which refusal to show."""

from __future__ import annotations

from ledger import items
from tui.screens.tickets import open_call


def test_blank_materials_in_the_open_form_mean_none_handed_in(sqlite_office):
    items.add_item(sqlite_office, code="R13", name="城乡低保", category="社会救助",
                   level="district", time_limit_days=15, materials="身份证|户口簿")
    ticket = open_call(sqlite_office, {"item": "R13", "applicant_name": "许桂兰",
                                       "materials": ""})
    # The CLI without --materials stores the same: none handed in.
    assert ticket["materials_missing"] == ["身份证", "户口簿"]
    ticket = open_call(sqlite_office, {"item": "R13", "applicant_name": "许桂兰",
                                       "materials": "全部"})
    assert ticket["materials_missing"] == []
