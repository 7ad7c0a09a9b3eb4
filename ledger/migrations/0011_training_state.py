"""Schema 11: training says ``state`` too, the one word for where a record is in its procedure.

``training_session.status`` (planned / held / cancelled) and ``training_series.status``
(active / ended) become ``state``: renamed in place, so the data stays, and the index on
(status, starts_at) follows the column as ``trainingsession_state_starts_at`` (the name its
siblings' style gives it: they were created from the model class's name).
"""
from peewee import *


def up(migrator, db):
    migrator.migrate(
        migrator.rename_column('training_session', 'status', 'state'),
        migrator.rename_column('training_series', 'status', 'state'),
    )
    if isinstance(db, PostgresqlDatabase):
        db.execute_sql('ALTER INDEX trainingsession_status_starts_at '
                       'RENAME TO trainingsession_state_starts_at')
    else:  # SQLite renames no index: build it under its new name, then drop the old one
        db.execute_sql('CREATE INDEX IF NOT EXISTS trainingsession_state_starts_at '
                       'ON training_session (state, starts_at)')
        migrator.migrate(migrator.drop_index('training_session',
                                             'trainingsession_status_starts_at'))


def down(migrator, db):
    migrator.migrate(
        migrator.rename_column('training_session', 'state', 'status'),
        migrator.rename_column('training_series', 'state', 'status'),
    )
    if isinstance(db, PostgresqlDatabase):
        db.execute_sql('ALTER INDEX trainingsession_state_starts_at '
                       'RENAME TO trainingsession_status_starts_at')
    else:
        db.execute_sql('CREATE INDEX IF NOT EXISTS trainingsession_status_starts_at '
                       'ON training_session (status, starts_at)')
        migrator.migrate(migrator.drop_index('training_session',
                                             'trainingsession_state_starts_at'))
