"""Sample proxy service: the 47 items the report counts, and a year of tickets up to today.

Tickets spread over the nine villages and six agents: most done on time, some late, some
overdue now, some returned for missing materials (a few still waiting), a few withdrawn,
most of those done rated. Everything goes through the service functions with the step's
real date (``at=``), so the timeline and the journal are what a real year would leave.
"""

from __future__ import annotations

import csv
import datetime as dt
import random
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ledger import items, tickets
from ledger.models import Village
from ledger.workcal import calendar_for

if TYPE_CHECKING:
    from ledger.office import Office

TICKETS = 250
DAYS = 365
AGENTS = ("王芳", "李强", "张丽", "刘洋", "陈静", "杨帆")
SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董许"
GIVEN = "建国秀英桂兰志强海燕德明淑珍玉梅春华永红金凤立新国庆丽娟文斌家乐振宇翠花"
ENTERPRISES = (("华北新材料有限公司", "年产五万吨新型建材项目"),
               ("城东置业有限公司", "回迁安置区二期工程"),
               ("绿源农业科技有限公司", "设施农业示范园"),
               ("宏达物流有限公司", "区域物流分拨中心"),
               ("新城社区卫生服务中心", "卫生服务站扩建"))
RETURN_NOTES = ("缺户口簿复印件", "收入证明未盖章", "照片规格不符", "缺医院诊断证明原件")
COMMENTS = ("办事快，不用来回跑", "代办员很耐心", "", "", "希望再快一点", "")


def _catalogue() -> list[dict[str, Any]]:
    path = Path(__file__).parent / "data" / "items.csv"
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _when(day: dt.date, rng: random.Random, earliest: dt.time = dt.time(8, 30)) -> dt.datetime:
    minutes = rng.randint(earliest.hour * 60 + earliest.minute, 17 * 60)
    return dt.datetime.combine(day, dt.time(minutes // 60, minutes % 60))


def fill(office: Office, rng: random.Random) -> None:
    with office.transaction():
        for row in _catalogue():
            items.add_item(office, code=row["code"], name=row["name"], category=row["category"],
                           level=row["level"], time_limit_days=int(row["time_limit_days"]),
                           track=row["track"], fee=row["fee"], materials=row["materials"])
        _tickets(office, rng)


def _tickets(office: Office, rng: random.Random) -> None:
    cal = calendar_for(office)
    today = office.today()
    now_local = office.clock.local_now().replace(tzinfo=None)
    catalogue = items.list_items(office)
    resident = [i for i in catalogue if i["track"] == "resident"]
    project = [i for i in catalogue if i["track"] == "project"]
    # Social security and assistance errands are the busiest counters.
    weights = [3 if i["category"] in ("社会保障", "养老保险", "医疗保障", "社会救助") else 1
               for i in resident]
    villages = [v.code for v in Village.select(Village.code).order_by(Village.code)]
    days = sorted(today - dt.timedelta(days=rng.randrange(DAYS)) for _ in range(TICKETS))

    def happened(moment: dt.datetime) -> bool:
        return moment <= now_local

    for number, day in enumerate(days):
        is_project = rng.random() < 0.08
        item = rng.choice(project) if is_project else rng.choices(resident, weights)[0]
        received = _when(day, rng)
        if not happened(received):
            received = now_local - dt.timedelta(minutes=30 + number)
        kw: dict[str, Any] = {}
        if is_project:
            enterprise, project_name = rng.choice(ENTERPRISES)
            kw = {"enterprise": enterprise, "project": project_name}
        village = rng.choice(villages) if villages and (not is_project or rng.random() < .5) \
            else None
        name = rng.choice(SURNAMES) + "".join(rng.sample(GIVEN, rng.choice((1, 2))))
        all_in = rng.random() > 0.12
        materials = True if all_in else item["materials"][:-1]
        t = tickets.open_ticket(
            office, item=item["code"], applicant_name=name, village=village,
            applicant_phone=f"1{rng.choice('3589')}{rng.randrange(10**9):09d}",
            agent=rng.choice(AGENTS), received_at=received, materials=materials, detail=False,
            **kw)
        ref = t["number"]
        limit = item["time_limit_days"]
        due = t["due_date"]
        fate = rng.random()
        if fate < 0.03:
            moment = received + dt.timedelta(hours=2)
            if happened(moment):
                tickets.withdraw(office, ref, note="申请人自行办理", at=moment, detail=False)
            continue
        clock_day = received.date()
        if (today - clock_day).days <= 3 and rng.random() < 0.5:
            continue  # just received: not yet submitted upstream
        if not all_in:
            # Missing material: returned, and most applicants bring it within a week.
            moment = received + dt.timedelta(minutes=20)
            if not happened(moment):
                continue
            tickets.return_ticket(office, ref, note=rng.choice(RETURN_NOTES), at=moment,
                                  detail=False)
            back_day, _ = cal.add_working_days(clock_day, rng.randint(1, 6))
            back = _when(back_day, rng)
            if rng.random() < 0.15 or not happened(back):
                continue  # still waiting for the applicant
            t = tickets.resume(office, ref, materials=True, at=back, detail=False)
            due, clock_day, received = t["due_date"], back_day, back
        submit_day = (clock_day if limit == 0
                      else cal.add_working_days(clock_day, rng.randint(0, 1))[0])
        submit = max(_when(submit_day, rng), received + dt.timedelta(minutes=10))
        if not happened(submit):
            continue
        tickets.advance(office, ref, at=submit, detail=False)
        if limit == 0:
            done = submit + dt.timedelta(minutes=15)
        elif fate < 0.13:
            # Late: the upstream office took longer than promised.
            done = _when(cal.add_working_days(due, rng.randint(1, 6))[0], rng)
        elif fate < 0.17:
            continue  # stuck upstream: overdue now if its due date has passed
        else:
            spare = max(0, cal.working_days_between(submit.date(), due))
            done_day = cal.add_working_days(submit.date(), rng.randint(0, max(0, spare)))[0]
            done = max(_when(done_day, rng), submit + dt.timedelta(minutes=10))
        if not happened(done):
            continue
        tickets.advance(office, ref, at=done, detail=False)
        if rng.random() < 0.72:
            rated = done + dt.timedelta(days=rng.randint(0, 3), hours=1)
            if happened(rated):
                score = rng.choices(("satisfied", "basically_satisfied", "dissatisfied"),
                                    (76, 19, 5))[0]
                tickets.rate(office, ref, score, comment=rng.choice(COMMENTS), at=rated,
                             detail=False)
