"""Benchmark: ``jiedao petitions list --overdue --json`` against a plain stdlib script.

Builds databases of 1,000 and 1,000,000 petitions (schema through ledger, rows through
sqlite3 ``executemany`` with the indexes built afterwards), then times, as subprocesses and
in the same run:

* ``jiedao --db … petitions list --overdue --json`` (every overdue petition), and the same
  with ``--limit 50`` (the first page);
* a plain Python script (sqlite3 + json only) doing the same selection and output.

Targets: the command within 3x the plain script; the first page on 1M within 1.3x of the
first page on 1,000. Usage::

    .venv/bin/python bench/bench_petitions.py [--sizes 1000,1000000] [--runs 5] [--dir DIR]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import resource
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

TODAY = dt.date(2026, 11, 27)
AS_OF = "2026-11-27"
JIEDAO = [str(Path(sys.executable).parent / "jiedao")]
OVERDUE_SHARE = 0.01  # about one petition in a hundred is past the office's deadline
OPEN_SHARE = 0.02  # and two more are open, not yet due

# The plain script: the same query and the same JSON, nothing but the standard library.
PLAIN = r'''
import datetime as dt, json, sqlite3, sys
path, today, limit = sys.argv[1], dt.date.fromisoformat(sys.argv[2]), int(sys.argv[3])
con = sqlite3.connect(path)
sql = """SELECT p.id, p.number, p.received_on, p.channel, p.category, v.name, p.state,
 p.handler, p.collective, p.group_size, e.number, p.next_due, p.next_due_kind, f.name,
 f.phone, p.summary FROM petition p LEFT JOIN village v ON v.id = p.village_id
 LEFT JOIN petitioner f ON f.petition_id = p.id AND f.position = 0
 LEFT JOIN petition e ON e.id = p.repeat_of_id
 WHERE p.next_due < ? ORDER BY p.next_due, p.id""" + (" LIMIT %d" % limit if limit else "")
def mask(v):
    if not v: return ""
    if len(v) <= 7: return v[:2] + "*" * (len(v) - 4) + v[-2:]
    return v[:3] + "*" * (len(v) - 7) + v[-4:]
rows = []
for (pid, number, received, channel, category, village, state, handler, collective, size,
     repeat, due, kind, name, phone, summary) in con.execute(sql, (today.isoformat(),)):
    d = dt.date.fromisoformat(due)
    left = (d - today).days
    rows.append({"id": pid, "number": number, "received_on": received, "channel": channel,
                 "category": category, "village": village, "state": state,
                 "handler": handler, "collective": bool(collective), "group_size": size,
                 "repeat_of": repeat, "petitioner": name, "petitioner_phone": mask(phone),
                 "summary": summary, "next_due": due, "next_due_kind": kind,
                 "days_left": left,
                 "deadline_state": "overdue" if left < 0 else "due_soon" if left <= 3 else "ok"})
print(json.dumps(rows, ensure_ascii=False, indent=2))
'''

VILLAGES = ["东王村", "西马村", "许庄村", "南李庄村", "北辛庄村", "前刘村", "后张村", "河头村",
            "城关村"]
CHANNELS = ("letter", "visit", "online", "phone", "hotline_referral")
CATEGORIES = ("land_demolition", "resettlement_housing", "village_finances",
              "neighbour_dispute", "social_security", "other")


def _petitions(n: int, rng: random.Random) -> Iterator[tuple]:
    now = "2026-11-27 02:00:00"
    for i in range(1, n + 1):
        u = rng.random()
        age = rng.randrange(730)
        received = TODAY - dt.timedelta(days=age)
        accepted = received + dt.timedelta(days=rng.randint(1, 12))
        if u < OVERDUE_SHARE:
            due = TODAY - dt.timedelta(days=rng.randint(1, 60))
            state, kind = ("registered", "acceptance") if u < OVERDUE_SHARE / 3 else (
                "in_handling", "handling")
            received = due - dt.timedelta(days=15 if state == "registered" else 70)
            accepted = received + dt.timedelta(days=10)
        elif u < OVERDUE_SHARE + OPEN_SHARE:
            due = TODAY + dt.timedelta(days=rng.randint(0, 60))
            state, kind = "in_handling", "handling"
            accepted = due - dt.timedelta(days=60)
            received = accepted - dt.timedelta(days=5)
        else:
            due = kind = None
            state = "not_accepted" if u > 0.93 else "closed"
        done = state in ("closed",)
        replied = accepted + dt.timedelta(days=rng.randint(10, 55)) if done else None
        yield (
            i, f"XF-{received.year}-{i:07d}", CHANNELS[i % 5], received.isoformat(),
            CATEGORIES[i % 6], i % 9 + 1, "拆迁补偿款未按协议足额发放", "依法解决", 0, 1, state,
            "bench", "李明" if state != "registered" else "", "街道信访办", "",
            accepted.isoformat() if state not in ("registered", "not_accepted") else None,
            accepted.isoformat() if state == "not_accepted" else None,
            "属诉讼事项" if state == "not_accepted" else "", "", 0, "", "",
            replied.isoformat() if replied else None, "已答复" if replied else "",
            None, None, "", None, None, "",
            replied.isoformat() if replied else None,
            None, due.isoformat() if due else None, kind, now, now,
        )


def _petitioners(n: int, rng: random.Random) -> Iterator[tuple]:
    for i in range(1, n + 1):
        yield (i, i, 0, f"信访人{i % 9973}", f"13{rng.randrange(10**9):09d}", None, "",
               i % 9 + 1, 0)


def build(path: Path, n: int) -> float:
    """A database of ``n`` petitions; returns the seconds it took."""
    from ledger import db as dbmod

    started = time.perf_counter()
    path.unlink(missing_ok=True)
    database = dbmod.connect(f"sqlite:///{path}", create=True)
    dbmod.upgrade(database)
    database.close()
    con = sqlite3.connect(path)
    con.execute("PRAGMA journal_mode=OFF")
    con.execute("PRAGMA synchronous=OFF")
    # Indexes are dropped for the load and rebuilt after: far faster than keeping them.
    indexes = con.execute("SELECT name, sql FROM sqlite_master WHERE type = 'index' AND "
                          "tbl_name IN ('petition', 'petitioner') AND sql IS NOT NULL"
                          ).fetchall()
    for name, _ in indexes:
        con.execute(f'DROP INDEX "{name}"')
    con.executemany("INSERT INTO village (id, code, name, relocation_status, notes, created_at)"
                    " VALUES (?, ?, ?, 'not_affected', '', '2026-01-01 00:00:00')",
                    [(i + 1, f"V{i + 1:02d}", name) for i, name in enumerate(VILLAGES)])
    rng = random.Random(n)
    con.executemany(f"INSERT INTO petition VALUES ({', '.join('?' * 38)})",
                    ((*row, 1, None) for row in _petitions(n, rng)))  # version 1, no handler_id
    con.executemany("INSERT INTO petitioner (id, petition_id, position, name, phone, id_number,"
                    " address, village_id, representative, name_initials, name_pinyin)"
                    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'xfr', 'xinfangren')",
                    _petitioners(n, rng))
    for _, sql in indexes:
        con.execute(sql)
    con.execute("ANALYZE")
    con.commit()
    con.execute("PRAGMA journal_mode=WAL")
    con.close()
    return time.perf_counter() - started


def _time(cmd: list[str], runs: int) -> tuple[float, bytes]:
    """Median wall time of ``runs`` runs after one warm-up; and the output."""
    out = subprocess.run(cmd, check=True, capture_output=True, cwd=ROOT).stdout
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        subprocess.run(cmd, check=True, capture_output=True, cwd=ROOT)
        times.append(time.perf_counter() - started)
    return statistics.median(times), out


def measure(path: Path, runs: int, plain: Path) -> dict[str, float | int]:
    jiedao = [*JIEDAO, "--db", str(path), "--as-of", AS_OF, "--lang", "en", "petitions", "list",
              "--overdue", "--json"]
    baseline = [sys.executable, str(plain), str(path), AS_OF]
    full, out_j = _time(jiedao, runs)
    # The biggest child so far is the command (the plain script runs after it): the rows
    # stream, so this stays flat as the list grows.
    peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    full_plain, out_p = _time([*baseline, "0"], runs)
    page, page_j = _time([*jiedao, "--limit", "50"], runs)
    page_plain, page_p = _time([*baseline, "50"], runs)
    rows_j, rows_p = json.loads(out_j), json.loads(out_p)
    # the same selection, or the comparison means nothing
    assert [r["number"] for r in rows_j] == [r["number"] for r in rows_p], "outputs differ"
    assert [r["number"] for r in json.loads(page_j)] == [r["number"] for r in json.loads(page_p)]
    return {"rows": len(rows_j), "full": full, "full_plain": full_plain, "page": page,
            "page_plain": page_plain, "peak_mb": peak_mb}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="1000,1000000")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--dir", help="Keep the databases here (reused when present).")
    args = parser.parse_args()
    # An installed copy runs from compiled bytecode; an editable checkout with
    # PYTHONDONTWRITEBYTECODE would recompile every module on every run instead.
    subprocess.run([sys.executable, "-m", "compileall", "-q", "jiedao", "ledger", "commands"],
                   cwd=ROOT, check=True, capture_output=True)
    sizes = [int(s) for s in args.sizes.split(",")]
    with tempfile.TemporaryDirectory(prefix="bench-petitions-") as tmp:
        where = Path(args.dir) if args.dir else Path(tmp)
        where.mkdir(parents=True, exist_ok=True)
        plain = Path(tmp) / "plain_overdue.py"
        plain.write_text(PLAIN, encoding="utf-8")
        results: dict[int, dict[str, float | int]] = {}
        for n in sizes:
            path = where / f"petitions_{n}.db"
            if not path.exists() or not args.dir:
                seconds = build(path, n)
                print(f"built {n:>9,} petitions in {seconds:6.1f} s  ({path})")
            results[n] = measure(path, args.runs, plain)
        print()
        print(f"{'petitions':>10} {'overdue':>8} | {'list --overdue':>14} {'plain':>8} "
              f"{'ratio':>6} | {'--limit 50':>10} {'plain':>8} {'ratio':>6} | {'peak':>7}")
        for n, r in results.items():
            print(f"{n:>10,} {r['rows']:>8,} | {r['full'] * 1000:>11.0f} ms "
                  f"{r['full_plain'] * 1000:>5.0f} ms {r['full'] / r['full_plain']:>5.2f}x | "
                  f"{r['page'] * 1000:>7.0f} ms {r['page_plain'] * 1000:>5.0f} ms "
                  f"{r['page'] / r['page_plain']:>5.2f}x | {r['peak_mb']:>4.0f} MB")
        if len(sizes) >= 2:
            small, big = results[min(sizes)], results[max(sizes)]
            ratio = float(big["page"]) / float(small["page"])
            print(f"\nfirst page, {max(sizes):,} vs {min(sizes):,} petitions: {ratio:.2f}x "
                  f"(target <= 1.3x)")
        floor, _ = _time([*JIEDAO, "--version"], args.runs)
        bare, _ = _time([sys.executable, "-c", "import sqlite3, json"], args.runs)
        libs, _ = _time([sys.executable, "-c", "import click, peewee"], args.runs)
        print(f"start-up: `jiedao --version` {floor * 1000:.0f} ms, `python -c 'import click, "
              f"peewee'` {libs * 1000:.0f} ms ({libs / bare:.2f}x before any work), "
              f"`python -c 'import sqlite3, json'` {bare * 1000:.0f} ms")
        worst = max(float(r["full"]) / float(r["full_plain"]) for r in results.values())
        print(f"worst command/plain ratio, full overdue list: {worst:.2f}x (target <= 3x)")


if __name__ == "__main__":
    main()
