"""Villages: the places whose two committees the office oversees.

    from ledger import villages
    villages.add_village(office, name="许庄村", code="V01", relocation_status="flattened_returned")
"""

from ledger.villages.query import (
    count_villages,
    find_village,
    get_village,
    iter_villages,
    list_villages,
    resolve_village,
    village_dict,
)
from ledger.villages.rules import RELOCATION_STATUSES, VILLAGE_FIELDS, clean_village
from ledger.villages.service import add_village, edit_village

__all__ = [
    "RELOCATION_STATUSES", "VILLAGE_FIELDS", "add_village", "clean_village", "edit_village",
    "count_villages", "find_village", "get_village", "iter_villages", "list_villages",
    "resolve_village", "village_dict",
]
