"""A `next` that is no path on this site is ignored, never handed to redirect() as a view name
(issue 14 point 5: the fuzz of tests/fuzz found `?next=0` answered with a 500)."""

import pytest
from django.test import Client
from django.urls import reverse

from kring.testing.auth import force_verified_login
from kring.testing.users import PASSWORD


@pytest.mark.parametrize("next_url", ["0", "x", "cases:inbox", "accounts:logout", "."])
def test_a_signed_in_user_with_a_next_that_is_no_path_goes_to_the_start_page(carla, next_url):
    client = Client(raise_request_exception=False)
    force_verified_login(client, carla)
    response = client.get(reverse("accounts:login"), {"next": next_url})
    assert response.status_code == 302
    assert response.url == reverse("cases:my_cases")


@pytest.mark.parametrize("next_url", ["0", "cases:inbox"])
def test_a_password_with_a_next_that_is_no_path_goes_to_the_start_page(carla, settings, next_url):
    settings.DEMO_MODE = True  # no second factor: straight on after the password
    client = Client(raise_request_exception=False)
    response = client.post(
        reverse("accounts:login"), {"username": "carla", "password": PASSWORD, "next": next_url}
    )
    assert response.status_code == 302
    assert response.url == reverse("cases:my_cases")
