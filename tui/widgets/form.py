"""Forms that hand their values to a ledger function and show its validation errors in place.

A form is described, not drawn::

    FIELDS = [
        FieldSpec("name", required=True),
        FieldSpec("village", kind="choice", choices=[Choice(v["code"], v["name"]) ...]),
        FieldSpec("id_number"),
        FieldSpec("birth_date", kind="date"),
        FieldSpec("education", kind="choice", codes=EDUCATION_LEVELS, value_kind="education"),
        FieldSpec("college_graduate_official", kind="bool"),
    ]

    def save(values: dict) -> dict:          # runs in a worker thread
        return members.add_member(office, **values)

    self.app.push_screen(FormScreen(t("tui.members.add_title"), FIELDS, submit=save),
                         callback=self.saved)   # receives the result dict, or None

Required fields left blank are marked ("is required") without calling ledger. Values reach
ledger as the clerk typed them (text stripped; a blank date is ``None``; a
choice is its code or ``""``; a bool is a bool): ledger validates. A
``ValidationError(field, …)`` shows ``err.detail()`` under that field and focuses it; any
other ``LedgerError`` shows as a notification and the form stays open with what was typed.
``confirm`` asks a :class:`~tui.widgets.confirm.ConfirmDialog` question before saving.
An edit form passes ``version`` (the record's, as loaded) and ``reload`` (reads the record
again, in the form's shape): ``submit`` then gets ``version`` among the values, and a
``StaleVersion`` refusal shows a :class:`~tui.widgets.conflict.ConflictDialog` (theirs and
yours per field); reloading takes the stored values and version into the fields the clerk
did not change, keeping what they typed (``ledger.versions``).
Keys: Ctrl+S saves, Escape cancels, Tab/Shift+Tab move between fields.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widget import Widget
from textual.widgets import Button, Checkbox, Footer, Input, Label, Select, Static, TextArea

from ledger.errors import LedgerError, StaleVersion, ValidationError
from ledger.i18n import field_label, t, value_label
from tui.bindings import Translated, bind
from tui.dbwork import run_db, show_error
from tui.widgets.columns import format_value
from tui.widgets.confirm import ConfirmDialog
from tui.widgets.conflict import ConflictDialog
from tui.widgets.filter_bar import Choice
from tui.widgets.tickbox import TickBox

Kind = Literal["text", "date", "choice", "bool", "multiline"]


@dataclass(frozen=True)
class FieldSpec:
    """One field of a form.

    ``name`` is the keyword the ledger function takes (and the ``field`` its
    ``ValidationError`` names); the label is ``field_label(name)`` unless ``label_key`` is
    given. ``choice`` fields list ``choices``, or ``codes`` shown via
    ``value_label(value_kind, code)``.
    """

    name: str
    label_key: str | None = None
    kind: Kind = "text"
    required: bool = False
    codes: Sequence[str] = field(default_factory=tuple)
    value_kind: str | None = None
    choices: Sequence[Choice] = field(default_factory=tuple)
    placeholder_key: str | None = None
    max_length: int = 0

    @property
    def label(self) -> str:
        text = t(self.label_key) if self.label_key else field_label(self.name)
        return f"{text} *" if self.required else text

    def options(self) -> list[tuple[Text, Any]]:
        # Labels name records clerks typed (a village, an agent): literal, never markup.
        if self.choices:
            return [(Text(c.label), c.value) for c in self.choices]
        return [(Text(value_label(self.value_kind or self.name, c)), c) for c in self.codes]


class Form(VerticalScroll):
    """The fields of a :class:`FieldSpec` list, each with its label and error line."""

    DEFAULT_CSS = """
    Form { height: auto; max-height: 60vh; }
    Form .form-row { height: auto; margin: 0 0 0 0; }
    Form .form-label { width: 20; color: $text-muted; padding: 0 1 0 0; }
    Form .form-row > Input, Form .form-row > Select { width: 1fr; }
    Form .form-row > Input { background: $boost; }
    Form .form-row > Checkbox { border: none; padding: 0; height: 1; width: 1fr;
                                background: transparent; }
    Form .form-row > TextArea { width: 1fr; height: 3; border: none; padding: 0;
                                background: $boost; }
    Form .form-error { color: $error; display: none; padding: 0 0 0 20; }
    Form .form-error.shown { display: block; }
    Form .invalid { background: $error 25%; }
    """

    def __init__(self, fields: Sequence[FieldSpec], initial: Mapping[str, Any] | None = None,
                 *, id: str | None = None, classes: str | None = None) -> None:  # noqa: A002
        super().__init__(id=id, classes=classes)
        self.fields = list(fields)
        self.initial = dict(initial or {})

    def compose(self) -> ComposeResult:
        # One line per field: the label, then the input; the error line appears below it.
        for spec in self.fields:
            with Horizontal(classes="form-row"):
                yield Label(Text(spec.label), classes="form-label", id=f"label-{spec.name}")
                yield self._input(spec, self.initial.get(spec.name))
            yield Static("", classes="form-error", id=f"error-{spec.name}")

    def _input(self, spec: FieldSpec, value: Any) -> Widget:
        wid = f"field-{spec.name}"
        if spec.kind == "choice":
            options = spec.options()
            current = value if value not in (None, "") and any(
                v == value for _, v in options) else Select.NULL
            return Select(options, value=current, allow_blank=True, id=wid,
                          prompt=t("tui.form.choose"), compact=True)
        if spec.kind == "bool":
            return TickBox("", value=bool(value), id=wid)
        if spec.kind == "multiline":
            return TextArea("" if value is None else str(value), id=wid)
        placeholder = t(spec.placeholder_key) if spec.placeholder_key else (
            t("tui.form.date_hint") if spec.kind == "date" else "")
        text = "" if value is None else (value if isinstance(value, str) else format_value(value))
        return Input(text, placeholder=placeholder, id=wid, compact=True,
                     max_length=spec.max_length or 0)

    def on_mount(self) -> None:
        # The form's own children exist now (the screen's Mount may come first).
        if self.fields:
            self.widget_for(self.fields[0].name).focus()

    def widget_for(self, name: str) -> Widget:
        return self.query_one(f"#field-{name}")

    def values(self) -> dict[str, Any]:
        """What the clerk entered, keyed by field name, in the shapes ledger expects."""
        out: dict[str, Any] = {}
        for spec in self.fields:
            widget = self.widget_for(spec.name)
            if isinstance(widget, Select):
                out[spec.name] = "" if widget.value is Select.NULL else widget.value
            elif isinstance(widget, Checkbox):
                out[spec.name] = widget.value
            elif isinstance(widget, TextArea):
                out[spec.name] = widget.text.strip()
            elif isinstance(widget, Input):
                text = widget.value.strip()
                out[spec.name] = (text or None) if spec.kind == "date" else text
        return out

    def set_value(self, name: str, value: Any) -> None:
        """Put ``value`` into field ``name`` as the form would show it initially."""
        widget = self.widget_for(name)
        spec = next(f for f in self.fields if f.name == name)
        if isinstance(widget, Select):
            options = spec.options()
            widget.value = value if value not in (None, "") and any(
                v == value for _, v in options) else Select.NULL
        elif isinstance(widget, Checkbox):
            widget.value = bool(value)
        elif isinstance(widget, TextArea):
            widget.text = "" if value is None else str(value)
        elif isinstance(widget, Input):
            widget.value = "" if value is None else (
                value if isinstance(value, str) else format_value(value))

    @staticmethod
    def as_text(value: Any) -> str:
        """A value as a field shows it, to compare what was loaded with what is there."""
        if isinstance(value, bool):
            return str(value)
        return "" if value is None else value if isinstance(value, str) else format_value(value)

    def changed_values(self) -> dict[str, Any]:
        """Only the fields whose value differs from ``initial`` (for edit functions)."""
        changed: dict[str, Any] = {}
        for name, value in self.values().items():
            before = self.initial.get(name)
            if isinstance(before, bool) or isinstance(value, bool):
                same = bool(before) == bool(value)
            else:
                same = ("" if before is None else format_value(before)) == (value or "")
            if not same:
                changed[name] = value
        return changed

    def missing_required(self) -> list[str]:
        """Required fields left blank, in form order."""
        values = self.values()
        return [spec.name for spec in self.fields
                if spec.required and values.get(spec.name) in (None, "")]

    def clear_errors(self) -> None:
        for spec in self.fields:
            error = self.query_one(f"#error-{spec.name}", Static)
            error.update("")
            error.remove_class("shown")
            self.widget_for(spec.name).remove_class("invalid")

    def show_error(self, name: str, message: str) -> bool:
        """Show ``message`` under field ``name`` and focus it; False if no such field."""
        if not any(spec.name == name for spec in self.fields):
            return False
        error = self.query_one(f"#error-{name}", Static)
        error.update(Text(message))  # it may quote what the clerk typed
        error.add_class("shown")
        widget = self.widget_for(name)
        widget.add_class("invalid")
        widget.focus()
        self.scroll_to_widget(error)
        return True

    def error_text(self, name: str) -> str:
        """The error shown under ``name`` ("" when none)."""
        return str(self.query_one(f"#error-{name}", Static).render())


class FormScreen(Translated, ModalScreen[dict[str, Any] | None]):
    """A modal form; dismisses with ``submit``'s result, or ``None`` when cancelled."""

    DEFAULT_CSS = """
    FormScreen { align: center middle; }
    FormScreen > #form-box {
        width: 72; max-width: 95%; height: auto; max-height: 92%;
        border: thick $primary; background: $surface; padding: 0 1;
    }
    FormScreen #form-title { text-style: bold; padding: 1 0 0 0; }
    FormScreen #form-buttons { height: auto; align: right middle; margin: 1 0 0 0; }
    FormScreen #form-buttons Button { margin: 0 0 0 1; }
    """

    BINDINGS = [
        bind("ctrl+s", "save", "tui.key.save", priority=True),
        bind("escape", "cancel", "tui.key.cancel"),
    ]

    def __init__(self, title: str, fields: Sequence[FieldSpec], *,
                 submit: Callable[[dict[str, Any]], dict[str, Any]],
                 initial: Mapping[str, Any] | None = None, only_changed: bool = False,
                 confirm: Callable[[dict[str, Any]], str | None] | None = None,
                 version: int | None = None,
                 reload: Callable[[], Mapping[str, Any]] | None = None) -> None:
        super().__init__()
        self.version = version
        self._reload = reload
        self.form_title = title
        self.form = Form(fields, initial, id="form")
        self._submit = submit
        self._only_changed = only_changed
        self._confirm = confirm
        self._saving = False

    def compose(self) -> ComposeResult:
        with Vertical(id="form-box"):
            yield Static(Text(self.form_title), id="form-title")
            yield self.form
            with Horizontal(id="form-buttons"):
                yield Button(t("tui.button.save"), variant="primary", id="form-save")
                yield Button(t("tui.button.cancel"), id="form-cancel")
        yield Footer()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "form-save":
            self.action_save()
        else:
            self.action_cancel()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        # Enter in a text field moves on, like a paper form; Ctrl+S saves.
        event.stop()
        self.focus_next()

    def action_cancel(self) -> None:
        self.dismiss(None)

    def action_save(self) -> None:
        if self._saving:
            return
        values = self.form.changed_values() if self._only_changed else self.form.values()
        if self._only_changed and not values:
            self.dismiss(None)
            return
        if self.form.missing_required():
            self._save(values)  # shows what is missing, asks nothing
            return
        question = self._confirm(values) if self._confirm else None
        if question:
            self.app.push_screen(ConfirmDialog(question),
                                 callback=lambda yes: self._save(values) if yes else None)
        else:
            self._save(values)

    def _save(self, values: dict[str, Any]) -> None:
        self.form.clear_errors()
        # A blank required field is caught here, before any call: ledger would refuse it
        # too, but its message for a blank choice lists codes rather than saying "required".
        missing = self.form.missing_required()
        if missing:
            for name in reversed(missing):  # the first one ends up focused
                self.form.show_error(name, t("error.required"))
            return
        self._saving = True
        if self.version is not None:
            values = {**values, "version": self.version}
        run_db(self, lambda: self._submit(values), self._saved, on_error=self._failed,
               group="form")

    def _saved(self, result: dict[str, Any]) -> None:
        self._saving = False
        self.dismiss(result)

    def _failed(self, err: LedgerError) -> None:
        self._saving = False
        if isinstance(err, ValidationError) and self.form.show_error(err.field, err.detail()):
            return
        if isinstance(err, StaleVersion) and self._reload is not None:
            run_db(self, self._reload, lambda record: self._conflict(err, record),
                   group="form")
            return
        show_error(self, err)

    def _conflict(self, err: StaleVersion, record: Mapping[str, Any]) -> None:
        """Show, per field of the form, what the other clerk changed (theirs, as stored now)
        beside what this clerk has (typed, or as loaded); reload on request."""
        seen, typed = self.form.initial, self.form.changed_values()

        def same(a: Any, b: Any) -> bool:
            return Form.as_text(a) == Form.as_text(b)

        changes = [{"field": spec.name, "theirs": record.get(spec.name),
                    "yours": typed.get(spec.name, seen.get(spec.name))}
                   for spec in self.form.fields
                   if not same(record.get(spec.name), seen.get(spec.name))
                   or (spec.name in typed and not same(record.get(spec.name), typed[spec.name]))]
        self.app.push_screen(ConflictDialog(err, changes or err.changes),
                             callback=lambda again: self._reloaded(record) if again else None)

    def _reloaded(self, record: Mapping[str, Any]) -> None:
        typed = self.form.changed_values()
        self.form.initial = dict(record)
        self.version = record.get("version")
        for spec in self.form.fields:
            if spec.name not in typed:
                self.form.set_value(spec.name, record.get(spec.name))
        self.notify(t("tui.conflict.reloaded", version=self.version))
