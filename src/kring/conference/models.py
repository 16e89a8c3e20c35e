"""The conference and its plan (R10–R13, docs/rules.md).

A `Conference` is the meeting of a case as it happens: it begins with check-in (`Attendance`:
who is there, and who was expected and did not come), opens (the case moves to
"conference_held"), goes through the introductions and the rounds in the method's order
(`Round`, R10), then the round for whoever wants to put something right; only then can the
`Plan` exist (R12: the action refuses, and a database trigger refuses every other path). The
plan opens with the harmed person's words, gathers `Idea`s and writes `Agreement`s (R11).
Finalising freezes a `PlanVersion` with a hash over its canonical form; a later change makes
the next version (R14). After the plan comes the informal part (R13).

Each editable row has a `revision` that goes up with every save: an edit sent with an older
revision is a conflict to resolve, never a silent overwrite (conference.editing). The plan's
`edit_count` goes up with every change of the plan or its rows, so a version records the
count it froze and the plan is final while no edit came after it."""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from kring.core.models import ChoiceLabels


def new_client_id() -> str:
    """A row's id as the editor's page makes it, for rows made without the page's script."""
    return str(uuid.uuid4())


class NotHeldReason(models.TextChoices):
    """Why a meeting that was planned did not take place."""

    RESPONSIBLE_ABSENT = "responsible_absent", _("The person responsible did not come")
    HARMED_ABSENT = "harmed_absent", _("The person harmed did not come")
    TOO_FEW = "too_few", _("Too few people came")
    SAFETY = "safety", _("It was not safe to go on")
    OTHER = "other", _("Another reason")


class Conference(ChoiceLabels, models.Model):
    """The conference of a confirmed meeting, from check-in to the informal part. A meeting
    has at most one; a case has one per meeting that was held or recorded as not held."""

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="conferences")
    meeting = models.OneToOneField(
        "scheduling.Meeting", on_delete=models.PROTECT, related_name="conference"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    # The conference opened after check-in: the case moved to "conference_held".
    started_at = models.DateTimeField(null=True, blank=True)
    introductions_done_at = models.DateTimeField(null=True, blank=True)
    # The last round, for whoever wants to put something right, is done: the plan may begin.
    rounds_done_at = models.DateTimeField(null=True, blank=True)
    # R13: the informal part after the plan.
    informal_at = models.DateTimeField(null=True, blank=True)
    # The meeting did not take place (instead of started_at).
    not_held_at = models.DateTimeField(null=True, blank=True)
    not_held_reason = models.CharField(
        _("why it did not take place"), max_length=30, choices=NotHeldReason.choices, blank=True
    )
    # Held on paper (no working tablet) and typed in afterwards.
    on_paper = models.BooleanField(_("held on paper, typed in afterwards"), default=False)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("conference")
        verbose_name_plural = _("conferences")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(not_held_at__isnull=True) | models.Q(started_at__isnull=True),
                name="conference_held_or_not",
            ),
            models.CheckConstraint(
                condition=models.Q(rounds_done_at__isnull=True)
                | models.Q(started_at__isnull=False, introductions_done_at__isnull=False),
                name="conference_rounds_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"conference {self.pk} of case {self.case_id}"


class Attendance(models.Model):
    """Check-in: one participant of the case, present or expected and not there. Who is
    present decides who signs the plan (R14) and is counted in the figures."""

    conference = models.ForeignKey(Conference, on_delete=models.CASCADE, related_name="attendance")
    participant = models.ForeignKey(
        "circle.Participant", on_delete=models.PROTECT, related_name="attendance"
    )
    present = models.BooleanField()
    recorded_at = models.DateTimeField()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["conference", "participant"], name="attendance_once_per_conference"
            )
        ]

    def __str__(self) -> str:
        return f"{self.participant_id} {'present' if self.present else 'absent'}"


class Round(models.Model):
    """One person's turn in the rounds (R10): the responsible side first, then the harmed side,
    then everyone else present. `note`: a short note if the coordinator wishes, never a
    transcript; it is never on the second screen, in the plan or in its printout."""

    conference = models.ForeignKey(Conference, on_delete=models.CASCADE, related_name="rounds")
    participant = models.ForeignKey(
        "circle.Participant", on_delete=models.PROTECT, related_name="+"
    )
    position = models.PositiveIntegerField()
    done_at = models.DateTimeField(null=True, blank=True)
    note = models.TextField(_("short note"), max_length=500, blank=True)

    class Meta:
        ordering = ["position", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["conference", "participant"], name="round_once_per_participant"
            )
        ]

    def __str__(self) -> str:
        return f"round {self.position} of conference {self.conference_id}"


class Plan(models.Model):
    """The restoration plan (R11) of a conference. It exists only once the rounds are done
    (R12): conference.actions.begin_plan checks it, and the trigger of migration 0002 refuses
    any other insert."""

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="plans")
    conference = models.OneToOneField(Conference, on_delete=models.PROTECT, related_name="plan")
    good_outcome = models.TextField(_("what would be a good outcome?"), max_length=4000, blank=True)
    good_outcome_by = models.ForeignKey(
        "circle.Participant",
        verbose_name=_("in the words of"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    evaluation_date = models.DateField(_("evaluation date"), null=True, blank=True)
    if_not_kept = models.TextField(
        _("what happens when an agreement is not kept"), max_length=2000, blank=True
    )
    revision = models.PositiveIntegerField(default=1)
    edit_count = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    changed_at = models.DateTimeField(auto_now=True)
    # Who saved the plan's own fields last (a conflict names them; conference.editing).
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("plan")
        verbose_name_plural = _("plans")

    def __str__(self) -> str:
        return f"plan of case {self.case_id}"


class PlanRow(models.Model):
    """What an idea and an agreement share: a place in the plan (`position`, set by each), a
    `revision` that goes up with every save (conference.editing), who changed it last, and the
    editor page's `client_id`."""

    revision = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    # Made by the editor's page (a UUID): a row sent again after a lost answer is not made twice.
    client_id = models.CharField(max_length=36, default=new_client_id)
    changed_at = models.DateTimeField(null=True, blank=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        abstract = True
        ordering = ["position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "client_id"], name="%(class)s_client_id_once")
        ]


class Idea(PlanRow):
    """An idea brought in by someone present (R11), before the agreements are written."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="ideas")
    position = models.PositiveIntegerField()
    text = models.TextField(_("idea"), max_length=1000)
    brought_in_by = models.ForeignKey(
        "circle.Participant",
        verbose_name=_("brought in by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    def __str__(self) -> str:
        return f"idea {self.position} of plan {self.plan_id}"


class Agreement(ChoiceLabels, PlanRow):
    """One agreement (R11): who does what, for whom, by when, how it is checked, and whether
    it prevents a repeat. `who` is a participant, or `who_other` names someone outside the
    circle (a school, a club)."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="agreements")
    position = models.PositiveIntegerField()
    what = models.TextField(pgettext_lazy("agreement", "what"), max_length=1000)
    who = models.ForeignKey(
        "circle.Participant",
        verbose_name=pgettext_lazy("agreement", "who"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    who_other = models.CharField(
        pgettext_lazy("agreement", "someone else"), max_length=200, blank=True
    )
    for_whom = models.CharField(pgettext_lazy("agreement", "for whom"), max_length=200, blank=True)
    by_when = models.DateField(pgettext_lazy("agreement", "by when"), null=True, blank=True)
    how_checked = models.TextField(_("how it is checked"), max_length=1000, blank=True)
    prevents_repeat = models.BooleanField(_("prevents a repeat"), default=False)

    def __str__(self) -> str:
        return f"agreement {self.position} of plan {self.plan_id}"


class PlanVersion(models.Model):
    """A finalised version of the plan (R14): its canonical content and the SHA-256 of it
    (conference.versions). Signatures (the signing stage) are of a version."""

    plan = models.ForeignKey(Plan, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField()
    content = models.JSONField()
    content_hash = models.CharField(max_length=64)
    edit_count = models.PositiveIntegerField()
    finalised_at = models.DateTimeField()
    finalised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["number"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "number"], name="planversion_number_once")
        ]

    def __str__(self) -> str:
        return f"version {self.number} of plan {self.plan_id}"
