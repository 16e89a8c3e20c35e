"""The dates in a participant's export (issue 14, review) are the days in Kring's time zone
(Amsterdam), not in UTC: a date proposed for 01:30 on 16 June is the 16th, not the 15th."""

from datetime import UTC, datetime

import pytest
from django.utils import timezone

from kring.circle.export import participant_export as circle_export
from kring.circle.models import PersonalLink
from kring.scheduling.export import participant_export
from kring.scheduling.models import Availability, PollAnswer
from kring.scheduling.tests.booking_fixtures import linde, polling, ready_case

__all__ = ["linde", "polling", "ready_case"]

pytestmark = pytest.mark.django_db

# 01:30 on 16 June in Amsterdam (summer time, UTC+2): 23:30 on the 15th in UTC.
NIGHT = datetime(2026, 6, 15, 23, 30, tzinfo=UTC)


def _details(sections) -> str:
    return " ".join(f"{item.label} {item.value}" for s in sections for item in s.items)


def test_a_date_proposed_just_after_midnight_is_that_day(polling, daan_acknowledged):
    option = polling.options.order_by("pk").first()
    type(option).objects.filter(pk=option.pk).update(starts_at=NIGHT)
    PollAnswer.objects.create(
        option=option, participant=daan_acknowledged, answer=Availability.YES, answered_at=NIGHT
    )
    text = _details(participant_export(daan_acknowledged))
    assert "2026-06-16" in text and "2026-06-15" not in text


def test_a_personal_link_valid_until_just_after_midnight_is_that_day(daan_acknowledged, carla):
    PersonalLink.objects.create(
        participant=daan_acknowledged,
        token_hash="a" * 64,
        issued_at=timezone.now(),
        issued_by=carla,
        expires_at=NIGHT,
    )
    text = _details(circle_export(daan_acknowledged))
    assert "2026-06-16" in text and "2026-06-15" not in text
