"""Issue 13, points 2 and 5, in a real browser, in Dutch, at desktop and phone width: Ruud
(researcher) opens the figures from his menu, chooses a period and a team with too few
conferences (a dash with the reason, no percentage), and reads the charts' text alternatives;
Mira (Utrecht's manager) reads her team's figures, then what participants wrote. axe-core checks
every page; printing hides the filters."""

import re
from datetime import date

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from kring.research.models import Remark
from kring.research.tests.figures_data import utrecht, zwolle
from tests.browser.conftest import PHONE
from tests.browser.ui import log_in, nl

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WHOLE_MONTHS = (
    "Figures cover whole months: the first date counts from the first day of its month, the "
    "second up to the last day of its month."
)


@pytest.fixture
def known(team, other_team):
    return utrecht(team), zwolle(other_team)


def _context(new_context, width):
    options = {"viewport": PHONE, "is_mobile": True, "has_touch": True} if width == "phone" else {}
    return new_context(**options)


@pytest.mark.parametrize("width", ["desktop", "phone"])
def test_ruud_reads_the_figures_of_every_team(
    new_context, live_server, axe, authenticator, ruud, known, other_team, width
):
    page = axe.watch(_context(new_context, width).new_page())
    log_in(page, ruud, authenticator(ruud), axe)
    page.goto(reverse("research:home"))
    expect(page.get_by_role("heading", level=1)).to_have_text(nl("Figures"))
    axe.check(page)

    page.get_by_label(nl("From"), exact=True).fill("2026-01-01")
    page.get_by_label(nl("Until"), exact=True).fill("2026-06-30")
    page.get_by_role("button", name=nl("Show the figures")).click()
    # The new page, not the default period's (12 months up to this one) still on screen.
    expect(page).to_have_url(re.compile(r"from=2026-01-01&to=2026-06-30"))
    expect(page.locator(".figures-period")).to_contain_text("30 juni 2026")
    expect(page.locator(".figures-months")).to_have_text(nl(WHOLE_MONTHS))
    conferences = page.get_by_role(
        "table",
        name=nl("Conferences held and the participants present (the coordinator not counted)"),
    )
    expect(conferences).to_contain_text("10")
    expect(page.get_by_role("heading", name=nl("Per team"))).to_be_visible()
    # Nothing wider than the screen: the tables and charts fit a phone.
    assert page.evaluate("document.documentElement.scrollWidth") <= page.viewport_size["width"]
    # The chart is an image whose name and description say the numbers.
    shares = page.get_by_role("img", name=nl("How participants look back (answer 4 or 5 of 5)"))
    expect(shares).to_be_visible()
    axe.check(page)

    page.get_by_role("combobox", name=nl("Team")).select_option(label="Team Zwolle")
    page.get_by_role("button", name=nl("Show the figures")).click()
    expect(page.locator(".figures-period")).to_contain_text("Team Zwolle")
    table = page.locator("#table-shares")
    expect(table).to_contain_text("–")
    expect(table).to_contain_text(nl("fewer than 5 conferences"))
    expect(table).not_to_contain_text("%")
    axe.check(page)

    # On paper: the figures without the filters.
    page.emulate_media(media="print")
    expect(page.get_by_role("button", name=nl("Show the figures"))).to_be_hidden()
    expect(page.get_by_role("heading", name=nl("How participants look back"))).to_be_visible()
    page.emulate_media(media="screen")

    # A bad period: the form's message, in Dutch.
    page.get_by_label(nl("From"), exact=True).fill("2026-07-01")
    page.get_by_role("button", name=nl("Show the figures")).click()
    expect(page.locator("[data-error-summary]")).to_contain_text(
        nl("The end date must not be before the start date.")
    )
    expect(page).to_have_title(re.compile("^" + re.escape(nl("Error:"))))
    axe.check(page)
    axe.assert_no_violations()


@pytest.mark.parametrize("width", ["desktop", "phone"])
def test_mira_reads_her_team_and_what_participants_wrote(
    new_context, live_server, axe, authenticator, mira, known, preparing_case, width
):
    for month in range(1, 4):
        Remark.objects.create(
            case=preparing_case,
            team=preparing_case.team,
            role="harmed",
            text=f"Het gesprek hielp mij ({month}).",
            created_on=date(2026, month, 12),
        )
    page = axe.watch(_context(new_context, width).new_page())
    log_in(page, mira, authenticator(mira), axe)
    page.goto(reverse("research:home") + "?from=2026-01-01&to=2026-06-30")
    expect(page.get_by_role("heading", level=1)).to_have_text(nl("Figures"))
    expect(page.locator(".figures-period")).to_contain_text("Team Utrecht")
    expect(page.get_by_text("Team Zwolle")).to_have_count(0)
    axe.check(page)

    page.get_by_role("link", name=nl("Read what participants wrote")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(nl("What participants wrote"))
    expect(page.get_by_text("Het gesprek hielp mij (3).")).to_be_visible()
    expect(page.get_by_role("link", name=preparing_case.reference)).to_have_count(3)
    axe.check(page)
    axe.assert_no_violations()
