"""Who may do what (ledger.access): roles on staff records, checked in the use cases; setup
mode while nobody holds one; refusals journaled and changing nothing. On both databases,
except the PostgreSQL login rule (PostgreSQL only, marked)."""

from __future__ import annotations

import uuid

import peewee
import pytest

from ledger import access, journal, open_office, petitions, staff, tickets, villages
from ledger.access import Forbidden
from ledger.errors import ValidationError
from ledger.office import Office


def _forbidden(office: Office) -> list[dict]:
    return [e for e in journal.entries(office) if e["action"] == "forbidden"]


def _petition(office: Office) -> str:
    """A petition in handling, ready for an extension (made in setup mode)."""
    p = petitions.register(office, channel="visit", category=petitions.categories(office)[0],
                           summary="拆迁补偿", village="V01", received_on="2026-11-02",
                           petitioners=[{"name": "许桂兰", "phone": "13912345678"}])
    petitions.accept(office, p["number"], on="2026-11-03")
    return str(p["number"])


@pytest.fixture
def roles_office(office: Office) -> Office:
    """An office with a village and a petition (made in setup mode), then roles: 孙主管
    supervisor, and the operator (tester) a clerk."""
    villages.add_village(office, name="许庄村", code="V01")
    _petition(office)
    staff.add_staff(office, name="孙主管", role="supervisor")
    boss = _as(office, "孙主管")  # the operator, tester, is nobody now: the supervisor adds
    try:
        staff.add_staff(boss, name="tester", role="clerk")
    finally:
        boss.close()
    return office


def _as(office: Office, name: str) -> Office:
    return open_office(office.url, operator=name, clock=office.clock, settings=office.settings)


def test_setup_mode_checks_nothing(office):
    assert access.role_of(office) is None
    villages.add_village(office, name="许庄村", code="V01")
    staff.add_staff(office, name="王芳")  # a person without a role keeps setup mode
    assert access.role_of(office) is None
    number = _petition(office)
    petitions.extend(office, number, days=30, reason="情况复杂", approved_by="周建国")
    assert _forbidden(office) == []


def test_the_first_role_is_a_supervisors_and_the_last_one_stays(office):
    with pytest.raises(ValidationError) as first:
        staff.add_staff(office, name="王芳", role="clerk")
    assert first.value.key == "error.staff.no_supervisor"
    assert staff.count_staff(office) == 0
    staff.add_staff(office, name="tester", role="supervisor")
    with pytest.raises(ValidationError):
        staff.edit_staff(office, "tester", role="clerk")
    with pytest.raises(ValidationError):
        staff.retire_staff(office, "tester")
    assert staff.get_staff(office, "tester")["role"] == "supervisor"
    staff.add_staff(office, name="孙主管", role="supervisor")
    staff.edit_staff(office, "tester", role="clerk")  # another supervisor remains
    assert access.role_of(office) == "clerk"


def test_a_viewer_reads_masked_and_cannot_add_or_step(roles_office):
    office = roles_office
    boss = _as(office, "孙主管")
    try:
        staff.edit_staff(boss, "tester", role="viewer")
    finally:
        boss.close()
    (row,) = petitions.list_petitions(office)
    before = petitions.get_petition(office, row["number"])
    with pytest.raises(Forbidden) as added:
        villages.add_village(office, name="东王村", code="V02")
    assert "viewer" in added.value.message()
    with pytest.raises(Forbidden):
        petitions.assign(office, row["number"], handler="孙主管")
    with pytest.raises(Forbidden):
        petitions.get_petition(office, row["number"], reveal=True)
    with pytest.raises(Forbidden):
        petitions.list_petitions(office, reveal=True)
    assert villages.count_villages(office) == 1
    after = petitions.get_petition(office, row["number"])
    assert after == before and "*" in str(after)  # masked, unchanged
    refused = _forbidden(office)
    assert [(e["operator"], e["entity"]) for e in refused] == [
        ("tester", "village"), ("tester", "petition"), ("tester", "petition"),
        ("tester", "petition")]
    assert refused[1]["entity_id"] == str(row["id"])  # a step's refusal names the record
    assert "action=write" in refused[0]["note"] and "role=viewer" in refused[0]["note"]
    assert journal.verify(office).ok


def test_a_clerk_moves_records_but_a_supervisor_extends_closes_and_reveals(roles_office):
    office = roles_office
    (row,) = petitions.list_petitions(office)
    number = row["number"]
    petitions.assign(office, number, handler="孙主管", on="2026-11-04")  # a clerk's step
    with pytest.raises(Forbidden) as refused:
        petitions.extend(office, number, days=30, reason="情况复杂", approved_by="周建国")
    assert refused.value.params["needs"] == "supervisor"
    with pytest.raises(Forbidden):
        petitions.get_petition(office, number, reveal=True)
    assert not petitions.get_petition(office, number)["extension_days"]
    boss = _as(office, "孙主管")
    try:
        petitions.extend(boss, number, days=30, reason="情况复杂", approved_by="周建国")
        shown = petitions.get_petition(boss, number, reveal=True)
        assert "13912345678" in str(shown)
    finally:
        boss.close()
    assert [e["note"].split()[0] for e in _forbidden(office)] == [
        "action=petition.extend", "action=reveal"]


def test_the_step_table_names_the_supervisors_steps():
    assert access.step_action("petition", "close") == "petition.close"
    assert access.step_action("petition", "reply") == "write"
    for step in ("subdistrict_review", "veto"):
        key = access.step_action("decision", step)
        assert not access.allows("clerk", key) and access.allows("supervisor", key)
    assert access.allows("viewer", "read") and not access.allows("viewer", "write")


def test_only_a_supervisor_manages_staff(roles_office):
    office = roles_office
    with pytest.raises(Forbidden):
        staff.edit_staff(office, "tester", role="supervisor")
    with pytest.raises(Forbidden):
        staff.add_staff(office, name="王芳")
    assert staff.get_staff(office, "tester")["role"] == "clerk"


def test_an_operator_outside_the_directory_is_refused_once_roles_exist(roles_office):
    office = roles_office
    with pytest.raises(Forbidden) as refused:
        _as(office, "mallory")
    assert "mallory" in refused.value.message() and "\n" not in refused.value.message()
    assert _forbidden(office)[-1]["operator"] == "mallory"
    boss = _as(office, "孙主管")
    try:
        staff.retire_staff(boss, "tester")
    finally:
        boss.close()
    with pytest.raises(Forbidden) as retired:
        villages.add_village(office, name="东王村", code="V02")
    assert retired.value.key == "error.access.retired"


def test_a_login_names_the_person(roles_office):
    office = roles_office
    boss = _as(office, "孙主管")
    try:
        staff.edit_staff(boss, "tester", login="liming")
        with pytest.raises(ValidationError) as taken:
            staff.add_staff(boss, name="王芳", login="liming")
        assert taken.value.key == "error.staff.login_taken"
    finally:
        boss.close()
    clerk = _as(office, "liming")
    try:
        assert access.role_of(clerk) == "clerk"
        tickets_before = tickets.count_tickets(clerk)
        villages.add_village(clerk, name="东王村", code="V02")
        assert tickets.count_tickets(clerk) == tickets_before
    finally:
        clerk.close()


# --- PostgreSQL: the database login is the identity ---------------------------------------

def _pg_login(office: Office) -> tuple[str, str]:
    """A login of its own (not a superuser, not the owner) with rights on the tables, as the
    README shows; returns (login, url)."""
    login = "jiedao_clerk_" + uuid.uuid4().hex[:8]
    office.db.execute_sql(f'CREATE ROLE "{login}" LOGIN')
    office.db.execute_sql(
        f'GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO "{login}"')
    office.db.execute_sql(f'GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO "{login}"')
    url = office.url.replace("postgresql://", f"postgresql://{login}@", 1)
    if "@" in office.url.split("://", 1)[1].split("/", 1)[0]:
        rest = office.url.split("://", 1)[1].split("@", 1)[1]
        url = f"postgresql://{login}@{rest}"
    return login, url


def _drop_login(office: Office, login: str) -> None:
    office.db.execute_sql(f'DROP OWNED BY "{login}"')
    office.db.execute_sql(f'DROP ROLE "{login}"')


def test_postgresql_the_database_login_is_who_acts(roles_office):
    """PostgreSQL only: a clerk's own login is found by the staff record's ``login``; the
    operator name cannot claim anyone else, and a login on no record is refused."""
    office = roles_office
    if not office.is_postgres:
        pytest.skip("PostgreSQL only: SQLite has no logins")
    login, url = _pg_login(office)
    try:
        with pytest.raises(Forbidden) as unknown:
            open_office(url, operator="tester", clock=office.clock)
        assert unknown.value.key == "error.access.unknown_login"
        boss = _as(office, "孙主管")
        try:
            staff.edit_staff(boss, "tester", login=login)
        finally:
            boss.close()
        clerk = open_office(url, operator="tester", clock=office.clock)
        try:
            assert clerk.db_identity() == (login, False)
            villages.add_village(clerk, name="东王村", code="V02")
            with pytest.raises(Forbidden):
                staff.add_staff(clerk, name="王芳")
        finally:
            clerk.close()
        with pytest.raises(Forbidden) as claimed:
            open_office(url, operator="孙主管", clock=office.clock)
        assert claimed.value.key == "error.access.not_you"
        assert villages.count_villages(office) == 2
    finally:
        try:
            _drop_login(office, login)
        except peewee.DatabaseError:
            pass


@pytest.mark.sqlite_only("backups and restores are SQLite files (see test_backup.py)")
def test_only_a_supervisor_restores_and_the_files_stay_private(roles_office, tmp_path):
    import stat

    from ledger import backup

    office = roles_office
    file = tmp_path / "before.db"
    backup.backup(office, file)  # a clerk may take a backup: it only reads
    # (a new database file is 0600 too: test_foundation's test_new_sqlite_file_is_private…)
    assert stat.S_IMODE(file.stat().st_mode) == 0o600
    villages.add_village(office, name="东王村", code="V02")
    with pytest.raises(Forbidden):
        backup.restore(office, file)
    assert villages.count_villages(office) == 2  # not restored
    assert _forbidden(office)[-1]["entity"] == "database"
    boss = _as(office, "孙主管")
    try:
        backup.restore(boss, file)
        assert villages.count_villages(boss) == 1
    finally:
        boss.close()


def _use_cases() -> list[tuple[str, object]]:
    """Every public function defined in an area's service module, and the calendar's."""
    import importlib
    import inspect
    import pkgutil

    import ledger
    from ledger import workcal

    modules = [workcal]
    for info in pkgutil.iter_modules(ledger.__path__):
        if info.ispkg:
            try:
                modules.append(importlib.import_module(f"ledger.{info.name}.service"))
            except ModuleNotFoundError:
                continue
    found = []
    for module in modules:
        for name, fn in inspect.getmembers(module, inspect.isfunction):
            params = list(inspect.signature(fn).parameters)
            if (fn.__module__ == module.__name__ and not name.startswith("_") and params
                    and params[0] == "office" and (module is not workcal or name in (
                        "load_schedule", "set_day", "remove_day"))):
                found.append((f"{module.__name__}.{name}", fn))
    return found


def _steps_through_run_step(fn: object, seen: frozenset = frozenset()) -> bool:
    """Whether ``fn`` is a step: it calls ``steps.run_step``, itself or through functions of
    its own module (``tickets._change``, ``petitions._opinion`` then ``_step``)."""
    import inspect
    import re

    module = inspect.getmodule(fn)
    source = inspect.getsource(fn)  # type: ignore[arg-type]
    if "run_step(" in source:
        return True
    for called in set(re.findall(r"\b(\w+)\(", source)) - seen:
        helper = getattr(module, called, None)
        if (inspect.isfunction(helper) and helper is not fn
                and getattr(helper, "__module__", None) == module.__name__
                and _steps_through_run_step(helper, seen | {called})):
            return True
    return False


# Public functions of service modules that are not a clerk's use case: each is called only
# inside a use case that checked already, or before roles can exist.
NOT_USE_CASES = {
    "ledger.roster.service.check_person": "a check inside assigning a duty",
    "ledger.roster.service.lock_people": "row locks inside a roster change",
    "ledger.staff.service.first_supervisor": "init's bootstrap: nobody holds a role yet",
    "ledger.staff.service.link_written_names": "part of adding or renaming a staff member",
    "ledger.tickets.service.due_preview": "a read: the due date the open form shows",
}


def test_every_use_case_refuses_a_viewer_before_anything_else(roles_office):
    """No use case forgets its check: a viewer calling any of them, whatever the arguments,
    is refused with Forbidden (the check comes first, before the arguments are read). A step
    is checked by ``steps.run_step`` once its arguments are valid (nothing is written before),
    so a step function may refuse bad arguments first."""
    import inspect

    staff.add_staff(_as(roles_office, "孙主管"), name="看客", role="viewer")
    viewer = _as(roles_office, "看客")
    unchecked = []
    try:
        for name, fn in _use_cases():
            if name in NOT_USE_CASES or _steps_through_run_step(fn):
                continue
            args = {p.name: None for p in list(inspect.signature(fn).parameters.values())[1:]
                    if p.default is inspect.Parameter.empty
                    and p.kind not in (p.VAR_POSITIONAL, p.VAR_KEYWORD)}
            try:
                fn(viewer, **args)
            except Forbidden:
                continue
            except Exception as exc:  # noqa: BLE001 - named in the failure below
                unchecked.append(f"{name}: {type(exc).__name__}")
            else:
                unchecked.append(f"{name}: ran")
    finally:
        viewer.close()
    assert not unchecked, "\n".join(unchecked)
