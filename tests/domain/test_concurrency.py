"""Several clerks at once: numbers stay unique and the journal stays one chain."""

from __future__ import annotations

import threading

from ledger import journal, numbering


def test_two_clerks_never_get_the_same_number_and_the_chain_holds(office, clerks):
    results: list[str] = []
    lock = threading.Lock()

    def work(mine) -> None:
        for _ in range(15):
            with mine.transaction():
                # Read, then write: a deferred SQLite transaction would fail here with
                # "database is locked" when the other clerk committed in between.
                number = numbering.next_number(mine, "DB", 2026)
                journal.record(mine, "ticket", number, "create", after={"n": number})
            with lock:
                results.append(number)

    clerks(office, work)
    assert len(results) == len(set(results)) == 30
    assert journal.verify(office).ok
