"""Signing and declining (issue 11, points 1 and 2; R14): in person on Carla's tablet and through
the personal page, once per slot whatever is retried, by the slot's signer only, of the version
to sign now; the last signature moves the case into follow-up and begins the signed PDF.

Carla's case after its conference (conftest `final_version`): Daan, Sanne, Joost and Ria were
present, the plan is final as version 1."""

import pytest

from kring.audit.actors import SYSTEM, Actor, Via
from kring.audit.models import AuditEvent
from kring.cases import lifecycle
from kring.cases.actions import make_move
from kring.cases.lifecycle import MoveRefused, State
from kring.cases.models import Case, CaseEvent
from kring.circle.models import Notice
from kring.conference import editing, versions
from kring.conference.models import Plan
from kring.core.policy import NotAllowed, Refused
from kring.notifications.models import OutgoingMail
from kring.signing import actions, queries
from kring.signing.models import Declination, Method, Role, Signature, SignedDocument

pytestmark = pytest.mark.django_db

CONSENT = "I have read this plan (version 1) and I agree with it."


def in_person(version, participant, carla, *, role=Role.OWN, name=None, **kwargs):
    """`participant` signs their slot on Carla's tablet."""
    return actions.sign(
        version,
        participant.pk,
        role,
        by=Actor.in_person(participant),
        typed_name=name if name is not None else participant.name,
        agreed=kwargs.pop("agreed", True),
        consent_text=CONSENT,
        host=carla,
        shown_hash=kwargs.pop("shown_hash", version.content_hash),
        **kwargs,
    )


def remotely(version, participant, *, slot_of=None, role=Role.OWN, **kwargs):
    """`participant` signs through their personal page (`slot_of`: the minor they co-sign for)."""
    whose = slot_of or participant
    return actions.sign(
        version,
        whose.pk,
        role,
        by=Actor.in_portal(participant, for_participant=slot_of),
        shown_hash=kwargs.pop("shown_hash", version.content_hash),
        code_verified=kwargs.pop("code_verified", True),
        typed_name=kwargs.pop("typed_name", participant.name),
        agreed=kwargs.pop("agreed", True),
        consent_text=CONSENT,
        address=kwargs.pop("address", "203.0.113.7"),
        user_agent=kwargs.pop("user_agent", "Mozilla/5.0 (iPhone)"),
        **kwargs,
    )


def events(case, kind):
    return list(CaseEvent.objects.filter(case=case, kind=kind).order_by("pk"))


def audit_rows(case, kind):
    return AuditEvent.objects.filter(case=case, action=kind).count()


def state(case):
    return Case.objects.get(pk=case.pk).state


def change_the_plan(version, carla):
    """Carla changes what happens when an agreement is not kept: the plan is a draft again."""
    plan = Plan.objects.get(pk=version.plan_id)
    editing.save_plan_fields(
        plan, revision=plan.revision, by=carla, if_not_kept="Carla belt iedereen binnen een week."
    )
    return Plan.objects.get(pk=plan.pk)


# --- in person, on the tablet -------------------------------------------------------------------


def test_signing_on_the_tablet_records_the_version_the_words_and_the_host(
    final_version, daan, carla
):
    signature, created = in_person(final_version, daan, carla, name="  Daan  ")

    assert created
    assert signature.version == final_version
    assert signature.content_hash == final_version.content_hash
    assert signature.consent_text == CONSENT
    assert signature.typed_name == "Daan"
    assert (signature.participant, signature.signed_by, signature.role) == (daan, daan, Role.OWN)
    assert (signature.method, signature.hosted_by) == (Method.IN_PERSON, carla)
    assert signature.remote_address is None
    assert signature.user_agent == ""
    assert signature.signed_at is not None and signature.signed_at.utcoffset().total_seconds() == 0
    # The act is Daan's, in person; Carla hosted it (the event's data, never the typed name).
    (event,) = events(final_version.plan.case, "signing.signed")
    assert (event.actor_kind, event.actor_participant_id, event.actor_id) == (
        "participant",
        daan.pk,
        None,
    )
    assert event.via == Via.IN_PERSON
    assert event.data == {"version": 1, "participant": daan.pk, "role": "own", "host": carla.pk}
    audit = AuditEvent.objects.get(case=final_version.plan.case, action="signing.signed")
    assert (audit.actor_kind, audit.actor_participant_id, audit.actor_id) == (
        "participant",
        daan.pk,
        None,
    )


def test_everyone_present_signs_and_the_last_signature_moves_the_case_into_follow_up(
    final_version, daan, sanne, joost, ria, carla
):
    case = final_version.plan.case
    for person in (daan, sanne, joost):
        in_person(final_version, person, carla)
        # Not yet: the follow_up move's guard refuses while a slot is open, on any path.
        assert state(case) == State.CONFERENCE_HELD
        assert lifecycle.refusal(Case.objects.get(pk=case.pk), "follow_up").code == (
            "follow_up.fully_signed"
        )
        assert not SignedDocument.objects.filter(version=final_version).exists()

    in_person(final_version, ria, carla)

    assert state(case) == State.FOLLOWING_UP
    assert queries.is_fully_signed(final_version)
    (moved,) = events(case, "case.plan_signed")
    assert (moved.actor_kind, moved.from_state, moved.to_state) == (
        "system",
        State.CONFERENCE_HELD,
        State.FOLLOWING_UP,
    )
    # Ria's own act is the line just before Kring's move.
    last_signed = events(case, "signing.signed")[-1]
    assert last_signed.actor_participant_id == ria.pk and last_signed.pk < moved.pk
    document = SignedDocument.objects.get(version=final_version)
    assert (document.case_id, document.status, len(document.code)) == (case.pk, "pending", 12)


def test_no_other_path_moves_the_case_into_follow_up_before_everyone_signed(
    final_version, daan, sanne, joost, ria, carla
):
    case = Case.objects.get(pk=final_version.plan.case_id)
    with pytest.raises(MoveRefused, match="Not everyone present has signed"):
        make_move(case, "follow_up", by=SYSTEM)
    assert state(case) == State.CONFERENCE_HELD
    # The same move goes through once every slot is signed (here by the last signature).
    for person in (daan, sanne, joost, ria):
        in_person(final_version, person, carla)
    assert state(case) == State.FOLLOWING_UP


def test_a_retried_signature_makes_no_second_row_nor_event(final_version, daan, sanne, carla):
    case = final_version.plan.case
    first, created = in_person(final_version, daan, carla)
    again, created_again = in_person(final_version, daan, carla, name="Daan de Boer, again")

    assert (created, created_again) == (True, False)
    assert again.pk == first.pk and again.typed_name == "Daan de Boer"
    assert Signature.objects.filter(version=final_version).count() == 1
    assert len(events(case, "signing.signed")) == 1
    assert audit_rows(case, "signing.signed") == 1
    # Remotely too.
    _, created = remotely(final_version, sanne)
    _, created_again = remotely(final_version, sanne)
    assert (created, created_again) == (True, False)
    assert Signature.objects.filter(version=final_version).count() == 2


# --- remotely, through the personal page --------------------------------------------------------


def test_signing_remotely_records_the_browser(final_version, sanne):
    long_agent = "Mozilla/5.0 " + "x" * 600
    signature, created = remotely(
        final_version, sanne, address="2001:db8::1", user_agent=long_agent
    )

    assert created
    assert (signature.method, signature.hosted_by) == (Method.REMOTE, None)
    assert signature.remote_address == "2001:db8::1"
    assert signature.user_agent == long_agent[:400]
    (event,) = events(final_version.plan.case, "signing.signed")
    assert (event.actor_participant_id, event.via) == (sanne.pk, Via.PORTAL)
    assert "host" not in event.data


def test_an_address_that_is_not_one_is_not_stored(final_version, sanne):
    signature, _ = remotely(final_version, sanne, address="unknown, 10.0.0.1")
    assert signature.remote_address is None


# --- who signs which slot -----------------------------------------------------------------------


def test_only_the_slots_signer_signs_it(final_version, daan, sanne, carla):
    # Daan on Sanne's place: refused; Sanne on her own place: signed. Nothing written by Daan.
    with pytest.raises(NotAllowed):
        actions.sign(
            final_version,
            sanne.pk,
            Role.OWN,
            by=Actor.in_portal(daan),
            code_verified=True,
            typed_name="Sanne Jansen",
            agreed=True,
            consent_text=CONSENT,
        )
    assert not Signature.objects.exists()
    _, created = remotely(final_version, sanne)
    assert created


def test_the_coordinator_never_signs_for_someone(final_version, daan, carla):
    with pytest.raises(NotAllowed):
        actions.sign(
            final_version,
            daan.pk,
            Role.OWN,
            by=carla,
            typed_name="Daan de Boer",
            agreed=True,
            consent_text=CONSENT,
        )
    assert not Signature.objects.exists()


def test_only_the_cases_coordinator_hosts_signing(final_version, daan, olaf, carla):
    with pytest.raises(NotAllowed):
        in_person(final_version, daan, olaf)
    assert not Signature.objects.exists()
    _, created = in_person(final_version, daan, carla)
    assert created


def test_there_is_no_slot_for_someone_not_present_or_a_guardian_of_an_adult(
    ellen, final_version, sanne, carla
):
    # Ellen was not at the meeting; Sanne is an adult here, so nobody co-signs for her.
    with pytest.raises(NotAllowed):
        remotely(final_version, ellen)
    with pytest.raises(NotAllowed):
        remotely(final_version, ellen, slot_of=sanne, role=Role.GUARDIAN)
    with pytest.raises(NotAllowed):
        remotely(final_version, sanne, role="witness")
    assert not Signature.objects.exists()


def test_a_minor_signs_and_the_guardian_co_signs(
    sanne_a_minor, daan, sanne, joost, ria, ellen, carla
):
    version = sanne_a_minor
    case = version.plan.case
    found = [(s.participant.pk, s.role, s.signer.pk) for s in queries.slots(version)]
    assert sorted(found) == sorted(
        [
            (daan.pk, "own", daan.pk),
            (sanne.pk, "own", sanne.pk),
            (sanne.pk, "guardian", ellen.pk),
            (joost.pk, "own", joost.pk),
            (ria.pk, "own", ria.pk),
        ]
    )
    # The guardian's place comes right after the minor's own.
    assert found[found.index((sanne.pk, "own", sanne.pk)) + 1] == (sanne.pk, "guardian", ellen.pk)
    # Sanne cannot fill her guardian's place, nor Ellen Sanne's own.
    with pytest.raises(NotAllowed):
        remotely(version, sanne, slot_of=sanne, role=Role.GUARDIAN)
    with pytest.raises(NotAllowed):
        actions.sign(
            version,
            sanne.pk,
            Role.OWN,
            by=Actor.in_portal(ellen),
            code_verified=True,
            typed_name="Ellen",
            agreed=True,
            consent_text=CONSENT,
        )
    for person in (daan, sanne, joost, ria):
        in_person(version, person, carla)
    assert state(case) == State.CONFERENCE_HELD  # Ellen has not co-signed yet

    # Ellen co-signs from home; the actor says she acts for Sanne, even when the page forgot to.
    signature, created = actions.sign(
        version,
        sanne.pk,
        Role.GUARDIAN,
        by=Actor.in_portal(ellen),
        code_verified=True,
        typed_name="Ellen Jansen",
        agreed=True,
        consent_text=CONSENT,
        address="198.51.100.4",
    )

    assert created
    assert (signature.participant, signature.signed_by, signature.role) == (
        sanne,
        ellen,
        "guardian",
    )
    event = events(case, "signing.signed")[-1]
    assert (event.actor_participant_id, event.for_participant_id, event.via) == (
        ellen.pk,
        sanne.pk,
        Via.PORTAL,
    )
    assert event.data["role"] == "guardian"
    assert state(case) == State.FOLLOWING_UP


# --- what is typed ------------------------------------------------------------------------------


def test_without_the_tick_nothing_is_signed_with_it_it_is(final_version, daan, carla):
    with pytest.raises(Refused, match="Tick that you agree"):
        in_person(final_version, daan, carla, agreed=False)
    assert not Signature.objects.exists()
    assert not events(final_version.plan.case, "signing.signed")
    _, created = in_person(final_version, daan, carla, agreed=True)
    assert created


@pytest.mark.parametrize(
    ("name", "code"),
    [
        ("", "no_name"),
        ("   \n ", "no_name"),
        ("D" * 201, "name_too_long"),
        ("Daan\x00", "bad_character"),
    ],
)
def test_a_name_that_cannot_be_used_is_refused(final_version, daan, carla, name, code):
    with pytest.raises(Refused) as refused:
        in_person(final_version, daan, carla, name=name)
    assert refused.value.code == code
    assert str(refused.value.reason)
    assert not Signature.objects.exists()
    # The longest name that fits is signed with.
    signature, _ = in_person(final_version, daan, carla, name="D" * 200)
    assert signature.typed_name == "D" * 200


def test_a_drawing_that_cannot_be_used_is_left_out_and_the_signature_stands(
    final_version, daan, sanne, joost, ria, carla
):
    """The drawing is optional: one that is not path data, or longer than DRAWING_MAX, is left
    out; the tick and the typed name sign all the same."""
    longest = "M0 0" + " L1 1" * 3999 + "1"  # the last point at (1, 11)
    too_long = longest + "2"
    assert (len(longest), len(too_long)) == (actions.DRAWING_MAX, 20_001)
    for person, drawing in (
        (daan, "<script>alert(1)</script>"),
        (sanne, 'M 10 10 L 20 20" onload="alert(1)'),
        (joost, too_long),
    ):
        signature, created = in_person(final_version, person, carla, drawing=drawing)
        assert created and signature.drawing == ""
    drawn, _ = in_person(final_version, ria, carla, drawing=longest)
    assert drawn.drawing == longest
    assert Signature.objects.count() == 4


def test_a_drawing_is_kept_as_path_data(final_version, daan, sanne, carla):
    drawn, _ = in_person(final_version, daan, carla, drawing="M10.5,20 C 30 40, 50 60, 70 -8 Z")
    without, _ = in_person(final_version, sanne, carla)
    assert drawn.drawing == "M10.5,20 C 30 40, 50 60, 70 -8 Z"
    assert without.drawing == ""


# --- a changed plan: the old signatures no longer count -----------------------------------------


def test_after_a_change_the_old_version_is_refused_and_everyone_signs_the_new_one(
    final_version, daan, sanne, joost, ria, carla
):
    case = final_version.plan.case
    in_person(final_version, daan, carla)
    in_person(final_version, sanne, carla)

    plan = change_the_plan(final_version, carla)
    # While the plan is being changed, nothing is signed: not on the tablet, not from home.
    with pytest.raises(Refused) as refused:
        in_person(final_version, joost, carla)
    assert refused.value.code == "no_version"
    with pytest.raises(Refused) as refused:
        remotely(final_version, joost)
    assert refused.value.code == "not_final"

    second = versions.finalise(plan, by=carla)
    assert second.number == 2
    with pytest.raises(Refused, match="The plan was changed. Read the new version") as refused:
        in_person(final_version, joost, carla)
    assert refused.value.code == "changed"
    # Daan's signature of version 1 stays as history, and counts for nothing on version 2.
    assert not any(slot.is_signed for slot in queries.slots(second))
    for person in (daan, sanne, joost):
        in_person(second, person, carla)
    assert state(case) == State.CONFERENCE_HELD
    in_person(second, ria, carla)

    assert state(case) == State.FOLLOWING_UP
    assert Signature.objects.filter(version=final_version).count() == 2
    assert Signature.objects.filter(version=second).count() == 4
    assert list(SignedDocument.objects.filter(case=case).values_list("version", flat=True)) == [
        second.pk
    ]


def test_the_version_shown_is_the_version_signed(final_version, daan, sanne, joost, carla):
    """A page showed version 1; the plan was changed and made final again before the form came
    back: the signature (or declination) is refused, never put on version 2 with a consent
    sentence its signer did not read."""
    shown = final_version.content_hash
    second = versions.finalise(change_the_plan(final_version, carla), by=carla)
    assert second.content_hash != shown
    for attempt in (
        lambda: in_person(second, daan, carla, shown_hash=shown),
        lambda: remotely(second, sanne, shown_hash=shown),
        lambda: actions.decline(
            second,
            joost.pk,
            Role.OWN,
            by=Actor.in_portal(joost),
            reason="Ik twijfel.",
            shown_hash=shown,
            code_verified=True,
        ),
    ):
        with pytest.raises(Refused) as refused:
            attempt()
        assert refused.value.code == "changed"
    assert not Signature.objects.exists() and not Declination.objects.exists()
    # The version shown now is signed.
    assert in_person(second, daan, carla, shown_hash=second.content_hash)[1]
    assert remotely(second, sanne, shown_hash=second.content_hash)[1]


def test_through_the_personal_page_only_after_the_code(final_version, daan, sanne, carla):
    """The one-time code is the policy's (may_sign), so the action refuses a participant in the
    portal whose browser did not type it; on the tablet no code is asked."""
    for attempt in (
        lambda: remotely(final_version, sanne, code_verified=False),
        lambda: actions.decline(
            final_version, sanne.pk, Role.OWN, by=Actor.in_portal(sanne), reason="Later."
        ),
    ):
        with pytest.raises(Refused) as refused:
            attempt()
        assert refused.value.code == "no_code"
    assert not Signature.objects.exists() and not Declination.objects.exists()
    assert remotely(final_version, sanne)[1]
    assert in_person(final_version, daan, carla)[1]


# --- declining ----------------------------------------------------------------------------------


def test_declining_keeps_the_reason_on_the_row_only(final_version, joost, carla):
    case = final_version.plan.case
    declination = actions.decline(
        final_version,
        joost.pk,
        Role.OWN,
        by=Actor.in_person(joost),
        reason="  Ik wil eerst met mijn broer praten.  ",
        host=carla,
    )

    assert declination.reason == "Ik wil eerst met mijn broer praten."
    assert (declination.declined_by, declination.method, declination.hosted_by) == (
        joost,
        Method.IN_PERSON,
        carla,
    )
    (event,) = events(case, "signing.declined")
    assert event.data == {"version": 1, "participant": joost.pk, "role": "own", "host": carla.pk}
    assert (event.actor_participant_id, event.via) == (joost.pk, Via.IN_PERSON)
    assert audit_rows(case, "signing.declined") == 1
    # A retry records nothing more.
    again = actions.decline(
        final_version, joost.pk, Role.OWN, by=Actor.in_person(joost), reason="Nee.", host=carla
    )
    assert again.pk == declination.pk
    assert Declination.objects.count() == 1 and len(events(case, "signing.declined")) == 1
    assert queries.slot_of(final_version, joost.pk, Role.OWN).is_declined


def test_declining_needs_a_reason_and_a_declined_slot_may_still_be_signed(
    final_version, daan, sanne, joost, ria, carla
):
    case = final_version.plan.case
    with pytest.raises(Refused, match="Say why"):
        actions.decline(
            final_version,
            ria.pk,
            Role.OWN,
            by=Actor.in_portal(ria),
            code_verified=True,
            reason="  ",
        )
    with pytest.raises(Refused) as refused:
        actions.decline(
            final_version,
            ria.pk,
            Role.OWN,
            by=Actor.in_portal(ria),
            code_verified=True,
            reason="x" * 1001,
        )
    assert refused.value.code == "reason_too_long"
    assert not Declination.objects.exists()

    declination = actions.decline(
        final_version,
        ria.pk,
        Role.OWN,
        by=Actor.in_portal(ria),
        code_verified=True,
        reason="Ik twijfel nog.",
    )
    assert (declination.method, declination.hosted_by) == (Method.REMOTE, None)
    for person in (daan, sanne, joost):
        in_person(final_version, person, carla)
    assert state(case) == State.CONFERENCE_HELD  # a declination is not a signature

    in_person(final_version, ria, carla)  # Ria signs after all

    assert state(case) == State.FOLLOWING_UP
    slot = queries.slot_of(final_version, ria.pk, Role.OWN)
    assert slot.is_signed and not slot.is_declined and slot.declination is not None
    # Once signed, declining is refused.
    with pytest.raises(Refused) as refused:
        actions.decline(
            final_version,
            ria.pk,
            Role.OWN,
            by=Actor.in_portal(ria),
            code_verified=True,
            reason="Toch niet.",
        )
    assert refused.value.code == "signed"


def test_declining_remotely_tells_the_coordinator_and_in_person_does_not(
    final_version, daan, joost, carla
):
    """ "Your coordinator reads this and will get in touch": a remote declination is a notice on
    the case page and a mail without content to the coordinator; on the tablet the coordinator
    was there. A retry makes no second notice."""
    case = final_version.plan.case
    actions.decline(
        final_version, daan.pk, Role.OWN, by=Actor.in_person(daan), reason="Nog niet.", host=carla
    )
    assert not Notice.objects.exists()
    assert not OutgoingMail.objects.filter(kind="circle.notice").exists()

    for _ in range(2):
        actions.decline(
            final_version,
            joost.pk,
            Role.OWN,
            by=Actor.in_portal(joost),
            reason="Geheime reden van Joost",
            code_verified=True,
        )
    notice = Notice.objects.get()
    assert (notice.case_id, notice.kind, notice.participant, notice.is_open) == (
        case.pk,
        actions.DECLINED_TO_SIGN,
        joost,
        True,
    )
    [mail] = OutgoingMail.objects.filter(kind="circle.notice")
    assert mail.to == carla.email
    for text in (mail.subject, mail.body_text, mail.body_html):
        for secret in ("Geheime reden", joost.name, case.reference):
            assert secret not in text


def test_someone_else_cannot_decline_for_a_signer(final_version, daan, sanne, carla):
    with pytest.raises(NotAllowed):
        actions.decline(
            final_version,
            sanne.pk,
            Role.OWN,
            by=Actor.in_portal(daan),
            code_verified=True,
            reason="Zij wil niet.",
        )
    with pytest.raises(NotAllowed):
        actions.decline(final_version, sanne.pk, Role.OWN, by=carla, reason="Zij wil niet.")
    assert not Declination.objects.exists()
    assert actions.decline(
        final_version,
        sanne.pk,
        Role.OWN,
        by=Actor.in_portal(sanne),
        code_verified=True,
        reason="Ik wil nadenken.",
    )


def test_once_everyone_signed_a_retry_returns_the_signature_and_nobody_else_signs_a_place(
    final_version, daan, sanne, joost, ria, carla
):
    for person in (daan, sanne, joost, ria):
        in_person(final_version, person, carla)
    # Daan's request answered late, retried from his page: his own signature, nothing new.
    signature, created = remotely(final_version, daan)
    assert (signature.method, created) == (Method.IN_PERSON, False)
    with pytest.raises(NotAllowed):
        actions.sign(
            final_version,
            daan.pk,
            Role.OWN,
            by=Actor.in_portal(sanne),
            code_verified=True,
            typed_name="Daan",
            agreed=True,
            consent_text=CONSENT,
        )
    assert Signature.objects.count() == 4
    assert SignedDocument.objects.count() == 1


# --- the case's timeline ------------------------------------------------------------------------


def test_the_timeline_names_the_signer_how_and_which_version_never_what_was_typed(
    client, sanne_a_minor, daan, sanne, joost, ria, ellen, carla
):
    from django.urls import reverse  # noqa: PLC0415

    from kring.testing.auth import force_verified_login  # noqa: PLC0415

    version = sanne_a_minor
    in_person(version, daan, carla, name="D. de B. handtekening")
    actions.sign(
        version,
        sanne.pk,
        Role.GUARDIAN,
        by=Actor.in_portal(ellen, for_participant=sanne),
        code_verified=True,
        typed_name="Ellen J. handtekening",
        agreed=True,
        consent_text=CONSENT,
    )
    actions.decline(
        version,
        joost.pk,
        Role.OWN,
        by=Actor.in_portal(joost),
        code_verified=True,
        reason="Geheime reden van Joost",
    )
    force_verified_login(client, carla)

    page = client.get(reverse("cases:detail", args=[version.plan.case_id])).content.decode()

    assert "Signed the plan" in page
    assert "Daan de Boer, in person" in page
    assert "Ellen Jansen (parent or guardian), for Sanne Jansen, via the personal page" in page
    assert "Declined to sign the plan" in page
    assert "Version 1" in page
    for typed in ("D. de B. handtekening", "Ellen J. handtekening"):
        assert typed not in page
    # The reason is for the coordinator on the signing page, never on the timeline or the log.
    assert "Geheime reden" not in str(list(AuditEvent.objects.values()))
    assert "Geheime reden" not in str(list(CaseEvent.objects.values()))
