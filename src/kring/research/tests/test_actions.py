"""The questionnaires' actions (issue 13, point 1; R16), from Carla's case after its conference
(`following_up`: Daan, Sanne, Joost and Ria present, the plan signed by all four; Ria has no
e-mail address). The conference is recorded for the figures and the four are invited once;
each answer is stored without the person, once; the second questionnaire follows after the
configured months, never when they are 0."""

import logging
from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from kring.audit.actors import SYSTEM, Actor
from kring.audit.models import AuditEvent
from kring.cases.lifecycle import State
from kring.cases.models import Case, CaseEvent
from kring.circle.models import Participant, Status
from kring.conference import editing, versions
from kring.conference.models import Agreement, Plan
from kring.core.policy import NotAllowed, Refused
from kring.followup.tests.conftest import sign_everyone
from kring.notifications.models import OutgoingMail
from kring.research import actions, tasks
from kring.research.models import (
    Answer,
    AnswerRole,
    ConferenceRecord,
    Invitation,
    Remark,
    Round,
    Source,
)

pytestmark = pytest.mark.django_db

MAIL = actions.MAIL
REMARK = "Het gesprek met Daan hielp me echt."


def invitation_of(participant, round_=Round.FIRST) -> Invitation:
    return Invitation.objects.select_related("participant__case", "record").get(
        participant=participant, round=round_
    )


def invitation_mails():
    return OutgoingMail.objects.filter(kind=MAIL).order_by("to")


def withdraw(participant):
    """`participant` stopped taking part. Set directly: from the conference on no action of the
    circle reaches it (withdrawing ends when the plan is signed, R9), yet the rule must hold."""
    Participant.objects.filter(pk=participant.pk).update(status=Status.WITHDRAWN)
    participant.refresh_from_db()


# --- recording the conference and the first invitations --------------------------------------------


def test_the_conference_is_recorded_and_the_four_present_are_invited_once(
    following_up, daan, sanne, joost, ria, final_version
):
    record = ConferenceRecord.objects.get(case=following_up)
    conference = final_version.plan.conference
    assert record.source == Source.LIVE
    assert record.team_id == following_up.team_id
    assert record.held_on == timezone.localtime(conference.started_at).date()
    assert record.participants_present == 4  # the coordinator not counted
    assert {(i.participant_id, i.role, i.round) for i in record.invitations.all()} == {
        (daan.pk, AnswerRole.RESPONSIBLE, Round.FIRST),
        (sanne.pk, AnswerRole.HARMED, Round.FIRST),
        (joost.pk, AnswerRole.SUPPORTER, Round.FIRST),
        (ria.pk, AnswerRole.SUPPORTER, Round.FIRST),
    }
    event = CaseEvent.objects.get(case=following_up, kind=actions.INVITED)
    assert event.actor_kind == SYSTEM.kind and event.data == {"round": 1, "invited": 4}


def test_the_mail_goes_to_those_with_an_address_and_says_nothing_of_the_case(
    following_up, daan, sanne, joost, ria
):
    mails = list(invitation_mails())
    # Ria has no e-mail address: she hears of it from her coordinator or on her page.
    assert [m.to for m in mails] == [daan.email, joost.email, sanne.email]
    assert {m.language for m in mails} == {"nl", "en"}
    for mail in mails:
        for text in (mail.subject, mail.body_text, mail.body_html):
            for secret in (following_up.reference, "Sanne Jansen", "Daan de Boer", "fiets"):
                assert secret not in text
    dutch = next(m for m in mails if m.to == daan.email)
    assert dutch.subject == "Er staat een korte vragenlijst voor je klaar"
    assert "Beste Daan," in dutch.body_text
    assert "/code/" in dutch.body_text


def test_recording_again_changes_nothing(following_up, final_version):
    record = ConferenceRecord.objects.get(case=following_up)
    assert actions.record_conference(following_up, final_version) == record
    actions.on_closed(following_up, None)
    assert ConferenceRecord.objects.count() == 1
    assert Invitation.objects.count() == 4
    assert invitation_mails().count() == 3


def test_a_new_version_signed_by_everyone_invites_nobody_again(
    following_up, final_version, carla, daan
):
    plan = Plan.objects.get(pk=final_version.plan_id)
    bike = Agreement.objects.get(plan=plan, position=1)
    editing.save_agreement(bike, revision=bike.revision, by=carla, by_when=date(2028, 3, 1))
    version_2 = versions.finalise(plan, by=carla)
    sign_everyone(version_2, carla)

    assert version_2.number == 2
    assert ConferenceRecord.objects.count() == 1
    assert Invitation.objects.count() == 4
    assert invitation_mails().count() == 3
    assert CaseEvent.objects.filter(case=following_up, kind=actions.INVITED).count() == 1


def test_closing_records_a_conference_that_signing_did_not(following_up, final_version):
    # Recorded before this research stage existed: no record yet (removed here to be so).
    ConferenceRecord.objects.all().delete()
    actions.on_closed(following_up, None)
    record = ConferenceRecord.objects.get(case=following_up)
    assert record.participants_present == 4
    assert record.invitations.count() == 4


def test_who_stopped_taking_part_before_signing_is_neither_counted_nor_invited(
    final_version, carla, everyone_said_yes
):
    joost = everyone_said_yes["joost"]
    withdraw(joost)
    # Who still signs: the three present who take part.
    sign_everyone(final_version, carla)
    record = ConferenceRecord.objects.get()
    assert record.participants_present == 3
    assert joost.pk not in set(record.invitations.values_list("participant_id", flat=True))


# --- answering -----------------------------------------------------------------------------------------


def test_an_answer_is_stored_without_the_person_and_once(following_up, sanne):
    invitation = invitation_of(sanne)
    me = Actor.in_portal(sanne)
    answer = actions.answer(
        invitation,
        {
            "satisfied": 5,
            "situation_restored": 4,
            "said_well": 5,
            "good_agreements": 3,
            "relations_restored": "yes",
            "less_afraid": "na",
            "remark": f"  {REMARK}  ",
        },
        by=me,
    )
    assert (answer.role, answer.round, answer.satisfied, answer.situation_restored) == (
        AnswerRole.HARMED,
        Round.FIRST,
        5,
        4,
    )
    assert (answer.said_well, answer.good_agreements) == (5, 3)
    assert (answer.relations_restored, answer.less_afraid, answer.feel_better) == ("yes", "na", "")
    assert not hasattr(answer, "participant_id")
    # No day in the research tables that would match the invitation's answered_at (ADR 0011):
    # the answer has none, the remark only its month.
    assert {f.name for f in Answer._meta.get_fields()} & {"answered_on", "created_at"} == set()
    remark = Remark.objects.get()
    assert (remark.text, remark.role, remark.case_id) == (
        REMARK,
        AnswerRole.HARMED,
        following_up.pk,
    )
    assert remark.created_on == timezone.localdate().replace(day=1)
    invitation.refresh_from_db()
    assert invitation.answered_at is not None and not invitation.on_paper

    event = CaseEvent.objects.get(case=following_up, kind=actions.ANSWERED)
    assert event.actor_participant_id == sanne.pk
    assert event.data == {"participant": sanne.pk, "round": 1, "on_paper": False}
    audit = AuditEvent.objects.get(action=actions.ANSWERED)
    assert REMARK not in str(audit.data) and "5" not in str(audit.data)

    # A second submit (a double tap) stores nothing.
    with pytest.raises(Refused) as refused:
        actions.answer(invitation, {"satisfied": 1}, by=me)
    assert refused.value.code == "answered"
    assert Answer.objects.count() == 1 and Remark.objects.count() == 1


def test_the_harmed_only_questions_of_anyone_else_are_never_stored(following_up, daan):
    answer = actions.answer(
        invitation_of(daan),
        {"satisfied": 4, "situation_restored": 5, "said_well": 5, "good_agreements": 5},
        by=Actor.in_portal(daan),
    )
    answer.refresh_from_db()
    assert (answer.role, answer.satisfied) == (AnswerRole.RESPONSIBLE, 4)
    assert (answer.situation_restored, answer.said_well, answer.good_agreements) == (None,) * 3


def test_a_blank_remark_stores_no_remark(following_up, joost):
    actions.answer(
        invitation_of(joost), {"satisfied": 3, "remark": "   "}, by=Actor.in_portal(joost)
    )
    assert Answer.objects.count() == 1 and not Remark.objects.exists()


@pytest.mark.parametrize(
    ("data", "code"),
    [
        ({}, "empty"),
        ({"satisfied": None, "remark": "  "}, "empty"),
        ({"satisfied": 7}, "bad_scale"),
        ({"satisfied": 0}, "bad_scale"),
        ({"satisfied": "vijf"}, "bad_scale"),
        ({"less_afraid": "maybe"}, "bad_choice"),
        ({"satisfied": 4, "remark": "x" * 2001}, "too_long"),
    ],
)
def test_bad_input_is_refused_and_stores_nothing(following_up, sanne, data, code):
    with pytest.raises(Refused) as refused:
        actions.answer(invitation_of(sanne), data, by=Actor.in_portal(sanne))
    assert refused.value.code == code
    assert not Answer.objects.exists() and not Remark.objects.exists()
    assert invitation_of(sanne).answered_at is None


def test_who_stopped_taking_part_cannot_answer(following_up, daan, joost, carla):
    # Before: Daan answers.
    actions.answer(invitation_of(daan), {"satisfied": 4}, by=Actor.in_portal(daan))
    assert Answer.objects.count() == 1
    # Joost stops taking part (his consent is withdrawn): his questionnaire is refused.
    withdraw(joost)
    with pytest.raises(Refused) as refused:
        actions.answer(invitation_of(joost), {"satisfied": 4}, by=Actor.in_portal(joost))
    assert refused.value.code == "left"
    assert Answer.objects.count() == 1


def test_nobody_answers_for_someone_else(following_up, daan, sanne):
    with pytest.raises(NotAllowed):
        actions.answer(invitation_of(sanne), {"satisfied": 5}, by=Actor.in_portal(daan))
    assert not Answer.objects.exists()


def test_the_coordinator_types_in_a_paper_questionnaire_and_olaf_cannot(
    following_up, ria, carla, olaf
):
    invitation = invitation_of(ria)
    with pytest.raises(NotAllowed):
        actions.answer(invitation, {"satisfied": 2}, by=olaf)
    assert not Answer.objects.exists()
    actions.answer(invitation, {"satisfied": 2, "feel_better": "no"}, by=carla)
    invitation.refresh_from_db()
    assert invitation.on_paper and invitation.answered_at is not None
    assert Answer.objects.get().satisfied == 2
    event = CaseEvent.objects.get(case=following_up, kind=actions.ANSWERED)
    assert event.actor_id == carla.pk
    assert event.data == {"participant": ria.pk, "round": 1, "on_paper": True}


# --- the second questionnaire ---------------------------------------------------------------------------


def held_on(case) -> date:
    return ConferenceRecord.objects.get(case=case).held_on


def test_the_second_questionnaire_follows_after_the_months(following_up, settings, joost, carla):
    settings.KRING_EVALUATION_SECOND_MONTHS = 6
    day = held_on(following_up)
    withdraw(joost)  # he stopped taking part: not asked again
    before = actions.months_before  # the day six months on, in the calendar
    six_months_on = next(
        day + timedelta(days=n)
        for n in range(170, 200)
        if before(day + timedelta(days=n), 6) >= day
    )
    assert actions.invite_second_round(today=six_months_on - timedelta(days=1)) == 0
    assert actions.invite_second_round(today=six_months_on) == 3
    second = Invitation.objects.filter(round=Round.SECOND)
    assert {i.role for i in second} == {AnswerRole.RESPONSIBLE, AnswerRole.HARMED, "supporter"}
    assert joost.pk not in set(second.values_list("participant_id", flat=True))
    # A mail to Daan and Sanne (Ria has no address; Joost stopped), once.
    assert invitation_mails().count() == 3 + 2
    assert actions.invite_second_round(today=six_months_on + timedelta(days=30)) == 0
    assert Invitation.objects.filter(round=Round.SECOND).count() == 3
    event = CaseEvent.objects.filter(case=following_up, kind=actions.INVITED).latest("pk")
    assert event.data == {"round": 2, "invited": 3}


def test_no_second_questionnaire_when_the_months_are_zero(following_up, settings):
    settings.KRING_EVALUATION_SECOND_MONTHS = 0
    assert actions.invite_second_round(today=held_on(following_up) + timedelta(days=3650)) == 0
    assert not Invitation.objects.filter(round=Round.SECOND).exists()


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (date(2027, 7, 15), 6, date(2027, 1, 15)),
        (date(2027, 8, 31), 6, date(2027, 2, 28)),
        (date(2028, 8, 31), 6, date(2028, 2, 29)),
        (date(2027, 3, 1), 12, date(2026, 3, 1)),
    ],
)
def test_months_before_counts_calendar_months(day, months, expected):
    assert actions.months_before(day, months) == expected


def test_the_hourly_task_invites_through_the_action(following_up, settings):
    settings.KRING_EVALUATION_SECOND_MONTHS = 6
    ConferenceRecord.objects.filter(case=following_up).update(
        held_on=timezone.localdate() - timedelta(days=200)
    )
    tasks.invite_to_second_questionnaire.call_local()
    assert Invitation.objects.filter(round=Round.SECOND).count() == 4
    assert ConferenceRecord.objects.get(case=following_up).second_round_at is not None


def hold_on(case, day: date) -> None:
    ConferenceRecord.objects.filter(case=case).update(held_on=day)


def test_a_record_whose_invitees_all_left_is_handled_once(
    following_up, settings, daan, sanne, joost, ria
):
    settings.KRING_EVALUATION_SECOND_MONTHS = 6
    hold_on(following_up, timezone.localdate() - timedelta(days=200))
    for person in (daan, sanne, joost, ria):
        withdraw(person)
    assert actions.invite_second_round() == 0
    handled = ConferenceRecord.objects.get(case=following_up).second_round_at
    assert handled is not None  # handled, though nobody was left to invite
    # The next hour it is not looked at again: the same mark, no second-round invitation.
    assert actions.invite_second_round() == 0
    assert ConferenceRecord.objects.get(case=following_up).second_round_at == handled
    assert not Invitation.objects.filter(round=Round.SECOND).exists()


def test_switching_the_second_questionnaire_on_mails_no_conference_of_long_ago(
    following_up, settings
):
    settings.KRING_EVALUATION_SECOND_MONTHS = 0
    hold_on(following_up, timezone.localdate() - timedelta(days=3 * 365))
    mails_before = invitation_mails().count()
    settings.KRING_EVALUATION_SECOND_MONTHS = 6  # switched on three years later
    assert actions.invite_second_round() == 0
    assert invitation_mails().count() == mails_before
    assert not Invitation.objects.filter(round=Round.SECOND).exists()
    # The same record, held in the window, would have been invited: the window refuses it.
    hold_on(following_up, timezone.localdate() - timedelta(days=200))
    assert actions.invite_second_round() == 3 + 1


def test_the_hourly_work_does_not_grow_with_handled_records(
    following_up, settings, daan, sanne, joost, ria
):
    settings.KRING_EVALUATION_SECOND_MONTHS = 6

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            actions.invite_second_round()
        return len(captured)

    nothing_to_do = queries()  # the conference was held today: not in the window yet
    hold_on(following_up, timezone.localdate() - timedelta(days=200))
    for person in (daan, sanne, joost, ria):
        withdraw(person)
    assert queries() > nothing_to_do  # handled now: nobody left to invite
    # From now on the record costs nothing: the hourly run is as cheap as with no record.
    assert queries() == nothing_to_do


# --- a failure in research never undoes a signature -------------------------------------------------


def test_a_failure_while_recording_leaves_the_signatures_and_the_task_records_it_later(
    final_version, carla, everyone_said_yes, other_team, caplog
):
    """Recording fails with a real database error: Sanne already holds a first-round invitation
    (of another, imported record), so inviting her again breaks `invitation_once_per_round`.
    Signing still completes; once the stray row is gone the hourly task records the case."""
    from kring.signing.models import Signature

    sanne = everyone_said_yes["sanne"]
    stray_record = ConferenceRecord.objects.create(
        source=Source.IMPORTED,
        import_ref="stray",
        team=other_team,
        held_on=date(2020, 1, 1),
        participants_present=2,
    )
    stray = Invitation.objects.create(
        record=stray_record, participant=sanne, role=AnswerRole.HARMED
    )
    case = final_version.plan.case
    with caplog.at_level(logging.ERROR, logger="kring.research.actions"):
        sign_everyone(final_version, carla)

    case = Case.objects.get(pk=case.pk)
    assert case.state == State.FOLLOWING_UP
    assert Signature.objects.filter(version=final_version).count() == 4
    assert not ConferenceRecord.objects.filter(case=case).exists()
    assert not invitation_mails().exists()  # the failed recording's mails went with it
    logged = " ".join(r.getMessage() for r in caplog.records)
    assert f"case {case.pk}" in logged and "IntegrityError" in logged
    for secret in ("Sanne", "Daan", "fiets", case.reference):
        assert secret not in logged

    stray.delete()
    tasks.invite_to_second_questionnaire.call_local()
    record = ConferenceRecord.objects.get(case=case)
    assert record.participants_present == 4
    assert record.invitations.count() == 4
    assert invitation_mails().count() == 3
    # Idempotent: the next hour records nothing more.
    assert actions.record_missing() == 0
    assert ConferenceRecord.objects.filter(case=case).count() == 1


def test_the_task_records_a_conference_of_long_ago_without_inviting_anyone(following_up):
    ConferenceRecord.objects.all().delete()  # signed before this stage existed
    assert actions.record_missing(today=timezone.localdate() + timedelta(days=365)) == 1
    record = ConferenceRecord.objects.get(case=following_up)
    assert record.participants_present == 4
    assert not record.invitations.exists()
