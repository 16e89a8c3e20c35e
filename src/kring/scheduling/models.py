"""Scheduling (R8): the venues of a team, the meeting of a case with its date poll, the bookings
that keep a venue and a coordinator from being double-booked, and the reminders.

Times are stored in UTC (USE_TZ) and shown in Europe/Amsterdam."""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from kring.core.models import ChoiceLabels


class Venue(ChoiceLabels, models.Model):
    """A room where conferences can be held, kept by the office of a team. A venue is retired,
    never deleted: meetings held there keep it."""

    team = models.ForeignKey(
        "accounts.Team", verbose_name=_("team"), on_delete=models.PROTECT, related_name="venues"
    )
    name = models.CharField(_("name"), max_length=200)
    address = models.TextField(_("address"), max_length=500)
    capacity = models.PositiveIntegerField(_("capacity (people)"))
    step_free = models.BooleanField(_("step-free access"), default=False)
    hearing_loop = models.BooleanField(_("hearing loop"), default=False)
    quiet_room = models.BooleanField(_("a quiet room for a break"), default=False)
    parking = models.BooleanField(_("parking"), default=False)
    public_transport = models.BooleanField(_("near public transport"), default=False)
    route = models.TextField(_("how to get there"), max_length=1000, blank=True)
    notes = models.TextField(_("notes"), max_length=2000, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    retired_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = _("venue")
        verbose_name_plural = _("venues")
        indexes = [models.Index(fields=["team", "retired_at"], name="venue_team_retired")]

    def __str__(self) -> str:
        return self.name

    @property
    def is_retired(self) -> bool:
        return self.retired_at is not None


class Meeting(ChoiceLabels, models.Model):
    """A meeting of a case: the conference's (R8), or a follow-up meeting after the plan is
    signed (R15, issue 12 point 4), each with its own date poll. While the poll is open it has
    options; once the coordinator confirms one, it has a time and a venue, and holds bookings
    for both. A change raises `sequence` (the calendar files keep `uid`); a cancellation ends
    it. A follow-up meeting whose time has passed is held (scheduling.policy.is_held); it is
    marked so (status held) when the next poll of the case is opened, so that it no longer
    counts as the case's open meeting."""

    class Status(models.TextChoices):
        POLLING = "polling", pgettext_lazy("meeting", "Finding a date")
        CONFIRMED = "confirmed", pgettext_lazy("meeting", "Date set")
        CANCELLED = "cancelled", pgettext_lazy("meeting", "Cancelled")
        HELD = "held", pgettext_lazy("meeting", "Has taken place")

    class Purpose(models.TextChoices):
        # Which meeting it is; the case's state says which one can be planned now
        # (scheduling.policy.purpose_for).
        CONFERENCE = "conference", pgettext_lazy("meeting", "Conference")
        FOLLOW_UP = "follow_up", pgettext_lazy("meeting", "Follow-up meeting")

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="meetings")
    purpose = models.CharField(max_length=20, choices=Purpose.choices, default=Purpose.CONFERENCE)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.POLLING)
    # iCalendar: one UID per meeting for all its versions; SEQUENCE goes up with every change.
    uid = models.CharField(max_length=100, unique=True, default="", editable=False)
    sequence = models.PositiveIntegerField(default=0)
    starts_at = models.DateTimeField(null=True, blank=True)
    ends_at = models.DateTimeField(null=True, blank=True)
    venue = models.ForeignKey(
        Venue, null=True, blank=True, on_delete=models.PROTECT, related_name="meetings"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    confirmed_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        constraints = [
            # One meeting of a case of each purpose is open (polling or confirmed) at a time.
            models.UniqueConstraint(
                fields=["case", "purpose"],
                # Status.CANCELLED and HELD: the model's names are out of reach in Meta.
                condition=~models.Q(status__in=["cancelled", "held"]),
                name="meeting_one_open_per_case_purpose",
            )
        ]

    def __str__(self) -> str:
        return f"meeting {self.pk} of case {self.case_id}"

    def save(self, *args, **kwargs):
        if not self.uid:
            self.uid = f"{uuid.uuid4()}@kring"
        super().save(*args, **kwargs)

    @property
    def is_follow_up(self) -> bool:
        """A follow-up meeting (its mails, letters and pages say so) rather than the
        conference."""
        return self.purpose == Meeting.Purpose.FOLLOW_UP


class PollOption(models.Model):
    """A date the coordinator proposes: a start, an end and a venue."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="options")
    starts_at = models.DateTimeField(_("start"))
    ends_at = models.DateTimeField(_("end"))
    venue = models.ForeignKey(
        Venue, verbose_name=_("venue"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["starts_at", "pk"]

    def __str__(self) -> str:
        return f"option {self.pk} of meeting {self.meeting_id}"


class Availability(models.TextChoices):
    YES = "yes", _("Yes")
    IF_NEED_BE = "if_need_be", _("If need be")
    NO = "no", _("No")


class PollAnswer(ChoiceLabels, models.Model):
    """A participant's answer to one option: yes, if need be, or no; a blank is no answer.
    Given in the portal, or by telephone and entered by the coordinator (`recorded_by`)."""

    option = models.ForeignKey(PollOption, on_delete=models.CASCADE, related_name="answers")
    participant = models.ForeignKey(
        "circle.Participant", on_delete=models.CASCADE, related_name="poll_answers"
    )
    answer = models.CharField(max_length=20, choices=Availability.choices)
    answered_at = models.DateTimeField()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["option", "participant"], name="pollanswer_one_per_option"
            )
        ]

    def __str__(self) -> str:
        return f"{self.participant_id} {self.option_id} {self.answer}"

    @property
    def by_phone(self) -> bool:
        return self.recorded_by_id is not None


class Booking(models.Model):
    """A time held for a venue or for a coordinator by a confirmed meeting. Two live bookings of
    the same venue, or of the same coordinator, never overlap: the database decides
    (scheduling.booking). A released booking stays as history."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="bookings")
    venue = models.ForeignKey(
        Venue, null=True, blank=True, on_delete=models.PROTECT, related_name="bookings"
    )
    coordinator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="bookings",
    )
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    released_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["starts_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(venue__isnull=False, coordinator__isnull=True)
                    | models.Q(venue__isnull=True, coordinator__isnull=False)
                ),
                name="booking_venue_or_coordinator",
            ),
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")),
                name="booking_ends_after_start",
            ),
        ]
        indexes = [
            models.Index(fields=["venue", "starts_at"], name="booking_venue_start"),
            models.Index(fields=["coordinator", "starts_at"], name="booking_coordinator_start"),
        ]

    def __str__(self) -> str:
        return f"booking {self.pk} of meeting {self.meeting_id}"


class Reminder(models.Model):
    """The intent to remind someone of a meeting, stored before any task runs: to a participant
    two days before, to the coordinator the day before. `sent_at` is set once, by the one
    worker that claims it (scheduling.reminders); a task carries the reminder's id only."""

    class Kind(models.TextChoices):
        PARTICIPANT = "participant", _("Participant, two days before")
        COORDINATOR = "coordinator", _("Coordinator, the day before")
        POLL = "poll", _("Participant, to answer the date poll")

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="reminders")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    participant = models.ForeignKey(
        "circle.Participant",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="reminders",
    )
    # The meeting's sequence the reminder was planned for: a moved meeting plans anew.
    sequence = models.PositiveIntegerField(default=0)
    due_at = models.DateTimeField()
    sent_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["due_at", "pk"]
        indexes = [models.Index(fields=["sent_at", "due_at"], name="reminder_due")]

    def __str__(self) -> str:
        return f"reminder {self.pk} ({self.kind}) of meeting {self.meeting_id}"
