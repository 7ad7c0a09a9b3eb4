"""Schema 10: petitioners get the pinyin of their names (``name_initials``, ``name_pinyin``,
as people and ticket applicants have), so the one search box finds them by pinyin.

Existing petitioners are filled here, one UPDATE per distinct name (the ``(name, phone)``
index finds the rows), with the same ``ledger.people.pinyin_keys`` that register uses.
"""
from peewee import *


def up(migrator, db):
    migrator.migrate(
        migrator.add_column('petitioner', 'name_initials', CharField(max_length=60, default='')),
        migrator.add_column('petitioner', 'name_pinyin', CharField(max_length=300, default='')))
    fill(db)


def fill(db):
    """Set the pinyin of every petitioner's name."""
    from ledger.people import pinyin_keys

    class Petitioner(Model):
        name = CharField(max_length=60)
        name_initials = CharField(max_length=60, default='')
        name_pinyin = CharField(max_length=300, default='')

        class Meta:
            database = db
            table_name = 'petitioner'

    names = [n for (n,) in Petitioner.select(Petitioner.name).distinct().tuples()]
    for name in names:
        initials, full = pinyin_keys(name)
        (Petitioner.update(name_initials=initials[:60], name_pinyin=full[:300])
         .where(Petitioner.name == name).execute())


def down(migrator, db):
    migrator.migrate(
        migrator.drop_column('petitioner', 'name_initials'),
        migrator.drop_column('petitioner', 'name_pinyin'))
