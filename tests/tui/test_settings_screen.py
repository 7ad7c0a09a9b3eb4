"""The settings screen: language (relabels the app at once), theme, operator, database;
language and theme are saved in the settings file and used by the next start."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import Select, Static
from tui_helpers import run, wait_for

from ledger import i18n
from ledger.config import load_settings
from ledger.office import Office
from tui.app import JiedaoApp
from tui.screens.dashboard import DashboardScreen
from tui.screens.settings import SettingsScreen
from tui.widgets.palette import ActionsProvider

SIZE = (120, 36)


@pytest.fixture
def config_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The user's settings folder, in tmp: the office's settings come from no file."""
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    return tmp_path / "config" / "jiedao-ledger" / "config.toml"


def footer_text(app: JiedaoApp) -> dict[str, str]:
    """What each key of the screen on display is called (in the footer, or, for a key the
    footer leaves out, in the help screen and the sidebar)."""
    return {key: binding.description for key, (_node, binding, _on, _tip)
            in app.screen.active_bindings.items()}


async def palette(screen) -> dict[str, object]:
    return {str(hit.display): hit async for hit in ActionsProvider(screen).discover()}


async def open_settings(app: JiedaoApp, pilot, *, key: str | None = "f12") -> SettingsScreen:
    if key:
        await pilot.press(key)
    await wait_for(pilot, lambda: isinstance(app.screen, SettingsScreen)
                   and app.screen.database is not None, what="settings")
    screen = app.screen
    assert isinstance(screen, SettingsScreen)
    return screen


def test_switching_the_language_relabels_the_app_at_once_and_is_saved(sqlite_office,
                                                                       config_home):
    async def scenario() -> None:
        app = JiedaoApp(sqlite_office)
        async with app.run_test(size=SIZE) as pilot:
            await wait_for(pilot, lambda: isinstance(app.screen, DashboardScreen), what="dash")
            # The palette reaches the screen too.
            app.call_later((await palette(app.screen))["Settings"].command)
            screen = await open_settings(app, pilot, key=None)
            assert screen.title == "Settings" and app.title == "Subdistrict ledger"
            assert footer_text(app)["f2"] == "Overview"
            screen.query_one("#settings-language", Select).value = "zh"
            await wait_for(pilot, lambda: app.screen.title == "设置", what="relabelled")
            assert i18n.get_language() == "zh"
            assert app.title == "街道台账"
            await wait_for(pilot, lambda: footer_text(app).get("f2") == "概览", what="footer")
            assert footer_text(app)["f12"] == "设置"
            assert {"设置", "概览", "两委成员"} <= set(await palette(app.screen))
            headings = [str(s.content) for s in app.screen.query(".settings-heading")]
            assert "操作人" in headings and "所用数据库" in headings
            # Another screen is built anew, in the new language.
            await pilot.press("f2")
            await wait_for(pilot, lambda: isinstance(app.screen, DashboardScreen),
                           what="dashboard")
            assert app.screen.title == "概览"
            assert footer_text(app)["f3"] == "两委成员"
        assert 'language = "zh"' in config_home.read_text(encoding="utf-8")

    run(scenario())


def test_the_theme_switches_and_is_saved(sqlite_office, config_home):
    async def scenario() -> None:
        app = JiedaoApp(sqlite_office)
        async with app.run_test(size=SIZE) as pilot:
            screen = await open_settings(app, pilot)
            assert app.theme == "textual-dark"
            themes = screen.query_one("#settings-theme", Select)
            assert themes.value == "textual-dark"
            themes.value = "textual-light"
            await wait_for(pilot, lambda: app.theme == "textual-light", what="theme")
            assert not app.current_theme.dark
        assert load_settings(config_home)["tui.theme"] == "textual-light"

    run(scenario())


def test_the_next_start_uses_the_saved_language_and_theme(sqlite_office, config_home):
    config_home.parent.mkdir(parents=True)
    config_home.write_text('# mine\n[tui]\nlanguage = "zh"\ntheme = "textual-light"\n',
                           encoding="utf-8")
    settings = load_settings(config_home)
    office = Office(sqlite_office.db, sqlite_office.url, settings, "tester",
                    sqlite_office.clock)

    async def scenario() -> None:
        app = JiedaoApp(office)
        async with app.run_test(size=SIZE) as pilot:
            await wait_for(pilot, lambda: isinstance(app.screen, DashboardScreen), what="dash")
            assert app.title == "街道台账" and app.screen.title == "概览"
            assert app.theme == "textual-light"

    run(scenario())
    # --lang (or JIEDAO_LANG) at start wins over the saved language.
    i18n.set_language("en")
    flagged = settings.with_overrides({"office.language": "en"}, "--lang")
    office = Office(sqlite_office.db, sqlite_office.url, flagged, "tester", sqlite_office.clock)
    app = JiedaoApp(office)
    assert app.title == "Subdistrict ledger" and i18n.get_language() == "en"


def test_the_screen_shows_the_operator_and_the_database(sqlite_office, config_home):
    async def scenario() -> None:
        app = JiedaoApp(sqlite_office)
        async with app.run_test(size=SIZE) as pilot:
            screen = await open_settings(app, pilot)
            assert str(screen.query_one("#settings-operator", Static).content) == "tester"
            database = str(screen.query_one("#settings-database", Static).content)
            assert sqlite_office.url in database
            assert "Schema version: " in database and "Size: " in database and "KB" in database

    run(scenario())


def test_a_theme_chosen_in_the_palette_is_saved_and_shown_in_the_settings(sqlite_office,
                                                                           config_home):
    async def scenario() -> None:
        app = JiedaoApp(sqlite_office)
        async with app.run_test(size=SIZE) as pilot:
            screen = await open_settings(app, pilot)
            await pilot.press("f2")
            app.theme = "textual-light"  # what the palette's theme command does
            await pilot.pause()
            assert load_settings(config_home)["tui.theme"] == "textual-light"
            await pilot.press("f12")
            await wait_for(pilot, lambda: app.screen is screen
                           and screen.query_one("#settings-theme", Select).value
                           == "textual-light", what="the settings showing the theme")

    run(scenario())
