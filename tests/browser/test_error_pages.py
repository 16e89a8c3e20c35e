"""Kring's error pages in a real browser, in Dutch, on a phone (issue 14 point 6): a wrong
address, a failure, a wrong address in the participant's part, and a form sent after its token
went stale. Each is Kring's page with a way on, and axe-core finds nothing on it; no file of the
page is refused (the Content-Security-Policy still holds)."""

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from tests.browser.conftest import PHONE
from tests.browser.ui import nl

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def on_a_phone(new_context) -> Page:
    return new_context(viewport=PHONE, is_mobile=True, has_touch=True).new_page()


def test_a_wrong_address_shows_kring_page_and_the_way_back(new_context, axe, live_server):
    page = axe.watch(on_a_phone(new_context))
    response = page.goto("/zaken/bestaat-niet/")
    assert response is not None and response.status == 404
    expect(page.get_by_role("heading", level=1)).to_have_text(nl("This page does not exist"))
    expect(page).to_have_title(f"{nl('This page does not exist')} – Kring")
    axe.check(page)

    page.get_by_role("button", name="English").click()  # the same page, in English
    expect(page.get_by_role("heading", level=1)).to_have_text("This page does not exist")
    axe.check(page)

    page.get_by_role("link", name="Back to the start page").click()
    expect(page).to_have_url(f"{live_server.url}/")
    axe.check(page)
    axe.assert_no_violations()


@pytest.mark.urls("kring.core.tests.error_urls")
def test_a_failure_shows_kring_page_without_internals(new_context, axe):
    page = axe.watch(on_a_phone(new_context))
    response = page.goto("/test-fout/")
    assert response is not None and response.status == 500
    expect(page.get_by_role("heading", level=1)).to_have_text(nl("Something went wrong"))
    expect(page.get_by_text(nl("This is not your fault. Kring could not finish what you asked.")))
    body = page.content()
    assert "RuntimeError" not in body and "Traceback" not in body and "SELECT" not in body
    axe.check(page)
    axe.assert_no_violations()


def test_a_wrong_address_in_the_participant_part_leads_to_their_page(new_context, axe):
    page = axe.watch(on_a_phone(new_context))
    response = page.goto("/portaal/bestaat-niet/")
    assert response is not None and response.status == 404
    expect(page.get_by_role("heading", level=1)).to_have_text(nl("This page does not exist"))
    expect(page.get_by_text(nl("Does your link not work? Ask your coordinator for a new one.")))
    expect(page.get_by_role("link", name=nl("Back to your page"))).to_have_attribute(
        "href", reverse("portal:home")
    )
    axe.check(page)
    axe.assert_no_violations()


def test_a_form_sent_with_a_stale_token_says_to_reload_and_the_reload_works(
    new_context, axe, live_server
):
    context = new_context(viewport=PHONE, is_mobile=True, has_touch=True)
    page = axe.watch(context.new_page())
    page.goto(reverse("referrals:new"))
    axe.check(page)
    context.clear_cookies()  # the CSRF cookie is gone: as after a long pause or a cleared browser
    page.get_by_role("button", name=nl("Send request")).click()

    expect(page.get_by_role("heading", level=1)).to_have_text(nl("This form could not be sent"))
    expect(page.get_by_text(nl("Go back to the previous page, reload it, and try again.")))
    axe.check(page)

    page.get_by_role("link", name=nl("Open the form again")).click()
    expect(page).to_have_url(f"{live_server.url}{reverse('referrals:new')}")
    expect(page.get_by_role("button", name=nl("Send request"))).to_be_visible()
    axe.check(page)
    axe.assert_no_violations()
