"""Lockout that cannot be turned against a user (issue 14, point 3; docs/adr/0013-lockout.md), in
a real browser, in Dutch, on a phone. Strangers on many addresses try Carla's username with wrong
passwords. On the train (an address she never signed in from) her right password is refused with
a message that says why and when to try again; at the office, where she signed in before, she
signs in as always, with her password and the code from her app. axe-core checks every page.

The addresses come from a proxy header (KRING_CLIENT_IP_HEADER), as behind a reverse proxy: the
live server sees every browser at 127.0.0.1."""

from datetime import UTC, datetime, timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from kring.accounts import throttle
from kring.testing.users import PASSWORD
from tests.browser.conftest import PHONE
from tests.browser.ui import log_in, nl

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

OFFICE = "192.0.2.10"
TRAIN = "203.0.113.5"
SLOWED = (
    "There were many failed attempts to sign in with this username, so signing in with this "
    "username is slowed down. Try again after %(time)s."
)


def test_strangers_slow_carla_down_on_the_train_but_not_at_the_office(
    new_context, live_server, axe, authenticator, carla, settings, monkeypatch
):
    settings.KRING_CLIENT_IP_HEADER = "HTTP_X_REAL_IP"
    device = authenticator(carla)

    def phone_at(address):
        context = new_context(
            viewport=PHONE,
            is_mobile=True,
            has_touch=True,
            extra_http_headers={"X-Real-IP": address},
        )
        return axe.watch(context.new_page())

    office = phone_at(OFFICE)
    log_in(office, carla, device, axe)
    axe.check(office)
    office.get_by_role("button", name=nl("Log out")).click()

    # Strangers, each from their own address, below the limit per address and per pair, for a
    # while: the clock moves on by each wait, so that the wait grows to its longest.
    ahead = timedelta()
    monkeypatch.setattr(timezone, "now", lambda: datetime.now(UTC) + ahead)
    for n in range(settings.KRING_LOGIN_SLOWDOWN_AFTER + 8):
        Client().post(
            reverse("accounts:login"),
            {"username": "carla", "password": "raden-maar"},
            HTTP_X_REAL_IP=f"198.51.100.{n + 1}",
        )
        wait = timedelta(seconds=throttle.slowdown_seconds(n + 1))
        ahead += wait
    ahead -= wait  # back to the last failure: its wait (the longest, 3 minutes) still runs

    train = phone_at(TRAIN)
    train.goto(reverse("accounts:login"))
    train.get_by_label(nl("Username")).fill("carla")
    train.get_by_label(nl("Password")).fill(PASSWORD)
    train.get_by_role("button", name=nl("Log in"), exact=True).click()
    summary = train.get_by_role("alert")
    expect(summary).to_contain_text(nl(SLOWED).split("%(time)s")[0].strip())
    expect(train.get_by_role("heading", level=1)).to_have_text(nl("Log in"))
    axe.check(train)

    # At the office the right password still works, after the code from her app.
    log_in(office, carla, device, axe)
    expect(office.get_by_role("heading", level=1)).to_be_visible()
    axe.check(office)

    axe.assert_no_violations()
