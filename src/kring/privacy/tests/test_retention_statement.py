"""The privacy statement promises the periods that retention keeps to (issue 14, point 7): it
reads them from the settings, and its version changes with them, so that a request records the
statement its sender really agreed to."""

import pytest
from django.urls import reverse

from kring.referrals import privacy

pytestmark = pytest.mark.django_db


def test_the_statement_shows_the_default_periods_under_its_own_version(client):
    page = client.get(reverse("referrals:privacy")).content.decode()
    assert "we erase it 6 months after that decision" in page
    assert "we erase the case 2 years after it is closed" in page
    assert "we erase the case 2 years after it is stopped" in page
    assert "Version 2026-1," in page
    assert privacy.version() == privacy.PRIVACY_VERSION


def test_changed_periods_show_on_the_statement_with_a_new_version(client, settings):
    settings.KRING_RETENTION_DECLINED_MONTHS = 3
    settings.KRING_RETENTION_STOPPED_YEARS = 1
    settings.KRING_RETENTION_YEARS = {**settings.KRING_RETENTION_YEARS, "not_kept": 5}

    page = client.get(reverse("referrals:privacy")).content.decode()

    assert "we erase it 3 months after that decision" in page
    assert "we erase the case at the latest 5 years after it is closed" in page
    assert "we erase the case 1 year after it is stopped" in page
    assert privacy.version() == "2026-1-3m1y5y+"
    assert "Version 2026-1-3m1y5y+," in page


def test_a_request_records_the_version_with_the_periods_it_was_sent_under(settings):
    from kring.referrals.actions import submit_referral

    settings.KRING_RETENTION_DECLINED_MONTHS = 12
    referral = submit_referral(
        {
            "requester_name": "Petra de Vries",
            "requester_relation": "relative",
            "requester_email": "petra@example.org",
            "description": "Daan heeft de fiets van Sanne vernield.",
            "people_informed": "some",
            "privacy_consent": True,
        },
        people=[{"name": "Daan", "side": "responsible", "contact": ""}],
        language="nl",
    )
    assert referral.privacy_version == "2026-1-12m2y2y"
