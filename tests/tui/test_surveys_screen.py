"""The surveys screen through Pilot: reached with F11 and from the dashboard, the list by
village and year with each survey's shares and the matching surveys summed, the add form
showing ledger's refusals beside their fields, and editing a survey from its record."""

from __future__ import annotations

from textual.widgets import Static
from tui_helpers import fill, run, wait_for

from ledger import surveys
from tui.app import JiedaoApp
from tui.screens.dashboard import DashboardScreen
from tui.screens.surveys import SurveyScreen, SurveysScreen
from tui.widgets.filter_bar import FilterBar
from tui.widgets.form import FormScreen

SIZE = (170, 50)


def _surveys(office) -> None:
    surveys.add_survey(office, village="V01", surveyed_on="2025-06-30", satisfied=80,
                       basically_satisfied=15, dissatisfied=5, comments="[b]路灯[/b]不亮")
    surveys.add_survey(office, village="V02", surveyed_on="2026-03-31", satisfied=30,
                       basically_satisfied=20)
    surveys.add_survey(office, village="V01", surveyed_on="2026-09-30", satisfied=10,
                       basically_satisfied=5, dissatisfied=5)


def _cells(screen: SurveysScreen) -> list[list[str]]:
    table = screen.table.table
    return [[str(table.get_cell_at((r, c))) for c in range(len(table.columns))]
            for r in range(table.row_count)]


def test_list_filters_and_sums(small_office):
    office = small_office
    _surveys(office)

    async def scenario() -> None:
        app = JiedaoApp(office)
        async with app.run_test(size=SIZE) as pilot:
            await wait_for(pilot, lambda: isinstance(app.screen, DashboardScreen),
                           what="dashboard")
            await pilot.press("u")  # the dashboard's letter for surveys
            await wait_for(pilot, lambda: isinstance(app.screen, SurveysScreen)
                           and app.screen.table.pager.total == 3, what="surveys")
            screen = app.screen
            await pilot.press("f2")
            await wait_for(pilot, lambda: isinstance(app.screen, DashboardScreen), what="back")
            await pilot.press("f11")
            await wait_for(pilot, lambda: app.screen is screen, what="F11")
            rows = _cells(screen)
            assert rows[0][:7] == ["2026-09-30", "许庄村", "10", "5", "5", "20", "50.0%"]
            assert rows[2][-1] == "[b]路灯[/b]不亮"  # residents' text, literal
            await wait_for(pilot, lambda: screen.totals is not None
                           and screen.totals["surveys"] == 3, what="totals")
            # Filter: 2026 and 许庄村 -> one survey, and the sums follow.
            await wait_for(pilot, lambda: screen.query(FilterBar), what="filter bar")
            screen.toggle_filter("year", 2026)
            await wait_for(pilot, lambda: screen.table.pager.total == 2, what="2026")
            screen.toggle_filter("village", "V01")
            await wait_for(pilot, lambda: screen.table.pager.total == 1
                           and screen.totals["surveys"] == 1, what="2026 V01")
            text = str(screen.query_one("#surveys-totals", Static).content)
            assert "20 respondents" in text and "score 62.5%" in text

    run(scenario())


def test_add_with_errors_beside_fields_then_edit(small_office):
    office = small_office

    async def scenario() -> None:
        app = JiedaoApp(office)
        async with app.run_test(size=SIZE) as pilot:
            await pilot.press("f11")
            await wait_for(pilot, lambda: isinstance(app.screen, SurveysScreen)
                           and app.screen.villages, what="surveys and villages")
            screen = app.screen
            await pilot.press("a")
            await wait_for(pilot, lambda: isinstance(app.screen, FormScreen), what="add form")
            form = app.screen.form
            fill(form, {"village": "V02", "surveyed_on": "2026-11-20", "satisfied": "many"})
            await pilot.press("ctrl+s")
            await wait_for(pilot, lambda: form.error_text("satisfied"), what="count error")
            assert surveys.count_surveys(office) == 0
            fill(form, {"satisfied": "0"})
            await pilot.press("ctrl+s")
            await wait_for(pilot, lambda: "respondent" in form.error_text("satisfied"),
                           what="nobody answered")
            fill(form, {"surveyed_on": "2026-12-01", "satisfied": "40",
                        "basically_satisfied": "8", "dissatisfied": "2",
                        "comments": "办事快"})
            await pilot.press("ctrl+s")
            await wait_for(pilot, lambda: "after today" in form.error_text("surveyed_on"),
                           what="a day in the future")
            fill(form, {"surveyed_on": "2026-11-20"})
            await pilot.press("ctrl+s")
            await wait_for(pilot, lambda: isinstance(app.screen, SurveysScreen)
                           and screen.table.pager.total == 1, what="saved")
            saved = surveys.list_surveys(office)[0]
            assert (saved["village_code"], saved["respondents"], saved["comments"]) == (
                "V02", 50, "办事快")
            # Its record, and an edit there: only the changed count is sent.
            await pilot.press("enter")
            await wait_for(pilot, lambda: isinstance(app.screen, SurveyScreen)
                           and app.screen.record is not None, what="record")
            await pilot.press("e")
            await wait_for(pilot, lambda: isinstance(app.screen, FormScreen), what="edit form")
            assert app.screen.form.widget_for("satisfied").value == "40"
            fill(app.screen.form, {"dissatisfied": "12"})
            await pilot.press("ctrl+s")
            await wait_for(pilot, lambda: isinstance(app.screen, SurveyScreen)
                           and app.screen.record["respondents"] == 60, what="edited")
            edited = surveys.get_survey(office, saved["id"])
            assert (edited["dissatisfied"], edited["version"]) == (12, 2)

    run(scenario())
