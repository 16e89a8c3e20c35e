"""The `schedule` move (preparing -> scheduled), asked through lifecycle.refusal, the way the
scheduling stage will ask it. The move is the lifecycle's; its guards are preparation's
(circle.guards.READY_TO_SCHEDULE, registered in circle/apps.py). A case in preparation that is
not ready is refused with each reason in turn; a fully ready one is allowed; a case in any other
state is refused for its state, however ready its circle."""

from types import SimpleNamespace

import pytest
from django.utils import timezone

from kring.cases import actions as case_actions
from kring.cases.lifecycle import State, refusal
from kring.circle import actions
from kring.circle.models import Answer, Mode, RiskFlag

RIGHTS = {"legal_advice": Answer.NO, "interpreter": Answer.NO, "support_person": Answer.YES}


def talk(participant, *, by):
    actions.record_conversation(participant, held_at=timezone.now(), mode=Mode.PHONE, by=by)


def accept(participant, *, by):
    actions.invite(participant, channel="letter", by=by)
    actions.respond(participant, accepts=True, mode=Mode.PHONE, by=by)


def consent(participant, *, by):
    actions.give_consent(participant, mode=Mode.PHONE, by=by, **RIGHTS)


def prepare(participant, *, by):
    """Spoken with, invited, accepted and consented: everything preparation asks of a person."""
    talk(participant, by=by)
    accept(participant, by=by)
    consent(participant, by=by)


def scheduling_refused(case):
    """The refusal of the `schedule` move for the case as it is in the database now, asked
    the way scheduling asks it while a date is being confirmed (`confirming`): scheduling's
    own guard, a confirmed date and venue, is tested in scheduling/tests/test_actions.py."""
    case.refresh_from_db()
    return refusal(case, "schedule", confirming=SimpleNamespace(case_id=case.pk, status=""))


@pytest.fixture
def ready_case(preparing_case, daan_acknowledged, sanne, carla):
    """Daan acknowledged; Daan and Sanne spoken with, accepted and consented; no high risk."""
    for person in (daan_acknowledged, sanne):
        prepare(person, by=carla)
    return preparing_case


# --- allowed ----------------------------------------------------------------------------------


def test_a_fully_ready_case_may_be_scheduled(ready_case):
    assert scheduling_refused(ready_case) is None


def test_a_risk_that_is_not_high_does_not_hold_it_up(ready_case, carla):
    actions.flag_risk(
        ready_case, kind=RiskFlag.Kind.INTIMIDATION, level=RiskFlag.Level.MEDIUM,
        assessment="Afspraken over contact", by=carla,
    )  # fmt: skip

    assert scheduling_refused(ready_case) is None


def test_someone_who_declined_does_not_hold_it_up(ready_case, ria, carla):
    actions.invite(ria, channel="letter", by=carla)
    actions.respond(ria, accepts=False, mode=Mode.PHONE, by=carla)

    assert scheduling_refused(ready_case) is None


# --- refused, each reason in turn ---------------------------------------------------------


def test_refused_until_someone_responsible_has_acknowledged(preparing_case, daan, sanne):
    refused = scheduling_refused(preparing_case)

    assert refused.code == "schedule.responsible_acknowledged"
    assert "No person responsible has acknowledged their part yet" in str(refused)


def test_refused_when_the_only_person_responsible_withdrew(ready_case, daan, carla):
    actions.withdraw(daan, mode=Mode.PHONE, by=carla)

    assert scheduling_refused(ready_case).code == "schedule.responsible_acknowledged"


def test_refused_when_no_one_harmed_takes_part(ready_case, sanne, carla):
    actions.withdraw(sanne, mode=Mode.PHONE, by=carla)

    refused = scheduling_refused(ready_case)

    assert refused.code == "schedule.both_sides_take_part"
    assert "No person harmed takes part any more" in str(refused)


def test_refused_while_the_person_responsible_has_not_accepted(
    preparing_case, daan_acknowledged, sanne, carla
):
    prepare(sanne, by=carla)
    talk(daan_acknowledged, by=carla)
    actions.invite(daan_acknowledged, channel="letter", by=carla)  # no answer yet

    refused = scheduling_refused(preparing_case)

    assert refused.code == "schedule.both_sides_take_part"
    assert "No person responsible has accepted the invitation yet" in str(refused)


def test_refused_until_everyone_has_had_a_preparatory_conversation(
    preparing_case, daan_acknowledged, sanne, ria, carla
):
    for person in (daan_acknowledged, sanne):
        prepare(person, by=carla)
    accept(ria, by=carla)
    consent(ria, by=carla)  # but nobody spoke with her

    refused = scheduling_refused(preparing_case)

    assert refused.code == "schedule.everyone_prepared"
    assert str(refused) == f"Not everyone has had a preparatory conversation yet: {ria.name}."


def test_refused_until_everyone_has_accepted_and_consented(ready_case, ria, carla):
    talk(ria, by=carla)
    accept(ria, by=carla)  # but no consent yet

    refused = scheduling_refused(ready_case)

    assert refused.code == "schedule.everyone_consented"
    assert str(refused) == f"Not everyone has accepted and given consent yet: {ria.name}."


def test_refused_while_a_high_risk_is_not_resolved(ready_case, carla):
    flag = actions.flag_risk(
        ready_case, kind=RiskFlag.Kind.STALKING, level=RiskFlag.Level.HIGH,
        assessment="Volgt Sanne na school", by=carla,
    )  # fmt: skip

    refused = scheduling_refused(ready_case)
    assert refused.code == "schedule.no_unresolved_high_risk"
    assert "A high risk in the safety check is not resolved" in str(refused)

    actions.resolve_risk(flag, resolution="Contactverbod, begeleiding naar school", by=carla)
    assert scheduling_refused(ready_case) is None


# --- refused in every other state -------------------------------------------------------------


def test_refused_for_its_state_once_the_case_is_stopped_however_ready(ready_case, carla):
    case_actions.stop(ready_case, reason="other", by=carla)

    refused = scheduling_refused(ready_case)

    assert refused.code == "state"
    assert f"not possible while the case is “{State.STOPPED.label}”" in str(refused)


@pytest.mark.parametrize(
    "fixture", ["requested_case", "referred_case", "offered_case", "carlas_case"]
)
def test_refused_for_its_state_before_the_preparation(request, fixture):
    case = request.getfixturevalue(fixture)

    refused = scheduling_refused(case)

    assert refused.code == "state"
    assert f"not possible while the case is “{State(case.state).label}”" in str(refused)
