"""Use cases for the schema: status and upgrade, for ``jiedao db``."""

from __future__ import annotations

from typing import Any

from ledger import db as dbmod
from ledger.office import Office


def status(office: Office) -> dbmod.SchemaStatus:
    return dbmod.schema_status(office.db)


def upgrade(office: Office) -> list[str]:
    return dbmod.upgrade(office.db)


def about(office: Office) -> dict[str, Any]:
    """The database in use, for people: its URL without the password, kind, schema versions
    and size in bytes (SQLite: the file with its write-ahead log; PostgreSQL: the database
    as the server counts it; None where neither is known, an in-memory database)."""
    target = dbmod.parse_url(office.url)
    st = status(office)
    size: int | None = None
    if office.is_postgres:
        size = office.db.execute_sql("SELECT pg_database_size(current_database())").fetchone()[0]
    elif target.path is not None:
        files = [target.path, target.path.with_name(target.path.name + "-wal")]
        size = sum(f.stat().st_size for f in files if f.exists())
    return {"url": dbmod._safe(office.url), "backend": target.kind,
            "database_version": st.database_version, "code_version": st.code_version,
            "state": st.state, "size": size}
