"""What a browser test needs to read and act like a user: the interface's own words, and
signing in through the real pages."""

from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext
from playwright.sync_api import Page, expect

from kring.testing.auth import fresh_totp_code
from kring.testing.factories import PASSWORD


def nl(msgid, **params) -> str:
    """The text a Dutch visitor sees for `msgid` (the English source text in the templates).

    Read from Kring's own catalogue, so the tests select by the words on the screen whether or
    not a translation has been filled in yet, and keep working when one is reworded.
    """
    with translation.override("nl"):
        text = gettext(msgid) if isinstance(msgid, str) else str(msgid)  # or a lazy label
    return text % params if params else text


def log_in(page: Page, user, device, axe) -> None:
    """Sign in as a staff member would: username and password, then the code from the app."""
    page.goto(reverse("accounts:login"))
    axe.check(page)
    page.get_by_label(nl("Username")).fill(user.username)
    page.get_by_label(nl("Password")).fill(PASSWORD)
    page.get_by_role("button", name=nl("Log in"), exact=True).click()

    expect(page.get_by_role("heading", level=1)).to_have_text(nl("Enter your verification code"))
    axe.check(page)
    code = fresh_totp_code(device)
    assert code is not None, "no unused TOTP step left for this device"
    page.get_by_label(nl("Verification code")).fill(code)
    page.get_by_role("button", name=nl("Continue"), exact=True).click()
    expect(page.get_by_role("button", name=nl("Log out"))).to_be_visible()
