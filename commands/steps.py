"""A command per step of a procedure (``jiedao tickets advance REF``, ``jiedao petitions
accept NUMBER``): the same shape each time, so one factory builds them.

    step_command(tickets, "withdraw", svc.withdraw, [ref, note, at, json],
                 finish=lambda office, row, as_json: ...)

The command passes every option and argument but ``--json`` to ``call(office, REF, …)`` by
name and hands the result to ``finish(office, row, as_json)``. Every step command also takes
``--version N`` (the version the clerk saw, from ``show --json``): a step on a record changed
since is refused (``StaleVersion``, exit 1), like an edit (``ledger.versions``). Its help,
like every command's, is in the catalogue: ``help.<group>.<name>`` and ``….opt.<option>``
(``ledger/messages/help.py``).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

import click

from commands.context import pass_office

if TYPE_CHECKING:
    from ledger.office import Office

Decorator = Callable[[Any], Any]


def step_command(group: click.Group, name: str, call: Callable[..., dict[str, Any]],
                 params: Sequence[Decorator],
                 finish: Callable[[Any, dict[str, Any], bool], None]) -> click.Command:
    """Add ``name`` to ``group``; ``params`` are click decorators in the order of the help
    (the first names REF as ``ref``); ``--version`` is added last."""

    def command(office: Office, ref: str, as_json: bool, **options: Any) -> None:
        finish(office, call(office, ref, **options), as_json)

    command.__name__ = name.replace("-", "_")
    decorated: Any = pass_office(command)
    # --version as the edit commands take it: ledger checks the number (versions.expected)
    # and names the option in its one-line refusal.
    for param in reversed([*params, click.option("--version", type=int)]):
        decorated = param(decorated)
    result: click.Command = group.command(name)(decorated)
    return result
