"""The rules of preparation, one test per guard and rule, asserting the message the user sees
(R3-R9, R17)."""

import pytest
from django.utils import timezone

from kring.circle import actions, guards, information
from kring.circle.models import Answer, Mode, Nomination, RiskFlag, Side, Status
from kring.core.policy import NotAllowed, Refused
from kring.testing.circle_people import acknowledge

RIGHTS = {"legal_advice": Answer.NO, "interpreter": Answer.NO, "support_person": Answer.YES}


def _accept_and_consent(participant, *, by):
    actions.invite(participant, channel="letter", by=by)
    actions.respond(participant, accepts=True, mode=Mode.PHONE, by=by)
    actions.give_consent(participant, mode=Mode.PHONE, by=by, **RIGHTS)


def _talk(participant, *, by):
    actions.record_conversation(participant, held_at=timezone.now(), mode=Mode.PHONE, by=by)


# --- may_be_invited ---------------------------------------------------------------------------


def test_responsible_person_who_has_not_acknowledged_cannot_be_invited(daan):
    assert guards.may_be_invited(daan) == (
        "Daan de Boer cannot be invited: they have not acknowledged their part. Only those who "
        "acknowledge take part."
    )


def test_responsible_person_who_denies_cannot_be_invited(daan, carla):
    acknowledge(daan, by=carla, acknowledges=False)
    assert "have not acknowledged their part" in guards.may_be_invited(daan)


def test_responsible_person_may_be_invited_after_acknowledgment(daan, carla):
    acknowledge(daan, by=carla)
    assert guards.may_be_invited(daan) is None


def test_supporter_of_unacknowledged_responsible_person_cannot_be_invited(daan, joost):
    assert guards.may_be_invited(joost) == (
        "Joost de Boer stands in the circle of Daan de Boer, who has not acknowledged their "
        "part yet."
    )


def test_victim_cannot_be_invited_before_acknowledgment(daan, sanne, carla):
    expected = (
        "No one on the harmed side can be invited until at least one person responsible has "
        "acknowledged their part."
    )
    assert guards.may_be_invited(sanne) == expected
    with pytest.raises(Refused) as refused:
        actions.invite(sanne, channel="letter", by=carla)
    assert refused.value.reason == expected
    sanne.refresh_from_db()
    assert sanne.status == Status.TO_INVITE


def test_harmed_persons_circle_cannot_be_invited_before_acknowledgment(daan, ria):
    assert "until at least one person responsible has acknowledged" in guards.may_be_invited(ria)


def test_victim_may_be_invited_once_one_of_several_responsible_acknowledged(
    preparing_case, daan, sanne, carla
):
    other = actions.add_participant(
        preparing_case, by=carla, name="Tim Smit", side=Side.RESPONSIBLE
    )
    acknowledge(other, by=carla, acknowledges=False)
    assert guards.may_be_invited(sanne) is not None
    acknowledge(daan, by=carla)
    assert guards.may_be_invited(sanne) is None


def test_acknowledgment_of_a_withdrawn_responsible_person_does_not_open_the_harmed_side(
    daan, sanne, carla
):
    acknowledge(daan, by=carla)
    actions.withdraw(daan, mode=Mode.PHONE, by=carla)
    assert "until at least one person responsible has acknowledged" in guards.may_be_invited(sanne)


def test_minor_without_guardian_cannot_be_invited(preparing_case, daan, sanne, carla):
    acknowledge(daan, by=carla)
    lotte = actions.add_participant(
        preparing_case, by=carla, name="Lotte", side=Side.SUPPORTER, supports=sanne, is_minor=True
    )
    assert guards.may_be_invited(lotte) == (
        "Lotte is a minor: add a parent or guardian to the circle first."
    )
    actions.update_participant(lotte, guardian=sanne, by=carla)
    lotte.refresh_from_db()
    assert guards.may_be_invited(lotte) is None


@pytest.mark.parametrize("accepts", [False, None], ids=["declined", "withdrawn"])
def test_person_who_declined_or_withdrew_cannot_be_invited_again(daan, carla, accepts):
    acknowledge(daan, by=carla)
    actions.invite(daan, channel="letter", by=carla)
    if accepts is None:
        actions.withdraw(daan, mode=Mode.PHONE, by=carla)
    else:
        actions.respond(daan, accepts=False, mode=Mode.PHONE, by=carla)
    daan.refresh_from_db()
    expected = "Daan de Boer has declined or withdrawn; taking part is voluntary."
    assert guards.may_be_invited(daan) == expected
    with pytest.raises(Refused) as refused:
        actions.invite(daan, channel="letter", by=carla)
    assert refused.value.reason == expected


def test_invitation_by_email_needs_an_address(preparing_case, carla, daan):
    acknowledge(daan, by=carla)
    actions.update_participant(daan, email="", by=carla)
    with pytest.raises(Refused) as refused:
        actions.invite(daan, channel="email", by=carla)
    assert refused.value.reason == "Daan de Boer has no e-mail address: print a letter instead."


# --- acknowledgment ---------------------------------------------------------------------------


def test_only_a_responsible_person_acknowledges(sanne, carla):
    with pytest.raises(Refused) as refused:
        acknowledge(sanne, by=carla)
    assert refused.value.reason == "Only a person responsible acknowledges their part."


def test_only_the_cases_coordinator_records_an_acknowledgment(daan, olaf):
    with pytest.raises(NotAllowed) as refused:
        acknowledge(daan, by=olaf)
    assert refused.value.reason == "Only the coordinator of this case can do this."


def test_newest_acknowledgment_counts(daan, carla):
    acknowledge(daan, by=carla)
    acknowledge(daan, by=carla, acknowledges=False)
    assert not guards.acknowledged(daan)


def test_conversation_cannot_be_recorded_in_the_future(daan, carla):
    with pytest.raises(Refused) as refused:
        actions.record_conversation(
            daan, held_at=timezone.now() + timezone.timedelta(hours=1), mode=Mode.PHONE, by=carla
        )
    assert refused.value.reason == "A conversation can be recorded only once it has taken place."


# --- consent ----------------------------------------------------------------------------------


def test_consent_records_the_information_version(daan, carla):
    consent = actions.give_consent(daan, mode=Mode.PAPER, by=carla, **RIGHTS)
    assert consent.information_version == information.CURRENT_VERSION
    assert consent.obtained_by == carla
    assert guards.has_consent(daan)


def test_consent_of_a_minor_needs_the_guardian_as_well(
    preparing_case, daan_acknowledged, sanne, carla
):
    lotte = actions.add_participant(
        preparing_case,
        by=carla,
        name="Lotte",
        side=Side.SUPPORTER,
        supports=sanne,
        is_minor=True,
        guardian=sanne,
    )
    actions.give_consent(lotte, mode=Mode.PAPER, by=carla, **RIGHTS)
    assert not guards.has_consent(lotte)
    actions.give_consent(lotte, given_by=sanne, mode=Mode.PAPER, by=carla, **RIGHTS)
    assert guards.has_consent(lotte)


def test_only_the_participant_or_guardian_can_consent(daan, joost, carla):
    with pytest.raises(Refused) as refused:
        actions.give_consent(daan, given_by=joost, mode=Mode.PAPER, by=carla, **RIGHTS)
    assert refused.value.reason == "Only the participant or their parent or guardian can consent."


def test_withdrawn_person_cannot_consent(daan, carla):
    actions.withdraw(daan, mode=Mode.PHONE, by=carla)
    with pytest.raises(Refused) as refused:
        actions.give_consent(daan, mode=Mode.PAPER, by=carla, **RIGHTS)
    assert refused.value.reason == "Daan de Boer does not take part."


# --- withdrawal -------------------------------------------------------------------------------


def test_withdrawal_takes_effect_at_once(daan, carla):
    acknowledge(daan, by=carla)
    _accept_and_consent(daan, by=carla)
    actions.withdraw(daan, mode=Mode.PHONE, by=carla)
    daan.refresh_from_db()
    assert daan.status == Status.WITHDRAWN
    assert daan.withdrawal_mode == Mode.PHONE
    assert not daan.takes_part
    assert daan.case.events.filter(kind="circle.withdrawn").exists()


# --- nominations ------------------------------------------------------------------------------


def test_nominee_invited_joins_the_circle_of_who_named_them(daan_acknowledged, sanne, ria, carla):
    nomination = actions.nominate(ria, name="Oom Kees", relation="uncle", via=Mode.PHONE, by=carla)
    decided = actions.decide_nomination(nomination, invite_nominee=True, by=carla)
    assert decided.decision == Nomination.Decision.INVITED
    assert decided.participant.supports == sanne  # Ria's main person, not Ria
    assert decided.participant.side == Side.SUPPORTER
    assert decided.participant.name == "Oom Kees"


def test_nominee_not_invited_needs_a_reason(daan_acknowledged, sanne, carla):
    nomination = actions.nominate(sanne, name="Oom Kees", via=Mode.PHONE, by=carla)
    with pytest.raises(Refused) as refused:
        actions.decide_nomination(nomination, invite_nominee=False, reason="  ", by=carla)
    assert refused.value.reason == "Say why this person is not invited."
    decided = actions.decide_nomination(
        nomination, invite_nominee=False, reason="Sanne wants him not there.", by=carla
    )
    assert decided.decision == Nomination.Decision.NOT_INVITED
    assert decided.participant is None


def test_nomination_is_decided_once(daan_acknowledged, sanne, carla):
    nomination = actions.nominate(sanne, name="Oom Kees", via=Mode.PHONE, by=carla)
    actions.decide_nomination(nomination, invite_nominee=False, reason="No.", by=carla)
    with pytest.raises(Refused) as refused:
        actions.decide_nomination(nomination, invite_nominee=True, by=carla)
    assert refused.value.reason == "This nomination has been decided already."


def test_withdrawn_participant_cannot_nominate(sanne, carla):
    actions.withdraw(sanne, mode=Mode.PHONE, by=carla)
    with pytest.raises(Refused) as refused:
        actions.nominate(sanne, name="Oom Kees", via=Mode.PHONE, by=carla)
    assert refused.value.reason == "Sanne Jansen does not take part."


# --- the circle's shape -----------------------------------------------------------------------


def test_supporter_needs_a_person_to_stand_beside(preparing_case, carla):
    with pytest.raises(Refused) as refused:
        actions.add_participant(preparing_case, by=carla, name="Els", side=Side.SUPPORTER)
    assert refused.value.reason == "Say in whose circle this supporter stands."


def test_supporter_stands_beside_a_harmed_or_responsible_person(preparing_case, joost, carla):
    with pytest.raises(Refused) as refused:
        actions.add_participant(
            preparing_case, by=carla, name="Els", side=Side.SUPPORTER, supports=joost
        )
    assert refused.value.reason == "Choose a person harmed or responsible in this case."


# --- safety check -----------------------------------------------------------------------------


def test_flag_and_resolve_a_risk(preparing_case, carla):
    flag = actions.flag_risk(
        preparing_case, kind="intimidation", level="high", assessment="Threats by app.", by=carla
    )
    assert flag.blocks
    with pytest.raises(Refused) as refused:
        actions.resolve_risk(flag, resolution=" ", by=carla)
    assert refused.value.reason == "Say what makes it safe now."
    flag = actions.resolve_risk(flag, resolution="A second coordinator attends.", by=carla)
    assert not flag.blocks
    with pytest.raises(Refused) as refused:
        actions.resolve_risk(flag, resolution="Again.", by=carla)
    assert refused.value.reason == "This risk is resolved already."


# --- ready to schedule ------------------------------------------------------------------------


@pytest.fixture
def ready_case(preparing_case, daan, sanne, carla):
    """Daan acknowledged; both spoken with, accepted and consented: ready to schedule."""
    acknowledge(daan, by=carla)
    for person in (daan, sanne):
        _talk(person, by=carla)
        _accept_and_consent(person, by=carla)
    return preparing_case


def test_case_with_everyone_prepared_is_ready(ready_case):
    assert guards.readiness(ready_case) == []


def test_readiness_needs_an_acknowledgment(preparing_case, daan, sanne):
    assert "No person responsible has acknowledged their part yet." in guards.readiness(
        preparing_case
    )


def test_readiness_needs_someone_on_each_side(ready_case, sanne, carla):
    actions.withdraw(sanne, mode=Mode.PHONE, by=carla)
    assert guards.readiness(ready_case) == ["No person harmed takes part any more."]


def test_readiness_needs_a_responsible_person_who_takes_part(ready_case, daan, carla):
    actions.withdraw(daan, mode=Mode.PHONE, by=carla)
    assert "No person responsible takes part any more." in guards.readiness(ready_case)


def test_readiness_needs_a_conversation_with_everyone(ready_case, ria, carla):
    assert "Not everyone has had a preparatory conversation yet: Ria Jansen." in guards.readiness(
        ready_case
    )


def test_readiness_needs_everyones_consent(ready_case, ria, carla):
    _talk(ria, by=carla)
    actions.invite(ria, channel="letter", by=carla)
    actions.respond(ria, accepts=True, mode=Mode.PHONE, by=carla)
    assert guards.readiness(ready_case) == [
        "Not everyone has accepted and given consent yet: Ria Jansen."
    ]


def test_someone_who_declined_does_not_hold_up_readiness(ready_case, ria, carla):
    actions.invite(ria, channel="letter", by=carla)
    actions.respond(ria, accepts=False, mode=Mode.PHONE, by=carla)
    assert guards.readiness(ready_case) == []


def test_unresolved_high_risk_blocks_readiness(ready_case, carla):
    flag = actions.flag_risk(
        ready_case, kind=RiskFlag.Kind.STALKING, level="high", assessment="x", by=carla
    )
    assert guards.readiness(ready_case) == ["A high risk in the safety check is not resolved."]
    actions.resolve_risk(flag, resolution="Contact ban agreed.", by=carla)
    assert guards.readiness(ready_case) == []


def test_medium_risk_does_not_block_readiness(ready_case, carla):
    actions.flag_risk(ready_case, kind="other", level="medium", assessment="x", by=carla)
    assert guards.readiness(ready_case) == []


def test_a_person_added_by_mistake_can_be_taken_out_of_the_circle(preparing_case, carla):
    person = actions.add_participant(preparing_case, by=carla, name="Dubbel", side=Side.HARMED)
    actions.remove_participant(person, by=carla)
    assert not preparing_case.participants.filter(pk=person.pk).exists()
    assert preparing_case.events.filter(kind="circle.participant_removed").exists()


def test_an_invited_person_is_not_removed_but_withdraws(preparing_case, carla, daan):
    acknowledge(daan, by=carla)
    actions.invite(daan, channel="letter", by=carla)
    with pytest.raises(Refused) as refused:
        actions.remove_participant(daan, by=carla)
    assert "record a withdrawal instead" in str(refused.value.reason)


def test_a_person_with_a_conversation_on_record_is_not_removed(
    preparing_case, carla, daan_acknowledged, sanne
):
    actions.record_conversation(sanne, held_at=timezone.now(), mode=Mode.PHONE, by=carla)
    with pytest.raises(Refused) as refused:
        actions.remove_participant(sanne, by=carla)
    assert "conversation, acknowledgment or consent on record" in str(refused.value.reason)


def test_a_person_with_a_circle_is_not_removed(preparing_case, carla, daan, joost):
    with pytest.raises(Refused) as refused:
        actions.remove_participant(daan, by=carla)
    assert "Others stand in the circle of Daan de Boer" in str(refused.value.reason)
