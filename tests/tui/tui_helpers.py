"""Helpers for the TUI's Pilot tests.

Pilot tests are coroutines run with ``asyncio.run`` (no pytest-asyncio). Screens load data in
worker threads, so tests wait for a condition (``wait_for``) instead of sleeping a fixed time.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Coroutine
from typing import Any

from textual.widgets import Select

from ledger.people import id_check_char

REGION = "139021"


def id_number(birth: str = "19800102", seq: str = "123") -> str:
    """A valid resident ID number (an odd ``seq`` ending is male)."""
    first17 = REGION + birth + seq
    return first17 + id_check_char(first17)


def wrong_checksum(number: str) -> str:
    return number[:-1] + ("0" if number[-1] != "0" else "1")


def run(coro: Coroutine[Any, Any, Any]) -> Any:
    return asyncio.run(coro)


async def wait_for(pilot: Any, condition: Callable[[], Any], timeout: float = 10.0,
                   what: str = "condition") -> None:
    """Let the app run until ``condition()`` is true (workers finish, screens mount)."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            if condition():
                return
        except Exception:  # noqa: BLE001 - a widget not mounted yet: keep waiting
            pass
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        await pilot.pause(0.05)


def fill(form: Any, values: dict[str, Any]) -> None:
    """Type ``values`` into a :class:`tui.widgets.form.Form` (inputs, selects, text areas)."""
    for name, value in values.items():
        widget = form.widget_for(name)
        if isinstance(widget, Select):
            widget.value = value
        elif hasattr(widget, "text") and not hasattr(widget, "cursor_position"):
            widget.text = value  # TextArea
        else:
            widget.value = value


async def take_step(app: Any, pilot: Any, key: str, values: dict[str, Any],
                    reached: Callable[[dict[str, Any]], bool], what: str) -> None:
    """On a record's detail: press a step's ``key``, fill its form, save, and wait until the
    detail has reloaded the record and it ``reached`` the expected state (a step that keeps
    the state, such as an extension, is waited for too)."""
    from tui.widgets.form import FormScreen

    detail = app.screen
    before = detail.record
    await pilot.press(key)
    await wait_for(pilot, lambda: isinstance(app.screen, FormScreen), what=f"{key} form")
    fill(app.screen.form, values)
    await pilot.press("ctrl+s")
    await wait_for(pilot, lambda: app.screen is detail and detail.record is not before
                   and reached(detail.record), what=what)
