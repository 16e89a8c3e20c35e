"""The date poll (R8, issue 9 point 2): every change to it, one function each
(docs/architecture.md "Actions").

The coordinator opens a poll (a Meeting with status polling) and proposes options: a start and
an end, entered in Dutch time, at a venue of the case's team. Each participant who accepted
answers every option (yes, if need be, no) in the portal, or tells the coordinator by phone,
who enters it (the answer is then marked with `recorded_by`). The coordinator can remind those
who have not answered, by e-mail, at most once a day each.

Each function runs in one transaction under the case lock, enforces its policy
(scheduling.policy), writes a timeline event (ids and codes only, never free text) and queues
mail after commit.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from kring.accounts import contact
from kring.accounts.models import User
from kring.audit.actors import By, actor_of
from kring.cases.actions import lock_case, log_event
from kring.cases.models import Case
from kring.circle import links
from kring.circle.models import Participant
from kring.core.policy import Refused, enforce
from kring.notifications.mail import queue_mail
from kring.scheduling import policy
from kring.scheduling.models import Availability, Meeting, PollAnswer, PollOption, Reminder, Venue

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
LONGEST = timedelta(hours=8)  # a conference day, breaks included
FURTHEST = timedelta(days=366)  # no date more than a year ahead
REMIND_EVERY = timedelta(days=1)  # a participant gets at most one reminder a day


def local(day: date, at: time) -> datetime:
    """A date and a time as entered (Dutch time) as an aware datetime; stored as UTC."""
    return datetime.combine(day, at, tzinfo=AMSTERDAM)


def check_option(case: Case, *, starts_at: datetime, ends_at: datetime, venue) -> None:
    """Refuse an option that cannot be held: in the past, ending before it starts, too long,
    too far ahead, or at a venue that is unknown, retired, or of another team."""
    now = timezone.now()
    if venue is None or not isinstance(venue, Venue):
        raise Refused(_("Choose a venue from the list."), code="unknown_venue")
    if venue.team_id != case.team_id:
        raise Refused(
            _("This venue belongs to another team. Choose a venue of this case's team."),
            code="other_team",
        )
    if venue.is_retired:
        raise Refused(
            _("This venue is no longer in use. Choose another venue."), code="retired_venue"
        )
    if starts_at <= now:
        raise Refused(_("This date and time have passed. Choose a later moment."), code="past")
    if ends_at <= starts_at:
        raise Refused(_("The end must be later than the start."), code="end_before_start")
    if ends_at - starts_at > LONGEST:
        raise Refused(_("A meeting lasts at most 8 hours."), code="too_long")
    if starts_at > now + FURTHEST:
        raise Refused(_("Choose a date within a year from now."), code="too_far")


def _locked_meeting(meeting: Meeting) -> Meeting:
    """The meeting's case locked, then the meeting read afresh under that lock."""
    case = lock_case(meeting.case)
    meeting = Meeting.objects.get(pk=meeting.pk)
    meeting.case = case
    return meeting


def open_poll(case: Case, *, by: User) -> Meeting:
    """Start looking for a date: a meeting with status polling, without options yet; the
    conference's while the case is prepared, a follow-up meeting while it is in follow-up
    (policy.purpose_for). A follow-up meeting held before (policy.is_held) is marked held
    first, under the case lock, so that it no longer counts as the open meeting."""
    with transaction.atomic():
        case = lock_case(case)
        enforce(policy.may_open_poll(by, case))
        for earlier in Meeting.objects.filter(
            case=case, purpose=policy.purpose_for(case), status=Meeting.Status.CONFIRMED
        ):
            if policy.is_held(earlier):
                earlier.status = Meeting.Status.HELD
                earlier.save(update_fields=["status"])
                log_event(case, "scheduling.meeting_held", by=by, meeting=earlier.pk)
        meeting = Meeting.objects.create(case=case, created_by=by, purpose=policy.purpose_for(case))
        log_event(case, "scheduling.poll_opened", by=by, meeting=meeting.pk)
    return meeting


def add_option(
    meeting: Meeting, *, starts_at: datetime, ends_at: datetime, venue: Venue | None, by: User
) -> PollOption:
    """Propose a date: a start, an end and a venue of the case's team."""
    with transaction.atomic():
        meeting = _locked_meeting(meeting)
        enforce(policy.may_add_option(by, meeting))
        check_option(meeting.case, starts_at=starts_at, ends_at=ends_at, venue=venue)
        option = PollOption.objects.create(
            meeting=meeting, starts_at=starts_at, ends_at=ends_at, venue=venue
        )
        log_event(
            meeting.case, "scheduling.option_added", by=by, meeting=meeting.pk, option=option.pk
        )
    return option


def remove_option(option: PollOption, *, by: User) -> None:
    """Take a proposed date out of the poll, with its answers, while no date is confirmed."""
    with transaction.atomic():
        meeting = _locked_meeting(option.meeting)
        option = PollOption.objects.get(pk=option.pk, meeting=meeting)
        option.meeting = meeting
        enforce(policy.may_remove_option(by, option))
        removed = option.pk
        option.delete()  # first: the record is the last write (ADR 0012, "Deadlocks")
        log_event(
            meeting.case, "scheduling.option_removed", by=by, meeting=meeting.pk, option=removed
        )


def answer(participant: Participant, option_answers: Mapping[int, str], *, by: By) -> None:
    """A participant's availability for EVERY option of the open poll: given in their portal
    (`by` is the participant) or told by phone and entered by the coordinator (`by` is the
    coordinator; the answers are marked as entered by them). All or nothing: a missing option,
    an unknown answer, or an option of another poll is refused and changes nothing. An answer
    can be changed until a date is confirmed."""
    with transaction.atomic():
        case = lock_case(participant.case)
        participant = Participant.objects.get(pk=participant.pk, case=case)
        participant.case = case
        meeting = policy.open_meeting(case)
        by_staff = not actor_of(by).is_participant
        if by_staff:
            enforce(policy.may_enter_answers(by, participant, meeting))
        else:
            enforce(policy.may_answer_poll(by, participant, meeting))
        options = list(meeting.options.all())
        wanted = {option.pk for option in options}
        given = {int(pk): value for pk, value in option_answers.items()}
        if set(given) - wanted:
            raise Refused(_("These dates are not part of this poll."), code="other_poll")
        for option in options:
            value = given.get(option.pk)
            if value not in Availability.values:
                raise Refused(
                    _("Give an answer for %(option)s.") % {"option": describe(option)},
                    code="missing",
                )
        now = timezone.now()
        recorded_by = actor_of(by).user if by_staff else None
        for option in options:
            PollAnswer.objects.update_or_create(
                option=option,
                participant=participant,
                defaults={
                    "answer": given[option.pk],
                    "answered_at": now,
                    "recorded_by": recorded_by,
                },
            )
        kind = "scheduling.poll_answers_entered" if by_staff else "scheduling.poll_answered"
        log_event(case, kind, by=by, participant=participant.pk, meeting=meeting.pk)


def describe(option: PollOption) -> str:
    """An option as people read it: its date and times in Dutch time (no venue: it may be
    shown to participants in a message)."""
    start = timezone.localtime(option.starts_at, AMSTERDAM)
    end = timezone.localtime(option.ends_at, AMSTERDAM)
    return _("%(day)s, %(start)s to %(end)s") % {
        "day": date_format(start, "l j F Y"),
        "start": start.strftime("%H:%M"),
        "end": end.strftime("%H:%M"),
    }


def waiting_for(meeting: Meeting) -> list[Participant]:
    """The participants who take part (policy.taking_part) and have not answered every option
    yet."""
    options = meeting.options.count()
    people = policy.taking_part(meeting.case_id).order_by("name", "pk")
    answered = {}
    for participant_id in PollAnswer.objects.filter(option__meeting=meeting).values_list(
        "participant_id", flat=True
    ):
        answered[participant_id] = answered.get(participant_id, 0) + 1
    return [p for p in people if answered.get(p.pk, 0) < options]


@dataclass(frozen=True)
class Reminded:
    sent: int  # e-mails queued
    without_email: list[str]  # names of those to call instead
    recently: int  # reminded less than a day ago: not again


def remind_to_answer(meeting: Meeting, *, by: User) -> Reminded:
    """Remind by e-mail everyone who has not answered yet, at most once a day each. The mail
    holds no content (no date, no case): only that the participant can say when they can come,
    and how to reach their page (the link from the invitation, or the code on a letter: the
    personal link itself is not stored in a form that can be sent again)."""
    with transaction.atomic():
        meeting = _locked_meeting(meeting)
        enforce(policy.may_remind_to_answer(by, meeting))
        now = timezone.now()
        recent = set(
            Reminder.objects.filter(
                meeting=meeting, kind=Reminder.Kind.POLL, sent_at__gt=now - REMIND_EVERY
            ).values_list("participant_id", flat=True)
        )
        sent, without_email, recently = 0, [], 0
        for participant in waiting_for(meeting):
            if participant.pk in recent:
                recently += 1
                continue
            if not participant.email:
                without_email.append(participant.name)
                continue
            Reminder.objects.create(
                meeting=meeting,
                kind=Reminder.Kind.POLL,
                participant=participant,
                sequence=meeting.sequence,
                due_at=now,
                sent_at=now,
            )
            queue_mail(
                "scheduling.poll_reminder",
                to=participant.email,
                language=participant.language,
                context={
                    "code_url": links.code_url(),
                    "contact": contact.for_case(meeting.case),
                    "follow_up": meeting.is_follow_up,
                },
            )
            sent += 1
        if sent:
            log_event(
                meeting.case, "scheduling.poll_reminded", by=by, meeting=meeting.pk, count=sent
            )
    return Reminded(sent, without_email, recently)
