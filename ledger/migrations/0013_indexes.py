"""Schema 13: every list reads its rows in its own order from an index, never sorting them.

* ``petition(next_due, id)`` replaces ``petition(next_due, state)``: the overdue and due-soon
  lists are ordered by ``next_due, id`` and the old index left the ``id`` part to a
  temporary sort of every matching row, however small the page. No query looks up petitions
  by deadline and state together (the state of the few due ones is read from the rows).
* ``service_item(track DESC, code)``: the catalogue's order (project items first, then by
  code), mixed directions that no ascending index gives.
* ``duty_shift(starts_at, post_id, id)``: the roster's order, by start, then post.

Indexes only: no row changes. Both SQLite and PostgreSQL take the same statements.
"""


def up(migrator, db):
    migrator.migrate(
        migrator.drop_index('petition', 'petition_next_due_state'),
        migrator.add_index('petition', ('next_due', 'id'), False),
        migrator.add_index('duty_shift', ('starts_at', 'post_id', 'id'), False),
    )
    # peewee's migrator names columns only; a descending key is written out.
    db.execute_sql('CREATE INDEX "service_item_track_code" ON "service_item" '
                   '("track" DESC, "code")')


def down(migrator, db):
    db.execute_sql('DROP INDEX "service_item_track_code"')
    migrator.migrate(
        migrator.drop_index('duty_shift', 'duty_shift_starts_at_post_id_id'),
        migrator.drop_index('petition', 'petition_next_due_id'),
        migrator.add_index('petition', ('next_due', 'state'), False),
    )
