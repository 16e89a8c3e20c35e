"""The privacy app's own records: legal holds and what retention erased (issue 14, point 7;
docs/data-retention.md).

- `LegalHold`: the team's manager stops the erasure of a case (a court, a complaint, the
  police asks the organisation to keep it). At most one active hold per case; a lifted hold
  stays as its history. `reference` is a short reference of the procedure (a court's case
  number), never words about what happened.
- `CaseErasure`: retention erased this case's personal data (kring.privacy.retention): when,
  why (a code), since when it was due, and how many rows the apps' erasers emptied. One per
  case, so that a case is never erased twice and the job skips it.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

REFERENCE_MAX = 100


class LegalHold(models.Model):
    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="legal_holds")
    placed_at = models.DateTimeField()
    placed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    reference = models.CharField(_("reference"), max_length=REFERENCE_MAX, blank=True)
    lifted_at = models.DateTimeField(null=True, blank=True)
    lifted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["placed_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["case"], condition=Q(lifted_at__isnull=True), name="one_active_hold"
            )
        ]

    def __str__(self) -> str:
        return f"hold on case {self.case_id}"

    @property
    def active(self) -> bool:
        return self.lifted_at is None


class ErasureReason(models.TextChoices):
    DECLINED = "declined", _("declined request")
    STOPPED = "stopped", _("stopped case")
    CLOSED = "closed", _("closed case")


class CaseErasure(models.Model):
    case = models.OneToOneField("cases.Case", on_delete=models.CASCADE, related_name="erasure")
    erased_at = models.DateTimeField()
    reason = models.CharField(max_length=10, choices=ErasureReason.choices)
    due_since = models.DateField()
    rows = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["erased_at", "pk"]

    def __str__(self) -> str:
        return f"erasure of case {self.case_id}"
