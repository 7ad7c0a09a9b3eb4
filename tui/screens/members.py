"""Committee members: a paged, searchable list; a member's detail with terms and journal;
add, edit and end-a-term forms.

Everything goes through ``ledger.members``; this module only lays out what it returns.
Search matches names or pinyin initials (``xsw`` finds 许少伟) — ledger's rule.
"""

from __future__ import annotations

from typing import Any

from textual.app import ComposeResult
from textual.containers import Container, VerticalScroll
from textual.widgets import DataTable, Static

from ledger import journal, members
from ledger.i18n import t, value_label
from tui.bindings import bind
from tui.screens.base import LedgerScreen
from tui.widgets.columns import Column
from tui.widgets.detail import DetailView
from tui.widgets.filter_bar import Choice, FilterBar, FilterSpec
from tui.widgets.form import FieldSpec, FormScreen
from tui.widgets.paged_table import PagedTable
from tui.widgets.timeline import Timeline

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


def village_choices(villages: list[dict[str, Any]]) -> list[Choice]:
    return [Choice(v["code"], f"{v['code']} {v['name']}") for v in villages]


def add_fields(villages: list[dict[str, Any]]) -> list[FieldSpec]:
    return [
        FieldSpec("name", required=True),
        FieldSpec("village", kind="choice", required=True, choices=village_choices(villages)),
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


def member_history(office: Any, member: dict[str, Any]) -> list[dict[str, Any]]:
    """The member's journal and their terms' journals, merged (the timeline sorts them)."""
    entries = journal.history(office, "member", member["id"])
    for term in member.get("terms", []):
        entries.extend(journal.history(office, "term", term["id"]))
    return entries


class MembersScreen(LedgerScreen):
    """The list of members with filters; Enter opens a member."""

    TITLE_KEY = "tui.screen.members"

    BINDINGS = [
        bind("a", "add", "tui.key.add"),
        bind("e", "edit", "tui.key.edit"),
        bind("x", "end_term", "tui.key.end_term"),
        bind("slash", "search", "tui.key.search", key_display="/"),
        bind("ctrl+r", "reload", "tui.key.reload"),
    ]

    def __init__(self, office: Any, *, name: str | None = None) -> None:
        super().__init__(office, name=name)
        self.villages: list[dict[str, Any]] = []
        self.filters = members.MemberFilter()
        self.table = PagedTable(LIST_COLUMNS, id="members-table")
        self._detail_open = False

    def compose_body(self) -> ComposeResult:
        yield Container(id="members-filters")
        yield self.table

    def on_mount(self) -> None:
        self.table.set_source(*self._source())
        self.table.focus_table()
        self.run_db(lambda: members.list_villages(self.office), self._villages_loaded)

    def on_screen_resume(self) -> None:
        # Back from a member's detail: an edit or a term ended there shows in the list.
        # (Not after every dialog or the palette: those report their own changes.)
        if self._detail_open and self.table.is_mounted:
            self._detail_open = False
            self.table.reload()

    def _villages_loaded(self, villages: list[dict[str, Any]]) -> None:
        self.villages = villages
        bar = FilterBar([
            FilterSpec("village", "field.village", choices=village_choices(villages)),
            FilterSpec("post", "field.post", codes=members.POSTS, kind="post"),
            FilterSpec("education", "field.education", codes=members.EDUCATION_LEVELS,
                       kind="education"),
            FilterSpec("status", "tui.members.status", default="active",
                       choices=[Choice("active", t("tui.members.in_office")),
                                Choice("left", t("tui.members.left"))]),
        ], search_placeholder_key="tui.members.search_hint", id="members-filter-bar")
        self.query_one("#members-filters", Container).mount(bar)

    def _source(self) -> tuple[Any, Any]:
        filters, office = self.filters, self.office
        return (lambda offset, limit: members.list_members(office, filters, offset=offset,
                                                           limit=limit),
                lambda: members.count_members(office, filters))

    def on_filter_bar_changed(self, event: FilterBar.Changed) -> None:
        values = event.values
        self.filters = members.MemberFilter(
            village=values.get("village"), post=values.get("post"),
            education=values.get("education"),
            active=STATUS_CHOICES.get(values.get("status") or "", None),
            search=values.get("search"))
        self.table.set_source(*self._source())
        if event.submitted:
            self.table.focus_table()

    def on_paged_table_selected(self, event: PagedTable.Selected) -> None:
        self._detail_open = True
        self.app.push_screen(MemberDetailScreen(self.office, event.row["id"]))

    # -- actions -----------------------------------------------------------------------

    def _selected(self) -> dict[str, Any] | None:
        row = self.table.current_row
        if row is None:
            self.notify(t("tui.members.none_selected"), severity="warning")
        return row

    def action_search(self) -> None:
        bars = self.query(FilterBar)
        if bars:
            bars.first().focus_search()

    def action_reload(self) -> None:
        self.table.reload()

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
        self.notify(t("members.added", name=member["name"], id=member["id"]))
        self.table.reload(select=member["id"])

    def action_edit(self) -> None:
        row = self._selected()
        if row is not None:
            open_edit_form(self, row, on_done=lambda _m: self.table.reload())

    def action_end_term(self) -> None:
        row = self._selected()
        if row is not None:
            open_end_term_form(self, row, on_done=lambda _m: self.table.reload())


def open_edit_form(screen: LedgerScreen, member: dict[str, Any], on_done: Any) -> None:
    """The edit form for ``member``; only changed fields go to ``edit_member``."""
    office, member_id = screen.office, member["id"]
    initial = {k: v for k, v in member.items() if k not in ("id_number", "phone")}

    def save(changes: dict[str, Any]) -> dict[str, Any]:
        return members.edit_member(office, member_id, **changes)

    def saved(result: dict[str, Any] | None) -> None:
        if result is not None:
            screen.notify(t("members.updated", name=result["name"], id=result["id"]))
            on_done(result)

    screen.app.push_screen(
        FormScreen(t("tui.members.edit_title", name=member["name"]), edit_fields(),
                   submit=save, initial=initial, only_changed=True),
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
            screen.notify(t("members.ended", name=result["name"]))
            on_done(result)

    screen.app.push_screen(
        FormScreen(t("tui.members.end_title", name=member["name"]), end_term_fields(member),
                   submit=save, initial=initial, confirm=question),
        callback=saved)


class MemberDetailScreen(LedgerScreen):
    """One member: fields, terms, and the journal as a timeline. Escape goes back."""

    TITLE_KEY = "tui.screen.members"

    DEFAULT_CSS = """
    MemberDetailScreen .section { text-style: bold; padding: 1 1 0 1; }
    MemberDetailScreen #member-terms { height: auto; max-height: 12; margin: 0 1; }
    """

    BINDINGS = [
        bind("escape", "back", "tui.key.back"),
        bind("e", "edit", "tui.key.edit"),
        bind("x", "end_term", "tui.key.end_term"),
        bind("r", "reveal", "tui.key.reveal"),
        bind("ctrl+r", "reload", "tui.key.reload"),
    ]

    def __init__(self, office: Any, member_id: int, *, name: str | None = None) -> None:
        super().__init__(office, name=name)
        self.member_id = member_id
        self.member: dict[str, Any] | None = None
        self.revealed = False

    def compose_body(self) -> ComposeResult:
        with VerticalScroll(id="member-detail"):
            yield DetailView(DETAIL_FIELDS, id="member-fields")
            yield Static(t("tui.members.terms"), classes="section")
            yield DataTable(id="member-terms", cursor_type="row", zebra_stripes=True)
            yield Static(t("tui.timeline"), classes="section")
            yield Timeline(to_local=self.local_time, id="member-timeline")

    def on_mount(self) -> None:
        terms = self.query_one("#member-terms", DataTable)
        for column in TERM_COLUMNS:
            terms.add_column(column.label, key=column.key)
        self.action_reload()

    def action_reload(self) -> None:
        self._load(reveal=False)

    def action_reveal(self) -> None:
        # ledger journals the reveal; the timeline shows it right away.
        self._load(reveal=True)

    def _load(self, *, reveal: bool) -> None:
        office, member_id = self.office, self.member_id

        def work() -> tuple[dict[str, Any], list[dict[str, Any]]]:
            member = members.get_member(office, member_id, reveal=reveal)
            return member, member_history(office, member)

        self.revealed = reveal
        self.run_db(work, self._show, group="member-detail", exclusive=True)

    def _show(self, loaded: tuple[dict[str, Any], list[dict[str, Any]]]) -> None:
        member, history = loaded
        self.member = member
        self.sub_title = member["name"]
        self.query_one("#member-fields", DetailView).show(member)
        terms = self.query_one("#member-terms", DataTable)
        terms.clear()
        for term in member.get("terms", []):
            terms.add_row(*(c.text(term) for c in TERM_COLUMNS), key=str(term["id"]))
        self.query_one("#member-timeline", Timeline).set_entries(history, show_entity=True)

    def action_back(self) -> None:
        self.dismiss()

    def action_edit(self) -> None:
        if self.member is not None:
            open_edit_form(self, self.member, on_done=lambda _m: self.action_reload())

    def action_end_term(self) -> None:
        if self.member is not None:
            open_end_term_form(self, self.member, on_done=lambda _m: self.action_reload())

