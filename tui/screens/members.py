"""Committee members: a paged, searchable list; a member's detail with terms and journal;
add, edit, add-a-post (一肩挑) and end-a-term forms.

Everything goes through ``ledger.members``; this module only lays out what it returns.
Search matches names or pinyin initials (``xsw`` finds 许少伟) — ledger's rule.
"""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.widgets import Static

from ledger import display, members
from ledger.i18n import t, value_label
from tui.bindings import bind
from tui.screens.base import LedgerScreen, ListScreen, RecordScreen, by_id
from tui.widgets.columns import Column
from tui.widgets.detail import RowsTable
from tui.widgets.filter_bar import Choice, FilterSpec, code_choices
from tui.widgets.form import FieldSpec, FormScreen

LIST_COLUMNS = [
    Column("name"),
    Column("village"),
    Column("posts", kind="post"),
    Column("gender", kind="gender"),
    Column("age"),
    Column("education", kind="education"),
    Column("political_status", kind="political_status"),
    Column("phone"),
]

DETAIL_FIELDS = [
    Column("name"),
    Column("village"),
    Column("posts", kind="post"),
    Column("gender", kind="gender"),
    Column("birth_date"),
    Column("age"),
    Column("id_number"),
    Column("phone"),
    Column("education", kind="education"),
    Column("political_status", kind="political_status"),
    Column("college_graduate_official"),
    Column("notes"),
]

TERM_COLUMNS = [
    Column("post", kind="post"),
    Column("village"),
    Column("election_date"),
    Column("started_on"),
    Column("ends_on"),
    Column("ended_on"),
    Column("end_reason"),
]

# The person's own fields, shared by the add and edit forms.
PERSON_FIELDS = [
    FieldSpec("id_number", max_length=18),
    FieldSpec("gender", kind="choice", codes=members.GENDERS),
    FieldSpec("birth_date", kind="date"),
    FieldSpec("phone"),
    FieldSpec("education", kind="choice", codes=members.EDUCATION_LEVELS),
    FieldSpec("political_status", kind="choice", codes=members.POLITICAL_STATUSES),
    FieldSpec("college_graduate_official", kind="bool"),
    FieldSpec("notes", kind="multiline"),
]

STATUS_CHOICES = {"active": True, "left": False}


def add_fields(villages: list[dict[str, Any]]) -> list[FieldSpec]:
    return [
        FieldSpec("name", required=True),
        FieldSpec("village", kind="choice", required=True, choices=code_choices(villages)),
        FieldSpec("post", kind="choice", required=True, codes=members.POSTS),
        *PERSON_FIELDS,
        FieldSpec("election_date", kind="date"),
        FieldSpec("started_on", kind="date"),
    ]


def edit_fields() -> list[FieldSpec]:
    # ID number and phone start blank (the stored ones are masked): blank keeps them.
    keep = {"id_number", "phone"}
    return [FieldSpec("name", required=True)] + [
        FieldSpec(f.name, kind=f.kind, codes=f.codes, max_length=f.max_length,
                  placeholder_key="tui.form.keep_hint") if f.name in keep else f
        for f in PERSON_FIELDS
    ]


def end_term_fields(member: dict[str, Any]) -> list[FieldSpec]:
    posts = [Choice(p, value_label("post", p)) for p in member.get("posts", [])]
    return [
        FieldSpec("post", kind="choice", choices=posts),
        FieldSpec("ended_on", kind="date"),
        FieldSpec("end_reason"),
    ]


def add_post_fields() -> list[FieldSpec]:
    return [
        FieldSpec("post", kind="choice", required=True, codes=members.POSTS),
        FieldSpec("election_date", kind="date"),
        FieldSpec("started_on", kind="date"),
    ]


class MembersScreen(ListScreen):
    """The list of members with filters; Enter opens a member."""

    TITLE_KEY = "tui.screen.members"
    AREA = "members"
    COLUMNS = LIST_COLUMNS
    FILTER = members.MemberFilter
    SEARCH_HINT = "tui.members.search_hint"
    NONE_SELECTED = "tui.members.none_selected"

    BINDINGS = [
        bind("a", "add", "tui.key.add"),
        bind("e", "edit", "tui.key.edit"),
        bind("x", "end_term", "tui.key.end_term"),
        bind("p", "add_post", "tui.key.add_post"),
    ]

    def fetch(self, filters: Any, offset: int, limit: int) -> list[dict[str, Any]]:
        return members.list_members(self.office, filters, offset=offset, limit=limit)

    def count(self, filters: Any) -> int:
        return members.count_members(self.office, filters)

    def filter_specs(self) -> list[FilterSpec]:
        return [
            FilterSpec("village", "field.village", choices=code_choices(self.villages)),
            FilterSpec("post", "field.post", codes=members.POSTS, kind="post"),
            FilterSpec("education", "field.education", codes=members.EDUCATION_LEVELS,
                       kind="education"),
            FilterSpec("status", "tui.members.status", default="active",
                       choices=[Choice("active", t("tui.members.in_office")),
                                Choice("left", t("tui.members.left"))]),
        ]

    def filters_from(self, values: dict[str, Any]) -> members.MemberFilter:
        return members.MemberFilter(
            village=values.get("village"), post=values.get("post"),
            education=values.get("education"),
            active=STATUS_CHOICES.get(values.get("status") or "", None),
            search=values.get("search"))

    def detail_screen(self, row: dict[str, Any]) -> MemberDetailScreen:
        return MemberDetailScreen(self.office, row["id"])

    def find_records(self, text: str, limit: int) -> list[dict[str, Any]]:
        # The palette finds former members too, and a member by id.
        found = by_id(lambda ident: members.get_member(self.office, ident), text)
        return found + members.list_members(
            self.office, members.MemberFilter(active=None, search=text), limit=limit)

    # -- actions -----------------------------------------------------------------------

    def action_add(self) -> None:
        office = self.office

        def save(values: dict[str, Any]) -> dict[str, Any]:
            return members.add_member(office, **values)

        self.app.push_screen(
            FormScreen(t("tui.members.add_title"), add_fields(self.villages), submit=save),
            callback=self._added)

    def _added(self, member: dict[str, Any] | None) -> None:
        if member is None:
            return
        self.notify(t("members.added", name=member["name"], id=member["id"]), markup=False)
        self.table.reload(select=member["id"])

    def action_edit(self) -> None:
        row = self.selected()
        if row is not None:
            open_edit_form(self, row, on_done=lambda _m: self.table.reload())

    def action_end_term(self) -> None:
        row = self.selected()
        if row is not None:
            open_end_term_form(self, row, on_done=lambda _m: self.table.reload())

    def action_add_post(self) -> None:
        row = self.selected()
        if row is not None:
            open_add_post_form(self, row, on_done=lambda _m: self.table.reload())


def open_edit_form(screen: LedgerScreen, member: dict[str, Any], on_done: Any) -> None:
    """The edit form for ``member``; only changed fields go to ``edit_member``."""
    office, member_id = screen.office, member["id"]

    def shape(record: dict[str, Any]) -> dict[str, Any]:
        return {k: v for k, v in record.items() if k not in ("id_number", "phone")}

    def save(changes: dict[str, Any]) -> dict[str, Any]:
        return members.edit_member(office, member_id, **changes)  # with the form's version

    def saved(result: dict[str, Any] | None) -> None:
        if result is not None:
            screen.notify(t("members.updated", name=result["name"], id=result["id"]),
                          markup=False)
            on_done(result)

    screen.app.push_screen(
        FormScreen(t("tui.members.edit_title", name=member["name"]), edit_fields(),
                   submit=save, initial=shape(member), only_changed=True,
                   version=member["version"],
                   reload=lambda: shape(members.get_member(office, member_id))),
        callback=saved)


def open_add_post_form(screen: LedgerScreen, member: dict[str, Any], on_done: Any) -> None:
    """Another post in the member's village (e.g. the director's beside the secretary's)."""
    office, member_id = screen.office, member["id"]

    def save(values: dict[str, Any]) -> dict[str, Any]:
        return members.add_post(office, member_id, **values)

    def saved(result: dict[str, Any] | None) -> None:
        if result is not None:
            new = [p for p in result["posts"] if p not in member.get("posts", [])]
            screen.notify(t("members.post_added", name=result["name"],
                            post=display.labels("post", new)), markup=False)
            on_done(result)

    screen.app.push_screen(
        FormScreen(t("tui.members.post_title", name=member["name"]), add_post_fields(),
                   submit=save),
        callback=saved)


def open_end_term_form(screen: LedgerScreen, member: dict[str, Any], on_done: Any) -> None:
    """Which post, when and why; a confirmation dialog; then ``end_term``."""
    office, member_id = screen.office, member["id"]
    posts = member.get("posts", [])
    initial = {"post": posts[0] if len(posts) == 1 else None}

    def question(values: dict[str, Any]) -> str:
        post = values.get("post")
        return t("tui.members.confirm_end", name=member["name"],
                 post=value_label("post", post) if post else t("tui.members.all_posts"),
                 date=values.get("ended_on") or t("tui.members.today"))

    def save(values: dict[str, Any]) -> dict[str, Any]:
        return members.end_term(office, member_id, post=values.get("post") or None,
                                ended_on=values.get("ended_on"),
                                reason=values.get("end_reason") or "")

    def saved(result: dict[str, Any] | None) -> None:
        if result is not None:
            screen.notify(t("members.ended", name=result["name"]), markup=False)
            on_done(result)

    screen.app.push_screen(
        FormScreen(t("tui.members.end_title", name=member["name"]), end_term_fields(member),
                   submit=save, initial=initial, confirm=question),
        callback=saved)


class MemberDetailScreen(RecordScreen):
    """One member: fields, terms, and the journal (theirs and their terms') as a timeline."""

    TITLE_KEY = "tui.screen.members"
    FIELDS = DETAIL_FIELDS
    ENTITY = "member"

    DEFAULT_CSS = """
    MemberDetailScreen #member-terms { height: auto; max-height: 12; margin: 0 1; }
    """

    BINDINGS = [
        bind("e", "edit", "tui.key.edit"),
        bind("x", "end_term", "tui.key.end_term"),
        bind("p", "add_post", "tui.key.add_post"),
        bind("r", "reveal", "tui.key.reveal"),
    ]

    @property
    def member(self) -> dict[str, Any] | None:
        return self.record

    def load_record(self, reveal: bool) -> dict[str, Any]:
        return members.get_member(self.office, self.record_id, reveal=reveal)

    def compose_sections(self) -> ComposeResult:
        yield Static(Text(t("tui.members.terms")), classes="section")
        yield RowsTable(TERM_COLUMNS, row_key="id", id="member-terms")

    def show_sections(self, record: dict[str, Any]) -> None:
        self.query_one("#member-terms", RowsTable).show(record.get("terms", []),
                                                         zone=self.office.clock)

    def action_edit(self) -> None:
        if self.record is not None:
            open_edit_form(self, self.record, on_done=lambda _m: self.reload())

    def action_end_term(self) -> None:
        if self.record is not None:
            open_end_term_form(self, self.record, on_done=lambda _m: self.reload())

    def action_add_post(self) -> None:
        if self.record is not None:
            open_add_post_form(self, self.record, on_done=lambda _m: self.reload())
