"""Several clerks at once: numbers stay unique and the journal stays one chain."""

from __future__ import annotations

import threading

from ledger import journal, numbering, open_office


def test_two_clerks_never_get_the_same_number_and_the_chain_holds(office):
    url = office.url
    results: list[str] = []
    errors: list[BaseException] = []
    lock = threading.Lock()

    def clerk(name: str) -> None:
        try:
            mine = open_office(url, operator=name, clock=office.clock,
                               settings=office.settings)
            for _ in range(15):
                with mine.transaction():
                    # Read, then write: a deferred SQLite transaction would fail here with
                    # "database is locked" when the other clerk committed in between.
                    number = numbering.next_number(mine, "DB", 2026)
                    journal.record(mine, "ticket", number, "create", after={"n": number})
                with lock:
                    results.append(number)
            mine.close()
        except BaseException as exc:  # noqa: BLE001 - reported by the assertion below
            errors.append(exc)

    threads = [threading.Thread(target=clerk, args=(f"clerk{i}",)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert errors == []
    assert len(results) == len(set(results)) == 30
    assert journal.verify(office).ok
