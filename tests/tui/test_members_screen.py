"""The members screen driven through Pilot: search, detail with timeline, add with a wrong ID
number then fixed, end a term through the confirmation dialog."""

from __future__ import annotations

from textual.widgets import Input, Select
from tui_helpers import id_number, run, wait_for, wrong_checksum

from ledger import journal, members
from ledger.people import mask_id_number
from tui.app import JiedaoApp
from tui.screens.base import RecordScreen
from tui.screens.members import MemberDetailScreen, MembersScreen
from tui.widgets.confirm import ConfirmDialog
from tui.widgets.detail import DetailView
from tui.widgets.filter_bar import FilterBar
from tui.widgets.form import FormScreen
from tui.widgets.timeline import Timeline

SIZE = (140, 45)


async def open_members(app: JiedaoApp, pilot) -> MembersScreen:
    await pilot.press("f3")
    await wait_for(pilot, lambda: isinstance(app.screen, MembersScreen), what="members screen")
    screen = app.screen
    assert isinstance(screen, MembersScreen)
    await wait_for(pilot, lambda: screen.table.pager.total and screen.query(FilterBar),
                   what="first page and filters")
    return screen


def names(screen: MembersScreen) -> list[str]:
    return [row["name"] for row in screen.table.rows]


def test_search_by_pinyin_initials_and_open_a_members_detail(small_office):
    async def scenario() -> None:
        app = JiedaoApp(small_office)
        async with app.run_test(size=SIZE) as pilot:
            screen = await open_members(app, pilot)
            # Active members only by default: 张旧 left office.
            assert sorted(names(screen)) == sorted(["许少伟", "李红", "王建国"])
            await pilot.press("slash", *"xsw")
            assert not screen.table.table.has_focus  # typing went to the search box
            await pilot.press("escape")
            assert screen.table.table.has_focus  # Escape goes back to the list
            await pilot.press("slash", "enter")
            await wait_for(pilot, lambda: names(screen) == ["许少伟"], what="search result")
            assert screen.table.table.has_focus  # Enter moved to the list
            await pilot.press("enter")
            await wait_for(pilot, lambda: isinstance(app.screen, MemberDetailScreen)
                           and app.screen.member is not None, what="detail")
            detail = app.screen
            fields = detail.query_one(DetailView)
            assert fields.value_text("posts") == "branch secretary"
            full = id_number("19700304", "111")
            assert fields.value_text("id_number") == mask_id_number(full)
            timeline = detail.query_one(Timeline)
            text = str(timeline.render())
            assert "member created" in text and "term created" in text
            assert "education: bachelor" in text
            # Reveal: the full number, and ledger journals that it was shown.
            await pilot.press("r")
            await wait_for(pilot, lambda: fields.value_text("id_number") == full,
                           what="revealed")
            await wait_for(pilot, lambda: "revealed personal data" in str(timeline.render()),
                           what="reveal in the timeline")
            await pilot.press("escape")
            await wait_for(pilot, lambda: app.screen is screen, what="back to the list")

    run(scenario())


def test_add_member_shows_the_id_error_beside_the_field_then_saves(small_office):
    good = id_number("19900101", "333")

    async def scenario() -> None:
        app = JiedaoApp(small_office)
        async with app.run_test(size=SIZE) as pilot:
            screen = await open_members(app, pilot)
            await pilot.press("a")
            await wait_for(pilot, lambda: isinstance(app.screen, FormScreen), what="form")
            form = app.screen.form
            form.widget_for("name").value = "赵明"
            form.widget_for("village").value = "V02"
            form.widget_for("post").value = "deputy_director"
            id_input = form.widget_for("id_number")
            assert isinstance(id_input, Input)
            id_input.value = wrong_checksum(good)
            await pilot.press("ctrl+s")
            await wait_for(pilot, lambda: form.error_text("id_number"), what="the id error")
            assert form.error_text("id_number") == "the ID number's check digit is wrong"
            assert id_input.has_focus
            assert form.error_text("name") == ""
            assert isinstance(app.screen, FormScreen)  # still open, nothing stored
            assert members.count_members(small_office, members.MemberFilter(search="赵明")) == 0

            id_input.value = good
            await pilot.press("ctrl+s")
            await wait_for(pilot, lambda: app.screen is screen, what="form closed")
            await wait_for(pilot, lambda: "赵明" in names(screen), what="new member listed")
            assert screen.table.current_row["name"] == "赵明"  # the cursor is on it

        added = members.list_members(small_office, members.MemberFilter(search="zm"))
        assert [m["name"] for m in added] == ["赵明"]
        assert added[0]["posts"] == ["deputy_director"]
        history = journal.history(small_office, "member", added[0]["id"])
        assert [e["action"] for e in history] == ["create"]
        assert history[0]["operator"] == "tester"

    run(scenario())


def test_end_a_term_asks_for_confirmation_first(small_office):
    async def scenario() -> None:
        app = JiedaoApp(small_office)
        async with app.run_test(size=SIZE) as pilot:
            screen = await open_members(app, pilot)
            await pilot.press("slash", *"lh", "enter")
            await wait_for(pilot, lambda: names(screen) == ["李红"], what="李红")
            await pilot.press("x")
            await wait_for(pilot, lambda: isinstance(app.screen, FormScreen), what="end form")
            form = app.screen.form
            # Her only post is chosen already.
            assert form.widget_for("post").value == "committee_member"
            form.widget_for("ended_on").value = "2026-11-20"
            form.widget_for("end_reason").value = "moved away"
            await pilot.press("ctrl+s")
            await wait_for(pilot, lambda: isinstance(app.screen, ConfirmDialog), what="dialog")
            assert "2026-11-20" in app.screen.question
            await pilot.press("n")  # cancelled: nothing happens
            await wait_for(pilot, lambda: isinstance(app.screen, FormScreen), what="form again")
            assert members.get_member(small_office, screen.table.current_row["id"])["active"]
            await pilot.press("ctrl+s")
            await wait_for(pilot, lambda: isinstance(app.screen, ConfirmDialog), what="dialog")
            await pilot.press("y")
            await wait_for(pilot, lambda: app.screen is screen, what="back to the list")
            # She left office, so the default "in office" list no longer shows her.
            await wait_for(pilot, lambda: names(screen) == [] or screen.table.pager.total == 0,
                           what="list refreshed")
            status = screen.query_one("#filter-status", Select)
            status.value = "left"
            await wait_for(pilot, lambda: names(screen) == ["李红"], what="in the left list")

        (person,) = members.list_members(small_office, members.MemberFilter(active=False,
                                                                            search="李红"))
        term = members.get_member(small_office, person["id"])["terms"][0]
        assert (str(term["ended_on"]), term["end_reason"]) == ("2026-11-20", "moved away")
        assert journal.history(small_office, "term", term["id"])[-1]["action"] == "end"

    run(scenario())


def test_a_second_post_from_the_list_secretary_and_director_in_one_person(small_office):
    async def scenario() -> None:
        app = JiedaoApp(small_office)
        async with app.run_test(size=SIZE) as pilot:
            screen = await open_members(app, pilot)
            await pilot.press("slash", *"wjg", "enter")
            await wait_for(pilot, lambda: names(screen) == ["王建国"], what="王建国")
            await pilot.press("p")
            await wait_for(pilot, lambda: isinstance(app.screen, FormScreen), what="post form")
            await pilot.press("ctrl+s")  # no post chosen: marked, nothing asked of ledger
            form = app.screen.form
            await wait_for(pilot, lambda: form.error_text("post"), what="required post")
            assert form.error_text("post") == "is required"
            form.widget_for("post").value = "branch_secretary"
            await pilot.press("ctrl+s")
            await wait_for(pilot, lambda: app.screen is screen, what="form closed")
            await wait_for(pilot, lambda: screen.table.rows[0]["posts"] == [
                "branch_secretary", "committee_director"], what="both posts listed")

    run(scenario())


def test_search_and_add_on_every_backend(small_office_any_backend):
    """The app's database thread works on PostgreSQL as on SQLite (its own connection)."""
    office = small_office_any_backend

    async def scenario() -> None:
        app = JiedaoApp(office)
        async with app.run_test(size=SIZE) as pilot:
            screen = await open_members(app, pilot)
            await pilot.press("slash", *"wjg", "enter")
            await wait_for(pilot, lambda: names(screen) == ["王建国"], what="search")
            await pilot.press("a")
            await wait_for(pilot, lambda: isinstance(app.screen, FormScreen), what="form")
            form = app.screen.form
            form.widget_for("name").value = "钱七"
            form.widget_for("village").value = "V01"
            form.widget_for("post").value = "branch_member"
            await pilot.press("ctrl+s")
            await wait_for(pilot, lambda: app.screen is screen, what="saved")
        # The main thread's connection sees what the app's thread committed.
        assert members.count_members(office, members.MemberFilter(search="qq")) == 1

    run(scenario())


def test_a_members_detail_is_loaded_once_when_opened(small_office, monkeypatch):
    """Opening a detail loads the record once. (Textual runs the ``on_mount`` of every class
    of a screen, so a screen whose ``on_mount`` also called its base's loaded twice: the
    second worker cancelled the first, or both read the database.)"""
    loads: list[str] = []
    reload = RecordScreen.reload

    def counting(self, **kwargs):
        loads.append(type(self).__name__)
        return reload(self, **kwargs)

    monkeypatch.setattr(RecordScreen, "reload", counting)

    async def scenario() -> None:
        app = JiedaoApp(small_office)
        async with app.run_test(size=SIZE) as pilot:
            screen = await open_members(app, pilot)
            await pilot.press("enter")
            await wait_for(pilot, lambda: isinstance(app.screen, MemberDetailScreen)
                           and app.screen.member is not None
                           and app.screen.query_one("#member-terms").row_count,
                           what="detail with its terms")
            await pilot.pause(0.2)
            assert loads == ["MemberDetailScreen"]
            await pilot.press("escape")
            await wait_for(pilot, lambda: app.screen is screen, what="back to the list")

    run(scenario())


def test_the_timeline_follows_the_reveal(small_office):
    """Masked like the fields at first; after Reveal the journaled phone shows in full there
    too (the timeline is built by ledger with the screen's reveal, not masked again)."""
    member = members.list_members(small_office, members.MemberFilter(search="许少伟"))[0]

    async def scenario() -> None:
        app = JiedaoApp(small_office)
        async with app.run_test(size=SIZE) as pilot:
            app.push_screen(MemberDetailScreen(small_office, member["id"]))
            await wait_for(pilot, lambda: isinstance(app.screen, MemberDetailScreen)
                           and app.screen.member is not None, what="detail")
            timeline = app.screen.query_one(Timeline)
            await wait_for(pilot, lambda: "139****5678" in str(timeline.render()),
                           what="the masked phone in the timeline")
            assert "13912345678" not in str(timeline.render())
            await pilot.press("r")
            await wait_for(pilot, lambda: "13912345678" in str(timeline.render()),
                           what="the phone in full after the reveal")

    run(scenario())
