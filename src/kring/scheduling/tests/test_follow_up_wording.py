"""One word per thing on scheduling's pages (issue 12, point 4): in Dutch a follow-up meeting is a
"nazorggesprek" on the case page's panel, the move and cancel pages, their messages and the
team's calendar, never a "conferentie"; a conference's meeting keeps its own wording. The
conference goes through the real poll and confirmation, then the case is set to following_up
directly (the journey from a signed plan is kring.followup.tests.test_follow_up_meeting)."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from kring.cases.lifecycle import State
from kring.cases.models import Case
from kring.circle.models import Participant
from kring.scheduling import actions, poll
from kring.scheduling.tests.booking_fixtures import days_ahead, linde, polling, ready_case
from kring.testing.auth import force_verified_login

__all__ = ["linde", "polling", "ready_case"]

pytestmark = pytest.mark.django_db


@pytest.fixture
def conference(polling, carla):
    """The conference's meeting, confirmed through the real action: the case is scheduled."""
    return actions.confirm(polling, polling.options.order_by("starts_at").first(), by=carla)


@pytest.fixture
def follow_up(conference, carla, linde):
    """The case in follow-up and its follow-up meeting confirmed in 20 days, 14:00-16:00."""
    Case.objects.filter(pk=conference.case_id).update(state=State.FOLLOWING_UP)
    case = Case.objects.get(pk=conference.case_id)
    meeting = poll.open_poll(case, by=carla)
    start, end = days_ahead(20, hours=2)
    poll.add_option(meeting, starts_at=start, ends_at=end, venue=linde, by=carla)
    return actions.confirm(meeting, meeting.options.get(), by=carla)


def _in_dutch(client, user):
    force_verified_login(client, user)
    client.cookies["django_language"] = "nl"
    return client


def _main(response) -> str:
    """The page's main content as text, without tags: what a reader sees there."""
    assert response.status_code == 200
    html = response.content.decode()
    main = html[html.index("<main") : html.index("</main>")]
    return " ".join(re.sub(r"<[^>]+>", " ", main).split())


def _week(meeting) -> str:
    return "?week=" + timezone.localtime(meeting.starts_at).date().isoformat()


def test_the_case_page_names_the_follow_up_meeting_and_its_steps(client, follow_up, carla):
    page = _main(_in_dutch(client, carla).get(reverse("cases:detail", args=[follow_up.case_id])))
    assert "Het nazorggesprek" in page
    assert "Nazorggesprek verplaatsen" in page
    assert "Nazorggesprek afzeggen" in page
    assert "Conferentie verplaatsen" not in page
    assert "Conferentie afzeggen" not in page


def test_moving_a_follow_up_meeting_says_nazorggesprek_and_not_conferentie(
    client, follow_up, carla, linde
):
    _in_dutch(client, carla)
    url = reverse("scheduling:move", args=[follow_up.pk])
    page = _main(client.get(url))
    assert "Nazorggesprek van zaak" in page and "verplaatsen" in page
    assert "conferentie" not in page.lower()

    day = timezone.localdate() + timedelta(days=21)
    moved = client.post(
        url,
        {"day": day.isoformat(), "starts": "10:00", "ends": "12:00", "venue": str(linde.pk)},
        follow=True,
    )
    page = _main(moved)
    assert "Het nazorggesprek is verplaatst. Iedereen die meedoet krijgt bericht." in page
    assert "De conferentie is verplaatst" not in page
    follow_up.refresh_from_db()
    assert timezone.localtime(follow_up.starts_at).date() == day


def test_cancelling_a_follow_up_meeting_says_nazorggesprek_and_not_conferentie(
    client, follow_up, carla, sanne
):
    # Sanne has no e-mail address: the case page offers her letter that the meeting is off.
    Participant.objects.filter(pk=sanne.pk).update(email="")
    _in_dutch(client, carla)
    url = reverse("scheduling:cancel", args=[follow_up.pk])
    page = _main(client.get(url))
    assert "Nazorggesprek van zaak" in page and "afzeggen" in page
    assert "het nazorggesprek gaat uit hun agenda" in page
    assert "conferentie" not in page.lower()

    page = _main(client.post(url, follow=True))
    assert "Het nazorggesprek is afgezegd. Iedereen die meedoet krijgt bericht." in page
    assert "De conferentie is afgezegd" not in page  # the case page names the held one
    assert "Het nazorggesprek gaat niet door. Deze deelnemers hebben geen e-mailadres." in page
    assert "De conferentie gaat niet door" not in page
    # Once cancelled, the page says so about the follow-up meeting, and offers nothing.
    page = _main(client.get(url))
    assert "Dit nazorggesprek is afgezegd." in page
    assert "Deze conferentie is afgezegd." not in page


def test_the_calendar_marks_a_follow_up_meeting_and_counts_both_kinds(
    client, follow_up, conference, bram
):
    _in_dutch(client, bram)  # the office reads the team's calendar
    page = _main(client.get(reverse("scheduling:calendar") + _week(follow_up)))
    assert "Conferenties en nazorggesprekken deze week: 1." in page
    assert follow_up.case.referral.reference in page
    assert "Nazorggesprek" in page

    # The conference's week: its meeting is not marked as a follow-up meeting.
    page = _main(client.get(reverse("scheduling:calendar") + _week(conference)))
    assert conference.case.referral.reference in page
    assert "Nazorggesprek" not in page


def test_a_conferences_meeting_keeps_its_own_wording(client, conference, carla):
    _in_dutch(client, carla)
    page = _main(client.get(reverse("cases:detail", args=[conference.case_id])))
    assert "Conferentie verplaatsen" in page and "Conferentie afzeggen" in page
    assert "azorggesprek" not in page
    move = _main(client.get(reverse("scheduling:move", args=[conference.pk])))
    assert "Conferentie van zaak" in move and "Nazorggesprek" not in move
    cancel = _main(client.get(reverse("scheduling:cancel", args=[conference.pk])))
    assert "Conferentie van zaak" in cancel and "de conferentie gaat uit hun agenda" in cancel
    assert "azorggesprek" not in cancel
