"""The sample office's villages and two-committee members, as the report describes them.

Nine villages (``data/villages.csv``: 2 flattened and moved back, 4 demolished with housing
being built, 1 resettled elsewhere, 1 preparing demolition, 1 urban village) elected their two
committees between 2014-12-18 and 2015-02-09: 68 members, of whom 10 hold a bachelor's degree
or higher (9 of those college-graduate village officials), 12 an associate degree, 23 senior
secondary or technical school, 23 junior secondary or less.

The people are invented (names, ID numbers with valid check digits in an invented county,
phones), generated from ``rng`` so the same seed gives the same office, and loaded through the
service functions, so every record is journaled like a clerk's entry.
"""

from __future__ import annotations

import csv
import datetime as dt
import random
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ledger import members, villages
from ledger.people import id_check_char

if TYPE_CHECKING:
    from ledger.office import Office

DATA = Path(__file__).resolve().parent / "data"
REGION = "139021"  # an invented county code: no real county has it

# The posts of each village's people; a tuple is one person holding two posts (一肩挑).
TEMPLATES: dict[str, list[tuple[str, ...]]] = {
    # 8 people, the secretary is also the committee director
    "A": [("branch_secretary", "committee_director"), ("deputy_secretary",),
          ("branch_member",), ("branch_member",), ("deputy_director",),
          ("committee_member",), ("committee_member",), ("committee_member",)],
    # 8 people, secretary and director are two people
    "B": [("branch_secretary",), ("committee_director",), ("deputy_secretary",),
          ("branch_member",), ("branch_member",), ("deputy_director",),
          ("committee_member",), ("committee_member",)],
    # 7 people, 一肩挑
    "C": [("branch_secretary", "committee_director"), ("deputy_secretary",),
          ("branch_member",), ("deputy_director",), ("committee_member",),
          ("committee_member",), ("committee_member",)],
    # 7 people, two leaders
    "D": [("branch_secretary",), ("committee_director",), ("deputy_secretary",),
          ("branch_member",), ("deputy_director",), ("committee_member",),
          ("committee_member",)],
}

# The report's figures: (education level, how many); 1 of the 10 graduates holds a master's.
EDUCATION_COUNTS = (("postgraduate", 1), ("bachelor", 9), ("associate", 12),
                    ("senior_secondary", 23), ("junior_secondary", 23))
OFFICIALS = 9  # college-graduate village officials among the bachelor-or-higher

SURNAMES = ("王李张刘陈杨赵黄周吴徐孙马朱胡郭何高林罗郑梁"
            "谢宋唐许韩冯邓曹彭曾田董袁潘于蒋蔡余杜叶程魏")
MALE_GIVEN = ("建国 志强 国华 海涛 立新 振华 卫东 永刚 文斌 春生 德明 长青 新民 宏伟 俊杰 "
              "晓东 建军 明辉 树林 玉柱 金山 红旗 庆丰 国栋 学军 家兴 治平 保华 瑞祥 广亮 "
              "子豪 浩然 宇航 博文 一鸣 天佑 凯 鹏 磊 勇 涛 伟 强 斌 军 杰 刚 辉").split()
FEMALE_GIVEN = ("秀英 桂兰 淑华 丽娟 玉梅 春燕 海燕 晓红 雅琴 美玲 文静 丽华 思雨 佳怡 "
                "梦瑶 欣怡 雪 静 敏 燕 芳 娜 婷 霞").split()
# Birth-year ranges by education (older members left school earlier).
BIRTH_YEARS = {"postgraduate": (1986, 1990), "bachelor": (1975, 1986), "associate": (1968, 1985),
               "senior_secondary": (1960, 1980), "junior_secondary": (1952, 1972)}
PHONE_PREFIXES = ("138", "139", "150", "151", "158", "159", "187", "188")


def _villages() -> list[dict[str, str]]:
    with (DATA / "villages.csv").open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _id_number(rng: random.Random, birth: dt.date, male: bool, used: set[str]) -> str:
    while True:
        seq = f"{rng.randrange(100):02d}{rng.choice('13579' if male else '02468')}"
        first17 = f"{REGION}{birth:%Y%m%d}{seq}"
        number = first17 + id_check_char(first17)
        if number not in used:
            used.add(number)
            return number


def _name(rng: random.Random, male: bool, used: set[str]) -> str:
    while True:
        name = rng.choice(SURNAMES) + rng.choice(MALE_GIVEN if male else FEMALE_GIVEN)
        if name not in used and name != "许少伟":
            used.add(name)
            return name


def _plan(rng: random.Random, villages: list[dict[str, str]]) -> list[dict[str, Any]]:
    """Every person to add: village, posts, and the personal fields, drawn from ``rng``."""
    seats = [(v, posts) for v in villages for posts in TEMPLATES[v["template"]]]
    education = [level for level, n in EDUCATION_COUNTS for _ in range(n)]
    if len(seats) != len(education):
        raise RuntimeError(f"sample templates give {len(seats)} seats for {len(education)} people")
    rng.shuffle(education)
    graduates = [i for i, level in enumerate(education) if level in ("postgraduate", "bachelor")]
    officials = set(rng.sample(graduates, OFFICIALS))
    names: set[str] = {"许少伟"}
    ids: set[str] = set()
    people = []
    for i, ((village, posts), level) in enumerate(zip(seats, education, strict=True)):
        first_of_v01 = village["code"] == "V01" and posts[0] == "branch_secretary"
        male = first_of_v01 or rng.random() < 0.8
        name = "许少伟" if first_of_v01 else _name(rng, male, names)
        official = i in officials
        low, high = (1985, 1991) if official else BIRTH_YEARS[level]
        birth = dt.date(rng.randint(low, high), rng.randint(1, 12), rng.randint(1, 28))
        branch = any(members.committee_of(p) == "branch" for p in posts)
        if branch or official:
            political = "party_member" if not official or rng.random() < 0.7 \
                else "probationary_member"
        else:
            political = rng.choice(("party_member", "masses", "masses", "league_member")
                                   if birth.year >= 1980 else ("party_member", "masses"))
        people.append({
            "name": name, "village": village["code"], "posts": posts,
            "election_date": dt.date.fromisoformat(village["election_date"]),
            "id_number": _id_number(rng, birth, male, ids),
            "phone": rng.choice(PHONE_PREFIXES) + f"{rng.randrange(10**8):08d}",
            "education": level, "political_status": political,
            "college_graduate_official": official,
        })
    return people


def fill(office: Office, rng: random.Random) -> None:
    """Add the nine villages and their 68 members through the service functions."""
    places = _villages()
    people = _plan(rng, places)
    with office.transaction():
        for village in places:
            villages.add_village(office, name=village["name"], code=village["code"],
                                 relocation_status=village["relocation_status"],
                                 notes=village["notes"])
        for person in people:
            first, *more = person["posts"]
            row = members.add_member(
                office, name=person["name"], village=person["village"], post=first,
                id_number=person["id_number"], phone=person["phone"],
                education=person["education"], political_status=person["political_status"],
                college_graduate_official=person["college_graduate_official"],
                election_date=person["election_date"])
            for post in more:
                members.add_post(office, row["id"], post=post,
                                 election_date=person["election_date"])
