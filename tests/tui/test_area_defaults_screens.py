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


def test_a_step_not_allowed_now_shows_ledgers_own_reason(sqlite_office):
    from ledger import tickets
    from ledger.errors import InvalidTransition
    from tui.screens.tickets import TicketScreen

    items.add_item(sqlite_office, code="R13", name="城乡低保", category="社会救助",
                   level="district", time_limit_days=15, materials="身份证")
    number = open_call(sqlite_office, {"item": "R13", "applicant_name": "许桂兰",
                                       "materials": "all"})["number"]
    tickets.withdraw(sqlite_office, number)
    record = tickets.get_ticket(sqlite_office, number)
    screen = TicketScreen(sqlite_office, number)
    try:
        tickets.advance(sqlite_office, number)
    except InvalidTransition as err:
        said = err.message()
    assert screen.refusal("advance", record) == said  # ledger's reason, word for word


def test_a_petition_step_not_allowed_shows_ledgers_reason(sqlite_office):
    from ledger import petitions
    from ledger.errors import InvalidTransition
    from tui.screens.petitions import PetitionDetailScreen

    record = {"number": "XF-1", "state": "closed", "extension_days": 0}
    screen = PetitionDetailScreen(sqlite_office, "XF-1")
    assert screen.refusal("accept", record) == petitions.refusal(record, "accept").message()
    assert "XF-1" in screen.refusal("accept", record)
    extended = {"number": "XF-1", "state": "accepted", "extension_days": 30}
    with_reason = screen.refusal("extend", extended)
    assert isinstance(petitions.refusal(extended, "extend"), InvalidTransition)
    assert "30" in with_reason
