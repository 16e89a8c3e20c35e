"""The policy tables of follow-up's core (issue 12, points 1-3; R14, R15), in the shape of
cases/tests/test_policy.py; gathered by test_policy.py. Carla's case in follow-up (conftest
`following_up`: Daan, Sanne, Joost and Ria present and signed; agreement 1, the bike, is Daan's).
The agreement asked about is the bike; the participant asked about is the one acting (their own
personal page), unless the world names another. Each world is built through the real actions
(reports, answers, states); what no action reaches from here (a closed case, a row changed by a
newer version) is set directly."""

from collections.abc import Callable

import pytest

from kring.audit.actors import Actor
from kring.cases.lifecycle import State
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
from kring.circle.models import Participant
from kring.followup import actions, policy
from kring.followup.models import AgreementState, Contact, Report, TrackedAgreement
from kring.signing.tests.conftest import ellen

__all__ = ["ellen"]

pytestmark = pytest.mark.django_db

# --- the people ---------------------------------------------------------------------------------


def _in_portal(name: str) -> Callable:
    return lambda world: Actor.in_portal(world.fixture(name))


PEOPLE: dict[str, Callable] = {
    **STAFF,
    "daan_in_portal": _in_portal("daan"),  # responsible, owns the bike agreement
    "sanne_in_portal": _in_portal("sanne"),  # harmed, present
    "joost_in_portal": _in_portal("joost"),  # Daan's brother, present
    "ellen_in_portal": _in_portal("ellen"),  # Sanne's mother: in the circle, not present
}

# The staff who are not the case's coordinator.
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
PARTICIPANTS = ("daan_in_portal", "sanne_in_portal", "joost_in_portal")
NOT_COORDINATOR = denied("not_coordinator")

# --- the worlds ---------------------------------------------------------------------------------


def _objects(world, *, participant: str = "", report: Report | None = None) -> dict:
    case = world.fixture("following_up")
    case = type(case).objects.get(pk=case.pk)
    tracked = TrackedAgreement.objects.select_related("case", "owner").get(case=case, number=1)
    objects = {
        "case": case,
        "tracked": tracked,
        "contact": Contact.objects.select_related("case").filter(case=case).first(),
        "report": (
            Report.objects.select_related("case", "tracked__case").get(pk=report.pk)
            if report is not None
            else None
        ),
    }
    if participant:
        objects["participant"] = world.fixture(participant)
    return objects


def _following_up(world, **kwargs):
    return _objects(world, **kwargs)


def _closed(world, **kwargs):
    case = world.fixture("following_up")
    type(case).objects.filter(pk=case.pk).update(state=State.CLOSED)
    return _objects(world, **kwargs)


def _changed(world, **kwargs):
    """The bike agreement was changed in a newer version of the plan (set directly: the flow
    through a new version is tested in test_sync.py)."""
    TrackedAgreement.objects.filter(pk=world.fixture("bike").pk).update(
        state=AgreementState.CHANGED
    )
    return _objects(world, **kwargs)


def _bike(state: str) -> Callable:
    def build(world, **kwargs):
        actions.set_state(world.fixture("bike"), state, by=world.fixture("carla"))
        return _objects(world, **kwargs)

    return build


def _daan_reported(world, *, answered: str = "", **kwargs):
    daan = world.fixture("daan")
    report = actions.report_done(
        world.fixture("bike"), by=Actor.in_portal(daan), participant=daan, text="Alles betaald."
    )
    carla = world.fixture("carla")
    if answered == "confirmed":
        actions.confirm_done(report, by=carla)
    elif answered == "asked_back":
        actions.ask_back(report, by=carla, text="Heb je een bewijs?")
    return _objects(world, report=report, **kwargs)


def _sanne_invoked(world, *, answered: bool = False, **kwargs):
    sanne = world.fixture("sanne")
    report = actions.invoke(
        world.fixture("bike"), by=Actor.in_portal(sanne), participant=sanne, text="Niets betaald."
    )
    if answered:
        actions.answer(report, by=world.fixture("carla"), text="Ik bel Daan.")
    return _objects(world, report=report, **kwargs)


def _then(build: Callable, change: Callable) -> Callable:
    def combined(world, **kwargs):
        objects = build(world, **kwargs)
        change(world, objects)
        return _objects(world, report=objects["report"], **kwargs)

    return combined


def _close(world, objects):
    type(objects["case"]).objects.filter(pk=objects["case"].pk).update(state=State.CLOSED)


def _change_bike(world, objects):
    TrackedAgreement.objects.filter(pk=objects["tracked"].pk).update(state=AgreementState.CHANGED)


def _contact_recorded(world, **kwargs):
    contact = Contact.objects.get(case=world.fixture("following_up"))
    actions.record_contact(contact, by=world.fixture("carla"))
    return _objects(world, **kwargs)


def _with_ellen(world, **kwargs):
    world.fixture("ellen")  # in the circle before the conference, not present
    return _objects(world, **kwargs)


def _own_page(build: Callable, participant: str) -> Callable:
    return lambda world: build(world, participant=participant)


SETUPS: dict[str, Callable] = {
    "following_up": _following_up,
    "closed": _closed,
    "changed": _changed,
    "bike_done": _bike(AgreementState.DONE),
    "bike_partly_done": _bike(AgreementState.PARTLY_DONE),
    "bike_not_kept": _bike(AgreementState.NOT_KEPT),
    "daan_reported_done": _daan_reported,
    "daan_reported_done_confirmed": lambda world, **kw: _daan_reported(
        world, answered="confirmed", **kw
    ),
    "daan_reported_done_asked_back": lambda world, **kw: _daan_reported(
        world, answered="asked_back", **kw
    ),
    "daan_reported_done_closed": _then(_daan_reported, _close),
    "daan_reported_done_changed": _then(_daan_reported, _change_bike),
    "sanne_invoked": _sanne_invoked,
    "sanne_invoked_answered": lambda world, **kw: _sanne_invoked(world, answered=True, **kw),
    "sanne_invoked_closed": _then(_sanne_invoked, _close),
    "contact_recorded": _contact_recorded,
    # The participant asked about is someone else than the one acting.
    "sannes_page": _own_page(_following_up, "sanne"),
    "daans_page": _own_page(_following_up, "daan"),
    "ellens_page": lambda world: _with_ellen(world, participant="ellen"),
}
# The participant asked about is the one acting, on their own page.
for _name, _person in (("daan", "daan"), ("sanne", "sanne"), ("joost", "joost")):
    for _given in (
        "following_up",
        "closed",
        "changed",
        "bike_done",
        "bike_partly_done",
        "bike_not_kept",
        "daan_reported_done",
        "daan_reported_done_confirmed",
        "daan_reported_done_asked_back",
        "sanne_invoked",
        "sanne_invoked_answered",
    ):
        SETUPS[f"{_given}_{_name}"] = lambda world, b=SETUPS[_given], p=_person: b(
            world, participant=p
        )

# --- the tables ---------------------------------------------------------------------------------

CORE_TABLES: dict[str, list[Row]] = {
    "may_read_tracker": [
        Row("coordinator", "following_up", ALLOWED),
        Row("manager", "following_up", ALLOWED),  # reads, never acts
        Row("coordinator", "closed", ALLOWED),  # a closed case is read-only, still readable
        Row("manager", "closed", ALLOWED),
        Row("manager_other_team", "following_up", denied("team")),
        Row("inactive_manager", "following_up", denied("team")),
        *each(
            (
                "other_coordinator",
                "coordinator_other_team",
                "office",
                "researcher",
                "administrator",
                "inactive_coordinator",
                *PARTICIPANTS,
            ),
            "following_up",
            NOT_COORDINATOR,
        ),
    ],
    "may_set_state": [
        Row("coordinator", "following_up", ALLOWED),
        Row("coordinator", "following_up", ALLOWED, extra=(("state", "done"),)),
        Row("coordinator", "following_up", ALLOWED, extra=(("state", "not_kept"),)),
        Row("coordinator", "bike_done", ALLOWED, extra=(("state", "open"),)),
        *each((*STAFF_NOT_THE_COORDINATOR, *PARTICIPANTS), "following_up", NOT_COORDINATOR),
        Row("coordinator", "closed", refused("state")),
        Row("coordinator", "changed", refused("changed")),
        # "Changed" only comes with a newly signed version of the plan (R14).
        Row("coordinator", "following_up", refused("not_settable"), extra=(("state", "changed"),)),
        Row("coordinator", "following_up", refused("unknown_state"), extra=(("state", "bogus"),)),
        Row("coordinator", "bike_done", refused("same_state"), extra=(("state", "done"),)),
    ],
    "may_change_agreements": [
        Row("coordinator", "following_up", ALLOWED),
        *each((*STAFF_NOT_THE_COORDINATOR, *PARTICIPANTS), "following_up", NOT_COORDINATOR),
        Row("coordinator", "closed", refused("state")),
    ],
    "may_read_agreements_in_portal": [
        Row("daan_in_portal", "following_up_daan", ALLOWED),  # owns agreements, present
        Row("sanne_in_portal", "following_up_sanne", ALLOWED),  # harmed, present
        Row("joost_in_portal", "following_up_joost", ALLOWED),  # present
        Row("sanne_in_portal", "closed_sanne", ALLOWED),  # still readable after closing
        # In the circle, not present, owns nothing: not in the plan.
        Row("ellen_in_portal", "ellens_page", denied("not_in_plan")),
        # Only one's own page; never staff.
        Row("daan_in_portal", "sannes_page", denied("not_self")),
        *each(("coordinator", "manager", "office"), "sannes_page", denied("not_self")),
    ],
    "may_report_done": [
        Row("daan_in_portal", "following_up_daan", ALLOWED),
        Row("daan_in_portal", "bike_partly_done_daan", ALLOWED),
        Row("daan_in_portal", "daan_reported_done_asked_back_daan", ALLOWED),  # tells more
        Row("daan_in_portal", "sanne_invoked_daan", ALLOWED),  # another's report does not wait
        Row("daan_in_portal", "sannes_page", denied("not_self")),
        *each(("coordinator", "manager"), "daans_page", denied("not_self")),
        # Only the owner reports their agreement done.
        Row("sanne_in_portal", "following_up_sanne", refused("not_owner")),
        Row("joost_in_portal", "following_up_joost", refused("not_owner")),
        Row("daan_in_portal", "closed_daan", refused("state")),
        Row("daan_in_portal", "changed_daan", refused("changed")),
        Row("daan_in_portal", "bike_done_daan", refused("not_open")),
        Row("daan_in_portal", "bike_not_kept_daan", refused("not_open")),
        Row("daan_in_portal", "daan_reported_done_daan", refused("report_waiting")),
        Row("daan_in_portal", "daan_reported_done_confirmed_daan", refused("not_open")),
    ],
    "may_invoke": [
        Row("sanne_in_portal", "following_up_sanne", ALLOWED),
        Row("joost_in_portal", "following_up_joost", ALLOWED),  # anyone in the plan
        Row("sanne_in_portal", "bike_done_sanne", ALLOWED),  # done, yet it goes wrong again
        Row("sanne_in_portal", "sanne_invoked_answered_sanne", ALLOWED),  # again, after an answer
        Row("ellen_in_portal", "ellens_page", denied("not_in_plan")),
        Row("sanne_in_portal", "daans_page", denied("not_self")),
        *each(("coordinator", "manager"), "sannes_page", denied("not_self")),
        Row("daan_in_portal", "following_up_daan", refused("own_agreement")),
        Row("sanne_in_portal", "closed_sanne", refused("state")),
        Row("sanne_in_portal", "changed_sanne", refused("changed")),
        Row("sanne_in_portal", "sanne_invoked_sanne", refused("report_waiting")),
        Row("joost_in_portal", "sanne_invoked_joost", ALLOWED),  # Sanne's report is hers
    ],
    "may_answer": [
        Row("coordinator", "sanne_invoked", ALLOWED),
        # A report of done is confirmed or asked back about, never answered with a state.
        Row("coordinator", "daan_reported_done", refused("kind")),
        *each((*STAFF_NOT_THE_COORDINATOR, *PARTICIPANTS), "sanne_invoked", NOT_COORDINATOR),
        Row("coordinator", "sanne_invoked_answered", refused("answered")),
        Row("coordinator", "sanne_invoked_closed", refused("state")),
    ],
    "may_confirm_done": [
        Row("coordinator", "daan_reported_done", ALLOWED),
        *each((*STAFF_NOT_THE_COORDINATOR, *PARTICIPANTS), "daan_reported_done", NOT_COORDINATOR),
        Row("coordinator", "daan_reported_done_confirmed", refused("answered")),
        Row("coordinator", "daan_reported_done_asked_back", refused("answered")),
        Row("coordinator", "daan_reported_done_closed", refused("state")),
        Row("coordinator", "daan_reported_done_changed", refused("changed")),
        # Only a report of done is confirmed; an invocation is answered.
        Row("coordinator", "sanne_invoked", refused("kind")),
    ],
    "may_ask_back": [
        Row("coordinator", "daan_reported_done", ALLOWED),
        *each((*STAFF_NOT_THE_COORDINATOR, *PARTICIPANTS), "daan_reported_done", NOT_COORDINATOR),
        Row("coordinator", "daan_reported_done_confirmed", refused("answered")),
        Row("coordinator", "daan_reported_done_closed", refused("state")),
        Row("coordinator", "sanne_invoked", refused("kind")),
    ],
    "may_record_contact": [
        Row("coordinator", "following_up", ALLOWED),
        *each((*STAFF_NOT_THE_COORDINATOR, *PARTICIPANTS), "following_up", NOT_COORDINATOR),
        Row("coordinator", "closed", refused("state")),
        Row("coordinator", "contact_recorded", refused("contact_done")),
    ],
}


def _participant(o: dict, actor) -> Participant:
    """The participant asked about (the world's, or the acting participant's own), read afresh
    with their case (a world may have closed it)."""
    who = o.get("participant") or actor.participant
    return Participant.objects.select_related("case").get(pk=who.pk)


CALLS: dict[str, Callable] = {
    "may_read_tracker": lambda actor, o, **kw: policy.may_read_tracker(actor, o["case"]),
    "may_set_state": lambda actor, o, **kw: policy.may_set_state(actor, o["tracked"], **kw),
    "may_change_agreements": lambda actor, o, **kw: policy.may_change_agreements(actor, o["case"]),
    "may_read_agreements_in_portal": lambda actor, o, **kw: policy.may_read_agreements_in_portal(
        actor, _participant(o, actor)
    ),
    "may_report_done": lambda actor, o, **kw: policy.may_report_done(
        actor, _participant(o, actor), o["tracked"]
    ),
    "may_invoke": lambda actor, o, **kw: policy.may_invoke(
        actor, _participant(o, actor), o["tracked"]
    ),
    "may_answer": lambda actor, o, **kw: policy.may_answer(actor, o["report"]),
    "may_confirm_done": lambda actor, o, **kw: policy.may_confirm_done(actor, o["report"]),
    "may_ask_back": lambda actor, o, **kw: policy.may_ask_back(actor, o["report"]),
    "may_record_contact": lambda actor, o, **kw: policy.may_record_contact(actor, o["contact"]),
}


@pytest.fixture
def followup_world(request) -> World:
    return World(request, PEOPLE, SETUPS)


@pytest.mark.parametrize(("name", "row"), params(CORE_TABLES))
def test_each_actor_gets_the_answer_in_the_table(followup_world, name, row):
    objects = followup_world.setup(row.given)
    actor = followup_world.person(row.actor)
    extra = dict(row.extra)
    assert_answer(CALLS[name](actor, objects, **extra), row)


def test_every_policy_of_the_core_is_called_by_the_table():
    assert set(CALLS) == set(CORE_TABLES)
