"""Petitions: repeat detection and chains, refusal of a final matter, filtered lists,
masking and reveal journaling, and the report's figures on a small known data set."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from ledger import journal
from ledger import petitions as P
from ledger.config import Settings
from ledger.errors import InvalidTransition, ValidationError
from ledger.models import Village
from ledger.people import id_check_char

D = dt.date
WANG_ID = "11010119800101123" + id_check_char("11010119800101123")
OTHER_ID = "11010119900202456" + id_check_char("11010119900202456")


@pytest.fixture
def villages(office, staff_names):
    with office.transaction():
        for code, name in (("V01", "东村"), ("V02", "西村"), ("V03", "南村")):
            Village.create(code=code, name=name, created_at=office.now())


def reg(office, **kw: Any) -> dict:
    args: dict[str, Any] = {
        "channel": "visit", "category": "land_demolition", "summary": "拆迁补偿未到位",
        "village": "V01", "received_on": D(2026, 6, 1),
        "petitioners": [{"name": "王五", "phone": "13812345678", "id_number": WANG_ID}],
    }
    args.update(kw)
    return P.register(office, **args)


def handled(office, number: str, *, accepted: dt.date, closed: dt.date | None = None) -> None:
    P.accept(office, number, on=accepted)
    P.assign(office, number, handler="李", on=accepted)
    if closed:
        P.reply(office, number, gist="答", on=closed)
        P.close(office, number, on=closed)


# --- repeats ---------------------------------------------------------------------------------

def test_repeat_found_by_id_number_and_chained(office, villages):
    first = reg(office, received_on=D(2026, 1, 5))
    handled(office, first["number"], accepted=D(2026, 1, 6), closed=D(2026, 2, 1))
    # same ID, different phone spelling: still the same person
    second = reg(office, received_on=D(2026, 5, 1), petitioners=[
        {"name": "王五", "phone": "", "id_number": WANG_ID.lower()}])
    assert second["repeat_of"] == first["number"]
    assert "repeat" in second["events"][0]["note"]
    third = reg(office, received_on=D(2026, 6, 1), petitioners=[
        {"name": "王五", "id_number": WANG_ID}])
    # not accepted yet, so the second is no matter to repeat: the third links to the first
    assert third["repeat_of"] == first["number"]
    chain = P.chain(office, third["number"])
    assert [c["number"] for c in chain] == [first["number"], second["number"], third["number"]]
    assert P.chain(office, first["number"]) == chain
    assert P.get_petition(office, second["number"])["chain"] == chain


def test_repeat_found_by_name_and_phone_without_id(office, villages):
    first = reg(office, received_on=D(2026, 1, 5), petitioners=[
        {"name": "赵六", "phone": "13900001111"}])
    handled(office, first["number"], accepted=D(2026, 1, 6))
    same = reg(office, received_on=D(2026, 3, 1), petitioners=[
        {"name": "赵六", "phone": "139-0000-1111"}])
    other_name = reg(office, received_on=D(2026, 3, 1), petitioners=[
        {"name": "赵七", "phone": "13900001111"}])
    other_id = reg(office, received_on=D(2026, 3, 1), petitioners=[
        {"name": "王五", "phone": "13812345678", "id_number": OTHER_ID}])
    assert same["repeat_of"] == first["number"]
    assert other_name["repeat_of"] is None
    assert other_id["repeat_of"] is None


def test_no_repeat_outside_the_window_or_before_acceptance(office, villages):
    old = reg(office, received_on=D(2024, 1, 5))
    handled(office, old["number"], accepted=D(2024, 1, 8), closed=D(2024, 3, 1))
    late = reg(office, received_on=D(2026, 6, 1))  # closed 2024-03-01: > 365 days before
    assert late["repeat_of"] is None
    # a shorter window setting is honoured
    office.settings = Settings(values={"petitions.repeat_window_days": 30})
    recent = reg(office, received_on=D(2026, 3, 1), petitioners=[{"name": "甲", "phone":
                                                                    "13700000001"}])
    handled(office, recent["number"], accepted=D(2026, 3, 2))
    again = reg(office, received_on=D(2026, 4, 15), petitioners=[{"name": "甲", "phone":
                                                                   "13700000001"}])
    assert again["repeat_of"] is None
    within = reg(office, received_on=D(2026, 3, 20), petitioners=[{"name": "甲", "phone":
                                                                    "13700000001"}])
    assert within["repeat_of"] == recent["number"]


def finalised(office) -> dict:
    p = reg(office, received_on=D(2026, 8, 1))
    n = p["number"]
    P.accept(office, n, on=D(2026, 8, 2))
    P.assign(office, n, handler="李", on=D(2026, 8, 2))
    P.reply(office, n, gist="答", on=D(2026, 8, 20))
    P.request_review(office, n, on=D(2026, 8, 25))
    P.review(office, n, gist="复", on=D(2026, 9, 10))
    P.request_rereview(office, n, on=D(2026, 9, 15))
    return P.rereview(office, n, gist="核", on=D(2026, 10, 1))


def test_a_matter_closed_after_rereview_is_refused_when_linked_again(office, villages):
    final = finalised(office)
    assert final["final"]
    with pytest.raises(InvalidTransition) as err:
        reg(office, received_on=D(2026, 11, 1), repeat_of=final["number"])
    assert final["number"] in err.value.message()
    assert P.count_petitions(office) == 1
    # another category, another village or another person is a different matter
    assert reg(office, received_on=D(2026, 11, 1), repeat_of=final["number"],
               category="social_security")["repeat_of"] == final["number"]
    assert reg(office, received_on=D(2026, 11, 1), repeat_of=final["number"],
               village="V02")["repeat_of"] == final["number"]
    assert reg(office, received_on=D(2026, 11, 1), repeat_of=final["number"],
               petitioners=[{"name": "钱八"}])["repeat_of"] == final["number"]


# --- lists, filters, masking -----------------------------------------------------------------

@pytest.fixture
def sample(office, villages):
    """Five petitions with known deadlines as of 2026-11-27."""
    a = reg(office, received_on=D(2026, 11, 1), channel="letter")  # acceptance due 11-16
    b = reg(office, received_on=D(2026, 11, 14), village="V02",  # due 11-29: due soon
            category="village_finances", petitioners=[{"name": "李雷", "phone": "13600001234"}])
    c = reg(office, received_on=D(2026, 11, 25), village="V02", channel="online",
            petitioners=[{"name": "韩梅", "phone": "01088886666"}])  # due 12-10: ok
    d = reg(office, received_on=D(2026, 5, 1), village="V03", summary="宅基地邻里纠纷",
            category="neighbour_dispute", petitioners=[{"name": "孙七"}])
    handled(office, d["number"], accepted=D(2026, 5, 2), closed=D(2026, 6, 1))
    e = reg(office, received_on=D(2026, 9, 1), channel="letter")  # repeat of d? no: of a? no
    handled(office, e["number"], accepted=D(2026, 9, 20))  # handling due 11-19: overdue
    return {"a": a, "b": b, "c": c, "d": d, "e": e}


def numbers(rows: list[dict]) -> list[str]:
    return [r["number"] for r in rows]


def test_overdue_list_is_ordered_by_deadline_with_countdowns(office, sample):
    rows = P.list_petitions(office, P.PetitionFilter(overdue=True))
    assert numbers(rows) == [sample["a"]["number"], sample["e"]["number"]]
    assert [(r["next_due"], r["next_due_kind"], r["days_left"], r["deadline_state"])
            for r in rows] == [(D(2026, 11, 16), "acceptance", -11, "overdue"),
                               (D(2026, 11, 19), "handling", -8, "overdue")]
    assert P.count_petitions(office, P.PetitionFilter(overdue=True)) == 2


def test_filters(office, sample):
    def pick(**kw: Any) -> set[str]:
        f = P.PetitionFilter(**kw)
        rows = P.list_petitions(office, f, limit=None)
        assert len(rows) == P.count_petitions(office, f)
        return {r["number"] for r in rows}

    s = {k: v["number"] for k, v in sample.items()}
    assert pick(due_within_days=3) == {s["b"]}
    assert pick(due_within_days=3, overdue=True) == {s["a"], s["b"], s["e"]}
    # due soon: within the office's petitions.due_soon_days (3), as the lists mark it
    assert pick(due_soon=True) == {s["b"]}
    assert pick(due_soon=True, overdue=True) == {s["a"], s["b"], s["e"]}
    assert numbers(P.list_petitions(office, P.PetitionFilter(due_soon=True, overdue=True))) == [
        s["a"], s["e"], s["b"]]  # by deadline
    assert pick(due_soon=True, due_within_days=20) == {s["b"], s["c"]}
    assert pick(village="西村") == {s["b"], s["c"]}
    assert pick(village="V03") == {s["d"]}
    assert pick(category="village_finances") == {s["b"]}
    assert pick(channel="letter") == {s["a"], s["e"]}
    assert pick(state="closed") == {s["d"]}
    assert pick(state="open") == {s["a"], s["b"], s["c"], s["e"]}
    assert pick(handler="李") == {s["d"], s["e"]}
    assert pick(search="宅基地") == {s["d"]}
    assert pick(search="韩梅") == {s["c"]}
    assert pick(search=s["b"]) == {s["b"]}
    assert pick(received_from=D(2026, 11, 1), received_to=D(2026, 11, 20)) == {s["a"], s["b"]}
    assert pick(repeat=True) == set()
    assert pick(repeat=False) == set(s.values())


def test_list_pages_from_the_database(office, sample):
    everything = numbers(P.list_petitions(office, limit=None))
    assert everything[0] == sample["c"]["number"]  # newest first
    pages = (numbers(P.list_petitions(office, limit=2, offset=0))
             + numbers(P.list_petitions(office, limit=2, offset=2))
             + numbers(P.list_petitions(office, limit=2, offset=4)))
    assert pages == everything and len(everything) == 5


@pytest.mark.parametrize(("kw", "field"), [
    ({"state": "lost"}, "state"),
    ({"channel": "fax"}, "channel"),
    ({"category": "x"}, "category"),
    ({"village": "nowhere"}, "village"),
    ({"due_within_days": -1}, "due_within_days"),
    ({"received_from": D(2026, 2, 1), "received_to": D(2026, 1, 1)}, "received_to"),
])
def test_bad_filters_are_validation_errors(office, sample, kw, field):
    with pytest.raises(ValidationError) as err:
        P.list_petitions(office, P.PetitionFilter(**kw))
    assert err.value.field == field


def test_personal_data_is_masked_until_revealed_and_the_reveal_is_journaled(office, sample):
    number = sample["b"]["number"]
    row = next(r for r in P.list_petitions(office) if r["number"] == number)
    assert row["petitioner_phone"] == "136****1234"
    shown = P.get_petition(office, number)
    assert shown["petitioners"][0]["phone"] == "136****1234"
    reveals = journal.entries(office, entity="petition")
    assert not any(e["action"] == "reveal" for e in reveals)
    full = P.get_petition(office, number, reveal=True)
    assert full["petitioners"][0]["phone"] == "13600001234"
    listed = P.list_petitions(office, P.PetitionFilter(village="V02"), reveal=True)
    assert {r["petitioner_phone"] for r in listed} == {"13600001234", "01088886666"}
    entries = [e for e in journal.entries(office, entity="petition") if e["action"] == "reveal"]
    assert [e["entity_id"] for e in entries] == [str(sample["b"]["id"]), "*"]
    assert sorted(entries[1]["after"]["ids"]) == sorted(r["id"] for r in listed)
    assert entries[0]["operator"] == "tester"


# --- report ----------------------------------------------------------------------------------

def test_report_figures_on_a_known_set(office, villages):
    # 东村: 4 petitions in the first half of 2026, none in the second; 西村 steady
    for month in (1, 2, 3, 4):
        reg(office, received_on=D(2026, month, 10), petitioners=[{"name": f"东{month}"}])
    for month in (2, 9):
        reg(office, received_on=D(2026, month, 12), village="V02", channel="letter",
            category="other", petitioners=[{"name": f"西{month}"}])
    on_time = reg(office, received_on=D(2026, 7, 1), village="V02",
                  petitioners=[{"name": "准时"}])
    handled(office, on_time["number"], accepted=D(2026, 7, 5), closed=D(2026, 8, 1))
    late = reg(office, received_on=D(2026, 8, 1), village="V02", petitioners=[{"name": "晚"}])
    P.accept(office, late["number"], on=D(2026, 8, 30))  # acceptance 14 days late
    # a repeat of 准时 (same name and phone? no phone: linked by the clerk)
    reg(office, received_on=D(2026, 9, 20), village="V02", repeat_of=on_time["number"],
        petitioners=[{"name": "准时"}])
    out = P.report(office, date_from=D(2026, 1, 1), date_to=D(2026, 12, 31))
    assert out["total"] == 9 and out["repeats"] == 1
    assert out["repeat_share"] == round(1 / 9, 4)
    assert out["months"][0] == "2026-01" and len(out["months"]) == 12
    assert {r["code"]: r["count"] for r in out["by_village"]} == {"东村": 4, "西村": 5}
    assert {r["code"]: r["count"] for r in out["by_channel"]} == {"visit": 7, "letter": 2}
    assert out["monthly"][1] == {"month": "2026-02", "total": 2,
                                 "by_village": {"东村": 1, "西村": 1},
                                 "by_category": {"land_demolition": 1, "other": 1},
                                 "by_channel": {"visit": 1, "letter": 1}}
    acceptance = next(r for r in out["on_time"] if r["kind"] == "acceptance")
    # met on time: 准时; late: 晚; overdue and never accepted: the other 7 (all before 11-12)
    assert (acceptance["met"], acceptance["late"], acceptance["overdue"]) == (1, 1, 7)
    assert acceptance["rate"] == round(1 / 9, 4)
    trend = {t["village"]: t for t in out["trend"]}
    assert (trend["东村"]["first_half"], trend["东村"]["second_half"]) == (4, 0)
    assert trend["东村"]["change_pct"] == -1.0 and trend["东村"]["falling_sharply"]
    assert (trend["西村"]["first_half"], trend["西村"]["second_half"]) == (1, 4)
    assert not trend["西村"]["falling_sharply"]
    assert out["trend"][0]["village"] == "东村"  # the sharpest fall first
    assert trend["南村"]["months"] == [0] * 12 and trend["南村"]["change_pct"] is None
    one = P.report(office, date_from=D(2026, 1, 1), date_to=D(2026, 12, 31), village="西村")
    assert one["total"] == 5 and [t["village"] for t in one["trend"]] == ["西村"]


def test_report_refuses_reversed_dates(office, villages):
    with pytest.raises(ValidationError):
        P.report(office, date_from=D(2026, 5, 1), date_to=D(2026, 4, 1))


def test_sample_office_shows_every_state_and_the_falling_village(office):
    import random

    from ledger.sample import members as member_sample
    from ledger.sample import petitions as petition_sample
    from ledger.sample import staff as staff_sample

    staff_sample.fill(office, random.Random(2015))  # the handlers
    member_sample.fill(office, random.Random(2015))  # the nine villages; tickets not needed
    petition_sample.fill(office, random.Random(2015))
    states = {s: P.count_petitions(office, P.PetitionFilter(state=s)) for s in P.STATES}
    assert all(states.values()), states
    assert P.count_petitions(office, P.PetitionFilter(overdue=True)) > 0
    assert P.count_petitions(office, P.PetitionFilter(repeat=True)) > 0
    assert P.count_petitions(office) > 200
    out = P.report(office)
    falling = [t["village"] for t in out["trend"] if t["falling_sharply"]]
    assert len(falling) == 1 and out["trend"][0]["village"] == falling[0]
    assert journal.verify(office).ok
