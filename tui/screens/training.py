"""Training (培训): the sessions in start order with filters and search; a session's detail
with its attendance sheet and a fast check-in box; planning a session, marking it held and
cancelling it as keys.

Check-in at the door: F6, Enter on the session, type a name, pinyin initials (``xsw``) or
the last digits of an ID number in the box, Enter: the person is checked in and the sheet
updates (Ctrl+L switches the box between present and late). A term that matches several
people is refused with the candidates listed (ledger's rule, shown as the notification).
Everything goes through ``ledger.training``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual.app import ComposeResult
from textual.widgets import Input, Static

from ledger import training as svc
from ledger.i18n import t, value_label
from tui.bindings import bind
from tui.screens.base import ListScreen, RecordScreen
from tui.widgets.columns import Column
from tui.widgets.detail import RowsTable
from tui.widgets.filter_bar import Choice, FilterSpec
from tui.widgets.form import FieldSpec, FormScreen

if TYPE_CHECKING:
    from ledger.office import Office


def _hours(row: dict[str, Any]) -> str:
    value = row.get("credit_hours")
    return "" if value is None else f"{value:g}"


def _text(key: str) -> Any:
    """A column showing what a clerk typed literally (never parsed as markup)."""
    return lambda row: Text(str(row.get(key) or ""))


def _audience(row: dict[str, Any]) -> Text:
    text = value_label("training_audience", row.get("audience"))
    if row.get("audience_names"):
        text += "：" + "、".join(row["audience_names"])
    return Text(text)


def _state(row: dict[str, Any]) -> Text:
    state = row.get("state")
    if not state:
        return Text(t("tui.training.not_recorded"), style="dim")
    style = {"present": "green", "late": "yellow", "absent": "red"}.get(state, "")
    return Text(value_label("attendance_state", state), style=style)


LIST_COLUMNS = [
    Column("starts_at"),
    Column("title", render=_text("title")),
    Column("kind", kind="training_kind"),
    Column("place", render=_text("place")),
    Column("credit_hours", render=_hours),
    Column("state", kind="training_state"),
    Column("attended"),
]
DETAIL_FIELDS = [
    Column("title", render=_text("title")),
    Column("topic", render=_text("topic")),
    Column("kind", kind="training_kind"),
    Column("starts_at"),
    Column("ends_at"),
    Column("place", render=_text("place")),
    Column("organiser", render=_text("organiser")),
    Column("credit_hours", render=_hours),
    Column("audience", render=_audience),
    Column("state", kind="training_state"),
    Column("cancel_reason", render=_text("cancel_reason")),
    Column("series", render=_text("series_title")),
    Column("notes", render=_text("notes")),
]
SHEET_COLUMNS = [
    Column("name", label_key="field.person_name", render=_text("name")),
    Column("village", render=_text("village")),
    Column("required"),
    Column("state", label_key="field.attendance_state", render=_state),
    Column("reason", render=_text("reason")),
]


def add_fields() -> list[FieldSpec]:
    return [
        FieldSpec("title", required=True),
        FieldSpec("kind", kind="choice", required=True, codes=svc.KINDS,
                  value_kind="training_kind"),
        FieldSpec("starts_at", required=True, placeholder_key="tui.training.time_hint"),
        FieldSpec("ends_at", required=True, placeholder_key="tui.training.time_hint"),
        FieldSpec("credit_hours", required=True),
        FieldSpec("place"),
        FieldSpec("organiser"),
        FieldSpec("topic"),
        FieldSpec("notes", kind="multiline"),
    ]


class TrainingScreen(ListScreen):
    """The sessions, earliest first; Enter opens one (its sheet and the check-in box)."""

    TITLE_KEY = "tui.screen.training"
    AREA = "training"
    COLUMNS = LIST_COLUMNS
    FILTER = svc.TrainingFilter
    SEARCH_HINT = "tui.training.search_hint"

    BINDINGS = [
        bind("a", "add", "tui.key.add"),
        bind("slash", "search", "tui.key.search", key_display="/"),
        bind("ctrl+r", "reload", "tui.key.reload"),
        bind("escape", "focus_list", "tui.key.to_list", show=False),
    ]

    def fetch(self, filters: Any, offset: int, limit: int) -> list[dict[str, Any]]:
        # Instants come in UTC; the clerk reads the office's time.
        return [{**row, "starts_at": self.local_time(row["starts_at"])}
                for row in svc.list_sessions(self.office, filters, offset=offset, limit=limit)]

    def count(self, filters: Any) -> int:
        return svc.count_sessions(self.office, filters)

    def filter_specs(self) -> list[FilterSpec]:
        return [
            FilterSpec("state", "field.state", codes=svc.STATES, kind="training_state"),
            FilterSpec("kind", "field.kind", codes=svc.KINDS, kind="training_kind"),
        ]

    def filters_from(self, values: dict[str, Any]) -> svc.TrainingFilter:
        return svc.TrainingFilter(state=values.get("state"), kind=values.get("kind"),
                                  search=values.get("search"))

    def detail_screen(self, row: dict[str, Any]) -> TrainingSessionScreen:
        return TrainingSessionScreen(self.office, row["id"])

    def action_add(self) -> None:
        office = self.office

        def save(values: dict[str, Any]) -> dict[str, Any]:
            return svc.add_session(office, **{k: v for k, v in values.items()
                                              if v not in (None, "")})

        self.app.push_screen(FormScreen(t("tui.training.add_title"), add_fields(), submit=save),
                             callback=self._added)

    def _added(self, session: dict[str, Any] | None) -> None:
        if session is None:
            return
        self.notify(t("training.added", id=session["id"], title=session["title"],
                      start=self.local_time(session["starts_at"]).strftime("%Y-%m-%d %H:%M")))
        self.table.reload(select=session["id"])


class TrainingSessionScreen(RecordScreen):
    """One session: its fields, the attendance sheet, the check-in box, and its journal
    (attendance changes included) as the timeline."""

    TITLE_KEY = "tui.screen.training"
    FIELDS = DETAIL_FIELDS
    ENTITY = "training_session"

    DEFAULT_CSS = """
    TrainingSessionScreen #training-sheet { height: auto; max-height: 20; margin: 0 1; }
    TrainingSessionScreen #training-checkin { margin: 0 1; }
    """

    BINDINGS = [
        bind("i", "focus_checkin", "tui.training.key.checkin"),
        # Works while typing in the box: the next people come in late.
        bind("ctrl+l", "toggle_late", "tui.training.key.late", priority=True),
        bind("s", "record_state", "tui.training.key.state"),
        bind("h", "hold", "tui.training.key.hold"),
        bind("c", "cancel_session", "tui.training.key.cancel"),
    ]

    def __init__(self, office: Office, record_id: Any, *, name: str | None = None) -> None:
        super().__init__(office, record_id, name=name)
        self.late = False  # what the check-in box records: present, or late

    def load_record(self, reveal: bool) -> dict[str, Any]:
        return svc.get_session(self.office, self.record_id)

    def record_title(self, record: dict[str, Any]) -> str:
        return str(record["title"])

    def compose_sections(self) -> ComposeResult:
        yield Input(placeholder=t("tui.training.checkin_hint"), id="training-checkin")
        yield Static("", id="training-sheet-title", classes="section")
        yield RowsTable(SHEET_COLUMNS, row_key="person_id", id="training-sheet")

    def show_sections(self, record: dict[str, Any]) -> None:
        counts = "  ".join(f"{value_label('attendance_state', s)} {n}"
                           for s, n in record["counts"].items())
        self.query_one("#training-sheet-title", Static).update(
            Text(t("tui.training.sheet", required=record["required_count"], counts=counts)))
        self.query_one("#training-sheet", RowsTable).show(record["attendance"])

    def action_focus_checkin(self) -> None:
        self.query_one("#training-checkin", Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.input.id != "training-checkin":
            return
        term = event.value.strip()
        if not term:
            return
        office, session_id = self.office, self.record_id
        state = "late" if self.late else "present"
        self.run_db(lambda: svc.checkin(office, session_id, people=[term], state=state),
                    self._checked_in, group="checkin")

    def action_toggle_late(self) -> None:
        self.late = not self.late
        self.query_one("#training-checkin", Input).placeholder = t(
            "tui.training.checkin_late_hint" if self.late else "tui.training.checkin_hint")

    def _checked_in(self, result: dict[str, Any]) -> None:
        box = self.query_one("#training-checkin", Input)
        box.value = ""
        box.focus()
        for person in result["recorded"]:
            self.notify(t("tui.training.checked_in", name=person["name"],
                          state=value_label("attendance_state", person["state"])))
        self.reload()

    def action_record_state(self) -> None:
        """Any state for one person of the sheet (absent, excused with its reason…), the
        person under the sheet's cursor chosen first."""
        record = self.record
        if record is None or not record["attendance"]:
            return
        sheet = self.query_one("#training-sheet", RowsTable)
        rows = record["attendance"]
        current = rows[min(sheet.cursor_row, len(rows) - 1)] if sheet.row_count else rows[0]
        fields = [
            FieldSpec("person", kind="choice", required=True,
                      choices=[Choice(r["person_id"], f"{r['name']}  {r['village']}")
                               for r in rows]),
            FieldSpec("state", label_key="field.attendance_state", kind="choice", required=True,
                      codes=svc.ATTENDANCE_STATES, value_kind="attendance_state"),
            FieldSpec("reason"),
        ]
        office, session_id = self.office, self.record_id

        def save(values: dict[str, Any]) -> dict[str, Any]:
            return svc.record_attendance(office, session_id, [values.get("person")],
                                         state=values.get("state") or "",
                                         reason=values.get("reason") or "")

        self.app.push_screen(
            FormScreen(t("tui.training.state_title", title=record["title"]), fields,
                       submit=save, initial={"person": current["person_id"],
                                             "state": current["state"] or "present",
                                             "reason": current["reason"]}),
            callback=self._recorded)

    def _recorded(self, result: dict[str, Any] | None) -> None:
        if result is None:
            return
        for person in result["recorded"]:
            self.notify(t("training.recorded", name=person["name"], title=result["title"],
                          state=value_label("attendance_state", person["state"])))
        self.reload()

    def action_hold(self) -> None:
        if self.record is None:
            return
        office, session_id = self.office, self.record_id
        version = self.record["version"]
        self.run_db(lambda: svc.hold_session(office, session_id, version=version),
                    lambda _r: self.reload())

    def action_cancel_session(self) -> None:
        record = self.record
        if record is None:
            return
        office, session_id, version = self.office, self.record_id, record["version"]

        def save(values: dict[str, Any]) -> dict[str, Any]:
            return svc.cancel_session(office, session_id, reason=values.get("reason") or "",
                                      version=version)

        def question(values: dict[str, Any]) -> str:
            return t("tui.training.confirm_cancel", title=record["title"])

        self.app.push_screen(
            FormScreen(value_label("training_action", "cancel"), [FieldSpec("reason")],
                       submit=save, confirm=question),
            callback=self._cancelled)

    def _cancelled(self, result: dict[str, Any] | None) -> None:
        if result is not None:
            self.reload()
