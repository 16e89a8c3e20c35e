"""The second screen (issue 10, point 3): only the plan, for a projector, following the edits.
The page polls `screen_content` with the state it shows; the answer is 204 while nothing
changed and the plan as it now stands once something did."""

import time
from datetime import date
from urllib.parse import parse_qs, urlparse

import pytest
from django.db import connection
from django.db.models import F
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from kring.audit.models import AuditEvent
from kring.circle.models import Participant, Side, Status
from kring.conference import presentation
from kring.conference.models import Agreement, Attendance, Plan, Round

pytestmark = pytest.mark.django_db

NOTE = "Daan huilde even toen hij vertelde over die avond."
ABSENT = "Willem Wegbleef"


def _agree(plan, n: int, *, start: int = 1) -> None:
    for position in range(start, start + n):
        Agreement.objects.create(
            plan=plan,
            position=position,
            what=f"Afspraak nummer {position}: Daan brengt de fiets terug.",
            who_other="De fietsenmaker",
            for_whom="Sanne",
            by_when=date(2027, 8, 1),
            how_checked="Ria kijkt het na.",
            prevents_repeat=position == 1,
        )
    Plan.objects.filter(pk=plan.pk).update(edit_count=F("edit_count") + n)


@pytest.fixture
def with_note_and_absent(plan, carla):
    """A round with a note, and someone who was expected and did not come."""
    conference = plan.conference
    Round.objects.filter(conference=conference, position=1).update(note=NOTE)
    absent = Participant.objects.create(
        case=conference.case, name=ABSENT, side=Side.OTHER, status=Status.ACCEPTED
    )
    Attendance.objects.create(
        conference=conference,
        participant=absent,
        present=False,
        recorded_at=timezone.now(),
        recorded_by=carla,
    )
    return plan


def _poll_url(html: str) -> str:
    start = html.index('hx-get="') + len('hx-get="')
    return html[start : html.index('"', start)].replace("&amp;", "&")


def test_the_screen_shows_the_plan_and_nothing_else_of_the_case(
    as_user, carla, with_note_and_absent, sanne
):
    _agree(with_note_and_absent, 2)
    client = as_user(carla)
    url = reverse("conference:screen", args=[with_note_and_absent.case_id])
    html = client.get(url).content.decode()
    assert "Dat Daan begrijpt wat het met me deed" in html
    assert "Sanne Jansen" in html  # in her own words
    assert "Afspraak nummer 2: Daan brengt de fiets terug." in html
    assert "Sunday 1 August 2027" in html  # the test client reads English (conftest.py)
    # Nothing else of the case: no notes of the rounds, nobody absent, no contact details.
    assert NOTE not in html
    assert ABSENT not in html
    for secret in ("sanne@example.org", "06 9876 5432", "Lindelaan", "daan@example.org"):
        assert secret not in html
    # Nor the names of those present as a list: only who brought in or does something.
    assert "Joost de Boer" not in html


def test_before_the_plan_the_screen_says_there_is_none_yet(as_user, carla, rounds_done):
    client = as_user(carla)
    html = client.get(reverse("conference:screen", args=[rounds_done.case_id])).content.decode()
    # The test client reads English (conftest.py): the English words, which a plan would show.
    assert "No plan yet" in html
    assert "Agreement" not in html


def test_opening_the_screen_is_logged_once_and_the_polling_is_not(as_user, carla, plan):
    client = as_user(carla)
    html = client.get(reverse("conference:screen", args=[plan.case_id])).content.decode()
    poll = _poll_url(html)
    before = AuditEvent.objects.count()
    for _ in range(3):
        assert client.get(poll).status_code == 204
    _agree(plan, 1)
    assert client.get(poll).status_code == 200
    assert AuditEvent.objects.count() == before
    assert AuditEvent.objects.filter(action="conference.screen_viewed", case=plan.case).count() == 1


def test_the_content_answers_204_while_nothing_changed_and_the_plan_once_it_did(
    as_user, carla, plan
):
    client = as_user(carla)
    html = client.get(reverse("conference:screen", args=[plan.case_id])).content.decode()
    poll = _poll_url(html)
    unchanged = client.get(poll)
    assert unchanged.status_code == 204
    assert unchanged.content == b""
    _agree(plan, 1)
    changed = client.get(poll)
    assert changed.status_code == 200
    text = changed.content.decode()
    assert "Afspraak nummer 1" in text
    # The new content carries the new state: polling it again is a 204 once more.
    assert client.get(_poll_url(text)).status_code == 204
    # The plan's own fields count too (revision), and so does the paper mark.
    Plan.objects.filter(pk=plan.pk).update(revision=F("revision") + 1)
    assert client.get(_poll_url(text)).status_code == 200


def test_the_screen_follows_the_plan_from_its_beginning(as_user, carla, rounds_done, sanne):
    client = as_user(carla)
    html = client.get(reverse("conference:screen", args=[rounds_done.case_id])).content.decode()
    poll = _poll_url(html)
    assert client.get(poll).status_code == 204
    Plan.objects.create(
        case=rounds_done.case,
        conference=rounds_done,
        created_by=carla,
        good_outcome="Mijn fiets terug.",
        good_outcome_by=sanne,
    )
    answer = client.get(poll)
    assert answer.status_code == 200
    assert "Mijn fiets terug." in answer.content.decode()


def test_a_screen_left_alone_stops_polling_after_the_idle_time(as_user, carla, plan, settings):
    client = as_user(carla)
    state = presentation.screen_state(plan.case)
    url = reverse("conference:screen_content", args=[plan.case_id])
    long_ago = int(time.time()) - settings.KRING_SESSION_IDLE_SECONDS - 1
    answer = client.get(url, {"seen": state, "since": long_ago})
    assert answer.status_code == 286  # htmx: stop polling
    text = answer.content.decode()
    assert "hx-trigger" not in text
    assert reverse("conference:screen", args=[plan.case_id]) in text
    # A recent one goes on polling.
    assert client.get(url, {"seen": state, "since": int(time.time())}).status_code == 204


@pytest.mark.parametrize("name", ["conference:screen", "conference:screen_content"])
def test_only_the_coordinator_sees_the_screen(client, as_user, plan, name, olaf, bram, mira):
    url = reverse(name, args=[plan.case_id])
    assert as_user(olaf).get(url).status_code == 404  # not her case: not found
    assert as_user(bram).get(url).status_code == 403  # the office sees the case, not the plan
    # The manager may read the plan and print it, but the screen is the coordinator's own.
    assert as_user(mira).get(url).status_code == 403
    client.logout()
    assert client.get(url).status_code == 302


@pytest.mark.parametrize("name", ["conference:screen", "conference:screen_content"])
def test_the_screen_is_never_cached(as_user, carla, plan, name):
    answer = as_user(carla).get(reverse(name, args=[plan.case_id]))
    assert "no-store" in answer["Cache-Control"]


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_the_query_count_does_not_grow_with_the_plan(as_user, carla, plan):
    client = as_user(carla)
    screen = reverse("conference:screen", args=[plan.case_id])
    content = reverse("conference:screen_content", args=[plan.case_id])
    _agree(plan, 3)
    client.get(screen)  # the session's first request writes its clock: not counted
    small = (_queries(client, screen), _queries(client, f"{content}?seen=old"))
    _agree(plan, 27, start=4)
    assert Agreement.objects.filter(plan=plan).count() == 30
    large = (_queries(client, screen), _queries(client, f"{content}?seen=old"))
    assert small == large
    # And the unchanged answer, asked every second, costs the same few queries.
    state = presentation.screen_state(plan.case)
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(content, {"seen": state, "since": int(time.time())}).status_code == 204
    assert len(ctx.captured_queries) < small[1]


def test_the_poll_address_holds_numbers_only(as_user, carla, plan):
    html = as_user(carla).get(reverse("conference:screen", args=[plan.case_id])).content.decode()
    query = parse_qs(urlparse(_poll_url(html)).query)
    assert set(query) == {"seen", "since"}
    assert query["seen"][0].replace(".", "").isdigit()
