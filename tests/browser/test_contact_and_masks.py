"""Issue 8, points 3, 5 and 6, in a real browser, in Dutch, on a phone: Carla sets her work
telephone number and e-mail address on her account page (a wrong number gets a clear message,
without doubled punctuation); Daan's page names Carla with that number and shows his own details
masked; after a time-out his page says it was closed and how to continue. axe-core (WCAG 2.2)
checks each page at phone width."""

import re

import pytest
from django.conf import settings
from django.contrib.sessions.backends.db import SessionStore
from django.urls import reverse
from playwright.sync_api import Page, expect

from kring.accounts import sessions
from kring.circle import actions
from kring.circle.models import Invitation
from kring.testing.circle_people import daan, daan_acknowledged
from kring.testing.people import DAAN
from tests.browser.conftest import PHONE
from tests.browser.ui import log_in, nl

__all__ = ["daan", "daan_acknowledged"]

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DOUBLED = re.compile(r"[.?!:][.:]")


def on_a_phone(new_context) -> Page:
    return new_context(viewport=PHONE, is_mobile=True, has_touch=True).new_page()


def test_carla_sets_her_work_contact_details_and_daan_sees_them(
    new_context, live_server, axe, authenticator, carla, daan_acknowledged
):
    phone = axe.watch(on_a_phone(new_context))
    log_in(phone, carla, authenticator(carla), axe)
    phone.goto(reverse("accounts:account"))
    phone.get_by_role("link", name=nl("Change your contact details")).click()
    expect(phone.get_by_role("heading", level=1)).to_have_text(
        nl("Your contact details for participants")
    )
    axe.check(phone)

    number = phone.get_by_label(nl("work telephone number").capitalize())
    number.fill("bel mij maar")
    phone.get_by_role("button", name=nl("Save")).click()
    alert = phone.get_by_role("alert")
    expect(alert).to_contain_text(
        nl("Enter a telephone number like 030 123 45 67, 06 12 34 56 78 or +31 30 123 45 67.")
    )
    assert not DOUBLED.search(alert.inner_text())
    axe.check(phone)

    number.fill("06 12 34 56 78")
    phone.get_by_label(nl("work e-mail address").capitalize()).fill("carla@herstel.example.org")
    phone.get_by_role("button", name=nl("Save")).click()
    expect(phone.get_by_text(nl("Your contact details have been saved."))).to_be_visible()
    expect(phone.get_by_text("06 12 34 56 78")).to_be_visible()
    axe.check(phone)

    # Daan opens the link of his letter on his own phone.
    token = actions.invite(daan_acknowledged, channel=Invitation.Channel.LETTER, by=carla).token
    daans_phone = axe.watch(on_a_phone(new_context))
    daans_phone.goto(reverse("portal:enter", args=[token]))
    expect(daans_phone.get_by_role("heading", level=1)).to_have_text(
        nl("Hello %(name)s", name="Daan")
    )
    contact = daans_phone.get_by_role(
        "region", name=nl("Questions? Contact %(name)s, your coordinator", name="Carla")
    )
    expect(contact).to_contain_text("06 12 34 56 78")
    expect(contact.get_by_role("link", name="carla@herstel.example.org")).to_be_visible()
    page = daans_phone.content()
    assert DAAN.phone not in page and DAAN.email not in page
    expect(daans_phone.get_by_text(nl("ending in %(masked)s", masked="…22"))).to_be_visible()
    expect(
        daans_phone.get_by_text(nl("Is this not right? Tell your coordinator about the change."))
    ).to_be_visible()
    axe.check(daans_phone)

    # He leaves the phone for longer than the idle time-out: his session runs out.
    cookie = next(
        c for c in daans_phone.context.cookies() if c["name"] == settings.SESSION_COOKIE_NAME
    )
    session = SessionStore(session_key=cookie["value"])
    session[sessions.SEEN_AT] -= settings.KRING_SESSION_IDLE_SECONDS + 1
    session.save()
    daans_phone.reload()

    expect(daans_phone.get_by_role("heading", level=1)).to_have_text(
        nl("Your page has been closed")
    )
    expect(daans_phone.get_by_text(nl("Open the link in your e-mail again."))).to_be_visible()
    assert nl("This link does not work") not in daans_phone.content()
    axe.check(daans_phone)

    axe.assert_no_violations()
