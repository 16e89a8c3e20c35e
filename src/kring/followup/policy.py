"""Who may do what in follow-up, now (ADR 0005): one function per action, None when allowed or a
Refusal (kring.core.policy). The actions (followup.actions, followup.closing) enforce these;
views, templates and the portal read them through `options(...)`.

R15: the person responsible is held to the agreements, and the person harmed, or anyone else in
the plan, can invoke them. A report from the personal page is the participant's own act
(Actor.in_portal), never a staff user's. The rules, each defined once:

- `TRACKING_STATES`: the agreements are followed while the case is "following_up"; a closed case
  is read-only (`READABLE_STATES` for reading).
- `_current`: a row "changed by mutual consent" is history: nothing is done with it any more.
- `SETTABLE`: the coordinator sets open, done, partly done or not kept by hand; "changed" only
  comes with a newly signed version of the plan (R14).
- `in_the_plan` (followup.queries.in_the_plan): who may invoke an agreement and read the
  agreements on their personal page: everyone present at the conference, and every owner of an
  agreement.
- A participant has at most one unanswered report of each kind on an agreement: a second one
  waits for the coordinator's answer.
- An invocation is answered; a report of done is confirmed or asked back about (`_of_kind`).
- The case is closed once every report is answered and no new version of the plan waits for
  signatures (R14).

The personal page asks about every agreement at once: `facts_of(participant)` reads what the
rules need about the participant once (in the plan? which reports wait?), and may_report_done /
may_invoke take it (`facts=`), so the page makes a fixed number of queries. Without it they read
it themselves (the actions do, under the case's lock).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.utils.translation import gettext_lazy as _

from kring.audit.actors import actor_of
from kring.cases import lifecycle
from kring.cases.lifecycle import State
from kring.cases.policy import team_manager, the_coordinator
from kring.conference.policy import coordinator_or_manager, may_edit_plan
from kring.conference.queries import current_conference
from kring.core.policy import Refusal, deny, first, rule
from kring.followup import queries
from kring.followup.models import STILL_OPEN, AgreementState, Report
from kring.signing import queries as signing_queries

if TYPE_CHECKING:
    from kring.accounts.models import Team
    from kring.audit.actors import By
    from kring.cases.models import Case
    from kring.circle.models import Participant
    from kring.followup.models import Contact, TrackedAgreement

NOT_ALLOWED = _("You are not allowed to do this.")

# --- the rules, each once -----------------------------------------------------------------------

TRACKING_STATES = (State.FOLLOWING_UP,)
READABLE_STATES = (State.FOLLOWING_UP, State.CLOSED)
SETTABLE = (
    AgreementState.OPEN,
    AgreementState.DONE,
    AgreementState.PARTLY_DONE,
    AgreementState.NOT_KEPT,
)


def _tracking(case: Case) -> Refusal | None:
    return lifecycle.state_refusal(case, TRACKING_STATES)


def _readable(case: Case) -> Refusal | None:
    return lifecycle.state_refusal(case, READABLE_STATES)


def _current(tracked: TrackedAgreement) -> Refusal | None:
    if tracked.state == AgreementState.CHANGED:
        return rule(
            "changed",
            _("This agreement was changed in a newer version of the plan. Use the new one."),
        )
    return None


def _settable(tracked: TrackedAgreement, state: str | None) -> Refusal | None:
    if state is None:
        return None
    if state not in AgreementState.values:
        return rule("unknown_state", _("Choose one of the states."))
    if state not in SETTABLE:
        return rule(
            "not_settable",
            _("An agreement is changed through a new version of the plan, signed by everyone."),
        )
    if state == tracked.state:
        return rule("same_state", _("The agreement has this state already."))
    return None


def _self(actor: By, participant: Participant) -> Refusal | None:
    acting = actor_of(actor)
    if not acting.is_participant or acting.participant_id != participant.pk:
        return deny("not_self", _("You can only do this for yourself."))
    return None


def _same_case(participant: Participant, tracked: TrackedAgreement) -> Refusal | None:
    if participant.case_id != tracked.case_id:
        return deny("other_case", NOT_ALLOWED)
    return None


def _unanswered(report: Report) -> Refusal | None:
    if report.answered_at is not None:
        return rule("answered", _("This report has been answered already."))
    return None


def _of_kind(report: Report, kind: str) -> Refusal | None:
    if report.kind != kind:
        return rule("kind", NOT_ALLOWED)
    return None


@dataclass(frozen=True)
class Facts:
    """What the rules read about one participant (module docstring): whether they are in the
    plan, and their reports that wait for an answer, as (tracked agreement id, kind)."""

    participant_id: int
    in_the_plan: bool
    waiting: frozenset[tuple[int, str]]


def facts_of(participant: Participant) -> Facts:
    """Read once what the rules need about `participant` (two or three queries)."""
    return Facts(
        participant_id=participant.pk,
        in_the_plan=queries.in_the_plan(participant),
        waiting=frozenset(
            Report.objects.filter(participant=participant, answered_at__isnull=True).values_list(
                "tracked_id", "kind"
            )
        ),
    )


def _in_the_plan(participant: Participant, facts: Facts | None = None) -> Refusal | None:
    if facts is not None and facts.participant_id == participant.pk:
        inside = facts.in_the_plan
    else:
        inside = queries.in_the_plan(participant)
    return None if inside else deny("not_in_plan", NOT_ALLOWED)


def _no_report_waiting(
    participant: Participant, tracked: TrackedAgreement, kind: str, facts: Facts | None = None
) -> Refusal | None:
    if facts is not None and facts.participant_id == participant.pk:
        waiting = (tracked.pk, kind) in facts.waiting
    else:
        waiting = Report.objects.filter(
            tracked=tracked, participant=participant, kind=kind, answered_at__isnull=True
        ).exists()
    if waiting:
        return rule(
            "report_waiting",
            _("You reported this already. The coordinator will answer you."),
        )
    return None


# --- the tracker (issue 12, point 1) -------------------------------------------------------------


def may_read_tracker(actor: By, case: Case) -> Refusal | None:
    """The agreements and their history: the case's coordinator, and the manager of its team
    (reading only), in follow-up and after closing."""
    return first(lambda: coordinator_or_manager(actor, case), lambda: _readable(case))


def may_set_state(actor: By, tracked: TrackedAgreement, state: str | None = None) -> Refusal | None:
    """Record that an agreement is open, done, partly done or not kept, with a short note: the
    case's coordinator, during follow-up. Without `state`: whether any state may be set."""
    return first(
        lambda: the_coordinator(actor, tracked.case),
        lambda: _tracking(tracked.case),
        lambda: _current(tracked),
        lambda: _settable(tracked, state),
    )


def may_change_agreements(actor: By, case: Case) -> Refusal | None:
    """Change agreements by mutual consent: the coordinator opens the plan for a new version,
    which everyone signs again (R14). During follow-up, and whatever the plan's own policy
    (conference.policy.may_edit_plan) says of editing it."""
    return first(
        lambda: the_coordinator(actor, case),
        lambda: _tracking(case),
        lambda: _plan_editable(actor, case),
    )


def _plan_editable(actor: By, case: Case) -> Refusal | None:
    conference = current_conference(case)
    if conference is None:
        return rule("no_conference", _("This case has no plan to change."))
    return may_edit_plan(actor, conference)


def may_list_overdue(actor: By, team: Team | None) -> Refusal | None:
    """The overdue agreements of a whole team: its manager."""
    return team_manager(actor, team)


# --- reports and answers (issue 12, point 2) -----------------------------------------------------


def may_read_agreements_in_portal(actor: By, participant: Participant) -> Refusal | None:
    """The agreements of the signed plan, their state and one's own reports with their answers,
    on the personal page: the participant themselves, when they are in the plan."""
    return first(
        lambda: _self(actor, participant),
        lambda: _readable(participant.case),
        lambda: _in_the_plan(participant),
    )


def may_report_done(
    actor: By, participant: Participant, tracked: TrackedAgreement, facts: Facts | None = None
) -> Refusal | None:
    """The owner of an agreement reports it done, from their personal page, during follow-up,
    while it is open or partly done and no earlier report of theirs waits for an answer.
    `facts`: facts_of(participant), when the caller read it once for many agreements."""
    return first(
        lambda: _self(actor, participant),
        lambda: _same_case(participant, tracked),
        lambda: _tracking(tracked.case),
        lambda: _current(tracked),
        lambda: (
            None
            if tracked.owner_id == participant.pk
            else rule("not_owner", _("Only the person who does this agreement can report it done."))
        ),
        lambda: (
            None
            if tracked.state in STILL_OPEN
            else rule("not_open", _("This agreement is not open any more."))
        ),
        lambda: _no_report_waiting(participant, tracked, Report.Kind.DONE, facts),
    )


def may_invoke(
    actor: By, participant: Participant, tracked: TrackedAgreement, facts: Facts | None = None
) -> Refusal | None:
    """Anyone in the plan (the harmed person and everyone else present, or another owner)
    reports that an agreement is not kept, in their own words, during follow-up. Not its own
    owner (they tell the coordinator otherwise), not twice before an answer. `facts` as in
    may_report_done."""
    return first(
        lambda: _self(actor, participant),
        lambda: _same_case(participant, tracked),
        lambda: _tracking(tracked.case),
        lambda: _current(tracked),
        lambda: _in_the_plan(participant, facts),
        lambda: (
            rule(
                "own_agreement", _("This is your own agreement. Tell your coordinator how it goes.")
            )
            if tracked.owner_id == participant.pk
            else None
        ),
        lambda: _no_report_waiting(participant, tracked, Report.Kind.NOT_KEPT, facts),
    )


def _respond(actor: By, report: Report) -> Refusal | None:
    """What every response to a report needs: the case's coordinator, during follow-up, once."""
    return first(
        lambda: the_coordinator(actor, report.case),
        lambda: _tracking(report.case),
        lambda: _unanswered(report),
    )


def may_answer(actor: By, report: Report) -> Refusal | None:
    """Answer a report that an agreement is not kept (the participant reads the answer), perhaps
    with a state: a report of done is confirmed or asked back about instead."""
    return first(
        lambda: _respond(actor, report),
        lambda: _of_kind(report, Report.Kind.NOT_KEPT),
    )


def may_confirm_done(actor: By, report: Report) -> Refusal | None:
    """Confirm a report of done (the agreement becomes done)."""
    return first(
        lambda: _respond(actor, report),
        lambda: _of_kind(report, Report.Kind.DONE),
        lambda: _current(report.tracked),
    )


def may_ask_back(actor: By, report: Report) -> Refusal | None:
    """Ask back about a report of done (the agreement keeps its state)."""
    return first(lambda: _respond(actor, report), lambda: _of_kind(report, Report.Kind.DONE))


# --- the follow-up contact (issue 12, point 3) ---------------------------------------------------


def may_record_contact(actor: By, contact: Contact) -> Refusal | None:
    """Record that the follow-up contact took place, with a short note: the coordinator."""
    return first(
        lambda: the_coordinator(actor, contact.case),
        lambda: _tracking(contact.case),
        lambda: (
            rule("contact_done", _("This contact is recorded already."))
            if contact.done_at is not None
            else None
        ),
    )


# --- closing (issue 12, point 5) -----------------------------------------------------------------


def may_close(actor: By, case: Case) -> Refusal | None:
    """Close the case with an outcome: its coordinator, during follow-up, once every report is
    answered, no new version of the plan waits for signatures (R14: once the case is closed
    nobody could sign it) and the `close` move's guards registered by other stages pass
    (scheduling: no follow-up meeting pending), so the page says why before the form. A draft
    never made final binds nobody: it does not hold the close up. A closed case is read-only."""
    return first(
        lambda: the_coordinator(actor, case),
        lambda: _tracking(case),
        lambda: lifecycle.refusal(case, "close"),
        lambda: (
            rule("reports_open", _("Answer the open reports on the agreements first."))
            if Report.objects.filter(case=case, answered_at__isnull=True).exists()
            else None
        ),
        lambda: _no_version_waiting(case),
    )


def _no_version_waiting(case: Case) -> Refusal | None:
    version = signing_queries.version_to_sign(case)
    if version is not None and not signing_queries.is_fully_signed(version):
        return rule(
            "version_unsigned",
            _(
                "A new version of the plan waits for everyone's signature. Let everyone sign "
                "it first."
            ),
        )
    return None
