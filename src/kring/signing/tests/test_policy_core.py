"""The policy tables of signing (issue 11, points 1, 2 and 4; R14), in the shape of
cases/tests/test_policy.py; gathered by test_policy.py. Carla's case after its conference
(conftest `final_version`: Daan, Sanne, Joost and Ria present, version 1 final). The place to
sign is Sanne's own, unless the world names another; the participant asked about (a code, a
copy) is Sanne, unless the world names another. Each world is built through the real actions
(signing, finalising), a state no action reaches from here (closed) set directly."""

from collections.abc import Callable
from datetime import timedelta

import pytest
from django.db.models import F
from django.utils import timezone

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
from kring.circle.models import Status
from kring.conference import versions
from kring.conference.models import Plan
from kring.signing import actions, codes, policy, queries
from kring.signing.models import ERASED_STORAGE, Role, SignedDocument, SigningCode

pytestmark = pytest.mark.django_db

CONSENT = "I have read this plan and I agree with it."

# --- the people ---------------------------------------------------------------------------------


def _in_portal(name: str) -> Callable:
    return lambda world: Actor.in_portal(world.fixture(name))


def _in_person(name: str) -> Callable:
    return lambda world: Actor.in_person(world.fixture(name))


PEOPLE: dict[str, Callable] = {
    **STAFF,
    "sanne_in_portal": _in_portal("sanne"),
    "sanne_in_person": _in_person("sanne"),
    "daan_in_portal": _in_portal("daan"),  # another participant of the case
    "daan_in_person": _in_person("daan"),
    "ria_in_portal": _in_portal("ria"),  # no e-mail address
    "ellen_in_portal": _in_portal("ellen"),  # Sanne's guardian (worlds "minor...", "ellen...")
}

# The staff who are not the case's coordinator; the team's manager reads, never hosts or signs.
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
ALL_STAFF = ("coordinator", *STAFF_NOT_THE_COORDINATOR)
NOT_COORDINATOR = denied("not_coordinator")

# --- the worlds ---------------------------------------------------------------------------------


def _sign(version, person, carla) -> None:
    actions.sign(
        version,
        person.pk,
        Role.OWN,
        by=Actor.in_person(person),
        typed_name=person.name,
        agreed=True,
        consent_text=CONSENT,
        host=carla,
    )


def _objects(world, version, *, participant="sanne", role=Role.OWN, slot_of="sanne"):
    case = type(version.plan.case).objects.get(pk=version.plan.case_id)
    version.plan.case = case
    who = world.fixture(participant)
    slot = queries.slot_of(version, world.fixture(slot_of).pk, role)
    return {
        "case": case,
        "version": version,
        "slot": slot,
        "participant": type(who).objects.select_related("case").get(pk=who.pk),
        "document": SignedDocument.objects.filter(version=version).select_related("case").first(),
    }


def _held(world, **kwargs):
    return _objects(world, world.fixture("final_version"), **kwargs)


def _in_state(state: str) -> Callable:
    def build(world):
        version = world.fixture("final_version")
        type(version.plan.case).objects.filter(pk=version.plan.case_id).update(state=state)
        return _objects(world, version)

    return build


def _being_changed(world):
    """Version 1 was final; the plan was changed after it (a draft of version 2)."""
    version = world.fixture("final_version")
    Plan.objects.filter(pk=version.plan_id).update(
        if_not_kept="Carla belt iedereen.", edit_count=F("edit_count") + 1
    )
    return _objects(world, version)


def _older_version(world):
    """Version 2 is final: version 1's places are asked about."""
    objects = _being_changed(world)
    versions.finalise(Plan.objects.get(pk=objects["version"].plan_id), by=world.fixture("carla"))
    return _objects(world, objects["version"])


def _never_final(world):
    """The plan is complete, never made final: nothing to sign."""
    plan = world.fixture("complete_plan")
    case = type(plan.case).objects.get(pk=plan.case_id)
    return {"case": case, "participant": world.fixture("sanne")}


def _sanne_signed(world):
    version = world.fixture("final_version")
    _sign(version, world.fixture("sanne"), world.fixture("carla"))
    return _objects(world, version)


def _sanne_declined(world):
    version = world.fixture("final_version")
    sanne = world.fixture("sanne")
    actions.decline(
        version,
        sanne.pk,
        Role.OWN,
        by=Actor.in_portal(sanne),
        reason="Later.",
        code_verified=True,
    )
    return _objects(world, version)


def _without_code(world, **kwargs):
    """As "held" (or "minor"), and the browser has not typed the one-time code."""
    build = _minor if kwargs.pop("minor", False) else _held
    return {**build(world, **kwargs), "code_verified": False}


def _guardian_left(world):
    """Sanne a minor, and Ellen, her guardian, has stopped taking part (set directly: no
    action withdraws anyone after the conference)."""
    world.fixture("sanne_a_minor")
    ellen = world.fixture("ellen")
    type(ellen).objects.filter(pk=ellen.pk).update(status=Status.WITHDRAWN)
    return _minor(world, participant="ellen")


def _codes_sent(world, count: int, *, an_hour_ago: bool = False):
    """Sanne asked for `count` one-time codes (in the last hour, or just over an hour ago)."""
    objects = _held(world)
    for _ in range(count):
        codes.send(objects["participant"])
    if an_hour_ago:
        SigningCode.objects.update(created_at=timezone.now() - timedelta(hours=1, seconds=1))
    return objects


def _no_guardian(world):
    """Sanne a minor without a guardian recorded: her guardian place has nobody to sign it."""
    version = world.fixture("final_version")
    sanne = world.fixture("sanne")
    type(sanne).objects.filter(pk=sanne.pk).update(is_minor=True, guardian=None)
    return _objects(world, version, role=Role.GUARDIAN)


def _minor(world, **kwargs):
    """Sanne a minor, Ellen her guardian (not at the meeting): Sanne's "guardian" place."""
    version = world.fixture("sanne_a_minor")
    return _objects(world, version, role=Role.GUARDIAN, **kwargs)


def _minor_own(world):
    version = world.fixture("sanne_a_minor")
    return _objects(world, version, participant="ellen")


def _everyone_signed(world, *, made=True, participant="sanne", ellen=False):
    if ellen:
        world.fixture("ellen")  # in the circle before the conference, not present
    version = world.fixture("final_version")
    carla = world.fixture("carla")
    for name in ("daan", "sanne", "joost", "ria"):
        _sign(version, world.fixture(name), carla)
    if made:
        SignedDocument.objects.filter(version=version).update(status=SignedDocument.Status.MADE)
    return _objects(world, version, participant=participant)


def _failed(world):
    objects = _everyone_signed(world, made=False)
    SignedDocument.objects.filter(pk=objects["document"].pk).update(
        status=SignedDocument.Status.FAILED
    )
    objects["document"].refresh_from_db()
    return objects


def _erased(world):
    """Made, then its bytes erased with the case at the end of its retention (signing.erasure:
    the mark it leaves)."""
    objects = _everyone_signed(world)
    SignedDocument.objects.filter(pk=objects["document"].pk).update(storage=ERASED_STORAGE)
    objects["document"].refresh_from_db()
    return objects


def _sanne_mailed(world, state: str):
    """Made, and the copies queued by e-mail (to everyone with an address); Sanne's mail is
    `state` ("pending": still waiting to be sent, "sent", "failed")."""
    from kring.notifications.models import OutgoingMail
    from kring.signing import deliveries
    from kring.signing.models import Delivery

    objects = _everyone_signed(world)
    deliveries.send_copies(objects["document"])
    mail = Delivery.objects.get(participant=objects["participant"]).mail_id
    OutgoingMail.objects.filter(pk=mail).update(status=state)
    return objects


def _ria_printed(world):
    """Made, and Ria's copy printed by Carla already."""
    from kring.signing import deliveries

    objects = _everyone_signed(world, participant="ria")
    deliveries.record_printed(
        objects["document"], objects["participant"], by=world.fixture("carla")
    )
    return objects


SETUPS: dict[str, Callable] = {
    "held": _held,
    "following_up": _in_state(State.FOLLOWING_UP),
    "closed": _in_state(State.CLOSED),
    "being_changed": _being_changed,
    "older_version": _older_version,
    "never_final": _never_final,
    "sanne_signed": _sanne_signed,
    "sanne_declined": _sanne_declined,
    "minor": _minor,
    "minor_own_place": _minor_own,  # Sanne's own place, asked about Ellen
    "held_ria": lambda world: _held(world, participant="ria", slot_of="ria"),
    "held_without_code": _without_code,
    "minor_without_code": lambda world: _without_code(world, minor=True),
    "minor_guardian_left": _guardian_left,
    "minor_no_guardian": _no_guardian,
    "sanne_sent_all_codes": lambda world: _codes_sent(world, policy.CODES_PER_HOUR),
    "sanne_sent_one_code_less": lambda world: _codes_sent(world, policy.CODES_PER_HOUR - 1),
    "sanne_sent_all_codes_an_hour_ago": lambda world: _codes_sent(
        world, policy.CODES_PER_HOUR, an_hour_ago=True
    ),
    "made": _everyone_signed,
    "made_ria": lambda world: _everyone_signed(world, participant="ria"),
    "made_ellen_no_signer": lambda world: _everyone_signed(world, participant="ellen", ellen=True),
    "pending": lambda world: _everyone_signed(world, made=False),
    "failed": _failed,
    "erased": _erased,
    "made_mail_waiting": lambda world: _sanne_mailed(world, "pending"),
    "made_mail_sent": lambda world: _sanne_mailed(world, "sent"),
    "made_mail_failed": lambda world: _sanne_mailed(world, "failed"),
    "made_ria_printed": _ria_printed,
}

# --- the tables ---------------------------------------------------------------------------------

PARTICIPANTS = ("sanne_in_portal", "daan_in_portal", "sanne_in_person")

CORE_TABLES: dict[str, list[Row]] = {
    "may_read_signing": [
        Row("coordinator", "held", ALLOWED),
        Row("manager", "held", ALLOWED),  # the team's manager reads every case of the team
        Row("coordinator", "made", ALLOWED),
        Row("manager_other_team", "held", denied("team")),
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
            "held",
            NOT_COORDINATOR,
        ),
    ],
    "may_host_signing": [
        Row("coordinator", "held", ALLOWED),
        Row("coordinator", "following_up", ALLOWED),
        Row("coordinator", "sanne_signed", ALLOWED),
        *each((*STAFF_NOT_THE_COORDINATOR, *PARTICIPANTS), "held", NOT_COORDINATOR),
        Row("coordinator", "closed", refused("state")),
        Row("coordinator", "being_changed", refused("no_version")),
        Row("coordinator", "never_final", refused("no_version")),
    ],
    "may_sign": [
        Row("sanne_in_portal", "held", ALLOWED),
        Row("sanne_in_person", "held", ALLOWED),
        Row("sanne_in_portal", "following_up", ALLOWED),
        # A declination may be followed by a signature.
        Row("sanne_in_portal", "sanne_declined", ALLOWED),
        # Another participant, the coordinator hosting, any staff: never on Sanne's place.
        *each(("daan_in_portal", "daan_in_person", *ALL_STAFF), "held", denied("not_signer")),
        Row("sanne_in_portal", "closed", refused("state")),
        Row("sanne_in_portal", "being_changed", refused("not_final")),
        Row("sanne_in_person", "older_version", refused("changed")),
        Row("sanne_in_portal", "sanne_signed", refused("signed")),
        # A minor's guardian place is Ellen's, not Sanne's; Sanne's own is not Ellen's.
        Row("ellen_in_portal", "minor", ALLOWED),
        Row("sanne_in_portal", "minor", denied("not_signer")),
        Row("coordinator", "minor", denied("not_signer")),
        Row("ellen_in_portal", "minor_own_place", denied("not_signer")),
        # Through the personal page only after the one-time code; on the tablet none is asked.
        Row("sanne_in_portal", "held_without_code", refused("no_code")),
        Row("ellen_in_portal", "minor_without_code", refused("no_code")),
        Row("sanne_in_person", "held_without_code", ALLOWED),
        # A guardian who stopped taking part does not co-sign; without a guardian, nobody does.
        Row("ellen_in_portal", "minor_guardian_left", refused("no_guardian")),
        *each(
            ("sanne_in_portal", "daan_in_portal", "coordinator"),
            "minor_no_guardian",
            denied("not_signer"),
        ),
    ],
    "may_decline": [
        Row("sanne_in_portal", "held", ALLOWED),
        Row("sanne_in_person", "held", ALLOWED),
        Row("ellen_in_portal", "minor", ALLOWED),
        *each(("daan_in_portal", *ALL_STAFF), "held", denied("not_signer")),
        Row("sanne_in_portal", "minor", denied("not_signer")),
        Row("sanne_in_portal", "closed", refused("state")),
        Row("sanne_in_portal", "being_changed", refused("not_final")),
        Row("sanne_in_portal", "older_version", refused("changed")),
        Row("sanne_in_portal", "sanne_signed", refused("signed")),
        Row("sanne_in_portal", "sanne_declined", refused("declined")),
        Row("sanne_in_portal", "held_without_code", refused("no_code")),
        Row("sanne_in_person", "held_without_code", ALLOWED),
        Row("ellen_in_portal", "minor_guardian_left", refused("no_guardian")),
    ],
    "may_send_signing_code": [
        Row("sanne_in_portal", "held", ALLOWED),
        Row("sanne_in_portal", "sanne_declined", ALLOWED),
        Row("ellen_in_portal", "minor_own_place", ALLOWED),  # Ellen's guardian place
        # Only on one's own page: not for someone else, not on the tablet, never staff.
        *each(("daan_in_portal", "sanne_in_person", *ALL_STAFF), "held", denied("not_yours")),
        Row("sanne_in_portal", "closed", refused("state")),
        Row("ria_in_portal", "held_ria", refused("no_email")),
        Row("sanne_in_portal", "sanne_signed", refused("nothing_to_sign")),
        Row("sanne_in_portal", "being_changed", refused("nothing_to_sign")),
        Row("ellen_in_portal", "minor_guardian_left", refused("no_guardian")),
        # At most CODES_PER_HOUR codes an hour: the page hides the button and says why.
        Row("sanne_in_portal", "sanne_sent_one_code_less", ALLOWED),
        Row("sanne_in_portal", "sanne_sent_all_codes", refused("too_many_codes")),
        Row("sanne_in_portal", "sanne_sent_all_codes_an_hour_ago", ALLOWED),
    ],
    "may_download_document": [
        *each(("coordinator", "manager"), "made", ALLOWED),
        # Every signer downloads it, also one who signed on the tablet.
        *each(("sanne_in_portal", "daan_in_portal", "ria_in_portal"), "made", ALLOWED),
        Row("manager_other_team", "made", denied("team")),
        *each(
            (
                "other_coordinator",
                "coordinator_other_team",
                "office",
                "researcher",
                "administrator",
                "inactive_coordinator",
            ),
            "made",
            NOT_COORDINATOR,
        ),
        # Ellen is in the circle, was not present, signed nothing.
        Row("ellen_in_portal", "made_ellen_no_signer", denied("not_signer")),
        Row("coordinator", "pending", refused("not_made")),
        Row("sanne_in_portal", "pending", refused("not_made")),
        Row("coordinator", "failed", refused("not_made")),
        Row("coordinator", "erased", refused("erased")),
        Row("manager", "erased", refused("erased")),
        Row("sanne_in_portal", "erased", refused("erased")),
    ],
    "may_record_printed_copy": [
        Row("coordinator", "made", ALLOWED),
        Row("coordinator", "made_ria", ALLOWED),  # no e-mail: the printed copy is hers
        Row("coordinator", "made_ria_printed", ALLOWED),  # again: lost, or wanted twice
        *each((*STAFF_NOT_THE_COORDINATOR, *PARTICIPANTS), "made", NOT_COORDINATOR),
        Row("coordinator", "made_ellen_no_signer", denied("not_signer")),
        Row("coordinator", "pending", refused("not_made")),
        Row("coordinator", "erased", refused("erased")),
    ],
    "may_resend_copy": [
        Row("coordinator", "made", ALLOWED),
        *each((*STAFF_NOT_THE_COORDINATOR, *PARTICIPANTS), "made", NOT_COORDINATOR),
        Row("coordinator", "made_ellen_no_signer", denied("not_signer")),
        Row("coordinator", "pending", refused("not_made")),
        Row("coordinator", "failed", refused("not_made")),
        Row("coordinator", "made_ria", refused("no_email")),
        # Sent and lost, or failed: again; still waiting to be sent: not a second one.
        Row("coordinator", "made_mail_sent", ALLOWED),
        Row("coordinator", "made_mail_failed", ALLOWED),
        Row("coordinator", "made_mail_waiting", refused("mail_waiting")),
        Row("coordinator", "erased", refused("erased")),
    ],
}

CALLS: dict[str, Callable] = {
    "may_read_signing": lambda actor, o: policy.may_read_signing(actor, o["case"]),
    "may_host_signing": lambda actor, o: policy.may_host_signing(actor, o["case"]),
    # A row's browser typed the one-time code unless its world says otherwise.
    "may_sign": lambda actor, o: policy.may_sign(
        actor, o["slot"], o["version"], code_verified=o.get("code_verified", True)
    ),
    "may_decline": lambda actor, o: policy.may_decline(
        actor, o["slot"], o["version"], code_verified=o.get("code_verified", True)
    ),
    "may_send_signing_code": lambda actor, o: policy.may_send_signing_code(actor, o["participant"]),
    "may_download_document": lambda actor, o: policy.may_download_document(actor, o["document"]),
    "may_record_printed_copy": lambda actor, o: policy.may_record_printed_copy(
        actor, o["document"], o["participant"]
    ),
    "may_resend_copy": lambda actor, o: policy.may_resend_copy(
        actor, o["document"], o["participant"]
    ),
}


@pytest.fixture
def signing_world(request) -> World:
    return World(request, PEOPLE, SETUPS)


@pytest.mark.parametrize(("name", "row"), params(CORE_TABLES))
def test_each_actor_gets_the_answer_in_the_table(signing_world, name, row):
    objects = signing_world.setup(row.given)
    actor = signing_world.person(row.actor)
    assert_answer(CALLS[name](actor, objects), row)


def test_every_policy_of_the_core_is_called_by_the_table():
    assert set(CALLS) == set(CORE_TABLES)


@pytest.mark.parametrize(
    ("given", "code"),
    [("minor_no_guardian", "no_guardian"), ("minor_guardian_left", "no_guardian"), ("minor", None)],
)
def test_a_minors_guardian_place_without_a_guardian_who_takes_part_says_what_to_do(
    signing_world, given, code
):
    """R9: what the staff's pages show in the place of handing over the tablet: nobody can
    co-sign, and the advice that can still be followed after the conference."""
    refusal = policy.has_signer(signing_world.setup(given)["slot"])
    if code is None:
        assert refusal is None
        return
    assert refusal is not None and refusal.code == code and not refusal.access
    assert "talk with the family and your manager" in str(refusal.message)
