"""Follow-up of the agreements (R15, docs/rules.md).

When a version of the plan is fully signed (signing), every agreement of it becomes a
`TrackedAgreement`: a copy of what the version says (what, who, for whom, by when, how it is
checked) with its follow-up `state`. States describe the agreement, never the person (R15): an
agreement is open, done, partly done, not kept, or changed by mutual consent. "Changed" is never
set by hand: a change goes through a new version of the plan and new signatures (R14); when that
version is signed, the agreement it changes or drops is "changed" and points at the row that
replaces it (`replaced_by`), and a new or changed agreement gets a new open row
(followup.actions.sync).

Every change of state is an `AgreementChange` (when, who, a short note). A participant's
`Report` is their own act from their personal page: the owner reports an agreement done (the
coordinator confirms or asks back), anyone in the plan invokes one (reports that it is not kept,
in their own words); the coordinator answers, and the participant reads the answer.

A `Contact` is the coordinator's follow-up contact with the participants (R15: about four weeks
after the meeting); the first is made when the plan is signed. A `SentReminder` is the proof that
a reminder went out: its `key` is unique, so each reminder is sent once, also when the task runs
twice or a worker restarts (followup.reminders). A `Closure` is the case's end: its outcome, a
short note and the date until which the case is kept (`retain_until`)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from kring.core.models import ChoiceLabels


class AgreementState(models.TextChoices):
    # Words about the agreement, never about a person (R15).
    OPEN = "open", pgettext_lazy("agreement state", "Open")
    DONE = "done", pgettext_lazy("agreement state", "Done")
    PARTLY_DONE = "partly_done", pgettext_lazy("agreement state", "Partly done")
    NOT_KEPT = "not_kept", pgettext_lazy("agreement state", "Not kept")
    CHANGED = "changed", pgettext_lazy("agreement state", "Changed by mutual consent")


# The states in which an agreement still waits to be kept: one past its date is overdue.
STILL_OPEN = (AgreementState.OPEN, AgreementState.PARTLY_DONE)


class TrackedAgreement(ChoiceLabels, models.Model):
    """One agreement of the latest fully signed version of the plan, as that version says it,
    with its follow-up state. `agreement` is the plan's row it came from (it matches a row
    across versions; None once the plan's row is removed); `number` its place in the version."""

    case = models.ForeignKey(
        "cases.Case", on_delete=models.CASCADE, related_name="tracked_agreements"
    )
    version = models.ForeignKey(
        "conference.PlanVersion", on_delete=models.PROTECT, related_name="tracked_agreements"
    )
    agreement = models.ForeignKey(
        "conference.Agreement",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="tracked",
    )
    number = models.PositiveIntegerField()
    what = models.TextField(pgettext_lazy("agreement", "what"), max_length=1000)
    owner = models.ForeignKey(
        "circle.Participant",
        verbose_name=pgettext_lazy("agreement", "who"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    owner_other = models.CharField(
        pgettext_lazy("agreement", "someone else"), max_length=200, blank=True
    )
    for_whom = models.CharField(pgettext_lazy("agreement", "for whom"), max_length=200, blank=True)
    due = models.DateField(pgettext_lazy("agreement", "by when"), null=True, blank=True)
    how_checked = models.TextField(_("how it is checked"), max_length=1000, blank=True)
    prevents_repeat = models.BooleanField(_("prevents a repeat"), default=False)
    state = models.CharField(
        max_length=20, choices=AgreementState.choices, default=AgreementState.OPEN
    )
    state_changed_at = models.DateTimeField(null=True, blank=True)
    # Changed by mutual consent: the row of the version that replaced this one (None: dropped).
    replaced_by = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["number", "pk"]
        verbose_name = _("agreement in follow-up")
        verbose_name_plural = _("agreements in follow-up")
        constraints = [
            # One current row per agreement of the plan: a sync run twice makes nothing twice.
            models.UniqueConstraint(
                fields=["case", "agreement"],
                condition=~models.Q(state="changed"),
                name="tracked_once_per_agreement",
            ),
        ]
        indexes = [
            models.Index(fields=["state", "due"], name="tracked_state_due"),
        ]

    def __str__(self) -> str:
        return f"agreement {self.number} of case {self.case_id} ({self.state})"


class ChangeKind(models.TextChoices):
    STATE = "state", _("state changed")
    REPORTED_DONE = "reported_done", _("reported done")
    INVOKED = "invoked", _("reported not kept")
    ANSWERED = "answered", _("answered")
    CONFIRMED = "confirmed", _("confirmed done")
    ASKED_BACK = "asked_back", _("asked back")
    VERSION = "version", _("changed in a new version of the plan")


class AgreementChange(ChoiceLabels, models.Model):
    """One line of an agreement's history: when, who (a staff user, or a participant from
    their personal page, or Kring itself for a new version), what, and a short note."""

    tracked = models.ForeignKey(TrackedAgreement, on_delete=models.CASCADE, related_name="changes")
    kind = models.CharField(max_length=20, choices=ChangeKind.choices)
    at = models.DateTimeField()
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    by_participant = models.ForeignKey(
        "circle.Participant", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    from_state = models.CharField(max_length=20, choices=AgreementState.choices, blank=True)
    to_state = models.CharField(max_length=20, choices=AgreementState.choices, blank=True)
    note = models.TextField(_("short note"), max_length=500, blank=True)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.kind} of tracked agreement {self.tracked_id}"


class Report(ChoiceLabels, models.Model):
    """A participant's report on an agreement, from their personal page: done (by its owner)
    or not kept (anyone in the plan invokes it), in their own words. The coordinator answers:
    confirms a report of done, asks back, or answers an invocation."""

    class Kind(models.TextChoices):
        DONE = "done", _("reported done")
        NOT_KEPT = "not_kept", _("reported not kept")

    class Outcome(models.TextChoices):
        CONFIRMED = "confirmed", _("confirmed")
        ASKED_BACK = "asked_back", _("asked back")
        ANSWERED = "answered", _("answered")

    case = models.ForeignKey(
        "cases.Case", on_delete=models.CASCADE, related_name="followup_reports"
    )
    tracked = models.ForeignKey(TrackedAgreement, on_delete=models.CASCADE, related_name="reports")
    participant = models.ForeignKey(
        "circle.Participant", on_delete=models.PROTECT, related_name="followup_reports"
    )
    kind = models.CharField(max_length=10, choices=Kind.choices)
    text = models.TextField(_("in your own words"), max_length=2000)
    made_at = models.DateTimeField()
    outcome = models.CharField(max_length=12, choices=Outcome.choices, blank=True)
    answer = models.TextField(_("answer"), max_length=2000, blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # When the reporter first read the answer on their personal page.
    answer_read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["made_at", "pk"]
        indexes = [models.Index(fields=["case", "answered_at"], name="report_case_answered")]

    def __str__(self) -> str:
        return f"report {self.kind} on tracked agreement {self.tracked_id}"


class Contact(models.Model):
    """A follow-up contact of the coordinator with the participants (R15): the first about four
    weeks after the meeting (settings.KRING_FOLLOWUP_CONTACT_DAYS), made when the plan is
    signed; it shows on the coordinator's task list from `due_on` until it is done."""

    case = models.ForeignKey(
        "cases.Case", on_delete=models.CASCADE, related_name="followup_contacts"
    )
    due_on = models.DateField()
    done_at = models.DateTimeField(null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    note = models.TextField(_("short note"), max_length=1000, blank=True)

    class Meta:
        ordering = ["due_on", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["case", "due_on"], name="contact_once_per_day")
        ]
        indexes = [models.Index(fields=["done_at", "due_on"], name="contact_open_due")]

    def __str__(self) -> str:
        return f"contact of case {self.case_id} due {self.due_on}"


class SentReminder(models.Model):
    """Proof that a reminder was sent (followup.reminders): the unique `key` names it (which
    agreement and due date, which coordinator and week, which contact), so that it is sent once.
    The row and its mail are written in one transaction."""

    class Kind(models.TextChoices):
        DUE_SOON = "due_soon", _("an agreement's date is near")
        DIGEST = "digest", _("weekly overview for the coordinator")
        CONTACT = "contact", _("the follow-up contact is due")

    key = models.CharField(max_length=120, unique=True)
    kind = models.CharField(max_length=10, choices=Kind.choices)
    case = models.ForeignKey(
        "cases.Case", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    mail = models.ForeignKey(
        "notifications.OutgoingMail",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    sent_at = models.DateTimeField()

    class Meta:
        ordering = ["sent_at", "pk"]

    def __str__(self) -> str:
        return self.key


class Outcome(models.TextChoices):
    # About the agreements, never about a person (R15).
    ALL_KEPT = "all_kept", _("All agreements kept")
    PARTLY_KEPT = "partly_kept", _("Agreements partly kept")
    NOT_KEPT = "not_kept", _("Agreements not kept")
    OTHER = "other", _("Other")


class Closure(ChoiceLabels, models.Model):
    """The end of a case after follow-up (R15): its outcome, a short closing note, and until when
    the case is kept (settings.KRING_RETENTION_YEARS, per outcome; docs/data-retention.md)."""

    case = models.OneToOneField("cases.Case", on_delete=models.CASCADE, related_name="closure")
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome.choices)
    note = models.TextField(_("closing note"), max_length=1000, blank=True)
    closed_at = models.DateTimeField()
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    retain_until = models.DateField()

    def __str__(self) -> str:
        return f"closure of case {self.case_id} ({self.outcome})"
