"""Conference mode's actions (issue 10, point 1; R10): check-in, the start, the introductions,
the rounds in the method's order and the round for whoever wants to put something right. Each
refusal is shown to refuse something that the same action does once the rule is met."""

import pytest
from django.core.exceptions import PermissionDenied

from kring.audit.models import AuditEvent
from kring.cases.lifecycle import State
from kring.cases.models import CaseEvent
from kring.circle.models import Participant, Side, Status
from kring.conference import actions, queries
from kring.conference.models import Attendance, Conference, Round
from kring.conference.tests.mode_fixtures import said_yes, six_supporters
from kring.core.policy import Refused

pytestmark = pytest.mark.django_db


def _present(conference, *people, by):
    for person in people:
        actions.check_in(conference, person, present=True, by=by)


def _started(conference, people, carla):
    _present(conference, *people.values(), by=carla)
    return actions.start(conference, by=carla)


# --- check-in ------------------------------------------------------------------------------------


def test_check_in_begins_with_the_conference_of_the_confirmed_meeting_made_once(
    scheduled_case, summer_meeting, carla
):
    first = actions.open_conference(scheduled_case, by=carla)
    again = actions.open_conference(scheduled_case, by=carla)
    assert first.pk == again.pk
    assert first.meeting == summer_meeting
    assert Conference.objects.filter(case=scheduled_case).count() == 1
    assert AuditEvent.objects.filter(action="conference.opened").count() == 1


def test_another_coordinator_cannot_begin_check_in(scheduled_case, olaf):
    with pytest.raises(PermissionDenied):
        actions.open_conference(scheduled_case, by=olaf)
    assert not Conference.objects.exists()


def test_check_in_marks_present_and_not_there_and_may_change_its_mind(
    checking_in, everyone_said_yes, carla
):
    daan = everyone_said_yes["daan"]
    actions.check_in(checking_in, daan, present=False, by=carla)
    actions.check_in(checking_in, daan, present=True, by=carla)
    attendance = Attendance.objects.get(conference=checking_in, participant=daan)
    assert attendance.present is True
    # One audit row per change, with ids only; check-in is no line on the timeline.
    rows = AuditEvent.objects.filter(action="conference.checked_in").order_by("pk")
    assert [r.data for r in rows] == [
        {"participant": daan.pk, "present": False},
        {"participant": daan.pk, "present": True},
    ]
    assert not CaseEvent.objects.filter(kind__startswith="conference.").exists()


def test_someone_who_declined_cannot_be_checked_in_but_someone_invited_who_came_can(
    checking_in, scheduled_case, carla
):
    declined = Participant.objects.create(
        case=scheduled_case, name="Kees Visser", side=Side.OTHER, status=Status.DECLINED
    )
    with pytest.raises(Refused) as refused:
        actions.check_in(checking_in, declined, present=True, by=carla)
    assert refused.value.code == "not_taking_part"
    invited = Participant.objects.create(
        case=scheduled_case, name="Kees Visser", side=Side.OTHER, status=Status.INVITED
    )
    actions.check_in(checking_in, invited, present=True, by=carla)
    assert Attendance.objects.filter(participant=invited, present=True).exists()
    assert not Attendance.objects.filter(participant=declined).exists()


def test_someone_of_another_case_cannot_be_checked_in(checking_in, carla, team):
    from kring.cases import actions as case_actions
    from kring.testing.factories import ReferralFactory

    other_case = case_actions.open_case(ReferralFactory(), team=team)
    stranger = Participant.objects.create(
        case=other_case, name="Iemand Anders", side=Side.HARMED, status=Status.ACCEPTED
    )
    with pytest.raises(PermissionDenied):
        actions.check_in(checking_in, stranger, present=True, by=carla)
    assert not Attendance.objects.exists()


# --- the start -----------------------------------------------------------------------------------


def test_no_start_without_someone_of_both_sides_present(checking_in, everyone_said_yes, carla):
    people = everyone_said_yes
    _present(checking_in, people["daan"], people["joost"], people["ria"], by=carla)
    actions.check_in(checking_in, people["sanne"], present=False, by=carla)
    with pytest.raises(Refused) as refused:
        actions.start(checking_in, by=carla)
    assert refused.value.code == "hold.both_sides_present"
    checking_in.refresh_from_db()
    checking_in.case.refresh_from_db()
    assert checking_in.started_at is None
    assert checking_in.case.state == State.SCHEDULED
    assert not Round.objects.exists()

    # Sanne came after all: the same start goes ahead.
    actions.check_in(checking_in, people["sanne"], present=True, by=carla)
    actions.start(checking_in, by=carla)
    checking_in.case.refresh_from_db()
    assert checking_in.case.state == State.CONFERENCE_HELD
    assert CaseEvent.objects.filter(kind="case.conference_held").count() == 1


def test_no_start_without_the_person_responsible(checking_in, everyone_said_yes, carla):
    people = everyone_said_yes
    _present(checking_in, people["sanne"], people["joost"], by=carla)
    with pytest.raises(Refused) as refused:
        actions.start(checking_in, by=carla)
    assert refused.value.code == "hold.both_sides_present"
    _present(checking_in, people["daan"], by=carla)
    assert actions.start(checking_in, by=carla).started_at is not None


def test_the_rounds_go_responsible_side_then_harmed_side_then_the_others_by_name(
    checking_in, scheduled_case, everyone_said_yes, carla
):
    people = six_supporters(scheduled_case, everyone_said_yes)
    people["teacher"] = said_yes(
        scheduled_case, "Meester Albert", side=Side.OTHER, relation="teacher"
    )
    # A second person harmed, to show the sides go before names.
    people["aylin"] = said_yes(scheduled_case, "Aylin Ates", side=Side.HARMED)
    _started(checking_in, people, carla)
    order = list(
        Round.objects.filter(conference=checking_in)
        .order_by("position")
        .values_list("participant__name", flat=True)
    )
    assert order == [
        "Daan de Boer",  # the person responsible
        "Aylin Ates",  # the harmed side, by name
        "Sanne Jansen",
        "Anton de Boer",  # Daan's circle, by name
        "Joost de Boer",
        "Petra de Boer",
        "Bas Jansen",  # Sanne's circle, by name
        "Ellen Jansen",
        "Ria Jansen",
        "Meester Albert",  # everyone else
    ]


def test_who_was_expected_and_not_checked_in_is_noted_as_not_there(
    checking_in, everyone_said_yes, carla
):
    people = everyone_said_yes
    _present(checking_in, people["daan"], people["sanne"], by=carla)
    actions.start(checking_in, by=carla)
    absent = Attendance.objects.filter(conference=checking_in, present=False)
    assert {a.participant for a in absent} == {people["joost"], people["ria"]}
    # Only who is present has a round.
    assert {r.participant for r in Round.objects.all()} == {people["daan"], people["sanne"]}


def test_attendance_decides_who_is_present(checking_in, everyone_said_yes, carla):
    people = everyone_said_yes
    _present(checking_in, people["daan"], people["sanne"], people["ria"], by=carla)
    actions.check_in(checking_in, people["ria"], present=False, by=carla)
    actions.start(checking_in, by=carla)
    assert list(queries.present_participants(checking_in)) == [people["daan"], people["sanne"]]


def test_check_in_is_refused_once_the_conference_has_begun(checking_in, everyone_said_yes, carla):
    people = everyone_said_yes
    _present(checking_in, people["daan"], people["sanne"], by=carla)
    # Before the start, Joost can still be checked in ...
    actions.check_in(checking_in, people["joost"], present=False, by=carla)
    actions.start(checking_in, by=carla)
    # ... after it, not.
    with pytest.raises(Refused) as refused:
        actions.check_in(checking_in, people["joost"], present=True, by=carla)
    assert refused.value.code == "state"
    assert not Attendance.objects.get(participant=people["joost"]).present


def test_the_conference_begins_once(checking_in, everyone_said_yes, carla):
    _started(checking_in, everyone_said_yes, carla)
    with pytest.raises(Refused):
        actions.start(checking_in, by=carla)
    assert Round.objects.count() == 4


# --- the introductions and the rounds ------------------------------------------------------------


def _rounds(conference):
    return list(Round.objects.filter(conference=conference).order_by("position"))


def test_a_round_before_the_introductions_is_refused(checking_in, everyone_said_yes, carla):
    _started(checking_in, everyone_said_yes, carla)
    first = _rounds(checking_in)[0]
    with pytest.raises(Refused) as refused:
        actions.mark_round_done(first, by=carla)
    assert refused.value.code == "not_introduced"
    actions.mark_introductions(checking_in, by=carla)
    assert actions.mark_round_done(first, by=carla).done_at is not None
    assert CaseEvent.objects.filter(kind="conference.introductions_done").count() == 1


def test_a_round_out_of_order_is_refused_and_in_order_it_is_done(
    checking_in, everyone_said_yes, carla
):
    _started(checking_in, everyone_said_yes, carla)
    actions.mark_introductions(checking_in, by=carla)
    daan_round, sanne_round, *_rest = _rounds(checking_in)
    with pytest.raises(Refused) as refused:
        actions.mark_round_done(sanne_round, by=carla)
    assert refused.value.code == "out_of_order"
    assert "Daan de Boer" in str(refused.value.reason)
    sanne_round.refresh_from_db()
    assert sanne_round.done_at is None

    actions.mark_round_done(daan_round, by=carla)
    actions.mark_round_done(sanne_round, by=carla)
    sanne_round.refresh_from_db()
    assert sanne_round.done_at is not None
    with pytest.raises(Refused) as again:
        actions.mark_round_done(sanne_round, by=carla)
    assert again.value.code == "round_done"


def test_the_note_of_a_round_stays_out_of_the_timeline_and_the_audit_log(
    checking_in, everyone_said_yes, carla
):
    _started(checking_in, everyone_said_yes, carla)
    actions.mark_introductions(checking_in, by=carla)
    first = _rounds(checking_in)[0]
    note = "Daan schaamt zich, wil sorry zeggen"
    actions.mark_round_done(first, note=f"  {note}  ", by=carla)
    first.refresh_from_db()
    assert first.note == note
    event = CaseEvent.objects.get(kind="conference.round_done")
    assert event.data == {"participant": first.participant_id, "position": 1}
    for row in AuditEvent.objects.all():
        assert "schaamt" not in str(row.data)
    for row in CaseEvent.objects.all():
        assert "schaamt" not in str(row.data)


def test_a_note_longer_than_a_short_note_is_refused(checking_in, everyone_said_yes, carla):
    _started(checking_in, everyone_said_yes, carla)
    actions.mark_introductions(checking_in, by=carla)
    first = _rounds(checking_in)[0]
    with pytest.raises(Refused) as refused:
        actions.mark_round_done(first, note="x" * 501, by=carla)
    assert refused.value.code == "note_too_long"
    first.refresh_from_db()
    assert first.done_at is None


def test_no_repair_round_before_every_round_is_done(checking_in, everyone_said_yes, carla):
    _started(checking_in, everyone_said_yes, carla)
    actions.mark_introductions(checking_in, by=carla)
    rounds = _rounds(checking_in)
    for turn in rounds[:-1]:
        actions.mark_round_done(turn, by=carla)
    with pytest.raises(Refused) as refused:
        actions.mark_repair_round(checking_in, by=carla)
    assert refused.value.code == "rounds_open"
    checking_in.refresh_from_db()
    assert checking_in.rounds_done_at is None

    actions.mark_round_done(rounds[-1], by=carla)
    actions.mark_repair_round(checking_in, by=carla)
    checking_in.refresh_from_db()
    assert checking_in.rounds_done_at is not None
    kinds = list(
        CaseEvent.objects.filter(case=checking_in.case)
        .exclude(kind__startswith="circle.")
        .values_list("kind", flat=True)
        .order_by("pk")
    )
    assert kinds[-7:] == [
        "case.conference_held",
        "conference.introductions_done",
        *["conference.round_done"] * 4,
        "conference.rounds_done",
    ]


def test_only_the_coordinator_runs_the_rounds(checking_in, everyone_said_yes, carla, olaf, mira):
    _started(checking_in, everyone_said_yes, carla)
    for other in (olaf, mira):
        with pytest.raises(PermissionDenied):
            actions.mark_introductions(checking_in, by=other)
    checking_in.refresh_from_db()
    assert checking_in.introductions_done_at is None


def test_the_conference_that_start_returns_knows_its_rounds(checking_in, everyone_said_yes, carla):
    from kring.conference.policy import next_round

    started = _started(checking_in, everyone_said_yes, carla)
    assert [r.participant.name for r in started.rounds.all()][:2] == [
        "Daan de Boer",
        "Sanne Jansen",
    ]
    assert next_round(started).participant == everyone_said_yes["daan"]
