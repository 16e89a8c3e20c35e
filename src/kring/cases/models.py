"""A case (zaak): one conference, from request to close, and its timeline."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from kring.audit.actors import ActorKind
from kring.cases.lifecycle import State
from kring.core.models import ChoiceLabels


class DeclineReason(models.TextChoices):
    NOT_SUITABLE = "not_suitable", _("A restorative conference is not the right step here")
    NO_HARM = "no_harm", _("There is no one harmed and no one responsible to bring together")
    OUTSIDE_AREA = "outside_area", _("We do not work in this area")
    OTHER_HELP = "other_help", _("Other help fits better")
    DUPLICATE = "duplicate", _("The same situation was already requested")


class StopReason(models.TextChoices):
    # docs/rules.md "Case lifecycle": the reasons a case may end before the conference.
    NO_ACKNOWLEDGMENT = "no_acknowledgment", _("No one responsible acknowledged their part")
    HARMED_DECLINED = "harmed_declined", _("The person harmed declined")
    WITHDRAWAL = "withdrawal", _("Participants withdrew")
    SAFETY = "safety", _("Safety")
    OTHER = "other", _("Other")


class Case(ChoiceLabels, models.Model):
    referral = models.OneToOneField(
        "referrals.Referral", on_delete=models.PROTECT, related_name="case"
    )
    state = models.CharField(
        _("state"), max_length=20, choices=State.choices, default=State.REQUESTED
    )
    state_changed_at = models.DateTimeField(_("since"))
    created_at = models.DateTimeField(auto_now_add=True)
    team = models.ForeignKey(
        "accounts.Team", null=True, blank=True, on_delete=models.PROTECT, related_name="cases"
    )
    # The coordinator who accepted the case (R2); the history is in Assignment.
    coordinator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="coordinated_cases",
    )
    decline_reason = models.CharField(max_length=20, choices=DeclineReason.choices, blank=True)
    # Staff-written, for the requester only (issue 8, point 7): what help fits better. Goes into
    # the decline e-mail as written; never into a log, the timeline or another e-mail.
    decline_note = models.TextField(blank=True, max_length=1000)
    stop_reason = models.CharField(max_length=20, choices=StopReason.choices, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        indexes = [
            models.Index(fields=["state", "created_at"], name="case_state_created"),
            models.Index(fields=["coordinator", "state_changed_at"], name="case_coord_changed"),
            models.Index(fields=["team", "state"], name="case_team_state"),
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def reference(self) -> str:
        return self.referral.reference


class HandBackReason(models.TextChoices):
    TIE = "tie", _("I have a tie with someone in this case")
    CAPACITY = "capacity", _("I do not have time for it")
    ABSENCE = "absence", _("I am ill or away for a longer time")
    OTHER = "other", _("Another reason")


class Assignment(ChoiceLabels, models.Model):
    """One offer of a case to a coordinator, and what became of it (R2)."""

    class Status(models.TextChoices):
        OFFERED = "offered", pgettext_lazy("offer", "Offered")
        ACCEPTED = "accepted", pgettext_lazy("offer", "Accepted")
        HANDED_BACK = "handed_back", pgettext_lazy("offer", "Handed back")
        WITHDRAWN = "withdrawn", pgettext_lazy("offer", "Withdrawn")
        ENDED = "ended", pgettext_lazy("offer", "Ended")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="assignments")
    coordinator = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="assignments"
    )
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.OFFERED)
    offered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    offered_at = models.DateTimeField()
    responded_at = models.DateTimeField(null=True, blank=True)
    # R2: the coordinator's declaration that they have no tie with anyone in the case.
    declared_independent_at = models.DateTimeField(null=True, blank=True)
    hand_back_reason = models.CharField(max_length=20, choices=HandBackReason.choices, blank=True)
    ended_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["offered_at", "pk"]
        constraints = [
            # At most one open offer or acceptance per case.
            models.UniqueConstraint(
                fields=["case"],
                condition=Q(status__in=["offered", "accepted"]),
                name="assignment_one_open_per_case",
            )
        ]
        indexes = [models.Index(fields=["coordinator", "status"], name="assignment_coord_status")]

    def __str__(self) -> str:
        return f"{self.case_id} → {self.coordinator_id} ({self.status})"

    @property
    def is_open(self) -> bool:
        return self.status in {self.Status.OFFERED, self.Status.ACCEPTED}


class CaseEvent(models.Model):
    """One line of a case's timeline: every move, with actor and time. Never free text."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField()
    kind = models.CharField(max_length=60)  # dotted, e.g. "case.taken_on"
    # Who acted (audit.actors): a staff user, a participant (in the portal; a parent or
    # guardian for a minor), the requester, or the system. Never nobody.
    actor_kind = models.CharField(max_length=20, choices=ActorKind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # Participants by id: the case app knows no later app's models (docs/architecture.md).
    actor_participant_id = models.BigIntegerField(null=True, blank=True)
    for_participant_id = models.BigIntegerField(null=True, blank=True)
    via = models.CharField(max_length=20, blank=True)
    from_state = models.CharField(max_length=20, blank=True)
    to_state = models.CharField(max_length=20, blank=True)
    # Codes and ids only (a reason code, a coordinator's id), never what someone wrote.
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["at", "pk"]
        indexes = [models.Index(fields=["case", "at"], name="caseevent_case_at")]

    def __str__(self) -> str:
        return self.kind
