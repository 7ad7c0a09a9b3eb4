"""Benchmark: ``jiedao import`` against ``sqlite-utils insert --csv`` and a plain stdlib
``csv`` + ``sqlite3`` executemany loader, on the same generated files, in the same run.

* a petitions CSV and a members CSV of ``--rows`` rows (200,000 by default);
* each loader runs as a subprocess on a fresh copy of the same database (start-up included),
  and reports its own peak memory (``ru_maxrss``);
* memory is also measured on a quarter of the rows, to show it does not grow with the file;
* 10,000 petitions through ``jiedao import`` against 10,000 ``petitions.register`` calls.

Targets (issue #9): ``jiedao import`` at most 0.5x sqlite-utils' time and 3x the plain
loader's; peak memory under 100 MB and flat from a quarter to all the rows. Figures are
printed whether or not targets are met. Each ratio is given twice: wall-clock time (what the
issue asks) and CPU time (user + system of each child), which a machine shared with other
work disturbs much less.

    .venv/bin/pip install -e '.[bench]'
    .venv/bin/python bench/bench_import.py [--rows 200000] [--dir DIR]

Not part of pytest; CI does not run it.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import Figure, print_figures  # noqa: E402

PY = sys.executable
BIN = Path(sys.executable).parent
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超兰霞平刚桂"
WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
CHECK = "10X98765432"

# Runs a loader in a child and prints its peak memory (KB) as the last stderr line.
MEASURED = """
import resource, runpy, sys
sys.argv = sys.argv[1:]
try:
    if sys.argv[0] == "-m":
        sys.argv = sys.argv[1:]
        runpy.run_module(sys.argv[0], run_name="__main__", alter_sys=True)
    else:
        runpy.run_path(sys.argv[0], run_name="__main__")
except SystemExit as exc:
    if exc.code not in (0, None):
        raise
finally:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    print("MAXRSS", usage.ru_maxrss, usage.ru_utime + usage.ru_stime, file=sys.stderr)
"""

PLAIN = """
import csv, sqlite3, sys
db, table, path = sys.argv[1:4]
con = sqlite3.connect(db)
with open(path, encoding="utf-8-sig", newline="") as handle:
    rows = csv.reader(handle)
    header = next(rows)
    cols = ", ".join(f'"c{i}"' for i in range(len(header)))
    con.execute(f'CREATE TABLE IF NOT EXISTS "{table}" ({cols})')
    marks = ", ".join("?" * len(header))
    con.executemany(f'INSERT INTO "{table}" VALUES ({marks})', rows)
con.commit()
"""


def id_number(rng: random.Random, serial: int) -> str:
    birth = dt.date(1950, 1, 1) + dt.timedelta(days=serial // 900)
    first17 = f"430102{birth:%Y%m%d}{serial % 900 + 100:03d}"
    return first17 + CHECK[sum(int(c) * w for c, w in zip(first17, WEIGHTS, strict=True)) % 11]


def name(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.randint(1, 2)))


def write_members(path: Path, rows: int, seed: int = 7) -> None:
    rng = random.Random(seed)
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["姓名", "身份证号", "电话", "所在村", "学历", "政治面貌", "备注"])
        for i in range(rows):
            writer.writerow([name(rng), id_number(rng, i), f"0731{rng.randint(0, 9999999):07d}",
                             f"V{rng.randint(1, 20):02d}",
                             rng.choice(["bachelor", "associate", "大学本科", ""]),
                             rng.choice(["party_member", "masses", ""]), ""])


def write_petitions(path: Path, rows: int, seed: int = 11) -> None:
    rng = random.Random(seed)
    start = dt.date(2024, 1, 1)
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["编号", "渠道", "收到日期", "类别", "涉及村", "内容摘要", "信访人",
                         "信访人电话"])
        for _ in range(rows):
            day = start + dt.timedelta(days=rng.randint(0, 600))
            writer.writerow(["", rng.choice(["visit", "letter", "online", "来访"]),
                             f"{day.year}/{day.month}/{day.day}",
                             rng.choice(["land_demolition", "village_finances", "social_security"]),
                             f"V{rng.randint(1, 20):02d}", "路灯不亮，夜间出行不便",
                             name(rng), f"139{rng.randint(0, 99999999):08d}"])


def make_template(path: Path, env: dict[str, str]) -> None:
    url = f"sqlite:///{path}"
    subprocess.run([str(BIN / "jiedao"), "--db", url, "init", "--no-roles"], check=True, env=env,
                   stdout=subprocess.DEVNULL)
    code = (
        "from ledger import open_office, villages\n"
        f"o = open_office({url!r}, operator='bench')\n"
        "with o.transaction():\n"
        "    for i in range(1, 21):\n"
        "        villages.add_village(o, name=f'村{i:02d}', code=f'V{i:02d}')\n")
    subprocess.run([PY, "-c", code], check=True, env=env)


CPU: dict[str, float] = {}  # label -> CPU seconds of the last run measured under it


def measured(argv: list[str], env: dict[str, str], label: str = "") -> tuple[float, float]:
    """(seconds, peak MB) of one run of ``argv`` (a script path or ``-m module`` + args).
    Its CPU seconds (user + system) are kept in ``CPU[label]``: on a shared machine wall
    time follows the load, CPU time much less."""
    start = time.perf_counter()
    done = subprocess.run([PY, "-c", MEASURED, *argv], stdout=subprocess.DEVNULL,
                          stderr=subprocess.PIPE, env=env, check=False)
    seconds = time.perf_counter() - start
    err = done.stderr.decode(errors="replace").strip().splitlines()
    if done.returncode != 0 or not err or not err[-1].startswith("MAXRSS"):
        raise RuntimeError(f"{' '.join(argv)} failed: {' | '.join(err[-5:])}")
    _, rss, cpu = err[-1].split()
    if label:
        CPU[label] = float(cpu)
    return seconds, int(rss) / 1024


def fresh(template: Path, work: Path, tag: str) -> Path:
    path = work / f"{tag}.db"
    shutil.copy(template, path)
    return path


def bench_env(work: Path) -> dict[str, str]:
    config = work / "config.toml"
    config.write_text("", encoding="utf-8")  # the default settings
    return {**os.environ, "JIEDAO_CONFIG": str(config), "JIEDAO_OPERATOR": "bench",
            "JIEDAO_LANG": "en"}


def bench_kind(kind: str, csv_path: Path, template: Path, work: Path,
               env: dict[str, str]) -> tuple[list[Figure], float]:
    db = fresh(template, work, f"{kind}-jiedao")
    jiedao_s, jiedao_mb = measured(["-m", "jiedao", "--db", f"sqlite:///{db}", "import",
                                    kind, str(csv_path)], env, "jiedao")
    utils_db = fresh(template, work, f"{kind}-utils")
    utils_s, utils_mb = measured(["-m", "sqlite_utils", "insert", str(utils_db),
                                  f"raw_{kind}", str(csv_path), "--csv"], env, "utils")
    plain_script = work / "plain.py"
    plain_script.write_text(PLAIN, encoding="utf-8")
    plain_db = fresh(template, work, f"{kind}-plain")
    plain_s, plain_mb = measured([str(plain_script), str(plain_db), f"raw_{kind}",
                                  str(csv_path)], env, "plain")
    rows = sum(1 for _ in csv_path.open(encoding="utf-8")) - 1
    print(f"{kind}: {rows} rows — jiedao import {rows / jiedao_s:,.0f} rows/s "
          f"({jiedao_mb:.0f} MB peak), sqlite-utils {rows / utils_s:,.0f} rows/s "
          f"({utils_mb:.0f} MB), plain {rows / plain_s:,.0f} rows/s ({plain_mb:.0f} MB)")
    print(f"{kind}: CPU seconds — jiedao import {CPU['jiedao']:.1f}, "
          f"sqlite-utils {CPU['utils']:.1f}, plain {CPU['plain']:.1f} "
          f"(ratios {CPU['jiedao'] / CPU['utils']:.2f}x and {CPU['jiedao'] / CPU['plain']:.1f}x)")
    return [Figure(f"{kind}: plain csv+sqlite3", plain_s),
            Figure(f"{kind}: sqlite-utils insert --csv", utils_s),
            Figure(f"{kind}: jiedao import vs sqlite-utils", jiedao_s, baseline=utils_s,
                   target=0.5),
            Figure(f"{kind}: jiedao import vs plain", jiedao_s, baseline=plain_s,
                   target=3.0),
            Figure(f"{kind}: jiedao import vs sqlite-utils, CPU", CPU["jiedao"],
                   baseline=CPU["utils"], target=0.5),
            Figure(f"{kind}: jiedao import vs plain, CPU", CPU["jiedao"],
                   baseline=CPU["plain"], target=3.0)], jiedao_mb


def bench_one_by_one(count: int, template: Path, work: Path, env: dict[str, str]) -> list[Figure]:
    path = work / f"petitions-{count}.csv"
    write_petitions(path, count, seed=3)
    db = fresh(template, work, "one-by-one-import")
    imported, _ = measured(["-m", "jiedao", "--db", f"sqlite:///{db}", "import",
                            "petitions", str(path)], env)
    script = work / "one_by_one.py"
    db2 = fresh(template, work, "one-by-one-service")
    script.write_text(f"""
import csv
from ledger import open_office, petitions
from ledger.config import load_settings
o = open_office({f"sqlite:///{db2}"!r}, operator="bench", settings=load_settings())
channels = {{"来访": "visit"}}
with open({str(path)!r}, encoding="utf-8", newline="") as handle:
    rows = csv.reader(handle)
    next(rows)
    for number, channel, received, category, village, summary, who, phone in rows:
        y, m, d = (int(x) for x in received.split("/"))
        petitions.register(o, channel=channels.get(channel, channel), category=category,
                           summary=summary, received_on=f"{{y:04d}}-{{m:02d}}-{{d:02d}}",
                           village=village, petitioners=[{{"name": who, "phone": phone}}],
                           detail=False)
""", encoding="utf-8")
    one_by_one, _ = measured([str(script)], env)
    print(f"{count} petitions: import {count / imported:,.0f}/s, "
          f"register one by one {count / one_by_one:,.0f}/s")
    return [Figure(f"{count} petitions: register() one by one", one_by_one),
            Figure(f"{count} petitions: jiedao import", imported, baseline=one_by_one)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=200_000)
    parser.add_argument("--one-by-one", type=int, default=10_000)
    parser.add_argument("--dir", type=Path, default=None)
    args = parser.parse_args()
    work = args.dir or Path(tempfile.mkdtemp(prefix="jiedao-bench-import-"))
    work.mkdir(parents=True, exist_ok=True)
    env = bench_env(work)
    template = work / "template.db"
    if not template.exists():
        make_template(template, env)
    figures: list[Figure] = []
    memory: list[str] = []
    for kind, writer in (("petitions", write_petitions), ("members", write_members)):
        big = work / f"{kind}-{args.rows}.csv"
        small = work / f"{kind}-{args.rows // 4}.csv"
        writer(big, args.rows)
        writer(small, args.rows // 4)
        kind_figures, big_mb = bench_kind(kind, big, template, work, env)
        figures += kind_figures
        db = fresh(template, work, f"{kind}-small")
        _, small_mb = measured(["-m", "jiedao", "--db", f"sqlite:///{db}", "import",
                                kind, str(small)], env)
        flat = big_mb <= small_mb * 1.25 + 5
        memory.append(f"{kind}: peak {small_mb:.0f} MB at {args.rows // 4} rows, "
                      f"{big_mb:.0f} MB at {args.rows} rows — "
                      f"{'ok' if big_mb < 100 else 'MISSED'} (<100 MB), "
                      f"{'flat' if flat else 'GROWS'}")
    if args.one_by_one:
        figures += bench_one_by_one(args.one_by_one, template, work, env)
    print()
    print_figures(figures, title=f"jiedao import, {args.rows} rows (work dir {work})")
    print()
    for text in memory:
        print(text)


if __name__ == "__main__":
    main()
