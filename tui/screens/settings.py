"""Settings (设置): the app's language and theme, the operator, the database in use.

Language and theme apply at once and are saved in the settings file (``tui.language``,
``tui.theme``) for the next start. A language switch relabels the app: its own texts and
this screen at once, every other screen built anew when next shown.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Select, Static

from ledger import display, i18n, schema
from ledger.errors import ConfigError
from ledger.i18n import t
from tui import preferences
from tui.screens.base import LedgerScreen

if TYPE_CHECKING:
    from ledger.office import Office

# Each language named in itself: a clerk who cannot read the current one still finds hers.
LANGUAGES = (("中文", "zh"), ("English", "en"))


class Caption(Static):
    """A text of the catalogue, shown again in the new language by ``relabel``."""

    def __init__(self, key: str, *, classes: str | None = None) -> None:
        super().__init__(Text(t(key)), classes=classes)
        self.message_key = key

    def relabel(self) -> None:
        self.update(Text(t(self.message_key)))


class SettingsScreen(LedgerScreen):
    """Two choices (language, theme) and two facts (operator, database)."""

    TITLE_KEY = "tui.screen.settings"

    DEFAULT_CSS = """
    SettingsScreen #settings { padding: 0 2; }
    SettingsScreen .settings-heading { text-style: bold; margin: 1 0 0 0; }
    SettingsScreen .settings-note { color: $text-muted; }
    SettingsScreen Select { width: 40; }
    """

    def __init__(self, office: Office, *, name: str | None = None) -> None:
        super().__init__(office, name=name)
        self.database: dict[str, Any] | None = None

    def compose_body(self) -> ComposeResult:
        with VerticalScroll(id="settings"):
            yield self._heading("tui.settings.language")
            yield Select(LANGUAGES, value=i18n.get_language(), allow_blank=False,
                         id="settings-language")
            if preferences.language_is_explicit(self.office.settings):
                yield self._note("tui.settings.language_flag")
            yield self._heading("tui.settings.theme")
            yield Select(self._themes(), value=self.app.theme, allow_blank=False,
                         id="settings-theme")
            yield self._heading("tui.settings.operator")
            yield Static(Text(self.office.operator), id="settings-operator")
            yield self._note("tui.settings.operator_note")
            yield self._heading("tui.settings.database")
            yield Static(self._database_text(), id="settings-database")
            yield Static(self._file_text(), id="settings-file", classes="settings-note")

    @staticmethod
    def _heading(key: str) -> Static:
        return Caption(key, classes="settings-heading")

    @staticmethod
    def _note(key: str) -> Static:
        return Caption(key, classes="settings-note")

    def _themes(self) -> list[tuple[str, str]]:
        kinds = {True: t("tui.settings.dark"), False: t("tui.settings.light")}
        themes = self.app.available_themes
        return [(f"{name} ({kinds[themes[name].dark]})", name) for name in sorted(themes)]

    def _file_text(self) -> Text:
        path = self.office.settings.path
        return Text(t("tui.settings.file", path=path) if path else t("tui.settings.no_file"))

    def _database_text(self) -> Text:
        info = self.database
        if info is None:
            return Text(t("tui.loading"))
        lines = [
            t("tui.settings.db_url", url=info["url"]),
            t("tui.settings.db_schema", version=info["database_version"],
              code=info["code_version"]),
        ]
        if info["size"] is not None:
            lines.append(t("tui.settings.db_size", size=display.byte_size(info["size"])))
        return Text("\n".join(lines))

    def on_screen_resume(self) -> None:
        # The theme may have changed meanwhile (the palette's theme command): show it.
        themes = self.query("#settings-theme")
        if themes:
            select = themes.first(Select)
            if select.value != self.app.theme:
                select.value = self.app.theme

    def on_mount(self) -> None:
        self.run_db(lambda: schema.about(self.office), self._show_database, group="settings",
                    exclusive=True)

    def _show_database(self, info: dict[str, Any]) -> None:
        self.database = info
        self.query_one("#settings-database", Static).update(self._database_text())

    async def on_select_changed(self, event: Select.Changed) -> None:
        event.stop()
        value = event.value
        if event.select.id == "settings-language" and isinstance(value, str):
            if value != i18n.get_language():
                await self.switch_language(value)
        elif event.select.id == "settings-theme" and isinstance(value, str):
            if value != self.app.theme:
                self.app.theme = value  # the app saves it (JiedaoApp.watch_theme)

    async def switch_language(self, language: str) -> None:
        """Relabel the app in ``language`` now, and save it for the next start."""
        i18n.set_language(language)
        self._save(language=language)
        relabel = getattr(self.app, "relabel", None)
        if relabel is not None:
            await relabel()
        # This screen in place (the header follows its title, the footer its bindings).
        self.title = t(self.TITLE_KEY)
        self.retranslate()
        for caption in self.query(Caption):
            caption.relabel()
        self.query_one("#settings-theme", Select).set_options(self._themes())
        self.query_one("#settings-theme", Select).value = self.app.theme
        self.query_one("#settings-database", Static).update(self._database_text())
        self.query_one("#settings-file", Static).update(self._file_text())
        self.refresh_bindings()

    def _save(self, **values: str) -> None:
        try:
            preferences.save(self.office, **values)
        except ConfigError as err:
            self.app.notify(err.message(), severity="error")
