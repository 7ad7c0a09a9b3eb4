"""The office: one open database, its settings, the operator and the clock.

Every service function takes an ``Office`` first. Scripts use it directly::

    from ledger import open_office, villages
    office = open_office("sqlite:///office.db", operator="script")
    villages.add_village(office, name="东村", code="V01")
"""

from __future__ import annotations

import contextlib
import datetime as dt
import getpass
import os
from collections.abc import Iterator
from dataclasses import dataclass, field

import peewee

from ledger import db as dbmod
from ledger.clock import Clock
from ledger.config import Settings, load_settings
from ledger.errors import Conflict, StorageError
from ledger.models import database_proxy


def default_operator() -> str:
    env = os.environ.get("JIEDAO_OPERATOR")
    if env:
        return env
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "unknown"


@dataclass
class Office:
    db: peewee.Database
    url: str
    settings: Settings = field(default_factory=Settings)
    operator: str = field(default_factory=default_operator)
    clock: Clock = field(default_factory=Clock)

    @property
    def is_postgres(self) -> bool:
        return isinstance(self.db, peewee.PostgresqlDatabase)

    def now(self) -> dt.datetime:
        """The current instant, naive UTC as stored."""
        return self.clock.now().replace(tzinfo=None)

    def today(self) -> dt.date:
        return self.clock.today()

    @contextlib.contextmanager
    def transaction(self) -> Iterator[None]:
        """The unit of work of a use case. SQLite begins IMMEDIATE (set on the database).

        Integrity errors that slip past validation become a ``Conflict``, never a traceback.
        """
        database_proxy.bind_thread(self.db)
        try:
            with self.db.atomic():
                yield
        except peewee.IntegrityError as exc:
            raise Conflict("error.integrity", detail=str(exc).splitlines()[0]) from None
        except peewee.OperationalError as exc:
            raise StorageError("error.db_operation", detail=str(exc).splitlines()[0]) from None

    def close(self) -> None:
        if not self.db.is_closed():
            self.db.close()


def open_office(
    url: str | None = None,
    *,
    operator: str | None = None,
    clock: Clock | None = None,
    settings: Settings | None = None,
    create: bool = False,
    check: bool = True,
) -> Office:
    """Open the office at ``url`` (``JIEDAO_DB``, else the default SQLite file).

    ``create`` makes a new database and brings its schema up to date; otherwise the schema
    must match the code (an older one says to run ``jiedao db upgrade``).
    """
    explicit = url or os.environ.get("JIEDAO_DB")
    url = explicit or dbmod.default_database_url()
    settings = settings or load_settings()
    database = dbmod.connect(url, create=create or not explicit, create_parents=not explicit)
    database_proxy.initialize(database)
    if not explicit and dbmod.schema_status(database).empty:
        # The default database is created on first use, so a new clerk just starts.
        dbmod.upgrade(database)
    if check:
        dbmod.check_schema(database)
    clock = clock or Clock(tz=settings["office.timezone"])
    return Office(database, url, settings, operator or default_operator(), clock)
