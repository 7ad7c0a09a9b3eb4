"""The office at a glance: the figures the TUI's dashboard shows.

``counts(office)`` has ``villages``, ``members`` (people holding an active post), and the
open and overdue tickets and petitions. What counts as *open* and *overdue* is each area's
own rule: this module only asks the area's ``count_X`` with the area's filter.
"""

from __future__ import annotations

from typing import Any

from ledger.office import Office

FIGURES = ("villages", "members", "open_tickets", "overdue_tickets", "open_petitions",
           "overdue_petitions")


def counts(office: Office) -> dict[str, int]:
    """Villages, active members, open and overdue tickets and petitions."""
    from ledger import members, petitions, tickets, villages

    return {
        "villages": len(villages.list_villages(office)),
        "members": members.count_members(office, members.MemberFilter(active=True)),
        "open_tickets": tickets.count_tickets(office, tickets.TicketFilter(state="open")),
        # Only a running clock has a due date to miss (``running_due``): no state condition.
        "overdue_tickets": tickets.count_tickets(office, tickets.TicketFilter(overdue=True)),
        "open_petitions": petitions.count_petitions(
            office, petitions.PetitionFilter(state="open")),
        "overdue_petitions": petitions.count_petitions(
            office, petitions.PetitionFilter(state="open", overdue=True)),
    }


def overview(office: Office) -> dict[str, Any]:
    """Everything the dashboard shows, in one call (one worker, one round of queries).

    ``counts`` as above; ``education``: active members by education group (the members
    report's breakdown, ``value.education_group.<group>``); ``villages``: each village's
    code, name, relocation status and active members; ``as_of``: the office's today;
    ``duty_today``: today's shifts (post, shift, person; empty person: a gap), when the
    roster area exists.
    """
    from ledger import members

    summary = members.report(office)
    whole = summary["office"]
    return {
        "as_of": office.today(),
        "counts": counts(office),
        "education": dict(whole["education"]),
        "college_graduate_officials": whole["college_graduate_officials"],
        "duty_today": duty_today(office),
        "villages": [
            {"code": v["code"], "name": v["name"], "relocation_status": v["relocation_status"],
             "members": v["total"]}
            for v in summary["villages"]
        ],
    }


def duty_today(office: Office) -> list[dict[str, Any]]:
    """Who is on duty today at each post (``ledger.roster.today``): ``person`` is a committee
    member's or a staff member's name, ``kind`` says which (empty on a gap)."""
    from ledger import roster

    return [{"post": s["post_name"], "shift": s["shift"], "person": s["person"],
             "kind": s["holder_kind"], "gap": s["gap"], "starts_at": s["starts_at"],
             "ends_at": s["ends_at"]}
            for s in roster.today(office)]
