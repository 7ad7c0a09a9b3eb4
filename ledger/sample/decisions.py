"""Sample five-step decisions, satisfaction surveys and the past year's assessment.

Decisions: every village has some, last year's mostly through to the results made public,
this year's at every stage (proposed, deliberated, waiting on the subdistrict, approved,
resolved, resolution published), one vetoed by the subdistrict for breaking land policy,
and one Party members' meeting that lacked a quorum and was held again. Surveys: each
village every quarter of last year and this year so far. Assessment: last year's scheme
from the default template, every hand goal scored with a note; the derived goals come from
the sample's petitions, tickets, decisions and surveys.

Everything goes through the service functions with the step's real date.
"""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from ledger import assessment, decisions, surveys
from ledger.errors import InvalidTransition
from ledger.models import Village
from ledger.office import Office

# (subject, kind, amount, proposal, attachments)
SUBJECTS: tuple[tuple[str, str, str | None, str, list[str]], ...] = (
    ("村东路硬化工程", "project", "1200000", "硬化村东路 800 米，宽 6 米，含排水沟。",
     ["工程预算表.pdf", "路线图.png"]),
    ("集体厂房对外出租", "contract", "360000", "将村集体闲置厂房出租五年，年租金 36 万元。",
     ["租赁合同（草案）.docx"]),
    ("购置保洁车辆", "spending", "85000", "用村集体资金购置电动保洁车两辆。", []),
    ("文化广场建设", "project", "480000", "在村委会南侧建设文化广场及健身设施。",
     ["设计方案.pdf"]),
    ("土地流转方案", "land", None, "将村北 200 亩耕地统一流转给种植合作社。",
     ["流转协议（草案）.pdf", "农户意见汇总.xlsx"]),
    ("自来水管网改造", "project", "650000", "更换老化供水管网 3.2 公里。", []),
    ("村级公益岗位设置", "other", "72000", "设置保洁、巡逻公益岗位 6 个，优先安排困难群众。", []),
    ("回迁安置房分配方案", "land", None, "按拆迁协议面积和抽签顺序分配回迁安置房。",
     ["分配细则.pdf"]),
)
VETOED = ("出让集体建设用地用于商业开发", "land", "8000000",
          "将村南 30 亩集体建设用地出让给开发商建设商品房。",
          "违反《土地管理法》：集体经营性建设用地须依法入市，不得擅自出让用于商品住宅开发")
PLACES = ("村务公开栏", "村民微信群", "村委会公示栏及村民微信群")
# where this year's decisions stop (the first one is vetoed separately)
THIS_YEAR_STOPS = ("proposed", "deliberated", "reviewed", "approved", "resolved",
                   "resolution_published", "results_published", "reviewed", "deliberated")


def _meeting(rng: random.Random, entitled: int) -> dict[str, Any]:
    present = rng.randint(-(-2 * entitled // 3) + 1, entitled)
    votes_for = rng.randint(present // 2 + 1, present)
    against = rng.randint(0, present - votes_for)
    return {"present": present, "entitled": entitled, "votes_for": votes_for,
            "votes_against": against, "votes_abstain": present - votes_for - against}


def _take(office: Office, rng: random.Random, village: Village, subject: tuple[Any, ...],
          start: dt.date, stop: str, sizes: dict[str, int]) -> str:
    """Propose on ``start`` and take the steps, a few days apart, up to ``stop``."""
    name, kind, amount, proposal, attachments = subject
    day = start
    d = decisions.propose(office, village=village.id, subject=name, kind=kind, amount=amount,
                          proposal=proposal, attachments=attachments, on=day,
                          present=sizes["branch"], entitled=sizes["branch"])
    number = d["number"]

    def later(days: int) -> dt.date:
        nonlocal day
        day = min(day + dt.timedelta(days=days), office.today())
        return day

    order = ("deliberated", "reviewed", "approved", "resolved", "resolution_published",
             "results_published")
    calls = {
        "deliberated": lambda: decisions.deliberate(
            office, number, on=later(rng.randint(2, 6)), present=sizes["committees"],
            entitled=sizes["committees"]),
        "reviewed": lambda: decisions.members_review(
            office, number, on=later(rng.randint(3, 8)), **_meeting(rng, sizes["party"])),
        "approved": lambda: decisions.approve(office, number, on=later(rng.randint(2, 7)),
                                              note="符合政策规定"),
        "resolved": lambda: decisions.resolve(
            office, number, on=later(rng.randint(3, 10)), meeting="representatives",
            **_meeting(rng, sizes["representatives"])),
        "resolution_published": lambda: decisions.publish(
            office, number, "resolution", place=rng.choice(PLACES),
            on=later(rng.randint(1, 3))),
        "results_published": lambda: decisions.publish(
            office, number, "results", place=rng.choice(PLACES), on=later(rng.randint(30, 90))),
    }
    if stop != "proposed":
        for state in order:
            calls[state]()
            if state == stop:
                break
    return number


def _fill_decisions(office: Office, rng: random.Random, villages: list[Village]) -> None:
    today = office.today()
    last_year = today.year - 1
    sizes = {v.id: {"branch": rng.randint(5, 7), "committees": rng.randint(7, 11),
                    "party": rng.randint(28, 64), "representatives": rng.randint(25, 45)}
             for v in villages}
    # last year: two decisions per village, through to the end, except a few whose results
    # were never made public (the assessment shows it)
    for index, village in enumerate(villages):
        for k in range(2):
            subject = SUBJECTS[(index * 2 + k) % len(SUBJECTS)]
            start = dt.date(last_year, 3 + k * 4 + index % 3, 1 + index)
            stop = "resolution_published" if (index, k) in ((2, 1), (5, 0), (7, 1)) \
                else "results_published"
            _take(office, rng, village, subject, start, stop, sizes[village.id])
    # this year: one decision per village at a different stage, starting further back the
    # further it went
    for index, village in enumerate(villages):
        stop = THIS_YEAR_STOPS[index % len(THIS_YEAR_STOPS)]
        back = 20 + 25 * ("proposed", "deliberated", "reviewed", "approved", "resolved",
                          "resolution_published", "results_published").index(stop)
        start = max(dt.date(today.year, 1, 2), today - dt.timedelta(days=back))
        subject = SUBJECTS[(index + 3) % len(SUBJECTS)]
        _take(office, rng, village, subject, start, stop, sizes[village.id])
    # the veto: a village preparing for demolition wants to sell collective land
    target = next((v for v in villages if v.relocation_status == "preparing_demolition"),
                  villages[-1])
    name, kind, amount, proposal, reason = VETOED
    start = max(dt.date(today.year, 1, 2), today - dt.timedelta(days=75))
    number = _take(office, rng, target, (name, kind, amount, proposal, []), start,
                   "deliberated", sizes[target.id])
    party = sizes[target.id]["party"]
    review_day = min(start + dt.timedelta(days=12), today)
    try:
        # the first meeting lacked a quorum: kept as refused, and held again
        decisions.members_review(office, number, on=review_day, present=party // 2,
                                 entitled=party, votes_for=party // 2, votes_against=0,
                                 votes_abstain=0, note="到会党员不足三分之二")
    except InvalidTransition:
        pass
    decisions.members_review(office, number, on=min(review_day + dt.timedelta(days=7), today),
                             **_meeting(rng, party))
    decisions.veto(office, number, reason=reason,
                   on=min(review_day + dt.timedelta(days=14), today))


def _fill_surveys(office: Office, rng: random.Random, villages: list[Village]) -> None:
    today = office.today()
    quarters = [dt.date(y, m, d) for y in (today.year - 1, today.year)
                for m, d in ((3, 31), (6, 30), (9, 30), (12, 31))]
    comments = ("", "", "希望增加路灯", "代办服务方便", "环境整治效果明显", "回迁房进度慢",
                "办事不用来回跑了", "")
    for index, village in enumerate(villages):
        # the first village (its secretary's service work) rates best; relocating ones lower
        base = 0.88 if index == 0 else (0.62 if village.relocation_status in
                                        ("demolished_rebuilding", "preparing_demolition")
                                        else 0.74)
        for day in quarters:
            if day > today:
                break
            n = rng.randint(40, 80)
            satisfied = int(n * min(0.97, max(0.3, rng.gauss(base, 0.06))))
            basically = int((n - satisfied) * rng.uniform(0.5, 0.85))
            surveys.add_survey(office, village=village.id, surveyed_on=day,
                               satisfied=satisfied, basically_satisfied=basically,
                               dissatisfied=n - satisfied - basically,
                               comments=rng.choice(comments))


HAND_NOTES = {
    "party_building": ("组织生活规范，三会一课落实", "党员发展程序规范", "支部学习记录不全，扣分"),
    "new_countryside": ("道路、绿化完成年度任务", "环境整治达标", "人居环境整治进度滞后"),
    "family_planning": ("生育服务登记及时", "台账规范", "个别台账更新不及时"),
    "land_acquisition": ("按期完成征收任务", "无强拆、无群体性事件", "签约进度滞后"),
    "key_projects": ("重点项目服务到位", "项目落地手续代办及时", "项目协调不够主动"),
}


def _fill_assessment(office: Office, rng: random.Random) -> None:
    year = office.today().year - 1
    scheme = assessment.create_scheme(office, year, notes="依据《农村两委班子考核办法》")
    by_code = {v.code: v for v in Village.select()}
    for goal in scheme["goals"]:
        if goal["method"] != "hand":
            continue
        targets = ([by_code[c] for c in sorted(by_code)] if goal["scope"] == "common" else
                   [v for v in by_code.values() if v.id in goal["village_ids"]])
        for village in targets:
            share = rng.choice((1.0, 0.95, 0.9, 0.85, 0.8, 0.7))
            if village.code == "V01":
                share = 1.0
            points = round(goal["max_points"] * share * 2) / 2  # to half a point
            notes = HAND_NOTES[goal["code"]]
            note = notes[0] if share >= 0.9 else notes[1] if share >= 0.8 else notes[2]
            assessment.score(office, year=year, village=village.id, goal=goal["code"],
                             points=str(points), note=note)


def fill(office: Office, rng: random.Random) -> None:
    rng = random.Random(1109)  # this area's own stream: other areas' changes leave it alone
    villages = list(Village.select().order_by(Village.code))
    if not villages:
        return
    _fill_decisions(office, rng, villages)
    _fill_surveys(office, rng, villages)
    _fill_assessment(office, rng)
