"""Every policy function of circle/policy.py as a table (issue 6, point 7): who (a staff user,
or a participant acting in the portal for themselves, for someone else, or as guardian for
their minor ward) does it to what (the case, a person in the circle, a nomination, a risk) in a
given state, and the answer: allowed, `denied(code)` (access: never, a 403 or 404) or
`refused(code)` (a rule: not now, shown with its reason). The shape of the tables is in
cases/tests/test_policy.py. A new policy function without a table fails
`test_every_may_function_of_circle_policy_has_a_table`.

Each row builds one case through the real actions, with the people of circle/tests/conftest.py
(Daan responsible, Sanne harmed, Joost in Daan's circle, Ria in Sanne's) and Ruben, a minor on
the harmed side, with his mother Ingrid as guardian (as in portal/tests/test_actors.py).
"""

from collections.abc import Callable

import pytest
from django.utils import timezone

from kring.audit.actors import Actor
from kring.cases import actions as case_actions
from kring.cases.lifecycle import State
from kring.cases.tests.test_policy import (
    ALLOWED,
    STAFF,
    Row,
    World,
    assert_answer,
    assert_tables_are_sound,
    denied,
    each,
    may_functions,
    params,
    refused,
)
from kring.circle import actions, erasure, policy
from kring.circle.models import Mode, RiskFlag, Side
from kring.circle.tests.conftest import acknowledge

# --- the people: staff, and participants in the portal ---------------------------------------------


# A participant acting in the portal: (who acts, for whom or None).
IN_PORTAL: dict[str, tuple[str, str | None]] = {
    "daan_in_portal": ("daan", None),
    "sanne_in_portal": ("sanne", None),
    "ruben_in_portal": ("ruben", None),
    # A parent or guardian acting for their minor ward (R9).
    "ingrid_in_portal_for_ruben": ("ingrid", "ruben"),
    # Acting "for" someone who is not their ward: the policy must not take their word for it.
    "sanne_in_portal_for_daan": ("sanne", "daan"),
    # Daan, once recorded as Ruben's guardian (R9 forbids it: he is responsible, Ruben harmed).
    "daan_in_portal_for_ruben": ("daan", "ruben"),
}


def _in_portal(name: str, for_name: str | None) -> Callable:
    def make(world):
        ward = world.circle[for_name] if for_name else None
        return Actor.in_portal(world.circle[name], for_participant=ward)

    return make


PEOPLE: dict[str, Callable] = {
    **STAFF,
    **{key: _in_portal(*who) for key, who in IN_PORTAL.items()},
}

# Staff who are not the case's coordinator: none of them works on the circle.
NOT_THE_COORDINATOR = (
    "other_coordinator",
    "coordinator_other_team",
    "office",
    "manager",
    "manager_other_team",
    "researcher",
    "administrator",
    "inactive_coordinator",
)
NOT_THE_COORDINATOR_NOR_PORTAL = (*NOT_THE_COORDINATOR, "daan_in_portal")


# --- the circle, in each state ----------------------------------------------------------------------


class CircleWorld(World):
    needs: set[str]  # the objects the row reads: built on top of the circle under way
    circle: dict[str, object]


def _before_acknowledgment(world) -> dict:
    """Carla's case in preparation: Daan (responsible) has not acknowledged his part yet;
    Sanne (harmed) and Joost (Daan's brother) are added. No one is invited."""
    return {
        "case": world.fixture("preparing_case"),
        "daan": world.fixture("daan"),
        "sanne": world.fixture("sanne"),
        "joost": world.fixture("joost"),
    }


def _under_way(world) -> dict:
    """Carla's case in preparation, well under way. Always:
    - Daan acknowledged his part (R3), was invited and accepted;
    - Sanne was invited (R4: after Daan's acknowledgment) and has not answered.
    And what the row names (`world.needs`), so that a row builds only what it reads:
    - Joost, in Daan's circle, is not invited and nothing happened with him yet;
    - Ria, in Sanne's circle, was invited and declined;
    - Ruben, a minor on the harmed side, and Ingrid, his mother and guardian, are invited;
    - Daan named two people: one nomination is open, one decided;
    - one risk is open, one resolved."""
    carla, needs = world.fixture("carla"), world.needs
    case, daan, sanne = (world.fixture(n) for n in ("preparing_case", "daan", "sanne"))
    acknowledge(daan, by=carla)
    actions.invite(daan, channel="letter", by=carla)
    actions.respond(daan, accepts=True, mode=Mode.PHONE, by=carla)
    actions.invite(sanne, channel="letter", by=carla)
    circle = {"case": case, "daan": daan, "sanne": sanne}
    if "joost" in needs:
        circle["joost"] = world.fixture("joost")
    if "ria" in needs:
        circle["ria"] = ria = world.fixture("ria")
        actions.invite(ria, channel="letter", by=carla)
        actions.respond(ria, accepts=False, mode=Mode.PHONE, by=carla)
    if needs & {"ruben", "ingrid"}:
        ruben = actions.add_participant(case, by=carla, name="Ruben Verhoef", side=Side.HARMED)
        ingrid = actions.add_participant(
            case,
            by=carla,
            name="Ingrid Verhoef",
            side=Side.SUPPORTER,
            supports=ruben,
            relation="mother of Ruben",
        )
        actions.update_participant(ruben, by=carla, is_minor=True, guardian=ingrid)
        actions.invite(ingrid, channel="letter", by=carla)
        actions.invite(ruben, channel="letter", by=carla)
        circle.update(ruben=ruben, ingrid=ingrid)
    if "pending_nomination" in needs:
        circle["pending_nomination"] = actions.nominate(
            daan, name="Kees de Boer", via=Mode.PHONE, by=carla
        )
    if "decided_nomination" in needs:
        decided = actions.nominate(daan, name="Els de Boer", via=Mode.PHONE, by=carla)
        actions.decide_nomination(decided, invite_nominee=False, reason="Not now", by=carla)
        circle["decided_nomination"] = decided
    if "request_person" in needs:  # Sanne as the request names her (issue 8, point 8)
        circle["request_person"] = case.referral.people.get(name="Sanne")
    if needs & {"daans_question", "answered_question"}:
        circle["daans_question"] = actions.ask_question(
            daan, text="Mag mijn moeder mee?", by=Actor.in_portal(daan)
        )
    if "answered_question" in needs:
        circle["answered_question"] = answered = actions.ask_question(
            daan, text="Hoe laat begint het?", by=Actor.in_portal(daan)
        )
        actions.answer_question(answered, answer="Om tien uur.", by=carla)
    if needs & {"open_notice", "handled_notice"}:
        circle["open_notice"] = actions.ask_question(
            daan, text="Waar is het?", by=Actor.in_portal(daan)
        ).notices.get()
    if "handled_notice" in needs:
        actions.nominate(daan, name="Oom Piet", by=Actor.in_portal(daan))
        circle["handled_notice"] = handled = daan.notices.get(kind="circle.nominated")
        actions.handle_notice(handled, by=carla)
    if "open_risk" in needs:
        circle["open_risk"] = _flag(case, by=carla)
    if "resolved_risk" in needs:
        circle["resolved_risk"] = resolved = _flag(case, by=carla)
        actions.resolve_risk(resolved, resolution="A second coordinator joins", by=carla)
    for obj in circle.values():
        obj.refresh_from_db()  # the actions changed their own copies
    return circle


def _flag(case, *, by):
    return actions.flag_risk(
        case,
        kind=RiskFlag.Kind.INTIMIDATION,
        level=RiskFlag.Level.MEDIUM,
        assessment="Contact only through the coordinator",
        by=by,
    )


def _then(change: Callable) -> Callable:
    """The circle under way, then `change(world, circle)`; the objects read afresh."""

    def build(world):
        circle = _under_way(world)
        change(world, circle)
        for obj in circle.values():
            obj.refresh_from_db()
        return circle

    return build


def _set_state(state: str) -> Callable:
    def change(world, circle):
        circle["case"].state = state
        circle["case"].save(update_fields=["state"])

    return change


def _stop(world, circle):
    case_actions.stop(circle["case"], reason="safety", by=world.fixture("carla"))


def _hand_back(world, circle):
    """Carla hands the case back (R2): the circle stays, waiting for a new coordinator."""
    case_actions.hand_back_case(circle["case"], reason="absence", by=world.fixture("carla"))


def _sanne_withdraws(world, circle):
    actions.withdraw(circle["sanne"], by=Actor.in_portal(circle["sanne"]))


def _sanne_came_back(world, circle):
    """Sanne withdrew in the portal, and told Carla on the phone that she takes part again."""
    _sanne_withdraws(world, circle)
    actions.record_return(
        circle["sanne"], returned_at=timezone.now(), mode=Mode.PHONE, by=world.fixture("carla")
    )


def _consents(person, *, by_person=None):
    """`person` consents in the portal to the current information (or `by_person`, their
    guardian, for them)."""
    acting = by_person or person
    actions.give_consent(
        person,
        legal_advice="no",
        interpreter="no",
        support_person="no",
        by=Actor.in_portal(acting, for_participant=person),
    )


def _daan_consented(world, circle):
    _consents(circle["daan"])


def _daan_consented_to_an_older_version(world, circle):
    """Daan consented; the information has had a new version since."""
    _consents(circle["daan"])
    circle["daan"].consents.update(information_version="2025-1")


def _sanne_consented_then_came_back(world, circle):
    """Sanne consented, withdrew, and came back: her consent no longer counts (R9)."""
    _consents(circle["sanne"])
    _sanne_came_back(world, circle)


def _ruben_consented(world, circle):
    _consents(circle["ruben"])


def _ruben_and_ingrid_consented(world, circle):
    _consents(circle["ruben"])
    _consents(circle["ruben"], by_person=circle["ingrid"])


def _joost_spoken_with(world, circle):
    actions.record_conversation(
        circle["joost"], held_at=timezone.now(), mode=Mode.PHONE, by=world.fixture("carla")
    )


def _lotte_added(world, circle):
    """Lotte, Daan's niece, a minor, added without a parent or guardian."""
    circle["lotte"] = actions.add_participant(
        circle["case"],
        by=world.fixture("carla"),
        name="Lotte de Boer",
        side=Side.SUPPORTER,
        supports=circle["daan"],
        relation="niece of Daan",
        is_minor=True,
    )


def _daan_made_guardian_of_ruben(world, circle):
    """Daan, responsible for the harm, recorded as the guardian of Ruben, a minor harmed: the
    action refuses it now (R9), so this is data from before that rule, written directly."""
    ruben = circle["ruben"]
    ruben.guardian = circle["daan"]
    ruben.save(update_fields=["guardian"])


def _daan_erased(world, circle):
    """Daan asked to be erased, and was (issue 14: the circle's part of privacy.rights's
    erasure): nothing is added or reissued for him."""
    erasure.erase_participant(circle["daan"])


def _sanne_withdrew_then_erased(world, circle):
    _sanne_withdraws(world, circle)
    erasure.erase_participant(circle["sanne"])


def _sanne_added_from_the_request(world, circle):
    actions.add_from_request(circle["request_person"], by=world.fixture("carla"))


def _case_only(fixture: str, then: Callable | None = None) -> Callable:
    """A case without a circle yet, in the state of a lifecycle fixture."""

    def build(world):
        case = world.fixture(fixture)
        if then is not None:
            case = then(world, case)
        return {"case": case}

    return build


SETUPS: dict[str, Callable] = {
    "requested": _case_only("requested_case"),
    "referred": _case_only("referred_case"),
    "assigned": _case_only("carlas_case"),
    "declined": _case_only(
        "requested_case",
        lambda world, case: case_actions.decline(
            case, reason="not_suitable", by=world.fixture("bram")
        ),
    ),
    "before_acknowledgment": _before_acknowledgment,
    "preparing": _under_way,
    "joost_spoken_with": _then(_joost_spoken_with),
    "with_a_minor_without_guardian": _then(_lotte_added),
    "sanne_withdrew": _then(_sanne_withdraws),
    "sanne_came_back": _then(_sanne_came_back),
    "daan_consented": _then(_daan_consented),
    "daan_consented_to_an_older_version": _then(_daan_consented_to_an_older_version),
    "sanne_consented_then_came_back": _then(_sanne_consented_then_came_back),
    "ruben_consented": _then(_ruben_consented),
    "ruben_and_ingrid_consented": _then(_ruben_and_ingrid_consented),
    "daan_guardian_of_ruben": _then(_daan_made_guardian_of_ruben),
    "handed_back": _then(_hand_back),
    "sanne_added_from_the_request": _then(_sanne_added_from_the_request),
    "daan_erased": _then(_daan_erased),
    "sanne_withdrew_then_erased": _then(_sanne_withdrew_then_erased),
    "scheduled": _then(_set_state(State.SCHEDULED)),
    "conference_held": _then(_set_state(State.CONFERENCE_HELD)),
    "following_up": _then(_set_state(State.FOLLOWING_UP)),
    "stopped": _then(_stop),
}


# --- the tables -----------------------------------------------------------------------------------


def _coordinator_works_on_the_case() -> list[Row]:
    """may_prepare and may_add_participant: the case's coordinator, while preparing."""
    return [
        Row("coordinator", "preparing", ALLOWED),
        Row("coordinator", "before_acknowledgment", ALLOWED),
        *each(NOT_THE_COORDINATOR_NOR_PORTAL, "preparing", denied("not_coordinator")),
        *(
            Row("coordinator", state, denied("not_coordinator"))
            for state in ("requested", "referred", "declined", "handed_back")
        ),
        *(
            Row("coordinator", state, refused("not_preparing"))
            for state in ("assigned", "scheduled", "conference_held", "stopped")
        ),
    ]


def _coordinator_works_on(target: str) -> list[Row]:
    """A participant's details and conversations: the case's coordinator, while preparing."""
    return [
        Row("coordinator", "preparing", ALLOWED, target),
        *each(NOT_THE_COORDINATOR_NOR_PORTAL, "preparing", denied("not_coordinator"), target),
        Row("sanne_in_portal", "preparing", denied("not_coordinator"), target),
        Row("coordinator", "handed_back", denied("not_coordinator"), target),
        *(
            Row("coordinator", state, refused("not_preparing"), target)
            for state in ("scheduled", "conference_held", "stopped")
        ),
    ]


def _staff_and_others(target: str, given: str = "preparing") -> list[Row]:
    """Staff other than the case's coordinator, for what a participant does: never."""
    return each(NOT_THE_COORDINATOR, given, denied("not_coordinator"), target)


CIRCLE_TABLES: dict[str, list[Row]] = {
    # R18: which cases each sees is cases.access; the coordinator sees all, the others less.
    "may_view_circle": [
        *each(
            ("coordinator", "other_coordinator", "office", "manager", "manager_other_team"),
            "preparing",
            ALLOWED,
        ),
        *(
            Row("coordinator", state, ALLOWED)
            for state in ("assigned", "scheduled", "conference_held", "stopped")
        ),
        Row("office", "requested", ALLOWED),
        Row("office", "declined", ALLOWED),
        *each(
            (
                "researcher",
                "administrator",
                "inactive_coordinator",
                "inactive_office",
                "inactive_manager",
                "daan_in_portal",
            ),
            "preparing",
            denied("role"),
        ),
    ],
    "may_start_preparation": [
        Row("coordinator", "assigned", ALLOWED),
        *each(
            (*NOT_THE_COORDINATOR, "inactive_manager"),
            "assigned",
            denied("not_coordinator"),
        ),
        Row("daan_in_portal", "preparing", denied("not_coordinator")),
        *(
            Row("coordinator", state, denied("not_coordinator"))
            for state in ("requested", "referred", "declined")  # no coordinator yet, or ever
        ),
        *(
            Row("coordinator", state, refused("state"))
            for state in ("preparing", "scheduled", "stopped")
        ),
    ],
    "may_prepare": _coordinator_works_on_the_case(),
    "may_add_participant": _coordinator_works_on_the_case(),
    "may_update_participant": [
        Row("coordinator", "daan_erased", refused("erased"), "daan"),  # erased: stays erased
        *_coordinator_works_on("daan"),  # not Daan himself in the portal either
        Row("coordinator", "preparing", ALLOWED, "sanne"),
    ],
    "may_record_conversation": [
        Row("coordinator", "daan_erased", refused("erased"), "daan"),  # erased: stays erased
        *_coordinator_works_on("daan"),
        Row("coordinator", "before_acknowledgment", ALLOWED, "daan"),  # R3: he comes first
        Row("coordinator", "preparing", ALLOWED, "sanne"),
        Row(
            "coordinator",
            "before_acknowledgment",
            refused("order_of_the_method"),
            "sanne",
        ),
    ],
    "may_record_acknowledgment": [
        Row("coordinator", "daan_erased", refused("erased"), "daan"),  # erased: stays erased
        *_coordinator_works_on("daan"),
        Row("coordinator", "before_acknowledgment", ALLOWED, "daan"),
        *(
            Row("coordinator", "preparing", refused("not_responsible"), target)
            for target in ("sanne", "joost", "ruben")
        ),
    ],
    "may_invite": [
        Row("coordinator", "daan_erased", refused("erased"), "daan"),  # erased: stays erased
        Row("coordinator", "preparing", ALLOWED, "joost"),  # Daan acknowledged (R5)
        Row("coordinator", "preparing", ALLOWED, "sanne"),  # again, with a new link (R4 met)
        Row("coordinator", "preparing", ALLOWED, "ruben"),  # a minor with a guardian (R9)
        *_staff_and_others("joost"),
        Row("daan_in_portal", "preparing", denied("not_coordinator"), "joost"),
        Row("coordinator", "handed_back", denied("not_coordinator"), "joost"),
        Row("coordinator", "preparing", refused("accepted"), "daan"),
        *(
            Row("coordinator", "before_acknowledgment", refused("order_of_the_method"), target)
            for target in ("daan", "sanne", "joost")  # R3, R4, R5
        ),
        Row("coordinator", "preparing", refused("order_of_the_method"), "ria"),  # declined
        Row("coordinator", "sanne_withdrew", refused("order_of_the_method"), "sanne"),
        Row(
            "coordinator",
            "with_a_minor_without_guardian",
            refused("order_of_the_method"),
            "lotte",
        ),
        *(
            Row("coordinator", state, refused("not_preparing"), "joost")
            for state in ("scheduled", "stopped")
        ),
    ],
    "may_reissue_link": [
        Row("coordinator", "daan_erased", refused("erased"), "daan"),  # erased: stays erased
        *(Row("coordinator", "preparing", ALLOWED, t) for t in ("daan", "sanne", "ruben")),
        Row("coordinator", "scheduled", ALLOWED, "sanne"),
        *_staff_and_others("sanne"),
        Row("sanne_in_portal", "preparing", denied("not_coordinator"), "sanne"),
        Row("coordinator", "handed_back", denied("not_coordinator"), "sanne"),
        # R4 holds for links too: never a link for the harmed side before an acknowledgment.
        Row("coordinator", "before_acknowledgment", refused("not_invited"), "sanne"),
        Row("coordinator", "preparing", refused("not_invited"), "joost"),
        Row("coordinator", "preparing", refused("not_invited"), "ria"),  # declined
        Row("coordinator", "sanne_withdrew", refused("not_invited"), "sanne"),
        # After the conference the link is still needed: to sign remotely, to download the copy.
        Row("coordinator", "conference_held", ALLOWED, "sanne"),
        Row("coordinator", "following_up", ALLOWED, "sanne"),
        Row("coordinator", "stopped", refused("state"), "sanne"),
    ],
    "may_remove_participant": [
        Row("coordinator", "daan_erased", refused("erased"), "daan"),  # erased: stays erased
        Row("coordinator", "preparing", ALLOWED, "joost"),  # nothing happened with him yet
        Row("coordinator", "before_acknowledgment", ALLOWED, "sanne"),
        *_staff_and_others("joost"),
        Row("daan_in_portal", "preparing", denied("not_coordinator"), "joost"),
        Row("coordinator", "handed_back", denied("not_coordinator"), "joost"),
        *(Row("coordinator", "preparing", refused("invited"), t) for t in ("daan", "sanne", "ria")),
        Row("coordinator", "joost_spoken_with", refused("has_history"), "joost"),
        Row("coordinator", "before_acknowledgment", refused("has_dependants"), "daan"),
        *(
            Row("coordinator", state, refused("not_preparing"), "joost")
            for state in ("scheduled", "stopped")
        ),
    ],
    "may_decide_nomination": [
        Row(
            "coordinator", "daan_erased", refused("erased"), "pending_nomination"
        ),  # erased: stays erased
        Row("coordinator", "preparing", ALLOWED, "pending_nomination"),
        *_staff_and_others("pending_nomination"),
        Row("daan_in_portal", "preparing", denied("not_coordinator"), "pending_nomination"),
        Row("coordinator", "handed_back", denied("not_coordinator"), "pending_nomination"),
        Row("coordinator", "preparing", refused("decided"), "decided_nomination"),
        *(
            Row("coordinator", state, refused("not_preparing"), "pending_nomination")
            for state in ("scheduled", "stopped")
        ),
    ],
    # R7: the safety check stays open until the meeting.
    "may_flag_risk": [
        *(Row("coordinator", state, ALLOWED) for state in ("preparing", "scheduled")),
        *each(NOT_THE_COORDINATOR_NOR_PORTAL, "preparing", denied("not_coordinator")),
        *(
            Row("coordinator", state, denied("not_coordinator"))
            for state in ("requested", "referred", "declined", "handed_back")
        ),
        *(
            Row("coordinator", state, refused("state"))
            for state in ("assigned", "conference_held", "stopped")
        ),
    ],
    "may_resolve_risk": [
        *(Row("coordinator", state, ALLOWED, "open_risk") for state in ("preparing", "scheduled")),
        *each(NOT_THE_COORDINATOR_NOR_PORTAL, "preparing", denied("not_coordinator"), "open_risk"),
        Row("coordinator", "handed_back", denied("not_coordinator"), "open_risk"),
        Row("coordinator", "preparing", refused("resolved"), "resolved_risk"),
        *(
            Row("coordinator", state, refused("state"), "open_risk")
            for state in ("conference_held", "stopped")
        ),
    ],
    # R9: voluntary; an answer may be changed while the invitation stands.
    "may_respond": [
        Row("coordinator", "daan_erased", refused("erased"), "daan"),  # erased: stays erased
        Row("daan_in_portal", "preparing", ALLOWED, "daan"),  # he accepted, may change his mind
        Row("sanne_in_portal", "preparing", ALLOWED, "sanne"),
        Row("ruben_in_portal", "preparing", ALLOWED, "ruben"),
        *(Row("coordinator", "preparing", ALLOWED, t) for t in ("sanne", "ria")),  # by phone
        Row("daan_in_portal", "handed_back", ALLOWED, "daan"),  # the circle stays (R2)
        Row("sanne_in_portal", "preparing", denied("not_self"), "daan"),
        Row("sanne_in_portal_for_daan", "preparing", denied("not_self"), "daan"),
        Row("daan_in_portal", "preparing", denied("not_self"), "sanne"),
        Row("ingrid_in_portal_for_ruben", "preparing", denied("not_self"), "ruben"),  # only consent
        *_staff_and_others("sanne"),
        Row("coordinator", "handed_back", denied("not_coordinator"), "sanne"),
        Row("coordinator", "preparing", refused("no_invitation"), "joost"),
        Row("sanne_in_portal", "sanne_withdrew", refused("no_invitation"), "sanne"),
        *(
            Row("daan_in_portal", state, refused("not_preparing"), "daan")
            for state in ("scheduled", "conference_held", "stopped")
        ),
    ],
    # R9, R17: informed consent; for a minor, the parent or guardian consents too.
    "may_consent": [
        Row("coordinator", "daan_erased", refused("erased"), "daan"),  # erased: stays erased
        Row("daan_in_portal", "preparing", ALLOWED, "daan"),
        Row("sanne_in_portal", "preparing", ALLOWED, "sanne"),
        Row("ruben_in_portal", "preparing", ALLOWED, "ruben"),
        Row("ingrid_in_portal_for_ruben", "preparing", ALLOWED, "ruben"),
        Row("coordinator", "preparing", ALLOWED, "daan"),  # obtained on paper or by phone
        Row("daan_in_portal", "handed_back", ALLOWED, "daan"),
        Row("sanne_in_portal", "preparing", denied("not_self"), "daan"),
        Row("sanne_in_portal_for_daan", "preparing", denied("not_self"), "daan"),
        Row("daan_in_portal", "preparing", denied("not_self"), "sanne"),
        Row("ingrid_in_portal_for_ruben", "preparing", denied("not_self"), "sanne"),  # not her ward
        *_staff_and_others("daan"),
        Row("coordinator", "handed_back", denied("not_coordinator"), "daan"),
        Row("coordinator", "preparing", refused("not_taking_part"), "ria"),  # declined
        # R9: someone who withdrew consents again once the coordinator recorded their return.
        Row("sanne_in_portal", "sanne_withdrew", refused("not_taking_part"), "sanne"),
        Row("sanne_in_portal", "sanne_came_back", ALLOWED, "sanne"),
        # Issue 8, point 6: a consent that counts is not asked again; a new version of the
        # information or a return (R9) asks anew; a guardian still consents for the ward.
        Row("daan_in_portal", "daan_consented", refused("consented"), "daan"),
        Row("coordinator", "daan_consented", refused("consented"), "daan"),
        Row("daan_in_portal", "daan_consented_to_an_older_version", ALLOWED, "daan"),
        Row("sanne_in_portal", "sanne_consented_then_came_back", ALLOWED, "sanne"),
        Row("ruben_in_portal", "ruben_consented", refused("consented"), "ruben"),
        Row("ingrid_in_portal_for_ruben", "ruben_consented", ALLOWED, "ruben"),
        Row("coordinator", "ruben_consented", ALLOWED, "ruben"),  # Ingrid's is still missing
        Row(
            "ingrid_in_portal_for_ruben",
            "ruben_and_ingrid_consented",
            refused("consented"),
            "ruben",
        ),
        Row("coordinator", "ruben_and_ingrid_consented", refused("consented"), "ruben"),
        Row(
            "coordinator",
            "before_acknowledgment",
            refused("order_of_the_method"),
            "sanne",
        ),
        Row(
            "daan_in_portal_for_ruben",
            "daan_guardian_of_ruben",
            denied("not_self"),
            "ruben",
        ),
        *(
            Row("daan_in_portal", state, refused("not_preparing"), "daan")
            for state in ("scheduled", "conference_held", "stopped")
        ),
    ],
    # R6: who else should be there?
    "may_nominate": [
        Row("coordinator", "daan_erased", refused("erased"), "daan"),  # erased: stays erased
        Row("daan_in_portal", "preparing", ALLOWED, "daan"),
        Row("sanne_in_portal", "preparing", ALLOWED, "sanne"),
        *(Row("coordinator", "preparing", ALLOWED, t) for t in ("daan", "joost")),
        Row("daan_in_portal", "handed_back", ALLOWED, "daan"),
        Row("sanne_in_portal", "preparing", denied("not_self"), "daan"),
        Row("sanne_in_portal_for_daan", "preparing", denied("not_self"), "daan"),
        Row("ingrid_in_portal_for_ruben", "preparing", denied("not_self"), "ruben"),
        *_staff_and_others("daan"),
        Row("coordinator", "preparing", refused("not_taking_part"), "ria"),  # declined
        Row("sanne_in_portal", "sanne_withdrew", refused("not_taking_part"), "sanne"),
        Row(
            "coordinator",
            "before_acknowledgment",
            refused("order_of_the_method"),
            "sanne",
        ),
        *(
            Row("daan_in_portal", state, refused("not_preparing"), "daan")
            for state in ("scheduled", "stopped")
        ),
    ],
    # R9: withdraw at any moment until the plan is signed, with immediate effect.
    "may_withdraw": [
        Row("coordinator", "daan_erased", refused("erased"), "daan"),  # erased: stays erased
        *(Row("daan_in_portal", state, ALLOWED, "daan") for state in ("preparing", "scheduled")),
        Row("sanne_in_portal", "preparing", ALLOWED, "sanne"),
        Row("ruben_in_portal", "preparing", ALLOWED, "ruben"),
        *(Row("coordinator", state, ALLOWED, "daan") for state in ("preparing", "scheduled")),
        Row("coordinator", "preparing", ALLOWED, "ria"),  # declined, then withdraws
        Row("daan_in_portal", "handed_back", ALLOWED, "daan"),
        Row("sanne_in_portal", "preparing", denied("not_self"), "daan"),
        Row("sanne_in_portal_for_daan", "preparing", denied("not_self"), "daan"),
        Row("ingrid_in_portal_for_ruben", "preparing", denied("not_self"), "ruben"),
        *_staff_and_others("daan"),
        Row("coordinator", "handed_back", denied("not_coordinator"), "daan"),
        Row("sanne_in_portal", "sanne_withdrew", refused("withdrawn"), "sanne"),
        *(
            Row(actor, state, refused("state"), "daan")
            for actor in ("daan_in_portal", "coordinator")
            for state in ("conference_held", "stopped")
        ),
    ],
    # Issue 8, point 8: the people named in the request, added or set aside once each.
    "may_add_from_request": [
        Row("coordinator", "preparing", ALLOWED, "request_person"),
        *_staff_and_others("request_person"),
        Row("daan_in_portal", "preparing", denied("not_coordinator"), "request_person"),
        Row("coordinator", "handed_back", denied("not_coordinator"), "request_person"),
        Row("coordinator", "sanne_added_from_the_request", refused("decided"), "request_person"),
        *(
            Row("coordinator", state, refused("not_preparing"), "request_person")
            for state in ("scheduled", "stopped")
        ),
    ],
    # Issue 8: a question to the coordinator, in one's own portal; asking to come back too.
    "may_ask_question": [
        Row("daan_in_portal", "daan_erased", refused("erased"), "daan"),
        *(Row("daan_in_portal", state, ALLOWED, "daan") for state in ("preparing", "scheduled")),
        Row("sanne_in_portal", "sanne_withdrew", ALLOWED, "sanne"),
        Row("daan_in_portal", "handed_back", ALLOWED, "daan"),
        Row("sanne_in_portal", "preparing", denied("not_self"), "daan"),
        Row("sanne_in_portal_for_daan", "preparing", denied("not_self"), "daan"),
        Row("ingrid_in_portal_for_ruben", "preparing", denied("not_self"), "ruben"),
        Row("coordinator", "preparing", denied("not_self"), "daan"),
        *each(NOT_THE_COORDINATOR, "preparing", denied("not_self"), "daan"),
        *(
            Row("daan_in_portal", state, refused("state"), "daan")
            for state in ("conference_held", "stopped")
        ),
    ],
    # The coordinator answers a question once, in Kring or by telephone.
    "may_answer_question": [
        Row(
            "coordinator", "daan_erased", refused("erased"), "daans_question"
        ),  # erased: stays erased
        *(
            Row("coordinator", state, ALLOWED, "daans_question")
            for state in ("preparing", "scheduled", "stopped")
        ),
        *_staff_and_others("daans_question"),
        Row("daan_in_portal", "preparing", denied("not_coordinator"), "daans_question"),
        Row("coordinator", "handed_back", denied("not_coordinator"), "daans_question"),
        Row("coordinator", "preparing", refused("answered"), "answered_question"),
    ],
    # The coordinator marks a notice handled, once.
    "may_handle_notice": [
        Row("coordinator", "preparing", ALLOWED, "open_notice"),
        *_staff_and_others("open_notice"),
        Row("daan_in_portal", "preparing", denied("not_coordinator"), "open_notice"),
        Row("coordinator", "handed_back", denied("not_coordinator"), "open_notice"),
        Row("coordinator", "preparing", refused("handled"), "handled_notice"),
    ],
    # R9: voluntary both ways; the coordinator records a return after speaking with them.
    "may_record_return": [
        Row("coordinator", "sanne_withdrew_then_erased", refused("erased"), "sanne"),
        Row("coordinator", "sanne_withdrew", ALLOWED, "sanne"),
        Row("coordinator", "preparing", ALLOWED, "ria"),  # declined
        Row("coordinator", "scheduled", ALLOWED, "ria"),
        Row("sanne_in_portal", "sanne_withdrew", denied("not_coordinator"), "sanne"),
        *_staff_and_others("sanne", given="sanne_withdrew"),
        Row("coordinator", "handed_back", denied("not_coordinator"), "ria"),
        Row("coordinator", "preparing", refused("takes_part"), "daan"),
        Row("coordinator", "sanne_came_back", refused("takes_part"), "sanne"),
        *(
            Row("coordinator", state, refused("state"), "ria")
            for state in ("conference_held", "stopped")
        ),
    ],
}


@pytest.fixture
def world(request, db):
    return CircleWorld(request, PEOPLE, SETUPS)


@pytest.mark.parametrize(("name", "row"), params(CIRCLE_TABLES))
def test_each_actor_in_each_state_gets_the_answer_in_the_table(world, name, row):
    world.needs = {row.target, *(n for n in IN_PORTAL.get(row.actor, ()) if n)}
    world.circle = world.setup(row.given)
    actor = world.person(row.actor)
    assert_answer(getattr(policy, name)(actor, world.circle[row.target]), row)


def test_every_may_function_of_circle_policy_has_a_table():
    assert may_functions(policy) == set(CIRCLE_TABLES)


def test_every_table_says_who_may_and_who_may_not():
    assert_tables_are_sound(CIRCLE_TABLES)
