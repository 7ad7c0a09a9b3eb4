"""The click group every area uses: usage errors print one line, not the usage block.

Scripts read stderr line by line; the help is one ``--help`` away, in the chosen language
(``commands.helptext``). It lives in a module of its own (importing only click and the
catalogue) so an area's command loads no other area to get it.
"""

from __future__ import annotations

from typing import Any

import click

from commands.helptext import LocalizedGroup


class OneLineGroup(LocalizedGroup):
    """A group whose usage errors print one line (``Error: …``), not the usage block, and
    whose help comes from the catalogue."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except click.UsageError as exc:
            exc.ctx = None
            raise
