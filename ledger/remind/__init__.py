"""Reminders (jiedao remind): overdue and due-soon tickets and petitions told to the staff
responsible, escalated to the supervisor, over stdout, SMTP mail or robot webhooks.

    from ledger import remind
    with remind.run_lock(remind.lock_path(office)):
        result = remind.remind(office, stdout=print)
"""

from ledger.remind.run import iter_log, lock_path, remind, run_lock
from ledger.remind.select import due_items, plan, supervisor

__all__ = ["due_items", "iter_log", "lock_path", "plan", "remind", "run_lock", "supervisor"]
