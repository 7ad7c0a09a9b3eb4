"""Who may do what: the operator is a staff record holding a role.

- ``viewer`` reads, always masked; ``clerk`` also records and moves tickets, petitions,
  trainings, shifts and the other records; ``supervisor`` also approves petition extensions
  and closures, records the subdistrict's review of a decision, reveals personal data,
  restores backups and manages the staff and their roles.
- The service functions call ``require(office, action, entity, ref)`` first (the step runner
  does it for every step), so the app and the command line cannot differ. A refusal is
  ``Forbidden`` (one translated line), journaled in a transaction of its own so it is kept
  although the use case does not run.
- Setup mode: while no staff record holds a role nothing is checked, so an office made before
  roles keeps working after its upgrade. Once anyone holds one, every operator must be a
  staff member with a role.
- Who the operator is: on SQLite the operator name (``--as``, ``JIEDAO_OPERATOR``, the OS
  login) matched against a staff record's name or ``login``. On PostgreSQL the database
  login (``session_user``) is the identity: a login that is not the database's owner or a
  superuser must be some staff record's ``login`` (or its name), and an operator name naming
  anyone else is refused. The owner and superusers can rewrite the tables anyway, so they are
  matched by operator name as on SQLite.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ledger import journal
from ledger.errors import LedgerError
from ledger.models.staff import Staff

if TYPE_CHECKING:
    from ledger.office import Office

SUPERVISOR, CLERK, VIEWER = "supervisor", "clerk", "viewer"
ROLES = (SUPERVISOR, CLERK, VIEWER)
_RANK = {VIEWER: 0, CLERK: 1, SUPERVISOR: 2}

# action -> the least role that may take it. A step of a procedure is "<entity>.<action>";
# a step not listed is "write".
NEEDS: dict[str, str] = {
    "read": VIEWER,
    "write": CLERK,
    "reveal": SUPERVISOR,
    "restore": SUPERVISOR,
    "staff": SUPERVISOR,
    "petition.extend": SUPERVISOR,
    "petition.close": SUPERVISOR,
    "decision.subdistrict_review": SUPERVISOR,
    "decision.veto": SUPERVISOR,
}


class Forbidden(LedgerError):
    """The operator's role does not allow the action (or the operator holds none)."""

    def message(self) -> str:
        from ledger.i18n import t, value_label

        params = dict(self.params)
        for key in ("role", "needs"):
            if key in params:
                params[key] = value_label("staff_role", params[key])
        if "action" in params:
            params["action"] = t(f"access.action.{params['action']}")
        return t(self.key, **params)


@dataclass(frozen=True)
class Operator:
    """Who is acting: the staff record's name and role, or ``None`` in setup mode."""

    name: str
    role: str


def _holders() -> list[tuple[str, str, str, bool]]:
    # An office's staff is tens of people: one small read per use case, no cache to go stale
    # when a supervisor changes someone's role while the app is open.
    return list(Staff.select(Staff.name, Staff.login, Staff.role, Staff.active)
                .where(Staff.role != "").tuples())


def identify(office: Office) -> Operator | None:
    """The operator's staff record and role; ``None`` in setup mode (nobody holds a role).
    An operator the directory does not know, or a retired one, is ``Forbidden``."""
    holders = _holders()
    if not holders:
        return None
    db_login, admin = office.db_identity()
    if db_login is not None and not admin:
        key, source = db_login, "db"
    else:
        key, source = office.operator, "name"
    match = ([h for h in holders if h[1] == key]
             or [h for h in holders if h[0] == key and not h[1]])
    if not match:
        if source == "db":
            raise Forbidden("error.access.unknown_login", login=key)
        raise Forbidden("error.access.unknown_operator", operator=key)
    name, login, role, active = match[0]
    if source == "db" and office.operator not in (name, login, db_login):
        raise Forbidden("error.access.not_you", operator=office.operator, login=db_login,
                        name=name)
    if not active:
        raise Forbidden("error.access.retired", operator=name)
    return Operator(name, role)


def allows(role: str, action: str) -> bool:
    return _RANK.get(role, -1) >= _RANK[NEEDS[action]]


def step_action(entity: str, action: str) -> str:
    """The ``NEEDS`` key of a procedure's step."""
    key = f"{entity}.{action}"
    return key if key in NEEDS else "write"


def role_of(office: Office) -> str | None:
    """The operator's role, ``None`` in setup mode (for faces that hide what is refused)."""
    who = identify(office)
    return None if who is None else who.role


def require(office: Office, action: str, entity: str = "", ref: Any = None) -> None:
    """Refuse ``action`` (a ``NEEDS`` key) unless the operator's role allows it. ``entity``
    and ``ref`` name the record for the journal: an ``int`` id, a callable giving the id
    (called only on a refusal), or the reference as typed (kept in the note). A
    refusal is journaled, then raised as ``Forbidden``."""
    try:
        who = identify(office)
    except Forbidden as exc:
        _journal(office, action, entity, ref, role="", error=exc)
        raise
    if who is None or allows(who.role, action):
        return
    error = Forbidden("error.access.forbidden", operator=who.name, role=who.role,
                      action=action, needs=NEEDS[action])
    _journal(office, action, entity, ref, role=who.role, error=error)
    raise error


def _journal(office: Office, action: str, entity: str, ref: Any, *, role: str,
             error: Forbidden) -> None:
    """The refusal, kept in a transaction of its own (the use case's never starts). It names
    the record by id when it has one, else ``"*"`` with the reference in the note; ``after``
    stays empty so ``db check`` does not read the refusal as the record's state."""
    record_id: Any = "*"
    shown = ""
    if callable(ref):
        try:
            record_id = ref()
        except LedgerError:  # unknown: the use case would have said so; the refusal stands
            record_id = "*"
    elif isinstance(ref, int) and not isinstance(ref, bool):
        record_id = ref  # a record's id, found already
    elif ref is not None:
        shown = str(ref)  # as typed (a number, a code): kept in the note, not as an id
    note = " ".join(x for x in (f"action={action}", f"role={role or '-'}",
                                f"ref={shown}" if shown else "", f"refusal={error.key}") if x)
    with office.transaction():
        journal.record(office, entity or "access", record_id, "forbidden", note=note)
