"""The empty request form is answered from the process's copy for anonymous visitors (issue 15,
docs/adr/0019-request-form-page-cache.md): the same page and headers as when it is rendered, a
fresh CSRF token in every answer, and never a copy where the page would differ.

A response from the copy renders no template: the test client lists none in
`response.templates`. That is how these tests tell a copy from a rendered page."""

import re

import pytest
from django.contrib.auth.models import AnonymousUser
from django.contrib.messages.storage.fallback import FallbackStorage
from django.middleware.csrf import get_token
from django.test import Client
from django.urls import reverse

from kring.core import page_cache
from kring.referrals import views
from kring.referrals.forms import HONEYPOT_FIELD
from kring.referrals.tests.helpers import form_data

pytestmark = pytest.mark.django_db

FORM = reverse("referrals:new")
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([A-Za-z0-9]{64})"')


@pytest.fixture(autouse=True)
def _no_copies():
    page_cache.clear()
    yield
    page_cache.clear()


def visitor(language: str = "nl", **kwargs) -> Client:
    return Client(headers={"accept-language": language}, **kwargs)


def from_copy(response) -> bool:
    return response.status_code == 200 and not response.templates


def tokens(response) -> list[str]:
    return TOKEN.findall(response.content.decode())


def without_tokens(response) -> str:
    return TOKEN.sub('name="csrfmiddlewaretoken" value="TOKEN"', response.content.decode())


def cookies(response) -> dict:
    """Each cookie with its attributes; the value's length, not the value (a new secret each
    time); `expires` is left out (a date to the second, from the clock)."""
    return {
        name: (len(morsel.value), {k: v for k, v in morsel.items() if k != "expires"})
        for name, morsel in response.cookies.items()
    }


def rendered(settings, language: str, client: Client | None = None):
    """The page as the view renders it for anyone: with DEBUG on, nothing is kept."""
    settings.DEBUG = True
    try:
        response = (client or visitor(language)).get(FORM)
    finally:
        settings.DEBUG = False
    assert response.templates, "with DEBUG on, the page is rendered"
    return response


def kept(language: str, client: Client | None = None):
    visitor(language).get(FORM)  # someone else's visit makes the copy
    response = (client or visitor(language)).get(FORM)
    assert from_copy(response)
    return response


@pytest.mark.parametrize("language", ["nl", "en"])
def test_the_copy_is_the_rendered_page_with_the_same_headers_and_cookies(settings, language):
    plain = rendered(settings, language)
    copy = kept(language)

    assert copy.status_code == plain.status_code == 200
    assert f'<html lang="{language}">' in copy.content.decode()
    assert without_tokens(copy) == without_tokens(plain)
    assert len(tokens(copy)) == len(tokens(plain)) == 2  # the language switch and the form
    assert dict(copy.headers) == dict(plain.headers)
    assert cookies(copy) == cookies(plain)
    assert "csrftoken" in cookies(copy)


def test_a_visitor_with_a_csrf_cookie_gets_it_renewed_as_from_a_rendered_page(settings):
    first, second = visitor(), visitor()
    plain = rendered(settings, "nl", first)
    plain_again = rendered(settings, "nl", first)
    second.get(FORM)
    copy_again = kept("nl", second)

    assert cookies(copy_again) == cookies(plain_again)
    assert dict(copy_again.headers) == dict(plain_again.headers)
    # The secret stays the browser's: the cookie is sent again with the same value.
    assert plain_again.cookies["csrftoken"].value == plain.cookies["csrftoken"].value
    assert copy_again.cookies["csrftoken"].value == second.cookies["csrftoken"].value


def test_both_tokens_on_a_page_from_the_copy_are_one_fresh_token():
    page = kept("nl")
    form_token, switch_token = tokens(page)
    assert form_token == switch_token  # as on a rendered page: the one token of the request
    assert page_cache._PLACEHOLDER not in page.content.decode()


def test_every_answer_from_the_copy_carries_its_own_token():
    browser = visitor()
    browser.get(FORM)
    one, two = browser.get(FORM), browser.get(FORM)
    three = kept("nl")
    assert from_copy(one) and from_copy(two)
    assert len({tokens(one)[0], tokens(two)[0], tokens(three)[0]}) == 3


def test_a_request_sent_with_the_token_of_a_page_from_the_copy_is_accepted():
    visitor().get(FORM)
    petra = visitor(enforce_csrf_checks=True)
    page = petra.get(FORM)
    assert from_copy(page)

    response = petra.post(FORM, {**form_data(), "csrfmiddlewaretoken": tokens(page)[0]})

    assert response.status_code == 302
    assert response["Location"] == reverse("referrals:sent")


def test_a_request_without_the_token_is_still_refused():
    visitor().get(FORM)
    petra = visitor(enforce_csrf_checks=True)
    assert from_copy(petra.get(FORM))
    response = petra.post(FORM, form_data())
    assert response.status_code == 403


def test_the_language_switch_on_a_page_from_the_copy_gives_the_other_language():
    visitor("nl").get(FORM)
    kept("en")
    petra = visitor("nl", enforce_csrf_checks=True)
    dutch = petra.get(FORM)
    assert from_copy(dutch)
    assert '<html lang="nl">' in dutch.content.decode()

    switched = petra.post(
        reverse("set_language"),
        {"language": "en", "next": FORM, "csrfmiddlewaretoken": tokens(dutch)[0]},
    )
    assert switched.status_code == 302
    english = petra.get(switched["Location"])

    assert from_copy(english)
    assert '<html lang="en">' in english.content.decode()
    assert "<h1>Ask for a conference</h1>" in english.content.decode()
    assert '<html lang="nl">' in visitor("nl").get(FORM).content.decode()


def test_a_signed_in_user_gets_a_rendered_page_with_their_name_kept_for_nobody(as_user, carla):
    kept("nl")
    kept("en")
    browser = as_user(carla)
    for _ in range(2):
        response = browser.get(FORM)
        assert response.status_code == 200
        assert response.templates
        assert "(carla)" in response.content.decode()
        assert "no-store" in response["Cache-Control"]
    for language in ("nl", "en"):
        assert "(carla)" not in visitor(language).get(FORM).content.decode()


def test_a_query_string_gets_a_rendered_page_that_returns_to_it():
    kept("nl")
    response = visitor().get(FORM, {"van": "school"})
    assert response.templates
    assert f'name="next" value="{FORM}?van=school"' in response.content.decode()


def test_a_waiting_message_gets_a_rendered_page_that_shows_it(as_user, carla):
    kept("en")
    browser = as_user(carla)
    browser.post(reverse("accounts:logout"))  # leaves "You have been logged out."

    response = browser.get(FORM, headers={"accept-language": "en"})

    assert response.templates
    assert "You have been logged out." in response.content.decode()
    assert from_copy(browser.get(FORM, headers={"accept-language": "en"}))  # shown once


def test_a_sent_form_is_never_answered_from_the_copy():
    kept("nl")
    response = visitor().post(FORM, form_data(requester_name=""))
    assert response.status_code == 200
    assert response.templates
    assert "data-error-summary" in response.content.decode()


def test_with_debug_on_every_page_is_rendered(settings):
    settings.DEBUG = True
    browser = visitor()
    browser.get(FORM)
    assert browser.get(FORM).templates


def test_a_changed_setting_makes_a_new_copy(settings):
    kept("nl")
    settings.KRING_ORGANISATION = "Stichting Anders"
    response = visitor().get(FORM)
    assert response.templates
    assert "Stichting Anders" in response.content.decode()


class _ReadsTheToken:
    """Prints the honeypot's name, reading the request's CSRF token on the way, as a page that
    took its token by another way than csrf_token would."""

    def __init__(self, request):
        self.request = request

    def __str__(self):
        get_token(self.request)
        return HONEYPOT_FIELD


def test_a_page_that_reads_the_token_itself_is_answered_as_rendered_and_not_kept(rf):
    request = rf.get(FORM)
    request.user = AnonymousUser()
    request.session = {}
    request._messages = FallbackStorage(request)

    def context():
        return {**views._empty_form_context(), "honeypot_field": _ReadsTheToken(request)}

    response = page_cache.anonymous_page(request, views.FORM_TEMPLATE, context)

    assert f'name="{HONEYPOT_FIELD}"' in response.content.decode()
    assert request.META["CSRF_COOKIE_NEEDS_UPDATE"]  # the middleware will set the cookie
    assert not page_cache._pages
