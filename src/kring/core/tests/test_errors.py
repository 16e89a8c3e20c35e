"""Kring's error pages (issue 14, finding 4 and point 6): 400, 403, the CSRF failure, 404, 429
and 500 in Kring's layout, in Dutch and English, with what to do next, never with internals,
always with the security headers and never cached."""

import pytest
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from kring.core import errors

TEST_URLS = "kring.core.tests.error_urls"
LANGUAGES = ["nl", "en"]

# What a visitor reads as the page's heading, in each language (the Dutch as the catalogue has
# it, so that a missing translation fails here too).
TITLES = {
    400: {"nl": "Kring kon niet verwerken wat er is verstuurd"},
    403: {"nl": "Je hebt geen toegang tot deze pagina"},
    "csrf": {"nl": "Dit formulier kon niet worden verstuurd"},
    404: {"nl": "Deze pagina bestaat niet"},
    429: {"nl": "Te veel pogingen"},
    500: {"nl": "Er ging iets mis"},
}
ENGLISH = {
    400: "Kring could not handle what was sent",
    403: "You do not have access to this page",
    "csrf": "This form could not be sent",
    404: "This page does not exist",
    429: "Too many tries",
    500: "Something went wrong",
}
# Django's own pages, and what an exception would leave in one.
INTERNALS = [
    "Traceback",
    "URLconf",
    "urlpatterns",
    "RuntimeError",
    "SELECT",
    "KRING_SECRET_KEY",
    "kring.env",
    "DEBUG",
    "CSRF verification failed",
    "CSRF cookie",
    "Bad Request",
    "Server Error",
    "Forbidden",
    "Not Found",
]


def visitor(language: str, **kwargs) -> Client:
    return Client(headers={"accept-language": language}, **kwargs)


def title(kind, language: str) -> str:
    return ENGLISH[kind] if language == "en" else TITLES[kind][language]


def assert_kring_page(response, kind, language: str, status: int) -> str:
    html = response.content.decode()
    assert response.status_code == status
    assert f'<html lang="{language}">' in html
    assert f"<h1>{title(kind, language)}</h1>" in html
    assert f"<title>{title(kind, language)} – Kring</title>" in html
    assert 'class="skip-link" href="#main"' in html  # Kring's layout, not Django's bare page
    assert '<main id="main"' in html
    for internal in INTERNALS:
        assert internal not in html, internal
    return html


def home_link(language: str) -> str:
    with translation.override(language):
        return f'<a href="/">{gettext("Back to the start page")}</a>'


def assert_headers(response, *, portal: bool = False) -> None:
    csp = response["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "frame-ancestors 'none'" in csp
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == ("no-referrer" if portal else "same-origin")
    assert "no-store" in response["Cache-Control"]


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_wrong_address_gets_kring_page_not_found(db, language):
    response = visitor(language).get("/bestaat-niet/")
    html = assert_kring_page(response, 404, language, 404)
    assert home_link(language) in html
    assert_headers(response)


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_page_the_role_may_not_open_gets_kring_no_access_page(as_user, carla, language):
    client = as_user(carla)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = language
    response = client.get(reverse("audit:log"))  # the manager's page only
    html = assert_kring_page(response, 403, language, 403)
    assert home_link(language) in html
    assert_headers(response)


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_form_posted_without_its_csrf_token_says_to_reload_the_page(db, language):
    client = visitor(language, enforce_csrf_checks=True)
    client.get(reverse("referrals:new"))  # the form's page sets the CSRF cookie
    response = client.post(reverse("referrals:new"), {"description": "Mijn fiets is stuk"})
    html = assert_kring_page(response, "csrf", language, 403)
    with translation.override(language):
        assert gettext("Go back to the previous page, reload it, and try again.") in html
    assert "Mijn fiets" not in html
    assert_headers(response)


def test_a_form_posted_without_the_cookie_also_asks_to_allow_cookies(db):
    response = visitor("nl", enforce_csrf_checks=True).post(reverse("referrals:new"), {})
    html = assert_kring_page(response, "csrf", "nl", 403)
    assert "Kijk of je browser cookies van deze website toestaat." in html


def test_the_reload_advice_links_back_to_the_form_it_came_from(db):
    client = visitor("en", enforce_csrf_checks=True)
    client.get(reverse("referrals:new"))
    form = f"http://testserver{reverse('referrals:new')}"
    response = client.post(reverse("referrals:new"), {}, headers={"referer": form})
    assert (
        f'<a href="{reverse("referrals:new")}">Open the form again</a>' in response.content.decode()
    )
    # A referrer on another site is never offered as a link.
    response = client.post(
        reverse("referrals:new"), {}, headers={"referer": "https://elders.example/form/"}
    )
    assert "elders.example" not in response.content.decode()


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_body_of_twenty_megabytes_gets_kring_bad_request_page(db, language):
    body = b"description=" + b"x" * (20 * 1024 * 1024)
    response = visitor(language).post(
        reverse("referrals:new"), body, content_type="application/x-www-form-urlencoded"
    )
    html = assert_kring_page(response, 400, language, 400)
    assert home_link(language) in html
    assert_headers(response)


@pytest.mark.parametrize("language", LANGUAGES)
def test_two_thousand_fields_get_kring_bad_request_page(db, language):
    body = "&".join(f"field{i}=x" for i in range(2000))
    response = visitor(language).post(
        reverse("referrals:new"), body, content_type="application/x-www-form-urlencoded"
    )
    assert_kring_page(response, 400, language, 400)
    assert_headers(response)


@pytest.mark.urls(TEST_URLS)
@pytest.mark.parametrize("language", LANGUAGES)
def test_too_many_tries_gets_kring_page_with_when_to_try_again(db, language):
    response = visitor(language).get("/test-te-veel/")
    html = assert_kring_page(response, 429, language, 429)
    assert response["Retry-After"] == "3600"
    assert home_link(language) in html
    assert_headers(response)


@pytest.mark.urls(TEST_URLS)
@pytest.mark.parametrize("language", LANGUAGES)
def test_a_failure_gets_kring_page_without_any_internals(db, language):
    response = visitor(language, raise_request_exception=False).get("/test-fout/")
    html = assert_kring_page(response, 500, language, 500)
    assert home_link(language) in html
    assert_headers(response)


def test_the_failure_page_needs_no_database_and_no_session():
    # No `db` fixture: any query would fail this test. No session, no user, no middleware.
    request = RequestFactory().get("/zaken/12/")
    with translation.override("nl"):
        response = errors.server_error(request)
    html = response.content.decode()
    assert response.status_code == 500
    assert "<h1>Er ging iets mis</h1>" in html
    assert_headers_set_by_the_handler(response)


def assert_headers_set_by_the_handler(response) -> None:
    """The handler sets the headers itself: a failure inside a middleware skips the middleware
    further in (X-Frame-Options, for one)."""
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "frame-ancestors 'none'" in response["Content-Security-Policy"]
    assert "no-store" in response["Cache-Control"]


@pytest.mark.parametrize(
    "handler", [errors.bad_request, errors.permission_denied, errors.page_not_found]
)
def test_each_handler_sets_the_headers_itself(db, handler):
    request = RequestFactory().get("/")
    from django.contrib.auth.models import AnonymousUser

    request.user = AnonymousUser()
    response = handler(request, Exception("internal detail"))
    assert "internal detail" not in response.content.decode()
    assert_headers_set_by_the_handler(response)


def test_a_wrong_portal_address_gets_the_participant_page_and_no_referrer(db):
    response = visitor("nl").get("/portaal/bestaat-niet/")
    html = assert_kring_page(response, 404, "nl", 404)
    assert '<a href="/portaal/">Terug naar je pagina</a>' in html
    assert "Werkt je link niet? Vraag je coördinator om een nieuwe." in html
    assert "portal.css" in html
    assert_headers(response, portal=True)


@pytest.mark.urls(TEST_URLS)
def test_a_failure_on_a_personal_link_never_puts_the_token_in_the_page(db):
    token = "geheim-token-van-daan-0123456789abcdefghijkl"
    response = visitor("nl", raise_request_exception=False).get(f"/p/{token}/test-fout/")
    html = assert_kring_page(response, 500, "nl", 500)
    assert token not in html
    assert "Gaat het steeds mis? Neem contact op met je coördinator." in html
    assert_headers(response, portal=True)


def test_a_portal_form_posted_without_its_token_gets_the_participant_page(db):
    client = visitor("nl", enforce_csrf_checks=True)
    response = client.post(reverse("portal:respond"), {})
    html = assert_kring_page(response, "csrf", "nl", 403)
    assert '<a href="/portaal/">Terug naar je pagina</a>' in html
    assert_headers(response, portal=True)


def test_the_language_switch_on_a_personal_link_error_page_never_holds_the_token(db):
    token = "geheim-token-van-daan-0123456789abcdefghijkl"
    client = visitor("nl", enforce_csrf_checks=True)
    response = client.post(f"/p/{token}/", {})
    assert response.status_code == 403
    assert token not in response.content.decode()


def test_the_portal_prefixes_are_the_portal_addresses():
    assert reverse("portal:home").startswith(errors.PORTAL_PREFIXES)
    assert reverse("portal:code").startswith(errors.PORTAL_PREFIXES)
    assert reverse("portal:enter", args=["x"]).startswith(errors.PORTAL_PREFIXES)
    assert not reverse("core:home").startswith(errors.PORTAL_PREFIXES)
    assert not reverse("referrals:new").startswith(errors.PORTAL_PREFIXES)


def test_csrf_failures_use_kring_page(settings):
    assert settings.CSRF_FAILURE_VIEW == "kring.core.errors.csrf_failure"


@pytest.mark.urls(TEST_URLS)
def test_an_error_answer_of_any_view_is_never_cached_either(db):
    # A form sent back with what was typed in it (the request form over its limit does so, and
    # sees to it itself): kring.core.middleware keeps every error answer out of every cache.
    response = visitor("en").get("/test-formulier-terug/")
    assert response.status_code == 400
    assert "no-store" in response["Cache-Control"]


def test_a_host_kring_does_not_serve_gets_kring_bad_request_page(db):
    response = visitor("nl").get("/", HTTP_HOST="elders.example")
    html = assert_kring_page(response, 400, "nl", 400)
    assert "elders.example" not in html
    assert_headers(response)
