"""Someone else changed the record while the clerk was editing it (``ledger.versions``).

A :class:`~tui.widgets.form.FormScreen` given a ``version`` shows this dialog when its save
is refused with a ``StaleVersion``: per field, what is stored now (theirs) and what the
clerk has (yours: typed, or as loaded when someone else changed a field the clerk left
alone). The clerk reloads (the form takes the stored record and its new version; the fields
they typed keep their typing) or goes back to the form as it was. Nothing is overwritten
without the clerk seeing it, and nothing typed is lost.
Keys: ``r`` reloads, Escape (or ``n``) goes back.
"""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from ledger.errors import StaleVersion
from ledger.i18n import entity_label, field_label, t
from ledger.versions import shown
from tui.bindings import Translated, bind


class ConflictDialog(Translated, ModalScreen[bool]):
    """Show a ``StaleVersion``'s changes; dismiss with True (reload) or False (back)."""

    DEFAULT_CSS = """
    ConflictDialog { align: center middle; }
    ConflictDialog > #conflict-box {
        width: 72; max-width: 95%; height: auto; max-height: 90%; border: thick $warning;
        background: $surface; padding: 1 2;
    }
    ConflictDialog #conflict-title { text-style: bold; }
    ConflictDialog .conflict-field { margin: 1 0 0 0; }
    ConflictDialog #conflict-buttons { height: auto; align: right middle; margin: 1 0 0 0; }
    ConflictDialog #conflict-buttons Button { margin: 0 0 0 1; }
    """

    BINDINGS = [
        bind("r", "reload", "tui.key.reload"),
        bind("n", "back", "tui.key.cancel", show=False),
        bind("escape", "back", "tui.key.cancel"),
    ]

    def __init__(self, err: StaleVersion,
                 changes: list[dict[str, Any]] | None = None) -> None:
        super().__init__()
        self.err = err
        self.changes = err.changes if changes is None else changes

    def compose(self) -> ComposeResult:
        err = self.err
        with Vertical(id="conflict-box"):
            yield Static(Text(t("tui.conflict.title", entity=entity_label(err.entity),
                                ref=str(err.ref))), id="conflict-title")
            yield Static(Text(t("tui.conflict.intro", yours=err.seen_version,
                                theirs=err.version)), id="conflict-intro")
            for change in self.changes:
                # Values are data the clerks typed: Text, never markup.
                yield Static(Text.assemble(
                    (field_label(change["field"]), "bold"), "\n  ",
                    t("tui.conflict.theirs"), shown(change["theirs"]), "\n  ",
                    t("tui.conflict.yours"), shown(change["yours"])),
                    classes="conflict-field", id=f"conflict-{change['field']}")
            if not self.changes:
                yield Static(Text(t("error.stale_version.no_fields")),
                             classes="conflict-field")
            with Horizontal(id="conflict-buttons"):
                yield Button(f"{t('tui.button.reload')} (r)", variant="warning",
                             id="conflict-reload")
                yield Button(t("tui.button.back"), id="conflict-back")

    def on_mount(self) -> None:
        self.query_one("#conflict-back", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss(event.button.id == "conflict-reload")

    def action_reload(self) -> None:
        self.dismiss(True)

    def action_back(self) -> None:
        self.dismiss(False)
