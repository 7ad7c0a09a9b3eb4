"""What the import's fast paths must not change: the journal's hashes as earlier releases
wrote them, pinyin exactly as pypinyin gives it, duplicate keys found across chunks, and the
connection left as it was found."""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import hmac
import json

import pytest
from test_io_import import EN_HEADER, idn, write_csv

from ledger import io, journal, journalkey, villages
from ledger.errors import ValidationError
from ledger.io import kinds
from ledger.io.handlers import MemberHandler
from ledger.models import JournalEntry, Person
from ledger.people import normalise_id_number, normalise_phone, pinyin_keys


def _old_digest(prev: str, at: dt.datetime, operator: str, entity: str, entity_id: str,
                action: str, before: str | None, after: str | None, note: str,
                key: bytes | None = None) -> str:
    """The hash as the first releases computed it (``json.dumps`` of the array); with
    ``key``, the keyed chain's HMAC-SHA256 of the same text."""
    payload = json.dumps([prev, at.isoformat(), operator, entity, entity_id, action, before,
                          after, note], ensure_ascii=False, separators=(",", ":"))
    if key is not None:
        return hmac.new(key, payload.encode("utf-8"), hashlib.sha256).hexdigest()
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


@pytest.mark.parametrize("text", ["", "路灯不亮，夜间出行不便", 'a "quoted" \\ back', "\n\t\x00",
                                  "\u2028\u202e\U0001f600", "é"])
def test_digest_is_the_same_text_as_before(text):
    at = dt.datetime(2026, 11, 2, 3, 4, 5, 678)
    after = journal.canonical({"b": text, "a": [dt.date(2026, 1, 1), None, 1.5, True],
                               "people": [{"name": text, "id_number": None}]})
    assert after == json.dumps(
        {"b": text, "a": ["2026-01-01", None, 1.5, True],
         "people": [{"name": text, "id_number": None}]},
        ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    for before in (None, "{}", text):
        args = ("0" * 64, at, text or "op", "petition", "42", "create", before, after, text)
        assert journal._digest(*args) == _old_digest(*args)


def test_record_many_chain_matches_the_old_hashes(office):
    with office.transaction():
        journal.record_many(office, [
            ("x", 1, "create", None, {"n": "张三", "d": dt.date(2026, 1, 1)}, ""),
            ("x", 1, "update", {"n": 1}, {"n": "\"2\""}, "备注")])
    state = journalkey.state()
    assert state is not None and state.keyed_after == 0  # a new office: keyed from the start
    key = journalkey.required(state.office, state.key_id).secret
    prev = "0" * 64
    for row in JournalEntry.select().order_by(JournalEntry.id):
        assert row.prev_hash == prev
        assert row.hash == _old_digest(prev, row.at, row.operator, row.entity, row.entity_id,
                                       row.action, row.before, row.after, row.note, key)
        prev = row.hash


@pytest.mark.parametrize("name", ["许少伟", "重庆", "王重庆", "长江", "欧阳娜娜", "单雄信",
                                  "曾国藩", "Tom王", "王 伟", "A·李", "阿卜杜·热合曼", "银行行长",
                                  "解放", "乐乐", "朝阳", "1号", "〇", "ǎ王"])
def test_pinyin_keys_are_exactly_pypinyin(name):
    from pypinyin import Style, lazy_pinyin

    initials = "".join(p[0] for p in lazy_pinyin(name, style=Style.FIRST_LETTER) if p)
    full = "".join(lazy_pinyin(name, style=Style.NORMAL))
    assert pinyin_keys(name) == (initials.lower()[:60], full.lower()[:200])


def test_validators_fast_paths_give_the_same_answers():
    assert normalise_phone("07318888888") == "07318888888"
    assert normalise_phone(" 0731-8888 8888 ") == "073188888888"
    assert normalise_phone("+86 139 1234 5678") == "13912345678"
    assert normalise_phone("\u3000139 1234 5678\u3000") == "13912345678"  # full-width spaces
    with pytest.raises(ValidationError):
        normalise_phone("１３９")  # full-width digits are not a phone
    number = idn()
    assert normalise_id_number(number.lower()) == number
    for bad, key in ((number[:-1], "error.id_format"), (number[:10] + "13" + number[12:],
                                                         "error.id_birth_date")):
        for _ in range(2):  # the second answer comes from the cache: the same error
            with pytest.raises(ValidationError) as err:
                normalise_id_number(bad, "petitioner_id_number")
            assert (err.value.field, err.value.key) == ("petitioner_id_number", key)


@pytest.fixture
def small_chunks(monkeypatch):
    """Members imported two rows a chunk, so a file of a few rows crosses chunks."""
    kind = kinds.KINDS["members"]
    monkeypatch.setitem(kinds.KINDS, "members", dataclasses.replace(
        kind, handler=lambda office: MemberHandler(office, chunk_size=2)))


def test_a_key_repeated_in_a_later_chunk_names_the_first_line(office, tmp_path, small_chunks):
    villages.add_village(office, name="许庄村", code="V01")
    a, b, c = idn(seq="101"), idn(seq="202"), idn(seq="303")
    rows = [["甲", a, "", "V01", "", "", ""], ["乙", b, "", "V01", "", "", ""],
            ["丙", c, "", "V01", "", "", ""], ["丁", a, "", "V01", "", "", ""],
            ["戊", a, "", "V01", "", "", ""], ["己", c, "", "V01", "", "", ""]]
    path = write_csv(tmp_path / "m.csv", EN_HEADER, rows)
    result = io.run_import(office, "members", path)
    assert result.error_lines() == [f"{path}:5: ID number: the same as line 2",
                                    f"{path}:6: ID number: the same as line 2",
                                    f"{path}:7: ID number: the same as line 4"]
    assert Person.select().count() == 0
    # Without the repeats the file goes in; the keys of the run before are forgotten.
    path = write_csv(tmp_path / "m.csv", EN_HEADER, rows[:3])
    assert io.run_import(office, "members", path).added == 3
    assert io.run_import(office, "members", path).unchanged == 3
    assert journal.verify(office).ok


def test_a_run_leaves_the_connection_as_it_was(office, tmp_path):
    villages.add_village(office, name="许庄村", code="V01")
    path = write_csv(tmp_path / "m.csv", EN_HEADER, [["甲", idn(), "", "V01", "", "", ""]])
    if office.is_postgres:
        assert io.run_import(office, "members", path).added == 1
        leftover = "SELECT count(*) FROM pg_tables WHERE tablename = 'jiedao_import_keys'"
    else:
        # A run keeps a small page cache (memory) and puts the office's back afterwards.
        before = office.db.execute_sql("PRAGMA cache_size").fetchone()[0]
        assert io.run_import(office, "members", path).added == 1
        assert office.db.execute_sql("PRAGMA cache_size").fetchone()[0] == before
        leftover = "SELECT count(*) FROM sqlite_temp_master WHERE type = 'table'"
    assert office.db.execute_sql(leftover).fetchone()[0] == 0  # the keys' table is gone


def test_composite_keys_are_told_apart_across_chunks(office):
    from ledger.io.importer import _key_text, _SeenKeys

    start = dt.date(2026, 1, 5)
    with office.transaction():
        seen = _SeenKeys(office)
        seen.add({("duty", start): 2, "X-1": 3})
        asked = [("duty", start), ("duty", start + dt.timedelta(days=1)), "X-1", "x-1"]
        assert seen.lookup([_key_text(k) for k in asked]) == {
            _key_text(("duty", start)): 2, "X-1": 3}
        seen.close()
