"""Benchmark: the lists on 1,000,000 rows against plain stdlib sqlite3 scripts, same run.

Builds one database of 1,000,000 tickets (``bench_tickets.build``) and 1,000,000 petitions
with their first petitioners (``bench_petitions``' rows), then times, as subprocesses with
start-up included, each command against a plain Python script (sqlite3 + json, nothing of
jiedao) that prints the same thing:

* ``tickets list --overdue --json`` and ``tickets list --due-soon --json`` (every matching
  ticket, streamed one row a line);
* ``petitions list --overdue --json`` and ``petitions list --due-within 3 --json`` (the
  office's ``petitions.due_soon_days``: what the list marks due soon);
* ``tickets list --limit 50``: the table a clerk reads (newest first), and the count of all.

Each pair's outputs are compared first (the same JSON rows; the same table text): a faster
command that printed something else would prove nothing. What is settings or calendar
(the due-soon day, which years' schedules are provisional, the labels) is given to the plain
scripts, not computed by them. Targets (issue #10): every overdue and due-soon list within
1.3x its plain script, the 50-row table within 2x. Wall time and CPU time (user + system)
are both printed: on a busy machine the CPU ratio is the steadier one. The start-up floor
(``jiedao --version`` beside a bare interpreter) is printed first, and each case also shows
its work beyond start-up: a short list or a page is mostly the interpreter loading click
and peewee, which a plain script does not pay.

    .venv/bin/python bench/bench_lists.py [--rows 1000000] [--runs 5] [--dir DIR] [--reuse]

Not part of pytest; CI does not run it.
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

from bench.bench_petitions import _petitioners, _petitions  # noqa: E402
from bench.bench_tickets import AS_OF, TODAY, build  # noqa: E402
from bench.common import Figure, median_pair, print_figures  # noqa: E402

# This checkout's jiedao (the installed console script may be another one's).
JIEDAO = [sys.executable, "-m", "jiedao"]

PLAIN_TICKETS = r'''
import datetime as dt, json, sqlite3, sys
path, today, soon, mode, provisional = sys.argv[1:6]
provisional = {int(y) for y in provisional.split(",") if y}
con = sqlite3.connect(path)
items = {i: (c, n) for i, c, n in con.execute("SELECT id, code, name FROM service_item")}
villages = dict(con.execute("SELECT id, name FROM village"))
where = "running_due < ?" if mode == "overdue" else "running_due BETWEEN ? AND ?"
args = (today,) if mode == "overdue" else (today, soon)
sql = ("SELECT id, number, track, item_id, applicant_name, applicant_phone, "
       "applicant_id_number, village_id, enterprise, project, agent, agent_id, received_at, "
       "received_on, "
       "state, due_date, due_provisional, running_due, done_on, on_time, satisfaction "
       f"FROM ticket WHERE {where} ORDER BY running_due, id")
def mask_phone(v):
    if not v: return ""
    if len(v) <= 7: return v[:2] + "*" * (len(v) - 4) + v[-2:]
    return v[:3] + "*" * (len(v) - 7) + v[-4:]
def mask_id(v):
    if not v: return ""
    return v[:4] + "*" * (len(v) - 8) + v[-4:]
out = sys.stdout
out.write("[")
first = True
for (tid, number, track, item_id, name, phone, idn, village_id, enterprise, project, agent,
     agent_id, received_at, received_on, state, due, prov, running, done_on, on_time,
     satisfaction) in con.execute(sql, args):
    code, item = items.get(item_id, ("", ""))
    deadline = (None if running is None else "overdue" if running < today
                else "due_soon" if running <= soon else "ok")
    row = {"id": tid, "number": number, "track": track, "item_code": code, "item": item,
           "applicant_name": name, "applicant_phone": mask_phone(phone),
           "applicant_id_number": mask_id(idn),
           "village": villages.get(village_id, "") if village_id else "",
           "enterprise": enterprise, "project": project, "agent": agent,
           "agent_id": agent_id, "received_at": received_at.replace(" ", "T") + "+00:00",
           "received_on": received_on, "state": state, "due_date": due,
           "due_provisional": bool(prov), "deadline_state": deadline, "done_on": done_on,
           "on_time": None if on_time is None else bool(on_time), "satisfaction": satisfaction}
    out.write(("\n" if first else ",\n") + json.dumps(row, ensure_ascii=False))
    first = False
out.write("\n]\n" if not first else "]\n")
'''

PLAIN_PETITIONS = r'''
import datetime as dt, json, sqlite3, sys
path, today, soon_days, mode, provisional = sys.argv[1:6]
today, soon_days = dt.date.fromisoformat(today), int(soon_days)
provisional = {int(y) for y in provisional.split(",") if y}
last = (today + dt.timedelta(days=soon_days)).isoformat()
where = "p.next_due < ?" if mode == "overdue" else "p.next_due BETWEEN ? AND ?"
args = (today.isoformat(),) if mode == "overdue" else (today.isoformat(), last)
con = sqlite3.connect(path)
sql = f"""SELECT p.id, p.number, p.received_on, p.channel, p.category, v.name, p.state,
 p.handler, p.handler_id, p.collective, p.group_size, e.number, p.next_due, p.next_due_kind, f.name,
 f.phone, p.summary FROM petition p LEFT JOIN village v ON v.id = p.village_id
 LEFT JOIN petitioner f ON f.petition_id = p.id AND f.position = 0
 LEFT JOIN petition e ON e.id = p.repeat_of_id
 WHERE {where} ORDER BY p.next_due, p.id"""
def mask(v):
    if not v: return ""
    if len(v) <= 7: return v[:2] + "*" * (len(v) - 4) + v[-2:]
    return v[:3] + "*" * (len(v) - 7) + v[-4:]
out = sys.stdout
out.write("[")
first = True
for (pid, number, received, channel, category, village, state, handler, handler_id,
     collective, size,
     repeat, due, kind, name, phone, summary) in con.execute(sql, args):
    left = (dt.date.fromisoformat(due) - today).days
    row = {"id": pid, "number": number, "received_on": received, "channel": channel,
           "category": category, "village": village, "state": state, "handler": handler,
           "handler_id": handler_id, "collective": bool(collective), "group_size": size,
           "repeat_of": repeat,
           "petitioner": name, "petitioner_phone": mask(phone), "summary": summary,
           "next_due": due, "next_due_kind": kind,
           "next_due_provisional": any(y in provisional for y in
                                       range(int(received[:4]), int(due[:4]) + 1)),
           "days_left": left,
           "deadline_state": "overdue" if left < 0 else "due_soon" if left <= soon_days
           else "ok"}
    out.write(("\n" if first else ",\n") + json.dumps(row, ensure_ascii=False))
    first = False
out.write("\n]\n" if not first else "]\n")
'''

PLAIN_TABLE = r'''
import json, sqlite3, sys, unicodedata
path, today, soon, labels = sys.argv[1:5]
with open(labels, encoding="utf-8") as f:
    labels = json.load(f)
con = sqlite3.connect(path)
items = dict(con.execute("SELECT id, name FROM service_item"))
villages = dict(con.execute("SELECT id, name FROM village"))
rows = []
for (number, item_id, name, village_id, agent, received_on, state, due, prov,
     running) in con.execute(
        "SELECT number, item_id, applicant_name, village_id, agent, received_on, state, "
        "due_date, due_provisional, running_due FROM ticket ORDER BY id DESC LIMIT 50"):
    deadline = ("" if running is None else "overdue" if running < today
                else "due_soon" if running <= soon else "ok")
    rows.append([number, items.get(item_id, ""), name, villages.get(village_id, ""),
                 agent, received_on, labels["state"][state], due + ("*" if prov else ""),
                 labels["deadline"].get(deadline, "")])
total = con.execute("SELECT COUNT(*) FROM ticket").fetchone()[0]
def width(t):
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in t)
heads = labels["headers"]
sizes = [max([width(h)] + [width(r[i]) for r in rows]) for i, h in enumerate(heads)]
pad = lambda t, n: t + " " * (n - width(t))
print("  ".join(pad(h, s) for h, s in zip(heads, sizes)).rstrip())
print("  ".join("-" * s for s in sizes))
for r in rows:
    print("  ".join(pad(v, s) for v, s in zip(r, sizes)).rstrip())
print(f"rows 1\u2013{len(rows)} of {total}", file=sys.stderr)
'''


def add_petitions(path: Path, count: int) -> None:
    """``count`` petitions and their first petitioners (``bench_petitions``' rows: 1%
    overdue, 2% more open), loaded with the indexes dropped and rebuilt after."""
    con = sqlite3.connect(path)
    indexes = con.execute("SELECT name, sql FROM sqlite_master WHERE type = 'index' AND "
                          "tbl_name IN ('petition', 'petitioner') AND sql IS NOT NULL"
                          ).fetchall()
    for name, _ in indexes:
        con.execute(f'DROP INDEX "{name}"')
    rng = random.Random(count)
    with con:
        con.executemany(f"INSERT INTO petition VALUES ({', '.join('?' * 38)})",
                        ((*row, 1, None) for row in _petitions(count, rng)))
        con.executemany(
            "INSERT INTO petitioner (id, petition_id, position, name, phone, id_number,"
            " address, village_id, representative, name_initials, name_pinyin)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'xfr', 'xinfangren')",
            _petitioners(count, rng))
    with con:
        for _, sql in indexes:
            con.execute(sql)
    con.execute("ANALYZE")
    con.close()


def facts(path: Path, folder: Path) -> dict[str, Any]:
    """Settings and calendar the plain scripts are given: the tickets' due-soon day, the
    petitions' due-soon days, the years whose working-day schedule is provisional, and the
    table's labels in the command's language."""
    from ledger import open_office
    from ledger.clock import Clock
    from ledger.i18n import field_label, set_language, value_label
    from ledger.tickets import rules
    from ledger.tickets.rules import DEADLINE_STATES, STATES
    from ledger.workcal import calendar_for

    set_language("en")
    office = open_office(f"sqlite:///{path}", operator="bench", clock=Clock.at(AS_OF))
    cal = calendar_for(office)
    soon = rules.soon_limit(cal, TODAY, office.settings["tickets.due_soon_working_days"])
    provisional = [y for y in range(1990, 2100) if cal.is_provisional(y)]
    labels = {
        "headers": [field_label(f) for f in ("number", "item", "applicant_name", "village",
                                            "agent", "received_on", "state", "due_date",
                                            "deadline_state")],
        "state": {s: value_label("ticket_state", s) for s in STATES},
        "deadline": {s: value_label("deadline_state", s) for s in DEADLINE_STATES},
    }
    settings = office.settings
    office.close()
    (folder / "labels.json").write_text(json.dumps(labels, ensure_ascii=False),
                                        encoding="utf-8")
    return {"soon": soon.isoformat(), "soon_days": settings["petitions.due_soon_days"],
            "provisional": ",".join(str(y) for y in provisional),
            "labels": str(folder / "labels.json")}


def _same(name: str, ours: bytes, theirs: bytes, as_json: bool) -> None:
    same = json.loads(ours) == json.loads(theirs) if as_json else ours == theirs
    if not same:
        raise SystemExit(f"{name}: the outputs differ, the comparison would mean nothing")


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
    with tempfile.TemporaryDirectory(prefix="bench-lists-") as tmp:
        folder = Path(args.dir or tmp)
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"lists-{args.rows}.db"
        built = 0.0
        if not (args.reuse and path.exists()):
            path.unlink(missing_ok=True)
            start = time.perf_counter()
            build(path, args.rows)
            add_petitions(path, args.rows)
            built = time.perf_counter() - start
        env = {"JIEDAO_CONFIG": str(folder / "config.toml"), "JIEDAO_LANG": "en",
               "XDG_CACHE_HOME": str(folder / "cache"), "PYTHONPATH": str(ROOT)}
        (folder / "config.toml").write_text("", encoding="utf-8")  # the default settings
        os.environ.update(env)
        known = facts(path, folder)
        scripts = {}
        for name, text in (("tickets", PLAIN_TICKETS), ("petitions", PLAIN_PETITIONS),
                           ("table", PLAIN_TABLE)):
            scripts[name] = folder / f"plain_{name}.py"
            scripts[name].write_text(text, encoding="utf-8")
        con = sqlite3.connect(path)
        counts = [con.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0]
                  for t in ("ticket", "petition")]
        con.close()
        print(f"{counts[0]:,} tickets, {counts[1]:,} petitions (built in {built:.0f} s)")
        base = [*JIEDAO, "--db", str(path), "--as-of", AS_OF]
        py, db, day = sys.executable, str(path), TODAY.isoformat()
        cases: list[tuple[str, list[str], list[str], bool, float]] = []
        for mode in ("overdue", "due_soon"):
            flag = "--" + mode.replace("_", "-")
            cases.append((f"tickets list {flag} --json", [*base, "tickets", "list", flag,
                                                           "--json"],
                          [py, str(scripts["tickets"]), db, day, known["soon"], mode,
                           known["provisional"]], True, 1.3))
            # Petitions say "due soon" as --due-within the office's petitions.due_soon_days.
            pflag = ([flag] if mode == "overdue"
                     else ["--due-within", str(known["soon_days"])])
            cases.append((f"petitions list {' '.join(pflag)} --json",
                          [*base, "petitions", "list", *pflag, "--json"],
                          [py, str(scripts["petitions"]), db, day, str(known["soon_days"]),
                           mode, known["provisional"]], True, 1.3))
        cases.append(("tickets list --limit 50 (table)", [*base, "tickets", "list", "--limit",
                                                          "50"],
                      [py, str(scripts["table"]), db, day, known["soon"], known["labels"]],
                      False, 2.0))
        # The floor under every command: start-up alone, beside a bare interpreter's.
        bare, version = median_pair([py, "-c", "import sqlite3, json"], [*JIEDAO, "--version"],
                                    runs=args.runs)
        libs, _ = median_pair([py, "-c", "import click, peewee"], [py, "-c", "pass"],
                              runs=args.runs)
        print()
        print_figures([Figure("python -c 'import sqlite3, json' (CPU)", bare.cpu),
                       Figure("python -c 'import click, peewee' (CPU)", libs.cpu, bare.cpu),
                       Figure("jiedao --version (CPU)", version.cpu, bare.cpu)],
                      title="Start-up floor")
        all_ok = True
        for name, ours, theirs, as_json, target in cases:
            out_j = subprocess.run(ours, capture_output=True, check=True)
            out_p = subprocess.run(theirs, capture_output=True, check=True)
            _same(name, out_j.stdout, out_p.stdout, as_json)
            if not as_json:
                _same(name + " (stderr)", out_j.stderr, out_p.stderr, False)
            rows = len(json.loads(out_j.stdout)) if as_json else 50
            plain, jiedao = median_pair(theirs, ours, runs=args.runs)
            print()
            all_ok &= print_figures([
                Figure("plain script (wall)", plain.wall),
                Figure("jiedao (wall)", jiedao.wall, plain.wall, target),
                Figure("plain script (CPU)", plain.cpu),
                Figure("jiedao (CPU)", jiedao.cpu, plain.cpu, target),
                # What is left once each side's start-up is taken off: the work itself.
                Figure("  beyond start-up: plain (CPU)", max(plain.cpu - bare.cpu, 0.001)),
                Figure("  beyond start-up: jiedao (CPU)", max(jiedao.cpu - version.cpu, 0.0),
                       max(plain.cpu - bare.cpu, 0.001)),
            ], title=f"{name}: {rows:,} rows, the same output")
        print("\nall targets met" if all_ok else "\nSOME TARGETS MISSED")


if __name__ == "__main__":
    main()
