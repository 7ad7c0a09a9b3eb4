"""Benchmark: ``jiedao remind --dry-run --json`` against a plain stdlib sqlite3 script.

Builds the tickets benchmark's database (``bench_tickets.build``: 1,000,000 tickets, about
2.5% open, received in the last 60 days) and adds 150,000 petitions (``bench_petitions``'
rows: 1% overdue, 2% more open), handled by the same eight names as the tickets' agents; six
of them are staff (the other two are unmatched and go to the supervisor, an email address).
Some 17,000 items are overdue or due within the lead. Then it times, as subprocesses with
start-up included, run alternately:

* ``jiedao --db … --as-of 2026-11-27 remind --dry-run --json``;
* a plain Python script (sqlite3 + json) doing the same selection and grouping: open
  tickets with ``running_due`` up to the lead's last day and petitions with ``next_due``
  up to it, each to its agent's or handler's active staff record or the supervisor,
  escalation after N working days, sorted by deadline, printed as the same JSON.

The two outputs are compared first, byte for byte: a faster script that printed something
else would prove nothing. What is settings or calendar (the lead's last day, the
supervisor's language, the holidays and adjusted working days) is computed once by ledger
and given to the plain script. Target: ≤ 1.3× the plain script; wall and CPU time (user +
system) are both printed, the CPU ratio being the steadier one on a busy machine.

    .venv/bin/python bench/bench_remind.py [--rows 1000000] [--petitions 150000]
                                           [--runs 5] [--dir DIR] [--reuse]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.bench_petitions import _petitions  # noqa: E402
from bench.bench_tickets import AGENTS, AS_OF, TODAY, build  # noqa: E402
from bench.common import Figure, median_pair, print_figures  # noqa: E402

# This checkout's jiedao (the installed console script may be another one's).
JIEDAO = [sys.executable, "-m", "jiedao"]

SUPERVISOR = "boss@example.cn"
ESCALATE = 3

PLAIN = r'''
import datetime as dt, json, sqlite3, sys
path, today, soon, boss, boss_lang, escalate, calendar = sys.argv[1:8]
today, escalate = dt.date.fromisoformat(today), int(escalate)
with open(calendar, encoding="utf-8") as f:
    cal = json.load(f)
off, on = set(cal["holidays"]), set(cal["workdays"])
con = sqlite3.connect(path)
staff = {n: (i, lang) for n, i, lang in con.execute(
    "SELECT name, id, language FROM staff WHERE active = 1")}
by_id = {i: n for n, (i, _) in staff.items()}  # grouped by the staff record, not the name
retired = {i for (i,) in con.execute("SELECT id FROM staff WHERE active = 0")}
late = {}
def overdue_by(due):
    if due not in late:
        n, day = 0, dt.date.fromisoformat(due)
        while day < today:
            day += dt.timedelta(days=1)
            if day.isoformat() in on or (day.weekday() < 5 and day.isoformat() not in off):
                n += 1
        late[due] = n
    return late[due]
names = dict(con.execute("SELECT id, name FROM service_item"))
items = [("ticket", tid, number, names.get(item, ""), due, "ticket_due", agent, agent_id)
         for tid, number, item, due, agent, agent_id in con.execute(
             "SELECT id, number, item_id, due_date, agent, agent_id FROM ticket "
             "WHERE running_due <= ? ORDER BY running_due, id", (soon,))]
items += con.execute("SELECT 'petition', id, number, summary, next_due, next_due_kind, "
                     "handler, handler_id FROM petition WHERE next_due <= ? "
                     "ORDER BY next_due, id", (soon,)).fetchall()
items.sort(key=lambda i: (i[4], i[0], i[1]))  # ISO dates sort as dates
today_iso = today.isoformat()
people, unmatched = {}, set()
for kind, id_, number, title, due, due_kind, who, who_id in items:
    who = (who or "").strip()
    over = due < today_iso
    days = overdue_by(due) if over else 0
    item = {"kind": kind, "id": id_, "number": number, "title": (title or "")[:60],
            "deadline": due, "deadline_kind": due_kind or "",
            "state": "overdue" if over else "due_soon", "overdue_working_days": days,
            "responsible": who, "responsible_id": who_id}
    if who_id in by_id:
        key, reason = by_id[who_id], "responsible"
    else:
        key = boss
        reason = "retired" if who_id in retired else "unmatched" if who else "unassigned"
        if who and who_id is None:
            unmatched.add(who)
    people.setdefault(key, []).append({**item, "reason": reason})
    if days > escalate and key != boss:
        people.setdefault(boss, []).append({**item, "reason": "escalated"})
# The same JSON, laid out as jiedao lays it out: containers indented, one item a line.
d = lambda v: json.dumps(v, ensure_ascii=False)
out = ['{\n  "day": ' + d(today_iso) + ',\n  "dry_run": true,\n  "recipients": [']
for n, key in enumerate(sorted(people)):
    its = people[key]
    sid, lang = staff.get(key, (None, boss_lang))
    o = sum(1 for i in its if i["state"] == "overdue")
    out.append(("," if n else "") + "\n    {\n      \"name\": " + d(key) + ",\n      \"staff_id\": "
               + d(sid) + ",\n      \"language\": " + d(lang) + ",\n      \"overdue\": " + d(o)
               + ",\n      \"due_soon\": " + d(len(its) - o) + ",\n      \"items\": [")
    out.append(",".join("\n        " + d(i) for i in its))
    out.append("\n      ],\n      \"deliveries\": [\n        " + d(
        {"channel": "stdout", "items": len(its), "status": "dry_run", "error": None})
        + "\n      ]\n    }")
out.append("\n  ],\n  \"failures\": [],\n  \"unmatched\": "
           + ("[" + ",".join("\n    " + d(u) for u in sorted(unmatched)) + "\n  ]"
              if unmatched else "[]") + "\n}\n")
sys.stdout.write("".join(out))
'''


def add_petitions(path: Path, count: int) -> None:
    """``count`` petitions (``bench_petitions``' rows: 1% overdue, 2% more open), handled by
    the same eight names as the tickets' agents (two of them no staff record has)."""
    con = sqlite3.connect(path)
    indexes = con.execute("SELECT name, sql FROM sqlite_master WHERE type = 'index' AND "
                          "tbl_name = 'petition' AND sql IS NOT NULL").fetchall()
    for name, _ in indexes:
        con.execute(f'DROP INDEX "{name}"')
    with con:
        con.executemany(f"INSERT INTO petition VALUES ({', '.join('?' * 38)})",
                        ((*row[:12], AGENTS[row[0] % 8] if row[12] else "", *row[13:], 1, None)
                         for row in _petitions(count, random.Random(count))))
    with con:
        for _, sql in indexes:
            con.execute(sql)
    con.close()


def facts(path: Path) -> dict[str, Any]:
    """What the plain script is given rather than computes (settings and the working
    calendar, not what is timed): the lead's last day, the supervisor's language, the
    holidays and adjusted working days around today; and how many items are due."""
    from ledger import open_office, remind
    from ledger.clock import Clock
    from ledger.config import load_settings
    from ledger.tickets import rules
    from ledger.workcal import calendar_for

    office = open_office(f"sqlite:///{path}", operator="bench", clock=Clock.at(AS_OF),
                         settings=load_settings(path.parent / "config.toml").with_overrides(
                             {"office.language": os.environ["JIEDAO_LANG"]}, "JIEDAO_LANG"))
    cal = calendar_for(office)
    soon = rules.soon_limit(cal, TODAY, office.settings["remind.lead_working_days"])
    boss = remind.supervisor(office)
    assert boss is not None
    holidays: list[str] = []
    workdays: list[str] = []
    for year in range(TODAY.year - 1, TODAY.year + 2):
        days = cal.year_days(year)
        holidays += [d.isoformat() for d in days.holidays]
        workdays += [d.isoformat() for d in days.workdays]
    office.close()
    con = sqlite3.connect(path)
    due = (con.execute("SELECT COUNT(*) FROM ticket WHERE running_due <= ?",
                       (soon.isoformat(),)).fetchone()[0]
           + con.execute("SELECT COUNT(*) FROM petition WHERE next_due <= ?",
                         (soon.isoformat(),)).fetchone()[0])
    con.close()
    return {"soon": soon.isoformat(), "boss_lang": boss["language"], "due": due,
            "calendar": {"holidays": holidays, "workdays": workdays}}


def prepare(path: Path, rows: int, petitions: int) -> float:
    """Build the database and the staff; returns the seconds it took."""
    start = time.perf_counter()
    build(path, rows)
    add_petitions(path, petitions)
    from ledger import open_office, staff
    from ledger.clock import Clock

    office = open_office(f"sqlite:///{path}", operator="bench", clock=Clock.at(AS_OF))
    for name in AGENTS[:6]:
        staff.add_staff(office, name=name)
    office.close()
    con = sqlite3.connect(path)
    con.execute("ANALYZE")
    con.close()
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--petitions", type=int, default=150_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--dir", help="Keep the database here (default: a temporary dir).")
    parser.add_argument("--reuse", action="store_true",
                        help="Reuse the database a previous run left in --dir.")
    args = parser.parse_args()
    import compileall

    for package in ("ledger", "commands", "jiedao"):
        compileall.compile_dir(str(ROOT / package), quiet=1)
    with tempfile.TemporaryDirectory(prefix="bench-remind-") as tmp:
        folder = Path(args.dir or tmp)
        folder.mkdir(parents=True, exist_ok=True)
        plain = folder / "plain_remind.py"
        plain.write_text(PLAIN, encoding="utf-8")
        config = folder / "config.toml"
        config.write_text(f'[remind]\nsupervisor = "{SUPERVISOR}"\n'
                          f"escalate_after_working_days = {ESCALATE}\n", encoding="utf-8")
        path = folder / f"remind-{args.rows}-{args.petitions}.db"
        built = 0.0
        if not (args.reuse and path.exists()):
            path.unlink(missing_ok=True)
            built = prepare(path, args.rows, args.petitions)
        env = {"JIEDAO_CONFIG": str(config), "XDG_CACHE_HOME": str(folder / "cache"),
               "JIEDAO_LANG": "en", "PYTHONPATH": str(ROOT)}
        os.environ.update(env)  # the working calendar's cache: the same as the command's
        known = facts(path)
        calendar = folder / "calendar.json"
        calendar.write_text(json.dumps(known["calendar"]), encoding="utf-8")
        print(f"{args.rows:,} tickets and {args.petitions:,} petitions: built in {built:.1f} s, "
              f"{known['due']:,} overdue or due by {known['soon']}")
        plain_argv = [sys.executable, str(plain), str(path), TODAY.isoformat(), known["soon"],
                      SUPERVISOR, known["boss_lang"], str(ESCALATE), str(calendar)]
        jiedao_argv = [*JIEDAO, "--db", str(path), "--as-of", AS_OF, "remind", "--dry-run",
                       "--json"]
        # The same selection, grouping and JSON, or the comparison means nothing.
        ours = subprocess.run(jiedao_argv, capture_output=True, check=True).stdout
        theirs = subprocess.run(plain_argv, capture_output=True, check=True).stdout
        if json.loads(ours) != json.loads(theirs):
            (folder / "jiedao.json").write_bytes(ours)
            (folder / "plain.json").write_bytes(theirs)
            raise SystemExit(f"the outputs differ: see {folder}/jiedao.json and plain.json")
        print(f"outputs: the same JSON{', byte for byte' if ours == theirs else ''} "
              f"({len(ours) / 1e6:.1f} MB)")
        p, j = median_pair(plain_argv, jiedao_argv, runs=args.runs)
        ok = print_figures([
            Figure("plain sqlite3 selection + grouping (wall)", p.wall),
            Figure("jiedao remind --dry-run --json (wall)", j.wall, p.wall, 1.3),
            Figure("plain sqlite3 selection + grouping (CPU)", p.cpu),
            Figure("jiedao remind --dry-run --json (CPU)", j.cpu, p.cpu, 1.3),
        ])
        print("\nall targets met" if ok else "\nSOME TARGETS MISSED")


if __name__ == "__main__":
    main()
