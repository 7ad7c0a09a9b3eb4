"""Use jiedao-ledger as a Python library: add a village and two members, print the report.

    python examples/add_village.py sqlite:///demo.db

The database is created if it does not exist. Run it twice and the second run says the
village exists (a ``Conflict``), because codes and names are unique: nothing is half-written.
"""

from __future__ import annotations

import json
import sys

from ledger import LedgerError, members, open_office, villages
from ledger.setup import initialise


def main(url: str) -> int:
    office = open_office(url, operator="script", create=True, check=False)
    try:
        initialise(office)  # brings a new (or older) database to the current schema
        village = villages.add_village(office, name="新河村", code="V10",
                                      relocation_status="preparing_demolition")
        secretary = members.add_member(
            office, name="周立新", village=village["code"], post="branch_secretary",
            id_number="139021198503071237", phone="13912345678", education="bachelor",
            political_status="party_member", college_graduate_official=True,
            election_date="2021-01-15")
        # One person, both posts (一肩挑): the secretary is also the committee director.
        members.add_post(office, secretary["id"], post="committee_director",
                         election_date="2021-01-15")
        members.add_member(office, name="孙秀英", village="V10", post="deputy_director",
                           gender="female", education="senior_secondary",
                           political_status="masses", election_date="2021-01-15")
        print(json.dumps(members.report(office, village="V10"), ensure_ascii=False,
                         indent=2, default=str))
        return 0
    except LedgerError as err:
        print(f"add_village: {err.message()}", file=sys.stderr)
        return 1
    finally:
        office.close()


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else "sqlite:///demo.db"))
