"""Run ledger calls in worker threads so the screen never freezes.

Every database call from the TUI goes through :func:`run_db`: the call runs in a Textual
thread worker, and its result (or the error it raised) comes back to the event loop through
``call_from_thread``. peewee keeps one connection per thread, so a worker opens its own
connection on its first query; :func:`run_db` closes it when the call is done, so short-lived
worker threads leave no connection behind. (A ``sqlite:///:memory:`` office is therefore not
usable from the TUI: each thread would see its own empty database.)

``exclusive=True`` with a ``group`` cancels the previous call of that group: a list that is
paged quickly only shows the last page asked for.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any, TypeVar

from textual.dom import DOMNode
from textual.worker import Worker, get_current_worker

from ledger.errors import LedgerError
from ledger.i18n import t

T = TypeVar("T")

log = logging.getLogger(__name__)


def _close_thread_connection(node: DOMNode) -> None:
    """Close the connection peewee opened for this worker thread, if any."""
    office = getattr(node.app, "office", None)
    database = getattr(office, "db", None)
    if database is None:
        return
    try:
        if not database.is_closed() and not database.in_transaction():
            database.close()
    except Exception:  # noqa: BLE001 - closing must never hide the call's own outcome
        log.debug("closing the worker's connection failed", exc_info=True)


def show_error(node: DOMNode, err: BaseException) -> None:
    """Show an error as a notification: a ledger error's message, else an internal error."""
    if isinstance(err, LedgerError):
        message = err.message()
    else:
        message = t("error.internal", detail=f"{type(err).__name__}: {err}")
    node.app.notify(message, title=t("tui.error"), severity="error", timeout=8)


def run_db(
    node: DOMNode,
    call: Callable[[], T],
    on_done: Callable[[T], Any] | None = None,
    *,
    on_error: Callable[[LedgerError], Any] | None = None,
    group: str = "db",
    exclusive: bool = False,
) -> Worker[None]:
    """Run ``call()`` in a thread worker owned by ``node``.

    ``on_done(result)`` runs on the event loop afterwards; a ``LedgerError`` goes to
    ``on_error`` (default: a notification); any other exception becomes an "internal error"
    notification rather than crashing the app. Nothing is delivered when the worker was
    cancelled (a newer exclusive call replaced it, or the node was removed).
    """

    def deliver(callback: Callable[..., Any], *args: Any) -> None:
        if get_current_worker().is_cancelled or not node.is_attached:
            return
        try:
            node.app.call_from_thread(callback, *args)
        except RuntimeError:
            # The app is shutting down; there is nobody left to tell.
            log.debug("result delivered after the app stopped", exc_info=True)

    def job() -> None:
        try:
            result = call()
        except LedgerError as err:
            deliver(on_error or (lambda e: show_error(node, e)), err)
            return
        except Exception as err:  # noqa: BLE001 - shown to the clerk, logged for a report
            log.exception("ledger call failed in a worker")
            deliver(lambda e: show_error(node, e), err)
            return
        finally:
            _close_thread_connection(node)
        if on_done is not None:
            deliver(on_done, result)

    return node.run_worker(job, thread=True, group=group, exclusive=exclusive,
                           exit_on_error=False)
