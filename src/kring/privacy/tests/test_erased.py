"""An erased participant stays erased (issue 14, review of points 7 and 8): once
`kring.privacy.rights.erase_participant` has emptied Daan's row, nothing adds, changes or
reissues anything for him: no new personal link or letter code (so the portal cannot open for
him again), no invitation, no details typed back in, no new conversation, acknowledgment,
answer, consent, nomination or withdrawal; and he is no longer among those who take part in the
meeting (its invitations, the letters on paper, attendance). Each refusal is proven against the
same action going through for the same Daan, not erased."""

from collections.abc import Callable

import pytest
from django.utils import timezone

from kring.circle import actions, links, policy
from kring.circle.models import Mode, Participant
from kring.core.policy import Refused
from kring.privacy import rights
from kring.scheduling import invitations
from kring.scheduling import policy as scheduling_policy
from kring.scheduling.tests.meeting_fixtures import said_yes

pytestmark = pytest.mark.django_db

ERASED_MESSAGE = "The details of this person have been erased."


@pytest.fixture(params=[False, True], ids=["not_erased", "erased"])
def invited_daan(request, daan_acknowledged, carla):
    """Daan acknowledged his part and was invited by letter; then, in the second run, he asked
    to be erased and was."""
    actions.invite(daan_acknowledged, channel="letter", by=carla)
    daan = Participant.objects.get(pk=daan_acknowledged.pk)
    if request.param:
        daan = rights.erase_participant(daan, by=carla)
        assert daan.erased_at is not None
    return daan, request.param


def _now():
    return timezone.now()


# Each action of the coordinator, as it is called on Daan (invited, not yet answered).
ACTIONS: dict[str, Callable] = {
    "reissue_link": lambda daan, carla: actions.reissue_link(daan, by=carla),
    "invite": lambda daan, carla: actions.invite(daan, channel="letter", by=carla),
    "update_participant": lambda daan, carla: actions.update_participant(
        daan, by=carla, phone="0612345678", email="daan.nieuw@example.org"
    ),
    "record_conversation": lambda daan, carla: actions.record_conversation(
        daan, held_at=_now(), mode=Mode.PHONE, notes="Sprak hem weer", by=carla
    ),
    "record_acknowledgment": lambda daan, carla: actions.record_acknowledgment(
        daan, acknowledges=True, given_at=_now(), mode=Mode.PHONE, by=carla
    ),
    "respond": lambda daan, carla: actions.respond(daan, accepts=True, by=carla),
    "give_consent": lambda daan, carla: actions.give_consent(
        daan, legal_advice="no", interpreter="no", support_person="no", by=carla
    ),
    "nominate": lambda daan, carla: actions.nominate(daan, name="Oom Piet", by=carla),
    "withdraw": lambda daan, carla: actions.withdraw(daan, by=carla),
}


@pytest.mark.parametrize("action", list(ACTIONS))
def test_nothing_is_added_or_changed_for_an_erased_participant(action, invited_daan, carla):
    daan, erased = invited_daan
    if not erased:
        ACTIONS[action](daan, carla)  # the same action goes through for Daan not erased
        return
    with pytest.raises(Refused) as refused:
        ACTIONS[action](daan, carla)
    assert refused.value.code == "erased"
    assert str(refused.value.reason) == ERASED_MESSAGE
    row = Participant.objects.get(pk=daan.pk)
    assert (row.erased_at, row.email, row.phone) == (daan.erased_at, "", "")
    assert not row.links.exists()


def test_the_case_page_offers_nothing_to_do_for_an_erased_participant(invited_daan, carla):
    """The options the pages read say why, with the same words."""
    daan, erased = invited_daan
    answers = {
        "reissue_link": policy.may_reissue_link(carla, daan),
        "invite": policy.may_invite(carla, daan),
        "update": policy.may_update_participant(carla, daan),
        "conversation": policy.may_record_conversation(carla, daan),
    }
    if not erased:
        assert answers == dict.fromkeys(answers)
        return
    assert {name: r.code for name, r in answers.items() if r} == dict.fromkeys(answers, "erased")


def test_no_new_link_opens_the_portal_for_an_erased_participant(invited_daan, carla, client):
    daan, erased = invited_daan
    if not erased:
        issued = actions.reissue_link(daan, by=carla)
        assert client.get(links.url(issued.token), follow=True).status_code == 200
        return
    with pytest.raises(Refused):
        actions.reissue_link(daan, by=carla)
    assert not Participant.objects.get(pk=daan.pk).links.exists()


def test_an_erased_participant_does_not_take_part_in_the_meeting(
    summer_meeting, everyone_said_yes, preparing_case, carla
):
    """Ria said yes and has no e-mail address: she gets a letter, until she is erased. Daan,
    with an address, is invited by e-mail, until he is erased."""
    ria, daan = everyone_said_yes["ria"], everyone_said_yes["daan"]
    assert ria in invitations.letters_needed(summer_meeting)
    assert scheduling_policy.is_taking_part(daan)
    for person in (ria, daan):
        rights.erase_participant(person, by=carla)
    ria.refresh_from_db()
    daan.refresh_from_db()
    assert ria.erased_at is not None and daan.erased_at is not None
    assert ria not in invitations.letters_needed(summer_meeting)
    taking_part = list(scheduling_policy.taking_part(preparing_case))
    assert daan not in taking_part and ria not in taking_part
    assert everyone_said_yes["sanne"] in taking_part
    assert not scheduling_policy.is_taking_part(daan)
    assert not scheduling_policy.is_taking_part(ria)


def test_said_yes_after_erasure_still_does_not_count(daan, carla, preparing_case):
    """Even a status written afterwards (data from before this rule) does not bring him back."""
    rights.erase_participant(daan, by=carla)
    said_yes(daan)
    assert daan.erased_at is not None
    assert daan not in scheduling_policy.taking_part(preparing_case)
