"""Benchmark: ``jiedao remind --dry-run --json`` against a plain stdlib sqlite3 script.

Builds the tickets benchmark's database (``bench_tickets.build``: 1,000,000 tickets by
default, about 2.5% open, received in the last 60 days, so some 20,000 are overdue or due
within the lead), adds six of its eight agents as staff (the other two are unmatched and go
to the supervisor, an email address), then times, as subprocesses with start-up included:

* ``jiedao --db … --as-of 2026-11-27 remind --dry-run --json``;
* a plain Python script (sqlite3 + json) doing the same selection and grouping: open
  tickets with ``running_due`` up to the lead's last day and petitions with ``next_due``
  up to it, each to its agent's or handler's active staff record or the supervisor,
  escalation after N working days, sorted by deadline, printed as JSON.

The lead's last day is computed once by ledger's working calendar and given to the plain
script (it is not what is being timed). Target: ≤ 1.3× the plain script.

    .venv/bin/python bench/bench_remind.py [--rows 1000000] [--runs 5] [--dir DIR]
"""

from __future__ import annotations

import argparse
import sqlite3
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.bench_tickets import AGENTS, AS_OF, JIEDAO, TODAY, build  # noqa: E402
from bench.common import Figure, median_seconds, print_figures  # noqa: E402

SUPERVISOR = "boss@example.cn"
ESCALATE = 3

PLAIN = r'''
import datetime as dt, json, sqlite3, sys
path, today, soon, supervisor, escalate = sys.argv[1:6]
today, soon, escalate = dt.date.fromisoformat(today), soon, int(escalate)
con = sqlite3.connect(path)
staff = {n: (i, lang) for n, i, lang in con.execute(
    "SELECT name, id, language FROM staff WHERE active = 1")}
late = {}
def overdue_by(d):
    if d not in late:
        n, day = 0, d
        while day < today:
            day += dt.timedelta(days=1)
            if day.weekday() < 5: n += 1
        late[d] = n
    return late[d]
items = []
for tid, number, due, agent, item in con.execute(
        "SELECT t.id, t.number, t.running_due, t.agent, s.name FROM ticket t "
        "JOIN service_item s ON s.id = t.item_id WHERE t.running_due <= ? "
        "ORDER BY t.running_due, t.id", (soon,)):
    d = dt.date.fromisoformat(due)
    items.append(("ticket", tid, number, item, d, "ticket_due", agent or ""))
for pid, number, due, kind, handler, summary in con.execute(
        "SELECT id, number, next_due, next_due_kind, handler, summary FROM petition "
        "WHERE next_due <= ? ORDER BY next_due, id", (soon,)):
    items.append(("petition", pid, number, summary, dt.date.fromisoformat(due), kind,
                  handler or ""))
items.sort(key=lambda i: (i[4], i[0], i[1]))
people, told = {}, set()
def tell(key, item, reason):
    entry = people.setdefault(key, [])
    if (key, item[0], item[1]) in told: return
    told.add((key, item[0], item[1]))
    over = item[4] < today
    entry.append({"kind": item[0], "id": item[1], "number": item[2], "title": item[3][:60],
                  "deadline": item[4].isoformat(), "deadline_kind": item[5],
                  "state": "overdue" if over else "due_soon",
                  "overdue_working_days": overdue_by(item[4]) if over else 0,
                  "responsible": item[6].strip(), "reason": reason})
for item in items:
    name = item[6].strip()
    if name in staff: tell(name, item, "responsible")
    else: tell(supervisor, item, "unmatched" if name else "unassigned")
    if item[4] < today and overdue_by(item[4]) > escalate: tell(supervisor, item, "escalated")
out = []
for key in sorted(people):
    its = people[key]
    o = sum(1 for i in its if i["state"] == "overdue")
    out.append({"name": key, "overdue": o, "due_soon": len(its) - o, "items": its})
print(json.dumps({"day": today.isoformat(), "recipients": out}, ensure_ascii=False, indent=2))
'''


def prepare(path: Path, rows: int) -> tuple[float, str, int]:
    """Build the database and the staff; returns (seconds, the lead's last day, due count)."""
    seconds = build(path, rows)
    from ledger import open_office, staff
    from ledger.clock import Clock
    from ledger.tickets import rules
    from ledger.workcal import calendar_for

    office = open_office(f"sqlite:///{path}", operator="bench", clock=Clock.at(AS_OF))
    for name in AGENTS[:6]:
        staff.add_staff(office, name=name)
    soon = rules.soon_limit(calendar_for(office), TODAY,
                            office.settings["remind.lead_working_days"])
    office.close()
    con = sqlite3.connect(path)
    due = con.execute("SELECT COUNT(*) FROM ticket WHERE running_due <= ?",
                      (soon.isoformat(),)).fetchone()[0]
    con.close()
    return seconds, soon.isoformat(), due


def _due(path: Path) -> tuple[str, int]:
    from ledger import open_office
    from ledger.clock import Clock
    from ledger.tickets import rules
    from ledger.workcal import calendar_for

    office = open_office(f"sqlite:///{path}", operator="bench", clock=Clock.at(AS_OF))
    soon = rules.soon_limit(calendar_for(office), TODAY,
                            office.settings["remind.lead_working_days"])
    office.close()
    con = sqlite3.connect(path)
    due = con.execute("SELECT COUNT(*) FROM ticket WHERE running_due <= ?",
                      (soon.isoformat(),)).fetchone()[0]
    con.close()
    return soon.isoformat(), due


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
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
        path = folder / f"remind-{args.rows}.db"
        if args.reuse and path.exists():
            built, soon, due = 0.0, *_due(path)
        else:
            if path.exists():
                path.unlink()
            built, soon, due = prepare(path, args.rows)
        print(f"{args.rows:,} tickets: built in {built:.1f} s, {due:,} overdue or due by {soon}")
        config = folder / "config.toml"
        config.write_text(f'[remind]\nsupervisor = "{SUPERVISOR}"\n'
                          f"escalate_after_working_days = {ESCALATE}\n", encoding="utf-8")
        env = {"JIEDAO_CONFIG": str(config), "XDG_CACHE_HOME": str(folder / "cache"),
               "JIEDAO_LANG": "en"}
        p = median_seconds([sys.executable, str(plain), str(path), TODAY.isoformat(), soon,
                            SUPERVISOR, str(ESCALATE)], runs=args.runs)
        j = median_seconds([JIEDAO, "--db", str(path), "--as-of", AS_OF, "remind", "--dry-run",
                            "--json"], runs=args.runs, env=env)
        ok = print_figures([Figure("plain sqlite3 selection + grouping", p),
                            Figure("jiedao remind --dry-run --json", j, p, 1.3)])
        print("\nall targets met" if ok else "\nSOME TARGETS MISSED")


if __name__ == "__main__":
    main()
