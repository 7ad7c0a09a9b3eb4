"""Migration 0011 (training_state): a database written before it, with a training series, its
sessions in every state and attendance, upgrades with its data intact, on SQLite and
PostgreSQL: ``status`` becomes ``state`` on sessions and series, its index follows, and the
renamed records take their steps."""

from __future__ import annotations

import datetime as dt

from playhouse.migrations import Runner
from rawdb import insert_row

from ledger import db as dbmod
from ledger import journal, open_office, training
from ledger.clock import Clock
from ledger.config import Settings

BEFORE = "0010_search"  # the schema before the rename
NOW = dt.datetime(2026, 11, 27, 2, 0)




FIELDS = {"topic": "", "kind": "meeting", "place": "会议室", "organiser": "", "credit_hours": 2,
          "audience": "all", "audience_refs": "[]", "notes": "", "version": 1,
          "created_at": NOW, "updated_at": NOW}


def _old_office(url: str) -> None:
    database = dbmod.connect(url, create=True)
    Runner(database, dbmod.MIGRATIONS_DIR, table_name=dbmod.HISTORY_TABLE).up(BEFORE)
    series = insert_row(database, "training_series", title="例会",
                     rule="FREQ=MONTHLY;BYDAY=1MO;COUNT=3",
                     first_start=dt.datetime(2026, 11, 2, 9, 0), duration_minutes=60,
                     status="active", **FIELDS)
    for n, (day, status, reason) in enumerate(((2, "held", ""), (7, "cancelled", "台风"))):
        start = dt.datetime(2026, 11 + n, day, 1, 0)  # 09:00 in the office
        insert_row(database, "training_session", series_id=series, occurrence=start,
                detached=n == 1, title="例会", starts_at=start,
                ends_at=start + dt.timedelta(hours=1), status=status, cancel_reason=reason,
                **FIELDS)
    later = dt.datetime(2027, 1, 4, 1, 0)
    insert_row(database, "training_session", series_id=series, occurrence=later, detached=False,
            title="例会", starts_at=later, ends_at=later + dt.timedelta(hours=1),
            status="planned", cancel_reason="", **FIELDS)
    person = insert_row(database, "person", name="许少伟", name_initials="xsw",
                     name_pinyin="xushaowei", id_number=None, phone="", gender="",
                     birth_date=None, education="", political_status="",
                     college_graduate_official=False, village_id=None, notes="",
                     created_at=NOW, version=1)
    insert_row(database, "attendance", session_id=1, person_id=person, state="late", reason="",
            recorded_at=NOW, recorded_by="clerk")
    database.close()


def test_training_rows_come_through_the_rename(empty_url: str):
    _old_office(empty_url)
    database = dbmod.connect(empty_url)
    assert dbmod.upgrade(database)[0] == "0011_training_state"  # and any later ones
    indexes = {i.name: i.columns for i in database.get_indexes("training_session")}
    assert indexes.get("trainingsession_state_starts_at") == ["state", "starts_at"]
    assert "trainingsession_status_starts_at" not in indexes
    for table in ("training_session", "training_series"):
        columns = {c.name for c in database.get_columns(table)}
        assert "state" in columns and "status" not in columns, table
    database.close()

    office = open_office(empty_url, operator="tester", settings=Settings(),
                         clock=Clock(tz="Asia/Shanghai",
                                     fixed=NOW.replace(tzinfo=dt.UTC)))
    try:
        held, cancelled, planned = (training.get_session(office, i) for i in (1, 2, 3))
        assert (held["state"], held["attended"], held["counts"]["late"]) == ("held", 1, 1)
        assert (cancelled["state"], cancelled["cancel_reason"]) == ("cancelled", "台风")
        assert (planned["state"], planned["allowed_actions"]) == ("planned",
                                                                  ["hold", "cancel"])
        series = training.get_series(office, 1)
        assert (series["state"], series["held"], series["cancelled"], series["planned"]) == (
            "active", 1, 1, 1)
        assert [s["id"] for s in training.list_sessions(
            office, training.TrainingFilter(state="cancelled"))] == [2]
        # the renamed rows take their steps: reinstated, then the series ends and cancels
        # the session still to come
        assert training.reinstate_session(office, 2, version=1)["state"] == "planned"
        ended = training.end_series(office, 1, reason="改为线上")
        assert (ended["state"], ended["planned"], ended["cancelled"]) == ("ended", 1, 1)
        assert training.get_session(office, 3)["cancel_reason"] == "改为线上"
        assert [e["action"] for e in journal.history(office, "training_session", 2)] == [
            "reinstate"]
        assert journal.verify(office).ok
    finally:
        office.close()
