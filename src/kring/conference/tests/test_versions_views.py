"""The pages of the plan's versions, the informal part and a meeting that did not take place
(issue 10, points 5 and 6), as Carla reads them, in Dutch: what the plan still needs, finalising,
the list of versions with what changed, one version with its fingerprint, and recording that the
conference did not go on. Who may: Carla (the coordinator) acts; Mira (the team's manager)
reads; Bram (the office) is refused; Olaf (another coordinator) does not find the case."""

from datetime import date, timedelta

import pytest
from django.db.models import F
from django.urls import reverse
from django.utils import timezone

from kring.audit.models import AuditEvent
from kring.cases.lifecycle import State
from kring.conference import versions
from kring.conference.models import Agreement, Conference, NotHeldReason, Plan, PlanVersion
from kring.scheduling import booking
from kring.scheduling.models import Booking, Meeting
from kring.testing.auth import force_verified_login

pytestmark = pytest.mark.django_db


def in_dutch(client, user):
    force_verified_login(client, user)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "nl"
    client.cookies["django_language"] = "nl"
    return client


def page(response) -> str:
    assert response.status_code == 200, response.status_code
    return " ".join(response.content.decode().split())


@pytest.fixture
def complete(plan, daan):
    Agreement.objects.create(
        plan=plan,
        position=1,
        what="Daan fietst niet meer via de Lindelaan.",
        who=daan,
        prevents_repeat=True,
    )
    Plan.objects.filter(pk=plan.pk).update(
        evaluation_date=date(2027, 9, 16),
        if_not_kept="Dan belt Carla iedereen.",
        edit_count=F("edit_count") + 3,
    )
    plan.refresh_from_db()
    return plan


def url(name, case, *args):
    return reverse(f"conference:{name}", args=[case.pk, *args])


def test_an_incomplete_plan_shows_what_it_still_needs_and_a_post_makes_no_version(
    client, plan, carla
):
    in_dutch(client, carla)
    shown = page(client.get(url("finalise", plan.case)))
    assert "Voordat het plan kan worden vastgesteld, is nog nodig:" in shown
    assert "een afspraak die herhaling voorkomt" in shown
    assert "een datum voor de evaluatie" in shown
    assert "wat er gebeurt als een afspraak niet wordt nagekomen" in shown
    assert "Stel het plan vast</button>" not in shown
    shown = page(client.post(url("finalise", plan.case)))
    assert "Het plan kan nog niet worden vastgesteld. Er is nog nodig:" in shown
    assert not PlanVersion.objects.exists()


def test_finalising_on_the_page_makes_version_1_and_lists_it(client, complete, carla):
    in_dutch(client, carla)
    shown = page(client.get(url("finalise", complete.case)))
    assert "Dit wordt versie 1" in shown
    assert "Daan fietst niet meer via de Lindelaan." in shown
    response = client.post(url("finalise", complete.case))
    assert response.status_code == 302
    assert response["Location"] == url("versions", complete.case)
    version = PlanVersion.objects.get()
    shown = page(client.get(response["Location"]))
    assert "Versie 1 van het plan is vastgesteld." in shown
    assert "Het plan is vastgesteld: versie 1." in shown
    assert f'title="{version.content_hash}">{version.content_hash[:12]}</code>' in shown
    assert "De eerste vastgestelde versie." in shown
    # Finalised, it cannot be finalised again: no button, and the page says why.
    shown = page(client.get(url("finalise", complete.case)))
    assert "Dit plan is al vastgesteld." in shown
    assert "Stel versie 2 vast</button>" not in shown
    assert client.post(url("finalise", complete.case)).status_code == 200
    assert PlanVersion.objects.count() == 1


def test_a_change_after_version_1_is_a_draft_of_version_2_with_what_changed(
    client, complete, carla, joost
):
    versions.finalise(complete, by=carla)
    Agreement.objects.create(
        plan=complete, position=2, what="Joost helpt met het slot.", who=joost, for_whom="Sanne"
    )
    Plan.objects.filter(pk=complete.pk).update(edit_count=F("edit_count") + 1)
    in_dutch(client, carla)
    shown = page(client.get(url("versions", complete.case)))
    assert "Het plan is veranderd sinds versie 1: het is een concept van versie 2." in shown
    assert "Stel versie 2 vast</button>" in shown
    shown = page(client.get(url("finalise", complete.case)))
    assert "Afspraak 2 is toegevoegd: Joost helpt met het slot." in shown
    client.post(url("finalise", complete.case))
    shown = page(client.get(url("versions", complete.case)))
    assert "Veranderd sinds versie 1:" in shown
    assert "Afspraak 2 is toegevoegd: Joost helpt met het slot." in shown
    assert shown.index("Versie 2</h3>") < shown.index("Versie 1</h3>")


def test_one_version_reads_from_what_was_frozen_with_its_fingerprint(client, complete, carla):
    version = versions.finalise(complete, by=carla)
    # A later change does not change what version 1 says.
    Agreement.objects.filter(plan=complete).update(what="Iets anders.")
    Plan.objects.filter(pk=complete.pk).update(edit_count=F("edit_count") + 1)
    in_dutch(client, carla)
    shown = page(client.get(url("version", complete.case, 1)))
    assert "Versie 1 van het plan van zaak" in shown
    assert "Daan fietst niet meer via de Lindelaan." in shown
    assert "Iets anders." not in shown
    assert version.content_hash in shown
    printed = url("print", complete.case) + "?versie=1"
    assert f'<a href="{printed}">Druk deze versie af</a>' in shown
    assert client.get(printed).status_code == 200
    assert client.get(url("version", complete.case, 2)).status_code == 404
    assert AuditEvent.objects.filter(action="conference.version_viewed").exists()


def test_the_manager_reads_the_versions_and_cannot_finalise(client, complete, carla, mira):
    versions.finalise(complete, by=carla)
    in_dutch(client, mira)
    shown = page(client.get(url("versions", complete.case)))
    assert "Versie 1</h3>" in shown
    assert "</button>" not in shown.split("<main")[1]
    assert client.get(url("version", complete.case, 1)).status_code == 200
    assert client.post(url("finalise", complete.case)).status_code == 403
    assert client.post(url("informal", complete.case)).status_code == 403
    assert AuditEvent.objects.filter(
        action="conference.versions_viewed", actor=mira, case=complete.case
    ).exists()


def test_the_office_is_refused_and_another_coordinator_finds_nothing(
    client, complete, carla, bram, olaf
):
    versions.finalise(complete, by=carla)
    in_dutch(client, bram)
    assert client.get(url("versions", complete.case)).status_code == 403
    assert client.get(url("version", complete.case, 1)).status_code == 403
    in_dutch(client, olaf)
    assert client.get(url("versions", complete.case)).status_code == 404
    assert client.post(url("finalise", complete.case)).status_code == 404


def test_the_pages_are_never_cached(client, complete, carla):
    versions.finalise(complete, by=carla)
    in_dutch(client, carla)
    for name, args in (("versions", ()), ("version", (1,)), ("finalise", ())):
        response = client.get(url(name, complete.case, *args))
        assert "no-store" in response["Cache-Control"] or "no-cache" in response["Cache-Control"]


def test_the_informal_part_is_marked_from_the_versions_page(client, complete, carla):
    in_dutch(client, carla)
    # Before a version: no button, and a POST changes nothing.
    assert "Het informele deel begint</button>" not in page(
        client.get(url("versions", complete.case))
    )
    client.post(url("informal", complete.case))
    complete.conference.refresh_from_db()
    assert complete.conference.informal_at is None
    versions.finalise(complete, by=carla)
    assert "Het informele deel begint</button>" in page(client.get(url("versions", complete.case)))
    response = client.post(url("informal", complete.case))
    assert response.status_code == 302
    shown = page(client.get(response["Location"]))
    assert "Het informele deel is begonnen." in shown
    assert "Het informele deel begon om" in shown


def test_recording_that_the_conference_did_not_go_on(
    client, scheduled_case, meeting_an_hour_ago, carla
):
    summer_meeting = meeting_an_hour_ago
    in_dutch(client, carla)
    not_held = url("not_held", scheduled_case)
    shown = page(client.get(not_held))
    assert f"Vastleggen dat de conferentie van zaak {scheduled_case.reference} niet is" in shown
    assert "Degene die de dupe is, kwam niet" in shown
    assert "Niemand krijgt een e-mail dat de conferentie niet doorgaat" in shown
    # Its day has come (it began an hour ago): no cancelling is suggested.
    assert "De dag van deze conferentie is er nog niet." not in shown
    assert reverse("scheduling:cancel", args=[summer_meeting.pk]) not in shown
    # To stop, a reason is needed: nothing changes without it.
    shown = page(client.post(not_held, {"reason": NotHeldReason.HARMED_ABSENT, "then": "stop"}))
    assert "Kies de reden om te stoppen." in shown
    scheduled_case.refresh_from_db()
    assert scheduled_case.state == State.SCHEDULED
    response = client.post(not_held, {"reason": NotHeldReason.HARMED_ABSENT, "then": "prepare"})
    assert response.status_code == 302
    scheduled_case.refresh_from_db()
    summer_meeting.refresh_from_db()
    assert scheduled_case.state == State.PREPARING
    assert summer_meeting.status == Meeting.Status.CANCELLED
    shown = page(client.get(response["Location"]))
    assert "De zaak is terug in voorbereiding: zoek een nieuwe datum." in shown
    assert "De conferentie is niet doorgegaan" in shown  # on the timeline
    # Afterwards the page says why it is not possible, without the form.
    shown = page(client.get(not_held))
    assert "Deze stap kan niet zolang de zaak de status “In voorbereiding” heeft." in shown
    assert '<form method="post" novalidate>' not in shown


def test_only_the_coordinator_records_it(client, scheduled_case, meeting_an_hour_ago, mira, bram):
    for someone in (mira, bram):
        in_dutch(client, someone)
        assert client.get(url("not_held", scheduled_case)).status_code == 403
        post = client.post(url("not_held", scheduled_case), {"reason": "other", "then": "prepare"})
        assert post.status_code == 403
    meeting_an_hour_ago.refresh_from_db()
    assert meeting_an_hour_ago.status == Meeting.Status.CONFIRMED


def test_before_the_day_the_page_offers_cancelling_and_a_post_changes_nothing(
    client, scheduled_case, meeting_ahead, linde, carla
):
    summer_meeting = meeting_ahead
    """Recording it tells nobody: weeks ahead (15 July 2027) it is refused, and the page offers
    cancelling, which tells everyone. On the day, the same POST records it."""
    booking.book_time(
        summer_meeting,
        venue=linde,
        starts_at=summer_meeting.starts_at,
        ends_at=summer_meeting.ends_at,
    )
    in_dutch(client, carla)
    not_held = url("not_held", scheduled_case)
    shown = page(client.get(not_held))
    assert (
        "De dag van deze conferentie is er nog niet. Gaat ze niet door? Zeg haar dan af: dan "
        "krijgt iedereen die meedoet bericht." in shown
    )
    cancel = reverse("scheduling:cancel", args=[summer_meeting.pk])
    assert f'<a href="{cancel}">Conferentie afzeggen</a>' in shown
    assert '<form method="post" novalidate>' not in shown

    posted = {"reason": NotHeldReason.HARMED_ABSENT, "then": "prepare"}
    shown = page(client.post(not_held, posted))
    assert "De dag van deze conferentie is er nog niet." in shown
    scheduled_case.refresh_from_db()
    summer_meeting.refresh_from_db()
    assert scheduled_case.state == State.SCHEDULED
    assert summer_meeting.status == Meeting.Status.CONFIRMED
    assert Booking.objects.filter(meeting=summer_meeting, released_at__isnull=True).count() == 2
    assert not Conference.objects.exists()

    # Its day has come: the same POST records it.
    now = timezone.now()
    Meeting.objects.filter(pk=summer_meeting.pk).update(
        starts_at=now - timedelta(hours=1), ends_at=now + timedelta(minutes=90)
    )
    response = client.post(not_held, posted)
    assert response.status_code == 302
    scheduled_case.refresh_from_db()
    summer_meeting.refresh_from_db()
    assert scheduled_case.state == State.PREPARING
    assert summer_meeting.status == Meeting.Status.CANCELLED
    assert not Booking.objects.filter(meeting=summer_meeting, released_at__isnull=True).exists()
    assert Conference.objects.get().not_held_reason == NotHeldReason.HARMED_ABSENT


def test_another_refusal_offers_no_cancelling(client, scheduled_case, summer_meeting, carla):
    """The link to cancel comes with the refusal before the day only: a case no longer
    scheduled shows why, without it (and without the form)."""
    from kring.cases.models import Case

    in_dutch(client, carla)
    Case.objects.filter(pk=scheduled_case.pk).update(state=State.PREPARING)
    shown = page(client.get(url("not_held", scheduled_case)))
    assert "Deze stap kan niet zolang de zaak de status" in shown
    assert reverse("scheduling:cancel", args=[summer_meeting.pk]) not in shown
    assert '<form method="post" novalidate>' not in shown
