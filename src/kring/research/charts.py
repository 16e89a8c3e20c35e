"""How the figures page shows a figure (issue 13, point 2): the number as people read it, with
its base ("from 12 answers"), and a suppressed figure as a dash with its reason in words; and the
two charts, horizontal bars drawn on the server as SVG (templates research/_chart_bars.html), no
script. Each chart says its numbers in words (its title and description) and the page puts a
table with the same numbers under it, so no one needs to see the bars, or their colour.

Everything here reads a `research.figures.Figures` and computes nothing from the data."""

from __future__ import annotations

import textwrap
from collections.abc import Iterable
from dataclasses import dataclass

from django.utils.formats import number_format
from django.utils.translation import gettext as _

from kring.research.figures import Figure, Figures

DASH = "–"

# What a figure's base counts, by section.
CONFERENCES, ANSWERS, INVITATIONS, REQUESTS = "conferences", "answers", "invitations", "requests"


def _base_text(noun: str, base: int) -> str:
    # A figure is shown from MIN_GROUP (5) on, so its base is always a plural.
    if noun == CONFERENCES:
        text = _("from %(count)s conferences")
    elif noun == ANSWERS:
        text = _("from %(count)s answers")
    elif noun == INVITATIONS:
        text = _("of %(count)s questionnaires sent")
    else:
        text = _("of %(count)s requests")
    return text % {"count": number_format(base, force_grouping=True)}


def value_text(figure: Figure) -> str:
    """The value as people read it: "93.0%", "8.4", "40" (in the active language's numbers),
    or a dash."""
    if figure.value is None:
        return DASH
    if figure.unit == "pct":
        return f"{number_format(figure.value, 1)}%"
    if figure.unit == "mean":
        return number_format(figure.value, 1)
    return number_format(figure.value, force_grouping=True)


@dataclass(frozen=True)
class Shown:
    """One figure on the page: its label, the value as text, its base in words (empty for a
    count), and the reason it is not shown (empty when it is)."""

    key: str
    label: str
    text: str
    base: str
    reason: str
    value: int | float | None

    @property
    def missing(self) -> bool:
        return self.value is None


def show(figure: Figure, noun: str) -> Shown:
    reason = str(figure.reason)
    if figure.value is None and not reason:
        reason = _("nothing to count yet")
    base = "" if figure.unit == "count" else _base_text(noun, figure.base)
    return Shown(
        key=figure.key,
        label=str(figure.label),
        text=value_text(figure),
        base=base,
        reason=reason,
        value=figure.value,
    )


def show_all(figures: Iterable[Figure], noun: str) -> list[Shown]:
    return [show(figure, noun) for figure in figures]


# --- the charts ------------------------------------------------------------------------------------

# Drawn narrow with a large font, so that on a phone (about 360 pixels wide) the words stay as
# large as the page's small print; a long label takes two lines.
WIDTH = 400
BAR_MAX = 300  # the longest bar; its value is written after it
LINE = 20  # one line of a label (font 16)
BAR = 22  # the height of a bar
GAP = 14  # between one bar and the next label
LABEL_CHARS = 40  # a label longer than this is wrapped


@dataclass(frozen=True)
class Bar:
    label_lines: tuple[tuple[int, str], ...]  # (y, text) per line of the label
    text: str
    reason: str
    suppressed: bool
    width: float
    bar_y: int
    text_x: float
    text_y: int


@dataclass(frozen=True)
class Chart:
    """A horizontal bar chart: `dom_id` names its title and description for aria-labelledby;
    `description` is every bar's number in words."""

    dom_id: str
    title: str
    description: str
    bars: tuple[Bar, ...]
    width: int
    height: int
    bar_max: int = BAR_MAX
    bar_height: int = BAR


def bar_chart(dom_id: str, title: str, shown: list[Shown], *, scale: float | None = None) -> Chart:
    """Bars for `shown` figures, `scale` the value of the longest bar (default: the largest
    value, so counts fill the width; 100 for percentages). A figure without a value is an
    empty, dashed bar with a dash and the reason written in it."""
    values = [s.value for s in shown if s.value is not None]
    top = scale if scale is not None else max(values, default=0)
    bars = []
    y = 0
    for item in shown:
        lines = textwrap.wrap(item.label, LABEL_CHARS) or [""]
        label_lines = tuple((y + LINE * (n + 1) - 5, line) for n, line in enumerate(lines))
        bar_y = y + LINE * len(lines)
        width = 0.0 if item.value is None or not top else BAR_MAX * item.value / top
        width = round(max(width, 0.0), 1)
        bars.append(
            Bar(
                label_lines=label_lines,
                text=item.text,
                reason=item.reason if item.missing else "",
                suppressed=item.missing,
                width=width,
                bar_y=bar_y,
                text_x=(8 if item.missing else width + 6),
                text_y=bar_y + 16,
            )
        )
        y = bar_y + BAR + GAP
    words = "; ".join(
        f"{s.label}: {s.text}" + (f" ({s.reason})" if s.missing else f" {s.base}".rstrip())
        for s in shown
    )
    return Chart(
        dom_id=dom_id,
        title=title,
        description=words,
        bars=tuple(bars),
        width=WIDTH,
        height=max(y - GAP, BAR),
    )


def funnel_chart(figures: Figures) -> Chart:
    return bar_chart(
        "chart-funnel",
        _("From request to agreements kept"),
        show_all(figures.funnel, REQUESTS),
    )


def shares(figures: Figures) -> list[Figure]:
    """The five shares of the first questionnaire, in the order the page shows them."""
    return [
        figures.responsible_satisfied_pct,
        figures.harmed_satisfied_pct,
        figures.harmed_restored_pct,
        figures.harmed_said_well_pct,
        figures.harmed_good_agreements_pct,
    ]


def shares_chart(figures: Figures) -> Chart:
    return bar_chart(
        "chart-shares",
        _("How participants look back (answer 4 or 5 of 5)"),
        show_all(shares(figures), ANSWERS),
        scale=100,
    )
