"""Schema 14: a ticket's agent and a petition's handler are staff records (issue #10).
Numbered 14 by the lead; it reads and writes only ``ticket``, ``petition`` and ``staff``.

``ticket.agent_id`` and ``petition.handler_id`` are new nullable foreign keys to ``staff``,
each indexed with ``id`` (a person's work, in id order). The text columns ``agent`` and
``handler`` stay: the name as it was written, for the record's history and for the names that
match nobody.

Existing rows are matched here: a name, surrounding spaces ignored, that is exactly the name
of a staff record gets that record's id — retired ones too, since the person did that work
whatever they do now. A name that matches nobody keeps a NULL id; it is not dropped:
``jiedao staff unmatched`` reports it, and adding (or renaming) a staff record to that name
links its rows (``ledger.staff.service``).
"""
from peewee import *


def up(migrator, db):
    class Staff(Model):
        name = CharField(max_length=60, unique=True)

        class Meta:
            database = db
            table_name = 'staff'

    migrator.migrate(
        migrator.add_column('ticket', 'agent_id',
                            ForeignKeyField(Staff, field=Staff.id, null=True,
                                            on_delete='RESTRICT', index=False)),
        migrator.add_index('ticket', ('agent_id', 'id'), False),
        migrator.add_column('petition', 'handler_id',
                            ForeignKeyField(Staff, field=Staff.id, null=True,
                                            on_delete='RESTRICT', index=False)),
        migrator.add_index('petition', ('handler_id', 'id'), False))
    match(db)


def match(db):
    """Link every agent and handler name that is a staff record's name to that record."""
    staff = {name: id_ for id_, name in db.execute_sql('SELECT id, name FROM staff')}
    for table, name_column, id_column in (('ticket', 'agent', 'agent_id'),
                                          ('petition', 'handler', 'handler_id')):
        # One UPDATE per distinct name written (the name's index finds the rows).
        names = [n for (n,) in db.execute_sql(
            f'SELECT DISTINCT {name_column} FROM {table} WHERE {name_column} > \'\'')]
        for written in names:
            key = staff.get((written or '').strip())
            if key is not None:
                db.execute_sql(
                    f'UPDATE {table} SET {id_column} = {db.param} '
                    f'WHERE {name_column} = {db.param} AND {id_column} IS NULL',
                    (key, written))


def down(migrator, db):
    migrator.migrate(
        migrator.drop_index('ticket', 'ticket_agent_id_id'),
        migrator.drop_column('ticket', 'agent_id'),
        migrator.drop_index('petition', 'petition_handler_id_id'),
        migrator.drop_column('petition', 'handler_id'))
