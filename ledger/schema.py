"""Use cases for the schema: status and upgrade, for ``jiedao db``."""

from __future__ import annotations

from ledger import db as dbmod
from ledger.office import Office


def status(office: Office) -> dbmod.SchemaStatus:
    return dbmod.schema_status(office.db)


def upgrade(office: Office) -> list[str]:
    return dbmod.upgrade(office.db)
