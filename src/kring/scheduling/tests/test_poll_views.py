"""The date poll's pages (issue 9, point 2): the coordinator proposes dates on the poll page
(the first one opens the poll), sees refusals in words with nothing saved, enters answers told
by phone, reminds, takes a date out; the participant answers every date on /portaal/datum/,
reached from their page."""

import pytest
from django.urls import reverse

from kring.scheduling.models import Meeting, PollAnswer, PollOption, Venue
from kring.testing.auth import force_verified_login

from .poll_fixtures import accepted, enter_portal, in_a_week, linde, meeting, venue_of

__all__ = ["accepted", "linde", "meeting"]

pytestmark = pytest.mark.django_db


def _as_carla(client, carla):
    force_verified_login(client, carla)
    client.cookies["django_language"] = "en"
    return client


def _option_data(venue, days=7, start="14:00", end="17:00"):
    day = in_a_week(days)[0].date()
    return {"day": day.isoformat(), "starts": start, "ends": end, "venue": str(venue.pk)}


def _page(client, case):
    return client.get(reverse("scheduling:poll", args=[case.pk])).content.decode()


def test_the_first_date_opens_the_poll(client, carla, preparing_case, linde, accepted):
    _as_carla(client, carla)
    url = reverse("scheduling:poll", args=[preparing_case.pk])
    assert "Propose a date" in _page(client, preparing_case)
    response = client.post(url, _option_data(linde))
    assert response.status_code == 302
    meeting = Meeting.objects.get(case=preparing_case)
    assert meeting.status == Meeting.Status.POLLING
    assert meeting.options.get().venue == linde


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"days": -1}, "This date and time have passed. Choose a later moment."),
        ({"start": "17:00", "end": "14:00"}, "The end must be later than the start."),
        ({"start": "08:00", "end": "17:00"}, "A meeting lasts at most 8 hours."),
        ({"days": 400}, "Choose a date within a year from now."),
    ],
    ids=["in the past", "end before start", "too long", "more than a year ahead"],
)
def test_a_bad_first_date_is_refused_in_words_and_opens_no_poll(
    client, carla, preparing_case, linde, data, message
):
    _as_carla(client, carla)
    url = reverse("scheduling:poll", args=[preparing_case.pk])
    response = client.post(url, _option_data(linde, **data))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Meeting.objects.filter(case=preparing_case).exists()


@pytest.mark.parametrize("which", ["retired", "other team", "unknown"])
def test_a_wrong_venue_is_refused_in_words(client, carla, meeting, team, other_team, which):
    _as_carla(client, carla)
    if which == "retired":
        from django.utils import timezone  # noqa: PLC0415

        venue = venue_of(team, "Oud gebouw", retired_at=timezone.now())
        message = "This venue is no longer in use."
    elif which == "other team":
        venue = venue_of(other_team, "Zaal Zwolle")
        message = "This venue belongs to another team."
    else:
        venue = venue_of(team, "Weg")
        Venue.objects.filter(pk=venue.pk).delete()  # a tampered or stale choice
        message = "Choose a venue from the list."
    response = client.post(
        reverse("scheduling:poll", args=[meeting.case_id]), _option_data(venue, days=12)
    )
    assert message in response.content.decode()
    assert meeting.options.count() == 3


def test_a_date_is_taken_out(client, carla, meeting):
    _as_carla(client, carla)
    option = meeting.options.first()
    assert "Take this date out" in _page(client, meeting.case)
    url = reverse("scheduling:remove_option", args=[meeting.case_id, option.pk])
    assert client.post(url).status_code == 302
    assert not PollOption.objects.filter(pk=option.pk).exists()


def test_answers_told_by_phone_are_entered_and_marked(client, carla, meeting, accepted):
    _as_carla(client, carla)
    joost = accepted["joost"][0]
    url = reverse("scheduling:enter_answers", args=[meeting.case_id, joost.pk])
    options = list(meeting.options.all())
    data = {f"option_{o.pk}": "yes" for o in options}
    assert client.post(url, data).status_code == 302
    assert {a.recorded_by_id for a in PollAnswer.objects.filter(participant=joost)} == {carla.pk}
    assert "(by telephone)" in _page(client, meeting.case)


def test_the_reminder_button_says_what_happened(client, carla, meeting, accepted):
    _as_carla(client, carla)
    url = reverse("scheduling:remind", args=[meeting.case_id])
    page = client.post(url, follow=True).content.decode()
    assert "A reminder has been sent to 3 people." in page
    page = client.post(url, follow=True).content.decode()
    assert "3 people had a reminder less than a day ago and get none now." in page


# --- the participant ---------------------------------------------------------------------------


def test_the_participants_page_asks_when_they_can_come(client, meeting, accepted):
    enter_portal(client, accepted["sanne"][1])
    home = client.get(reverse("portal:home")).content.decode()
    assert "Say when you can come" in home
    page = client.get(reverse("scheduling:answer_poll")).content.decode()
    assert page.count('type="radio"') == 9  # three dates, three answers each
    assert "If need be" in page and "Buurthuis De Linde" in page


def test_every_date_must_be_answered(client, meeting, accepted):
    sanne = accepted["sanne"][0]
    enter_portal(client, accepted["sanne"][1])
    first, second, third = meeting.options.order_by("starts_at")
    data = {f"option_{first.pk}": "yes", f"option_{second.pk}": "no"}
    response = client.post(reverse("scheduling:answer_poll"), data)
    assert response.status_code == 200
    assert "Give an answer for " in response.content.decode()
    assert not PollAnswer.objects.filter(participant=sanne).exists()
    data[f"option_{third.pk}"] = "if_need_be"
    response = client.post(reverse("scheduling:answer_poll"), data)
    assert response.status_code == 303
    assert PollAnswer.objects.filter(participant=sanne).count() == 3
    home = client.get(reverse("portal:home")).content.decode()
    assert "Thank you for your answers" in home


def test_an_option_of_another_case_posted_in_the_portal_changes_nothing(
    client, meeting, accepted, carla, linde
):
    from kring.cases import actions as case_actions  # noqa: PLC0415
    from kring.testing.factories import ReferralFactory  # noqa: PLC0415

    other = case_actions.open_case(ReferralFactory(), team=carla.team)
    start, end = in_a_week(11)
    foreign = PollOption.objects.create(
        meeting=Meeting.objects.create(case=other, created_by=carla),
        starts_at=start,
        ends_at=end,
        venue=linde,
    )
    enter_portal(client, accepted["daan"][1])
    data = {f"option_{o.pk}": "yes" for o in meeting.options.all()}
    data[f"option_{foreign.pk}"] = "no"
    client.post(reverse("scheduling:answer_poll"), data)
    assert not PollAnswer.objects.filter(option=foreign).exists()


def test_someone_who_has_not_said_yes_is_not_asked(client, meeting, accepted, carla, ria):
    from kring.circle import actions as circle  # noqa: PLC0415

    token = circle.invite(ria, channel="letter", by=carla).token
    enter_portal(client, token)
    assert "Say when you can come" not in client.get(reverse("portal:home")).content.decode()
    response = client.get(reverse("scheduling:answer_poll"))
    assert response.status_code == 303
    data = {f"option_{o.pk}": "yes" for o in meeting.options.all()}
    response = client.post(reverse("scheduling:answer_poll"), data)
    assert not PollAnswer.objects.filter(participant=ria).exists()


def test_each_usable_date_links_to_the_confirm_page_once_the_case_is_ready(
    client, carla, preparing_case, linde, daan_acknowledged, sanne
):
    """ "Choose this date" leads to the confirm page (scheduling:confirm) when the case may be
    scheduled; before that the page says why not, and links nowhere."""
    from kring.audit.actors import Actor  # noqa: PLC0415
    from kring.scheduling import poll  # noqa: PLC0415
    from kring.scheduling.tests.booking_fixtures import prepare  # noqa: PLC0415

    meeting = poll.open_poll(preparing_case, by=carla)
    start, end = in_a_week(7)
    good = poll.add_option(meeting, starts_at=start, ends_at=end, venue=linde, by=carla)
    start, end = in_a_week(8)
    bad = poll.add_option(meeting, starts_at=start, ends_at=end, venue=linde, by=carla)
    _as_carla(client, carla)
    assert "Not possible now:" in _page(client, preparing_case)
    for person in (daan_acknowledged, sanne):
        prepare(person, by=carla)
        poll.answer(person, {good.pk: "yes", bad.pk: "no"}, by=Actor.in_portal(person))
    page = _page(client, preparing_case)
    assert reverse("scheduling:confirm", args=[meeting.pk, good.pk]) in page
    assert reverse("scheduling:confirm", args=[meeting.pk, bad.pk]) not in page  # not usable
