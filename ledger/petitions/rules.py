"""What a petition is: its codes, the procedure's transition table, which steps a petition
allows, how petitioners are written, and the stored fields the journal keeps.

The procedure (信访工作条例): registered -> accepted (or not_accepted) -> in_handling ->
replied -> [review_requested -> reviewed -> [rereview_requested -> closed]] or closed.
The re-review opinion (复核意见) makes the matter final, so recording it closes the petition
(``closed`` with ``rereviewed_on`` set, ``closed_on`` the opinion's day): no separate
``close`` follows it, and ``is_final`` and repeat detection see the matter as final at once.
A petition without a re-review is closed by ``close`` after its reply or review.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any

from ledger import display, steps
from ledger.errors import InvalidTransition, ValidationError
from ledger.fields import choice, date_field, int_field, text_field
from ledger.i18n import value_label
from ledger.lookups import staff_ref, village_ref
from ledger.models.petitions import Petition
from ledger.office import Office
from ledger.people import normalise_id_number, normalise_phone, pinyin_keys
from ledger.steps import Target

CHANNELS = ("letter", "visit", "online", "phone", "hotline_referral")
STATES = (
    "registered", "accepted", "not_accepted", "in_handling", "replied",
    "review_requested", "reviewed", "rereview_requested", "closed",
)
OPEN_STATES = tuple(s for s in STATES if s not in ("not_accepted", "closed"))
# The regulation's limit on representatives of a group visit (信访工作条例: 不超过5人).
MAX_REPRESENTATIVES = 5
# action -> (states it may start from, state it leads to); None keeps the state
# (the shape of ``ledger.steps``).
TRANSITIONS: dict[str, tuple[tuple[str, ...], Target]] = {
    "accept": (("registered",), "accepted"),
    "decline": (("registered",), "not_accepted"),
    "assign": (("accepted", "in_handling"), "in_handling"),
    "extend": (("accepted", "in_handling"), None),
    "reply": (("in_handling",), "replied"),
    "request_review": (("replied",), "review_requested"),
    "review": (("review_requested",), "reviewed"),
    "request_rereview": (("reviewed",), "rereview_requested"),
    "rereview": (("rereview_requested",), "closed"),  # final: the matter closes with it
    "close": (("replied", "reviewed"), "closed"),
}
ENTITY = "petition"
TEXT_MAX = {"summary": 4000, "demands": 4000, "handler": 60, "handler_unit": 100,
            "forwarded_to": 100, "approved_by": 60, "name": 60, "address": 200}


def categories(office: Office) -> list[str]:
    """The office's petition categories (the setting ``petitions.categories``), in order."""
    return list(office.settings["petitions.categories"])


def petition_fields(row: Petition) -> dict[str, Any]:
    """The stored fields (no personal data): what the journal's before/after records."""
    return {
        "id": row.id,
        "number": row.number,
        "channel": row.channel,
        "received_on": row.received_on,
        "category": row.category,
        "village_id": row.village_id,
        "summary": row.summary,
        "demands": row.demands,
        "collective": row.collective,
        "group_size": row.group_size,
        "state": row.state,
        "registered_by": row.registered_by,
        "handler": row.handler,
        # The attribute holds the id (lazy_load=False), on a row and on a batch import's
        # plain namespace alike.
        "handler_id": row.handler_staff,
        "handler_unit": row.handler_unit,
        "attachments": [a for a in row.attachments.split("\n") if a],
        "accepted_on": row.accepted_on,
        "declined_on": row.declined_on,
        "decline_reason": row.decline_reason,
        "forwarded_to": row.forwarded_to,
        "extension_days": row.extension_days,
        "extension_reason": row.extension_reason,
        "extension_approved_by": row.extension_approved_by,
        "replied_on": row.replied_on,
        "reply_gist": row.reply_gist,
        "review_requested_on": row.review_requested_on,
        "reviewed_on": row.reviewed_on,
        "review_gist": row.review_gist,
        "rereview_requested_on": row.rereview_requested_on,
        "rereviewed_on": row.rereviewed_on,
        "rereview_gist": row.rereview_gist,
        "closed_on": row.closed_on,
        "repeat_of_id": row.repeat_of_id,
        "next_due": row.next_due,
        "next_due_kind": row.next_due_kind,
    }


def is_final(row: Petition) -> bool:
    """A matter closed by its re-review opinion: the regulation accepts it no more."""
    return row.state == "closed" and row.rereviewed_on is not None


def label(field: str) -> str:
    """The label of a petition's field: ``field.petition_<field>`` (a petition's ``village``
    is 涉及村, its ``received_on`` 收到日期, other areas' fields of the same name read
    otherwise). Errors name the field as the functions and dicts do (``summary``, ``on``) and
    show this label (``ledger.errors.ValidationError``)."""
    return f"petition_{field}"


def as_date(value: Any, field: str) -> dt.date:
    """A date that must be given (``ledger.fields.date_field``, blank refused)."""
    day = date_field(field, value, label=label(field))
    if day is None:
        raise ValidationError(field, "error.bad_date", label=label(field), value=value)
    return day


def not_future(office: Office, day: dt.date, field: str) -> dt.date:
    """``day`` itself, refused when it is after the office's today."""
    if day > office.today():
        raise ValidationError(field, "error.petition.date_future", label=label(field),
                              date=day)
    return day


PETITIONER_KEYS = {"name": "name", "phone": "phone", "id": "id_number",
                   "id_number": "id_number", "village": "village", "address": "address"}
PETITIONER_POSITIONS = ("name", "phone", "id_number", "village", "address")


def parse_petitioner(text: str, field: str = "petitioners") -> dict[str, str]:
    """One petitioner written on a line, as scripts and forms take them:
    ``NAME[,PHONE[,ID[,VILLAGE[,ADDRESS]]]]`` or ``name=…,phone=…,id=…`` (either comma).

    Only the shape is checked here; ``register`` validates the values.
    """
    parts = [p.strip() for p in str(text).replace("，", ",").split(",")]
    if not str(text).strip() or len(parts) > len(PETITIONER_POSITIONS):
        raise ValidationError(field, "error.petition.bad_petitioner_spec", value=text)
    if any("=" in p for p in parts):
        out: dict[str, str] = {}
        for part in parts:
            key, sep, value = part.partition("=")
            if not sep or key.strip().lower() not in PETITIONER_KEYS:
                raise ValidationError(field, "error.petition.bad_petitioner_key",
                                      key=key.strip())
            out[PETITIONER_KEYS[key.strip().lower()]] = value.strip()
        return out
    return {k: v for k, v in zip(PETITIONER_POSITIONS, parts, strict=False) if v}


def parse_petitioners(text: str, field: str = "petitioners") -> list[dict[str, str]]:
    """Several petitioners, one per line (blank lines skipped)."""
    return [parse_petitioner(line, field) for line in str(text or "").splitlines()
            if line.strip()]


def refusal(petition: Mapping[str, Any], action: str) -> InvalidTransition:
    """Why ``action`` is not allowed for this petition (its ``number``, ``state`` and
    ``extension_days``): the reason ledger refuses the step with, for a face to show
    before asking for the step's details."""
    if action == "extend" and petition.get("extension_days"):
        return InvalidTransition("error.petition.already_extended", number=petition["number"],
                                 days=petition["extension_days"])
    sources, _ = TRANSITIONS[action]
    state = petition.get("state")
    return InvalidTransition(
        "error.petition.bad_transition", number=petition["number"],
        action=value_label("petition_action", action),
        state=value_label("petition_state", state),
        allowed=display.labels("petition_state", sources))


def allowed_actions(petition: Mapping[str, Any]) -> list[str]:
    """The steps the rules allow from this petition's state (for menus and key bindings)."""
    state = petition.get("state")
    out = steps.allowed_actions(TRANSITIONS, state)
    if petition.get("extension_days"):
        out = [a for a in out if a != "extend"]
    return out


PERSON_FIELDS = ("name", "phone", "id_number", "village", "address")


def _person(person: Mapping[str, Any], collective: bool, position: int) -> dict[str, Any]:
    """One petitioner's fields; errors name the person's key (``phone``), labelled as a
    petitioner's (``petitioner_phone``)."""
    id_number = normalise_id_number(person.get("id_number"), "id_number",
                                    label="petitioner_id_number")
    village = village_ref(person.get("village"), "village", label="petitioner_village")
    name = text_field("name", person.get("name"), TEXT_MAX["name"], required=True,
                      label="petitioner_name")
    initials, full = pinyin_keys(name)
    return {
        "position": position,
        "name": name,
        "name_initials": initials[:60],
        "name_pinyin": full[:300],
        "phone": normalise_phone(person.get("phone"), "phone", label="petitioner_phone"),
        "id_number": id_number,
        "address": text_field("address", person.get("address"), TEXT_MAX["address"],
                              label="petitioner_address"),
        "village": village.id if village else None,
        "representative": collective,
    }


def _petitioners(raw: Iterable[Mapping[str, Any]] | None, collective: bool,
                 channel: str = "") -> list[dict[str, Any]]:
    """The petitioners' fields, in order. An error about one person names its key
    (``phone``) and carries ``position`` (1 for the first person); with several people
    its message says which one (``error.petition.person``). See ``place_person_error``."""
    people = list(raw or [])
    if not people:
        raise ValidationError("petitioners", "error.petition.no_petitioner")
    if collective and len(people) > MAX_REPRESENTATIVES:
        raise ValidationError("petitioners", "error.petition.too_many_reps",
                              label=label("representatives"), max=MAX_REPRESENTATIVES,
                              count=len(people))
    if channel == "visit" and len(people) > MAX_REPRESENTATIVES:
        # 多人采用走访形式……代表人数不超过5人: the limit holds whether or not the clerk
        # ticked "group visit" (a joint letter is not limited).
        raise ValidationError("petitioners", "error.petition.visit_is_collective",
                              label=label("representatives"), max=MAX_REPRESENTATIVES,
                              count=len(people))
    out: list[dict[str, Any]] = []
    seen: set[str] = set()
    for position, person in enumerate(people):
        try:
            if not isinstance(person, Mapping):
                raise ValidationError("petitioners", "error.petition.bad_petitioner")
            cleaned = _person(person, collective, position)
            if cleaned["id_number"] and cleaned["id_number"] in seen:
                raise ValidationError("id_number", "error.petition.duplicate_person",
                                      label="petitioner_id_number")
        except ValidationError as err:
            if len(people) == 1:
                raise ValidationError(err.field, err.key, label=err.label, position=1,
                                      **err.params) from None
            raise ValidationError(err.field, "error.petition.person", label=err.label,
                                  position=position + 1, detail=err.detail()) from None
        if cleaned["id_number"]:
            seen.add(cleaned["id_number"])
        out.append(cleaned)
    return out


def place_person_error(err: ValidationError, first: Mapping[str, str],
                       others: str) -> ValidationError:
    """A petitioner's error placed where a face that gives the first petitioner fields of its
    own (``first``: person key -> the face's field) and the others one box (``others``)
    shows it: the TUI's registration form, an import's columns. Other errors unchanged."""
    position = err.params.get("position")
    if position is None:
        return err
    field = first.get(err.field, err.field) if position == 1 else others
    if field == err.field:
        return err
    return ValidationError(field, err.key, label=err.label, **err.params)


def _group_size(value: Any, collective: bool, people: int) -> int:
    size = int_field("group_size", value, required=collective, label=label("group_size"))
    if size is None:
        return people
    if size < people or (collective and size < 2):
        raise ValidationError("group_size", "error.petition.group_too_small",
                              label=label("group_size"), count=people)
    if not collective and size > people:
        # People who came but are not on it: that is a group petition, with representatives.
        raise ValidationError("group_size", "error.petition.size_needs_collective",
                              label=label("group_size"), size=size, count=people)
    return size


def clean_petition(office: Office, data: Mapping[str, Any]) -> tuple[dict[str, Any],
                                                                     list[dict[str, Any]]]:
    """THE validator of a petition's registration: (its fields, its petitioners), as
    ``register`` and the batch import store them. It reads villages; it never writes.

    ``data``: channel, category, summary, demands, handler, handler_unit, collective,
    received_on (blank: today), village, petitioners (dicts), group_size, attachments.
    """
    channel = choice("channel", data.get("channel"), CHANNELS, label=label("channel"))
    out: dict[str, Any] = {
        "channel": channel,
        "category": choice("category", data.get("category"), tuple(categories(office)),
                           label=label("category")),
        "summary": text_field("summary", data.get("summary"), TEXT_MAX["summary"],
                              required=True, label=label("summary")),
        "demands": text_field("demands", data.get("demands"), TEXT_MAX["demands"],
                              label=label("demands")),
        "handler_unit": text_field("handler_unit", data.get("handler_unit"),
                                   TEXT_MAX["handler_unit"], label=label("handler_unit")),
        "collective": bool(data.get("collective")),
    }
    # The handler is a staff member (id or name; a retired one is refused); the petition
    # keeps the name too, as written when it was assigned.
    handler = staff_ref(data.get("handler"), "handler", label=label("handler"))
    out["handler"] = handler.name if handler else ""
    out["handler_staff"] = handler.id if handler else None
    received_on = data.get("received_on")
    received = (as_date(received_on, "received_on") if received_on not in (None, "")
                else office.today())
    out["received_on"] = not_future(office, received, "received_on")
    place = village_ref(data.get("village"), "village", label=label("village"))
    out["village"] = place.id if place else None
    people = _petitioners(data.get("petitioners"), out["collective"], out["channel"])
    out["group_size"] = _group_size(data.get("group_size"), out["collective"], len(people))
    files = [text_field("attachments", a, 100_000, label=label("attachments"))
             for a in data.get("attachments") or ()]
    if any("\n" in f for f in files):
        raise ValidationError("attachments", "error.petition.attachment_newline",
                              label=label("attachments"))
    out["attachments"] = "\n".join(f for f in files if f)
    return out, people
