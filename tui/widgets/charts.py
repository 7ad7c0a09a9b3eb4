"""Charts drawn in the terminal from a ``ledger.reports.Chart``.

- :class:`MonthChart` (a figure per month) is a textual-plotext plot: its labels are month
  numbers we write ("01"…"12"), never a clerk's text.
- :class:`BarChart` (categories: education groups, villages, posts) and :class:`TrendChart`
  (each village's months as a sparkline) are drawn here with Rich ``Text``: their labels
  are names clerks typed, often Chinese. plotext measures a label by its number of
  characters, so a CJK label (two cells each) shifts the rest of its line and breaks the
  plot's frame, and it would read a label's ANSI escapes as colours; ``Text`` measures
  cells and shows every character literally.

:func:`chart_widget` picks the widget for a chart.
"""

from __future__ import annotations

from typing import Any

from rich.cells import cell_len
from rich.text import Text
from textual.app import RenderResult
from textual.widget import Widget
from textual_plotext import PlotextPlot

from ledger import display
from ledger.i18n import t
from ledger.reports import BARS, MONTHS, TRENDS, Chart

_BLOCKS = " ▁▂▃▄▅▆▇█"
_LABEL_MAX = 24  # cells: a longer name is cut with an ellipsis


def _printable(label: str) -> str:
    # Control characters (an escape, a newline, a bidi override) shown as code points:
    # a label is one line of literal text.
    return "".join(ch if ch.isprintable() else f"\\u{ord(ch):04x}" for ch in label)


def _fit(label: str, width: int) -> str:
    """``label`` cut to ``width`` cells (an ellipsis marks the cut), padded to it."""
    text = _printable(label)
    if cell_len(text) > width:
        out = ""
        for ch in text:
            if cell_len(out + ch) > width - 1:
                break
            out += ch
        text = out + "…"
    return text + " " * (width - cell_len(text))


def value_text(value: float | None, percent: bool) -> str:
    if value is None:
        return "—"
    return display.percent(value) if percent else display.number(value)


class BarChart(Widget):
    """One horizontal bar per category, with its value; the widest bar is the largest value
    (a share: 100%)."""

    DEFAULT_CSS = """
    BarChart { height: auto; padding: 0 1; }
    """

    def __init__(self, chart: Chart, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.chart = chart

    def render(self) -> RenderResult:
        chart = self.chart
        if not chart.labels:
            return Text(t("tui.reports.empty"), style="dim")
        label_width = min(_LABEL_MAX, max(cell_len(_printable(x)) for x in chart.labels))
        values = [value_text(v, chart.percent) for v in chart.values]
        value_width = max(len(v) for v in values)
        room = max(4, self.size.width - label_width - value_width - 4)
        top = 1.0 if chart.percent else max((v or 0.0) for v in chart.values) or 1.0
        text = Text()
        for i, (label, value) in enumerate(zip(chart.labels, chart.values, strict=True)):
            if i:
                text.append("\n")
            text.append(_fit(label, label_width) + " ")
            length = round(room * max(0.0, min(1.0, (value or 0.0) / top)))
            text.append("█" * length, style="bold cyan")
            text.append(" " + values[i].rjust(value_width))
        return text


class TrendChart(Widget):
    """One line per label (a village): its months as a sparkline on one scale for all, so
    a village with more petitions stands taller, then its total."""

    DEFAULT_CSS = """
    TrendChart { height: auto; padding: 0 1; }
    """

    def __init__(self, chart: Chart, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.chart = chart

    def render(self) -> RenderResult:
        chart = self.chart
        if not chart.series:
            return Text(t("tui.reports.empty"), style="dim")
        label_width = min(_LABEL_MAX, max(cell_len(_printable(s[0])) for s in chart.series))
        top = max((max(values, default=0.0) for _, values in chart.series), default=0.0)
        # Each month two cells wide under its number ("01"), a space between months.
        text = Text(" " * (label_width + 1) + " ".join(chart.labels), style="dim")
        for label, values in chart.series:
            text.append("\n")
            text.append(_fit(label, label_width) + " ")
            for i, value in enumerate(values):
                level = 0 if not top else round(value / top * (len(_BLOCKS) - 1))
                # A month with petitions shows at least the lowest block.
                level = max(level, 1) if value else level
                text.append(("" if i == 0 else " ") + _BLOCKS[level] * 2, style="bold cyan")
            text.append(f"  {display.number(sum(values))}")
        return text


class MonthChart(PlotextPlot):
    """A figure per month as vertical bars (a share in percent, 0–100)."""

    DEFAULT_CSS = """
    MonthChart { height: 14; width: 1fr; }
    """

    def __init__(self, chart: Chart, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.chart = chart

    def on_mount(self) -> None:
        chart = self.chart
        scale = 100.0 if chart.percent else 1.0
        values = [0.0 if v is None else v * scale for v in chart.values]
        plt = self.plt
        plt.clear_data()
        plt.bar(list(chart.labels), values, width=0.6)
        top = max(values, default=0.0)
        plt.ylim(0, 100 if chart.percent else max(1.0, top * 1.1))
        if chart.percent:
            plt.ylabel("%")


def chart_widget(chart: Chart, **kwargs: Any) -> Widget:
    """The widget that draws ``chart``."""
    if chart.kind == MONTHS:
        return MonthChart(chart, **kwargs)
    if chart.kind == TRENDS:
        return TrendChart(chart, **kwargs)
    if chart.kind == BARS:
        return BarChart(chart, **kwargs)
    raise ValueError(f"unknown chart kind {chart.kind!r}")
