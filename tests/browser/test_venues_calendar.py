"""Issue 9, points 1 and 8, in a real browser, in Dutch: Bram of the office adds a venue (first
with a capacity that is too large, then right), takes another out of use, and reads the week's
calendar, at desktop width and at phone width. axe-core checks every page."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.text import capfirst
from playwright.sync_api import expect

from kring.scheduling.models import Meeting, Venue
from kring.testing.circle_people import daan
from kring.testing.people import DAAN
from tests.browser.conftest import PHONE
from tests.browser.ui import log_in, nl

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
__all__ = ["daan"]  # Daan is in the case: his name must not show in the calendar
AMSTERDAM = ZoneInfo("Europe/Amsterdam")


@pytest.mark.usefixtures("daan")
@pytest.mark.parametrize("width", ["desktop", "phone"])
def test_bram_keeps_the_venues_and_reads_the_calendar(
    new_context, live_server, axe, authenticator, bram, carla, preparing_case, team, width
):
    old = Venue.objects.create(
        team=team, name="Oud buurthuis", address="Oudestraat 2, Utrecht", capacity=8
    )
    # A confirmed meeting this week, on Wednesday at 19:00 Dutch time.
    today = timezone.localdate()
    wednesday = today - timedelta(days=today.weekday()) + timedelta(days=2)
    starts = datetime.combine(wednesday, datetime.min.time(), tzinfo=AMSTERDAM) + timedelta(
        hours=19
    )
    Meeting.objects.create(
        case=preparing_case,
        status=Meeting.Status.CONFIRMED,
        starts_at=starts,
        ends_at=starts + timedelta(hours=2),
        venue=old,
        created_by=carla,
    )
    options = {"viewport": PHONE, "is_mobile": True, "has_touch": True} if width == "phone" else {}
    page = axe.watch(new_context(**options).new_page())
    log_in(page, bram, authenticator(bram), axe)

    # --- the venues --------------------------------------------------------------------------
    page.goto(reverse("scheduling:venues"))
    expect(page.get_by_role("heading", level=1)).to_have_text(nl("Venues"))
    axe.check(page)
    page.get_by_role("link", name=nl("Add a venue")).click()
    axe.check(page)
    page.get_by_label(capfirst(nl("name")), exact=True).fill("Wijkcentrum De Pijler")
    page.get_by_label(capfirst(nl("address")), exact=True).fill("Pijlerstraat 1\n3512 AA Utrecht")
    page.get_by_label(nl("Capacity (people)")).fill("800")
    page.get_by_label(capfirst(nl("step-free access"))).check()
    page.get_by_role("button", name=nl("Add the venue")).click()
    summary = page.locator("[data-error-summary]")
    expect(summary).to_contain_text(
        nl("Enter how many people fit in the room: a number from 1 to 500.")
    )
    axe.check(page)
    assert not Venue.objects.filter(name="Wijkcentrum De Pijler").exists()
    page.get_by_label(nl("Capacity (people)")).fill("14")
    page.get_by_role("button", name=nl("Add the venue")).click()
    expect(page.get_by_role("status")).to_contain_text(
        nl("%(name)s is added to the venues.", name="Wijkcentrum De Pijler")
    )
    axe.check(page)
    pijler = Venue.objects.get(name="Wijkcentrum De Pijler")
    assert (pijler.capacity, pijler.step_free, pijler.team) == (14, True, team)

    # The old one goes out of use; it keeps its meeting.
    page.get_by_role("link", name=f"{nl('Change')} Oud buurthuis").click()
    axe.check(page)
    page.get_by_role("button", name=nl("Take this venue out of use")).click()
    expect(page.get_by_role("heading", name=nl("Out of use"))).to_be_visible()
    axe.check(page)
    old.refresh_from_db()
    assert old.is_retired and old.meetings.count() == 1

    # --- the calendar ------------------------------------------------------------------------
    page.get_by_role("link", name=nl("Calendar"), exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        nl("Calendar of %(team)s", team=team.name)
    )
    table = page.get_by_role("table")
    expect(table).to_contain_text(preparing_case.reference)
    expect(table).to_contain_text("19:00")
    expect(table).to_contain_text(str(carla))
    expect(table).not_to_contain_text(DAAN.name)
    axe.check(page)
    page.get_by_role("link", name=nl("Next week")).click()
    expect(page.get_by_role("table")).not_to_contain_text(preparing_case.reference)
    axe.check(page)
    if width == "phone":
        # The week scrolls sideways inside its own region, not the page.
        overflow = page.evaluate("document.documentElement.scrollWidth > window.innerWidth")
        assert not overflow
    axe.assert_no_violations()
