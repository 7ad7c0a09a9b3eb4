"""Fixtures for the TUI's Pilot tests: a small office built through ``ledger.members``."""

from __future__ import annotations

import pytest
from tui_helpers import id_number

from ledger import Office, members, villages


@pytest.fixture
def small_office(sqlite_office: Office) -> Office:
    """Two villages, four members (one who left office), built through ledger.members."""
    return build_small_office(sqlite_office)


@pytest.fixture
def small_office_any_backend(office: Office) -> Office:
    """The same small office on every reachable backend (SQLite, PostgreSQL)."""
    return build_small_office(office)


def build_small_office(office: Office) -> Office:
    villages.add_village(office, name="许庄村", code="V01", relocation_status="flattened_returned")
    villages.add_village(office, name="东王村", code="V02")
    members.add_member(office, name="许少伟", village="V01", post="branch_secretary",
                       id_number=id_number("19700304", "111"), education="bachelor",
                       political_status="party_member", phone="13912345678",
                       election_date="2015-01-10")
    members.add_member(office, name="王建国", village="V02", post="committee_director",
                       education="associate", election_date="2015-01-12")
    members.add_member(office, name="李红", village="V01", post="committee_member",
                       id_number=id_number("19850607", "222"), education="senior_secondary",
                       election_date="2015-01-10")
    gone = members.add_member(office, name="张旧", village="V02", post="committee_member",
                              education="junior_secondary", election_date="2015-01-12")
    members.end_term(office, gone["id"], ended_on="2018-01-12", reason="term over")
    return office

