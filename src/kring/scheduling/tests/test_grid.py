"""The coordinator's grid of the date poll (issue 9, point 2): every answer, who has not
answered, options ranked (a yes counts 2, if need be 1), an option a harmed or responsible
participant cannot make marked unusable in words and ranked last; the page's query count is
bounded and the same for 3, 12 and 40 participants and for 3 and 9 dates (issue 15)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from kring.audit.actors import Actor
from kring.circle import actions as circle
from kring.circle.models import Participant, Side, Status
from kring.scheduling import grid, poll
from kring.testing.auth import force_verified_login

from .poll_fixtures import accepted, in_a_week, linde, meeting

__all__ = ["accepted", "linde", "meeting"]

pytestmark = pytest.mark.django_db


def _answer(participant, meeting, *values, by=None):
    options = list(meeting.options.order_by("starts_at"))
    poll.answer(
        participant,
        {o.pk: v for o, v in zip(options, values, strict=True)},
        by=by or Actor.in_portal(participant),
    )


def test_the_options_are_ranked_and_a_no_from_a_main_participant_makes_one_unusable(
    meeting, accepted
):
    daan, sanne, joost = (accepted[n][0] for n in ("daan", "sanne", "joost"))
    first, second, third = meeting.options.order_by("starts_at")
    # first: yes, yes, no (Joost, a supporter: still usable) = 4
    # second: if need be, yes, yes = 5: the best
    # third: no from Daan (responsible): unusable, even though it scores 4
    _answer(daan, meeting, "yes", "if_need_be", "no")
    _answer(sanne, meeting, "yes", "yes", "yes")
    _answer(joost, meeting, "no", "yes", "yes")
    rows = grid.ranked(meeting)
    assert [r.option for r in rows] == [second, first, third]
    assert [r.score for r in rows] == [5, 4, 4]
    assert [r.unusable for r in rows] == [False, False, True]
    assert [p.name for p in rows[2].cannot_come] == [daan.name]
    assert (rows[0].yes, rows[0].if_need_be, rows[0].no) == (2, 1, 0)


def test_a_yes_counts_more_than_an_if_need_be(meeting, accepted):
    daan, sanne, joost = (accepted[n][0] for n in ("daan", "sanne", "joost"))
    first, second, third = meeting.options.order_by("starts_at")
    _answer(daan, meeting, "if_need_be", "yes", "if_need_be")
    _answer(sanne, meeting, "if_need_be", "yes", "if_need_be")
    _answer(joost, meeting, "if_need_be", "yes", "if_need_be")
    assert grid.ranked(meeting)[0].option == second


def test_who_has_not_answered_is_listed(meeting, accepted):
    daan, sanne, joost = (accepted[n][0] for n in ("daan", "sanne", "joost"))
    _answer(daan, meeting, "yes", "yes", "yes")
    table = grid.grid(meeting)
    assert [p.name for p in table.not_answered] == sorted([sanne.name, joost.name])
    assert all(row.not_answered == 2 for row in table.rows)


def test_the_page_shows_answers_phone_marks_unusable_words_and_the_missing(
    client, meeting, accepted, carla
):
    daan, sanne, joost = (accepted[n][0] for n in ("daan", "sanne", "joost"))
    _answer(daan, meeting, "no", "yes", "yes")
    _answer(sanne, meeting, "yes", "if_need_be", "yes", by=carla)  # by telephone
    force_verified_login(client, carla)
    client.cookies["django_language"] = "en"
    page = client.get(reverse("scheduling:poll", args=[meeting.case_id])).content.decode()
    assert "(by telephone)" in page
    assert "Cannot be used:" in page and f"{daan.name} cannot come." in page
    assert "Not answered yet:" in page and joost.name in page
    assert "If need be" in page


def _grow(case, carla, total):
    """Supporters who said yes and answered, until `total` take part."""
    daan = case.participants.get(side=Side.RESPONSIBLE)
    have = Participant.objects.filter(case=case, status=Status.ACCEPTED).count()
    meeting = poll.policy.open_meeting(case)
    for i in range(total - have):
        person = circle.add_participant(
            case, by=carla, name=f"Steun {have + i}", side=Side.SUPPORTER, supports=daan
        )
        Participant.objects.filter(pk=person.pk).update(
            status=Status.ACCEPTED, status_changed_at=timezone.now()
        )
        person.refresh_from_db()
        if i % 3:  # some have not answered
            _answer(person, meeting, "yes", "if_need_be", "no", by=carla)


def _count(client, url):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


# The poll page's queries (issue 15, point 3), as an upper bound: a query that comes back fails
# here. Counted: the session, the user and the second factor, the case, the meeting, the form's
# venues, the grid (options, participants, answers, who may come, the coordinator's other
# meetings and bookings), the circle that the case's readiness reads once for all the dates
# (four), the options the policies ask about, and the audit row, which on PostgreSQL takes the
# chain's advisory lock with one query more (ADR 0012). Before issue 15 the readiness was asked
# once per date: 45 queries with three dates, and more with each date.
POLL_PAGE_QUERIES = 18


def test_the_grid_costs_the_same_queries_for_3_and_12_and_40_participants(
    client, meeting, accepted, carla
):
    force_verified_login(client, carla)
    url = reverse("scheduling:poll", args=[meeting.case_id])
    client.get(url)
    small = _count(client, url)
    assert Participant.objects.filter(case=meeting.case, status=Status.ACCEPTED).count() == 3
    assert small <= POLL_PAGE_QUERIES + (connection.vendor == "postgresql")
    _grow(meeting.case, carla, 12)
    assert _count(client, url) == small
    _grow(meeting.case, carla, 40)
    assert Participant.objects.filter(case=meeting.case, status=Status.ACCEPTED).count() == 40
    assert _count(client, url) == small


def test_the_grid_costs_the_same_queries_for_3_and_9_dates(client, meeting, accepted, carla, linde):
    force_verified_login(client, carla)
    url = reverse("scheduling:poll", args=[meeting.case_id])
    _grow(meeting.case, carla, 6)
    client.get(url)
    small = _count(client, url)
    for days in range(10, 16):
        start, end = in_a_week(days)
        poll.add_option(meeting, starts_at=start, ends_at=end, venue=linde, by=carla)
    assert meeting.options.count() == 9
    assert _count(client, url) == small
