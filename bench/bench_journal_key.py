"""Benchmark: the keyed journal chain on the batch-import hot path (``journal.record_many``).

* hashing alone: ``--rows`` entries' payloads hashed with plain SHA-256 (the chain before
  the key), with ``journalkey.Mac`` (the prepared pads the journal uses) and with
  ``hmac.new(key, digestmod=sha256).copy()`` per entry (the obvious way), as ratios to plain;
* ``record_many`` of ``--rows`` entries into a new SQLite office, keyed (what jiedao does
  now), against the same call with the plain hash put back (what it did before the key).

Run with its own settings folder (the office's key file is made there, not in your home):

    .venv/bin/python bench/bench_journal_key.py [--rows 200000]

Not part of pytest; CI does not run it. CPU-bound: a busy machine scales all figures alike.
"""

from __future__ import annotations

import argparse
import hmac
import os
import sys
import tempfile
import time
from collections.abc import Callable
from hashlib import sha256
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def _best(fn: Callable[[], None], repeat: int = 3) -> float:
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - start)
    return best


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=200_000)
    rows = parser.parse_args().rows
    folder = Path(tempfile.mkdtemp(prefix="bench-journal-key-"))
    os.environ["XDG_CONFIG_HOME"] = str(folder / "cfg")
    os.environ.pop("JIEDAO_JOURNAL_KEY", None)

    from ledger import Clock, journal, journalkey, open_office
    from ledger import db as dbmod

    payloads = [(f'["{"a" * 64}","2026-11-27T02:00:00","tester","member","{n}","create",'
                 f'null,"{{\\"name\\":\\"张三{n}\\"}}",""]').encode() for n in range(rows)]
    secret = os.urandom(32)
    mac = journalkey.Mac(secret)
    prepared = hmac.new(secret, digestmod=sha256)

    def plain() -> None:
        for data in payloads:
            sha256(data).hexdigest()

    def keyed() -> None:
        hexdigest = mac.hexdigest
        for data in payloads:
            hexdigest(data)

    def copied() -> None:
        for data in payloads:
            entry = prepared.copy()
            entry.update(data)
            entry.hexdigest()

    base = _best(plain)
    print(f"hashing {rows:,} entries: plain SHA-256 {base:.3f} s")
    for name, fn in (("journalkey.Mac", keyed), ("hmac .copy()", copied)):
        seconds = _best(fn)
        print(f"  {name:<16} {seconds:.3f} s  ({seconds / base:.2f}x plain)")

    entries = [("member", n, "create", None, {"name": f"张三{n}", "n": n}, "")
               for n in range(rows)]

    def timed(keyed_chain: bool) -> float:
        path = folder / f"office-{keyed_chain}.db"
        database = dbmod.connect(f"sqlite:///{path}", create=True)
        dbmod.upgrade(database)
        database.close()
        office = open_office(f"sqlite:///{path}", operator="bench",
                             clock=Clock(tz="Asia/Shanghai"))
        saved = journalkey.Mac.hexdigest
        if not keyed_chain:  # the hash before the key, for the comparison only
            journalkey.Mac.hexdigest = lambda self, data: sha256(data).hexdigest()  # type: ignore[method-assign]
        try:
            start = time.perf_counter()
            with office.transaction():
                journal.record_many(office, entries)
            return time.perf_counter() - start
        finally:
            journalkey.Mac.hexdigest = saved  # type: ignore[method-assign]
            office.close()

    before, now = timed(False), timed(True)
    print(f"record_many of {rows:,} entries (SQLite): plain {before:.2f} s, keyed {now:.2f} s "
          f"({now / before:.2f}x)")


if __name__ == "__main__":
    main()
