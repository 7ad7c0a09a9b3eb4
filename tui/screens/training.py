"""Training (培训): the sessions in start order with filters and search; a session's detail
with its attendance sheet and a fast check-in box; planning a session, and the steps of its
procedure (mark held, cancel, reinstate) as keys: those ledger allows now are listed, one it
refuses says ledger's reason, and each step carries the version the clerk saw (a step taken
meanwhile by someone else shows the conflict).

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

from ledger import dashboard
from ledger import training as svc
from ledger.i18n import t, value_label
from tui.bindings import bind
from tui.screens.base import ListScreen, ProcedureScreen
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


# action -> (key, the step form's fields); keys avoid r (reveal) and the F-keys of the app.
STEPS: dict[str, tuple[str, list[FieldSpec]]] = {
    "hold": ("h", []),
    "cancel": ("c", [FieldSpec("cancel_reason")]),
    "reinstate": ("u", []),
}


def step_call(office: Office, session_id: Any, action: str,
              values: dict[str, Any]) -> dict[str, Any]:
    """The step form's values (``version`` among them: the one the clerk saw) as the ledger
    call for ``action``."""
    version = values.get("version")
    if action == "hold":
        return svc.hold_session(office, session_id, version=version)
    if action == "cancel":
        return svc.cancel_session(office, session_id, version=version,
                                  reason=values.get("cancel_reason") or "")
    return svc.reinstate_session(office, session_id, version=version)


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
            FilterSpec("period", "tui.training.period", choices=[
                Choice("today", t("tui.figure.today")),
                Choice("week", t("tui.figure.this_week"))]),
        ]

    def filters_from(self, values: dict[str, Any]) -> svc.TrainingFilter:
        # Today and this week are the office's, as the dashboard counts them.
        today = self.office.today()
        first, last = {"today": (today, today), "week": dashboard.week_of(today)}.get(
            values.get("period") or "", (None, None))
        return svc.TrainingFilter(state=values.get("state"), kind=values.get("kind"),
                                  date_from=first, date_to=last, search=values.get("search"))

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


class TrainingSessionScreen(ProcedureScreen):
    """One session: its fields, the steps it allows, the attendance sheet, the check-in box,
    and its journal (attendance changes included) as the timeline."""

    TITLE_KEY = "tui.screen.training"
    FIELDS = DETAIL_FIELDS
    ENTITY = "training_session"
    STEPS = STEPS
    ACTION_KIND = "training_action"

    DEFAULT_CSS = """
    TrainingSessionScreen #training-sheet { height: auto; max-height: 20; margin: 0 1; }
    TrainingSessionScreen #training-checkin { margin: 0 1; }
    """

    BINDINGS = [
        bind("i", "focus_checkin", "tui.training.key.checkin"),
        # Works while typing in the box: the next people come in late.
        bind("ctrl+l", "toggle_late", "tui.training.key.late", priority=True),
        bind("s", "record_state", "tui.training.key.state"),
        *(bind(key, f"step('{action}')", f"tui.training.key.{action}")
          for action, (key, _) in STEPS.items()),
    ]

    def __init__(self, office: Office, record_id: Any, *, name: str | None = None) -> None:
        super().__init__(office, record_id, name=name)
        self.late = False  # what the check-in box records: present, or late

    def load_record(self, reveal: bool) -> dict[str, Any]:
        return svc.get_session(self.office, self.record_id)

    def record_title(self, record: dict[str, Any]) -> str:
        return str(record["title"])

    def compose_sections(self) -> ComposeResult:
        yield Static("", id="training-actions", classes="section")
        yield Input(placeholder=t("tui.training.checkin_hint"), id="training-checkin")
        yield Static("", id="training-sheet-title", classes="section")
        yield RowsTable(SHEET_COLUMNS, row_key="person_id", id="training-sheet")

    def show_sections(self, record: dict[str, Any]) -> None:
        actions = record["allowed_actions"]
        # Literal text: the key letters' [h] are brackets, not markup.
        self.query_one("#training-actions", Static).update(Text(
            t("tui.training.actions", actions=self.step_keys(actions, "  ")) if actions
            else ""))
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

    def refusal(self, action: str, record: dict[str, Any]) -> str:
        return svc.refusal(record, action).message()

    def step_form(self, action: str, record: dict[str, Any]) -> FormScreen:
        office, session_id, title = self.office, record["id"], record["title"]
        confirm = None
        if action == "cancel":
            def confirm(values: dict[str, Any]) -> str:
                return t("tui.training.confirm_cancel", title=title)
        return self.step_screen(f"{value_label('training_action', action)} {title}",
                                STEPS[action][1], confirm=confirm,
                                submit=lambda values: step_call(office, session_id, action,
                                                                values))

    def done_message(self, action: str, result: dict[str, Any]) -> str:
        return t("training.changed", id=result["id"], title=result["title"],
                 state=value_label("training_state", result["state"]))
