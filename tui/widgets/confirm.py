"""Yes/no before anything that cannot be undone from the screen (ending a term, closing).

    self.app.push_screen(ConfirmDialog(t("tui.members.confirm_end", name=name)),
                         callback=lambda yes: ... if yes else None)

or, in a worker/async handler, ``if await self.app.push_screen_wait(ConfirmDialog(q)):``.
Keys: ``y`` confirms, ``n`` or Escape cancels; Tab moves between the two buttons. The
Cancel button has the focus at first, so a stray Enter does nothing irreversible.
"""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from ledger.i18n import t
from tui.bindings import Translated, bind


class ConfirmDialog(Translated, ModalScreen[bool]):
    """Ask ``question``; dismiss with True (confirm) or False (cancel)."""

    DEFAULT_CSS = """
    ConfirmDialog { align: center middle; }
    ConfirmDialog > #confirm-box {
        width: 60; max-width: 90%; height: auto; border: thick $warning;
        background: $surface; padding: 1 2;
    }
    ConfirmDialog #confirm-buttons { height: auto; align: right middle; margin: 1 0 0 0; }
    ConfirmDialog #confirm-buttons Button { margin: 0 0 0 1; }
    """

    BINDINGS = [
        bind("y", "confirm", "tui.key.yes"),
        bind("n", "cancel", "tui.key.no"),
        bind("escape", "cancel", "tui.key.cancel", show=False),
    ]

    def __init__(self, question: str, *, confirm_label: str | None = None,
                 cancel_label: str | None = None) -> None:
        super().__init__()
        self.question = question
        self._confirm_label = confirm_label or t("tui.button.confirm")
        self._cancel_label = cancel_label or t("tui.button.cancel")

    def compose(self) -> ComposeResult:
        with Vertical(id="confirm-box"):
            # The question names records (a member's name): literal text, never markup.
            yield Static(Text(self.question), id="confirm-question")
            with Horizontal(id="confirm-buttons"):
                yield Button(f"{self._confirm_label} (y)", variant="warning",
                             id="confirm-yes")
                yield Button(f"{self._cancel_label} (n)", id="confirm-no")

    def on_mount(self) -> None:
        self.query_one("#confirm-no", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss(event.button.id == "confirm-yes")

    def action_confirm(self) -> None:
        self.dismiss(True)

    def action_cancel(self) -> None:
        self.dismiss(False)
