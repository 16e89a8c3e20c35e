"""After a portal session times out the participant reads that their page was closed for their
safety and how to continue, not "this link does not work" (issue 8, point 6). The difference is
known only to the browser that had the session: the marker in its session holds no participant
and no link, and every other visitor still gets the one invalid-link page."""

from django.urls import reverse

from kring.accounts import sessions
from kring.portal import access

from .conftest import enter_url, in_english

ENDED = "Your page has been closed"
INVALID = "This link does not work (any more)."


def _time_out(client, settings):
    session = client.session
    session[sessions.SEEN_AT] -= settings.KRING_SESSION_IDLE_SECONDS + 1
    session.save()


def test_after_the_time_out_the_page_says_it_was_closed_and_how_to_continue(
    client, daan_token, settings
):
    client.get(enter_url(daan_token))
    in_english(client)
    _time_out(client, settings)

    for name in ("portal:home", "portal:consent"):
        response = client.get(reverse(name))
        page = response.content.decode()
        assert ENDED in page and INVALID not in page, name
        assert "For your safety we closed it" in page
        assert "Open the link in your e-mail again." in page
        assert "Daan" not in page and "Carla" not in page  # it names no one
        assert "no-store" in response["Cache-Control"]
    # The marker says only that a session ended: no participant, no link.
    assert client.session[access.ENDED_KEY] is True
    assert access.PARTICIPANT_KEY not in client.session and access.LINK_KEY not in client.session


def test_opening_the_link_again_continues_and_forgets_that_the_session_ended(
    client, daan_token, settings
):
    client.get(enter_url(daan_token))
    _time_out(client, settings)
    client.get(reverse("portal:home"))

    client.get(enter_url(daan_token))

    assert access.ENDED_KEY not in client.session
    assert client.get(reverse("portal:home")).status_code == 200


def test_a_browser_without_a_portal_session_still_gets_the_invalid_link_page(client, db):
    response = in_english(client).get(reverse("portal:home"))

    assert response.status_code == 404
    assert INVALID in response.content.decode() and ENDED not in response.content.decode()


def test_a_wrong_link_after_the_time_out_is_still_a_wrong_link(client, daan_token, settings):
    client.get(enter_url(daan_token))
    in_english(client)
    _time_out(client, settings)
    client.get(reverse("portal:home"))

    response = client.get(enter_url("x" * 43))

    assert response.status_code == 404 and INVALID in response.content.decode()


def test_leaving_the_portal_forgets_the_session_entirely(client, daan_token):
    client.get(enter_url(daan_token))
    in_english(client)

    client.post(reverse("portal:leave"))

    response = client.get(reverse("portal:home"))
    assert response.status_code == 404 and ENDED not in response.content.decode()
