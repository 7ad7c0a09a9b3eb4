"""Sample petitions: two years up to today across the nine villages (invented people).

Every channel, category and state appears, with reviews and re-reviews, late and overdue
deadlines, repeat petitions and group visits. In one village the petitions fall sharply in
the second year, when a new branch secretary's service work took hold (the report's story:
"one secretary's service work made that village's petitions fall sharply"); the report's
trend shows it. Everything goes through the service functions, so it is journaled.
"""

from __future__ import annotations

import datetime as dt
import random
from typing import TYPE_CHECKING, Any

from ledger import petitions
from ledger.models import Term, Village
from ledger.people import id_check_char

if TYPE_CHECKING:
    from ledger.office import Office

DAYS = 730
SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕"
GIVEN = "建国秀英桂兰志强海燕德明淑珍玉梅春华永红金凤立新国庆丽娟文斌家乐振宇翠花"
CHANNELS = (("visit", 40), ("letter", 20), ("online", 18), ("phone", 12),
            ("hotline_referral", 10))
CATEGORIES = (("land_demolition", 30), ("resettlement_housing", 22), ("village_finances", 16),
              ("neighbour_dispute", 14), ("social_security", 12), ("other", 6))
SUMMARIES = {
    "land_demolition": ("拆迁补偿款未按协议足额发放", "宅基地面积认定有异议",
                        "征地青苗补偿标准不一"),
    "resettlement_housing": ("回迁房交付时间一再推迟", "回迁房分配顺序不公开", "过渡期安置费停发"),
    "village_finances": ("村集体收入账目未公开", "土地流转款去向不明", "村务公开栏长期未更新"),
    "neighbour_dispute": ("邻居翻建房屋影响采光", "排水沟堵塞引发纠纷", "宅基地界址争议"),
    "social_security": ("养老保险待遇未按时发放", "低保资格被取消有异议", "医疗救助申请无回音"),
    "other": ("村道路灯损坏无人维修", "垃圾清运不及时", "施工噪音扰民"),
}
DEMANDS = ("依法依规解决", "公开相关信息", "尽快答复", "补发相关款项", "给出书面说明")
HANDLERS = (("李明", "街道信访办"), ("王芳", "街道城建科"), ("赵刚", "街道社会事务科"),
            ("陈静", "街道综治中心"), ("刘洋", "街道财政所"))


def _weighted(rng: random.Random, table: tuple[tuple[str, int], ...]) -> str:
    return rng.choices([k for k, _ in table], weights=[w for _, w in table])[0]


def _person(rng: random.Random, village: str | None, used: set[str]) -> dict[str, Any]:
    while True:
        name = rng.choice(SURNAMES) + "".join(rng.sample(GIVEN, rng.choice((1, 2))))
        if name not in used:
            used.add(name)
            break
    person: dict[str, Any] = {"name": name, "village": village,
                              "phone": f"1{rng.choice('3589')}{rng.randrange(10**9):09d}"}
    if rng.random() < 0.6:
        birth = dt.date(rng.randint(1950, 1995), rng.randint(1, 12), rng.randint(1, 28))
        body = f"130184{birth:%Y%m%d}{rng.randrange(1000):03d}"
        person["id_number"] = body + id_check_char(body)
    return person


def _falling_village(villages: list[Village], start: dt.date, end: dt.date
                     ) -> tuple[Village | None, dt.date]:
    """The village whose secretary changed in the period (from the members sample when it
    records one), else the first village; and the day the new secretary took office."""
    middle = start + (end - start) / 2
    if not villages:
        return None, middle
    term = (Term.select().where(Term.post == "branch_secretary",
                                Term.started_on.between(start + dt.timedelta(days=120),
                                                        end - dt.timedelta(days=120)))
            .order_by(Term.started_on).first())
    if term is not None:
        return next((v for v in villages if v.id == term.village_id), villages[0]), \
            term.started_on
    return villages[0], middle


SEED = 1101  # our own stream: another area's sample drawing more numbers changes nothing here


def fill(office: Office, rng: random.Random) -> None:
    rng = random.Random(SEED)
    today = office.today()
    start = today - dt.timedelta(days=DAYS)
    villages = list(Village.select().order_by(Village.code))
    falling, turn = _falling_village(villages, start, today)
    used: set[str] = set()
    plans: list[dict[str, Any]] = []
    # monthly rate per village: a few busy ones (demolition), the falling one busiest at first
    rates = {v.id: rng.uniform(0.6, 1.6) for v in villages}
    day = start
    while day <= today:
        for village in villages or [None]:
            rate = rates.get(village.id, 1.0) if village else 1.0
            if village is not None and falling is not None and village.id == falling.id:
                rate = 3.0 if day < turn else 0.35
            if rng.random() < rate / 30:
                plans.append({"received_on": day, "village": village})
        day += dt.timedelta(days=1)
    earlier: list[tuple[dict[str, Any], dt.date]] = []  # (person, accepted day)
    with office.transaction():
        for plan in plans:
            _one(office, rng, plan, today, used, earlier)
        _showcase(office, rng, today, villages, used)


# (state to leave it in, days ago received): one recent matter at each step of the procedure,
# whatever the random draw gave, so every state and both kinds of overdue are on show.
SHOWCASE = (("registered", 20), ("accepted", 5), ("in_handling", 75), ("replied", 40),
            ("review_requested", 60), ("reviewed", 70), ("rereview_requested", 90),
            ("closed", 110))
ORDER = ("registered", "accepted", "in_handling", "replied", "review_requested", "reviewed",
         "rereview_requested", "closed")


def _showcase(office: Office, rng: random.Random, today: dt.date, villages: list[Village],
              used: set[str]) -> None:
    for index, (state, ago) in enumerate(SHOWCASE):
        village = villages[(index * 2 + 1) % len(villages)].code if villages else None
        category = CATEGORIES[index % len(CATEGORIES)][0]
        received = today - dt.timedelta(days=ago)
        n = petitions.register(
            office, channel=CHANNELS[index % len(CHANNELS)][0], category=category,
            village=village, received_on=received, summary=SUMMARIES[category][0],
            demands=DEMANDS[index % len(DEMANDS)], petitioners=[_person(rng, village, used)],
            detail=False)["id"]
        steps = ORDER[1:ORDER.index(state) + 1]
        day = received
        for step in steps:
            day += dt.timedelta(days={"accepted": 3, "in_handling": 0, "replied": 12,
                                      "review_requested": 5, "reviewed": 15,
                                      "rereview_requested": 5, "closed": 15}[step])
            day = min(day, today)
            if step == "accepted":
                petitions.accept(office, n, on=day, detail=False)
            elif step == "in_handling":
                handler, unit = HANDLERS[index % len(HANDLERS)]
                petitions.assign(office, n, handler=handler, unit=unit, on=day, detail=False)
            elif step == "replied":
                petitions.reply(office, n, on=day, detail=False,
                                gist="经调查核实，已依据相关政策作出处理意见")
            elif step == "review_requested":
                petitions.request_review(office, n, on=day, detail=False)
            elif step == "reviewed":
                petitions.review(office, n, on=day, detail=False,
                                 gist="复查认为原处理意见符合政策，予以维持")
            elif step == "rereview_requested":
                petitions.request_rereview(office, n, on=day, detail=False)
            else:  # the re-review opinion closes the matter
                petitions.rereview(office, n, on=day, detail=False,
                                   gist="复核维持复查意见，信访事项终结")


def _one(office: Office, rng: random.Random, plan: dict[str, Any], today: dt.date,
         used: set[str], earlier: list[tuple[dict[str, Any], dt.date]]) -> None:
    received: dt.date = plan["received_on"]
    village = plan["village"]
    code = village.code if village is not None else None
    category = _weighted(rng, CATEGORIES)
    collective = rng.random() < 0.08
    recent = [p for p, accepted in earlier if accepted <= received
              and (received - accepted).days < 300 and p.get("village") == code]
    if recent and not collective and rng.random() < 0.12:
        people = [rng.choice(recent)]  # the same person comes back: a repeat petition
    elif collective:
        people = [_person(rng, code, used) for _ in range(rng.randint(2, 5))]
    else:
        people = [_person(rng, code, used) for _ in range(rng.choice((1, 1, 1, 1, 2)))]
    row = petitions.register(
        office, channel="visit" if collective else _weighted(rng, CHANNELS),
        category=category, village=code, received_on=received,
        summary=rng.choice(SUMMARIES[category]), demands=rng.choice(DEMANDS),
        petitioners=people, collective=collective,
        group_size=rng.randint(8, 40) if collective else None, detail=False)
    n = row["id"]

    def due(offset: int, base: dt.date) -> dt.date | None:
        day = base + dt.timedelta(days=offset)
        return day if day <= today else None

    # Some recent matters stopped moving: the overdue ones now (older ones were dealt with).
    stalled = (today - received).days < 150 and rng.random() < 0.3
    if rng.random() < 0.07:
        on = due(rng.randint(1, 12), received)
        if on and not stalled:
            petitions.decline(office, n, detail=False, on=on, reason="属于诉讼、仲裁途径解决的事项",
                              forwarded_to=rng.choice(("区人民法院", "区劳动人事争议仲裁委员会")))
        return
    late = rng.random() < 0.06
    accepted = due(rng.randint(16, 25) if late else rng.randint(1, 12), received)
    if accepted is None or stalled and rng.random() < 0.4:
        return
    petitions.accept(office, n, detail=False, on=accepted)
    earlier.append((people[0], accepted))
    if stalled and rng.random() < 0.3:
        return  # accepted, and nobody assigned since
    handler, unit = rng.choice(HANDLERS)
    assigned = due(rng.randint(0, 3), accepted)
    if assigned is None:
        return
    petitions.assign(office, n, detail=False, handler=handler, unit=unit, on=assigned)
    if stalled:
        return
    extended = rng.random() < 0.07
    extended_after = 0
    if extended:
        extended_after = rng.randint(40, 58)
        on = due(extended_after, accepted)
        if on is None:
            return
        petitions.extend(office, n, detail=False, days=rng.choice((15, 20, 30)), on=on,
                         reason="涉及多个部门，需联合调查", approved_by="街道办事处主任")
    span = rng.randint(62, 75) if rng.random() < 0.06 else rng.randint(10, 55)
    replied = due(max(span + (20 if extended else 0), extended_after), accepted)
    if replied is None:
        return
    petitions.reply(office, n, detail=False, on=replied,
                    gist="经调查核实，已依据相关政策作出处理意见")
    # Recent matters take the review path more often, so every later state is on show now.
    recent_matter = (today - received).days < 170
    if rng.random() < (0.35 if recent_matter else 0.72):
        closed = due(rng.randint(0, 20), replied)
        if closed:
            petitions.close(office, n, detail=False, on=closed)
        return
    asked = due(rng.randint(3, 28), replied)
    if asked is None:
        return
    petitions.request_review(office, n, detail=False, on=asked)
    reviewed = due(rng.randint(8, 33), asked)
    if reviewed is None:
        return
    petitions.review(office, n, detail=False, on=reviewed,
                     gist="复查认为原处理意见符合政策，予以维持")
    if rng.random() < (0.3 if recent_matter else 0.55):
        closed = due(rng.randint(1, 35), reviewed)
        if closed:
            petitions.close(office, n, detail=False, on=closed)
        return
    asked = due(rng.randint(3, 28), reviewed)
    if asked is None:
        return
    petitions.request_rereview(office, n, detail=False, on=asked)
    rereviewed = due(rng.randint(8, 33), asked)
    if rereviewed is None:
        return
    # The re-review opinion closes the matter (no separate close follows).
    petitions.rereview(office, n, detail=False, on=rereviewed,
                       gist="复核维持复查意见，信访事项终结")
    # The draws of the separate close this once had, kept so the rest of the sample (and
    # what its tests expect) stays the same.
    if due(rng.randint(0, 12), rereviewed):
        rng.random()
