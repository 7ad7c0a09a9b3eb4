"""The help screen (``?`` or F1): the keys of the screen it was opened on, then the app's.

It lists what :func:`tui.bindings.bind` declared — a screen's own ``BINDINGS`` (those hidden
from the footer included: the footer shows only the most used ones) and the app's (areas,
palette, quit) — in the clerk's language, never Textual's own cursor and focus keys.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.dom import DOMNode
from textual.screen import ModalScreen, Screen
from textual.widgets import Footer, Static

from ledger.i18n import t
from tui.bindings import Translated, bind


def own_bindings(node: DOMNode) -> list[Binding]:
    """The bindings ``node`` declares itself (catalogue-described), one per action."""
    ours: set[tuple[str, str]] = getattr(node, "own_bindings", set())
    seen: set[str] = set()
    found: list[Binding] = []
    for items in node._bindings.key_to_bindings.values():
        for binding in items:
            if (binding.key, binding.action) in ours and binding.description \
                    and binding.action not in seen:
                seen.add(binding.action)
                found.append(binding)
    return found


def _keys_of(node: DOMNode, action: str) -> str:
    keys = [node.app.get_key_display(b) for items in node._bindings.key_to_bindings.values()
            for b in items if b.action == action]
    return " / ".join(dict.fromkeys(keys))


def key_table(node: DOMNode, bindings: Iterable[Binding], *, pairs: int = 1) -> Table:
    """Key and what it does, each key of an action together (``] / n``); ``pairs`` of them
    side by side on a row (the app's area keys fit in half the height)."""
    table = Table.grid(padding=(0, 2))
    for _ in range(pairs):
        table.add_column(style="bold", no_wrap=True)
        table.add_column()
    cells = [(Text(_keys_of(node, b.action)), Text(b.description)) for b in bindings]
    for start in range(0, len(cells), pairs):
        row = [cell for pair in cells[start:start + pairs] for cell in pair]
        table.add_row(*row, *[Text("")] * (2 * pairs - len(row)))
    return table


class HelpScreen(Translated, ModalScreen[None]):
    """The keys of ``screen`` and of the app; Escape, ``?`` or F1 closes it."""

    DEFAULT_CSS = """
    HelpScreen { align: center middle; }
    HelpScreen > #help-box {
        width: 72; max-width: 95%; height: auto; max-height: 90%;
        border: thick $primary; background: $surface; padding: 0 1;
    }
    HelpScreen .help-heading { text-style: bold; padding: 1 0 0 0; color: $accent; }
    """

    BINDINGS = [
        bind("escape", "close", "tui.key.close"),
        bind("question_mark", "close", "tui.key.close", show=False, key_display="?"),
        bind("f1", "close", "tui.key.close", show=False),
    ]

    def __init__(self, screen: Screen[Any]) -> None:
        super().__init__()
        self.of_screen = screen

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help-box"):
            title = str(self.of_screen.title or "")
            yield Static(Text(t("tui.help.screen", screen=title)), classes="help-heading")
            yield Static(key_table(self.of_screen, own_bindings(self.of_screen)),
                         id="help-screen-keys")
            yield Static(Text(t("tui.help.app")), classes="help-heading")
            yield Static(key_table(self.app, own_bindings(self.app), pairs=2), id="help-app-keys")
            yield Static(Text(t("tui.help.more")), classes="help-heading")
        yield Footer()

    def action_close(self) -> None:
        self.dismiss(None)
