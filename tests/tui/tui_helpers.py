"""Helpers for the TUI's Pilot tests.

Pilot tests are coroutines run with ``asyncio.run`` (no pytest-asyncio). Screens load data in
worker threads, so tests wait for a condition (``wait_for``) instead of sleeping a fixed time.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Coroutine
from typing import Any

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
