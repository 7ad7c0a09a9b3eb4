"""Creating an office: schema, and optionally the sample data."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ledger import db as dbmod
from ledger.errors import StorageError
from ledger.office import Office

if TYPE_CHECKING:
    from ledger.sample import Progress


def initialise(office: Office, *, example: bool = False, only_new: bool = False,
               progress: Progress | None = None) -> bool:
    """Bring a new database to the current schema; fill it with the sample office if asked.

    Returns whether the schema was created now. ``only_new`` (``jiedao init``) refuses a
    database that already has a schema, before touching it: an old one is upgraded by
    ``jiedao db upgrade``, knowingly, not as a side effect of a refused ``init``. Loading
    the sample into a database that already holds records is refused, so nobody's office
    gets demo data mixed in. The sample is one transaction (each use case in it a
    savepoint): interrupted, it leaves no half office behind, and running ``init --example``
    again starts afresh. ``progress`` hears of each area of the sample (``sample.fill``).
    """
    status = dbmod.schema_status(office.db)
    created = not status.applied
    if only_new and not created and not example:
        raise StorageError("error.db_exists", url=office.url)
    dbmod.upgrade(office.db)
    dbmod.check_schema(office.db)
    if example:
        from ledger import sample
        from ledger.models import Village

        with office.transaction():
            if Village.select().exists():
                raise StorageError("error.sample_not_empty", url=office.url)
            sample.fill(office, progress=progress)
    return created
