"""A checkbox whose ticked and empty states differ by more than a shade.

Textual's ``Checkbox`` draws an X in both states and only dims the empty one, which on many
terminals (and in the light theme) reads as ticked either way. ``TickBox`` draws the X only
when ticked; app.tcss colours it (success colour when ticked, dim box when not).
"""

from __future__ import annotations

from textual.content import Content
from textual.widgets import Checkbox


class TickBox(Checkbox):
    """``X`` when ticked, a blank box when not."""

    @property
    def _button(self) -> Content:
        self.BUTTON_INNER = "X" if self.value else " "
        button: Content = super()._button
        return button
