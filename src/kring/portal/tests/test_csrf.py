"""Forms on portal pages (Referrer-Policy: no-referrer) are posted by browsers with
`Origin: null`; the CSRF token decides for them. Everywhere else Django's check is unchanged."""

import pytest
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.fixture
def browser():
    """A client that enforces CSRF as a browser meets it, with a CSRF cookie from a page."""
    client = Client(enforce_csrf_checks=True, HTTP_ACCEPT_LANGUAGE="en")
    client.get(reverse("portal:home"))  # the plain page carries a form, so it sets the cookie
    return client


def token(client) -> str:
    return client.cookies["csrftoken"].value


def test_a_portal_form_posted_with_origin_null_passes_the_csrf_check(browser):
    response = browser.post(
        reverse("portal:respond"),
        {"answer": "accept", "csrfmiddlewaretoken": token(browser)},
        HTTP_ORIGIN="null",
    )

    # Past the CSRF check: without a portal session, the plain "link not valid" page.
    assert response.status_code == 404


def test_a_portal_post_with_origin_null_but_without_the_token_is_refused(browser):
    response = browser.post(reverse("portal:respond"), {"answer": "accept"}, HTTP_ORIGIN="null")

    assert response.status_code == 403


def test_a_portal_post_from_another_site_is_refused(browser):
    response = browser.post(
        reverse("portal:respond"),
        {"answer": "accept", "csrfmiddlewaretoken": token(browser)},
        HTTP_ORIGIN="https://evil.example",
    )

    assert response.status_code == 403


def test_a_staff_form_posted_with_origin_null_is_refused(browser):
    response = browser.post(
        reverse("accounts:login"),
        {"username": "carla", "password": "x", "csrfmiddlewaretoken": token(browser)},
        HTTP_ORIGIN="null",
    )

    assert response.status_code == 403


def test_the_language_switch_on_a_portal_page_works_with_origin_null(browser):
    response = browser.post(
        reverse("set_language"),
        {"language": "en", "next": reverse("portal:home"), "csrfmiddlewaretoken": token(browser)},
        HTTP_ORIGIN="null",
    )

    assert response.status_code == 302
