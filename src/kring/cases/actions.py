"""Every change of a case's state: one function each (docs/architecture.md "Actions").

Each action runs in one transaction, locks the case row, asks its policy function (cases/policy)
and refuses when it says no, checks the move's guards through cases.lifecycle, saves only the
changed fields, writes the timeline event and the audit row (naming who acted), and queues
e-mail so that it is sent only after commit. Views, commands and tasks call these.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from kring.accounts.models import Role, Team, User
from kring.audit.actors import REQUESTER, By, actor_of
from kring.audit.log import record
from kring.cases import lifecycle, policy, registry
from kring.cases.models import Assignment, Case, CaseEvent
from kring.core.policy import Refusal, enforce, rule
from kring.notifications.mail import queue_mail

if TYPE_CHECKING:
    from kring.referrals.models import Referral

OPEN = (Assignment.Status.OFFERED, Assignment.Status.ACCEPTED)


def lock_case(case: Case) -> Case:
    return Case.objects.select_for_update(no_key=True).select_related("referral").get(pk=case.pk)


def log_event(
    case: Case,
    kind: str,
    *,
    by: By,
    from_state: str = "",
    to_state: str = "",
    about: Any = None,
    audit_data: Any = None,
    **data: Any,
) -> CaseEvent:
    """One timeline line and its audit row. `by`: a staff user or an audit.actors.Actor.
    The audit row is about the case, or `about` (a participant), with `audit_data` (codes and
    ids only)."""
    actor = actor_of(by)
    event = CaseEvent.objects.create(
        case=case,
        at=timezone.now(),
        kind=kind,
        actor_kind=actor.kind,
        actor=actor.user,
        actor_participant_id=actor.participant_id,
        for_participant_id=actor.for_participant_id,
        via=actor.via,
        from_state=from_state,
        to_state=to_state,
        data=data,
    )
    registry.case_event(event)
    record(kind, actor=actor, case=case, obj=about or case, data=audit_data)
    return event


def make_move(
    case: Case, move_name: str, *, by: By, fields: Iterable[str] = (), **context: Any
) -> CaseEvent:
    """Check the move, set the new state (plus `fields` already set on case), write the event.
    A move that keeps the state (lifecycle.Move with a mapping) only writes the event."""
    source = case.state
    target = lifecycle.check_move(case, move_name, **context)
    changed = target != source
    if changed:
        case.state = target
        case.state_changed_at = timezone.now()
    update = [*(["state", "state_changed_at"] if changed else []), *fields]
    if update:
        case.save(update_fields=update)
    data = {k: v for k, v in context.items() if isinstance(v, str | int)}
    return log_event(
        case,
        lifecycle.MOVES[move_name].event,
        by=by,
        from_state=source if changed else "",
        to_state=target if changed else "",
        **data,
    )


def _staff_mail(kind: str, user: User, *, case: Case, link: str = "", **context: Any) -> None:
    """A notice to a staff member: the case reference and a link, never case content."""
    if user.email:
        link = link or reverse("cases:detail", args=[case.pk])
        queue_mail(
            kind,
            to=user.email,
            language=user.language,
            context={"user": user, "case": case, "link": link, **context},
        )


def open_case(referral: Referral, *, team: Team | None = None, by: By = REQUESTER) -> Case:
    """R1: a request received becomes a case in "requested": in the inbox of `team`, the team
    that works where the request comes from, or without a team in the central inbox. Called
    by the request form's action inside its transaction."""
    case = Case.objects.create(
        referral=referral,
        team=team,
        state=lifecycle.State.REQUESTED,
        state_changed_at=timezone.now(),
    )
    log_event(case, "case.requested", by=by, to_state=lifecycle.State.REQUESTED)
    return case


def take_on(case: Case, *, by: User) -> Case:
    """The office takes a request on: the case belongs to the office worker's team (R1)."""
    with transaction.atomic():
        case = lock_case(case)
        enforce(policy.may_take_on(by, case))
        case.team_id = by.team_id
        make_move(case, "take_on", by=by, fields=["team"])
    return case


DECLINE_NOTE_MAX_LENGTH = Case._meta.get_field("decline_note").max_length or 1000
# A piece of the request's own account this long, found in a decline note, is a quote of it.
QUOTE_LENGTH = 30


def _words(text: str) -> str:
    return " ".join(text.split()).casefold()


def quotes_account(note: str, description: str) -> bool:
    """Whether `note` repeats the request's free-text account: the whole of a short one, or
    a run of QUOTE_LENGTH characters of a longer one (issue 8, point 7)."""
    note, account = _words(note), _words(description)
    if not note or not account:
        return False
    if len(account) <= QUOTE_LENGTH:
        return account in note
    return any(
        account[i : i + QUOTE_LENGTH] in note for i in range(len(account) - QUOTE_LENGTH + 1)
    )


def decline_note_refusal(case: Case, note: str) -> Refusal | None:
    """The note to the requester goes into an e-mail as written: short, and never the
    request's own account of what happened."""
    if len(note) > DECLINE_NOTE_MAX_LENGTH:
        return rule(
            "note_too_long",
            _("Keep the note to at most %(limit)d characters.")
            % {"limit": DECLINE_NOTE_MAX_LENGTH},
        )
    if quotes_account(note, case.referral.description):
        return rule(
            "note_quotes_account",
            _(
                "The note repeats what the request says about what happened. Leave that out: "
                "write only what help fits better."
            ),
        )
    return None


def decline(case: Case, *, reason: str, by: User, note: str = "") -> Case:
    """The office declines a request; the requester gets a plain-words e-mail, with the
    optional `note` on what help fits better as written (the one e-mail that carries text a
    staff member wrote, to the requester who asked). The note is stored with the decline and
    never logged: the timeline and the audit row say only that there is one."""
    note = note.strip()
    with transaction.atomic():
        case = lock_case(case)
        enforce(policy.may_decline(by, case))
        enforce(decline_note_refusal(case, note))
        if case.team_id is None:
            case.team_id = by.team_id
        case.decline_reason = reason
        case.decline_note = note
        lifecycle.check_move(case, "decline", reason=reason)  # refused before any write
        # An offer not yet answered ends with the case.
        case.assignments.filter(status__in=OPEN).update(
            status=Assignment.Status.WITHDRAWN, ended_at=timezone.now()
        )
        referral = case.referral
        queue_mail(
            "referral.declined",
            to=referral.requester_email,
            language=referral.language,
            context={
                "referral": referral,
                "reason": case.get_decline_reason_display,
                "note": note,
            },
        )
        # Last: the record holds the audit chain's lock to the commit (ADR 0012, "Deadlocks").
        make_move(
            case,
            "decline",
            by=by,
            fields=["decline_reason", "decline_note", "team"],
            reason=reason,
            with_note=int(bool(note)),
        )
    return case


def offer_to_coordinator(case: Case, *, coordinator: User, by: User) -> Assignment:
    """Office or manager offers a case to a coordinator of the team, who must accept (R2), at
    any stage before the conference. Offering a case that has a coordinator reassigns it: the
    previous coordinator loses access at once; the circle, links and consents stay."""
    with transaction.atomic():
        case = lock_case(case)
        enforce(policy.may_assign(by, case, coordinator))
        now = timezone.now()
        current = case.assignments.filter(status__in=OPEN).first()
        previous = case.coordinator
        if previous is not None:
            case.coordinator = None
            lifecycle.check_move(case, "reassign", coordinator=previous.pk)  # before any write
            _end(current, Assignment.Status.ENDED, now)
            _staff_mail("case.reassigned_away", previous, case=case, link=reverse("cases:my_cases"))
        elif current is not None:
            # An earlier offer not yet answered is withdrawn.
            _end(current, Assignment.Status.WITHDRAWN, now)
        assignment = Assignment.objects.create(
            case=case, coordinator=coordinator, offered_by=by, offered_at=now
        )
        _staff_mail(
            "case.offered", coordinator, case=case, link=reverse("cases:offer", args=[case.pk])
        )
        # The records last: they hold the audit chain's lock to the commit (ADR 0012,
        # "Deadlocks").
        if previous is not None:
            make_move(case, "reassign", by=by, fields=["coordinator"], coordinator=previous.pk)
        elif current is not None:
            log_event(case, "case.offer_withdrawn", by=by, coordinator=current.coordinator_id)
        log_event(case, "case.offered", by=by, coordinator=coordinator.pk)
    return assignment


def _end(assignment: Assignment | None, status: str, now: datetime) -> None:
    if assignment is not None:
        assignment.status = status
        assignment.ended_at = now
        assignment.save(update_fields=["status", "ended_at"])


def accept_assignment(assignment: Assignment, *, declares_independence: bool, by: User) -> Case:
    """R2: the coordinator accepts the offer and declares no tie with anyone in the case. A case
    taken over during preparation keeps its state; the stages that hold people tell them the
    name of their new coordinator (registry.on_coordinator_accepted)."""
    with transaction.atomic():
        case = lock_case(assignment.case)
        assignment = Assignment.objects.select_for_update(no_key=True).get(pk=assignment.pk)
        assignment.case = case
        enforce(policy.may_answer_offer(by, assignment))
        now = timezone.now()
        if declares_independence:
            assignment.declared_independent_at = now
        case.coordinator = by
        # The move's guards before any write (they read the offer as it was).
        lifecycle.check_move(case, "accept_assignment", assignment=assignment)
        assignment.status = Assignment.Status.ACCEPTED
        assignment.responded_at = now
        assignment.save(update_fields=["status", "responded_at", "declared_independent_at"])
        # The bookings (which may wait on another transaction's) and the mails before the
        # record, which holds the audit chain's lock to the commit (ADR 0012, "Deadlocks").
        registry.coordinator_accepted(case, by)
        _staff_mail("case.accepted", assignment.offered_by, case=case, coordinator=by)
        make_move(case, "accept_assignment", by=by, fields=["coordinator"], assignment=assignment)
    return case


def hand_back(assignment: Assignment, *, reason: str, by: User) -> Case:
    """R2: a coordinator with a tie (or no time) hands an offered case back to the office."""
    with transaction.atomic():
        case = lock_case(assignment.case)
        assignment = Assignment.objects.select_for_update(no_key=True).get(pk=assignment.pk)
        assignment.case = case
        enforce(policy.may_answer_offer(by, assignment))
        assignment.status = Assignment.Status.HANDED_BACK
        assignment.hand_back_reason = reason
        assignment.responded_at = assignment.ended_at = timezone.now()
        assignment.save(update_fields=["status", "hand_back_reason", "responded_at", "ended_at"])
        log_event(case, "case.handed_back", by=by, reason=reason)
        _staff_mail("case.handed_back", assignment.offered_by, case=case, coordinator=by)
    return case


def hand_back_case(case: Case, *, reason: str, by: User) -> Case:
    """R2: the coordinator hands back a case they accepted (a tie found later, illness), at any
    stage before the conference. They lose access at once; the circle, links and consents stay
    for the next coordinator. The office and the team's managers are told."""
    with transaction.atomic():
        case = lock_case(case)
        enforce(policy.may_hand_back(by, case))
        now = timezone.now()
        current = case.assignments.filter(status=Assignment.Status.ACCEPTED).first()
        case.coordinator = None
        make_move(case, "hand_back", by=by, fields=["coordinator"], reason=reason)
        if current is not None:
            current.status = Assignment.Status.HANDED_BACK
            current.hand_back_reason = reason
            current.ended_at = now
            current.save(update_fields=["status", "hand_back_reason", "ended_at"])
        for user in _who_assigns(case, current):
            _staff_mail("case.handed_back", user, case=case, coordinator=by)
    return case


def _who_assigns(case: Case, assignment: Assignment | None) -> list[User]:
    """Who finds the next coordinator: the one who offered the case, and the team's managers."""
    people: dict[int, User] = {}
    if case.team_id is not None:
        managers = User.objects.filter(team_id=case.team_id, role=Role.MANAGER, is_active=True)
        people.update((u.pk, u) for u in managers)
    if assignment is not None and assignment.offered_by.is_active:
        people.setdefault(assignment.offered_by_id, assignment.offered_by)
    return list(people.values())


def stop(case: Case, *, reason: str, by: User) -> Case:
    """End a case before the conference, with a reason (docs/rules.md "Case lifecycle")."""
    with transaction.atomic():
        case = lock_case(case)
        enforce(policy.may_stop(by, case))
        case.stop_reason = reason
        make_move(case, "stop", by=by, fields=["stop_reason"], reason=reason)
        case.assignments.filter(status__in=OPEN).update(
            status=Assignment.Status.ENDED, ended_at=timezone.now()
        )
        registry.case_stopped(case, by)
    return case
