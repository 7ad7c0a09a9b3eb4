"""Helpers for the domain tests."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import pytest

from ledger import Office, open_office

Work = Callable[[Office], None]


def run_clerks(office: Office, work: Work, clerks: int = 2) -> None:
    """Run ``work(their_office)`` in ``clerks`` threads at once, each clerk on an office of
    their own (same database, clock and settings), started together. Any error a clerk
    meets fails the test."""
    errors: list[BaseException] = []
    start = threading.Barrier(clerks)

    def clerk(name: str) -> None:
        try:
            mine = open_office(office.url, operator=name, clock=office.clock,
                               settings=office.settings)
            try:
                start.wait(10)
                work(mine)
            finally:
                mine.close()
        except BaseException as exc:  # noqa: BLE001 - reported by the assertion below
            errors.append(exc)

    threads = [threading.Thread(target=clerk, args=(f"clerk{i}",)) for i in range(clerks)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert errors == []


@pytest.fixture
def clerks() -> Callable[..., Any]:
    return run_clerks


# The staff the domain tests name as agents and handlers: ``lookups.staff_ref`` refuses a
# name that is no staff record's.
TEST_STAFF = ("王芳", "李强", "李明", "李四", "王五", "李", "王", "张", "李干事", "陈静", "张丽")


@pytest.fixture
def staff_names(office: Office) -> tuple[str, ...]:
    from ledger import staff

    for name in TEST_STAFF:
        staff.add_staff(office, name=name)
    return TEST_STAFF
