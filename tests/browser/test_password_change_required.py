"""A new password at next sign-in (issue 14, point 4), in a real browser, in Dutch, on a phone:
an administrator has required it; Carla signs in with her password and the code from her app,
and every page leads her to the password change page, which says why. A password built on her
name is refused with a message that says what to do; a sentence of a few words is accepted, and
she goes on to the page she asked for. axe-core checks every page."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from kring.accounts.password_change import require_new_password
from kring.testing.users import PASSWORD
from tests.browser.conftest import PHONE
from tests.browser.ui import log_in, nl

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NEW = "paars konijn drinkt thee"  # noqa: S105


def _fill(page, new):
    page.get_by_label(nl("Old password")).fill(PASSWORD)
    page.get_by_label(nl("New password"), exact=True).fill(new)
    page.get_by_label(nl("New password confirmation")).fill(new)
    page.get_by_role("button", name=nl("Change password")).click()


def test_carla_must_choose_a_new_password_before_anything_else(
    new_context, live_server, axe, authenticator, carla, admin_user
):
    require_new_password([carla], by=admin_user)
    context = new_context(viewport=PHONE, is_mobile=True, has_touch=True)
    page = axe.watch(context.new_page())

    log_in(page, carla, authenticator(carla), axe)
    heading = page.get_by_role("heading", level=1)
    expect(heading).to_have_text(nl("Choose a new password"))
    expect(page.get_by_role("main")).to_contain_text(
        nl(
            "An administrator has asked you to choose a new password before you continue. "
            "Enter your current password once more, and then your new password twice."
        )
    )
    axe.check(page)

    # Another page leads back here, and remembers where she was going.
    my_cases = reverse("cases:my_cases")
    page.goto(my_cases)
    expect(heading).to_have_text(nl("Choose a new password"))
    expect(page.get_by_role("link", name=nl("Cancel"))).to_have_count(0)

    # A password built on her name is refused, and the page says what to do.
    _fill(page, "carla12345678")
    expect(page.get_by_role("alert")).to_contain_text(
        nl(
            "This password looks like your name, username or e-mail address. Choose a "
            "password that does not look like your name, such as a sentence of a few words."
        )
    )
    expect(heading).to_have_text(nl("Choose a new password"))
    axe.check(page)
    carla.refresh_from_db()
    assert carla.must_change_password

    # A sentence of a few words is accepted: on to "Mijn zaken".
    _fill(page, NEW)
    expect(page).to_have_url(live_server.url + my_cases)
    expect(page.get_by_text(nl("Your password has been changed."))).to_be_visible()
    axe.check(page)
    carla.refresh_from_db()
    assert not carla.must_change_password
    assert carla.check_password(NEW)
    axe.assert_no_violations()
