"""Conference mode as the coordinator sees it, in Dutch (issue 10, point 1): one step at a time,
check-in with big toggles, the start refused in words until both sides are there, the
introductions, the rounds in order, the round for putting things right, the way to the plan;
every step a POST that comes back to the page. Who else may see it: nobody (a 404 for who may
not see the case, a 403 for the office and the manager). The page's query count does not grow
with the circle."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from kring.audit.models import AuditEvent
from kring.cases.lifecycle import State
from kring.conference import actions
from kring.conference.models import Attendance, Round
from kring.conference.tests.mode_fixtures import said_yes
from kring.testing.auth import force_verified_login

pytestmark = pytest.mark.django_db


def dutch(client, user):
    force_verified_login(client, user)
    client.cookies["django_language"] = "nl"
    return client


def url(name, case, *args):
    return reverse(f"conference:{name}", args=[case.pk, *args])


def page(client, case) -> str:
    response = client.get(url("mode", case))
    assert response.status_code == 200
    return response.content.decode()


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


# --- who ----------------------------------------------------------------------------------------


def test_only_the_coordinator_of_the_case_opens_conference_mode(
    client, scheduled_case, everyone_said_yes, carla, olaf, bram, mira
):
    assert dutch(client, olaf).get(url("mode", scheduled_case)).status_code == 404
    for user in (bram, mira):
        assert dutch(client, user).get(url("mode", scheduled_case)).status_code == 403
    response = dutch(client, carla).get(url("mode", scheduled_case))
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    assert AuditEvent.objects.filter(
        action="conference.mode_viewed", actor=carla, case=scheduled_case
    ).exists()


def test_posts_of_someone_else_change_nothing(client, checking_in, everyone_said_yes, olaf, mira):
    daan = everyone_said_yes["daan"]
    assert (
        dutch(client, olaf)
        .post(url("check_in", checking_in.case), {"participant": daan.pk, "present": "yes"})
        .status_code
        == 404
    )
    response = dutch(client, mira).post(
        url("check_in", checking_in.case), {"participant": daan.pk, "present": "yes"}
    )
    assert response.status_code == 403
    assert not Attendance.objects.exists()


def test_before_the_date_is_set_the_page_says_why_not(client, preparing_case, carla):
    text = page(dutch(client, carla), preparing_case)
    assert "In voorbereiding" in text  # the reason names the case's state
    assert "Wie is er?" not in text


# --- check-in and the start ------------------------------------------------------------------------


def test_check_in_lists_everyone_expected_with_their_side_and_big_toggles(
    client, scheduled_case, everyone_said_yes, carla
):
    text = page(dutch(client, carla), scheduled_case)
    assert "Wie is er?" in text
    for name in ("Daan de Boer", "Sanne Jansen", "Joost de Boer", "Ria Jansen"):
        assert name in text
    assert "Degene die verantwoordelijk is" in text
    assert "Degene die de dupe is" in text
    assert "Bij Daan de Boer" in text  # Joost, in Daan's circle
    assert text.count("Nog niet aangegeven") == 4
    assert text.count(">Aanwezig</button>") == 4
    # Not yet: the reason, not the button.
    assert "Meld eerst degene die verantwoordelijk is aan" in text
    assert "Begin de conferentie" not in text


def test_on_the_day_check_in_offers_recording_that_the_meeting_is_not_taking_place(
    client, scheduled_case, everyone_said_yes, meeting_an_hour_ago, carla
):
    text = page(dutch(client, carla), scheduled_case)
    assert "Wie is er?" in text
    assert "De conferentie gaat niet door" in text
    assert url("not_held", scheduled_case) in text


def test_carla_checks_in_and_begins_and_the_page_moves_to_the_introductions(
    client, scheduled_case, everyone_said_yes, carla
):
    client = dutch(client, carla)
    people = everyone_said_yes
    for key in ("daan", "sanne", "joost"):
        response = client.post(
            url("check_in", scheduled_case), {"participant": people[key].pk, "present": "yes"}
        )
        assert response.status_code == 302
        assert response["Location"].endswith(f"#person-{people[key].pk}")
    client.post(url("check_in", scheduled_case), {"participant": people["ria"].pk, "present": "no"})
    text = page(client, scheduled_case)
    assert text.count("✓ </span>Aanwezig") == 3
    assert "Begin de conferentie" in text

    response = client.post(url("start", scheduled_case), follow=True)
    text = response.content.decode()
    assert "De conferentie is begonnen. Stel iedereen voor met naam." in messages_of(response)
    assert "Stel iedereen voor met naam" in text
    # The names to read out, in the order of the rounds; Ria did not come.
    names = text[text.index('class="names"') :]
    assert names.index("Daan de Boer") < names.index("Sanne Jansen") < names.index("Joost")
    assert "Ria Jansen" not in names[: names.index("</ol>")]
    scheduled_case.refresh_from_db()
    assert scheduled_case.state == State.CONFERENCE_HELD


def test_the_start_is_refused_in_words_while_the_person_harmed_is_not_there(
    client, checking_in, everyone_said_yes, carla
):
    client = dutch(client, carla)
    daan = everyone_said_yes["daan"]
    client.post(url("check_in", checking_in.case), {"participant": daan.pk, "present": "yes"})
    text = page(client, checking_in.case)
    assert "Begin de conferentie" not in text
    response = client.post(url("start", checking_in.case), follow=True)
    assert any("dupe" in m for m in messages_of(response)), messages_of(response)
    checking_in.refresh_from_db()
    assert checking_in.started_at is None


def test_someone_who_came_unexpectedly_can_be_checked_in(
    client, scheduled_case, everyone_said_yes, carla
):
    from kring.circle.models import Participant, Side, Status

    kees = Participant.objects.create(
        case=scheduled_case,
        name="Kees Visser",
        side=Side.SUPPORTER,
        supports=everyone_said_yes["sanne"],
        status=Status.INVITED,
    )
    client = dutch(client, carla)
    text = page(client, scheduled_case)
    assert "Er kwam nog iemand uit de kring" in text
    client.post(url("check_in", scheduled_case), {"participant": kees.pk, "present": "yes"})
    assert Attendance.objects.get(participant=kees).present


def test_with_htmx_a_check_in_answers_with_the_page_and_what_changed(
    client, scheduled_case, everyone_said_yes, carla
):
    daan = everyone_said_yes["daan"]
    response = dutch(client, carla).post(
        url("check_in", scheduled_case),
        {"participant": daan.pk, "present": "yes"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    text = response.content.decode()
    assert "Daan de Boer: aanwezig." in text
    assert 'id="checkin"' in text
    assert Attendance.objects.get(participant=daan).present


def test_a_check_in_without_a_choice_changes_nothing(
    client, scheduled_case, everyone_said_yes, carla
):
    response = dutch(client, carla).post(
        url("check_in", scheduled_case),
        {"participant": everyone_said_yes["daan"].pk, "present": "perhaps"},
        follow=True,
    )
    assert "Kies aanwezig of niet gekomen." in messages_of(response)
    assert not Attendance.objects.exists()


# --- the rounds ------------------------------------------------------------------------------------


def _begun(conference, people, carla):
    for person in people.values():
        actions.check_in(conference, person, present=True, by=carla)
    actions.start(conference, by=carla)


def test_the_rounds_one_at_a_time_in_order_then_putting_things_right(
    client, checking_in, everyone_said_yes, carla
):
    _begun(checking_in, everyone_said_yes, carla)
    case = checking_in.case
    client = dutch(client, carla)
    client.post(url("introductions", case))
    text = page(client, case)
    assert "Ronde 1 van 4" in text
    assert "Ronde klaar" in text
    rounds = list(Round.objects.order_by("position"))

    # Sanne's round out of turn: refused in words, nothing changes.
    response = client.post(url("round_done", case, rounds[1].pk), follow=True)
    assert "Maak eerst de ronde van Daan de Boer af." in messages_of(response)
    assert not Round.objects.filter(done_at__isnull=False).exists()

    response = client.post(
        url("round_done", case, rounds[0].pk), {"note": "wil sorry zeggen"}, follow=True
    )
    assert "De ronde van Daan de Boer is klaar." in messages_of(response)
    text = response.content.decode()
    assert "Ronde 2 van 4" in text and "Sanne Jansen" in text
    assert "wil sorry zeggen" in text  # the note, in conference mode only
    assert "1 van 4 klaar" in text

    # Putting things right before every round: refused.
    response = client.post(url("repair_round", case), follow=True)
    assert any(m.startswith("Maak eerst alle rondes af.") for m in messages_of(response))

    for turn in rounds[1:]:
        client.post(url("round_done", case, turn.pk))
    text = page(client, case)
    assert "Wie wil iets rechtzetten?" in text
    response = client.post(url("repair_round", case), follow=True)
    assert "Alle rondes zijn klaar. Maak nu samen het plan." in messages_of(response)
    checking_in.refresh_from_db()
    assert checking_in.rounds_done_at is not None

    # The note never reaches the case page.
    case_page = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert "wil sorry zeggen" not in case_page


# --- the case page -------------------------------------------------------------------------------


def test_the_case_page_leads_the_coordinator_into_conference_mode(
    client, scheduled_case, everyone_said_yes, carla, bram
):
    text = dutch(client, carla).get(reverse("cases:detail", args=[scheduled_case.pk]))
    text = text.content.decode()
    assert "Conferentiemodus openen" in text
    assert url("mode", scheduled_case) in text
    office = dutch(client, bram).get(reverse("cases:detail", args=[scheduled_case.pk]))
    assert "Conferentiemodus" not in office.content.decode()


def test_after_the_start_the_office_reads_only_that_the_conference_took_place(
    client, checking_in, everyone_said_yes, carla, bram
):
    _begun(checking_in, everyone_said_yes, carla)
    actions.mark_introductions(checking_in, by=carla)
    first = Round.objects.order_by("position").first()
    actions.mark_round_done(first, note="wil sorry zeggen", by=carla)
    case = checking_in.case
    coordinator = dutch(client, carla).get(reverse("cases:detail", args=[case.pk]))
    text = coordinator.content.decode()
    assert "De conferentie begon op" in text
    assert "1 van 4 klaar" in text
    assert "wil sorry zeggen" not in text
    client.logout()
    office = dutch(client, bram).get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert "De conferentie begon op" in office
    assert "1 van 4 klaar" not in office
    assert "wil sorry zeggen" not in office
    assert "Conferentiemodus" not in office


# --- queries ---------------------------------------------------------------------------------------


def _queries(client, case) -> int:
    client.get(url("mode", case))  # once first: what a session reads only on its first request
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url("mode", case)).status_code == 200
    return len(ctx.captured_queries)


def _more_people(case, people, n):
    for i in range(n):
        of = people["daan"] if i % 2 else people["sanne"]
        said_yes(case, f"Supporter {i:02d}", supports=of)


def test_the_query_count_of_check_in_does_not_grow_with_the_circle(
    client, checking_in, everyone_said_yes, carla
):
    client = dutch(client, carla)
    actions.check_in(checking_in, everyone_said_yes["daan"], present=True, by=carla)
    four = _queries(client, checking_in.case)
    _more_people(checking_in.case, everyone_said_yes, 16)
    assert _queries(client, checking_in.case) == four


def test_the_query_count_before_the_first_check_in_does_not_grow_with_the_circle(
    client, scheduled_case, everyone_said_yes, carla
):
    """On the day, before anyone is checked in (no conference row yet): the check-in list asks
    the policy for every person, and the meeting is read once."""
    client = dutch(client, carla)
    four = _queries(client, scheduled_case)
    _more_people(scheduled_case, everyone_said_yes, 16)
    assert _queries(client, scheduled_case) == four


def test_the_query_count_of_the_rounds_does_not_grow_with_the_circle(
    client, checking_in, everyone_said_yes, carla, scheduled_case, summer_meeting
):
    client = dutch(client, carla)
    _begun(checking_in, everyone_said_yes, carla)
    actions.mark_introductions(checking_in, by=carla)
    four = _queries(client, checking_in.case)
    # The same case again with twenty people: a second conference is not possible, so the
    # rounds are added to this one.
    _more_people(checking_in.case, everyone_said_yes, 16)
    from kring.circle.models import Participant

    extra = Participant.objects.filter(name__startswith="Supporter")
    for position, person in enumerate(extra, start=5):
        Round.objects.create(conference=checking_in, participant=person, position=position)
    assert _queries(client, checking_in.case) == four


def test_the_query_count_of_the_plan_stage_does_not_grow_with_the_agreements(client, plan, carla):
    """The issue: conference mode costs the same for a plan of 3 and of 30 agreements (rounds
    done, the plan begun: the page's last step)."""
    from kring.conference.models import Agreement

    def agree(start, n):
        Agreement.objects.bulk_create(
            Agreement(plan=plan, position=p, what=f"Afspraak {p}.", prevents_repeat=p == 1)
            for p in range(start, start + n)
        )

    client = dutch(client, carla)
    agree(1, 3)
    page = client.get(url("mode", plan.case))
    assert reverse("conference:plan", args=[plan.case_id]) in page.content.decode()
    three = _queries(client, plan.case)
    agree(4, 27)
    assert Agreement.objects.filter(plan=plan).count() == 30
    assert _queries(client, plan.case) == three
