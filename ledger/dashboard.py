"""The office at a glance: the figures the TUI's dashboard shows.

``counts(office)`` always has ``villages`` and ``members`` (people holding an active post);
the proxy-ticket and petition figures appear once those areas exist (their modules are
imported lazily and skipped when absent, so this module never depends on an area that is
not installed). What counts as *open* and *overdue* is each area's own rule: this module only
asks the area's ``count_X`` with the area's filter.
"""

from __future__ import annotations

import dataclasses
import importlib
from typing import Any

from ledger.office import Office

# figure -> (module, count function, filter class, filter arguments)
_AREA_FIGURES: dict[str, tuple[str, str, str, dict[str, Any]]] = {
    "open_tickets": ("ledger.tickets", "count_tickets", "TicketFilter", {"state": "open"}),
    # Only a running clock has a due date to miss (``running_due``): no state condition.
    "overdue_tickets": ("ledger.tickets", "count_tickets", "TicketFilter", {"overdue": True}),
    "open_petitions": ("ledger.petitions", "count_petitions", "PetitionFilter",
                       {"state": "open"}),
    "overdue_petitions": ("ledger.petitions", "count_petitions", "PetitionFilter",
                          {"state": "open", "overdue": True}),
}

FIGURES = ("villages", "members", *_AREA_FIGURES)


def _area_count(office: Office, module_name: str, function: str, filter_class: str,
                arguments: dict[str, Any]) -> int | None:
    """The area's count with that filter, or None when the area (or that filter) is absent."""
    try:
        module = importlib.import_module(module_name)
    except ModuleNotFoundError as exc:
        if exc.name == module_name:
            return None
        raise
    count = getattr(module, function, None)
    make_filter = getattr(module, filter_class, None)
    if count is None or make_filter is None:
        return None
    if dataclasses.is_dataclass(make_filter):
        known = {f.name for f in dataclasses.fields(make_filter)}
        if not set(arguments) <= known:
            return None
    return int(count(office, make_filter(**arguments)))


def counts(office: Office) -> dict[str, int]:
    """Villages, active members and, where the areas exist, open and overdue tickets and
    petitions. A figure whose area is missing is left out of the dict."""
    from ledger import members, villages

    out: dict[str, int] = {
        "villages": len(villages.list_villages(office)),
        "members": members.count_members(office, members.MemberFilter(active=True)),
    }
    for figure, (module, function, filter_class, arguments) in _AREA_FIGURES.items():
        value = _area_count(office, module, function, filter_class, arguments)
        if value is not None:
            out[figure] = value
    return out


def overview(office: Office) -> dict[str, Any]:
    """Everything the dashboard shows, in one call (one worker, one round of queries).

    ``counts`` as above; ``education``: active members by education group (the members
    report's breakdown, ``value.education_group.<group>``); ``villages``: each village's
    code, name, relocation status and active members; ``as_of``: the office's today.
    """
    from ledger import members

    summary = members.report(office)
    whole = summary["office"]
    return {
        "as_of": office.today(),
        "counts": counts(office),
        "education": dict(whole["education"]),
        "college_graduate_officials": whole["college_graduate_officials"],
        "villages": [
            {"code": v["code"], "name": v["name"], "relocation_status": v["relocation_status"],
             "members": v["total"]}
            for v in summary["villages"]
        ],
    }
