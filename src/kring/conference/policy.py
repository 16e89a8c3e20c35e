"""Who may do what at the conference, now (ADR 0005): one function per action, None when allowed
or a Refusal (kring.core.policy). The actions (conference.actions, conference.editing,
conference.versions) enforce these; views and templates read them through `options(...)`, so a
button shows only when its action is allowed.

The conference is run by the case's coordinator alone: check-in, the rounds, the plan, the
second screen (shown from the coordinator's own session on a projector) and the printout. The
team's manager may read the plan and print it (every case of the team, docs/rules.md "Roles");
the office sees that the conference was held, never the plan. The rules of the method (R10–R13)
are the `rule` refusals below, each defined once."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from kring.accounts.models import Role
from kring.audit.actors import By, staff_user
from kring.cases import lifecycle
from kring.cases.lifecycle import State
from kring.cases.policy import of_the_team, the_coordinator
from kring.core.policy import Refusal, deny, first, rule

if TYPE_CHECKING:
    from django.utils.functional import Promise

    from kring.cases.models import Case
    from kring.circle.models import Participant
    from kring.conference.models import Conference, Plan, Round
    from kring.scheduling.models import Meeting

# --- the states a step needs --------------------------------------------------------------------

# The meeting is planned or under way: conference mode and the paper form.
AT_THE_MEETING = (State.SCHEDULED, State.CONFERENCE_HELD)

# The case has (or is about to have) its conference: the case page's panels of the conference.
AROUND_THE_CONFERENCE = (*AT_THE_MEETING, State.FOLLOWING_UP, State.CLOSED)


def _scheduled(case: Case) -> Refusal | None:
    return lifecycle.state_refusal(case, (State.SCHEDULED,))


# The plan is written and made final at the conference, and changed by mutual consent during
# follow-up: a new version that everyone signs again (R14; followup.policy.may_change_agreements).
# The rounds, check-in, the paper form and the informal part stay at the conference (`_held`).
PLAN_STATES = (State.CONFERENCE_HELD, State.FOLLOWING_UP)


def _held(case: Case) -> Refusal | None:
    """The conference opened and its plan is being made or signed."""
    return lifecycle.state_refusal(case, (State.CONFERENCE_HELD,))


def _plan_open(case: Case) -> Refusal | None:
    """The plan may be written or made final (`PLAN_STATES`); a closed case is read-only."""
    return lifecycle.state_refusal(case, PLAN_STATES)


def _not_begun(conference: Conference | None) -> Refusal | None:
    if conference is not None and (conference.started_at or conference.not_held_at):
        return rule("begun", _("The conference has begun already."))
    return None


def _started(conference: Conference | None) -> Refusal | None:
    if conference is None or conference.started_at is None:
        return rule("not_started", _("The conference has not begun yet."))
    return None


def rounds_refusal(conference: Conference | None) -> Refusal | None:
    """R12: nothing of a plan before the meeting has begun and the rounds are done."""
    if conference is None or conference.rounds_done_at is None:
        return rule(
            "rounds_not_done",
            _("The plan begins after the rounds: first finish every round."),
        )
    return None


# --- who ----------------------------------------------------------------------------------------


def coordinator_or_manager(actor: By, case: Case) -> Refusal | None:
    """The case's coordinator, or the manager of its team (reading only)."""
    user = staff_user(actor)
    if user is not None and user.role == Role.MANAGER:
        return of_the_team(actor, case)
    return the_coordinator(actor, case)


# --- the meeting's day (R12: a plan exists only from the meeting on) ----------------------------

BEFORE_THE_DAY = "before_the_day"


def _meeting(case: Case, conference: Conference | None) -> Meeting | None:
    """The meeting a step is for: the conference's, once check-in began (read with it), else the
    case's confirmed one."""
    from kring.conference.queries import confirmed_meeting

    if conference is not None:
        return conference.meeting
    # Read once per case object: the check-in page asks this for every person of the circle
    # before check-in begins. The actions read their case afresh under its lock.
    if not hasattr(case, "_confirmed_meeting"):
        case._confirmed_meeting = confirmed_meeting(case)  # type: ignore[attr-defined]
    meeting: Meeting | None = case._confirmed_meeting  # type: ignore[attr-defined]
    return meeting


def _has_confirmed_meeting(case: Case, conference: Conference | None = None) -> Refusal | None:
    if _meeting(case, conference) is not None:
        return None
    return rule("no_meeting", _("This case has no meeting with a date set."))


def the_day_has_come(case: Case, conference: Conference | None = None) -> Refusal | None:
    """R12: the conference happens on its day: the start of the case's confirmed meeting (the
    conference's, once check-in began), as a local date (Europe/Amsterdam), is today or
    earlier. Check-in and the start wait for it (and so the rounds and the plan); so does
    recording that the meeting did not take place. Also a guard of the `hold` move
    (`on_its_day`), so that no other path opens the conference early. Without a meeting (or its
    date) there is no day to wait for: the callers refuse that themselves
    (`_has_confirmed_meeting`)."""
    meeting = _meeting(case, conference)
    if meeting is None or meeting.starts_at is None:
        return None
    day = timezone.localdate(meeting.starts_at)
    if day <= timezone.localdate():
        return None
    return rule(
        BEFORE_THE_DAY,
        _("Conference mode opens on the day of the conference, %(date)s.")
        % {"date": formats.date_format(day, "l j F Y")},
    )


def on_its_day(
    case: Case, *, conference: Conference | None = None, **_kw: object
) -> str | Promise | None:
    """The `hold` move's guard (conference.registration): `the_day_has_come`, as its reason."""
    refused = the_day_has_come(case, conference)
    return refused.message if refused is not None else None


# --- conference mode: check-in, start, not held (issue 10, points 1 and 6) ----------------------


def may_run(actor: By, case: Case) -> Refusal | None:
    """Open conference mode for the case's meeting: its coordinator, on the meeting's day (the
    page shows before then on which day it opens, and nothing to do), until the plan is
    signed."""
    return first(
        lambda: the_coordinator(actor, case),
        lambda: lifecycle.state_refusal(case, AT_THE_MEETING),
        lambda: the_day_has_come(case) if case.state == State.SCHEDULED else None,
    )


def may_check_in(
    actor: By,
    case: Case,
    conference: Conference | None = None,
    participant: Participant | None = None,
) -> Refusal | None:
    """Record who is present, and who was expected and did not come, before the start. Anyone of
    the case's circle who still takes part may be checked in (someone invited who came after
    all); not someone who declined or stopped taking part (R9: they would first come back)."""
    return first(
        lambda: the_coordinator(actor, case),
        lambda: (
            deny("other_case", _("This person is not in this case."))
            if participant is not None and participant.case_id != case.pk
            else None
        ),
        lambda: _scheduled(case),
        lambda: _not_begun(conference),
        lambda: _has_confirmed_meeting(case, conference),
        lambda: the_day_has_come(case, conference),
        lambda: (
            rule("not_taking_part", _("%(name)s does not take part.") % {"name": participant.name})
            if participant is not None and not participant.takes_part
            else None
        ),
    )


def may_start(actor: By, case: Case, conference: Conference | None = None) -> Refusal | None:
    """Open the conference after check-in, on its day: the case moves to "conference_held" (the
    `hold` move's guards: the day has come, someone of each side is present)."""
    return first(
        lambda: the_coordinator(actor, case),
        lambda: _not_begun(conference),
        lambda: the_day_has_come(case, conference),
        lambda: lifecycle.refusal(case, "hold", conference=conference),
    )


def may_record_not_held(
    actor: By, case: Case, conference: Conference | None = None
) -> Refusal | None:
    """Record that the meeting did not take place; the case goes back to preparation for a new
    date (the `unschedule` move), or is stopped. From the meeting's day on (`the_day_has_come`),
    and only before the start: once the conference opened, the meeting took place."""
    return first(
        lambda: the_coordinator(actor, case),
        lambda: _scheduled(case),
        lambda: _not_begun(conference),
        lambda: _has_confirmed_meeting(case, conference),
        lambda: _not_held_waits_for_the_day(case, conference),
    )


def _not_held_waits_for_the_day(case: Case, conference: Conference | None) -> Refusal | None:
    """Recording that a meeting did not take place tells nobody (on the day, the coordinator
    tells the participants), so it waits for the meeting's day (`the_day_has_come`). Before
    that, cancelling the meeting is what tells everyone who takes part (scheduling's `cancel`);
    the page offers it with this refusal."""
    if the_day_has_come(case, conference) is None:
        return None
    return rule(
        BEFORE_THE_DAY,
        _(
            "The day of this conference has not come yet. If it will not take place, cancel "
            "it: then everyone who takes part is told."
        ),
    )


# --- the introductions and the rounds (issue 10, point 1; R10) ---------------------------------


def _introduced(conference: Conference) -> Refusal | None:
    if conference.introductions_done_at is None:
        return rule("not_introduced", _("First introduce everyone present by name."))
    return None


def next_round(conference: Conference) -> Round | None:
    """R10: the round to do now: the first one not done, in the order of the rounds (read from
    `conference.rounds`, prefetched by the pages that show them all). None when all are done."""
    for turn in conference.rounds.all():
        if turn.done_at is None:
            return turn
    return None


def _in_the_rounds(actor: By, conference: Conference) -> Refusal | None:
    """R10: the rounds are the coordinator's, once the conference began and everyone present
    was introduced (what a round and the round for putting things right both need)."""
    return first(
        lambda: the_coordinator(actor, conference.case),
        lambda: _held(conference.case),
        lambda: _started(conference),
        lambda: _introduced(conference),
    )


def may_mark_introductions(actor: By, conference: Conference) -> Refusal | None:
    """R10: the coordinator opens by introducing everyone present by name."""
    return first(
        lambda: the_coordinator(actor, conference.case),
        lambda: _held(conference.case),
        lambda: _started(conference),
        lambda: (
            rule("introduced", _("The introductions are done already."))
            if conference.introductions_done_at is not None
            else None
        ),
    )


def may_mark_round(actor: By, turn: Round) -> Refusal | None:
    """R10: one person's round is done, in the order of the rounds: the responsible side first,
    then the harmed side, then everyone else; never one out of turn."""
    conference = turn.conference

    def in_turn() -> Refusal | None:
        current = next_round(conference)
        if current is not None and current.pk != turn.pk:
            return rule(
                "out_of_order",
                _("First finish the round of %(name)s.") % {"name": current.participant.name},
            )
        return None

    return first(
        lambda: _in_the_rounds(actor, conference),
        lambda: (
            rule("round_done", _("This round is done already."))
            if turn.done_at is not None
            else None
        ),
        in_turn,
    )


def may_mark_repair_round(actor: By, conference: Conference) -> Refusal | None:
    """R10: after every round, whoever wants to put something right is invited to respond;
    once that is done the plan may begin (R12)."""

    def rounds_finished() -> Refusal | None:
        current = next_round(conference)
        if current is not None:
            return rule(
                "rounds_open",
                _("First finish every round. Next: %(name)s.") % {"name": current.participant.name},
            )
        return None

    return first(
        lambda: _in_the_rounds(actor, conference),
        lambda: (
            rule("repair_done", _("This round is done already."))
            if conference.rounds_done_at is not None
            else None
        ),
        rounds_finished,
    )


# --- the plan (issue 10, points 2, 4 and 5; R11, R12) -------------------------------------------


def may_edit_plan(actor: By, conference: Conference) -> Refusal | None:
    """Begin and write the plan: the coordinator, once the rounds are done (R12), while the
    case is at its conference, or in follow-up to change agreements by mutual consent (R14)."""
    return first(
        lambda: the_coordinator(actor, conference.case),
        lambda: _plan_open(conference.case),
        lambda: rounds_refusal(conference),
    )


def may_read_plan(actor: By, case: Case) -> Refusal | None:
    """The plan, its versions and its printout: the coordinator and the team's manager."""
    return coordinator_or_manager(actor, case)


def may_show_second_screen(actor: By, case: Case) -> Refusal | None:
    """The second screen is the coordinator's own, on a projector at the meeting."""
    return the_coordinator(actor, case)


# --- the second screen and the printout (issue 10, points 3 and 7) ------------------------------


def _on_paper_not_yet(conference: Conference) -> Refusal | None:
    if conference.on_paper:
        return rule("on_paper", _("The plan is marked as made on paper already."))
    return None


def may_print_paper_form(actor: By, case: Case) -> Refusal | None:
    """The empty A4 form to go on on paper when the tablet does not work: the coordinator, while
    the meeting is planned or under way (it names everyone expected)."""
    return first(
        lambda: the_coordinator(actor, case),
        lambda: lifecycle.state_refusal(case, AT_THE_MEETING),
    )


def may_mark_on_paper(actor: By, conference: Conference) -> Refusal | None:
    """Mark the plan as made on paper and typed in afterwards: the coordinator, once the
    conference has begun, until the plan is signed (the case leaves "conference_held")."""
    return first(
        lambda: the_coordinator(actor, conference.case),
        lambda: _started(conference),
        lambda: _held(conference.case),
        lambda: _on_paper_not_yet(conference),
    )


# --- versions, the informal part, a meeting not held (issue 10, points 5 and 6; R11, R13) -----


def _not_final(plan: Plan) -> Refusal | None:
    from kring.conference import versions

    if versions.is_final(plan):
        return rule(
            "final",
            _("This plan is final already. Change something in it first to make a new version."),
        )
    return None


def _complete(plan: Plan) -> Refusal | None:
    """R11: an agreement that prevents a repeat, an evaluation date, what happens when an
    agreement is not kept, and the harmed person's good outcome (conference.versions.missing)."""
    from kring.conference import versions

    missing = versions.missing(plan)
    if missing:
        return rule("incomplete", versions.missing_message(missing))
    return None


def may_finalise(actor: By, plan: Plan) -> Refusal | None:
    """Make the plan as it stands a final version (R14: a later change makes the next one): the
    coordinator, at the conference or in follow-up (`PLAN_STATES`), once the plan is complete
    (R11) and changed since the last version."""
    return first(
        lambda: the_coordinator(actor, plan.case),
        lambda: _plan_open(plan.case),
        lambda: rounds_refusal(plan.conference),
        lambda: _not_final(plan),
        lambda: _complete(plan),
    )


def may_mark_informal(actor: By, conference: Conference) -> Refusal | None:
    """R13: the informal part comes after the plan, so once a version of it is final."""
    from kring.conference.models import PlanVersion

    return first(
        lambda: the_coordinator(actor, conference.case),
        lambda: _held(conference.case),
        lambda: (
            rule("informal_done", _("The informal part has begun already."))
            if conference.informal_at is not None
            else None
        ),
        lambda: (
            None
            if PlanVersion.objects.filter(plan__conference=conference).exists()
            else rule("no_version", _("The informal part comes after the plan: finalise it first."))
        ),
    )
