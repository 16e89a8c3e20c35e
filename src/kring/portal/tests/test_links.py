"""Personal links (issue 3, point 7): exchanged for a session, the token out of the address bar
and out of every log, one plain page for every link that does not work, guessing throttled."""

import logging
import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from kring.cases.models import CaseEvent
from kring.circle import actions, links
from kring.circle.models import Consent, Nomination, Participant, PersonalLink
from kring.portal import access
from kring.portal.tests.conftest import enter_url, in_english
from kring.testing.auth import force_verified_login

INVALID_TEXT = "This link does not work (any more). Ask your coordinator for a new one."
CSRF_VALUE = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"')


def _body(response) -> str:
    """The page without its per-response CSRF value (masked differently on every render)."""
    return CSRF_VALUE.sub("", response.content.decode())


def test_a_live_link_opens_the_portal_and_leaves_the_address_bar(client, daan, daan_token):
    response = client.get(enter_url(daan_token))

    assert response.status_code == 303
    assert response["Location"] == reverse("portal:home") == "/portaal/"
    assert daan_token not in response["Location"]
    assert client.session[access.PARTICIPANT_KEY] == daan.pk
    assert PersonalLink.objects.get(participant=daan).last_used_at is not None
    page = client.get(response["Location"])
    assert page.status_code == 200
    assert "Daan de Boer" in page.content.decode()


def test_entering_starts_a_new_session_key(client, daan_token):
    client.get(reverse("portal:home"))
    session = client.session
    session["something"] = "before"
    session.save()
    before = session.session_key

    client.get(enter_url(daan_token))

    assert client.session.session_key != before


def test_the_old_link_after_reissue_says_there_is_a_newer_invitation(
    client, daan, daan_token, carla
):
    """Issue 8, point 4: a real link that a newer one replaced says so, and opens nothing."""
    actions.reissue_link(daan, by=carla)

    response = client.get(enter_url(daan_token))

    assert response.status_code == 410
    assert "There is a newer invitation" in response.content.decode()
    assert INVALID_TEXT not in response.content.decode()
    assert access.PARTICIPANT_KEY not in client.session


def test_reissue_ends_a_portal_session_opened_with_the_old_link(as_daan, daan, carla):
    actions.reissue_link(daan, by=carla)

    response = as_daan.get(reverse("portal:home"))

    assert response.status_code == 404
    assert INVALID_TEXT in response.content.decode()
    assert "Daan" not in response.content.decode()


def test_an_expired_link_shows_the_invalid_page(client, daan, daan_token):
    PersonalLink.objects.filter(participant=daan).update(
        expires_at=timezone.now() - timedelta(minutes=1)
    )

    response = client.get(enter_url(daan_token))

    assert response.status_code == 404
    assert INVALID_TEXT in response.content.decode()


def test_a_revoked_link_shows_the_invalid_page(client, daan, daan_token):
    links.revoke(daan)

    response = client.get(enter_url(daan_token))

    assert response.status_code == 404
    assert INVALID_TEXT in response.content.decode()


def test_an_unknown_token_shows_the_invalid_page(client, daan_token):
    response = client.get(enter_url("x" * 43))

    assert response.status_code == 404
    assert INVALID_TEXT in response.content.decode()


def test_unknown_expired_and_revoked_links_get_identical_pages(
    client, daan, sanne, joost, daan_token, sanne_token, carla
):
    """Only a link that a newer invitation replaced is told apart (see above)."""
    joost_token = actions.invite(joost, channel="letter", by=carla).token
    PersonalLink.objects.filter(participant=sanne).update(
        expires_at=timezone.now() - timedelta(seconds=1)
    )
    links.revoke(joost)  # revoked, and no newer link

    responses = [
        client.get(enter_url(token))
        for token in ("unknown-token-" + "a" * 30, sanne_token, joost_token)
    ]

    assert {r.status_code for r in responses} == {404}
    bodies = {_body(r) for r in responses}
    assert len(bodies) == 1
    body = bodies.pop()
    assert INVALID_TEXT in body
    for token in (sanne_token, joost_token):
        assert token not in body


def test_a_get_only_visit_changes_nothing(client, daan, daan_token):
    daan.refresh_from_db()
    events = CaseEvent.objects.filter(case=daan.case).count()
    status = daan.status

    client.get(enter_url(daan_token))
    client.get(enter_url(daan_token))  # a mail scanner, then the participant
    for name in ("portal:home", "portal:consent", "portal:nominate", "portal:withdraw"):
        assert client.get(reverse(name)).status_code == 200
    for name in ("portal:respond", "portal:leave"):
        assert client.get(reverse(name)).status_code == 405

    daan.refresh_from_db()
    assert daan.status == status
    assert not Consent.objects.filter(participant__case=daan.case).exists()
    assert not Nomination.objects.filter(case=daan.case).exists()
    assert CaseEvent.objects.filter(case=daan.case).count() == events
    assert PersonalLink.objects.get(participant=daan).revoked_at is None


def test_the_token_appears_in_no_log_record(client, daan_token, caplog):
    caplog.set_level(logging.DEBUG)
    wrong = "wrong-" + "q" * 37

    client.get(enter_url(daan_token))
    client.get(enter_url(wrong))

    assert any(r.name == "django.request" and r.levelno == logging.WARNING for r in caplog.records)
    for record in caplog.records:
        text = record.getMessage() + repr(record.args) + str(record.msg)
        assert daan_token not in text
        assert wrong not in text
    assert "/p/[redacted]/" in caplog.text


def test_throttled_after_repeated_wrong_tokens_even_for_a_right_one(client, daan_token, settings):
    settings.KRING_PORTAL_GUESSES_PER_HOUR = 3
    for i in range(3):
        assert client.get(enter_url(f"guess-{i:040d}")).status_code == 404

    over = client.get(enter_url("guess-" + "9" * 40))
    right = client.get(enter_url(daan_token))

    assert over.status_code == 429
    assert "Too many tries" in over.content.decode()
    assert right.status_code == 429
    assert access.PARTICIPANT_KEY not in client.session
    assert client.get(reverse("portal:home")).status_code == 404


def test_throttling_counts_per_address(client, daan_token, settings):
    settings.KRING_PORTAL_GUESSES_PER_HOUR = 2
    for i in range(3):
        client.get(enter_url(f"guess-{i:040d}"), REMOTE_ADDR="198.51.100.7")

    response = client.get(enter_url(daan_token), REMOTE_ADDR="198.51.100.8")

    assert response.status_code == 303


def test_right_tokens_do_not_count_as_guesses(client, daan_token, settings):
    settings.KRING_PORTAL_GUESSES_PER_HOUR = 1
    for _ in range(3):
        assert client.get(enter_url(daan_token)).status_code == 303


PORTAL_PAGES = [
    ("get", "portal:home"),
    ("get", "portal:consent"),
    ("get", "portal:nominate"),
    ("get", "portal:withdraw"),
    ("post", "portal:respond"),
    ("post", "portal:consent"),
    ("post", "portal:nominate"),
    ("post", "portal:leave"),
]


def _assert_portal_headers(response):
    assert response["Referrer-Policy"] == "no-referrer"
    assert "no-store" in response["Cache-Control"]


@pytest.mark.parametrize(("method", "name"), PORTAL_PAGES)
def test_portal_pages_send_no_referrer_and_are_not_stored(as_daan, method, name):
    response = getattr(as_daan, method)(reverse(name))

    assert response.status_code in (200, 303)
    _assert_portal_headers(response)


@pytest.mark.parametrize(("method", "name"), PORTAL_PAGES)
def test_portal_pages_without_a_session_send_no_referrer_and_are_not_stored(client, method, name):
    response = getattr(client, method)(reverse(name))

    assert response.status_code == 404
    _assert_portal_headers(response)


def test_enter_and_its_refusals_send_no_referrer_and_are_not_stored(client, daan_token, settings):
    settings.KRING_PORTAL_GUESSES_PER_HOUR = 1
    for token in (daan_token, "wrong-" + "a" * 40, "wrong-" + "b" * 40):
        _assert_portal_headers(client.get(enter_url(token)))
    assert client.get(enter_url("wrong-" + "c" * 40)).status_code == 429


def test_the_portal_session_opens_no_staff_page(as_daan):
    response = as_daan.get(reverse("cases:my_cases"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_a_staff_login_does_not_open_the_portal(client, carla, daan_token):
    force_verified_login(client, carla)

    response = client.get(reverse("portal:home"))

    assert response.status_code == 404
    assert INVALID_TEXT in response.content.decode()


def test_a_staff_login_after_the_portal_closes_the_portal(as_daan, carla):
    force_verified_login(as_daan, carla)

    assert as_daan.get(reverse("portal:home")).status_code == 404


def test_opening_a_link_while_signed_in_as_staff_signs_out(client, carla, daan, daan_token):
    force_verified_login(client, carla)

    client.get(enter_url(daan_token))

    assert client.get(reverse("cases:my_cases")).status_code == 302
    assert client.get(reverse("portal:home")).status_code == 200


def test_leaving_ends_the_portal_session(as_daan):
    response = as_daan.post(reverse("portal:leave"))

    assert response.status_code == 200
    assert "You have left the portal" in response.content.decode()
    assert as_daan.get(reverse("portal:home")).status_code == 404


def test_a_portal_session_whose_link_is_gone_shows_the_invalid_page(as_daan, daan):
    PersonalLink.objects.filter(participant=daan).delete()

    response = as_daan.get(reverse("portal:home"))

    assert response.status_code == 404
    assert "Daan" not in response.content.decode()


@pytest.mark.usefixtures("daan_acknowledged")
def test_a_portal_session_whose_participant_is_gone_shows_the_invalid_page(client, ria, carla):
    # Sanne's aunt is in the circle only to be removed again (nobody depends on her).
    client.get(enter_url(actions.invite(ria, channel="letter", by=carla).token))
    in_english(client)
    assert client.get(reverse("portal:home")).status_code == 200
    Participant.objects.filter(pk=ria.pk).delete()

    response = client.get(reverse("portal:home"))

    assert response.status_code == 404
    assert INVALID_TEXT in response.content.decode()


def test_a_portal_session_closes_after_the_idle_time_out(client, daan_token, settings):
    from kring.accounts import sessions

    client.get(enter_url(daan_token))
    in_english(client)
    assert client.get(reverse("portal:home")).status_code == 200
    session = client.session
    session[sessions.SEEN_AT] -= settings.KRING_SESSION_IDLE_SECONDS + 1
    session.save()
    response = client.get(reverse("portal:home"))
    # Says that the session ended and how to continue, not that the link does not work
    # (issue 8, point 6; portal/tests/test_session_ended.py).
    assert "Your page has been closed" in response.content.decode()
    assert "Daan" not in response.content.decode()
    # Opening the link again works.
    client.get(enter_url(daan_token))
    assert client.get(reverse("portal:home")).status_code == 200
