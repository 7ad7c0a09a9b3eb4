"""Reaching the database behind the ledger's back (a hand edit, a future schema, a snapshot),
the same way on SQLite and PostgreSQL."""

from __future__ import annotations

from typing import Any

from ledger import db as dbmod


def run_sql(url: str, sql: str, params: tuple[object, ...] = ()) -> list[tuple[object, ...]]:
    """Run one statement (``?`` placeholders) on the database at ``url``, committed; the rows
    it returns."""
    database = dbmod.connect(url)
    try:
        with database.atomic():
            cursor = database.execute_sql(sql.replace("?", database.param), params)
            return list(cursor.fetchall()) if cursor.description else []
    finally:
        database.close()


def snapshot(url: str, tables: tuple[str, ...] = ()) -> dict[str, list[tuple[object, ...]]]:
    """Every row of ``tables`` (default: every table), to prove nothing changed."""
    if not tables:
        database = dbmod.connect(url)
        try:
            tables = tuple(database.get_tables())
        finally:
            database.close()
    return {t: run_sql(url, f'SELECT * FROM "{t}" ORDER BY 1') for t in tables}


def insert_row(database: Any, table: str, **row: object) -> int:
    """Insert one row behind the ledger's back (an older schema's tables); its id."""
    import peewee

    peewee.Table(table).bind(database).insert(**row).execute()
    return int(database.execute_sql(f"SELECT MAX(id) FROM {table}").fetchone()[0])
