"""The decisions screen through Pilot: the list shows each decision's progress through the
seven stages, the waiting and vetoed keys filter it, and a decision's detail shows its
stages (a vetoed one: never after the veto), its refused meeting and its journal; the
assessment screen shows the ranking."""

from __future__ import annotations

from tui_helpers import run, wait_for

from ledger import assessment, decisions, villages
from tui.app import JiedaoApp
from tui.screens.assessment import AssessmentScreen
from tui.screens.decisions import DecisionDetailScreen, DecisionsScreen, progress_bar
from tui.widgets.filter_bar import FilterBar
from tui.widgets.timeline import Timeline

SIZE = (160, 50)
MEETING = {"present": 30, "entitled": 45, "votes_for": 16, "votes_against": 10,
           "votes_abstain": 4}


def _office(office):
    villages.add_village(office, name="许庄村", code="V01")
    done = decisions.propose(office, village="V01", subject="[bold]村东路[/]硬化",
                             proposal="硬化 800 米", present=5, entitled=5, on="2026-09-01")
    n = done["number"]
    decisions.deliberate(office, n, present=9, entitled=9, on="2026-09-02")
    decisions.members_review(office, n, on="2026-09-03", **MEETING)
    decisions.approve(office, n, on="2026-09-04")
    decisions.resolve(office, n, on="2026-09-05", **MEETING)
    decisions.publish(office, n, "resolution", place="村务公开栏", on="2026-09-06")
    vetoed = decisions.propose(office, village="V01", subject="出让基本农田",
                               proposal="出让", present=5, entitled=5, on="2026-10-01")
    decisions.deliberate(office, vetoed["number"], present=9, entitled=9, on="2026-10-02")
    try:
        decisions.members_review(office, vetoed["number"], present=20, entitled=45,
                                 votes_for=20, votes_against=0, votes_abstain=0,
                                 on="2026-10-03")
    except Exception:  # noqa: BLE001 - no quorum: kept as a refused meeting
        pass
    decisions.members_review(office, vetoed["number"], on="2026-10-04", **MEETING)
    decisions.veto(office, vetoed["number"], reason="违反土地管理法", on="2026-10-05")
    waiting = decisions.propose(office, village="V01", subject="集体厂房出租",
                                proposal="出租", present=5, entitled=5, on="2026-11-01")
    decisions.deliberate(office, waiting["number"], present=9, entitled=9, on="2026-11-02")
    decisions.members_review(office, waiting["number"], on="2026-11-03", **MEETING)
    return done["number"], vetoed["number"], waiting["number"]


def test_progress_marks():
    assert str(progress_bar({"progress": 6, "state": "resolution_published"})) == "●●●●●●◐ 6/7"
    assert str(progress_bar({"progress": 4, "state": "vetoed"})) == "●●●✕––– 4/7"
    assert str(progress_bar({"progress": 7, "state": "results_published"})) == "●●●●●●● 7/7"


def test_decisions_list_and_detail(sqlite_office):
    office = sqlite_office
    done, vetoed, waiting = _office(office)

    async def scenario() -> None:
        app = JiedaoApp(office)
        async with app.run_test(size=SIZE) as pilot:
            await pilot.press("f9")
            await wait_for(pilot, lambda: isinstance(app.screen, DecisionsScreen)
                           and app.screen.query(FilterBar) and len(app.screen.table.rows) == 3,
                           what="decisions list")
            screen = app.screen
            rows = {r["number"]: r for r in screen.table.rows}
            assert str(progress_bar(rows[vetoed])).startswith("●●●✕")
            assert rows[done]["subject"] == "[bold]村东路[/]硬化"  # shown literally
            await pilot.press("w")
            await wait_for(pilot, lambda: [r["number"] for r in screen.table.rows] == [waiting],
                           what="waiting on the subdistrict")
            await pilot.press("v")  # the same state filter: vetoed replaces waiting
            await wait_for(pilot, lambda: [r["number"] for r in screen.table.rows] == [vetoed],
                           what="vetoed only")
            await pilot.press("enter")
            await wait_for(pilot, lambda: isinstance(app.screen, DecisionDetailScreen)
                           and app.screen.record is not None, what="detail")
            detail = app.screen
            stages = detail.stage_texts()
            assert len(stages) == 7
            assert "vetoed" in stages[3] and "2026-10-05" in stages[3]
            assert all("never" in s for s in stages[4:])
            outcomes = [s["outcome"] for s in detail.record["steps"]]
            assert outcomes == ["proposed", "done", "refused", "passed", "vetoed"]
            timeline = detail.query_one("#record-timeline", Timeline)
            await wait_for(pilot, lambda: len(timeline.entries) == 5, what="timeline")
            await pilot.press("escape")
            await wait_for(pilot, lambda: app.screen is screen, what="back to the list")

    run(scenario())


def test_assessment_screen_ranks_the_villages(sqlite_office):
    office = sqlite_office
    villages.add_village(office, name="许庄村", code="V01")
    villages.add_village(office, name="东王村", code="V02")
    assessment.create_scheme(office, 2025)
    assessment.score(office, year=2025, village="V02", goal="party_building", points=20,
                     note="好")

    async def scenario() -> None:
        app = JiedaoApp(office)
        async with app.run_test(size=SIZE) as pilot:
            await pilot.press("f10")
            await wait_for(pilot, lambda: isinstance(app.screen, AssessmentScreen)
                           and app.screen.report is not None, what="assessment")
            screen = app.screen
            assert screen.year == 2025
            order = [r["village_code"] for r in screen.report["villages"]]
            assert order == ["V02", "V01"]
            table = screen.query_one("#assess-ranking")
            assert table.row_count == 2

    run(scenario())


def test_propose_and_take_every_step_from_the_app(sqlite_office):
    from tui_helpers import fill, take_step

    from tui.widgets.form import FormScreen

    office = sqlite_office
    villages.add_village(office, name="许庄村", code="V01")

    async def step(app, pilot, key: str, values: dict, state: str) -> None:
        await take_step(app, pilot, key, values, lambda d: d["state"] == state,
                        what=f"state {state}")

    async def scenario() -> None:
        app = JiedaoApp(office)
        async with app.run_test(size=SIZE) as pilot:
            await pilot.press("f9")
            await wait_for(pilot, lambda: isinstance(app.screen, DecisionsScreen)
                           and app.screen.query(FilterBar), what="decisions screen")
            screen = app.screen
            await pilot.press("a")
            await wait_for(pilot, lambda: isinstance(app.screen, FormScreen), what="form")
            form = app.screen.form
            fill(form, {"village": "V01", "subject": "村东路硬化", "proposal": "硬化 800 米",
                        "amount": "12.345", "present": "5", "entitled": "5"})
            await pilot.press("ctrl+s")
            await wait_for(pilot, lambda: form.error_text("amount"), what="amount error")
            assert decisions.count_decisions(office) == 0
            fill(form, {"amount": "120000", "on": "2026-11-01"})
            await pilot.press("ctrl+s")
            await wait_for(pilot, lambda: app.screen is screen and screen.table.rows,
                           what="proposed")
            await pilot.press("enter")
            await wait_for(pilot, lambda: isinstance(app.screen, DecisionDetailScreen)
                           and app.screen.record is not None, what="detail")
            detail = app.screen
            # out of order: the key is refused with a notice, no form
            await pilot.press("m")
            await pilot.pause(0.1)
            assert app.screen is detail
            await step(app, pilot, "c", {"present": "9", "entitled": "9",
                                         "on": "2026-11-02"}, "deliberated")
            # no quorum: the form stays open with a notice naming the numbers
            await pilot.press("m")
            await wait_for(pilot, lambda: isinstance(app.screen, FormScreen), what="m form")
            fill(app.screen.form, {"present": "20", "entitled": "45", "votes_for": "20",
                                   "votes_against": "0", "votes_abstain": "0"})
            await pilot.press("ctrl+s")
            await wait_for(pilot, lambda: decisions.get_decision(
                office, detail.record["number"])["steps"][-1]["outcome"] == "refused",
                what="refused meeting")
            assert isinstance(app.screen, FormScreen)
            fill(app.screen.form, {"present": "30", "votes_for": "16", "votes_against": "10",
                                   "votes_abstain": "4"})
            await pilot.press("ctrl+s")
            await wait_for(pilot, lambda: app.screen is detail
                           and detail.record["state"] == "reviewed", what="reviewed")
            await step(app, pilot, "a", {}, "approved")
            await step(app, pilot, "r", {"meeting": "representatives", "present": "20",
                                         "entitled": "30", "votes_for": "11",
                                         "votes_against": "6", "votes_abstain": "3"},
                       "resolved")
            await step(app, pilot, "p", {"place": "村务公开栏"}, "resolution_published")
            await step(app, pilot, "o", {"place": "村民微信群"}, "results_published")
            assert all("done" in s for s in detail.stage_texts())

    run(scenario())


def test_veto_from_the_app_asks_first_and_ends_the_decision(sqlite_office):
    from tui_helpers import fill

    from tui.widgets.confirm import ConfirmDialog
    from tui.widgets.form import FormScreen

    office = sqlite_office
    villages.add_village(office, name="许庄村", code="V01")
    d = decisions.propose(office, village="V01", subject="出让集体土地", proposal="出让",
                          present=5, entitled=5, on="2026-11-01")
    decisions.deliberate(office, d["number"], present=9, entitled=9, on="2026-11-02")
    decisions.members_review(office, d["number"], on="2026-11-03", **MEETING)

    async def scenario() -> None:
        app = JiedaoApp(office)
        async with app.run_test(size=SIZE) as pilot:
            app.push_screen(DecisionDetailScreen(office, d["number"]))
            await wait_for(pilot, lambda: isinstance(app.screen, DecisionDetailScreen)
                           and app.screen.record is not None, what="detail")
            detail = app.screen
            await pilot.press("x")
            await wait_for(pilot, lambda: isinstance(app.screen, FormScreen), what="form")
            fill(app.screen.form, {"reason": "违反土地管理法"})
            await pilot.press("ctrl+s")
            await wait_for(pilot, lambda: isinstance(app.screen, ConfirmDialog),
                           what="confirmation")
            await pilot.press("y")
            await wait_for(pilot, lambda: app.screen is detail
                           and detail.record["state"] == "vetoed", what="vetoed")
            # nothing follows a veto: the key is refused, no form
            await pilot.press("r")
            await pilot.pause(0.1)
            assert app.screen is detail

    run(scenario())
    assert decisions.get_decision(office, d["number"])["veto_reason"] == "违反土地管理法"
