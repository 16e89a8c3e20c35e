"""Who may do what in signing, now (ADR 0005): one function per action, None when allowed or a
Refusal (kring.core.policy). The actions (signing.actions, signing.codes, signing.deliveries)
enforce these; views, templates and the portal read them through `options(...)`.

R14: everyone present at the conference signs the final version of the plan, and gets a copy.
A signature is the act of a participant (Actor.in_person on the coordinator's tablet, or
Actor.in_portal through their personal page), never of a staff user: the coordinator only
hosts it. The rules of signing are the `rule` refusals below, each defined once:

- `SIGNING_STATES`: signing happens while the case is "conference_held" (until the last slot
  is signed) and "following_up" (a changed plan is signed again, a signer who declined signs
  after all).
- `to_sign_now`: the version is the one to sign now (queries.version_to_sign): an older one no
  longer counts once the plan changed, and nothing is signed while it is being changed.
- `not_signed` / `not_declined`: a slot is signed once; a declination may be followed by a
  signature, not by a second declination.
- `code_typed`: remotely (Actor.in_portal), a participant signs or declines only after typing
  the one-time code e-mailed to them (signing.codes); in person on the tablet no code is asked.
- `CODES_PER_HOUR`: at most so many one-time codes per participant in an hour.
- `has_signer`: a minor's guardian place needs a parent or guardian who still takes part.
"""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kring.audit.actors import Actor, Via, actor_of, staff_user
from kring.cases import lifecycle
from kring.cases.lifecycle import State
from kring.cases.policy import the_coordinator
from kring.conference.policy import coordinator_or_manager
from kring.core.policy import Refusal, deny, first, rule
from kring.notifications.models import OutgoingMail
from kring.signing import queries
from kring.signing.models import Role

if TYPE_CHECKING:
    from kring.audit.actors import By
    from kring.cases.models import Case
    from kring.circle.models import Participant
    from kring.conference.models import PlanVersion
    from kring.signing.models import SignedDocument
    from kring.signing.queries import Slot

# --- the rules, each once -----------------------------------------------------------------------

# The case has had its conference and its plan is signed (or signed again after a change).
SIGNING_STATES = (State.CONFERENCE_HELD, State.FOLLOWING_UP)

NOT_THE_SIGNER = _("Only the person whose turn it is can sign here.")
# At most so many one-time codes per participant in an hour (signing.codes counts their rows).
CODES_PER_HOUR = 5


def _case_of(version: PlanVersion) -> Case:
    return version.plan.case


def _signing_state(case: Case) -> Refusal | None:
    return lifecycle.state_refusal(case, SIGNING_STATES)


def _version_to_sign(case: Case) -> PlanVersion | None:
    """queries.version_to_sign, read once per case object: a page asks the policy of every slot
    of the version. The actions read their case afresh under its lock."""
    if not hasattr(case, "_version_to_sign"):
        case._version_to_sign = queries.version_to_sign(case)  # type: ignore[attr-defined]
    found: PlanVersion | None = case._version_to_sign  # type: ignore[attr-defined]
    return found


def something_to_sign(case: Case) -> Refusal | None:
    """There is a final version to sign (the plan is not being changed, and was made final)."""
    if _version_to_sign(case) is None:
        return rule(
            "no_version",
            _("There is no final plan to sign. The plan is signed once it is made final."),
        )
    return None


def to_sign_now(version: PlanVersion) -> Refusal | None:
    """R14: only the latest final version counts; after a change everyone signs the new one."""
    now = _version_to_sign(_case_of(version))
    if now is None:
        return rule(
            "not_final",
            _("The plan is being changed. You can sign once the new version is final."),
        )
    if now.pk != version.pk:
        return plan_changed()
    return None


CHANGED = "changed"


def plan_changed() -> Refusal:
    """The version asked about, or the one a page showed (signing.actions), is no longer the
    one to sign."""
    return rule(CHANGED, _("The plan was changed. Read the new version and sign that one."))


def _not_signed(slot: Slot) -> Refusal | None:
    if slot.signature is not None:
        return rule("signed", _("This has been signed already."))
    return None


def _not_declined(slot: Slot) -> Refusal | None:
    if slot.declination is not None:
        return rule("declined", _("Declining to sign has been recorded already."))
    return None


# --- who ----------------------------------------------------------------------------------------


def _participant(actor: By) -> Actor | None:
    """The participant acting (in person or in the portal), or None for anyone else."""
    if actor is None or staff_user(actor) is not None:
        return None
    found = actor_of(actor)
    return found if found.is_participant and found.participant is not None else None


def the_signer(actor: By, slot: Slot) -> Refusal | None:
    """The slot's signer: the participant themselves, or the minor's parent or guardian. A
    staff user never signs (the coordinator hosts; the act is the participant's)."""
    found = _participant(actor)
    if found is None or slot.signer is None or found.participant_id != slot.signer.pk:
        return deny("not_signer", NOT_THE_SIGNER)
    return None


def _signer_ids(document: SignedDocument) -> set[int]:
    """Who signed the document's version (their own slot, or as guardian), read once per
    document object: the copies page asks the policy of every signer. The actions read their
    document afresh under its lock."""
    if not hasattr(document, "_signer_ids"):
        from kring.signing.models import Signature  # noqa: PLC0415

        document._signer_ids = set(  # type: ignore[attr-defined]
            Signature.objects.filter(version_id=document.version_id).values_list(
                "signed_by_id", flat=True
            )
        )
    found: set[int] = document._signer_ids  # type: ignore[attr-defined]
    return found


def _signed_version(participant_id: int | None, document: SignedDocument) -> bool:
    """`participant_id` signed the document's version (their own slot, or as guardian)."""
    return participant_id is not None and participant_id in _signer_ids(document)


def _a_signer(document: SignedDocument, participant: Participant) -> Refusal | None:
    """The participant a copy is for signed the document's version."""
    if participant.case_id != document.case_id or not _signed_version(participant.pk, document):
        return deny("not_signer", _("This person did not sign this plan."))
    return None


def _made(document: SignedDocument) -> Refusal | None:
    from kring.signing.models import SignedDocument as Document  # noqa: PLC0415

    if document.is_erased:
        return rule("erased", _("The signed plan was erased at the end of its retention period."))
    if document.status == Document.Status.MADE:
        return None
    if document.status == Document.Status.FAILED:
        return rule("not_made", _("The signed plan could not be made yet. Kring tries again."))
    return rule("not_made", _("The signed plan is being made. Try again in a minute."))


def mail_state(mail: OutgoingMail | None) -> str:
    """The state of an e-mailed copy: its mail's ("pending", "sent", "failed"). A mail row
    purged from the outbox after it was sent leaves the delivery without its mail: sent."""
    return mail.status if mail is not None else OutgoingMail.Status.SENT


def _latest_mails(document: SignedDocument) -> dict[int, str]:
    """The state of each signer's latest e-mailed copy of the document, by participant id; read
    once per document object, as `_signer_ids`."""
    if not hasattr(document, "_latest_mails"):
        from kring.signing.models import Delivery  # noqa: PLC0415

        document._latest_mails = {  # type: ignore[attr-defined]
            delivery.participant_id: mail_state(delivery.mail)
            for delivery in Delivery.objects.filter(
                document_id=document.pk, channel=Delivery.Channel.EMAIL
            )
            .select_related("mail")
            .only("participant_id", "at", "mail__status")
            .order_by("at", "pk")
        }
    found: dict[int, str] = document._latest_mails  # type: ignore[attr-defined]
    return found


def _no_mail_waiting(document: SignedDocument, participant: Participant) -> Refusal | None:
    """The signer's latest e-mailed copy is not still waiting to be sent: a double click, or a
    second "send again" before the first went out, queues no second mail."""
    if _latest_mails(document).get(participant.pk) == OutgoingMail.Status.PENDING:
        return rule(
            "mail_waiting",
            _("The copy for %(name)s is still waiting to be sent. Look again in a few minutes.")
            % {"name": participant.name},
        )
    return None


def _has_email(participant: Participant) -> Refusal | None:
    if not participant.email:
        return rule(
            "no_email", _("There is no e-mail address for %(name)s.") % {"name": participant.name}
        )
    return None


# --- the signing page and signing (issue 11, points 1 and 2) ------------------------------------


def may_read_signing(actor: By, case: Case) -> Refusal | None:
    """The signing overview of a case (who signed, who declined and why, who has not yet, the
    copies): the case's coordinator; the team's manager reads it too. Never the office (as for
    the plan, conference.policy.may_read_plan), never a researcher."""
    return coordinator_or_manager(actor, case)


def may_host_signing(actor: By, case: Case) -> Refusal | None:
    """Hosting signing in person on the tablet: the case's coordinator only, while the case is
    "conference_held" or "following_up" and there is a version to sign
    (queries.version_to_sign)."""
    return first(
        lambda: the_coordinator(actor, case),
        lambda: _signing_state(case),
        lambda: something_to_sign(case),
    )


def may_sign(
    actor: By, slot: Slot, version: PlanVersion, *, code_verified: bool = False
) -> Refusal | None:
    """`actor` (a participant: Actor.in_person or Actor.in_portal) signs `slot` of `version`:
    they are the slot's signer; `version` is the version to sign now (not an older one, the plan
    not being changed); the slot is not signed yet; the case is "conference_held" or
    "following_up"; a guardian still takes part; and through the personal page, this browser
    typed the one-time code (`code_verified`, signing.codes.verified). A staff user never
    signs."""
    return first(
        lambda: the_signer(actor, slot),
        lambda: _signing_state(_case_of(version)),
        lambda: to_sign_now(version),
        lambda: _not_signed(slot),
        lambda: _signer_takes_part(slot),
        lambda: _code_typed(actor, code_verified),
    )


def may_decline(
    actor: By, slot: Slot, version: PlanVersion, *, code_verified: bool = False
) -> Refusal | None:
    """As may_sign, and the slot is not declined already (a declination may be followed by a
    signature, not by a second declination)."""
    return first(
        lambda: may_sign(actor, slot, version, code_verified=code_verified),
        lambda: _not_declined(slot),
    )


def _code_typed(actor: By, code_verified: bool) -> Refusal | None:
    """Remotely, the one-time code was typed in this browser; in person no code is asked (the
    coordinator sees who holds the tablet)."""
    found = _participant(actor)
    if found is not None and found.via == Via.PORTAL and not code_verified:
        return rule("no_code", _("First type the code we sent you by e-mail."))
    return None


def _signer_takes_part(slot: Slot) -> Refusal | None:
    """The signer of a guardian's place still takes part (the policy's own places are those of
    people present, who do)."""
    if slot.signer is None or slot.signer.takes_part:
        return None
    return rule(
        "no_guardian",
        _(
            "You have stopped taking part, so you cannot sign for %(name)s. Do you want to "
            "sign after all? Call your coordinator."
        )
        % {"name": slot.participant.name},
    )


def has_signer(slot: Slot) -> Refusal | None:
    """R9: a minor's guardian place is signed by a parent or guardian who takes part. Without
    one nobody can sign it, and after the conference the circle no longer changes (nobody is
    added, nobody comes back): what the staff's pages say in the place of the tablet's button
    is to talk it over."""
    if slot.role != Role.GUARDIAN or (slot.signer is not None and slot.signer.takes_part):
        return None
    return rule(
        "no_guardian",
        _(
            "%(name)s is a minor and has no parent or guardian who takes part, so nobody can "
            "co-sign for them. One cannot be added after the conference: talk with the family "
            "and your manager about what to do."
        )
        % {"name": slot.participant.name},
    )


def may_send_signing_code(actor: By, participant: Participant) -> Refusal | None:
    """A participant in the portal asks for a one-time code to sign remotely: they have an
    e-mail address, and something to sign (a slot of the version to sign that is theirs and
    not signed)."""

    def theirs() -> Refusal | None:
        found = _participant(actor)
        if found is None or found.via != Via.PORTAL or found.participant_id != participant.pk:
            return deny("not_yours", _("You can ask for a code only on your own page."))
        return None

    def unsigned_slot() -> Refusal | None:
        version = _version_to_sign(participant.case)
        mine = [] if version is None else queries.slots_for_signer(version, participant)
        open_slots = [slot for slot in mine if not slot.is_signed]
        if not open_slots:
            return rule("nothing_to_sign", _("There is nothing for you to sign now."))
        if all(_signer_takes_part(slot) is not None for slot in open_slots):
            # A guardian who stopped taking part hears why, and what to do.
            return _signer_takes_part(open_slots[0])
        return None

    return first(
        theirs,
        lambda: _signing_state(participant.case),
        lambda: _has_email(participant),
        unsigned_slot,
        lambda: _codes_left(participant),
    )


def _codes_left(participant: Participant) -> Refusal | None:
    """Fewer than CODES_PER_HOUR codes were sent to `participant` in the last hour."""
    from kring.signing.models import SigningCode  # noqa: PLC0415

    since = timezone.now() - timedelta(hours=1)
    sent = SigningCode.objects.filter(participant=participant, created_at__gt=since).count()
    if sent >= CODES_PER_HOUR:
        return rule(
            "too_many_codes",
            _(
                "You have asked for a code too often. Wait an hour and try again, or sign with "
                "your coordinator."
            ),
        )
    return None


# --- the copies (issue 11, point 4) -------------------------------------------------------------


def may_download_document(actor: By, document: SignedDocument) -> Refusal | None:
    """The sealed PDF: the case's coordinator and the team's manager; a participant who signed
    the document's version (their own slot, or as guardian); only once it is made."""

    def who() -> Refusal | None:
        found = _participant(actor)
        if found is None:
            return coordinator_or_manager(actor, document.case)
        if found.participant.case_id != document.case_id or not _signed_version(
            found.participant_id, document
        ):
            return deny("not_signer", _("Only those who signed this plan can download it."))
        return None

    return first(who, lambda: _made(document))


def may_record_printed_copy(
    actor: By, document: SignedDocument, participant: Participant
) -> Refusal | None:
    """The coordinator records that a signer's copy was printed (with its cover letter) and
    given or posted: the case's coordinator; the participant signed the document's version;
    the document is made (there is something to print). Printing again is allowed (a copy
    lost, or wanted on paper as well); the copies page shows when and by whom it was last
    printed."""
    return first(
        lambda: the_coordinator(actor, document.case),
        lambda: _a_signer(document, participant),
        lambda: _made(document),
    )


def may_resend_copy(
    actor: By, document: SignedDocument, participant: Participant
) -> Refusal | None:
    """The coordinator sends a signer's copy by e-mail (again): none was sent, the last one
    failed, or it was sent and lost. The case's coordinator; the participant signed the
    document's version; the document is made; the participant has an e-mail address; their
    last copy is not still waiting to be sent (deliveries.resend asks this again under the
    document's lock, so a double click queues one mail)."""
    return first(
        lambda: the_coordinator(actor, document.case),
        lambda: _a_signer(document, participant),
        lambda: _made(document),
        lambda: _has_email(participant),
        lambda: _no_mail_waiting(document, participant),
    )
