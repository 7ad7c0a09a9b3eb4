"""Benchmark: ``jiedao tickets list --overdue`` and ``tickets report`` against plain scripts.

Builds databases of 1,000 and 1,000,000 tickets (schema, villages and the 47 items through
ledger; tickets through sqlite3 ``executemany`` with the ticket indexes dropped during the
load and rebuilt after), then times, as subprocesses with start-up included, in one run:

* ``jiedao --db … tickets list --overdue --json`` (every overdue ticket),
* the same with ``--limit 50`` (the first page),
* ``jiedao --db … tickets report --json`` (this year, per item, agent and village),

each against a plain Python script (stdlib sqlite3 + json) doing the same selection and
printing the same JSON. Targets: every command within 3x its plain script; the first page
on 1,000,000 within 1.3x of the first page on 1,000.

    .venv/bin/python bench/bench_tickets.py [--sizes 1000,1000000] [--runs 5] [--dir DIR]

Takes about a minute and a half on the 2-core machine, most of it building the 1M database.
Not part of pytest; CI does not run it.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import random
import sqlite3
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.common import Figure, median_seconds, print_figures  # noqa: E402

TODAY = dt.date(2026, 11, 27)
AS_OF = "2026-11-27T10:00:00+08:00"
JIEDAO = str(Path(sys.executable).parent / "jiedao")
YEARS = 10  # tickets spread over the last ten years
OPEN_SHARE = 0.025  # received, in progress or returned: all received in the last 60 days

PLAIN_LIST = r'''
import datetime as dt, json, sqlite3, sys
path, today, limit = sys.argv[1], dt.date.fromisoformat(sys.argv[2]), int(sys.argv[3])
soon = today + dt.timedelta(days=4)
con = sqlite3.connect(path)
items = {i: (c, n) for i, c, n in con.execute("SELECT id, code, name FROM service_item")}
villages = dict(con.execute("SELECT id, name FROM village"))
sql = ("SELECT id, number, track, item_id, applicant_name, applicant_phone, "
       "applicant_id_number, village_id, enterprise, project, agent, received_at, received_on, "
       "state, due_date, due_provisional, running_due, done_on, on_time, satisfaction "
       "FROM ticket WHERE running_due < ? ORDER BY running_due, id"
       + (" LIMIT %d" % limit if limit else ""))
def mask_phone(v):
    if not v: return ""
    return v[:3] + "*" * (len(v) - 7) + v[-4:]
def mask_id(v):
    if not v: return ""
    return v[:4] + "*" * (len(v) - 8) + v[-4:]
out = sys.stdout
out.write("[")
first = True
for (tid, number, track, item_id, name, phone, idn, village_id, enterprise, project, agent,
     received_at, received_on, state, due, prov, running, done_on, on_time,
     satisfaction) in con.execute(sql, (today.isoformat(),)):
    code, item = items.get(item_id, ("", ""))
    r = dt.date.fromisoformat(running) if running else None
    deadline = None if r is None else "overdue" if r < today else "due_soon" if r <= soon else "ok"
    row = {"id": tid, "number": number, "track": track, "item_code": code, "item": item,
           "applicant_name": name, "applicant_phone": mask_phone(phone),
           "applicant_id_number": mask_id(idn), "village": villages.get(village_id, ""),
           "enterprise": enterprise, "project": project, "agent": agent,
           "received_at": dt.datetime.fromisoformat(received_at).replace(
               tzinfo=dt.timezone.utc).isoformat(),
           "received_on": received_on, "state": state, "due_date": due,
           "due_provisional": bool(prov), "deadline_state": deadline, "done_on": done_on,
           "on_time": None if on_time is None else bool(on_time), "satisfaction": satisfaction}
    out.write(("\n" if first else ",\n") + json.dumps(row, ensure_ascii=False))
    first = False
out.write("\n]\n" if not first else "]\n")
'''

PLAIN_REPORT = r'''
import datetime as dt, json, sqlite3, sys
path, today = sys.argv[1], sys.argv[2]
year = int(today[:4])
con = sqlite3.connect(path)
period = (f"{year}-01-01", f"{year}-12-31")
figures = ("COUNT(id), SUM(CASE WHEN state='done' THEN 1 ELSE 0 END), "
           "SUM(CASE WHEN state IN ('received','in_progress','returned') THEN 1 ELSE 0 END), "
           "SUM(CASE WHEN state='withdrawn' THEN 1 ELSE 0 END), "
           "SUM(CASE WHEN state='done' AND on_time=1 THEN 1 ELSE 0 END), "
           "SUM(CASE WHEN running_due < ? THEN 1 ELSE 0 END), "
           "SUM(CASE WHEN satisfaction='satisfied' THEN 1 ELSE 0 END), "
           "SUM(CASE WHEN satisfaction='basically_satisfied' THEN 1 ELSE 0 END), "
           "SUM(CASE WHEN satisfaction='dissatisfied' THEN 1 ELSE 0 END)")
def median(h):
    total = sum(n for _, n in h)
    if not total: return None
    want, found, seen = [(total - 1) // 2, total // 2], [], 0
    for v, n in sorted(h):
        while want and want[0] < seen + n:
            found.append(v); want.pop(0)
        seen += n
    return (found[0] + found[1]) / 2
def share(a, b): return round(a / b, 4) if b else None
def groups(key):
    sel = f"{key}, {figures}" if key else figures
    sql = f"SELECT {sel} FROM ticket WHERE received_on BETWEEN ? AND ?"
    if key: sql += f" GROUP BY {key}"
    out = {}
    for row in con.execute(sql, (today, *period)):
        k, vals = (row[0], row[1:]) if key else (None, row)
        c, d, o, w, ot, ov, s1, s2, s3 = (int(v or 0) for v in vals)
        rated = s1 + s2 + s3
        out[k] = {"count": c, "done": d, "open": o, "withdrawn": w, "on_time": ot,
                  "on_time_rate": share(ot, d), "overdue": ov, "rated": rated,
                  "satisfied_share": share(s1, rated),
                  "basically_satisfied_share": share(s2, rated),
                  "dissatisfied_share": share(s3, rated), "median_working_days": None}
    hs = (f"{key}, " if key else "") + "working_days_taken, COUNT(id)"
    gb = (f"{key}, " if key else "") + "working_days_taken"
    hist = {}
    for row in con.execute(f"SELECT {hs} FROM ticket WHERE state='done' AND "
                           f"working_days_taken IS NOT NULL AND received_on BETWEEN ? AND ? "
                           f"GROUP BY {gb}", period):
        k, v, n = (row[0], row[1], row[2]) if key else (None, row[0], row[1])
        hist.setdefault(k, []).append((v, n))
    for k, h in hist.items():
        if k in out: out[k]["median_working_days"] = median(h)
    return out
result = {"period": {"year": year}, "as_of": today, "totals": groups(None).get(None)}
for dim, key in (("item", "item_id"), ("agent", "agent"), ("village", "village_id")):
    result["by_" + dim] = [{"key": k, **v} for k, v in groups(key).items()]
print(json.dumps(result, ensure_ascii=False, indent=2))
'''

AGENTS = ("王芳", "李强", "张丽", "刘洋", "陈静", "杨帆", "赵敏", "孙浩")
NAMES = ("许桂兰", "王建国", "李秀英", "张志强", "刘海燕", "陈德明", "杨淑珍", "赵玉梅")


def _iso(day: dt.date) -> str:
    return day.isoformat()


def _tickets(n: int, items: list[tuple[int, str, int]], villages: list[int],
             rng: random.Random) -> Iterator[tuple]:
    """Rows in the ticket table's column order (see COLUMNS)."""
    sats = ("satisfied", "satisfied", "satisfied", "basically_satisfied", "dissatisfied")
    serial: dict[int, int] = {}
    days = YEARS * 365
    stamp = "2026-11-27 02:00:00"
    for i in range(1, n + 1):
        item_id, track, limit = items[rng.randrange(len(items))]
        roll = rng.random()
        if roll < OPEN_SHARE:
            received = TODAY - dt.timedelta(days=rng.randrange(60))
            state = ("received", "in_progress", "in_progress", "returned")[rng.randrange(4)]
        else:
            received = TODAY - dt.timedelta(days=rng.randrange(60, days))
            state = "withdrawn" if roll > 0.99 else "done"
        year = received.year
        serial[year] = serial.get(year, 0) + 1
        due = received + dt.timedelta(days=limit * 7 // 5)
        running = _iso(due) if state in ("received", "in_progress") else None
        done_on = taken = on_time = satisfaction = None
        if state == "done":
            taken = rng.randrange(0, limit + 4)
            done_on = _iso(received + dt.timedelta(days=taken * 7 // 5))
            on_time = int(taken <= limit)
            satisfaction = sats[rng.randrange(5)] if rng.random() < 0.7 else None
        yield (i, f"DB-{year}-{serial[year]:06d}", item_id, track, NAMES[i % 8], "xgl",
               "xuguilan", None, f"138{i % 100000000:08d}", villages[i % len(villages)], "", "",
               AGENTS[i % 8], f"{_iso(received)} 01:30:00", _iso(received), state, limit,
               _iso(due), 0, running, None, 0, "[]", done_on, taken, on_time, satisfaction,
               "", "", stamp, stamp)


COLUMNS = ("id, number, item_id, track, applicant_name, applicant_initials, applicant_pinyin, "
           "applicant_id_number, applicant_phone, village_id, enterprise, project, agent, "
           "received_at, received_on, state, time_limit_days, due_date, due_provisional, "
           "running_due, returned_on, returned_days, materials, done_on, working_days_taken, "
           "on_time, satisfaction, satisfaction_comment, notes, created_at, updated_at")


def build(path: Path, n: int) -> float:
    """A database of ``n`` tickets; returns the seconds it took."""
    from ledger import items as item_svc
    from ledger import open_office
    from ledger.villages import add_village

    start = time.perf_counter()
    office = open_office(f"sqlite:///{path}", create=True, check=False, operator="bench")
    from ledger import db as dbmod

    dbmod.upgrade(office.db)
    with (ROOT / "ledger" / "sample" / "data" / "villages.csv").open(encoding="utf-8") as f:
        for row in csv.DictReader(f):
            add_village(office, name=row["name"], code=row["code"])
    with (ROOT / "ledger" / "sample" / "data" / "items.csv").open(encoding="utf-8") as f:
        for row in csv.DictReader(f):
            item_svc.add_item(office, code=row["code"], name=row["name"],
                              category=row["category"], level=row["level"],
                              time_limit_days=int(row["time_limit_days"]), track=row["track"],
                              fee=row["fee"], materials=row["materials"])
    office.close()
    con = sqlite3.connect(path)
    items = list(con.execute("SELECT id, track, time_limit_days FROM service_item"))
    villages = [v for (v,) in con.execute("SELECT id FROM village")]
    indexes = [sql for (name, sql) in con.execute(
        "SELECT name, sql FROM sqlite_master WHERE type='index' AND tbl_name='ticket' "
        "AND sql IS NOT NULL")]
    names = [name for (name,) in con.execute(
        "SELECT name FROM sqlite_master WHERE type='index' AND tbl_name='ticket' "
        "AND sql IS NOT NULL")]
    for name in names:
        con.execute(f'DROP INDEX "{name}"')
    marks = ", ".join("?" * len(COLUMNS.split(",")))
    rows = _tickets(n, items, villages, random.Random(42))
    with con:
        con.executemany(f"INSERT INTO ticket ({COLUMNS}) VALUES ({marks})", rows)
    with con:
        for sql in indexes:
            con.execute(sql)
    con.close()
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,1000000")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--dir", help="Keep the databases here (default: a temporary dir).")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    # Measure the program as installed: with its bytecode compiled. (This environment sets
    # PYTHONDONTWRITEBYTECODE, so an edited module would otherwise be recompiled every run.)
    import compileall

    for package in ("ledger", "commands", "jiedao"):
        compileall.compile_dir(str(ROOT / package), quiet=1)
    with tempfile.TemporaryDirectory(prefix="bench-tickets-") as tmp:
        folder = Path(args.dir or tmp)
        folder.mkdir(parents=True, exist_ok=True)
        plain_list = folder / "plain_list.py"
        plain_list.write_text(PLAIN_LIST, encoding="utf-8")
        plain_report = folder / "plain_report.py"
        plain_report.write_text(PLAIN_REPORT, encoding="utf-8")
        first_pages: dict[int, float] = {}
        # The floor under every command: the interpreter with click and peewee imported.
        py = sys.executable
        bare = median_seconds([py, "-c", "import sqlite3, json"], runs=args.runs)
        libs = median_seconds([py, "-c", "import click, peewee"], runs=args.runs)
        version = median_seconds([JIEDAO, "--version"], runs=args.runs)
        print_figures([Figure("python -c 'import sqlite3, json'", bare),
                       Figure("python -c 'import click, peewee'", libs, bare),
                       Figure("jiedao --version", version, bare)],
                      title="Start-up floor")
        all_ok = True
        for n in sizes:
            path = folder / f"tickets-{n}.db"
            if path.exists():
                path.unlink()
            built = build(path, n)
            con = sqlite3.connect(path)
            overdue = con.execute("SELECT COUNT(*) FROM ticket WHERE running_due < ?",
                                  (TODAY.isoformat(),)).fetchone()[0]
            con.close()
            print(f"\n{n:,} tickets: built in {built:.1f} s, {overdue:,} overdue")
            base = [JIEDAO, "--db", str(path), "--as-of", AS_OF, "tickets"]
            py = sys.executable
            runs = args.runs
            p_all = median_seconds([py, str(plain_list), str(path), TODAY.isoformat(), "0"],
                                   runs=runs)
            j_all = median_seconds([*base, "list", "--overdue", "--json"], runs=runs)
            p_page = median_seconds([py, str(plain_list), str(path), TODAY.isoformat(), "50"],
                                    runs=runs)
            j_page = median_seconds([*base, "list", "--overdue", "--json", "--limit", "50"],
                                    runs=runs)
            p_rep = median_seconds([py, str(plain_report), str(path), TODAY.isoformat()],
                                   runs=runs)
            j_rep = median_seconds([*base, "report", "--json"], runs=runs)
            first_pages[n] = j_page
            all_ok &= print_figures([
                Figure("plain list --overdue (all)", p_all),
                Figure("jiedao tickets list --overdue --json", j_all, p_all, 3.0),
                Figure("plain list --overdue (first 50)", p_page),
                Figure("jiedao ... --overdue --json --limit 50", j_page, p_page, 3.0),
                Figure("plain report (this year)", p_rep),
                Figure("jiedao tickets report --json", j_rep, p_rep, 3.0),
            ])
        if len(first_pages) >= 2:
            small, large = min(first_pages), max(first_pages)
            print()
            all_ok &= print_figures([
                Figure(f"first page on {small:,}", first_pages[small]),
                Figure(f"first page on {large:,}", first_pages[large], first_pages[small], 1.3),
            ], title="Scaling of the first page")
        print("\nall targets met" if all_ok else "\nSOME TARGETS MISSED")


if __name__ == "__main__":
    main()
