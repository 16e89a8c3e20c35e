"""The legal hold in the browser, on a phone (issue 14, point 7): Mira, the team's manager,
keeps a declined request from erasure with the reference of a court case, sees it on the case
page, and lifts it after the page that asks to confirm. Axe on every page."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from kring.cases import actions
from kring.privacy.models import LegalHold
from tests.browser.conftest import PHONE
from tests.browser.ui import log_in, nl

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_manager_places_and_lifts_a_legal_hold_on_a_phone(
    new_context, live_server, axe, authenticator, mira, bram, referred_case
):
    declined = actions.decline(referred_case, reason="not_suitable", by=bram)
    page = axe.watch(new_context(viewport=PHONE).new_page())
    log_in(page, mira, authenticator(mira), axe)
    page.goto(reverse("cases:detail", args=[declined.pk]))
    expect(page.get_by_role("heading", name=nl("Keeping and erasing"))).to_be_visible()
    axe.check(page)

    page.get_by_label(nl("Reference of the procedure (optional)")).fill("C/16/123456")
    page.get_by_role("button", name=nl("Keep the case (legal hold)")).click()
    expect(
        page.get_by_text(nl("The case is kept: it will not be erased until the hold is lifted."))
    ).to_be_visible()
    expect(page.get_by_text("C/16/123456")).to_be_visible()
    expect(page.get_by_role("button", name=nl("Keep the case (legal hold)"))).to_have_count(0)
    axe.check(page)

    page.get_by_role("link", name=nl("Lift the hold")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        nl("Lift the hold on case %(reference)s", reference=declined.reference)
    )
    expect(page.get_by_role("heading", name=nl("What lifting does"))).to_be_visible()
    axe.check(page)
    page.get_by_role("button", name=nl("Lift the hold")).click()
    expect(page.get_by_text(nl("The hold is lifted."))).to_be_visible()
    expect(page.get_by_role("button", name=nl("Keep the case (legal hold)"))).to_be_visible()
    axe.check(page)
    assert LegalHold.objects.get(case=declined).lifted_by == mira
    axe.assert_no_violations()
