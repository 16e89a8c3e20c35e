"""Issue 10, point 1, in Dutch at tablet size (1024×768): Carla opens conference mode from the
case page, checks in Daan, Sanne and six supporters (one of them did not come), begins the
conference, introduces everyone, and goes through the rounds in the method's order with the
keyboard, then the round for putting things right. axe reports nothing on any page."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from kring.cases.lifecycle import State
from kring.conference.models import Attendance, Conference, Round
from kring.conference.tests.conftest import scheduled_case
from kring.conference.tests.mode_fixtures import six_supporters
from kring.scheduling.tests.conftest import everyone_said_yes, linde, summer_meeting
from kring.testing.circle_people import daan, joost, ria, sanne
from tests.browser.ui import log_in, nl

__all__ = [
    "daan",
    "everyone_said_yes",
    "joost",
    "linde",
    "ria",
    "sanne",
    "scheduled_case",
    "summer_meeting",
]

pytestmark = pytest.mark.django_db(transaction=True)

TABLET_LANDSCAPE = {"width": 1024, "height": 768}


def test_carla_runs_check_in_the_introductions_and_the_rounds(
    new_context, live_server, axe, authenticator, carla, scheduled_case, everyone_said_yes
):
    people = six_supporters(scheduled_case, everyone_said_yes)
    page = axe.watch(new_context(viewport=TABLET_LANDSCAPE).new_page())
    log_in(page, carla, authenticator(carla), axe)

    # --- from the case page into conference mode ------------------------------------------
    page.goto(reverse("cases:detail", args=[scheduled_case.pk]))
    axe.check(page)
    page.get_by_role("link", name=nl("Open conference mode")).click()
    heading = nl("Conference mode, case %(reference)s", reference=scheduled_case.reference)
    expect(page.get_by_role("heading", level=1)).to_have_text(heading)
    expect(page.get_by_role("heading", name=nl("Who is here?"))).to_be_visible()
    axe.check(page)
    # Not yet: nobody is checked in, so the page says why instead of offering the start.
    expect(page.get_by_role("button", name=nl("Begin the conference"))).to_have_count(0)

    # --- check-in: everyone came but Petra ------------------------------------------------
    present = nl("Present")
    # With the keyboard: the toggle keeps the focus, and the page says what changed.
    daan_present = page.get_by_role("button", name=f"{present}: Daan de Boer")
    daan_present.focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("status")).to_have_text(nl("%(name)s: present.", name="Daan de Boer"))
    expect(daan_present).to_be_focused()
    expect(daan_present).to_have_attribute("aria-pressed", "true")
    for key, person in people.items():
        if key in ("petra", "daan"):
            continue
        page.get_by_role("button", name=f"{present}: {person.name}").click()
        expect(page.locator(f"#person-{person.pk}")).to_contain_text(f"✓ {present}")
    page.get_by_role("button", name=f"{nl('Not there')}: Petra de Boer").click()
    expect(page.locator(f"#person-{people['petra'].pk}")).to_contain_text(nl("Not there"))
    axe.check(page)

    # --- the start, with the keyboard ------------------------------------------------------
    page.get_by_role("button", name=nl("Begin the conference")).focus()
    page.keyboard.press("Enter")
    expect(
        page.get_by_text(nl("The conference has begun. Introduce everyone by name."))
    ).to_be_visible()
    expect(page.get_by_role("heading", name=nl("Introduce everyone by name"))).to_be_visible()
    names = page.locator("ol.names > li")
    expect(names).to_have_count(7)
    expect(names.first).to_contain_text("Daan de Boer")
    expect(names.nth(1)).to_contain_text("Sanne Jansen")
    axe.check(page)
    page.get_by_role("button", name=nl("Everyone is introduced")).focus()
    page.keyboard.press("Enter")

    # --- the rounds in order, each done with the keyboard ---------------------------------
    order = list(
        Round.objects.filter(conference__case=scheduled_case)
        .order_by("position")
        .values_list("participant__name", flat=True)
    )
    assert order[:2] == ["Daan de Boer", "Sanne Jansen"]
    for n, name in enumerate(order, start=1):
        title = page.get_by_role("heading", level=2).filter(has_text=name)
        expect(title).to_contain_text(nl("Round %(n)s of %(total)s", n=n, total=len(order)))
        if n == 1:
            axe.check(page)
            page.get_by_label(nl("Short note (if you wish)")).focus()
            page.keyboard.type("wil sorry zeggen")
            page.keyboard.press("Tab")  # on to "Ronde klaar"
        else:
            page.get_by_role("button", name=nl("Round done")).focus()
        page.keyboard.press("Enter")
        expect(page.get_by_text(nl("The round of %(name)s is done.", name=name))).to_be_visible()

    # --- putting things right, then the plan may begin ------------------------------------
    expect(
        page.get_by_role("heading", name=nl("Who wants to put something right?"))
    ).to_be_visible()
    expect(page.get_by_text("wil sorry zeggen")).to_be_visible()  # the note, here only
    axe.check(page)
    page.get_by_role("button", name=nl("Done: make the plan")).click()
    expect(page.get_by_text(nl("Every round is done. Now make the plan together."))).to_be_visible()
    axe.check(page)

    conference = Conference.objects.get(case=scheduled_case)
    scheduled_case.refresh_from_db()
    assert scheduled_case.state == State.CONFERENCE_HELD
    assert conference.rounds_done_at is not None
    assert not Attendance.objects.get(participant=people["petra"]).present
    assert Attendance.objects.filter(conference=conference, present=True).count() == 7
    axe.assert_no_violations()
