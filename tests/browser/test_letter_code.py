"""Issue 8, point 4, in a real browser on a phone, in Dutch: Daan has a printed letter with a
short address and a personal code. Typed with one wrong character, the code gets the help
message with the groups shown back; typed right, it opens Daan's page; after a new letter the
old code says there is a newer invitation. axe-core (WCAG 2.2) checks every page at phone
width."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from kring.circle import actions, links
from kring.circle.models import Invitation
from kring.testing.circle_people import daan, daan_acknowledged
from tests.browser.conftest import PHONE
from tests.browser.ui import nl

__all__ = ["daan", "daan_acknowledged"]

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_mistyped_letter_code_gets_help_and_the_right_one_opens_daans_page(
    new_context, live_server, axe, daan_acknowledged, carla
):
    # Carla printed Daan's letter: it shows the short address and his code in groups of four.
    sent = actions.invite(daan_acknowledged, channel=Invitation.Channel.LETTER, by=carla)
    on_the_letter = links.grouped(sent.code)
    groups = on_the_letter.split("-")
    # One typing mistake in the last group, typed in small letters with spaces, as on a phone.
    wrong_last = groups[2][:-1] + ("X" if groups[2][-1] != "X" else "Y")
    mistyped = " ".join([groups[0], groups[1], wrong_last]).lower()

    phone = axe.watch(new_context(viewport=PHONE, is_mobile=True, has_touch=True).new_page())
    phone.goto(reverse("portal:code"))
    expect(phone.get_by_role("heading", level=1)).to_have_text(nl("Type in your code"))
    axe.check(phone)

    code_field = phone.get_by_label(nl("Your personal code"))
    code_field.fill(mistyped)
    phone.get_by_role("button", name=nl("Open my page")).click()

    shown = "-".join([groups[0], groups[1], wrong_last])
    help_text = nl(
        "Check the code. You typed %(code)s. Compare it with the code in your letter.",
        code=shown,
    )
    assert help_text.startswith("Controleer de code.")
    expect(phone.get_by_role("alert")).to_contain_text(help_text)
    expect(code_field).to_have_value(shown)  # in groups, ready to correct
    axe.check(phone)

    code_field.fill(on_the_letter)
    phone.get_by_role("button", name=nl("Open my page")).click()

    expect(phone.get_by_role("heading", level=1)).to_have_text(nl("Hello %(name)s", name="Daan"))
    assert phone.url.endswith(reverse("portal:home"))
    axe.check(phone)

    # Carla prints Daan a new letter: the old code now says that there is a newer one.
    actions.reissue_link(daan_acknowledged, by=carla)
    phone.goto(reverse("portal:code"))
    phone.get_by_label(nl("Your personal code")).fill(on_the_letter)
    phone.get_by_role("button", name=nl("Open my page")).click()

    expect(phone.get_by_role("heading", level=1)).to_have_text(nl("There is a newer invitation"))
    assert nl("There is a newer invitation") == "Er is een nieuwere uitnodiging"
    axe.check(phone)

    axe.assert_no_violations()
