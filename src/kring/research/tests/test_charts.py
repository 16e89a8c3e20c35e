"""The charts and numbers of the figures page (issue 13, point 2), from `Figures` built by hand:
a bar's length follows its value, a suppressed figure is an empty dashed bar with a dash and the
reason in words, the SVG is an image with a title and a description that give every number, and
in Dutch the numbers read with a decimal comma while the drawing's coordinates stay numbers."""

from datetime import date

import pytest
from django.template.loader import render_to_string
from django.utils import translation

from kring.research import charts
from kring.research.figures import Figure, Figures, Selection
from kring.research.views import sections

FEWER = "fewer than 5 answers"


def pct(key: str, value, base: int = 20) -> Figure:
    reason = FEWER if value is None else ""
    return Figure(
        key, key.replace("_", " "), value, base if value is not None else 0, "pct", reason
    )


def count(key: str, value) -> Figure:
    return Figure(key, key.replace("_", " "), value, value or 0, "count")


def figures(**changes) -> Figures:
    values = {
        "selection": Selection(date(2026, 1, 1), date(2026, 12, 31)),
        "conferences": count("conferences", 40),
        "participants_mean": Figure("participants_mean", "mean", 8.4, 40, "mean"),
        "participants_median": Figure("participants_median", "median", 8.0, 40, "mean"),
        "responsible_satisfied_pct": pct("responsible_satisfied_pct", 93.0),
        "harmed_satisfied_pct": pct("harmed_satisfied_pct", 90.0),
        "harmed_restored_pct": pct("harmed_restored_pct", 12.5),
        "harmed_said_well_pct": pct("harmed_said_well_pct", None),
        "harmed_good_agreements_pct": pct("harmed_good_agreements_pct", 0.0),
        "funnel": (
            count("requests", 80),
            count("taken_on", 60),
            count("conferences_held", 40),
            count("plans_signed", 36),
            Figure("plans_kept", "plans kept", None, 0, "count", "fewer than 5 cases"),
        ),
    }
    values.update(changes)
    return Figures(**values)


def test_the_share_bars_are_as_long_as_their_share_of_100():
    chart = charts.shares_chart(figures())
    widths = [bar.width for bar in chart.bars]
    assert widths == [
        round(charts.BAR_MAX * 0.93, 1),
        round(charts.BAR_MAX * 0.90, 1),
        round(charts.BAR_MAX * 0.125, 1),
        0.0,
        0.0,
    ]
    # Suppressed is not the same as 0%: the one is an empty bar with the reason.
    assert [bar.suppressed for bar in chart.bars] == [False, False, False, True, False]
    assert chart.bars[3].text == "–" and chart.bars[3].reason == FEWER
    assert chart.bars[4].text == "0.0%" and chart.bars[4].reason == ""


def test_the_funnel_bars_are_scaled_to_the_requests():
    chart = charts.funnel_chart(figures())
    assert chart.bars[0].width == charts.BAR_MAX
    assert chart.bars[1].width == charts.BAR_MAX * 60 / 80
    assert chart.bars[4].suppressed


def test_a_funnel_of_nothing_draws_no_bar_and_no_error():
    zero = tuple(count(key, 0) for key in ("requests", "taken_on", "conferences_held"))
    chart = charts.funnel_chart(figures(funnel=zero))
    assert [bar.width for bar in chart.bars] == [0.0, 0.0, 0.0]


def test_the_description_gives_every_number_in_words():
    chart = charts.shares_chart(figures())
    assert chart.description == (
        "responsible satisfied pct: 93.0% from 20 answers; "
        "harmed satisfied pct: 90.0% from 20 answers; "
        "harmed restored pct: 12.5% from 20 answers; "
        "harmed said well pct: – (fewer than 5 answers); "
        "harmed good agreements pct: 0.0% from 20 answers"
    )


def _svg(html: str, dom_id: str) -> str:
    # Named by its title only, described by its description (not both read as its name).
    start = html.index(
        f'<svg role="img" aria-labelledby="{dom_id}-title" aria-describedby="{dom_id}-desc"'
    )
    return html[start : html.index("</svg>", start)]


def test_the_svg_is_an_image_with_a_title_and_a_description():
    html = render_to_string("research/_chart_bars.html", {"chart": charts.shares_chart(figures())})
    svg = _svg(html, "chart-shares")
    assert '<title id="chart-shares-title">' in svg
    assert '<desc id="chart-shares-desc">responsible satisfied pct: 93.0% from 20 answers;' in svg
    assert svg.count('class="chart-bar"') == 4
    assert svg.count('class="chart-bar-empty"') == 1
    assert "– fewer than 5 answers" in svg


def test_in_dutch_numbers_have_a_comma_and_the_drawing_stays_numbers():
    with translation.override("nl"):
        html = render_to_string(
            "research/_chart_bars.html", {"chart": charts.shares_chart(figures())}
        )
        shown = charts.show(pct("harmed_restored_pct", 12.5), charts.ANSWERS)
    assert shown.text == "12,5%"
    assert f'width="{charts.BAR_MAX * 0.125}"' in html
    assert "12,5%" in html


def test_the_page_shows_a_dash_and_the_reason_in_text_for_a_suppressed_figure():
    context = sections(figures())
    html = render_to_string(
        "research/_figure_table.html", {"rows": context["shares"], "caption": "x"}
    )
    row = html.split('data-key="harmed_said_well_pct"', 1)[1].split("</tr>", 1)[0]
    assert '<td class="figure-value">–</td>' in row
    assert f'<span class="figure-reason">{FEWER}</span>' in row


@pytest.mark.parametrize(
    ("figure", "text"),
    [
        (Figure("x", "x", 1234, 1234, "count"), "1,234"),
        (Figure("x", "x", 8.44, 40, "mean"), "8.4"),
        (Figure("x", "x", 93.0, 20, "pct"), "93.0%"),
        (Figure("x", "x", None, 0, "pct", "fewer than 5 answers"), "–"),
    ],
)
def test_a_value_reads_as_people_expect(figure, text):
    assert charts.value_text(figure) == text
