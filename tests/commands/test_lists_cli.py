"""Every area's ``list`` prints the one way (commands.output.print_list): ``--json`` streams
every matching row as one JSON array, read lazily from the area's ``iter_x``; a table is one
page with "rows a–b of N" on stderr, so stdout holds only the rows."""

from __future__ import annotations

import datetime as dt
import json
import shutil
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

import commands.output
from ledger import items, journal, members, open_office, petitions, tickets, villages
from ledger.errors import ValidationError
from ledger.office import Office

ROWS = 60  # more than a table's page (50) and than the old members --json cut-off


def _villages(office: Office) -> None:
    for i in range(ROWS):
        villages.add_village(office, name=f"第{i:02d}村", code=f"V{i:02d}")


def _items(office: Office) -> None:
    for i in range(ROWS):
        items.add_item(office, code=f"R{i:02d}", name=f"事项{i:02d}", category="社会救助",
                       level="district", time_limit_days=5, materials="身份证")


def _one_village(office: Office) -> None:
    villages.add_village(office, name="许庄村", code="V01")


def _members(office: Office) -> None:
    _one_village(office)
    for i in range(ROWS):
        members.add_member(office, name=f"成员{i:02d}", village="V01", post="committee_member",
                           phone=f"139000{i:05d}")


def _tickets(office: Office) -> None:
    _one_village(office)
    items.add_item(office, code="R11", name="城乡低保", category="社会救助", level="district",
                   time_limit_days=15, materials="身份证")
    for i in range(ROWS):
        tickets.open_ticket(office, item="R11", applicant_name=f"申请人{i:02d}",
                            applicant_phone=f"139000{i:05d}", village="V01",
                            received_at=dt.datetime(2026, 11, 2, 9, i))


def _petitions(office: Office) -> None:
    _one_village(office)
    for i in range(ROWS):
        petitions.register(office, channel="letter", category="land_demolition",
                           summary="拆迁补偿未到位", village="V01",
                           received_on=dt.date(2026, 6, 1) + dt.timedelta(days=i),
                           petitioners=[{"name": f"信访人{i:02d}", "phone": f"139000{i:05d}"}])


AREAS: dict[str, tuple[Callable[[Office], None], Any, str]] = {
    # area: (fill, ledger module, name of its iter_x)
    "villages": (_villages, villages, "iter_villages"),
    "items": (_items, items, "iter_items"),
    "members": (_members, members, "iter_members"),
    "tickets": (_tickets, tickets, "iter_tickets"),
    "petitions": (_petitions, petitions, "iter_petitions"),
}


_FILLED: dict[str, Path] = {}  # area -> a database holding its rows, made once a session


def _filled_copy(area: str, tmp_path: Path, tmp_path_factory: pytest.TempPathFactory,
                 sqlite_template: Path, clock: Any) -> str:
    if area not in _FILLED:
        path = tmp_path_factory.mktemp("lists") / f"{area}.db"
        shutil.copy(sqlite_template, path)
        office = open_office(f"sqlite:///{path}", operator="tester", clock=clock)
        try:
            AREAS[area][0](office)
        finally:
            office.close()
        _FILLED[area] = path
    copy = tmp_path / "filled.db"
    shutil.copy(_FILLED[area], copy)
    return f"sqlite:///{copy}"


@pytest.fixture(params=list(AREAS))
def filled(request: pytest.FixtureRequest, jiedao, tmp_path, tmp_path_factory, sqlite_template,
           clock) -> tuple[str, Any]:
    url = _filled_copy(request.param, tmp_path, tmp_path_factory, sqlite_template, clock)

    def cli(*args: str) -> Any:
        return jiedao("--db", url, request.param, "list", *args)
    return request.param, cli


def test_json_is_every_row_and_valid(filled):
    _, cli = filled
    result = cli("--json")
    assert result.code == 0, result.err
    rows = json.loads(result.out)
    assert len(rows) == ROWS
    assert len({r["id"] for r in rows}) == ROWS
    assert result.err == ""
    paged = json.loads(cli("--json", "--limit", "7", "--offset", "55").out)
    assert [r["id"] for r in paged] == [r["id"] for r in rows[55:]]


def test_a_table_is_one_page_with_the_count_on_stderr(filled):
    _, cli = filled
    first = cli()
    assert first.code == 0, first.err
    assert len(first.out.splitlines()) == 2 + 50  # header, rule, a page of rows
    assert first.err == f"rows 1–50 of {ROWS}\n"
    rest = cli("--offset", "50")
    assert len(rest.out.splitlines()) == 2 + ROWS - 50
    assert rest.err == f"rows 51–{ROWS} of {ROWS}\n"
    some = cli("--limit", "3", "--offset", "1")
    assert len(some.out.splitlines()) == 2 + 3 and some.err == f"rows 2–4 of {ROWS}\n"
    beyond = cli("--offset", "1000")
    assert beyond.code == 0 and len(beyond.out.splitlines()) == 2
    assert beyond.err == f"no rows here ({ROWS} match)\n"


def test_json_reads_the_rows_lazily(filled, monkeypatch):
    """Output starts long before the last row is read: the list is never built in memory."""
    area, cli = filled
    module, name = AREAS[area][1], AREAS[area][2]
    real = getattr(module, name)
    written_at: list[int] = []  # rows already on stdout as each row is pulled

    def counting(*args: Any, **kwargs: Any) -> Iterator[dict[str, Any]]:
        for row in real(*args, **kwargs):
            written_at.append(sys.stdout.getvalue().count('"id"'))  # type: ignore[attr-defined]
            yield row

    monkeypatch.setattr(module, name, counting)
    monkeypatch.setattr(commands.output, "JSON_CHUNK", 5)
    result = cli("--json")
    assert result.code == 0 and len(json.loads(result.out)) == ROWS
    assert len(written_at) == ROWS
    # When row k is pulled, every full chunk before it is already written.
    assert written_at[-1] >= ROWS - 5
    assert all(done >= k - 5 for k, done in enumerate(written_at))


def test_members_list_is_active_members_unless_all(jiedao, tmp_path, tmp_path_factory,
                                                   sqlite_template, clock):
    url = _filled_copy("members", tmp_path, tmp_path_factory, sqlite_template, clock)
    office = open_office(url, operator="tester", clock=clock)
    try:
        members.end_term(office, members.list_members(office, limit=1)[0]["id"])
    finally:
        office.close()
    active = json.loads(jiedao("--db", url, "members", "list", "--json").out)
    everyone = json.loads(jiedao("--db", url, "members", "list", "--all", "--json").out)
    assert (len(active), len(everyone)) == (ROWS - 1, ROWS)


@pytest.mark.parametrize("area", ["members", "tickets", "petitions"])
def test_a_streamed_reveal_is_journaled_once_with_filters_and_count(
        area, jiedao, tmp_path, tmp_path_factory, sqlite_template, clock):
    url = _filled_copy(area, tmp_path, tmp_path_factory, sqlite_template, clock)
    text = {"members": "成员1", "tickets": "申请人1", "petitions": "信访人1"}[area]
    result = jiedao("--db", url, area, "list", "--reveal", "--json", "--search", text)
    assert result.code == 0, result.err
    rows = json.loads(result.out)
    assert len(rows) == 10  # the names ending 10–19
    phone = {"members": "phone", "tickets": "applicant_phone",
             "petitions": "petitioner_phone"}[area]
    assert rows[0][phone].startswith("1390000") and "*" not in rows[0][phone]
    office = open_office(url, operator="tester", clock=clock)
    try:
        (entry,) = [e for e in journal.entries(office) if e["action"] == "reveal"]
    finally:
        office.close()
    assert entry["entity_id"] == "*"
    assert entry["after"]["count"] == 10
    assert entry["after"]["filters"]["search"] == text
    assert "revealed" not in result.out and "journaled" in result.err


@pytest.mark.parametrize("args", [["--limit", "-1"], ["--offset", "-3"]])
def test_a_negative_page_is_bad_usage(jiedao, db_url, args):
    result = jiedao("--db", db_url, "villages", "list", *args)
    assert result.code == 2 and result.out == ""


def test_a_page_beyond_the_database_is_refused_in_one_line(jiedao, db_url):
    result = jiedao("--db", db_url, "petitions", "list", "--offset", str(2**63), "--json")
    assert result.code == 2 and result.out == ""
    assert len(result.err.splitlines()) == 1 and "offset" in result.err


def test_ledger_refuses_a_page_beyond_the_database(office):
    with pytest.raises(ValidationError) as caught:
        petitions.list_petitions(office, offset=2**63)
    assert caught.value.field == "offset"
    with pytest.raises(ValidationError):
        list(tickets.iter_tickets(office, limit=-1))
