"""Mira reads her team's access log in Dutch (issue 8, point 10), at a desk and on a phone: who
did what in plain words, Olaf's refused attempt marked, filtered by person and by case, a
mistyped reference answered with a message, and the reference opening the case. Axe on every
page."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from kring.audit.actors import Actor
from kring.audit.log import record
from kring.cases import actions as case_actions
from kring.circle import actions as circle_actions
from kring.testing import people
from kring.testing.factories import ReferralFactory
from tests.browser.conftest import PHONE
from tests.browser.ui import log_in, nl

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("viewport", [None, PHONE], ids=["desktop", "phone"])
def test_the_manager_reads_and_filters_the_access_log(
    new_context, live_server, axe, authenticator, bram, carla, olaf, mira, viewport
):
    case = case_actions.open_case(ReferralFactory())
    case_actions.take_on(case, by=bram)
    case_actions.offer_to_coordinator(case, coordinator=carla, by=bram)
    offer = case.assignments.get(coordinator=carla, status="offered")
    case_actions.accept_assignment(offer, declares_independence=True, by=carla)
    case = circle_actions.start_preparation(case, by=carla)
    daan = circle_actions.add_participant(
        case, by=carla, name=people.DAAN.name, side="responsible", email=people.DAAN.email
    )
    record("portal.viewed", actor=Actor.in_portal(daan), case=case, obj=daan)
    record("case.access_refused", actor=olaf, case=case, obj=case)

    page = axe.watch(new_context(**({"viewport": viewport} if viewport else {})).new_page())
    log_in(page, mira, authenticator(mira), axe)
    page.get_by_role("link", name=nl("Access log")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(nl("Access log"))
    axe.check(page)
    table = page.get_by_role("table")
    expect(table).to_contain_text(nl("Read their personal page"))
    expect(table).to_contain_text(people.DAAN.name)
    expect(table).to_contain_text(nl("participant, personal page"))
    expect(table).to_contain_text(nl("Preparation started"))
    refused = page.get_by_role("row").filter(has_text=nl("Refused"))
    expect(refused).to_have_count(1)
    expect(refused).to_contain_text(nl("Tried to open a case without access"))
    expect(refused).to_contain_text("Olaf")

    # By person: Olaf's rows only.
    page.get_by_label(nl("Person")).select_option(label=str(olaf))
    page.get_by_role("button", name=nl("Filter")).click()
    expect(page.get_by_role("row")).to_have_count(2)  # the header and Olaf's attempt
    axe.check(page)

    # By case: a reference with a typing mistake gets a message, not an empty page.
    page.get_by_label(nl("Person")).select_option(index=0)
    page.get_by_label(nl("Case reference")).fill("K-12")
    page.get_by_role("button", name=nl("Filter")).click()
    expect(page.get_by_role("alert")).to_contain_text(
        nl("This is not a case reference. A reference looks like K-7QH4-M2XD.")
    )
    axe.check(page)
    page.get_by_label(nl("Case reference")).fill(case.reference.lower())
    page.get_by_role("button", name=nl("Filter")).click()
    expect(page.get_by_role("alert")).to_have_count(0)
    expect(table).to_contain_text(nl("Read their personal page"))
    axe.check(page)

    # The reference opens the case.
    page.get_by_role("link", name=case.reference).first.click()
    expect(page).to_have_url(live_server.url + reverse("cases:detail", args=[case.pk]))
    axe.check(page)
    axe.assert_no_violations()
