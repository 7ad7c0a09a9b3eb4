"""Run ledger calls off the event loop so the screen never freezes.

Every database call from the TUI goes through :func:`run_db`: a Textual thread worker hands
the call to the app's :class:`DatabaseThread` and waits; the result (or the error it raised)
comes back to the event loop through ``call_from_thread``.

Why one database thread: peewee keeps one connection per thread, and Textual starts a new
thread for every thread worker. Running the calls on one long-lived thread opens one
connection for the whole session (a PostgreSQL connection costs a round trip or three; a
SQLite one its pragmas) and keeps the app's own calls from competing for SQLite's write lock.
Calls are served one at a time, in order. An app without a ``db_thread`` attribute (a
widget's test app) runs the call in the worker's own thread. (A ``sqlite:///:memory:`` office
is not usable from the TUI: another thread sees another, empty database.)

``exclusive=True`` with a ``group`` cancels the previous call of that group: a list that is
paged quickly only shows the last page asked for.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

from textual.dom import DOMNode
from textual.worker import Worker, get_current_worker

from ledger.errors import LedgerError
from ledger.i18n import t

T = TypeVar("T")

log = logging.getLogger(__name__)


class DatabaseThread:
    """One long-lived thread that runs every ledger call of the app, in order."""

    def __init__(self) -> None:
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="jiedao-db")
        self._lock = threading.Lock()
        self._closed = False

    def call(self, fn: Callable[[], T]) -> T:
        """Run ``fn`` on the database thread and return its result (or raise its error)."""
        return self._executor.submit(fn).result()

    def start(self, fn: Callable[[], Any]) -> None:
        """Queue ``fn`` on the database thread without waiting (it runs before any later
        call): for setting up the thread's connection."""
        self._executor.submit(fn)

    def close(self, database: Any = None) -> None:
        """Close ``database``'s connection of this thread, then stop the thread."""
        with self._lock:
            if self._closed:
                return
            self._closed = True
        if database is not None:
            def close_connection() -> None:
                if not database.is_closed():
                    database.close()

            try:
                self._executor.submit(close_connection).result(timeout=10)
            except Exception:  # noqa: BLE001 - leaving anyway; nothing to tell the clerk
                log.debug("closing the database thread's connection failed", exc_info=True)
        self._executor.shutdown(wait=False)


def _call(node: DOMNode, call: Callable[[], T]) -> T:
    db_thread: DatabaseThread | None = getattr(node.app, "db_thread", None)
    if db_thread is None:
        return call()
    return db_thread.call(call)


def show_error(node: DOMNode, err: BaseException) -> None:
    """Show an error as a notification: a ledger error's message, else an internal error."""
    if isinstance(err, LedgerError):
        message = err.message()
    else:
        message = t("error.internal", detail=f"{type(err).__name__}: {err}")
    # The message may quote what the clerk typed: plain text, never markup.
    node.app.notify(message, title=t("tui.error"), severity="error", timeout=8, markup=False)


def run_db(
    node: DOMNode,
    call: Callable[[], T],
    on_done: Callable[[T], Any] | None = None,
    *,
    on_error: Callable[[LedgerError], Any] | None = None,
    group: str = "db",
    exclusive: bool = False,
) -> Worker[None]:
    """Run ``call()`` off the event loop, in a thread worker owned by ``node``.

    ``on_done(result)`` runs on the event loop afterwards; a ``LedgerError`` goes to
    ``on_error`` (default: a notification); any other exception, in the call or in a
    callback, is logged and becomes an "internal error" notification rather than crashing
    the app or vanishing. Nothing is delivered when the worker was
    cancelled (a newer exclusive call replaced it, or the node was removed).
    """

    def deliver(callback: Callable[..., Any], *args: Any) -> None:
        if get_current_worker().is_cancelled or not node.is_attached:
            return

        def guarded() -> None:
            # An error in the callback would end this worker, which reports to nobody:
            # the clerk's save would do nothing and say nothing. Log it and show it.
            try:
                callback(*args)
            except Exception as err:  # noqa: BLE001 - shown to the clerk, logged for a report
                log.exception("showing the result of a ledger call failed")
                show_error(node, err)

        try:
            node.app.call_from_thread(guarded)
        except RuntimeError:
            # The app is shutting down; there is nobody left to tell.
            log.debug("result delivered after the app stopped", exc_info=True)

    def job() -> None:
        try:
            result = _call(node, call)
        except LedgerError as err:
            deliver(on_error or (lambda e: show_error(node, e)), err)
            return
        except Exception as err:  # noqa: BLE001 - shown to the clerk, logged for a report
            log.exception("ledger call failed in a worker")
            deliver(lambda e: show_error(node, e), err)
            return
        if on_done is not None:
            deliver(on_done, result)

    return node.run_worker(job, thread=True, group=group, exclusive=exclusive,
                           exit_on_error=False)
