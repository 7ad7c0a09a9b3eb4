"""Schema 5: one word for where a record is in its procedure, ``state`` (as petitions say).

``ticket.status`` becomes ``ticket.state`` and ``ticket_event.from_status``/``to_status``
become ``from_state``/``to_state``: renamed in place, so the data stays, and the index on
(status, id) follows the column and takes the model's name ``ticket_state_id``.

The re-review opinion (复核意见) makes a petition's matter final: it now closes the petition
(``ledger.petitions.rules``). A petition left at the former state ``re_reviewed`` is closed
on the day of its re-review opinion, as the regulation says it was.
"""
from peewee import *


def up(migrator, db):
    migrator.migrate(
        migrator.rename_column('ticket', 'status', 'state'),
        migrator.rename_column('ticket_event', 'from_status', 'from_state'),
        migrator.rename_column('ticket_event', 'to_status', 'to_state'),
    )
    if isinstance(db, PostgresqlDatabase):
        db.execute_sql('ALTER INDEX ticket_status_id RENAME TO ticket_state_id')
    else:  # SQLite renames no index: build it under its new name, then drop the old one
        migrator.migrate(
            migrator.add_index('ticket', ('state', 'id'), False),
            migrator.drop_index('ticket', 'ticket_status_id'),
        )
    db.execute_sql(
        "UPDATE petition SET state = 'closed', closed_on = rereviewed_on, next_due = NULL, "
        "next_due_kind = NULL WHERE state = 're_reviewed'")
    db.execute_sql(
        "UPDATE petition_event SET to_state = 'closed' WHERE to_state = 're_reviewed'")
