"""One run of the reminders, as cron starts it every morning.

Order matters for cron: the settings are checked (a ConfigError, exit 2) and the plan is made
before anything is sent; then every (person, channel) is delivered on its own, a failure
does not stop the others, and only what got through is recorded in the reminder log — so
tomorrow's run, or the next one today, tries the failed ones again and skips the rest.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from ledger.errors import Conflict
from ledger.models.staff import ReminderLog
from ledger.office import Office
from ledger.remind import channels as ch
from ledger.remind.digest import body, counts, subject
from ledger.remind.select import plan


@contextmanager
def run_lock(path: Path) -> Iterator[None]:
    """Only one run at a time: a second one is refused at once (``Conflict``), so a slow
    SMTP server cannot make cron's runs pile up. The kernel drops the lock if we die."""
    try:
        import fcntl
    except ImportError:  # not POSIX: no lock rather than no reminders
        yield
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "a+") as handle:
        try:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            raise Conflict("error.remind.busy", path=str(path)) from None
        try:
            yield
        finally:
            fcntl.flock(handle.fileno(), fcntl.LOCK_UN)


def lock_path(office: Office) -> Path:
    """A lock per database, in the user's cache folder."""
    from ledger.paths import cache_dir

    url = office.url or ""
    return cache_dir() / f"remind-{hashlib.sha1(url.encode()).hexdigest()[:12]}.lock"


def _reaches(person: dict[str, Any], channel: str) -> bool:
    if channel == "email":
        return "email" in person["channels"] and bool(person["email"])
    if channel == "webhook":
        return "webhook" in person["channels"] and bool(person["webhook_url"])
    return True


def _already_sent(day: dt.date) -> set[tuple[str, int, str, str, str]]:
    query = (ReminderLog.select(ReminderLog.item_kind, ReminderLog.item_id, ReminderLog.person,
                                ReminderLog.channel, ReminderLog.deadline_kind)
             .where(ReminderLog.day == day).tuples())
    return set(query)


def remind(office: Office, *, dry_run: bool = False, force: bool = False,
           stdout: Callable[[str], None] | None = None, texts: bool = True) -> dict[str, Any]:
    """Send today's reminders over the configured channels.

    ``stdout``: what prints a digest on the stdout channel (the face's printer); None leaves
    that channel out (``--quiet``). Returns ``{"day", "recipients": [{name, channels,
    items, deliveries: [{channel, status, error}]}], "failures", "unmatched"}`` where a
    delivery's status is ``sent``, ``failed``, ``skipped`` (told already today) or ``dry_run``
    (with the ``text`` that would be sent, unless ``texts`` is False).
    """
    configured = list(office.settings["remind.channels"])
    smtp = ch.check_email_settings(office.settings) if "email" in configured else None
    today_plan = plan(office)  # may raise ConfigError: still nothing sent
    day = today_plan["day"]
    done = set() if force else _already_sent(day)
    office_name = office.settings["office.name"]
    timeout = office.settings["remind.webhook.timeout_seconds"]
    failures: list[dict[str, Any]] = []
    out: list[dict[str, Any]] = []
    for person in today_plan["recipients"]:
        deliveries: list[dict[str, Any]] = []
        reachable = [c for c in configured if _reaches(person, c)]
        if not any(c != "stdout" for c in reachable) and "stdout" not in configured:
            failures.append({"person": person["name"], "channel": "",
                             "error": "unreachable"})
        for channel in reachable:
            if channel == "stdout" and stdout is None:
                continue
            items = person["items"]
            if done:
                items = [i for i in items
                         if (i["kind"], i["id"], person["key"], channel, i["deadline_kind"])
                         not in done]
            record = {"channel": channel, "items": len(items), "status": "", "error": None}
            deliveries.append(record)
            if not items:
                record["status"] = "skipped"
                continue
            lang = person["language"]
            if dry_run:
                record["status"] = "dry_run"
                if texts:
                    record["text"] = body(person, items, day, lang)
                continue
            title = subject(office_name, items, lang)
            text = body(person, items, day, lang)
            try:
                if channel == "stdout":
                    assert stdout is not None
                    stdout(text)
                elif channel == "email":
                    assert smtp is not None
                    ch.send_email(smtp, person["email"], title, text)
                else:
                    ch.send_webhook(person["webhook_url"],
                                    ch.webhook_payload(person["webhook_kind"], person, title,
                                                       text, items), timeout)
            except ch.DeliveryError as exc:
                record["status"] = "failed"
                record["error"] = str(exc)
                failures.append({"person": person["name"], "channel": channel,
                                 "error": str(exc)})
                continue
            record["status"] = "sent"
            _record(office, day, person["key"], channel, items)
        overdue, soon = counts(person["items"])
        out.append({"name": person["name"], "staff_id": person["staff_id"],
                    "language": person["language"], "overdue": overdue, "due_soon": soon,
                    "items": person["items"], "deliveries": deliveries})
    return {"day": day, "dry_run": dry_run, "recipients": out, "failures": failures,
            "unmatched": today_plan["unmatched"]}


def _record(office: Office, day: dt.date, person: str, channel: str,
            items: list[dict[str, Any]]) -> None:
    """Log one delivery (one row per item). The log is itself the record of what was sent, so
    it is not journaled again row by row."""
    now = office.now()
    with office.transaction():
        ReminderLog.insert_many([
            {"day": day, "item_kind": i["kind"], "item_id": i["id"], "item_number": i["number"],
             "person": person, "channel": channel, "deadline_kind": i["deadline_kind"],
             "deadline": i["deadline"], "sent_at": now} for i in items]).execute()


def iter_log(office: Office, *, since: dt.date | None = None) -> Iterator[dict[str, Any]]:
    """What was sent, oldest first (from ``since``, a day, when given)."""
    query = ReminderLog.select().order_by(ReminderLog.sent_at, ReminderLog.id)
    if since is not None:
        query = query.where(ReminderLog.day >= since)
    for row in query.iterator():
        yield {"day": row.day, "sent_at": row.sent_at.replace(tzinfo=dt.UTC),
               "item_kind": row.item_kind, "item_id": row.item_id,
               "item_number": row.item_number, "person": row.person, "channel": row.channel,
               "deadline_kind": row.deadline_kind, "deadline": row.deadline}
