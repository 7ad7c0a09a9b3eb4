"""The dashboard: the office's counts, the members' education, the villages, quick keys."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Static

from ledger import dashboard, display, members
from ledger.i18n import t, value_label
from tui.bindings import bind
from tui.screens import available
from tui.screens.base import LedgerScreen

if TYPE_CHECKING:
    from ledger.office import Office


class DashboardScreen(LedgerScreen):
    """Counts from ``ledger.dashboard.overview``; loaded in a worker, refreshed on return."""

    TITLE_KEY = "tui.screen.dashboard"

    DEFAULT_CSS = """
    DashboardScreen #dash-top { height: auto; }
    DashboardScreen .dash-panel {
        border: round $primary; padding: 0 1; height: auto; width: 1fr; margin: 0 1 0 0;
    }
    DashboardScreen #dash-as-of { padding: 0 1; color: $text-muted; }
    """

    BINDINGS = [
        bind("ctrl+r", "reload", "tui.key.reload", show=False),
    ]

    def __init__(self, office: Office, *, name: str | None = None) -> None:
        super().__init__(office, name=name)
        self.overview: dict[str, Any] | None = None
        # Quick keys: a letter for each other screen (the dashboard has no text box).
        for entry, _cls in available():
            if entry.key != "dashboard":
                self.add_binding(entry.quick_key, f"app.show({entry.key!r})",
                                 t(entry.title_key), show=False)

    def compose_body(self) -> ComposeResult:
        with VerticalScroll():
            yield Static("", id="dash-as-of")
            with Horizontal(id="dash-top"):
                yield Static(Text(t("tui.loading")), id="dash-counts", classes="dash-panel")
                yield Static("", id="dash-education", classes="dash-panel")
            yield Static("", id="dash-duty", classes="dash-panel")
            yield Static("", id="dash-villages", classes="dash-panel")
            yield Static(self._keys(), id="dash-keys", classes="dash-panel")

    def on_mount(self) -> None:
        self.action_reload()

    def on_screen_resume(self) -> None:
        # Back from another screen: what it changed shows here at once.
        if self.overview is not None:
            self.action_reload()

    def action_reload(self) -> None:
        self.run_db(lambda: dashboard.overview(self.office), self._show, group="dashboard",
                    exclusive=True)

    def _keys(self) -> Text:
        text = Text(t("tui.dashboard.keys") + "\n", style="bold")
        for entry, _cls in available():
            if entry.key == "dashboard":
                continue
            text.append(f"{entry.quick_key} {entry.binding.upper():>3}  ", style="bold")
            text.append(t(entry.title_key) + "\n")
        text.append(f"{'^P':>6}  ", style="bold")
        text.append(t("tui.key.palette"))
        return text

    def _show(self, overview: dict[str, Any]) -> None:
        self.overview = overview
        # Every cell a Text: a rich Table reads a str as markup, and names are clerks' text.
        self.query_one("#dash-as-of", Static).update(Text(t(
            "tui.dashboard.as_of", office=self.office.settings["office.name"],
            date=display.date_text(overview["as_of"]))))

        counts = Table.grid(padding=(0, 2))
        counts.add_column(justify="right", style="bold")
        counts.add_column()
        for figure in dashboard.FIGURES:
            if figure in overview["counts"]:
                value = overview["counts"][figure]
                style = "bold red" if figure.startswith("overdue") and value else ""
                counts.add_row(Text(str(value), style=style), Text(t(f"tui.figure.{figure}")))
        self.query_one("#dash-counts", Static).update(
            _titled(t("tui.dashboard.counts"), counts))

        education = Table.grid(padding=(0, 2))
        education.add_column(justify="right", style="bold")
        education.add_column()
        for group, number in members.shown_education(overview["education"]):
            education.add_row(Text(str(number)), Text(value_label("education_group", group)))
        education.add_row(Text(""), Text(t("tui.dashboard.officials",
                                     count=overview["college_graduate_officials"]),
                                   style="dim"))
        self.query_one("#dash-education", Static).update(
            _titled(t("tui.dashboard.education"), education))

        duty = Table.grid(padding=(0, 2))
        duty.add_column()
        duty.add_column(style="dim")
        duty.add_column()
        for shift in overview.get("duty_today", []):
            span = "–".join(self.local_time(shift[k]).strftime("%H:%M")
                            for k in ("starts_at", "ends_at"))
            who = (Text(t("roster.vacant"), style="bold red") if shift["gap"]
                   else Text(shift["person"]))
            if shift.get("kind") == "staff":  # the office's own staff, beside the members
                who.append(f" {t('roster.staff_label')}", style="dim")
            duty.add_row(Text(shift["post"]), Text(f"{shift['shift']} {span}"), who)
        if not overview.get("duty_today"):
            duty.add_row(Text(t("roster.nobody_today"), style="dim"))
        self.query_one("#dash-duty", Static).update(_titled(t("tui.dashboard.duty"), duty))

        villages = Table.grid(padding=(0, 2))
        villages.add_column(style="dim")
        villages.add_column()
        villages.add_column(justify="right")
        villages.add_column(style="dim")
        for village in overview["villages"]:
            villages.add_row(Text(village["code"]), Text(village["name"]),
                             Text(str(village["members"])),
                             Text(value_label("relocation_status",
                                              village["relocation_status"])))
        self.query_one("#dash-villages", Static).update(
            _titled(t("tui.dashboard.villages"), villages))


def _titled(title: str, body: Table) -> Table:
    outer = Table.grid()
    outer.add_row(Text(title, style="bold"))
    outer.add_row(body)
    return outer
