"""Every change in the circle of a case: one function each (HOUSE-STYLE.md "An action").

Each runs in one transaction, checks who may do it and the rule it serves (circle.guards),
writes a timeline event on the case (never free text) and an audit row, and queues mail after
commit. Coordinator pages, the participant portal and commands all call these functions.
"""

from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kring.accounts.models import Role
from kring.audit.log import record
from kring.cases.actions import lock_case, log_event, make_move
from kring.cases.lifecycle import MoveRefused, State
from kring.circle import guards, information
from kring.circle.models import (
    Acknowledgment,
    Consent,
    Conversation,
    Invitation,
    Mode,
    Nomination,
    Participant,
    RiskFlag,
    Side,
    Status,
)
from kring.notifications.mail import queue_mail
from kring.portal import links

# Fields the coordinator sets on a participant (the rest is state, changed by actions only).
PARTICIPANT_FIELDS = (
    "name",
    "side",
    "supports",
    "relation",
    "email",
    "phone",
    "address",
    "language",
    "interpreter_needed",
    "interpreter_language",
    "accessibility_needs",
    "is_minor",
    "guardian",
    "wishes",
)
OPEN_STATES = (State.PREPARING,)


class Refused(MoveRefused):
    """An action the rules do not allow now; `reason` is shown to the user."""


def _coordinator_of(case, by):
    """Only the case's own coordinator prepares the circle (R2)."""
    if by is None or by.role != Role.COORDINATOR or case.coordinator_id != by.pk:
        raise Refused(_("Only the coordinator of this case can do this."))


def _preparing(case):
    if case.state not in OPEN_STATES:
        raise Refused(_("This is possible only while the case is being prepared."))


def _check_circle(case, data) -> None:
    """The shape of the circle: supporters stand beside a harmed or responsible person (R5);
    a minor's guardian is a participant of the same case (R9)."""
    side, supports, guardian = data.get("side"), data.get("supports"), data.get("guardian")
    if supports is not None and (supports.case_id != case.pk or not supports.is_main):
        raise Refused(_("Choose a person harmed or responsible in this case."))
    if side == Side.SUPPORTER and supports is None:
        raise Refused(_("Say in whose circle this supporter stands (R5)."))
    if side in (Side.HARMED, Side.RESPONSIBLE) and supports is not None:
        raise Refused(_("A person harmed or responsible stands in no one else's circle."))
    if guardian is not None and guardian.case_id != case.pk:
        raise Refused(_("The parent or guardian must be a participant in this case."))


def start_preparation(case, *, by):
    """The coordinator starts preparing: assigned -> preparing."""
    with transaction.atomic():
        case = lock_case(case)
        _coordinator_of(case, by)
        make_move(case, "start_preparation", by=by)
    return case


def add_participant(case, *, by, **data) -> Participant:
    """Add a person to the circle (R5, R6)."""
    with transaction.atomic():
        case = lock_case(case)
        _coordinator_of(case, by)
        _preparing(case)
        _check_circle(case, data)
        participant = Participant.objects.create(
            case=case,
            added_by=by,
            status_changed_at=timezone.now(),
            **{k: v for k, v in data.items() if k in PARTICIPANT_FIELDS},
        )
        log_event(
            case,
            "circle.participant_added",
            by=by,
            participant=participant.pk,
            side=participant.side,
        )
    return participant


def update_participant(participant, *, by, **data) -> Participant:
    with transaction.atomic():
        case = lock_case(participant.case)
        _coordinator_of(case, by)
        participant = Participant.objects.select_for_update().get(pk=participant.pk)
        # A partial update keeps the rest of the person's place in the circle.
        current = {"side": participant.side, "supports": participant.supports}
        _check_circle(case, {**current, **data})
        if data.get("guardian") is not None and data["guardian"].pk == participant.pk:
            raise Refused(_("A person cannot be their own guardian."))
        changed = [k for k in PARTICIPANT_FIELDS if k in data]
        for key in changed:
            setattr(participant, key, data[key])
        participant.save(update_fields=changed)
        record("circle.participant_changed", actor=by, case=case, obj=participant)
    return participant


def remove_participant(participant, *, by) -> None:
    """Take a person out of the circle who was added by mistake (a wrong side, a double). Only
    while nothing has happened with them yet: once invited, spoken with or consenting, their
    history stays and a withdrawal is recorded instead (R9)."""
    with transaction.atomic():
        case = lock_case(participant.case)
        _coordinator_of(case, by)
        _preparing(case)
        participant = Participant.objects.select_for_update().get(pk=participant.pk)
        if participant.status != Status.TO_INVITE or participant.invitations.exists():
            raise Refused(
                _("%(name)s has been invited: record a withdrawal instead of removing them.")
                % {"name": participant.name}
            )
        if (
            participant.conversations.exists()
            or participant.acknowledgments.exists()
            or participant.consents.exists()
        ):
            raise Refused(
                _("%(name)s has a conversation, acknowledgment or consent on record, which stays.")
                % {"name": participant.name}
            )
        if participant.circle.exists() or participant.wards.exists():
            raise Refused(
                _(
                    "Others stand in the circle of %(name)s or have them as guardian: change those first."
                )
                % {"name": participant.name}
            )
        log_event(case, "circle.participant_removed", by=by, side=participant.side)
        participant.delete()


def record_conversation(participant, *, held_at, mode, notes="", by) -> Conversation:
    """A preparatory conversation (R7)."""
    with transaction.atomic():
        case = lock_case(participant.case)
        _coordinator_of(case, by)
        _preparing(case)
        if held_at > timezone.now():
            raise Refused(_("A conversation can be recorded only once it has taken place."))
        conversation = Conversation.objects.create(
            participant=participant, held_at=held_at, mode=mode, notes=notes, recorded_by=by
        )
        log_event(case, "circle.conversation_recorded", by=by, participant=participant.pk)
    return conversation


def record_acknowledgment(participant, *, acknowledges: bool, given_at, mode, by):
    """R3: whether a responsible person acknowledges their part; when, how, by whom recorded.
    One who does not acknowledge cannot take part (R5)."""
    with transaction.atomic():
        case = lock_case(participant.case)
        _coordinator_of(case, by)
        _preparing(case)
        if participant.side != Side.RESPONSIBLE:
            raise Refused(_("Only a person responsible acknowledges their part (R3)."))
        if given_at > timezone.now():
            raise Refused(_("The date of the acknowledgment cannot be in the future."))
        acknowledgment = Acknowledgment.objects.create(
            participant=participant,
            acknowledges=acknowledges,
            given_at=given_at,
            mode=mode,
            recorded_by=by,
        )
        kind = "circle.acknowledged" if acknowledges else "circle.not_acknowledged"
        log_event(case, kind, by=by, participant=participant.pk)
    return acknowledgment


@dataclass
class Sent:
    invitation: Invitation
    token: str  # the personal link's token, for a printed letter; exists nowhere else


def invite(participant, *, channel, by) -> Sent:
    """Invite a participant by e-mail or by letter, with a new personal link (which revokes the
    old one). The order of the method is enforced by circle.guards.may_be_invited."""
    with transaction.atomic():
        case = lock_case(participant.case)
        _coordinator_of(case, by)
        _preparing(case)
        participant = Participant.objects.select_related("case", "supports").get(pk=participant.pk)
        reason = guards.may_be_invited(participant)
        if reason:
            raise Refused(reason)
        if channel == Invitation.Channel.EMAIL and not participant.email:
            raise Refused(
                _("%(name)s has no e-mail address: print a letter instead.")
                % {"name": participant.name}
            )
        token = links.issue(participant, by=by)
        invitation = Invitation.objects.create(
            participant=participant, channel=channel, sent_at=timezone.now(), sent_by=by
        )
        if participant.status == Status.TO_INVITE:
            _set_status(participant, Status.INVITED)
        if channel == Invitation.Channel.EMAIL:
            queue_mail(
                "circle.invitation",
                to=participant.email,
                language=participant.language,
                context={
                    "participant_first_name": participant.name.split()[0],
                    "link_days": settings.KRING_PORTAL_LINK_DAYS,
                },
                secret_link=links.url(token),
            )
        log_event(case, "circle.invited", by=by, participant=participant.pk, channel=channel)
    return Sent(invitation, token)


def reissue_link(participant, *, by) -> str:
    """A new personal link; the old one stops working at once."""
    with transaction.atomic():
        case = lock_case(participant.case)
        _coordinator_of(case, by)
        token = links.issue(participant, by=by)
        log_event(case, "circle.link_reissued", by=by, participant=participant.pk)
    return token


def _set_status(participant, status):
    participant.status = status
    participant.status_changed_at = timezone.now()
    participant.save(update_fields=["status", "status_changed_at", "withdrawal_mode"])


def respond(participant, *, accepts: bool, mode=Mode.PORTAL, by=None) -> Participant:
    """The participant accepts or declines the invitation (R9: voluntary). `by` is the
    coordinator when the answer came by phone; None when it came through the portal."""
    with transaction.atomic():
        case = lock_case(participant.case)
        if by is not None:
            _coordinator_of(case, by)
        _preparing(case)
        participant = Participant.objects.select_for_update().get(pk=participant.pk)
        if participant.status not in (Status.INVITED, Status.ACCEPTED, Status.DECLINED):
            raise Refused(_("There is no open invitation to answer."))
        _set_status(participant, Status.ACCEPTED if accepts else Status.DECLINED)
        kind = "circle.accepted" if accepts else "circle.declined"
        log_event(case, kind, by=by, participant=participant.pk, mode=mode)
    return participant


def give_consent(
    participant, *, given_by=None, mode, legal_advice, interpreter, support_person, by=None
) -> Consent:
    """R9, R17: informed consent to the current information, with the answers to the offer of
    legal advice, an interpreter and a support person. For a minor, their parent or guardian
    consents as well (given_by=guardian)."""
    given_by = given_by or participant
    with transaction.atomic():
        case = lock_case(participant.case)
        if by is not None:
            _coordinator_of(case, by)
        _preparing(case)
        participant = Participant.objects.select_for_update().get(pk=participant.pk)
        if given_by.pk != participant.pk and given_by.pk != participant.guardian_id:
            raise Refused(_("Only the participant or their parent or guardian can consent."))
        if not participant.takes_part:
            raise Refused(_("%(name)s does not take part.") % {"name": participant.name})
        consent = Consent.objects.create(
            participant=participant,
            given_by=given_by,
            information_version=information.CURRENT_VERSION,
            given_at=timezone.now(),
            mode=mode,
            obtained_by=by,
            legal_advice=legal_advice,
            interpreter=interpreter,
            support_person=support_person,
        )
        log_event(
            case,
            "circle.consented",
            by=by,
            participant=participant.pk,
            given_by=given_by.pk,
            version=information.CURRENT_VERSION,
            mode=mode,
        )
    return consent


def nominate(nominated_by, *, name, relation="", via=Mode.PORTAL, by=None) -> Nomination:
    """R6: a participant names someone who should be there ("wie moet er nog meer bij zijn?")."""
    with transaction.atomic():
        case = lock_case(nominated_by.case)
        if by is not None:
            _coordinator_of(case, by)
        _preparing(case)
        # Read the status under the case lock: a withdrawal may have just come in.
        nominated_by = Participant.objects.get(pk=nominated_by.pk)
        if not nominated_by.takes_part:
            raise Refused(_("Only a participant who takes part can name others."))
        nomination = Nomination.objects.create(
            case=case, nominated_by=nominated_by, name=name, relation=relation, via=via
        )
        log_event(
            case, "circle.nominated", by=by, participant=nominated_by.pk, nomination=nomination.pk
        )
    return nomination


def decide_nomination(nomination, *, invite_nominee: bool, reason="", by, **participant_data):
    """R6: the coordinator adds a nominee to the circle (in the circle of the person who named
    them, unless said otherwise) or records why not."""
    with transaction.atomic():
        case = lock_case(nomination.case)
        _coordinator_of(case, by)
        _preparing(case)
        nomination = (
            Nomination.objects.select_for_update()
            .select_related("nominated_by")
            .get(pk=nomination.pk)
        )
        if nomination.decision != Nomination.Decision.PENDING:
            raise Refused(_("This nomination has been decided already."))
        if not invite_nominee and not reason.strip():
            raise Refused(_("Say why this person is not invited."))
        nomination.decided_at = timezone.now()
        nomination.decided_by = by
        if invite_nominee:
            data = {
                "name": nomination.name,
                "relation": nomination.relation,
                "side": Side.SUPPORTER,
                "supports": guards.main_person(nomination.nominated_by),
                **participant_data,
            }
            _check_circle(case, data)
            nomination.participant = Participant.objects.create(
                case=case,
                added_by=by,
                status_changed_at=timezone.now(),
                **{k: v for k, v in data.items() if k in PARTICIPANT_FIELDS},
            )
            nomination.decision = Nomination.Decision.INVITED
        else:
            nomination.decision = Nomination.Decision.NOT_INVITED
            nomination.decision_reason = reason.strip()
        nomination.save()
        log_event(case, f"circle.nomination_{nomination.decision}", by=by, nomination=nomination.pk)
    return nomination


def withdraw(participant, *, mode=Mode.PORTAL, by=None) -> Participant:
    """R9: a participant withdraws, without a reason, with immediate effect (through the
    portal, or told to the coordinator by phone)."""
    with transaction.atomic():
        case = lock_case(participant.case)
        if by is not None:
            _coordinator_of(case, by)
        if case.state not in (State.PREPARING, State.SCHEDULED):
            raise Refused(_("Withdrawing is possible until the plan is signed."))
        participant = Participant.objects.select_for_update().get(pk=participant.pk)
        if participant.status == Status.WITHDRAWN:
            return participant
        participant.withdrawal_mode = mode
        _set_status(participant, Status.WITHDRAWN)
        log_event(case, "circle.withdrawn", by=by, participant=participant.pk, mode=mode)
    return participant


def flag_risk(case, *, kind, level, assessment, by) -> RiskFlag:
    """R7: a risk in the safety check, with the coordinator's assessment."""
    with transaction.atomic():
        case = lock_case(case)
        _coordinator_of(case, by)
        _preparing(case)
        flag = RiskFlag.objects.create(
            case=case, kind=kind, level=level, assessment=assessment, recorded_by=by
        )
        log_event(case, "circle.risk_flagged", by=by, risk=kind, level=level)
    return flag


def resolve_risk(flag, *, resolution, by) -> RiskFlag:
    """R7: the coordinator records what makes a flagged risk safe now."""
    with transaction.atomic():
        case = lock_case(flag.case)
        _coordinator_of(case, by)
        flag = RiskFlag.objects.select_for_update().get(pk=flag.pk)
        if flag.resolved_at is not None:
            raise Refused(_("This risk is resolved already."))
        if not resolution.strip():
            raise Refused(_("Say what makes it safe now."))
        flag.resolved_at = timezone.now()
        flag.resolution = resolution.strip()
        flag.save(update_fields=["resolved_at", "resolution"])
        log_event(case, "circle.risk_resolved", by=by, risk=flag.kind)
    return flag
