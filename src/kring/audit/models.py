"""The audit log: who read or changed which case data, when, from where. Append-only:
database triggers (see the migration) refuse every UPDATE and DELETE."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditEvent(models.Model):
    at = models.DateTimeField(_("time"), db_index=True)
    # No database constraints: the log outlives what it points at, and is never cascaded.
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
        verbose_name=_("who"),
    )
    actor_role = models.CharField(max_length=20, blank=True)
    # Who acted (audit.actors): staff, participant, requester or system; empty for a visitor.
    actor_kind = models.CharField(max_length=20, blank=True)
    # A participant acting in the portal, and the minor a parent or guardian acted for (R9).
    actor_participant_id = models.BigIntegerField(null=True, blank=True)
    for_participant_id = models.BigIntegerField(null=True, blank=True)
    team_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    case = models.ForeignKey(
        "cases.Case",
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
        verbose_name=_("case"),
    )
    action = models.CharField(_("what"), max_length=60, db_index=True)  # e.g. "case.viewed"
    object_type = models.CharField(max_length=60, blank=True)
    object_id = models.CharField(max_length=40, blank=True)
    ip = models.GenericIPAddressField(_("address"), null=True, blank=True)
    # Codes, ids, old and new values of settings: never free text, contact details or secrets.
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["team_id", "at"], name="audit_team_at")]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.action}"
