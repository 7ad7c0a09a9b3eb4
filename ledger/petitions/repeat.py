"""Repeat petitions (重复信访): finding the earlier matter a new petition repeats, and a
matter already final. The chain of a matter is read by ``query.chain``."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any

from ledger.models.petitions import Petition, Petitioner
from ledger.office import Office


def _same_person(name: str, phone: str, id_number: str | None,
                 new: Mapping[str, Any]) -> bool:
    """Same ID number; else (one of them has none) the same name and phone."""
    if id_number and new.get("id_number"):
        return bool(id_number == new["id_number"])
    return bool(phone) and phone == new.get("phone") and name == new.get("name")


def _candidates(people: list[Mapping[str, Any]]) -> Any:
    """A query condition for earlier petitioners who may be one of ``people``: the same ID
    number, or the same name where a phone can confirm it (``_same_person`` decides)."""
    ids = [p["id_number"] for p in people if p.get("id_number")]
    names = [p["name"] for p in people if p.get("phone")]
    clause = None
    if ids:
        clause = Petitioner.id_number.in_(ids)
    if names:
        by_name = Petitioner.name.in_(names)
        clause = by_name if clause is None else (clause | by_name)
    return clause


def find_repeat_of(office: Office, people: Iterable[Mapping[str, Any]],
                   received_on: dt.date) -> Petition | None:
    """The latest earlier petition of one of ``people`` about a matter accepted or closed
    within ``petitions.repeat_window_days`` before ``received_on``, or None."""
    people = list(people)
    clause = _candidates(people)
    if clause is None:
        return None
    start = received_on - dt.timedelta(days=int(office.settings["petitions.repeat_window_days"]))
    query = (Petitioner.select(Petitioner.name, Petitioner.phone, Petitioner.id_number,
                               Petition.id)
             .join(Petition)
             .where(clause, Petition.accepted_on.is_null(False),
                    Petition.received_on <= received_on,
                    (Petition.accepted_on >= start) | (Petition.closed_on >= start))
             .order_by(Petition.received_on.desc(), Petition.id.desc()))
    for name, phone, id_number, petition_id in query.tuples():
        if any(_same_person(name, phone, id_number, new) for new in people):
            return Petition.get_by_id(petition_id)
    return None


def find_final_matter(office: Office, people: Iterable[Mapping[str, Any]], category: str,
                      village_id: int | None) -> Petition | None:
    """An earlier matter of one of ``people`` in the same category and village that was
    closed after its re-review (final: the regulation accepts it no more), whenever it
    was; or None. The repeat window does not apply: a final matter stays final."""
    people = list(people)
    clause = _candidates(people)
    if clause is None:
        return None
    same_place = (Petition.village.is_null(True) if village_id is None
                  else Petition.village == village_id)
    query = (Petitioner.select(Petitioner.name, Petitioner.phone, Petitioner.id_number,
                               Petition.id)
             .join(Petition)
             .where(clause, Petition.state == "closed", Petition.rereviewed_on.is_null(False),
                    Petition.category == category, same_place)
             .order_by(Petition.received_on.desc(), Petition.id.desc()))
    for name, phone, id_number, petition_id in query.tuples():
        if any(_same_person(name, phone, id_number, new) for new in people):
            return Petition.get_by_id(petition_id)
    return None
