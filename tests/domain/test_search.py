"""One search box in every area (ledger.search): pinyin initials, full pinyin syllables with or
without spaces, phone tails, ID number tails, Chinese name parts, and LIKE wildcards taken
literally, for members, ticket applicants and petitioners alike."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest

from ledger import items, members, petitions, search, tickets
from ledger.office import Office
from ledger.people import id_check_char
from ledger.villages import add_village


def _id(body: str) -> str:
    return body + id_check_char(body)


# name, phone, ID number
PEOPLE = [
    ("许少伟", "13912345678", _id("11010119800102123")),
    ("洪建国", "13800006666", _id("11010119750505456")),
    ("王红", "01088886666", None),
    ("张_三", "13700001111", None),
    ("张某三", "13700002222", None),
    ("百分%之", "13700003333", None),
    ("奥'尼尔", "13700004444", None),
]

Add = Callable[[Office, int, str, str, str | None], None]
Find = Callable[[Office, str], list[str]]


def _members(office: Office) -> tuple[Add, Find]:
    def add(office: Office, i: int, name: str, phone: str, id_number: str | None) -> None:
        members.add_member(office, name=name, village="V01", post="committee_member",
                           phone=phone, id_number=id_number)

    def find(office: Office, text: str) -> list[str]:
        return [m["name"] for m in members.iter_members(
            office, members.MemberFilter(search=text, active=None))]
    return add, find


def _tickets(office: Office) -> tuple[Add, Find]:
    items.add_item(office, code="R11", name="重度残疾人护理补贴", category="残疾人服务",
                   level="district", time_limit_days=20, materials="身份证")

    def add(office: Office, i: int, name: str, phone: str, id_number: str | None) -> None:
        tickets.open_ticket(office, item="R11", applicant_name=name, applicant_phone=phone,
                            applicant_id_number=id_number, village="V01",
                            received_at=dt.datetime(2026, 11, 2, 9, i))

    def find(office: Office, text: str) -> list[str]:
        return [t["applicant_name"] for t in tickets.iter_tickets(
            office, tickets.TicketFilter(search=text))]
    return add, find


def _petitions(office: Office) -> tuple[Add, Find]:
    def add(office: Office, i: int, name: str, phone: str, id_number: str | None) -> None:
        petitions.register(office, channel="letter", category="land_demolition",
                           summary="拆迁补偿未到位", village="V01",
                           received_on=dt.date(2026, 6, 1 + i),
                           petitioners=[{"name": name, "phone": phone, "id_number": id_number}])

    def find(office: Office, text: str) -> list[str]:
        return [p["petitioner"] for p in petitions.iter_petitions(
            office, petitions.PetitionFilter(search=text))]
    return add, find


@pytest.fixture(params=["members", "tickets", "petitions"])
def area(request: pytest.FixtureRequest, office: Office) -> Find:
    add_village(office, name="许庄村", code="V01")
    add, find = {"members": _members, "tickets": _tickets,
                 "petitions": _petitions}[request.param](office)
    for i, person in enumerate(PEOPLE):
        add(office, i, *person)
    return lambda text: sorted(find(office, text))


@pytest.mark.parametrize(("text", "names"), [
    ("xsw", ["许少伟"]),  # initials
    ("XS", ["许少伟"]),
    ("hjg", ["洪建国"]),
    ("hong", ["洪建国"]),  # a full syllable: the start of the full pinyin
    ("xushaowei", ["许少伟"]),
    ("xu shao", ["许少伟"]),  # syllables with spaces
    ("wang hong", ["王红"]),
    ("shaowei", []),  # full pinyin matches from the start of the name
])
def test_pinyin_initials_and_syllables(area, text, names):
    assert area(text) == names


@pytest.mark.parametrize(("text", "names"), [
    ("5678", ["许少伟"]),  # the last digits of a phone
    ("6666", ["洪建国", "王红"]),  # a mobile and a landline
    ("13912345678", ["许少伟"]),  # the whole phone
    ("00001111", ["张_三"]),
])
def test_phone_tail(area, text, names):
    assert area(text) == names


def test_id_tail(area):
    xu_id, hong_id = PEOPLE[0][2], PEOPLE[1][2]
    assert xu_id is not None and hong_id is not None
    assert area(xu_id[-4:]) == ["许少伟"]
    assert area(hong_id[-6:]) == ["洪建国"]
    assert area(xu_id) == ["许少伟"]
    assert area(xu_id.lower()) == ["许少伟"]


def test_id_tail_with_x():
    # No one in the set has an X: the kind alone is checked here, the column in the areas.
    assert search.parse("123x") == search.Term(search.ID_TAIL, "123X")


def test_chinese_part_of_the_name(area):
    assert area("少") == ["许少伟"]
    assert area("王红") == ["王红"]
    assert area("三") == ["张_三", "张某三"]
    assert area("赵") == []


def test_wildcards_and_quotes_are_literal(area):
    assert area("张_三") == ["张_三"]  # "_" is not "any one character"
    assert area("_") == ["张_三"]
    assert area("%") == ["百分%之"]  # "%" is not "anything"
    assert area("%之") == ["百分%之"]
    assert area("奥'尼") == ["奥'尼尔"]
    assert area("'") == ["奥'尼尔"]
    assert area("\\") == []


def test_blank_search_is_no_condition(area):
    assert len(area("  ")) == len(PEOPLE)
    assert area("\u3000") == area("")


@pytest.mark.parametrize(("text", "kind"), [
    ("5678", search.PHONE), ("12", search.PHONE), ("DB-2026-0042", search.NUMBER),
    ("xf-2026", search.NUMBER), ("2026-0042", search.NUMBER), ("hong", search.LATIN),
    ("xu shao", search.LATIN), ("xi'an", search.LATIN), ("许", search.TEXT),
    ("张_三", search.TEXT), ("%", search.TEXT), ("12345X", search.ID_TAIL),
])
def test_what_the_text_looks_for(text, kind):
    term = search.parse(text)
    assert term is not None and term.kind == kind


def test_numbers_are_found_by_any_part(office):
    add_village(office, name="许庄村", code="V01")
    add, _ = _petitions(office)
    add(office, 0, "许少伟", "13912345678", None)
    (row,) = petitions.list_petitions(office)
    number = row["number"]
    for text in (number, number.lower(), number[-4:], number[:7]):
        found = petitions.list_petitions(office, petitions.PetitionFilter(search=text))
        assert [r["number"] for r in found] == [number], text


def test_the_migration_fills_the_pinyin_of_petitioners_already_stored(office):
    import importlib.util
    from pathlib import Path

    import ledger.migrations
    from ledger.models.petitions import Petitioner

    add_village(office, name="许庄村", code="V01")
    add, find = _petitions(office)
    add(office, 0, "许少伟", "13912345678", None)
    add(office, 1, "洪建国", "13800006666", None)
    # As rows registered before the columns existed are: no pinyin.
    Petitioner.update(name_initials="", name_pinyin="").execute()
    assert find(office, "xsw") == []
    path = Path(ledger.migrations.__file__).parent / "0010_search.py"
    spec = importlib.util.spec_from_file_location("m0010", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    with office.db.atomic():
        module.fill(office.db)
    assert find(office, "xsw") == ["许少伟"]
    assert find(office, "hong") == ["洪建国"]
