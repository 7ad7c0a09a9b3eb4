"""The catalogue of proxy service items (代办事项): what the office runs errands for.

    from ledger import items
    items.add_item(office, name="老年证", category="民政", level="subdistrict", time_limit_days=5)
"""

from ledger.items.query import (
    ItemFilter,
    count_items,
    find_item,
    get_item,
    item_dict,
    iter_items,
    list_items,
    resolve_item,
)
from ledger.items.rules import (
    ITEM_FIELDS,
    LEVELS,
    MAX_LIMIT_DAYS,
    TRACKS,
    clean_item,
    parse_materials,
    time_limit_label,
)
from ledger.items.service import add_item, edit_item, retire_item

__all__ = [
    "ITEM_FIELDS", "LEVELS", "MAX_LIMIT_DAYS", "TRACKS", "ItemFilter", "add_item", "clean_item",
    "count_items", "edit_item", "find_item", "get_item", "item_dict", "iter_items", "list_items",
    "parse_materials", "resolve_item", "retire_item", "time_limit_label",
]
