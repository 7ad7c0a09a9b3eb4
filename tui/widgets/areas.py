"""The areas sidebar: each area of the registry with its key, the current one marked.

Hidden at first (a list needs the width at 100 columns); Ctrl+B shows or hides it on every
screen at once: the app carries the ``-areas`` class and the stylesheet shows the bar.
"""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from ledger.i18n import t
from tui.screens import SCREENS


class AreaBar(Static):
    """A narrow column docked left: ``F3 members``…, the screen's own area in bold."""

    DEFAULT_CSS = """
    AreaBar {
        dock: left; width: 24; height: 1fr; display: none; margin: 1 0 1 0;
        padding: 0 1; background: $panel; color: $text-muted;
        text-wrap: nowrap; text-overflow: ellipsis;
    }
    """

    def on_mount(self) -> None:
        current = self.app.current_mode
        text = Text(no_wrap=True, overflow="ellipsis")
        for entry in SCREENS:
            style = "bold reverse" if entry.key == current else ""
            text.append(f"{entry.binding.upper():>3} ", style="bold")
            text.append(t(entry.title_key) + "\n", style=style)
        self.update(text)
