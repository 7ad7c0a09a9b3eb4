"""What a committee member is: the codes of posts, education and political status, the
term rules, and the one validator of a person's fields (used by add, edit and the import)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from ledger.errors import Conflict, ValidationError
from ledger.fields import bool_field, choice, date_field, text_field
from ledger.i18n import value_label
from ledger.models import Person
from ledger.office import Office
from ledger.people import (
    birth_date_from_id,
    gender_from_id,
    normalise_id_number,
    normalise_phone,
    pinyin_keys,
)

# 研究生 / 大学本科 / 大专 / 高中中专 / 初中及以下
EDUCATION_LEVELS = ("postgraduate", "bachelor", "associate", "senior_secondary",
                    "junior_secondary")
# 中共党员 / 中共预备党员 / 共青团员 / 群众
POLITICAL_STATUSES = ("party_member", "probationary_member", "league_member", "masses")
# In rank order: the branch leads all village work, so its posts sort first.
POSTS = ("branch_secretary", "deputy_secretary", "branch_member",
         "committee_director", "deputy_director", "committee_member")
GENDERS = ("male", "female")
COMMITTEES = ("branch", "committee")
# Posts a village has one holder of at a time (deputies and members may be several).
SOLE_POSTS = ("branch_secretary", "committee_director")
EDITABLE_FIELDS = ("name", "id_number", "gender", "birth_date", "phone", "education",
                   "political_status", "college_graduate_official", "village", "notes")
# The date from which villagers' committees serve the longer term (2018 amendment).
LONGER_TERMS_FROM = dt.date(2018, 1, 1)


def committee_of(post: str) -> str:
    """``branch`` for the Party branch's posts, ``committee`` for the villagers' committee's."""
    if post not in POSTS:
        raise ValidationError("post", "error.bad_choice", value=post, choices=", ".join(POSTS))
    return "branch" if POSTS.index(post) < 3 else "committee"


def age(birth: dt.date | None, on: dt.date) -> int | None:
    if birth is None:
        return None
    return on.year - birth.year - ((on.month, on.day) < (birth.month, birth.day))


def clean_person(office: Office, data: dict[str, Any],
                     current: Person | None = None) -> dict[str, Any]:
    """Clean person fields; gender and birth date come from the ID number when blank."""
    name = text_field("name", data.get("name"), 60, required=True, label="person_name")
    id_number = normalise_id_number(data.get("id_number"))
    gender = choice("gender", data.get("gender"), GENDERS, blank=True)
    birth = date_field("birth_date", data.get("birth_date"))
    if id_number:
        id_gender, id_birth = gender_from_id(id_number), birth_date_from_id(id_number)
        if gender and gender != id_gender:
            raise ValidationError("gender", "error.gender_id_mismatch",
                                  value=value_label("gender", gender))
        if birth and birth != id_birth:
            raise ValidationError("birth_date", "error.birth_id_mismatch",
                                  value=birth.isoformat())
        gender, birth = id_gender, id_birth
    if birth and birth > office.today():
        raise ValidationError("birth_date", "error.birth_in_future", value=birth.isoformat())
    education = choice("education", data.get("education"), EDUCATION_LEVELS, blank=True)
    official = bool_field("college_graduate_official", data.get("college_graduate_official", False))
    if official and education in ("senior_secondary", "junior_secondary"):
        raise ValidationError("college_graduate_official", "error.official_education")
    clean = {
        "name": name,
        "id_number": id_number,
        "gender": gender,
        "birth_date": birth,
        "phone": normalise_phone(data.get("phone")),
        "education": education,
        "political_status": choice("political_status", data.get("political_status"),
                                   POLITICAL_STATUSES, blank=True),
        "college_graduate_official": official,
        "notes": text_field("notes", data.get("notes"), 2000),
    }
    clean["name_initials"], clean["name_pinyin"] = pinyin_keys(name)
    if id_number:
        clash = Person.select().where(Person.id_number == id_number)
        if current is not None:
            clash = clash.where(Person.id != current.id)
        existing = clash.first()
        if existing is not None:
            raise Conflict("error.duplicate_id_number", name=existing.name, id=existing.id,
                           village=existing.village.name if existing.village_id else "")
    return clean


def term_years(office: Office, held_on: dt.date) -> int:
    key = "terms.years_before_2018" if held_on < LONGER_TERMS_FROM else "terms.years_since_2018"
    return int(office.settings[key])
