"""Issue 2's journey, in a real browser: a request from the public becomes a case of an
independent coordinator, and no one else on the team can open it. axe-core checks every page."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from kring.cases.lifecycle import State
from kring.cases.models import Case
from tests.browser.conftest import PHONE
from tests.browser.ui import log_in, nl

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

REFERENCE = re.compile(r"^K-[0-9A-Z]{4}-[0-9A-Z]{4}$")
WHAT_HAPPENED = "Daan heeft op het schoolplein de fiets van Sanne vernield."
REQUESTER_EMAIL = "petra@example.org"
PRIVACY_CONSENT = "I have read the privacy statement and agree that Kring stores my request."
DECLARATION = (
    "I declare that I have no tie with anyone in this case: not family, not a friend, not a "
    "colleague, not a neighbour, not a client."
)


def test_a_request_from_the_public_becomes_a_case_of_an_independent_coordinator(
    new_context, live_server, smtp_server, axe, authenticator, bram, carla, olaf
):
    # --- Petra, a teacher, asks for a conference on her phone ---------------------------
    petra = axe.watch(new_context(viewport=PHONE, is_mobile=True, has_touch=True).new_page())
    petra.goto(reverse("referrals:new"))
    expect(petra.get_by_role("heading", level=1)).to_have_text(nl("Ask for a conference"))
    assert_fits_the_screen(petra)
    axe.check(petra)

    petra.get_by_label(nl("School"), exact=True).check()
    petra.get_by_label(nl("Organisation")).fill("Basisschool De Linde")
    petra.get_by_label(nl("What happened, briefly?")).fill(WHAT_HAPPENED)
    person(petra, 1).get_by_label(nl("Name"), exact=True).fill("Daan")
    person(petra, 1).get_by_label(nl("How is this person involved?")).select_option(
        label=nl("Is responsible")
    )
    petra.get_by_role("button", name=nl("Add another person")).click()
    expect(person(petra, 2)).to_be_visible()
    axe.check(petra)
    expect(person(petra, 1).get_by_label(nl("Name"), exact=True)).to_have_value("Daan")
    person(petra, 2).get_by_label(nl("Name"), exact=True).fill("Sanne")
    person(petra, 2).get_by_label(nl("How is this person involved?")).select_option(
        label=nl("Was harmed")
    )
    petra.get_by_label(nl("Some of them"), exact=True).check()
    petra.get_by_label(nl("Your name")).fill("Petra de Vries")
    petra.get_by_label(nl("Your telephone number")).fill("06 1234 5678")
    petra.get_by_label(nl(PRIVACY_CONSENT)).check()
    # She forgets her e-mail address.
    petra.get_by_role("button", name=nl("Send request")).click()

    summary = petra.get_by_role("alert")
    expect(summary.get_by_role("heading")).to_have_text(nl("There is a problem"))
    expect(summary).to_be_focused()
    expect(summary.get_by_role("link")).to_have_text(nl("Enter your e-mail address."))
    email = petra.get_by_label(nl("Your e-mail address"))
    expect(email).to_have_accessible_description(
        re.compile(re.escape(nl("Enter your e-mail address.")))
    )
    axe.check(petra)
    # Nothing she typed is lost.
    expect(petra.get_by_label(nl("School"), exact=True)).to_be_checked()
    expect(petra.get_by_label(nl("Organisation"))).to_have_value("Basisschool De Linde")
    expect(petra.get_by_label(nl("What happened, briefly?"))).to_have_value(WHAT_HAPPENED)
    expect(person(petra, 1).get_by_label(nl("Name"), exact=True)).to_have_value("Daan")
    expect(person(petra, 1).get_by_label(nl("How is this person involved?"))).to_have_value(
        "responsible"
    )
    expect(person(petra, 2).get_by_label(nl("Name"), exact=True)).to_have_value("Sanne")
    expect(person(petra, 2).get_by_label(nl("How is this person involved?"))).to_have_value(
        "harmed"
    )
    expect(petra.get_by_label(nl("Some of them"), exact=True)).to_be_checked()
    expect(petra.get_by_label(nl("Your name"))).to_have_value("Petra de Vries")
    expect(petra.get_by_label(nl("Your telephone number"))).to_have_value("06 1234 5678")
    expect(petra.get_by_label(nl(PRIVACY_CONSENT))).to_be_checked()

    # The link in the summary takes her to the field.
    summary.get_by_role("link").click()
    expect(email).to_be_focused()
    email.fill(REQUESTER_EMAIL)
    petra.get_by_role("button", name=nl("Send request")).click()

    expect(petra.get_by_role("heading", level=1)).to_have_text(nl("Your request has been sent"))
    reference = petra.get_by_text(REFERENCE).inner_text()
    expect(petra.get_by_role("heading", name=nl("What happens next"))).to_be_visible()
    axe.check(petra)

    # The confirmation reaches her mailbox through a real SMTP server, with her reference
    # and without anything she wrote about what happened.
    confirmation = smtp_server.wait_for_mail(REQUESTER_EMAIL)
    assert confirmation.message["To"] == REQUESTER_EMAIL
    assert reference in confirmation.subject
    assert reference in confirmation.text
    assert "Daan" not in confirmation.text
    assert "fiets" not in confirmation.text
    # The office hears of it too; the subject carries no name and no free text.
    notice = smtp_server.wait_for_mail(bram.email)
    assert "Petra" not in notice.subject
    assert "fiets" not in notice.subject

    # --- Bram (office) takes the request on and offers it to Carla ----------------------
    office = axe.watch(new_context().new_page())
    log_in(office, bram, authenticator(bram), axe)
    expect(office.get_by_role("heading", level=1)).to_have_text(nl("New requests"))
    axe.check(office)
    office.get_by_role("link", name=reference).click()

    expect(office.get_by_role("heading", level=1)).to_have_text(
        nl("Request %(ref)s", ref=reference)
    )
    expect(office.get_by_text(WHAT_HAPPENED)).to_be_visible()
    axe.check(office)
    office.get_by_role("button", name=nl("Take on"), exact=True).click()

    expect(office.get_by_role("heading", level=1)).to_have_text(
        nl("Case %(ref)s: offer to a coordinator", ref=reference)
    )
    axe.check(office)
    office.get_by_label(nl("Coordinator"), exact=True).select_option(label=str(carla))
    office.get_by_role("button", name=nl("Offer the case")).click()

    expect(office.get_by_role("heading", level=1)).to_have_text(nl("Case %(ref)s", ref=reference))
    expect(office.get_by_role("status")).to_contain_text(
        nl("The case is offered to %(name)s, who is notified and must accept it.", name=carla)
    )
    axe.check(office)
    case_url = office.url

    # --- Carla accepts, with the declaration of independence ----------------------------
    coordinator = axe.watch(new_context().new_page())
    log_in(coordinator, carla, authenticator(carla), axe)
    expect(coordinator.get_by_role("heading", level=1)).to_have_text(nl("My cases"))
    offers = coordinator.get_by_role("region", name=nl("Offered to you"))
    axe.check(coordinator)
    offers.get_by_role("link", name=nl("Case %(ref)s: answer the offer", ref=reference)).click()

    expect(coordinator.get_by_role("heading", level=1)).to_have_text(
        nl("Case %(ref)s is offered to you", ref=reference)
    )
    axe.check(coordinator)
    accept = coordinator.get_by_role("button", name=nl("Accept the case"))
    accept.click()  # without the declaration
    r2 = nl("The coordinator must first declare that they have no tie with anyone in this case.")
    expect(coordinator.get_by_role("alert")).to_contain_text(r2)
    declaration = coordinator.get_by_label(nl(DECLARATION))
    expect(declaration).to_have_accessible_description(re.compile(re.escape(r2)))
    axe.check(coordinator)
    declaration.check()
    accept.click()

    expect(coordinator.get_by_role("heading", level=1)).to_have_text(
        nl("Case %(ref)s", ref=reference)
    )
    expect(coordinator.get_by_role("status")).to_contain_text(nl("You have accepted the case."))
    axe.check(coordinator)

    coordinator.get_by_role("navigation").get_by_role("link", name=nl("My cases")).click()
    expect(coordinator.get_by_role("heading", level=1)).to_have_text(nl("My cases"))
    expect(coordinator.get_by_role("region", name=nl("Offered to you"))).to_have_count(0)
    my_case = coordinator.get_by_role("row").filter(has_text=reference)
    expect(my_case).to_contain_text(nl(State.ASSIGNED.label))
    axe.check(coordinator)
    my_case.get_by_role("link", name=reference).click()

    expect(coordinator.get_by_role("heading", level=1)).to_have_text(
        nl("Case %(ref)s", ref=reference)
    )
    timeline = coordinator.get_by_role("list", name=nl("Timeline")).get_by_role("listitem")
    expect(timeline.filter(has_text=nl("Taken on by the office"))).to_contain_text(str(bram))
    expect(timeline.filter(has_text=nl("Offered to a coordinator"))).to_contain_text(str(carla))
    expect(
        timeline.filter(has_text=nl("Coordinator accepted and declared independence"))
    ).to_contain_text(str(carla))
    axe.check(coordinator)
    assert Case.objects.get(referral__reference=reference).coordinator == carla

    # --- Olaf, on Carla's team, cannot open her case ------------------------------------
    colleague = axe.watch(new_context().new_page())
    log_in(colleague, olaf, authenticator(olaf), axe)
    expect(colleague.get_by_role("heading", level=1)).to_have_text(nl("My cases"))
    expect(colleague.get_by_role("link", name=reference)).to_have_count(0)
    axe.check(colleague)
    response = colleague.goto(case_url)
    assert response is not None and response.status in (403, 404)
    expect(colleague.get_by_text(WHAT_HAPPENED)).to_have_count(0)
    axe.check(colleague)

    axe.assert_no_violations()


def person(page: Page, number: int):
    """The fieldset of the `number`th person named in the request form."""
    return page.get_by_role("group", name=nl("Person %(number)s", number=number), exact=True)


def assert_fits_the_screen(page: Page) -> None:
    """Usable on a phone: nothing sticks out sideways, so there is no horizontal scrolling."""
    overflow = page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0, f"the page is {overflow}px wider than the screen"
