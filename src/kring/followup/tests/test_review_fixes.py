"""What the review of issue 12 found in follow-up's policy, actions and personal page, each
proved by a test that fails without its fix:

- finding 4 (R14): a case is not closed while a new version of the plan waits for signatures
  (once closed, nobody could sign it); a draft never made final holds nothing up;
- finding 5 (ADR 0005): the action itself refuses to answer a report of done with a state (it is
  confirmed or asked back about), not only the page;
- finding 6: the personal page makes the same number of queries for 10 and 1,000 agreements;
- finding 8: a timeline line names the agreement's number in its own version, so a later version
  that renumbers the agreements does not make an old line point at another one;
- finding 9: a refused report's page (400) shows the case's agreements, and is logged as a read;
- finding 19: a NUL character in the closing note gets the action's words, not Django's."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from kring.audit.actors import Actor
from kring.audit.models import AuditEvent
from kring.cases import registry
from kring.cases.lifecycle import State
from kring.cases.models import CaseEvent
from kring.conference import versions
from kring.conference.models import Agreement, Plan
from kring.core.policy import Refused
from kring.followup import actions, closing, policy
from kring.followup.models import AgreementState, Closure, Outcome, Report, TrackedAgreement
from kring.followup.tests.conftest import sign_everyone
from kring.followup.tests.test_change_by_consent import change_the_plan
from kring.followup.tests.test_portal_views import enter
from kring.followup.tests.test_portal_views import invoke as post_invoke
from kring.followup.tests.test_portal_views import text as seen_in_portal
from kring.followup.tests.test_sync import next_version
from kring.signing import queries as signing_queries
from kring.signing.tests.pages import dutch, text

pytestmark = pytest.mark.django_db


def shown(event: CaseEvent) -> str:
    with translation.override("en"):
        return " — ".join(
            [str(registry.event_label(event.kind)), *registry.timeline_details(event, full=True)]
        )


def closing_url(case) -> str:
    return reverse("followup:close", args=[case.pk])


def still_following_up(case) -> None:
    case.refresh_from_db()
    assert case.state == State.FOLLOWING_UP
    assert not Closure.objects.filter(case=case).exists()


@pytest.fixture
def plan_v1(following_up, final_version):
    return Plan.objects.select_related("conference__meeting").get(pk=final_version.plan_id)


# --- finding 4: not closed while a new version waits for signatures (R14) -------------------------


def test_a_case_is_not_closed_while_a_new_version_waits_for_signatures(
    following_up, plan_v1, carla, daan, client
):
    change_the_plan(plan_v1, carla, daan)
    version_2 = versions.finalise(plan_v1, by=carla)
    assert signing_queries.version_to_sign(following_up) == version_2

    with pytest.raises(Refused) as refused:
        closing.close(following_up, by=carla, outcome=Outcome.ALL_KEPT)
    assert refused.value.code == "version_unsigned"
    still_following_up(following_up)
    # The closing page says why, instead of the form.
    page = dutch(client, carla).get(closing_url(following_up))
    assert "Een nieuwe versie van het plan wacht op de handtekening van iedereen." in text(page)
    assert 'name="outcome"' not in page.content.decode()
    posted = client.post(closing_url(following_up), {"outcome": Outcome.ALL_KEPT})
    assert posted.status_code == 200
    still_following_up(following_up)

    # Once everyone signed version 2, the case is closed.
    sign_everyone(version_2, carla)
    closing.close(following_up, by=carla, outcome=Outcome.ALL_KEPT)
    following_up.refresh_from_db()
    assert following_up.state == State.CLOSED


def test_a_draft_never_made_final_does_not_hold_the_close_up(following_up, plan_v1, carla, daan):
    change_the_plan(plan_v1, carla, daan)
    assert signing_queries.version_to_sign(following_up) is None

    closing.close(following_up, by=carla, outcome=Outcome.OTHER, note="Het plan bleef een schets.")

    following_up.refresh_from_db()
    assert following_up.state == State.CLOSED


# --- finding 5: a report of done is confirmed or asked back about, never answered -----------------


def test_the_action_refuses_to_answer_a_report_of_done(bike, daan, carla):
    report = actions.report_done(bike, by=Actor.in_portal(daan), participant=daan, text="Betaald.")

    with pytest.raises(Refused) as refused:
        actions.answer(report, by=carla, text="Jammer.", state=AgreementState.NOT_KEPT)

    assert refused.value.code == "kind"
    report.refresh_from_db()
    bike.refresh_from_db()
    assert (report.answered_at, report.outcome, bike.state) == (None, "", AgreementState.OPEN)
    # Confirming it is what the coordinator does with it.
    actions.confirm_done(report, by=carla)
    bike.refresh_from_db()
    assert bike.state == AgreementState.DONE


def test_an_invocation_is_still_answered(bike, sanne, carla):
    report = actions.invoke(bike, by=Actor.in_portal(sanne), participant=sanne, text="Niets.")
    assert policy.may_answer(carla, report) is None
    actions.answer(report, by=carla, text="Ik bel Daan.", state=AgreementState.NOT_KEPT)
    bike.refresh_from_db()
    assert bike.state == AgreementState.NOT_KEPT


# --- finding 6: the personal page's queries do not grow with the agreements ----------------------


def _add_agreements(case, how_many: int, daan, sanne, *, start: int) -> None:
    first = TrackedAgreement.objects.filter(case=case).order_by("pk").first()
    TrackedAgreement.objects.bulk_create(
        TrackedAgreement(
            case=case,
            version=first.version,
            number=start + i,
            what=f"Afspraak {i}",
            owner=daan if i % 2 else sanne,
            due=date(2028, 1, 1),
        )
        for i in range(how_many)
    )


def _queries_of_the_page(client) -> int:
    with CaptureQueriesContext(connection) as done:
        assert client.get(reverse("followup:portal")).status_code == 200
    return len(done)


def test_the_personal_page_makes_as_many_queries_for_10_as_for_1000_agreements(
    client, following_up, bike, school, daan, sanne, carla
):
    # A report of Sanne's that waits, and one the coordinator answered.
    actions.invoke(bike, by=Actor.in_portal(sanne), participant=sanne, text="Niets betaald.")
    answered = actions.invoke(
        school, by=Actor.in_portal(sanne), participant=sanne, text="Weer langs school."
    )
    actions.answer(answered, by=carla, text="Ik spreek Daan.")
    enter(client, sanne, carla)
    _queries_of_the_page(client)  # the answer is marked read: one write the next time does not
    _add_agreements(following_up, 10, daan, sanne, start=100)
    ten = _queries_of_the_page(client)
    _add_agreements(following_up, 990, daan, sanne, start=200)

    thousand = _queries_of_the_page(client)

    assert thousand == ten
    page = seen_in_portal(client.get(reverse("followup:portal")))
    assert "Afspraak 989" in page
    # The forms are still there where Sanne may report, and not where her report waits.
    assert reverse("followup:portal_report_done", args=[_tracked(following_up, 100)]) in page.html
    assert reverse("followup:portal_invoke", args=[_tracked(following_up, 101)]) in page.html
    assert reverse("followup:portal_invoke", args=[bike.pk]) not in page.html


def _tracked(case, number: int) -> int:
    return TrackedAgreement.objects.get(case=case, number=number).pk


# --- finding 8: a timeline line keeps pointing at its agreement after a new version ---------------


def test_an_old_timeline_line_names_the_version_its_number_belongs_to(
    following_up, bike, carla, daan
):
    actions.set_state(bike, AgreementState.PARTLY_DONE, by=carla, note="De helft.")
    before = CaseEvent.objects.filter(case=following_up, kind="followup.state_set").get()
    plan = bike.version.plan
    # By mutual consent a new first agreement: the bike's becomes agreement 2 of version 2.
    Agreement.objects.create(plan=plan, position=0, what="Daan schrijft Sanne een brief.", who=daan)
    actions.sync(following_up, next_version(plan, carla))
    bike.refresh_from_db()
    assert bike.number == 2

    actions.set_state(bike, AgreementState.DONE, by=carla)

    before.refresh_from_db()
    assert shown(before) == (
        "Recorded the state of an agreement — Agreement 1 of version 1: Partly done"
    )
    after = CaseEvent.objects.filter(case=following_up, kind="followup.state_set").latest("pk")
    assert shown(after) == "Recorded the state of an agreement — Agreement 2 of version 2: Done"
    assert after.data["tracked"] == before.data["tracked"] == bike.pk


# --- finding 9: a refused report's page is a read, and logged ------------------------------------


def test_a_refused_report_shows_the_agreements_and_logs_the_read(client, bike, sanne, carla):
    enter(client, sanne, carla)
    reads = AuditEvent.objects.filter(
        action="followup.portal_viewed", actor_participant_id=sanne.pk
    )
    before = reads.count()

    response = post_invoke(client, bike, words="")

    assert response.status_code == 400
    assert bike.what in seen_in_portal(response)
    assert reads.count() == before + 1
    assert not Report.objects.filter(tracked=bike).exists()


# --- finding 19: a NUL character in the closing note -----------------------------------------------


def test_a_nul_character_in_the_closing_note_gets_the_actions_words(following_up, carla, client):
    page = dutch(client, carla).post(
        closing_url(following_up), {"outcome": Outcome.OTHER, "note": "Anders\x00 afgelopen."}
    )
    seen = text(page)
    assert "In deze tekst staat een teken dat niet kan worden opgeslagen. Haal het weg." in seen
    assert "Null" not in seen
    still_following_up(following_up)


# --- the actions refuse in the forms' words (templates review, finding 8) -------------------------


def test_the_actions_refuse_in_the_same_words_as_the_forms(bike, daan, sanne, carla):
    from kring.followup import texts

    report = actions.invoke(bike, by=Actor.in_portal(sanne), participant=sanne, text="Niets.")
    asked = actions.report_done(bike, by=Actor.in_portal(daan), participant=daan, text="Klaar.")
    cases = [
        (lambda: actions.answer(report, by=carla, text=" "), texts.ANSWER_REQUIRED),
        (lambda: actions.ask_back(asked, by=carla, text=""), texts.ASK_BACK_REQUIRED),
        (
            lambda: actions.answer(report, by=carla, text="x" * (actions.TEXT_MAX + 1)),
            str(texts.TOO_LONG) % {"limit_value": actions.TEXT_MAX},
        ),
        (
            lambda: actions.set_state(bike, AgreementState.DONE, by=carla, note="a\x00"),
            texts.INVISIBLE,
        ),
    ]
    for call, words in cases:
        with pytest.raises(Refused) as refused:
            call()
        assert str(refused.value.reason) == str(words)
