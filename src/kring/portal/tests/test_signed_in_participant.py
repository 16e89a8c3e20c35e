"""A participant in the portal is no signed-in user: Kring's SignedInMiddleware
(kring.accounts.signed_in) answers for their session as Django's and django_otp's middleware did,
and reads no signed-in user for it (issue 15)."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from kring.accounts.tests.test_signed_in import both
from kring.portal import access


def test_a_participants_session_is_anonymous_as_before(as_daan, daan):
    session = dict(as_daan.session.items())
    assert session[access.PARTICIPANT_KEY] == daan.pk
    got = both(session)
    assert (got.authenticated, got.verified) == (False, False)
    assert got.session == session


def test_a_participants_portal_page_reads_no_signed_in_user(as_daan):
    with CaptureQueriesContext(connection) as queries:
        response = as_daan.get(reverse("portal:home"))
    assert response.status_code == 200
    # The page reads the coordinator (her contact details), never a user with a device.
    assert not [q for q in queries if "sealedtotpdevice" in q["sql"]]
