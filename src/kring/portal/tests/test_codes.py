"""The letter code at the short address (issue 8, point 4): a right code opens the participant's
page as the link does; a mistyped one gets "check the code" with the code shown back in groups;
a superseded one says there is a newer invitation and is not counted; wrong codes are throttled
per address and over all addresses, apart from wrong links."""

import logging

import pytest
from django.urls import reverse

from kring.circle import actions, links
from kring.circle.models import Invitation
from kring.core.models import RateLimitHit
from kring.portal import access, codes
from kring.portal.tests.conftest import enter_url, in_english

CODE_URL = "/code/"
CHECK = "Check the code. You typed %s. Compare it with the code in your letter."
NEWER = "There is a newer invitation"


@pytest.fixture
def daan_sent(daan_acknowledged, sanne, joost, carla):
    """Daan is invited by letter: the letter carries his link and his code."""
    return actions.invite(daan_acknowledged, channel=Invitation.Channel.LETTER, by=carla)


@pytest.fixture
def browser(client):
    return in_english(client)


def _post(client, code, **extra):
    return client.post(CODE_URL, {"code": code}, **extra)


def _one_wrong(code: str) -> str:
    """`code` with its last character changed: one typing mistake."""
    return code[:-1] + ("X" if code[-1] != "X" else "Y")


def _guesses() -> int:
    """Wrong codes counted against this address (the total over all addresses aside)."""
    hits = RateLimitHit.objects.filter(key__startswith="portal-code:").exclude(
        key=codes.ALL_ADDRESSES_KEY
    )
    return sum(hits.values_list("count", flat=True))


def test_the_short_address_is_slash_code():
    assert reverse("portal:code") == CODE_URL
    assert links.code_url().endswith(CODE_URL)


def test_the_code_page_asks_for_the_code_and_is_not_stored(browser):
    response = browser.get(CODE_URL)

    page = response.content.decode()
    assert response.status_code == 200
    assert "Type in your code" in page
    assert 'name="code"' in page and 'autocomplete="off"' in page
    assert response["Referrer-Policy"] == "no-referrer"
    assert "no-store" in response["Cache-Control"]


def test_the_right_code_opens_daans_page(browser, daan, daan_sent):
    typed = links.grouped(daan_sent.code).lower().replace("-", " ")

    response = _post(browser, typed)

    assert response.status_code == 303
    assert response["Location"] == reverse("portal:home")
    assert browser.session[access.PARTICIPANT_KEY] == daan.pk
    assert "Daan de Boer" in browser.get(reverse("portal:home")).content.decode()
    assert _guesses() == 0


def test_a_code_with_one_wrong_character_gets_check_the_code_with_the_groups(browser, daan_sent):
    wrong = _one_wrong(daan_sent.code)

    response = _post(browser, wrong.lower())

    page = response.content.decode()
    assert response.status_code == 200
    assert CHECK % links.grouped(wrong) in page
    assert f'value="{links.grouped(wrong)}"' in page  # ready to correct, in groups
    assert access.PARTICIPANT_KEY not in browser.session
    assert _guesses() == 1  # a well-formed code that opens nothing counts


def test_one_wrong_character_reveals_nothing_a_random_code_would_not(browser, daan_sent):
    near = _post(browser, _one_wrong(daan_sent.code)).content.decode()
    far = _post(browser, "ZZZZ-ZZZZ-ZZZZ").content.decode()

    def without(page, code):
        return page.replace(links.grouped(code), "<code>")

    near = without(near, _one_wrong(daan_sent.code))
    far = without(far, "ZZZZZZZZZZZZ")
    assert near.split("csrfmiddlewaretoken")[0] == far.split("csrfmiddlewaretoken")[0]


@pytest.mark.parametrize("typed", ["7KQ4-M2XD-9HB", "7KQ4-M2XD-9HBU", "7KQ4 M2XD 9HBR 5"])
def test_what_cannot_be_a_code_gets_the_same_help_and_is_not_counted(browser, daan_sent, typed):
    response = _post(browser, typed)

    assert response.status_code == 200
    assert CHECK % links.grouped(links.squeeze(typed)) in response.content.decode()
    assert _guesses() == 0


@pytest.mark.parametrize("typed", ["   ", " - - "])
def test_an_empty_code_asks_for_it(browser, daan_sent, typed):
    response = _post(browser, typed)

    assert "Type the code from your letter." in response.content.decode()
    assert _guesses() == 0


def test_a_superseded_code_says_there_is_a_newer_invitation_and_is_not_counted(
    browser, daan, daan_sent, carla, settings
):
    settings.KRING_PORTAL_CODE_GUESSES_PER_HOUR = 1
    actions.reissue_link(daan, by=carla)

    responses = [_post(browser, daan_sent.code) for _ in range(3)]

    assert [r.status_code for r in responses] == [410, 410, 410]
    assert NEWER in responses[-1].content.decode()
    assert access.PARTICIPANT_KEY not in browser.session
    assert _guesses() == 0


def test_a_superseded_link_is_not_counted_either(browser, daan, daan_sent, carla, settings):
    settings.KRING_PORTAL_GUESSES_PER_HOUR = 1
    actions.reissue_link(daan, by=carla)

    responses = [browser.get(enter_url(daan_sent.token)) for _ in range(3)]

    assert [r.status_code for r in responses] == [410, 410, 410]
    assert NEWER in responses[-1].content.decode()
    assert not RateLimitHit.objects.exists()


def test_many_wrong_codes_are_throttled_even_for_the_right_one(browser, daan, daan_sent, settings):
    settings.KRING_PORTAL_CODE_GUESSES_PER_HOUR = 3
    for _ in range(3):
        assert _post(browser, "ZZZZ-ZZZZ-ZZZZ").status_code == 200

    over = _post(browser, "YYYY-YYYY-YYYY")
    right = _post(browser, daan_sent.code)

    assert over.status_code == 429
    assert "Too many codes that do not work were typed in." in over.content.decode()
    assert right.status_code == 429
    assert over["Retry-After"] == "3600"
    assert access.PARTICIPANT_KEY not in browser.session


def test_wrong_codes_do_not_lock_the_links_of_the_same_address(browser, daan, daan_sent, settings):
    settings.KRING_PORTAL_CODE_GUESSES_PER_HOUR = 2
    for _ in range(3):
        _post(browser, "ZZZZ-ZZZZ-ZZZZ")

    response = browser.get(enter_url(daan_sent.token))

    assert response.status_code == 303


def test_wrong_codes_count_per_address(client, daan, daan_sent, settings):
    settings.KRING_PORTAL_CODE_GUESSES_PER_HOUR = 2
    for _ in range(3):
        _post(client, "ZZZZ-ZZZZ-ZZZZ", REMOTE_ADDR="198.51.100.7")

    response = _post(client, daan_sent.code, REMOTE_ADDR="198.51.100.8")

    assert response.status_code == 303


def test_wrong_codes_from_all_addresses_together_are_bounded(client, daan, daan_sent, settings):
    """Many addresses each below their own limit still cannot try more than the total."""
    settings.KRING_PORTAL_CODE_GUESSES_PER_HOUR = 5
    settings.KRING_PORTAL_CODE_GUESSES_PER_HOUR_ALL = 4
    for i in range(4):
        _post(client, "ZZZZ-ZZZZ-ZZZZ", REMOTE_ADDR=f"198.51.100.{i}")

    over = _post(client, "ZZZZ-ZZZZ-ZZZY", REMOTE_ADDR="198.51.100.50")
    right = _post(client, daan_sent.code, REMOTE_ADDR="198.51.100.51")

    assert over.status_code == 429
    assert right.status_code == 429
    # The link, with its own count, still works.
    assert client.get(enter_url(daan_sent.token), REMOTE_ADDR="198.51.100.51").status_code == 303


def test_the_throttle_keys_hold_neither_the_code_nor_the_address(client, daan_sent):
    _post(client, "ZZZZ-ZZZZ-ZZZZ", REMOTE_ADDR="198.51.100.7")

    keys = list(RateLimitHit.objects.values_list("key", flat=True))

    assert codes.ALL_ADDRESSES_KEY in keys and len(keys) == 2
    assert not any("198.51.100.7" in key or "ZZZZ" in key for key in keys)


def test_the_code_appears_in_no_log_record(browser, daan_sent, caplog):
    caplog.set_level(logging.DEBUG)

    _post(browser, daan_sent.code)
    _post(browser, _one_wrong(daan_sent.code))

    for record in caplog.records:
        text = record.getMessage() + repr(record.args)
        assert daan_sent.code not in text
        assert links.grouped(daan_sent.code) not in text


def test_the_code_page_speaks_dutch(client, daan_sent, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "nl"
    wrong = _one_wrong(daan_sent.code)

    page = _post(client, wrong).content.decode()

    assert "Vul je code in" in page
    assert f"Controleer de code. Je typte {links.grouped(wrong)}." in page
