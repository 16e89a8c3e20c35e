"""Every change of a case's state: one function each (HOUSE-STYLE.md "An action").

Each action runs in one transaction, locks the case row, checks the move's guards through
cases.lifecycle, saves only the changed fields, writes the timeline event and the audit row,
and queues e-mail so that it is sent only after commit. Views, commands and tasks call these.
"""

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from kring.accounts.models import Role, User
from kring.audit.log import record
from kring.cases import lifecycle
from kring.cases.lifecycle import MoveRefused, State
from kring.cases.models import Assignment, Case, CaseEvent
from kring.notifications.mail import queue_mail


class NotAllowed(MoveRefused):
    """The actor's role does not allow this action (the view should have refused first)."""


def lock_case(case: Case) -> Case:
    return Case.objects.select_for_update().select_related("referral").get(pk=case.pk)


def log_event(case: Case, kind: str, *, by, from_state="", to_state="", **data) -> CaseEvent:
    now = timezone.now()
    event = CaseEvent.objects.create(
        case=case,
        at=now,
        kind=kind,
        actor=by,
        from_state=from_state,
        to_state=to_state,
        data=data,
    )
    record(kind, actor=by, case=case, obj=case)
    return event


def make_move(case: Case, move_name: str, *, by, fields=(), **context) -> CaseEvent:
    """Check the move, set the new state (plus `fields` already set on case), write the event."""
    source = case.state
    target = lifecycle.check_move(case, move_name, **context)
    case.state = target
    case.state_changed_at = timezone.now()
    case.save(update_fields=["state", "state_changed_at", *fields])
    data = {k: v for k, v in context.items() if isinstance(v, str | int)}
    return log_event(
        case, lifecycle.MOVES[move_name].event, by=by, from_state=source, to_state=target, **data
    )


def _require_role(user, *roles):
    if user is None or user.role not in roles:
        raise NotAllowed(_("You are not allowed to do this."))


def _staff_mail(kind: str, user: User, *, case: Case, link: str = "", **context) -> None:
    """A notice to a staff member: the case reference and a link, never case content."""
    if user.email:
        link = link or reverse("cases:detail", args=[case.pk])
        queue_mail(
            kind,
            to=user.email,
            language=user.language,
            context={"user": user, "case": case, "link": link, **context},
        )


def open_case(referral, *, by=None) -> Case:
    """R1: a request received becomes a case in "requested" (the office inbox). Called by
    the request form's action inside its transaction."""
    case = Case.objects.create(
        referral=referral, state=State.REQUESTED, state_changed_at=timezone.now()
    )
    log_event(case, "case.requested", by=by, to_state=State.REQUESTED)
    return case


def take_on(case: Case, *, by: User) -> Case:
    """The office takes a request on: the case belongs to the office worker's team (R1)."""
    _require_role(by, Role.OFFICE)
    with transaction.atomic():
        case = lock_case(case)
        case.team_id = by.team_id
        make_move(case, "take_on", by=by, fields=["team"])
    return case


def decline(case: Case, *, reason: str, by: User) -> Case:
    """The office declines a request; the requester gets a plain-words e-mail."""
    _require_role(by, Role.OFFICE, Role.MANAGER)
    with transaction.atomic():
        case = lock_case(case)
        if case.team_id is None:
            case.team_id = by.team_id
        case.decline_reason = reason
        make_move(case, "decline", by=by, fields=["decline_reason", "team"], reason=reason)
        referral = case.referral
        queue_mail(
            "referral.declined",
            to=referral.requester_email,
            language=referral.language,
            context={"referral": referral, "reason": case.get_decline_reason_display},
        )
    return case


def offer_to_coordinator(case: Case, *, coordinator: User, by: User) -> Assignment:
    """Office or manager offers a taken-on case to a coordinator, who must accept (R2).
    Offering an assigned case reassigns it: the previous coordinator loses access at once."""
    _require_role(by, Role.OFFICE, Role.MANAGER)
    if coordinator.role != Role.COORDINATOR or not coordinator.is_active:
        raise MoveRefused(_("Choose an active coordinator."))
    with transaction.atomic():
        case = lock_case(case)
        if case.team_id != by.team_id:
            raise NotAllowed(_("You are not allowed to do this."))
        if coordinator.team_id != case.team_id:
            raise MoveRefused(_("Choose a coordinator of the case's team."))
        now = timezone.now()
        current = case.assignments.filter(
            status__in=[Assignment.Status.OFFERED, Assignment.Status.ACCEPTED]
        ).first()
        if current is not None and current.coordinator_id == coordinator.pk:
            raise MoveRefused(_("This case is already with this coordinator."))
        if case.state == State.ASSIGNED:
            # Reassignment (R2): end the current assignment, back to "referred" until accepted.
            previous = case.coordinator
            case.coordinator = None
            make_move(case, "reassign", by=by, fields=["coordinator"])
            if current is not None:
                current.status = Assignment.Status.ENDED
                current.ended_at = now
                current.save(update_fields=["status", "ended_at"])
            if previous is not None:
                _staff_mail(
                    "case.reassigned_away", previous, case=case, link=reverse("cases:my_cases")
                )
        elif case.state != State.REFERRED:
            raise MoveRefused(_("A case can be offered to a coordinator only once it is taken on."))
        elif current is not None:
            # An earlier offer not yet answered is withdrawn.
            current.status = Assignment.Status.WITHDRAWN
            current.ended_at = now
            current.save(update_fields=["status", "ended_at"])
            log_event(case, "case.offer_withdrawn", by=by, coordinator=current.coordinator_id)
        assignment = Assignment.objects.create(
            case=case, coordinator=coordinator, offered_by=by, offered_at=now
        )
        log_event(case, "case.offered", by=by, coordinator=coordinator.pk)
        _staff_mail(
            "case.offered", coordinator, case=case, link=reverse("cases:offer", args=[case.pk])
        )
    return assignment


def accept_assignment(assignment: Assignment, *, declares_independence: bool, by: User) -> Case:
    """R2: the coordinator accepts the offer and declares no tie with anyone in the case."""
    with transaction.atomic():
        case = lock_case(assignment.case)
        assignment = Assignment.objects.select_for_update().get(pk=assignment.pk)
        if by.pk != assignment.coordinator_id:
            raise NotAllowed(_("You are not allowed to do this."))
        now = timezone.now()
        if declares_independence:
            assignment.declared_independent_at = now
        case.coordinator = by
        make_move(case, "accept_assignment", by=by, fields=["coordinator"], assignment=assignment)
        assignment.status = Assignment.Status.ACCEPTED
        assignment.responded_at = now
        assignment.save(update_fields=["status", "responded_at", "declared_independent_at"])
        _staff_mail("case.accepted", assignment.offered_by, case=case, coordinator=by)
    return case


def hand_back(assignment: Assignment, *, reason: str, by: User) -> Case:
    """R2: a coordinator with a tie (or no time) hands the offered case back to the office."""
    with transaction.atomic():
        case = lock_case(assignment.case)
        assignment = Assignment.objects.select_for_update().get(pk=assignment.pk)
        if by.pk != assignment.coordinator_id:
            raise NotAllowed(_("You are not allowed to do this."))
        if assignment.status != Assignment.Status.OFFERED:
            raise MoveRefused(_("This offer is no longer open."))
        assignment.status = Assignment.Status.HANDED_BACK
        assignment.hand_back_reason = reason
        assignment.responded_at = assignment.ended_at = timezone.now()
        assignment.save(update_fields=["status", "hand_back_reason", "responded_at", "ended_at"])
        log_event(case, "case.handed_back", by=by, reason=reason)
        _staff_mail("case.handed_back", assignment.offered_by, case=case, coordinator=by)
    return case


def stop(case: Case, *, reason: str, by: User) -> Case:
    """End a case before the conference, with a reason (DESIGN.md "Case lifecycle")."""
    _require_role(by, Role.COORDINATOR, Role.MANAGER)
    with transaction.atomic():
        case = lock_case(case)
        if by.role == Role.COORDINATOR and case.coordinator_id != by.pk:
            raise NotAllowed(_("You are not allowed to do this."))
        if by.role == Role.MANAGER and case.team_id != by.team_id:
            raise NotAllowed(_("You are not allowed to do this."))
        case.stop_reason = reason
        make_move(case, "stop", by=by, fields=["stop_reason"], reason=reason)
        case.assignments.filter(
            status__in=[Assignment.Status.OFFERED, Assignment.Status.ACCEPTED]
        ).update(status=Assignment.Status.ENDED, ended_at=timezone.now())
    return case
