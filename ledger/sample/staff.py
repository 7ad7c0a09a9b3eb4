"""Sample staff (工作人员): the office's director, the deputy director who supervises the
proxy service and petitions (the reminders' supervisor: ``remind.supervisor = "孙丽华"``),
the proxy agents of the sample tickets and the handlers of the sample petitions, each with
the channels that reach them, and one agent who has retired.

Roles (``ledger.access``): the director and the deputy are supervisors, the agents and
handlers clerks, 赵刚 a viewer. The operator who builds the sample is a supervisor: the staff
member of that name, or else the director, whose ``login`` the operator's name becomes; so
``jiedao demo`` opens with roles in force and its operator may do everything.

Filled first, before the tickets and petitions that name these people. Uses no random
numbers, so the areas after it draw the same ones as before it existed.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ledger import staff

if TYPE_CHECKING:
    import random

    from ledger.office import Office

DIRECTOR = "周建国"
SUPERVISOR = "孙丽华"
_WECOM = "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=sample-"
_DINGTALK = "https://oapi.dingtalk.com/robot/send?access_token=sample-"

# name, post, phone, email, language, channels, webhook (URL, kind), notes
PEOPLE: tuple[tuple[str, str, str, str, str, str, tuple[str, str], str], ...] = (
    (DIRECTOR, "街道办事处主任", "13803150001", "zhoujianguo@jiedao.example.cn", "zh",
     "email", ("", "generic"), ""),
    (SUPERVISOR, "分管副主任（便民服务、信访）", "13803150002",
     "sunlihua@jiedao.example.cn", "zh", "email,webhook", (_DINGTALK + "supervisor",
                                                           "dingtalk"), "提醒的主管"),
    ("王芳", "代办员（城建科）", "13803150011", "wangfang@jiedao.example.cn", "zh", "email",
     ("", "generic"), "兼信访经办人"),
    ("李强", "代办员", "13803150012", "", "zh", "webhook", (_WECOM + "liqiang", "wecom"), ""),
    ("张丽", "代办员", "13803150013", "zhangli@jiedao.example.cn", "zh", "email",
     ("", "generic"), ""),
    ("刘洋", "代办员（财政所）", "13803150014", "", "zh", "", ("", "generic"),
     "无邮箱：提醒经 cron 的标准输出送达"),
    ("陈静", "代办员（综治中心）", "13803150015", "chenjing@jiedao.example.cn", "zh",
     "email,webhook", (_WECOM + "chenjing", "wecom"), "兼信访经办人"),
    ("杨帆", "代办员", "13803150016", "yangfan@jiedao.example.cn", "en", "email",
     ("", "generic"), "reads English"),
    ("李明", "信访办专干", "13803150021", "liming@jiedao.example.cn", "zh", "email",
     ("", "generic"), ""),
    ("赵刚", "社会事务科科员", "13803150022", "", "zh", "webhook",
     (_DINGTALK + "zhaogang", "dingtalk"), ""),
)
RETIRED = ("黄志强", "代办员", "13803150017", "2025 年调往区政务服务中心")
SUPERVISORS = (DIRECTOR, SUPERVISOR)
VIEWERS = ("赵刚",)


def role(name: str, operator: str) -> str:
    if name in SUPERVISORS or name == operator:
        return "supervisor"
    return "viewer" if name in VIEWERS else "clerk"


def fill(office: Office, rng: random.Random) -> None:
    operator = office.operator
    names = {p[0] for p in PEOPLE} | {RETIRED[0]}
    with office.transaction():
        # The director first: the first role given is a supervisor's (staff.check_supervised).
        for name, post, phone, email, language, channels, (url, kind), notes in PEOPLE:
            fields: dict[str, Any] = {"post": post, "phone": phone, "email": email,
                                      "language": language, "channels": channels,
                                      "webhook_url": url, "webhook_kind": kind,
                                      "notes": notes, "role": role(name, operator)}
            if name == DIRECTOR and operator not in names:
                fields["login"] = operator
            staff.add_staff(office, name=name, **fields)
        name, post, phone, notes = RETIRED
        staff.add_staff(office, name=name, post=post, phone=phone, notes=notes,
                        role=role(name, operator))
        staff.retire_staff(office, name)
