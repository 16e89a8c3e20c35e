"""Extreme dates in the circle's forms (issue 14, finding 3): a conversation or an acknowledgment
dated 0001-01-01T00:00 crashed the action with an OverflowError (a 500: in Amsterdam that moment
lies before the year 1 in UTC), and a return dated in the year 1 was even stored. Every date and
time the coordinator types is now refused outside the days Kring knows
(kring.core.dates.FIRST_DAY and LAST_DAY) with a message at the field, and nothing is stored."""

import pytest
from django.urls import reverse
from django.utils import timezone

from kring.audit.actors import Actor
from kring.cases.models import CaseEvent
from kring.circle import actions
from kring.circle.models import Acknowledgment, Answer, Conversation, Status
from kring.core.dates import FIRST_DAY, LAST_DAY

pytestmark = pytest.mark.django_db

# The year 1 and the last day of the calendar, just outside Kring's days, and a typing mistake.
EXTREMES = [
    "0001-01-01T00:00",
    "9999-12-31T23:59",
    f"{FIRST_DAY.year - 1}-12-31T23:59",
    "01-01-0001 00:00",
]
OUT_OF_RANGE = f"Enter a date and time between {FIRST_DAY.year} and {LAST_DAY.year}"
IN_THE_FUTURE = "The date and time cannot be in the future."


def _refused(response) -> str:
    assert response.status_code == 200, response.status_code
    page = response.content.decode()
    assert "There is a problem" in page
    return page


@pytest.mark.parametrize("when", EXTREMES)
def test_a_conversation_at_an_extreme_date_is_refused_and_nothing_is_stored(
    as_user, carla, preparing_case, daan, when
):
    events = CaseEvent.objects.count()
    response = as_user(carla).post(
        reverse("circle:conversation", args=[preparing_case.pk, daan.pk]),
        {"held_at": when, "mode": "phone", "notes": "Kort gesproken"},
    )
    page = _refused(response)
    assert OUT_OF_RANGE in page or (when.startswith("9999") and IN_THE_FUTURE in page)
    assert not Conversation.objects.filter(participant=daan).exists()
    assert CaseEvent.objects.count() == events


@pytest.mark.parametrize("when", EXTREMES)
def test_an_acknowledgment_at_an_extreme_date_is_refused_and_nothing_is_stored(
    as_user, carla, preparing_case, daan, when
):
    events = CaseEvent.objects.count()
    response = as_user(carla).post(
        reverse("circle:acknowledgment", args=[preparing_case.pk, daan.pk]),
        {"acknowledges": "yes", "given_at": when, "mode": "phone"},
    )
    page = _refused(response)
    assert OUT_OF_RANGE in page or (when.startswith("9999") and IN_THE_FUTURE in page)
    assert not Acknowledgment.objects.filter(participant=daan).exists()
    assert CaseEvent.objects.count() == events


@pytest.fixture
def sanne_withdrew(preparing_case, daan_acknowledged, sanne, carla):
    """Sanne was invited, accepted, consented, and then stopped taking part in the portal."""
    actions.invite(sanne, channel="letter", by=carla)
    sanne.refresh_from_db()
    actions.respond(sanne, accepts=True, by=Actor.in_portal(sanne))
    actions.give_consent(
        sanne,
        legal_advice=Answer.NO,
        interpreter=Answer.NO,
        support_person=Answer.LATER,
        by=Actor.in_portal(sanne),
    )
    actions.withdraw(sanne, by=Actor.in_portal(sanne))
    sanne.refresh_from_db()
    return sanne


@pytest.mark.parametrize("when", EXTREMES)
def test_a_return_at_an_extreme_date_is_refused_and_nothing_is_stored(
    as_user, carla, preparing_case, sanne_withdrew, when
):
    events = CaseEvent.objects.count()
    response = as_user(carla).post(
        reverse("circle:record_return", args=[preparing_case.pk, sanne_withdrew.pk]),
        {"returned_at": when, "mode": "phone"},
    )
    page = _refused(response)
    assert OUT_OF_RANGE in page or (when.startswith("9999") and IN_THE_FUTURE in page)
    sanne_withdrew.refresh_from_db()
    assert sanne_withdrew.status == Status.WITHDRAWN
    assert CaseEvent.objects.count() == events


def test_the_first_day_itself_is_a_date_the_form_takes(as_user, carla, preparing_case, daan):
    """The bound is not off by one: the first minute of FIRST_DAY is stored."""
    response = as_user(carla).post(
        reverse("circle:conversation", args=[preparing_case.pk, daan.pk]),
        {"held_at": f"{FIRST_DAY.isoformat()}T00:00", "mode": "phone"},
    )
    assert response.status_code == 302
    held_at = timezone.localtime(Conversation.objects.get(participant=daan).held_at)
    assert held_at.date() == FIRST_DAY


def test_the_dutch_page_says_it_in_dutch(as_user, carla, preparing_case, daan):
    client = as_user(carla)
    client.cookies["django_language"] = "nl"
    response = client.post(
        reverse("circle:conversation", args=[preparing_case.pk, daan.pk]),
        {"held_at": "0001-01-01T00:00", "mode": "phone"},
        HTTP_ACCEPT_LANGUAGE="nl",
    )
    assert "Vul een datum en tijd in tussen 1990 en 2100" in response.content.decode()
