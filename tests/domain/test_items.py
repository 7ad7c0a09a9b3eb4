"""The proxy service catalogue: validation, codes, edits, retiring, filters."""

from __future__ import annotations

import pytest

from ledger import items, journal
from ledger.errors import Conflict, NotFound, ValidationError
from ledger.models.tickets import ServiceItem


def _add(office, **kw):
    data = {"name": "重度残疾人护理补贴", "category": "残疾人服务", "level": "district",
            "time_limit_days": 20, "materials": "身份证|户口簿|残疾证"}
    data.update(kw)
    return items.add_item(office, **data)


def test_adding_an_item_numbers_it_by_track_and_journals_it(office):
    first = _add(office)
    second = _add(office, name="生育服务登记", time_limit_days=0, level="subdistrict",
                  materials=["身份证", "户口簿", "结婚证"])
    project = _add(office, name="企业投资项目备案代办", track="project", time_limit_days=3,
                   materials="项目备案申请表；营业执照")
    assert (first["code"], second["code"], project["code"]) == ("R01", "R02", "P01")
    assert first["materials"] == ["身份证", "户口簿", "残疾证"]
    assert project["materials"] == ["项目备案申请表", "营业执照"]
    assert second["on_the_spot"] and first["free"]
    entries = list(journal.entries(office, entity="item"))
    assert [(e["entity_id"], e["action"]) for e in entries] == [
        (str(first["id"]), "create"), (str(second["id"]), "create"),
        (str(project["id"]), "create")]


@pytest.mark.parametrize(("changes", "field"), [
    ({"name": "  "}, "name"),
    ({"category": ""}, "category"),
    ({"level": "province"}, "level"),
    ({"time_limit_days": -1}, "time_limit_days"),
    ({"time_limit_days": "soon"}, "time_limit_days"),
    ({"time_limit_days": 400}, "time_limit_days"),
    ({"track": "other"}, "track"),
    ({"materials": "身份证|身份证"}, "materials"),
    ({"name": "x" * 101}, "name"),
])
def test_bad_items_are_refused_and_nothing_is_stored(office, changes, field):
    with pytest.raises(ValidationError) as caught:
        _add(office, **changes)
    assert caught.value.field == field
    assert ServiceItem.select().count() == 0


def test_names_and_codes_are_unique(office):
    _add(office)
    with pytest.raises(ValidationError) as caught:
        _add(office)
    assert caught.value.field == "name"
    with pytest.raises(ValidationError) as caught:
        _add(office, name="另一个", code="R01")
    assert caught.value.field == "code"


def test_edit_changes_fields_and_journals_before_and_after(office):
    _add(office)
    edited = items.edit_item(office, "R01", time_limit_days=15, fee="工本费 10 元")
    assert edited["time_limit_days"] == 15 and edited["fee"] == "工本费 10 元"
    assert not edited["free"]
    last = list(journal.entries(office, entity="item"))[-1]
    assert last["action"] == "update"
    assert last["before"]["time_limit_days"] == 20 and last["after"]["time_limit_days"] == 15
    with pytest.raises(ValidationError):
        items.edit_item(office, "R01", colour="red")
    with pytest.raises(ValidationError):
        items.edit_item(office, "R01", level="moon")
    assert items.get_item(office, "R01")["level"] == "district"


def test_retire_hides_an_item_from_the_default_list_and_twice_is_refused(office):
    _add(office)
    _add(office, name="城乡低保", time_limit_days=15)
    items.retire_item(office, "城乡低保", note="并入社会救助")
    assert [i["code"] for i in items.list_items(office)] == ["R01"]
    everything = items.list_items(office, items.ItemFilter(active=None))
    assert [i["code"] for i in everything] == ["R01", "R02"]
    with pytest.raises(Conflict):
        items.retire_item(office, "R02")


def test_the_list_counts_tickets_unless_a_form_only_needs_the_choices(office):
    _add(office)
    assert items.list_items(office)[0]["tickets"] == 0
    assert "tickets" not in items.list_items(office, ticket_counts=False)[0]


def test_lookup_by_id_code_or_name_and_unknown_refs(office):
    item = _add(office)
    assert items.get_item(office, item["id"])["code"] == "R01"
    assert items.get_item(office, "重度残疾人护理补贴")["tickets"] == 0
    with pytest.raises(NotFound):
        items.get_item(office, "R99")


def test_filters(office):
    _add(office)
    _add(office, name="企业投资项目备案代办", track="project", time_limit_days=3)
    assert [i["code"] for i in items.list_items(office, items.ItemFilter(track="project"))] \
        == ["P01"]
    assert items.count_items(office, items.ItemFilter(search="残疾")) == 1
    with pytest.raises(ValidationError):
        items.list_items(office, items.ItemFilter(level="moon"))
