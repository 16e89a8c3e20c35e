"""The policy of the questionnaires (issue 13, point 1; R16) as tables, in the shape of
followup/tests/test_policy_core.py; gathered by research/tests/test_policy.py. Carla's case after
its conference (`following_up`): Daan, Sanne, Joost and Ria present, the plan signed by all four,
so each is invited to the first questionnaire. A participant fills in their own questionnaire on
their personal page, once, while they take part; the case's coordinator types one in from paper
under the same rules; coordinators and managers print the blank one."""

from collections.abc import Callable

import pytest
from django.utils import timezone

from kring.audit.actors import Actor
from kring.cases.tests.test_policy import (
    ALLOWED,
    STAFF,
    Row,
    World,
    assert_answer,
    denied,
    each,
    params,
    refused,
)
from kring.circle.models import Participant, Status
from kring.research import actions, policy
from kring.research.models import Invitation, Round

pytestmark = pytest.mark.django_db


def _in_portal(name: str) -> Callable:
    return lambda world: Actor.in_portal(world.fixture(name))


PEOPLE: dict[str, Callable] = {
    **STAFF,
    "sanne_in_portal": _in_portal("sanne"),  # harmed, present
    "daan_in_portal": _in_portal("daan"),  # responsible, present
}
PARTICIPANTS = ("sanne_in_portal", "daan_in_portal")
STAFF_NOT_THE_COORDINATOR = (
    "other_coordinator",
    "coordinator_other_team",
    "office",
    "manager",
    "manager_other_team",
    "researcher",
    "administrator",
    "inactive_coordinator",
)

# --- the worlds ---------------------------------------------------------------------------------


def _invitation(world, name: str) -> Invitation:
    world.fixture("following_up")
    return Invitation.objects.select_related("participant__case", "record").get(
        participant=world.fixture(name), round=Round.FIRST
    )


def _invited(name: str) -> Callable:
    return lambda world: {"invitation": _invitation(world, name)}


def _answered(name: str) -> Callable:
    def build(world):
        invitation = _invitation(world, name)
        if name == "ria":  # Ria has no personal page in use: typed in from paper
            actions.answer(invitation, {"satisfied": 4}, by=world.fixture("carla"))
        else:
            who = world.fixture(name)
            actions.answer(invitation, {"satisfied": 4}, by=Actor.in_portal(who))
        return {"invitation": _invitation(world, name)}

    return build


def _left(name: str) -> Callable:
    """Stopped taking part (set directly: after signing no action of the circle reaches it)."""

    def build(world):
        world.fixture("following_up")  # first: the case signed with everyone taking part
        Participant.objects.filter(pk=world.fixture(name).pk).update(status=Status.WITHDRAWN)
        return {"invitation": _invitation(world, name)}

    return build


def _erased(name: str) -> Callable:
    """Erased (set directly: a signed plan keeps the name until the case's retention ends, so no
    action of the privacy app reaches it after signing; an erased person stays erased)."""

    def build(world):
        world.fixture("following_up")
        Participant.objects.filter(pk=world.fixture(name).pk).update(erased_at=timezone.now())
        return {"invitation": _invitation(world, name)}

    return build


def _page_of(name: str) -> Callable:
    def build(world):
        world.fixture("following_up")
        return {"participant": Participant.objects.get(pk=world.fixture(name).pk)}

    return build


SETUPS: dict[str, Callable] = {
    "sanne_invited": _invited("sanne"),
    "sanne_answered": _answered("sanne"),
    "sanne_left": _left("sanne"),
    "ria_invited": _invited("ria"),
    "ria_answered": _answered("ria"),
    "ria_left": _left("ria"),
    "sanne_erased": _erased("sanne"),
    "ria_erased": _erased("ria"),
    "sannes_page": _page_of("sanne"),
    "no_case": lambda world: {},
}

NOT_SELF = denied("not_self")
NOT_COORDINATOR = denied("not_coordinator")

QUESTIONNAIRE_TABLES: dict[str, list[Row]] = {
    "may_read_questionnaires": [
        Row("sanne_in_portal", "sannes_page", ALLOWED),
        # Never someone else's: not another participant, not staff.
        Row("daan_in_portal", "sannes_page", NOT_SELF),
        *each(("coordinator", "manager", "researcher", "office"), "sannes_page", NOT_SELF),
    ],
    "may_answer": [
        Row("sanne_in_portal", "sanne_invited", ALLOWED),
        Row("daan_in_portal", "sanne_invited", NOT_SELF),
        # Staff type in from paper (may_answer_on_paper), never through the personal page.
        *each(("coordinator", "manager", "researcher"), "sanne_invited", NOT_SELF),
        Row("sanne_in_portal", "sanne_answered", refused("answered")),
        Row("sanne_in_portal", "sanne_left", refused("left")),
        Row("sanne_in_portal", "sanne_erased", refused("erased")),
    ],
    "may_answer_on_paper": [
        Row("coordinator", "ria_invited", ALLOWED),
        *each((*STAFF_NOT_THE_COORDINATOR, *PARTICIPANTS), "ria_invited", NOT_COORDINATOR),
        Row("coordinator", "ria_answered", refused("answered")),
        Row("coordinator", "ria_left", refused("left")),
        Row("coordinator", "ria_erased", refused("erased")),
        # Filled in on the personal page: nothing left to type in.
        Row("coordinator", "sanne_answered", refused("answered")),
    ],
    "may_print_questionnaire": [
        *each(
            (
                "coordinator",
                "other_coordinator",
                "coordinator_other_team",
                "manager",
                "manager_other_team",
            ),
            "no_case",
            ALLOWED,
        ),
        *each(
            (
                "office",
                "researcher",
                "administrator",
                "inactive_coordinator",
                "inactive_manager",
                *PARTICIPANTS,
            ),
            "no_case",
            denied("role"),
        ),
    ],
}

CALLS: dict[str, Callable] = {
    "may_read_questionnaires": lambda actor, o: policy.may_read_questionnaires(
        actor, o["participant"]
    ),
    "may_answer": lambda actor, o: policy.may_answer(actor, o["invitation"]),
    "may_answer_on_paper": lambda actor, o: policy.may_answer_on_paper(actor, o["invitation"]),
    "may_print_questionnaire": lambda actor, o: policy.may_print_questionnaire(actor),
}


@pytest.fixture
def questionnaire_world(request) -> World:
    return World(request, PEOPLE, SETUPS)


@pytest.mark.parametrize(("name", "row"), params(QUESTIONNAIRE_TABLES))
def test_each_actor_gets_the_answer_in_the_table(questionnaire_world, name, row):
    objects = questionnaire_world.setup(row.given)
    actor = questionnaire_world.person(row.actor)
    assert_answer(CALLS[name](actor, objects), row)


def test_every_policy_of_the_questionnaires_is_called_by_the_table():
    assert set(CALLS) == set(QUESTIONNAIRE_TABLES)


def test_the_reason_is_worded_for_who_reads_it(following_up, sanne, joost, carla):
    """The participant reads the reason on their own page ("je"); the coordinator reads it about
    someone else. The same rule, the same code, different words."""
    from django.utils import translation

    from kring.research.actions import answer

    sanne_s = Invitation.objects.select_related("participant__case").get(participant=sanne)
    answer(sanne_s, {"satisfied": 4}, by=Actor.in_portal(sanne))
    sanne_s.refresh_from_db()
    Participant.objects.filter(pk=joost.pk).update(status=Status.WITHDRAWN)
    joost_s = Invitation.objects.select_related("participant__case").get(participant=joost)
    with translation.override("nl"):
        to_sanne = policy.may_answer(Actor.in_portal(sanne), sanne_s)
        about_sanne = policy.may_answer_on_paper(carla, sanne_s)
        to_joost = policy.may_answer(Actor.in_portal(joost), joost_s)
        about_joost = policy.may_answer_on_paper(carla, joost_s)
        assert to_sanne is not None and about_sanne is not None
        assert to_joost is not None and about_joost is not None
        assert (to_sanne.code, about_sanne.code) == ("answered", "answered")
        assert str(to_sanne.message) == "Je hebt deze vragenlijst al ingevuld. Dank je wel."
        assert str(about_sanne.message) == "Deze vragenlijst is al ingevuld."
        assert (to_joost.code, about_joost.code) == ("left", "left")
        assert str(to_joost.message) == (
            "Je doet niet meer mee, dus deze vragenlijst is niet meer voor jou."
        )
        assert str(about_joost.message) == "Deze persoon doet niet meer mee."
