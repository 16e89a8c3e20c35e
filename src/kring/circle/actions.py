"""Every change in the circle of a case: one function each (docs/architecture.md "Actions").

Each runs in one transaction, asks its policy function (circle/policy.py) and refuses when it
says no, writes a timeline event on the case (never free text) and an audit row naming who
acted, and queues mail after commit. Coordinator pages, the participant portal and commands
all call these functions. `by` is the coordinator (a staff user), or a participant acting in
the portal (audit.actors.Actor.in_portal).
"""

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kring.accounts import contact
from kring.accounts.models import User
from kring.audit.actors import By, actor_of
from kring.audit.log import record
from kring.cases.actions import lock_case, log_event, make_move
from kring.cases.models import Case
from kring.circle import guards, information, links, notices, policy
from kring.circle.from_request import SIDES, contact_fields
from kring.circle.models import (
    Acknowledgment,
    Consent,
    Conversation,
    FromRequest,
    Invitation,
    Mode,
    Nomination,
    Notice,
    Participant,
    Question,
    RiskFlag,
    Side,
    Status,
)
from kring.core.policy import Refused, enforce
from kring.notifications.mail import queue_mail
from kring.referrals.models import ReferralPerson

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
# A person's side is chosen when they are added; a mistake is mended by taking them out.
UPDATABLE_FIELDS = tuple(f for f in PARTICIPANT_FIELDS if f != "side")


def _check_circle(case: Case, data: Mapping[str, Any]) -> None:
    """The shape of the circle: supporters stand beside a harmed or responsible person (R5);
    a minor's guardian is a participant of the same case (R9)."""
    side, supports, guardian = data.get("side"), data.get("supports"), data.get("guardian")
    if supports is not None and (supports.case_id != case.pk or not supports.is_main):
        raise Refused(_("Choose a person harmed or responsible in this case."))
    if side == Side.SUPPORTER and supports is None:
        raise Refused(_("Say in whose circle this supporter stands."))
    if side in (Side.HARMED, Side.RESPONSIBLE) and supports is not None:
        raise Refused(_("A person harmed or responsible stands in no one else's circle."))
    if guardian is not None and guardian.case_id != case.pk:
        raise Refused(_("The parent or guardian must be a participant in this case."))


def _fields(data: Mapping[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in data.items() if k in PARTICIPANT_FIELDS}


def _check_guardian(participant: Participant) -> None:
    """R9: a minor's parent or guardian is an adult on the minor's own side."""
    guardian = participant.guardian
    if guardian is None:
        return
    reason = guards.guardian_refusal(participant, guardian)
    if reason:
        raise Refused(reason, code="guardian")


def start_preparation(case: Case, *, by: User) -> Case:
    """The coordinator starts preparing: assigned -> preparing."""
    with transaction.atomic():
        case = lock_case(case)
        enforce(policy.may_start_preparation(by, case))
        make_move(case, "start_preparation", by=by)
    return case


def _create_participant(case: Case, *, by: User, data: Mapping[str, Any]) -> Participant:
    return Participant.objects.create(
        case=case,
        added_by=by,
        status_changed_at=timezone.now(),
        **_fields(data),
    )


def add_participant(case: Case, *, by: User, **data: Any) -> Participant:
    """Add a person to the circle (R5, R6)."""
    with transaction.atomic():
        case = lock_case(case)
        enforce(policy.may_add_participant(by, case))
        _check_circle(case, data)
        _check_guardian(Participant(case=case, **_fields(data)))
        participant = _create_participant(case, by=by, data=data)
        log_event(
            case,
            "circle.participant_added",
            by=by,
            participant=participant.pk,
            side=participant.side,
        )
    return participant


def _locked(participant: Participant, *, to_delete: bool = False) -> Participant:
    """The participant's case locked, then the participant read afresh under that lock. FOR NO
    KEY UPDATE, as every lock that only serialises (docs/adr/0012-audit-chain.md, "Deadlocks"),
    except for a participant `to_delete`: deleting takes FOR UPDATE anyway, asked at once."""
    case = lock_case(participant.case)
    rows = Participant.objects.select_for_update(no_key=not to_delete)
    participant = rows.get(pk=participant.pk)
    participant.case = case
    return participant


def update_participant(participant: Participant, *, by: User, **data: Any) -> Participant:
    """Change a person's details; their side stays (a mistake is mended by taking them out)."""
    with transaction.atomic():
        participant = _locked(participant)
        case = participant.case
        enforce(policy.may_update_participant(by, participant))
        if "side" in data and data["side"] != participant.side:
            raise Refused(
                _("The side of %(name)s cannot be changed. Take them out and add them again.")
                % {"name": participant.name},
                code="side_fixed",
            )
        # A partial update keeps the rest of the person's place in the circle.
        current = {"supports": participant.supports}
        _check_circle(case, {**current, **data, "side": participant.side})
        # Only what differs: the audit row names the fields corrected (GDPR article 16; issue
        # 14, point 8), never their values.
        changed = [k for k in UPDATABLE_FIELDS if k in data and getattr(participant, k) != data[k]]
        for key in changed:
            setattr(participant, key, data[key])
        _check_guardian(participant)
        if participant.is_minor and participant.wards.exists():
            raise Refused(
                _("%(name)s is a minor and cannot be a parent or guardian.")
                % {"name": participant.name}
            )
        participant.save(update_fields=changed)
        record(
            "circle.participant_changed",
            actor=by,
            case=case,
            obj=participant,
            data={"fields": changed},
        )
    return participant


def remove_participant(participant: Participant, *, by: User) -> None:
    """Take a person out of the circle who was added by mistake (a wrong side, a double). Only
    while nothing has happened with them yet (policy.may_remove_participant)."""
    with transaction.atomic():
        participant = _locked(participant, to_delete=True)
        enforce(policy.may_remove_participant(by, participant))
        case, side = participant.case, participant.side
        participant.delete()  # first: the record is the last write (ADR 0012, "Deadlocks")
        log_event(case, "circle.participant_removed", by=by, side=side)


def record_conversation(
    participant: Participant, *, held_at: datetime, mode: str, notes: str = "", by: User
) -> Conversation:
    """A preparatory conversation (R7)."""
    with transaction.atomic():
        participant = _locked(participant)
        enforce(policy.may_record_conversation(by, participant))
        if held_at > timezone.now():
            raise Refused(_("A conversation can be recorded only once it has taken place."))
        conversation = Conversation.objects.create(
            participant=participant, held_at=held_at, mode=mode, notes=notes, recorded_by=by
        )
        log_event(
            participant.case, "circle.conversation_recorded", by=by, participant=participant.pk
        )
    return conversation


def record_acknowledgment(
    participant: Participant, *, acknowledges: bool, given_at: datetime, mode: str, by: User
) -> Acknowledgment:
    """R3: whether a responsible person acknowledges their part; when, how, by whom recorded.
    One who does not acknowledge cannot take part (R5)."""
    with transaction.atomic():
        participant = _locked(participant)
        enforce(policy.may_record_acknowledgment(by, participant))
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
        log_event(participant.case, kind, by=by, participant=participant.pk)
    return acknowledgment


@dataclass
class Sent:
    invitation: Invitation
    token: str  # the personal link's token, for a printed letter; exists nowhere else
    code: str  # its letter code (circle.links), likewise


def invite(participant: Participant, *, channel: str, by: User) -> Sent:
    """Invite a participant by e-mail or by letter, with a new personal link (which revokes the
    old one). The order of the method is enforced by policy.may_invite (R3, R4, R5, R9)."""
    with transaction.atomic():
        participant = _locked(participant)
        case = participant.case
        enforce(policy.may_invite(by, participant))
        if channel == Invitation.Channel.EMAIL and not participant.email:
            raise Refused(
                _("%(name)s has no e-mail address: print a letter instead.")
                % {"name": participant.name}
            )
        issued = links.issue(participant, by=by)
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
                    "contact": contact.for_case(participant.case),
                },
                secret_link=links.url(issued.token),
            )
        log_event(case, "circle.invited", by=by, participant=participant.pk, channel=channel)
    return Sent(invitation, issued.token, issued.code)


def reissue_link(participant: Participant, *, by: User) -> links.Issued:
    """A new personal link; the old one stops working at once. Only for someone invited who
    may still be invited (policy.may_reissue_link: R4 holds for links too). The old letter
    code stops working with it."""
    with transaction.atomic():
        participant = _locked(participant)
        enforce(policy.may_reissue_link(by, participant))
        issued = links.issue(participant, by=by)
        log_event(participant.case, "circle.link_reissued", by=by, participant=participant.pk)
    return issued


def _set_status(participant: Participant, status: str) -> None:
    participant.status = status
    participant.status_changed_at = timezone.now()
    participant.save(update_fields=["status", "status_changed_at", "withdrawal_mode"])


def _mode(by: By, told: str) -> str:
    """How it reached Kring: in the portal when the participant acted there; otherwise as the
    coordinator recorded it (told by phone, in person, on paper)."""
    return Mode.PORTAL if actor_of(by).is_participant else told


def respond(
    participant: Participant, *, accepts: bool, mode: str = Mode.PHONE, by: By
) -> Participant:
    """The participant accepts or declines the invitation (R9: voluntary), in the portal
    (`by` is the participant) or by phone to the coordinator (`by` is the coordinator)."""
    with transaction.atomic():
        participant = _locked(participant)
        enforce(policy.may_respond(by, participant))
        mode = _mode(by, mode)
        said_no_before = participant.status == Status.DECLINED
        _set_status(participant, Status.ACCEPTED if accepts else Status.DECLINED)
        kind = "circle.accepted" if accepts else "circle.declined"
        if not accepts:
            _tell_coordinator(by, participant, notices.DECLINED)
        elif said_no_before:
            # The coordinator heard of the "no" and may have moved on: they hear of the "yes".
            _tell_coordinator(by, participant, notices.ACCEPTED_AFTER_ALL)
        log_event(participant.case, kind, by=by, participant=participant.pk, mode=mode)
    return participant


def give_consent(
    participant: Participant,
    *,
    given_by: Participant | None = None,
    mode: str = Mode.PHONE,
    legal_advice: str,
    interpreter: str,
    support_person: str,
    by: By,
) -> Consent:
    """R9, R17: informed consent to the current information, with the answers to the offer of
    legal advice, an interpreter and a support person. For a minor, their parent or guardian
    consents as well. In the portal the one who consents is the one acting (`by`); recorded by
    the coordinator, `given_by` says who gave it (the participant, or the guardian)."""
    actor = actor_of(by)
    with transaction.atomic():
        participant = _locked(participant)
        enforce(policy.may_consent(by, participant))
        if actor.is_participant:
            given_by = actor.participant
        given_by = given_by or participant
        if given_by.pk != participant.pk and given_by.pk != participant.guardian_id:
            raise Refused(_("Only the participant or their parent or guardian can consent."))
        mode = _mode(by, mode)
        consent = Consent.objects.create(
            participant=participant,
            given_by=given_by,
            information_version=information.CURRENT_VERSION,
            given_at=timezone.now(),
            mode=mode,
            obtained_by=actor.user,
            legal_advice=legal_advice,
            interpreter=interpreter,
            support_person=support_person,
        )
        _tell_coordinator(by, participant, notices.CONSENTED)
        log_event(
            participant.case,
            "circle.consented",
            by=by,
            participant=participant.pk,
            given_by=given_by.pk,
            version=information.CURRENT_VERSION,
            mode=mode,
        )
    return consent


def nominate(
    nominated_by: Participant, *, name: str, relation: str = "", via: str = Mode.PHONE, by: By
) -> Nomination:
    """R6: a participant names someone who should be there ("wie moet er nog meer bij zijn?"),
    in the portal or told to the coordinator."""
    with transaction.atomic():
        # Read the status under the case lock: a withdrawal may have just come in.
        nominated_by = _locked(nominated_by)
        case = nominated_by.case
        enforce(policy.may_nominate(by, nominated_by))
        nomination = Nomination.objects.create(
            case=case,
            nominated_by=nominated_by,
            name=name,
            relation=relation,
            via=_mode(by, via),
        )
        _tell_coordinator(by, nominated_by, notices.NOMINATED)
        log_event(
            case, "circle.nominated", by=by, participant=nominated_by.pk, nomination=nomination.pk
        )
    return nomination


def decide_nomination(
    nomination: Nomination,
    *,
    invite_nominee: bool,
    reason: str = "",
    by: User,
    **participant_data: Any,
) -> Nomination:
    """R6: the coordinator adds a nominee to the circle (in the circle of the person who named
    them, unless said otherwise) or records why not."""
    with transaction.atomic():
        case = lock_case(nomination.case)
        nomination = (
            Nomination.objects.select_for_update(no_key=True)
            .select_related("nominated_by")
            .get(pk=nomination.pk)
        )
        nomination.case = case
        enforce(policy.may_decide_nomination(by, nomination))
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
            nomination.participant = _create_participant(case, by=by, data=data)
            nomination.decision = Nomination.Decision.INVITED
        else:
            nomination.decision = Nomination.Decision.NOT_INVITED
            nomination.decision_reason = reason.strip()
        nomination.save()
        log_event(case, f"circle.nomination_{nomination.decision}", by=by, nomination=nomination.pk)
    return nomination


def withdraw(participant: Participant, *, mode: str = Mode.PHONE, by: By) -> Participant:
    """R9: a participant withdraws, without a reason, with immediate effect (in the portal, or
    told to the coordinator by phone). A second withdrawal (a double click) changes nothing."""
    with transaction.atomic():
        participant = _locked(participant)
        already = participant.status == Status.WITHDRAWN
        if already and policy.coordinator_or_self(by, participant) is None:
            return participant
        enforce(policy.may_withdraw(by, participant))
        mode = _mode(by, mode)
        participant.withdrawal_mode = mode
        _set_status(participant, Status.WITHDRAWN)
        _tell_coordinator(by, participant, notices.WITHDRAWN)
        log_event(
            participant.case, "circle.withdrawn", by=by, participant=participant.pk, mode=mode
        )
    return participant


def _tell_coordinator(by: By, participant: Participant, kind: str) -> None:
    """What a participant did in the portal reaches the coordinator at once (R9): a notice in
    their task list and an e-mail without content. What the coordinator recorded, they know."""
    if actor_of(by).is_participant:
        notices.notify(participant.case, kind, participant=participant)


def flag_risk(case: Case, *, kind: str, level: str, assessment: str, by: User) -> RiskFlag:
    """R7: a risk in the safety check, with the coordinator's assessment."""
    with transaction.atomic():
        case = lock_case(case)
        enforce(policy.may_flag_risk(by, case))
        flag = RiskFlag.objects.create(
            case=case, kind=kind, level=level, assessment=assessment, recorded_by=by
        )
        log_event(case, "circle.risk_flagged", by=by, risk=kind, level=level)
    return flag


def resolve_risk(flag: RiskFlag, *, resolution: str, by: User) -> RiskFlag:
    """R7: the coordinator records what makes a flagged risk safe now."""
    with transaction.atomic():
        case = lock_case(flag.case)
        flag = RiskFlag.objects.select_for_update(no_key=True).get(pk=flag.pk)
        flag.case = case
        enforce(policy.may_resolve_risk(by, flag))
        if not resolution.strip():
            raise Refused(_("Say what makes it safe now."))
        flag.resolved_at = timezone.now()
        flag.resolution = resolution.strip()
        flag.save(update_fields=["resolved_at", "resolution"])
        log_event(case, "circle.risk_resolved", by=by, risk=flag.kind)
    return flag


def tell_new_coordinator(case: Case, coordinator: User) -> None:
    """R2: when a new coordinator takes over during the preparation, everyone invited who
    still takes part and has an e-mail address is told their name (nothing else)."""
    invited = case.participants.filter(
        status__in=(Status.INVITED, Status.ACCEPTED), email__gt=""
    ).only("email", "language", "name", "erased_at")
    for participant in invited:
        queue_mail(
            "circle.new_coordinator",
            to=participant.email,
            language=participant.language,
            context={
                "participant_first_name": participant.name.split()[0],
                "coordinator_name": coordinator.get_full_name() or coordinator.first_name,
                "contact": contact.for_coordinator(coordinator),
            },
        )


# --- the people named in the request (issue 8, point 8) ------------------------------------------


def _request_person(person: ReferralPerson) -> tuple[Case, ReferralPerson]:
    """The person's case locked, then the person read afresh (with whether they were decided)."""
    case = lock_case(Case.objects.get(referral_id=person.referral_id))
    person = ReferralPerson.objects.select_related("circle_choice").get(pk=person.pk)
    person.case = case  # type: ignore[attr-defined]
    return case, person


def add_from_request(
    person: ReferralPerson,
    *,
    by: User,
    side: str = "",
    supports: Participant | None = None,
) -> Participant:
    """A person named in the request joins the circle with one click: the name and side from
    the request (`side` only when the request says "not sure"; `supports` for a supporter), and
    the contact details only when they are plainly an e-mail address or a telephone number.
    Once only; never automatically."""
    with transaction.atomic():
        case, person = _request_person(person)
        enforce(policy.may_add_from_request(by, person))
        chosen = SIDES.get(person.side) or side
        if chosen not in Side.values:
            raise Refused(_("Choose the side of %(name)s.") % {"name": person.name})
        data: dict[str, Any] = {
            "name": person.name,
            "side": chosen,
            "supports": supports if chosen == Side.SUPPORTER else None,
            **contact_fields(person.contact),
        }
        _check_circle(case, data)
        participant = _create_participant(case, by=by, data=data)
        FromRequest.objects.create(
            person=person, participant=participant, decided_at=timezone.now(), decided_by=by
        )
        log_event(
            case,
            "circle.participant_added",
            by=by,
            participant=participant.pk,
            side=participant.side,
            from_request=True,
        )
    return participant


def set_aside_from_request(person: ReferralPerson, *, by: User) -> None:
    """A person named in the request is not added to the circle: no longer offered."""
    with transaction.atomic():
        case, person = _request_person(person)
        enforce(policy.may_add_from_request(by, person))
        FromRequest.objects.create(person=person, decided_at=timezone.now(), decided_by=by)
        log_event(case, "circle.request_person_set_aside", by=by)


def record_return(
    participant: Participant, *, returned_at: datetime, mode: str, by: User
) -> Participant:
    """R9: taking part is voluntary both ways. Someone who withdrew or declined comes back; the
    coordinator records it after speaking with them (when, and how it was said).

    They come back as "accepted": they have told the coordinator that they want to take part,
    so asking them to answer the invitation again would ask the same question twice. Their
    earlier consents stop counting (Consent.superseded_at): before the conference they consent
    anew, in the portal or to the coordinator. Open notices of their leaving are handled."""
    with transaction.atomic():
        participant = _locked(participant)
        enforce(policy.may_record_return(by, participant))
        if returned_at > timezone.now():
            raise Refused(_("A return can be recorded only once it has been said."))
        left = participant.status
        now = timezone.now()
        Consent.objects.filter(participant=participant).update(superseded_at=now)
        participant.withdrawal_mode = ""
        _set_status(participant, Status.ACCEPTED)
        notices.handle_open(participant.case, kinds=notices.LEAVING, participant=participant, by=by)
        log_event(
            participant.case,
            "circle.returned",
            by=by,
            participant=participant.pk,
            mode=mode,
            left=left,
            at=returned_at.isoformat(),
        )
    return participant


def ask_question(participant: Participant, *, text: str, by: By) -> Question:
    """A participant asks their coordinator something in the portal. The text is case data: it
    is stored, never logged, and the coordinator's notice and e-mail hold none of it."""
    text = text.strip()
    with transaction.atomic():
        participant = _locked(participant)
        enforce(policy.may_ask_question(by, participant))
        if not text:
            raise Refused(_("Type your question."))
        question = Question.objects.create(
            participant=participant, text=text, asked_at=timezone.now()
        )
        log_event(participant.case, "circle.question_asked", by=by, participant=participant.pk)
        notices.notify(
            participant.case, notices.QUESTION, participant=participant, question=question
        )
    return question


def answer_question(
    question: Question, *, answer: str = "", by_phone: bool = False, by: User
) -> Question:
    """The coordinator answers a question: in Kring (the participant reads it on their page and,
    with an e-mail address, is told that there is an answer, never what it is), or records that
    they answered by telephone. The question's notice is handled with it."""
    answer = answer.strip()
    with transaction.atomic():
        participant = _locked(question.participant)
        question = Question.objects.select_for_update(no_key=True).get(pk=question.pk)
        question.participant = participant
        enforce(policy.may_answer_question(by, question))
        if not by_phone and not answer:
            raise Refused(_("Type your answer, or choose that you answered by telephone."))
        question.answer = "" if by_phone else answer
        question.answered_how = Question.How.PHONE if by_phone else Question.How.IN_KRING
        question.answered_at = timezone.now()
        question.answered_by = by
        question.save(update_fields=["answer", "answered_how", "answered_at", "answered_by"])
        Notice.objects.filter(question=question, handled_at__isnull=True).update(
            handled_at=question.answered_at, handled_by=by
        )
        if not by_phone and participant.email:
            queue_mail(
                "circle.answered",
                to=participant.email,
                language=participant.language,
                context={
                    "participant_first_name": participant.name.split()[0],
                    "contact": contact.for_case(participant.case),
                },
            )
        log_event(
            participant.case,
            "circle.question_answered",
            by=by,
            participant=participant.pk,
            how=question.answered_how,
        )
    return question


def handle_notice(notice: Notice, *, by: User) -> Notice:
    """The coordinator marks a notice handled: they have seen it and done what it needed."""
    with transaction.atomic():
        case = lock_case(notice.case)
        notice = Notice.objects.select_for_update(no_key=True).get(pk=notice.pk)
        notice.case = case
        enforce(policy.may_handle_notice(by, notice))
        notice.handled_at = timezone.now()
        notice.handled_by = by
        notice.save(update_fields=["handled_at", "handled_by"])
        record("circle.notice_handled", actor=by, case=case, obj=notice, data={"kind": notice.kind})
    return notice


# --- the people named in the request (issue 8, point 8) ------------------------------------------
