"""Who may do what in scheduling, now (ADR 0005): one function per action, None when allowed or
a Refusal (kring.core.policy). The actions enforce these; views and templates read them through
`options(...)`, so that a button shows only when its action is allowed. One section per part of
the app (venues and the calendar, the date poll, booking and confirming, invitations)."""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kring.accounts.models import Role
from kring.audit.actors import By, actor_of, staff_user
from kring.cases import lifecycle
from kring.cases.lifecycle import State, state_refusal
from kring.cases.policy import the_coordinator
from kring.circle.guards import readiness_people
from kring.circle.models import Participant
from kring.circle.models import Status as ParticipantStatus
from kring.circle.policy import participant_erased
from kring.core.policy import Refusal, deny, first, rule
from kring.scheduling.models import Meeting

if TYPE_CHECKING:
    from django.db.models import QuerySet

NOT_ALLOWED = _("You are not allowed to do this.")


# --- who takes part in the meeting ---------------------------------------------------------------
# One definition for the whole app: those who said yes and have not stopped since answer the date
# poll, are invited (by e-mail, else by letter), are reminded, are told of a change, and find the
# meeting on their own page. Not the circle's `Participant.takes_part`, which counts everyone still
# in the circle (also who is yet to be invited or has not answered): scheduling.fit counts those
# for a room's size, as they may still say yes. Someone whose details were erased takes part no
# more (circle.policy.participant_erased): not invited, not on paper, not counted present.
TAKING_PART = (ParticipantStatus.ACCEPTED,)


def is_taking_part(participant: Participant) -> bool:
    """Whether `participant` takes part in the meeting (TAKING_PART, not erased; see above)."""
    return participant.status in TAKING_PART and not participant_erased(participant)


def taking_part(case) -> QuerySet[Participant]:
    """The participants of `case` (a Case or its pk) who take part in the meeting, by pk."""
    return Participant.objects.filter(
        case=case, status__in=TAKING_PART, erased_at__isnull=True
    ).order_by("pk")


# --- venues and the office's calendar (issue 9, points 1 and 8) ---------------------------------
# The office and the manager of a team keep its venues and read its calendar; nobody else. The
# administrator sets up users and teams but keeps no team's rooms (docs/architecture.md,
# "Scheduling"): deny by default. A coordinator sees the venues of their case's team only as the
# choices of the date poll.


def _office_or_manager_of(actor: By, team_id: int | None) -> Refusal | None:
    user = staff_user(actor)
    if (
        user is None
        or not user.is_active
        or user.role not in (Role.OFFICE, Role.MANAGER)
        or team_id is None
        or user.team_id != team_id
    ):
        return deny("team", NOT_ALLOWED)
    return None


def may_manage_venues(actor: By, team) -> Refusal | None:
    """List the team's venues and add one: its office and manager."""
    return _office_or_manager_of(actor, getattr(team, "pk", None))


def may_edit_venue(actor: By, venue) -> Refusal | None:
    """Change a venue's details: the office and manager of the venue's team."""
    return _office_or_manager_of(actor, venue.team_id)


def may_retire_venue(actor: By, venue) -> Refusal | None:
    """Take a venue out of use (never delete it: its meetings keep it)."""
    return first(
        lambda: may_edit_venue(actor, venue),
        lambda: (
            rule("retired", _("This venue is already out of use."))
            if venue.retired_at is not None
            else None
        ),
    )


def may_reinstate_venue(actor: By, venue) -> Refusal | None:
    """Put a retired venue back in use."""
    return first(
        lambda: may_edit_venue(actor, venue),
        lambda: rule("in_use", _("This venue is in use.")) if venue.retired_at is None else None,
    )


def may_view_calendar(actor: By, team) -> Refusal | None:
    """The team's week calendar of meetings: its office and manager."""
    return _office_or_manager_of(actor, getattr(team, "pk", None))


# --- which meeting: the conference's or a follow-up meeting (issue 12, point 4) ----------------
# Defined once: until the plan is signed a case's meeting is its conference's (R8), planned while
# the case is prepared and held while it is scheduled; once it is in follow-up (R15), the
# participants can meet again in a follow-up meeting, planned, moved and cancelled while the case
# is in follow-up, without any move of the case. Nothing is planned once the case is closed.

Purpose = Meeting.Purpose

# The state in which a meeting of each purpose is planned (its poll), and in which a confirmed
# one is moved or cancelled.
PLANNED_IN = {Purpose.CONFERENCE: State.PREPARING, Purpose.FOLLOW_UP: State.FOLLOWING_UP}
HELD_IN = {Purpose.CONFERENCE: State.SCHEDULED, Purpose.FOLLOW_UP: State.FOLLOWING_UP}
AFTER_THE_PLAN = (State.FOLLOWING_UP, State.CLOSED)


def purpose_for(case) -> str:
    """The purpose of the meeting `case` is about in its state: a follow-up meeting once the
    plan is signed (following up, closed), else the conference's."""
    return Purpose.FOLLOW_UP if case.state in AFTER_THE_PLAN else Purpose.CONFERENCE


# --- the date poll (issue 9, point 2) ------------------------------------------------------------
# The case's coordinator runs the poll while the case is being prepared (the conference's) or in
# follow-up (a follow-up meeting's): opens it, proposes and removes options until a date is
# confirmed, enters answers told by phone, reminds, and reads the grid. A participant who
# accepted answers in their own portal (a minor through their own link).


def _poll_case_preparing(case, meeting=None) -> Refusal | None:
    """The case is in the state in which the poll of `meeting` (else of the meeting it would
    open, purpose_for) is held."""
    purpose = meeting.purpose if meeting is not None else purpose_for(case)
    if case.state == PLANNED_IN[purpose]:
        return None
    if purpose == Purpose.FOLLOW_UP:
        return rule("not_preparing", _("This is possible only while the case is in follow-up."))
    return rule("not_preparing", _("This is possible only while the case is being prepared."))


def _polling(meeting) -> Refusal | None:
    if meeting is not None and meeting.status == Meeting.Status.POLLING:
        return None
    return rule("not_polling", _("There is no open date poll: the date has been set already."))


def is_held(meeting) -> bool:
    """A follow-up meeting that has taken place: marked so (status held), or confirmed and its
    end has passed. It is no longer open: it is not moved or cancelled, and the next follow-up
    poll can be opened (scheduling.poll.open_poll marks it held). The conference's meeting is
    held through the case's lifecycle (its state), not here."""
    if meeting.status == Meeting.Status.HELD:
        return True
    return (
        meeting.is_follow_up
        and meeting.status == Meeting.Status.CONFIRMED
        and meeting.ends_at is not None
        and meeting.ends_at <= timezone.now()
    )


def open_meeting(case):
    """The case's meeting of the purpose its state is about (purpose_for) that is still open
    (polling, or confirmed and not held: is_held), or None."""
    meeting = (
        Meeting.objects.exclude(status__in=(Meeting.Status.CANCELLED, Meeting.Status.HELD))
        .filter(case=case, purpose=purpose_for(case))
        .first()
    )
    if meeting is not None and is_held(meeting):
        return None
    return meeting


def may_open_poll(actor: By, case) -> Refusal | None:
    return first(
        lambda: the_coordinator(actor, case),
        lambda: _poll_case_preparing(case),
        lambda: (
            rule("poll_open", _("This case already has a date poll."))
            if open_meeting(case) is not None
            else None
        ),
    )


def may_see_grid(actor: By, case) -> Refusal | None:
    """The poll and its answers: the case's coordinator (names and availability of the
    participants; the office plans rooms from the calendar, not from the answers)."""
    return the_coordinator(actor, case)


def _change_options(actor: By, meeting) -> Refusal | None:
    return first(
        lambda: the_coordinator(actor, meeting.case),
        lambda: _poll_case_preparing(meeting.case, meeting),
        lambda: _polling(meeting),
    )


def may_add_option(actor: By, meeting) -> Refusal | None:
    return _change_options(actor, meeting)


def may_remove_option(actor: By, option) -> Refusal | None:
    """Until a date is confirmed an option can be taken out (its answers go with it)."""
    return _change_options(actor, option.meeting)


def _answering(participant, meeting) -> Refusal | None:
    return first(
        lambda: _poll_case_preparing(participant.case, meeting),
        lambda: _polling(meeting),
        lambda: (
            None
            if is_taking_part(participant)
            else rule(
                "not_accepted",
                _("Only someone who has said they will take part can say when they can come."),
            )
        ),
        lambda: (
            rule("no_options", _("There are no dates to choose from yet."))
            if not meeting.options.exists()
            else None
        ),
    )


def may_answer_poll(actor: By, participant, meeting=None) -> Refusal | None:
    """The participant in their own portal, for themselves (a minor with their own link; a
    parent does not answer for a minor), while the poll is open and they take part."""
    acting = actor_of(actor)
    if not acting.is_participant or acting.participant.pk != participant.pk:
        return deny("not_self", _("You can only do this for yourself."))
    if meeting is None:
        meeting = open_meeting(participant.case)
    return _answering(participant, meeting)


def may_enter_answers(actor: By, participant, meeting=None) -> Refusal | None:
    """Answers told by telephone, entered by the case's coordinator (marked as such)."""
    if meeting is None:
        meeting = open_meeting(participant.case)
    return first(
        lambda: the_coordinator(actor, participant.case),
        lambda: _answering(participant, meeting),
    )


def may_remind_to_answer(actor: By, meeting) -> Refusal | None:
    """A reminder to those who have not answered; who gets one is scheduling.poll's business
    (at most once a day each, only with an e-mail address)."""
    return first(
        lambda: _change_options(actor, meeting),
        lambda: (
            rule("no_options", _("There are no dates to choose from yet."))
            if not meeting.options.exists()
            else None
        ),
    )


# --- booking, confirming, moving and cancelling (issue 9, points 4, 5 and 7) --------------------
# R8: the case's coordinator makes the meeting happen: they confirm a date of the poll (for the
# conference this moves the case to "scheduled", with preparation's readiness guards; a
# follow-up meeting moves nothing), move the meeting to another time or venue, or cancel it.
# Nobody else, and only in the right state (HELD_IN).


def _the_coordinator(actor: By, meeting) -> Refusal | None:
    return the_coordinator(actor, meeting.case)


def _meeting_is(meeting, status: Meeting.Status) -> Refusal | None:
    if meeting.status == status:
        return None
    if meeting.status == Meeting.Status.HELD:
        return _HELD
    if meeting.status == Meeting.Status.CANCELLED:
        if meeting.is_follow_up:
            return rule("cancelled", _("This follow-up meeting is cancelled."))
        return rule("cancelled", _("This meeting is cancelled."))
    if meeting.status == Meeting.Status.CONFIRMED:
        if meeting.is_follow_up:
            return rule("confirmed", _("The date of this follow-up meeting is already set."))
        return rule("confirmed", _("The date of this meeting is already set."))
    if meeting.is_follow_up:
        return rule("not_confirmed", _("The date of this follow-up meeting is not set yet."))
    return rule("not_confirmed", _("The date of this meeting is not set yet."))


def _option_usable(meeting, option) -> Refusal | None:
    if option is None:
        return None
    if option.meeting_id != meeting.pk:
        return deny("other_meeting", NOT_ALLOWED)
    if option.venue.retired_at is not None:
        return rule("venue_retired", _("This venue is no longer in use. Choose another date."))
    if option.starts_at <= timezone.now():
        return rule("past", _("This date has passed. Choose another date."))
    return None


def may_confirm(actor: By, meeting, option=None) -> Refusal | None:
    """Confirm a date of the poll (with `option`: that date): the case's coordinator, while
    the poll is open and, for the conference, the case is ready to be scheduled (R3–R9 through
    the lifecycle's `schedule` move); for a follow-up meeting, while the case is in follow-up."""
    return _confirm(actor, meeting, option, lambda: _schedulable(meeting))


def confirm_refusals(actor: By, meeting, options) -> dict[int, Refusal | None]:
    """may_confirm of each of `options` (the poll page's rows), by option pk: the same answers,
    with what does not depend on the date, the case's readiness above all, asked once instead
    of once per date (issue 15)."""
    schedulable = cache(lambda: _schedulable(meeting))
    return {option.pk: _confirm(actor, meeting, option, schedulable) for option in options}


def _confirm(actor: By, meeting, option, schedulable) -> Refusal | None:
    return first(
        lambda: _the_coordinator(actor, meeting),
        lambda: _option_usable(meeting, option),
        lambda: _meeting_is(meeting, Meeting.Status.POLLING),
        schedulable,
    )


def _schedulable(meeting) -> Refusal | None:
    """The case may take the step a confirmed date brings: for the conference the lifecycle's
    `schedule` move, its guards reading the circle loaded once (circle.guards.readiness_people)
    instead of once per guard."""
    if meeting.is_follow_up:
        return state_refusal(meeting.case, (PLANNED_IN[meeting.purpose],))
    case = meeting.case
    return lifecycle.refusal(case, "schedule", confirming=meeting, people=readiness_people(case))


_HELD = rule("held", _("This meeting has taken place."))


def _not_held(meeting) -> Refusal | None:
    return _HELD if is_held(meeting) else None


def _scheduled(meeting) -> Refusal | None:
    """The case is in the state in which its confirmed meeting is held (HELD_IN)."""
    return state_refusal(meeting.case, (HELD_IN[meeting.purpose],))


def may_move(actor: By, meeting) -> Refusal | None:
    """Move a confirmed meeting to another time or venue: the case's coordinator, until a
    follow-up meeting has taken place (is_held)."""
    return first(
        lambda: _the_coordinator(actor, meeting),
        lambda: _meeting_is(meeting, Meeting.Status.CONFIRMED),
        lambda: _not_held(meeting),
        lambda: _scheduled(meeting),
    )


def _cancellable(meeting) -> Refusal | None:
    """A confirmed meeting; a follow-up meeting also while its poll is open (cancelling it
    stops the poll: the case can then be closed, scheduling.actions.no_follow_up_meeting_pending)."""
    if meeting.is_follow_up and meeting.status == Meeting.Status.POLLING:
        return None
    return first(
        lambda: _meeting_is(meeting, Meeting.Status.CONFIRMED),
        lambda: _not_held(meeting),
    )


def may_cancel(actor: By, meeting) -> Refusal | None:
    """Cancel a confirmed meeting (the conference's: the case goes back to preparation, or is
    stopped; a follow-up meeting: the case stays in follow-up), or stop the date poll of a
    follow-up meeting: the case's coordinator, until a follow-up meeting has taken place."""
    return first(
        lambda: _the_coordinator(actor, meeting),
        lambda: _cancellable(meeting),
        lambda: _scheduled(meeting),
    )


def stopping_the_poll(actor: By, meeting) -> Refusal | None:
    """Whether the page of an open date poll offers to stop it: may_cancel of a meeting that is
    still polling (only a follow-up meeting's poll can be stopped; the conference's stays until
    a date is confirmed or the case is stopped)."""
    return first(lambda: _polling(meeting), lambda: may_cancel(actor, meeting))


# --- invitations, letters and the meeting on the participant's page (issue 9, points 5, 6) ----
# The case's coordinator prints the letter for a participant who takes part, once the date is
# set. A participant who takes part downloads the meeting's calendar file from their own page.


def _confirmed(meeting) -> Refusal | None:
    if meeting is not None and meeting.status == Meeting.Status.CONFIRMED:
        return None
    return rule("not_confirmed", _("The date of this meeting is not set yet."))


def _taking_part(participant) -> Refusal | None:
    if is_taking_part(participant):
        return None
    return rule("not_taking_part", _("This person does not take part."))


def _same_case(participant, meeting) -> Refusal | None:
    if meeting is None or participant.case_id != meeting.case_id:
        return deny("other_case", NOT_ALLOWED)
    return None


def may_print_meeting_letter(actor: By, participant, meeting) -> Refusal | None:
    """The letter with the date and place for `participant`: the case's coordinator, for
    someone in the meeting's case who takes part, while the date is set, and once a meeting
    with a date is cancelled, the letter that says so."""
    return first(
        lambda: _the_coordinator(actor, meeting),
        lambda: _same_case(participant, meeting),
        lambda: _has_letters(meeting),
        lambda: _taking_part(participant),
    )


def has_letters(meeting: Meeting) -> bool:
    """A meeting with a date has letters: the invitation while it is confirmed, and the news
    that it will not take place once it is cancelled (issue 9, point 7: everyone is told)."""
    return meeting.status == Meeting.Status.CONFIRMED or (
        meeting.status == Meeting.Status.CANCELLED and meeting.starts_at is not None
    )


def _has_letters(meeting) -> Refusal | None:
    if meeting is not None and has_letters(meeting):
        return None
    return rule("not_confirmed", _("The date of this meeting is not set yet."))


def may_download_calendar_file(actor: By, participant, meeting) -> Refusal | None:
    """The meeting's calendar file on the participant's page: the participant themselves, in
    their own portal, while they take part and the date is set."""
    who = actor_of(actor)
    if not who.is_participant or who.participant_id != participant.pk:
        return deny("not_self", NOT_ALLOWED)
    return first(
        lambda: _same_case(participant, meeting),
        lambda: _confirmed(meeting),
        lambda: _taking_part(participant),
    )
