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


def test_a_step_that_leaves_materials_missing_warns_in_the_app(sqlite_office):
    from ledger import tickets
    from tui.screens.tickets import TicketScreen

    items.add_item(sqlite_office, code="R13", name="城乡低保", category="社会救助",
                   level="district", time_limit_days=15, materials="身份证|户口簿")
    ticket = open_call(sqlite_office, {"item": "R13", "applicant_name": "许桂兰"})
    returned = tickets.return_ticket(sqlite_office, ticket["number"], note="缺户口簿")
    screen = TicketScreen(sqlite_office, ticket["number"])
    assert "户口簿" in screen.done_message("return", returned)
    assert "户口簿" not in screen.done_message("materials", tickets.check_materials(
        sqlite_office, ticket["number"], "all"))
