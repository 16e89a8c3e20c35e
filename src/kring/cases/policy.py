"""Who may do what to a case, now (ADR 0005). One function per action of cases/actions.py:
None when allowed, or a Refusal (core.policy). The actions enforce these; views and templates
read them, so that a button shows only when its action is allowed.

Which cases a user may read at all is cases/access.py (`visible_cases`, `case_for`).
"""

from django.utils.translation import gettext_lazy as _

from kring.accounts.models import Role, Team, User
from kring.audit.actors import By, staff_user
from kring.cases import lifecycle
from kring.cases.lifecycle import BEFORE_CONFERENCE, MOVES, State, state_refusal
from kring.cases.models import Assignment, Case
from kring.core.policy import Refusal, deny, first, rule

NOT_ALLOWED = _("You are not allowed to do this.")


def staff_role(actor: By, *roles: str) -> Refusal | None:
    """An active staff user with one of `roles`; everyone else is refused."""
    user = staff_user(actor)
    if user is None or not user.is_active or user.role not in roles:
        return deny("role", NOT_ALLOWED)
    return None


def of_the_team(actor: By, case: Case) -> Refusal | None:
    """Office and managers act on the cases of their own team only, while their account is
    active."""
    user = staff_user(actor)
    if user is None or not user.is_active or case.team_id is None or case.team_id != user.team_id:
        return deny("team", NOT_ALLOWED)
    return None


def team_manager(actor: By, team: Team | None) -> Refusal | None:
    """The active manager of `team` (None: refused); anyone else is refused. For the
    lists of a whole team that later stages give its manager alone."""
    user = staff_user(actor)
    if (
        user is None
        or not user.is_active
        or user.role != Role.MANAGER
        or team is None
        or user.team_id != team.pk
    ):
        return deny("team", NOT_ALLOWED)
    return None


def the_coordinator(actor: By, case: Case) -> Refusal | None:
    """The coordinator who accepted the case (R2); anyone else is refused."""
    user = staff_user(actor)
    if (
        user is None
        or user.role != Role.COORDINATOR
        or not user.is_active
        or case.coordinator_id != user.pk
    ):
        return deny("not_coordinator", _("Only the coordinator of this case can do this."))
    return None


def may_take_on(actor: By, case: Case) -> Refusal | None:
    """R1: the office takes a new request on for its own team: one sent to its team, or one
    from the central inbox (no team yet)."""
    return first(
        lambda: staff_role(actor, Role.OFFICE),
        lambda: _inbox_or_team(actor, case),
        lambda: state_refusal(case, MOVES["take_on"].sources),
        lambda: _in_a_team(actor),
    )


def _in_a_team(actor: By) -> Refusal | None:
    if staff_user(actor).team_id is None:
        return rule("no_team", _("You must belong to a team to take a request on."))
    return None


def may_decline(actor: By, case: Case) -> Refusal | None:
    """The office declines a request in its inbox (the team's, or the central one); the office
    or the manager of the team declines a request sent to the team, or a case taken on that
    goes no further."""
    return first(
        lambda: staff_role(actor, Role.OFFICE, Role.MANAGER),
        lambda: _inbox_or_team(actor, case),
        lambda: lifecycle.refusal(case, "decline"),
    )


def _inbox_or_team(actor: By, case: Case) -> Refusal | None:
    if case.team_id is None:
        # A new request from no known area (the central inbox): only the office works it.
        return staff_role(actor, Role.OFFICE)
    return of_the_team(actor, case)


def may_assign(actor: By, case: Case, coordinator: User | None = None) -> Refusal | None:
    """R2: the office or the team's manager offers the case to a coordinator of the team, at
    any stage before the conference; offering a case that has a coordinator reassigns it.
    With `coordinator`, also whether that coordinator can be offered the case."""
    return first(
        lambda: staff_role(actor, Role.OFFICE, Role.MANAGER),
        # A new request has no team yet: the office sees it, and takes it on first.
        lambda: _inbox_or_team(actor, case),
        lambda: state_refusal(case, BEFORE_CONFERENCE),
        lambda: _reassigning(actor, case),
        lambda: _offerable_to(case, coordinator) if coordinator is not None else None,
    )


def _reassigning(actor: By, case: Case) -> Refusal | None:
    """Taking a case away from the coordinator who has it is the manager's (docs/rules.md
    "Roles"); the office offers a case that has no coordinator."""
    if case.coordinator_id is not None:
        return staff_role(actor, Role.MANAGER)
    return None


def _offerable_to(case: Case, coordinator: User) -> Refusal | None:
    if coordinator.role != Role.COORDINATOR or not coordinator.is_active:
        return rule("not_a_coordinator", _("Choose an active coordinator."))
    if coordinator.team_id != case.team_id:
        return rule("other_team", _("Choose a coordinator of the case's team."))
    if (
        case.coordinator_id == coordinator.pk
        or case.assignments.filter(
            status=Assignment.Status.OFFERED, coordinator=coordinator
        ).exists()
    ):
        return rule("same_coordinator", _("This case is already with this coordinator."))
    return None


def may_answer_offer(actor: By, assignment: Assignment) -> Refusal | None:
    """R2: the coordinator an offer was made to accepts it or hands it back, while it is open."""
    user = staff_user(actor)
    if (
        user is None
        or user.role != Role.COORDINATOR
        or not user.is_active
        or assignment.coordinator_id != user.pk
    ):
        return deny("not_offered", NOT_ALLOWED)
    if assignment.status != assignment.Status.OFFERED:
        return rule("offer_closed", _("This offer is no longer open."))
    return state_refusal(assignment.case, MOVES["accept_assignment"].sources)


def may_hand_back(actor: By, case: Case) -> Refusal | None:
    """R2: the coordinator hands an accepted case back, at any stage before the conference."""
    return first(
        lambda: the_coordinator(actor, case),
        lambda: lifecycle.refusal(case, "hand_back"),
    )


def may_stop(actor: By, case: Case) -> Refusal | None:
    """The case's coordinator, or the team's manager, stops a case before the conference."""
    return first(
        lambda: _coordinator_or_manager(actor, case),
        lambda: lifecycle.refusal(case, "stop"),
    )


def _coordinator_or_manager(actor: By, case: Case) -> Refusal | None:
    user = staff_user(actor)
    if user is not None and user.role == Role.MANAGER:
        return of_the_team(actor, case)
    return the_coordinator(actor, case)


def may_read_request(actor: By, case: Case) -> Refusal | None:
    """The request as it was sent, with its free-text account: the office while triaging (a
    new request, and a case taken on until a coordinator accepts it), then no longer; the
    team's manager always (docs/rules.md "Roles"). The case's coordinator reads it on the case
    page."""
    return first(
        lambda: staff_role(actor, Role.OFFICE, Role.MANAGER),
        lambda: _inbox_or_team(actor, case),
        lambda: _triaging(actor, case),
    )


# The office reads what happened while it decides what to do with a request (and what it
# declined, until that is erased).
TRIAGE = (State.REQUESTED, State.REFERRED, State.DECLINED)


def _triaging(actor: By, case: Case) -> Refusal | None:
    user = staff_user(actor)
    if user.role == Role.OFFICE and case.state not in TRIAGE:
        return deny(
            "after_triage",
            _("The office reads what happened only while deciding about the request."),
        )
    return None


def may_read_account(actor: By, case: Case) -> Refusal | None:
    """The free-text account on the case page: the case's coordinator, and whoever may read
    the request (may_read_request)."""
    if the_coordinator(actor, case) is None:
        return None
    return may_read_request(actor, case)


def needs_coordinator(case: Case) -> bool:
    """A case before the conference that waits for a (new) coordinator to accept it."""
    return case.state in BEFORE_CONFERENCE and case.coordinator_id is None


# --- pages --------------------------------------------------------------------------------------


def may_open_inbox(actor: By) -> Refusal | None:
    """The inbox of new requests: the office's (their team's and the central one), and the
    team's manager sees the team's (which requests: cases.access)."""
    return staff_role(actor, Role.OFFICE, Role.MANAGER)


def may_list_team_cases(actor: By) -> Refusal | None:
    return staff_role(actor, Role.OFFICE, Role.MANAGER)


def may_list_my_cases(actor: By) -> Refusal | None:
    return staff_role(actor, Role.COORDINATOR)


def may_read_case(actor: By, case: Case) -> Refusal | None:
    """The case page, for the roles that work on cases; which cases is cases.access."""
    return staff_role(actor, Role.OFFICE, Role.MANAGER, Role.COORDINATOR)
