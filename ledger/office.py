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
import time
from collections.abc import Iterator
from dataclasses import dataclass, field

import peewee

from ledger import db as dbmod
from ledger.clock import Clock
from ledger.config import Settings, load_settings
from ledger.errors import ConfigError, Conflict, StorageError
from ledger.models import JournalEntry, database_proxy

# Every journal entry stores its operator: a longer name would be refused by PostgreSQL at the
# first change, after the work was typed in, so it is refused when the office opens.
OPERATOR_MAX_LENGTH: int = JournalEntry.operator.max_length


def _login() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "unknown"


def default_operator() -> str:
    return os.environ.get("JIEDAO_OPERATOR") or _login()


def resolve_operator(given: str | None = None, *, flag: str = "--as") -> str:
    """The operator: ``given`` (the ``--as`` flag), else ``JIEDAO_OPERATOR``, else the login
    name; checked, and an error names where a bad one came from."""
    if given is not None:
        return check_operator(given, flag)
    env = os.environ.get("JIEDAO_OPERATOR")
    if env:
        return check_operator(env, "JIEDAO_OPERATOR")
    return check_operator(_login(), "login")


def check_operator(name: str, source: str = "operator") -> str:
    """The operator name, stripped; refused when empty, too long for the journal, or not
    clean text (control characters, undecodable bytes from the environment)."""
    text = name.strip()
    if not text:
        raise ConfigError("error.operator_empty", source=source)
    if len(text) > OPERATOR_MAX_LENGTH:
        raise ConfigError("error.operator_too_long", source=source, max=OPERATOR_MAX_LENGTH,
                          length=len(text))
    if any(ord(c) < 32 or 0x7F <= ord(c) < 0xA0 or 0xD800 <= ord(c) < 0xE000 for c in text):
        raise ConfigError("error.operator_bad", source=source, value=_visible(text))
    return text


def _visible(text: str) -> str:
    """Control characters and undecodable bytes as escapes: a message must not retitle the
    terminal with the very name it refuses."""
    return "".join(c if c.isprintable() else c.encode("unicode_escape", "backslashreplace")
                   .decode("ascii") for c in text)


@dataclass
class Office:
    db: peewee.Database
    url: str
    settings: Settings = field(default_factory=Settings)
    operator: str = field(default_factory=default_operator)
    clock: Clock = field(default_factory=Clock)
    _identity: tuple[str | None, bool] | None = field(default=None, init=False, repr=False)

    def db_identity(self) -> tuple[str | None, bool]:
        """``(login, admin)``: on PostgreSQL the database login (``session_user``) and whether
        it owns the database or is a superuser; ``(None, True)`` on SQLite, whose file has no
        logins. Read once: a connection's login does not change (see ``ledger.access``)."""
        if self._identity is None:
            if not self.is_postgres:
                self._identity = (None, True)
            else:
                login, admin = self.db.execute_sql(
                    "SELECT session_user, r.rolsuper OR d.datdba = r.oid "
                    "FROM pg_roles r, pg_database d "
                    "WHERE r.rolname = session_user AND d.datname = current_database()"
                ).fetchone()
                self._identity = (str(login), bool(admin))
        return self._identity

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

        Nested, it is a savepoint inside the outer transaction (peewee's ``atomic``): several
        use cases (the sample office, a batch) commit together or not at all, and a failed
        inner one rolls back only its own part. Integrity errors that slip past validation
        become a ``Conflict``, never a traceback.
        """
        database_proxy.bind_thread(self.db)
        try:
            with contextlib.ExitStack() as stack:
                self._begin(stack)
                yield
        except peewee.IntegrityError as exc:
            raise Conflict("error.integrity", detail=str(exc).splitlines()[0]) from None
        except peewee.OperationalError as exc:
            raise StorageError("error.db_operation", detail=str(exc).splitlines()[0]) from None

    def _begin(self, stack: contextlib.ExitStack) -> None:
        """Begin (or, nested, open a savepoint). SQLite's outermost transaction takes the
        write lock at its BEGIN; a batch import holds that lock for its whole run, which can
        outlast the busy timeout (10 s per attempt), so a clerk's save or cron's reminders
        would fail with "database is locked". Nothing has been done yet when BEGIN is
        refused, so it is tried again, for up to ``db.LOCK_WAIT_SECONDS``."""
        outermost = not self.is_postgres and self.db.transaction_depth() == 0
        deadline = time.monotonic() + dbmod.LOCK_WAIT_SECONDS
        while True:
            try:
                stack.enter_context(self.db.atomic())
                return
            except peewee.OperationalError as exc:
                if (not outermost or "database is locked" not in str(exc)
                        or time.monotonic() >= deadline):
                    raise
                time.sleep(0.01)

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
    read_only: bool = False,
) -> Office:
    """Open the office at ``url`` (``JIEDAO_DB``, else the default SQLite file).

    ``create`` allows a new database file (``initialise`` then makes its schema); otherwise
    the schema must match the code (an older one says to run ``jiedao db upgrade``), unless
    ``check`` is off (the schema commands). The default database is made on first normal use,
    so a new clerk just starts. ``read_only`` only looks: nothing is created or written.
    An empty ``url`` is refused (it is not "the default").
    """
    explicit = url if url is not None else (os.environ.get("JIEDAO_DB") or None)
    operator = check_operator(operator) if operator is not None else resolve_operator()
    url = explicit if explicit is not None else dbmod.default_database_url()
    settings = settings or load_settings()
    database = dbmod.connect(url, create=create or explicit is None,
                             create_parents=explicit is None, read_only=read_only)
    database_proxy.initialize(database)
    if explicit is None and check and not read_only and dbmod.schema_status(database).empty:
        dbmod.upgrade(database)
    if check:
        dbmod.check_schema(database)
    clock = clock or Clock(tz=settings["office.timezone"])
    office = Office(database, url, settings, operator, clock)
    if check and not read_only:
        from ledger import access  # it reads the staff table: after the schema check

        try:
            access.require(office, "read")
        except Exception:
            office.close()
            raise
    return office
