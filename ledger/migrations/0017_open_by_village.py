"""Schema 17: the dashboard counts each village's open tickets and petitions from an index.

``ticket(state, village_id)`` and ``petition(state, village_id)``: the count of open records
per village reads the open states' entries of the index alone, where it read each open row
of the table (tens of thousands of lookups on a million tickets).

Indexes only: no row changes. Both SQLite and PostgreSQL take the same statements.
"""


def up(migrator, db):
    migrator.migrate(
        migrator.add_index('ticket', ('state', 'village_id'), False),
        migrator.add_index('petition', ('state', 'village_id'), False),
    )


def down(migrator, db):
    migrator.migrate(
        migrator.drop_index('petition', 'petition_state_village_id'),
        migrator.drop_index('ticket', 'ticket_state_village_id'),
    )
