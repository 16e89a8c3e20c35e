"""The public request form with the keyboard alone: Tab, Space and Enter, no mouse."""

import pytest
from django.urls import reverse
from playwright.sync_api import Locator, Page, expect

from kring.testing.people import SANNE
from tests.browser.ui import nl

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_request_form_can_be_sent_with_the_keyboard_alone(page: Page, live_server, axe):
    axe.watch(page)
    page.goto(reverse("referrals:new"))
    expect(page.locator("html")).to_have_attribute("lang", "nl")
    axe.check(page)

    # The first Tab shows the skip link.
    page.keyboard.press("Tab")
    skip_link = page.get_by_role("link", name=nl("Skip to main content"))
    expect(skip_link).to_be_focused()
    expect(skip_link).to_be_in_viewport()

    # The language switch, from the keyboard: the same page in English.
    tab_to(page, page.get_by_role("button", name="English"))
    page.keyboard.press("Enter")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", level=1)).to_have_text("Ask for a conference")
    axe.check(page)

    # The skip link moves the focus past the header to the main content.
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="Skip to main content")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.get_by_role("main")).to_be_focused()
    axe.check(page)

    # The form, field by field.
    tab_to(page, page.get_by_role("radio", name="I was harmed"))
    page.keyboard.press("Space")
    expect(page.get_by_role("radio", name="I was harmed")).to_be_checked()
    tab_to(page, page.get_by_label("What happened, briefly?"))
    page.keyboard.type("Mijn fiets is vernield op het schoolplein.")
    tab_to(page, page.get_by_role("radio", name="Yes, all of them"))
    page.keyboard.press("Space")
    tab_to(page, page.get_by_label("Your name"))
    page.keyboard.type(SANNE.name)
    tab_to(page, page.get_by_label("Your e-mail address"))
    page.keyboard.type(SANNE.email)
    consent = page.get_by_label(
        "I have read the privacy statement and agree that Kring stores my request."
    )
    tab_to(page, consent)
    page.keyboard.press("Space")
    expect(consent).to_be_checked()
    tab_to(page, page.get_by_role("button", name="Send request"))
    page.keyboard.press("Enter")

    expect(page.get_by_role("heading", level=1)).to_have_text("Your request has been sent")
    axe.check(page)
    axe.assert_no_violations()


def tab_to(page: Page, target: Locator, *, max_presses: int = 60) -> None:
    """Press Tab until `target` has the focus: proof that the keyboard reaches it, in order."""
    passed = []
    for _ in range(max_presses):
        page.keyboard.press("Tab")
        if target.evaluate("element => element === document.activeElement"):
            expect(target).to_be_focused()
            return
        passed.append(
            page.evaluate(
                "() => { const e = document.activeElement;"
                " return e.tagName + (e.id ? '#' + e.id : '') + ' ' +"
                " (e.innerText || e.value || '').slice(0, 30); }"
            )
        )
    raise AssertionError(
        f"Tab never reached {target}; the focus went through: " + " | ".join(passed)
    )
