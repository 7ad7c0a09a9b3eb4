"""Villages: refs by id, code or name; unique codes and names; journaled edits."""

from __future__ import annotations

import pytest

from ledger import journal, members, villages
from ledger.errors import Conflict, NotFound, ValidationError
from ledger.models import JournalEntry, Village


def test_add_then_find_by_id_code_and_name(office):
    added = villages.add_village(office, name="许庄村", code="v01",
                                relocation_status="flattened_returned", notes="试点")
    assert added["code"] == "V01"  # codes are upper-cased
    assert added["active_members"] == 0
    for ref in (added["id"], str(added["id"]), "V01", "许庄村"):
        assert villages.get_village(office, ref)["name"] == "许庄村"
    assert [e["action"] for e in journal.history(office, "village", added["id"])] == ["create"]


def test_list_is_in_code_order_with_active_member_counts(office):
    villages.add_village(office, name="西村", code="V02")
    villages.add_village(office, name="东村", code="V01")
    members.add_member(office, name="王建国", village="V02", post="branch_secretary")
    rows = villages.list_villages(office)
    assert [(r["code"], r["active_members"]) for r in rows] == [("V01", 0), ("V02", 1)]


def test_unknown_village_is_not_found(office):
    with pytest.raises(NotFound) as err:
        villages.get_village(office, "V99")
    assert "V99" in err.value.message()


@pytest.mark.parametrize(("changes", "field", "key"), [
    ({"name": ""}, "name", "error.required"),
    ({"code": "  "}, "code", "error.required"),
    ({"code": "12"}, "code", "error.village_code_digits"),
    ({"relocation_status": "flooded"}, "relocation_status", "error.bad_choice"),
    ({"name": "村" * 61}, "name", "error.too_long"),
])
def test_bad_village_values_name_the_field_and_store_nothing(office, changes, field, key):
    values = {"name": "东村", "code": "V01", **changes}
    with pytest.raises(ValidationError) as err:
        villages.add_village(office, **values)
    assert (err.value.field, err.value.key) == (field, key)
    assert Village.select().count() == 0
    assert JournalEntry.select().count() == 0


def test_duplicate_code_or_name_is_a_conflict(office):
    villages.add_village(office, name="东村", code="V01")
    with pytest.raises(Conflict) as by_code:
        villages.add_village(office, name="西村", code="v01")
    with pytest.raises(Conflict) as by_name:
        villages.add_village(office, name="东村", code="V02")
    assert "东村" in by_code.value.message() and "V01" in by_name.value.message()
    assert Village.select().count() == 1


def test_edit_journals_before_and_after(office):
    village = villages.add_village(office, name="东村", code="V01")
    edited = villages.edit_village(office, "V01", relocation_status="urban_village",
                                  name="东关村")
    assert (edited["name"], edited["relocation_status"]) == ("东关村", "urban_village")
    last = journal.history(office, "village", village["id"])[-1]
    assert last["action"] == "update"
    assert last["before"]["name"] == "东村" and last["after"]["name"] == "东关村"
    assert last["before"]["relocation_status"] == "not_affected"


def test_edit_refuses_unknown_fields_and_a_taken_code(office):
    villages.add_village(office, name="东村", code="V01")
    villages.add_village(office, name="西村", code="V02")
    with pytest.raises(ValidationError) as unknown:
        villages.edit_village(office, "V01", colour="red")
    assert unknown.value.field == "colour"
    with pytest.raises(Conflict):
        villages.edit_village(office, "V01", code="V02")
    assert villages.get_village(office, "V01")["name"] == "东村"


def test_an_edit_that_changes_nothing_writes_no_journal_entry(office):
    villages.add_village(office, name="东村", code="V01")
    before = JournalEntry.select().count()
    villages.edit_village(office, "V01", name="东村")
    assert JournalEntry.select().count() == before
