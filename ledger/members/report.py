"""The report on the two committees: education and posts of the members in office on a date.

It reproduces the figures offices report after an election (本科以上 10 人，其中大学生村官
9 人；大专 12 人；高中、中专 23 人；初中以下 23 人). A person counts once however many posts
they hold; the post counts count people per post, so a secretary who is also the committee
director (一肩挑) appears under both posts and once in ``one_person_both_posts``.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from ledger.fields import date_field
from ledger.members.rules import EDUCATION_LEVELS, POSTS, age
from ledger.models import Person, Term, Village
from ledger.office import Office
from ledger.villages.query import resolve_village
from ledger.villages.rules import RELOCATION_STATUSES

# The report's grouping of education levels, in its order.
EDUCATION_GROUPS = ("bachelor_or_higher", "associate", "senior_secondary", "junior_secondary",
                    "unknown")
GROUP_OF = {
    "postgraduate": "bachelor_or_higher",
    "bachelor": "bachelor_or_higher",
    "associate": "associate",
    "senior_secondary": "senior_secondary",
    "junior_secondary": "junior_secondary",
}
assert set(GROUP_OF) == set(EDUCATION_LEVELS)


def shown_education(counts: dict[str, int]) -> list[tuple[str, int]]:
    """The education groups to show, in the report's order: "unknown" only when someone's
    education is not recorded (the report's own four groups always show, zero or not)."""
    return [(group, counts.get(group, 0)) for group in EDUCATION_GROUPS
            if group != "unknown" or counts.get(group)]
# 预备党员 are Party members on probation; Party statistics count them as members.
PARTY = ("party_member", "probationary_member")


class _Member:
    __slots__ = ("education", "official", "political_status", "birth_date", "posts")

    def __init__(self, education: str, official: bool, political_status: str,
                 birth_date: dt.date | None) -> None:
        self.education = education
        self.official = official
        self.political_status = political_status
        self.birth_date = birth_date
        self.posts: set[str] = set()


def figures(people: dict[int, _Member], on: dt.date) -> dict[str, Any]:
    """The report's figures for one group of people (a village, or the whole office)."""
    education = dict.fromkeys(EDUCATION_GROUPS, 0)
    posts = dict.fromkeys(POSTS, 0)
    officials = officials_with_degree = party = both = 0
    ages: list[int] = []
    for member in people.values():
        group = GROUP_OF.get(member.education, "unknown")
        education[group] += 1
        if member.official:
            officials += 1
            if group == "bachelor_or_higher":
                officials_with_degree += 1
        for post in member.posts:
            posts[post] += 1
        if member.political_status in PARTY:
            party += 1
        if {"branch_secretary", "committee_director"} <= member.posts:
            both += 1
        years = age(member.birth_date, on)
        if years is not None:
            ages.append(years)
    total = len(people)
    return {
        "total": total,
        "education": education,
        "college_graduate_officials": officials,
        "bachelor_or_higher_officials": officials_with_degree,
        "posts": posts,
        "party_members": party,
        "party_member_share": round(party / total, 4) if total else None,
        "average_age": round(sum(ages) / len(ages), 1) if ages else None,
        "one_person_both_posts": both,
    }


def report(office: Office, *, village: Any = None, as_of: Any = None) -> dict[str, Any]:
    on = date_field("as_of", as_of) or office.today()
    place = resolve_village(village) if village not in (None, "") else None
    query = (Term.select(Term.person, Term.village, Term.post, Person.education,
                         Person.college_graduate_official, Person.political_status,
                         Person.birth_date)
             .join(Person)
             .where(Term.started_on <= on, Term.ended_on.is_null() | (Term.ended_on > on)))
    if place is not None:
        query = query.where(Term.village == place.id)
    office_people: dict[int, _Member] = {}
    # village id -> person id -> that person's posts in that village only
    by_village: dict[int, dict[int, _Member]] = {}
    for pid, vid, post, education, official, political, birth in query.tuples():
        for people in (office_people, by_village.setdefault(vid, {})):
            member = people.get(pid)
            if member is None:
                member = people[pid] = _Member(education, bool(official), political, birth)
            member.posts.add(post)
    villages = (Village.select().order_by(Village.code) if place is None
                else Village.select().where(Village.id == place.id))
    village_rows = [{"id": row.id, "code": row.code, "name": row.name,
                     "relocation_status": row.relocation_status,
                     **figures(by_village.get(row.id, {}), on)} for row in villages]
    whole = figures(office_people, on)
    whole["villages"] = len(village_rows)
    whole["relocation_statuses"] = {
        status: sum(1 for v in village_rows if v["relocation_status"] == status)
        for status in RELOCATION_STATUSES}
    return {"as_of": on, "village": place.code if place else None, "office": whole,
            "villages": village_rows}
