"""The app shell: screens from the registry, app-wide keys, the command palette.

``run_app(office)`` is what ``jiedao`` (no command) calls once the command line has opened
the office and chosen the language. Each registered screen is a Textual *mode*, so switching
between areas keeps each one's place (its filters, its page, an open detail).
"""

from __future__ import annotations

import sys
from collections.abc import Iterable
from functools import partial
from typing import Any, ClassVar

from textual.app import App, SystemCommand
from textual.notifications import SeverityLevel
from textual.screen import Screen

from ledger import db
from ledger.errors import ConfigError
from ledger.i18n import t
from ledger.office import Office
from tui import preferences, screens
from tui.bindings import Translated, bind
from tui.dbwork import DatabaseThread
from tui.records import RecordsProvider
from tui.widgets.palette import ActionsProvider

SWITCH_INTERVAL = 0.001  # seconds; see JiedaoApp.__init__


class JiedaoApp(Translated, App[None]):
    """The records of one office. ``office`` is open already; the app never closes it."""

    CSS_PATH = "app.tcss"
    COMMANDS: ClassVar[set[Any]] = App.COMMANDS | {ActionsProvider, RecordsProvider}

    BINDINGS = [
        # In the help (?) and the palette; the footer keeps its room for the screen's keys.
        bind("ctrl+q", "quit", "tui.key.quit", priority=True, show=False),
        # Hidden: the footer shows the palette key at its right edge already.
        bind("ctrl+p", "command_palette", "tui.key.palette", priority=True, show=False),
    ]

    def __init__(self, office: Office, *, start: str = "dashboard") -> None:
        preferences.apply_language(office.settings)  # before any text is translated
        # The database thread needs the interpreter for a moment a dozen times a ledger call,
        # and waited up to 5 ms (Python's default hand-over) each time while the screen drew:
        # the dashboard's figures came 50-80 ms later than their queries took.
        sys.setswitchinterval(SWITCH_INTERVAL)
        super().__init__()
        theme = office.settings[preferences.APP_THEME]
        if theme in self.available_themes:
            self.theme = theme
        self.office = office
        self.db_thread = DatabaseThread()
        self.db_thread.start(lambda: db.limit_cache(office.db))
        self.start = start
        self.title = t("tui.app.title")
        self.sub_title = str(office.settings["office.name"])
        self.entries = screens.SCREENS
        self._prepared = False
        for entry in self.entries:
            self.add_mode(entry.key, self._factory(entry))
            # Past F11 a screen has no key of its own (palette, dashboard, sidebar). Hidden
            # from the footer (ten of them fill 100 columns): the sidebar (Ctrl+B) and the
            # help (?) list them.
            if entry.binding:
                self.add_binding(entry.binding, f"show({entry.key!r})", t(entry.title_key),
                                 show=False)

    async def relabel(self) -> None:
        """After a language switch: the app's own texts at once, and every screen but the
        one on display built anew when next shown (it relabels itself)."""
        self.title = t("tui.app.title")
        self.retranslate()
        for entry in self.entries:
            self.add_binding(entry.binding, f"show({entry.key!r})", t(entry.title_key))
            if entry.key != self.current_mode:
                await self.remove_mode(entry.key)
                self.add_mode(entry.key, self._factory(entry))

    def _factory(self, entry: screens.ScreenEntry) -> Any:
        office = self.office

        def build() -> Screen[Any]:
            screen_class: Any = screens.load(entry)  # a LedgerScreen: built with the office
            screen: Screen[Any] = screen_class(office)
            # A screen built now is styled as it mounts, with the stylesheet as it is now.
            # Textual counts it as behind every CSS change since the app started and so
            # restyles the whole app, twice, on its first visit (40 ms of a first page
            # that should come in 300). A theme change still reaches it: that counts anew.
            screen._css_update_count = self._css_update_count
            return screen

        return build

    def on_mount(self) -> None:
        keys = [entry.key for entry in self.entries]
        if keys:
            self.switch_mode(self.start if self.start in keys else keys[0])

    def prepare(self) -> None:
        """Import every screen's module in the background, once: called when the first
        screen has painted, so the first visit to an area does not wait for its import
        and the app's first frame did not wait for all of them."""
        if self._prepared:
            return
        self._prepared = True

        def work() -> None:
            for entry in self.entries:
                screens.load(entry)

        self.run_worker(work, thread=True, group="prepare", exit_on_error=False)

    def watch_theme(self, theme: str) -> None:
        """However the clerk chose it (the settings screen, the palette's theme command), a
        theme is saved for the next start."""
        office = getattr(self, "office", None)  # None while __init__ applies the saved one
        if office is None or not self.is_running or theme == office.settings[preferences.APP_THEME]:
            return
        try:
            preferences.save(office, theme=theme)
        except ConfigError as err:
            self.notify(err.message(), severity="error")

    def on_unmount(self) -> None:
        # The office stays open (its owner closes it); the app's own connection goes.
        self.db_thread.close(self.office.db)

    def get_system_commands(self, screen: Screen[Any]) -> Iterable[SystemCommand]:
        """Textual's own palette commands, in the clerk's language (quit is a binding)."""
        yield SystemCommand(t("tui.cmd.keys"), t("tui.cmd.keys_help"),
                            self.action_show_help_panel)
        yield SystemCommand(t("tui.cmd.theme"), t("tui.cmd.theme_help"),
                            self.action_change_theme)
        # A screen without a key of its own (past F11) is reached here by its name.
        for entry in self.entries:
            if not entry.binding:
                yield SystemCommand(t(entry.title_key), t("tui.cmd.screen_help"),
                                    partial(self.action_show, entry.key))

    def notify(self, message: str, *, title: str = "", severity: SeverityLevel = "information",
               timeout: float | None = None, markup: bool = False) -> None:
        """A notification, always plain text: messages quote what clerks typed (a name with
        ``[/]`` in it), and none of ours is written in markup."""
        super().notify(message, title=title, severity=severity, timeout=timeout, markup=False)

    def action_show(self, key: str) -> None:
        """Switch to the registered screen ``key`` (a mode: it keeps its own state)."""
        if any(entry.key == key for entry in self.entries):
            if self.current_mode != key:
                self.switch_mode(key)
        else:
            self.notify(t("tui.screen.missing"), severity="warning", markup=False)

    def show_filtered(self, key: str, **filters: Any) -> None:
        """Switch to the list ``key`` showing exactly ``filters`` (the filter bar's names and
        values; the others back at their defaults): what a dashboard figure opens."""
        self.action_show(key)
        if self.current_mode != key:
            return
        # The mode's list is the bottom of its stack (a record opened there stays on top).
        apply = getattr(self.screen_stack[0], "apply_filters", None)
        if apply is not None:
            apply(filters)


def run_app(office: Office) -> None:
    """Open the app on ``office`` and return when the clerk quits."""
    JiedaoApp(office).run()
