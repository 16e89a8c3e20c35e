"""The audit log: who read or changed which case data, when, from where. Append-only:
database triggers (see the migrations) refuse every UPDATE and DELETE, and on SQLite every
REPLACE and upsert. Tamper-evident: each row carries the hash of its content and of the row
before it, one chain per installation (kring.audit.chain, docs/adr/0012-audit-chain.md)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditEvent(models.Model):
    # The row's place in the chain (1, 2, 3 ...), the hash of the row before it (chain.GENESIS
    # for the first) and its own: sha256 of prev_hash and the row's canonical content.
    seq = models.BigIntegerField(unique=True)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64)
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
        indexes = [
            models.Index(fields=["team_id", "at"], name="audit_team_at"),
            # A participant's own acts, for their export (privacy.export.own_acts: one column
            # OR the other): partial, since most rows are staff's (issue 15, point 4).
            models.Index(
                fields=["actor_participant_id"],
                name="audit_actor_participant",
                condition=models.Q(actor_participant_id__isnull=False),
            ),
            models.Index(
                fields=["for_participant_id"],
                name="audit_for_participant",
                condition=models.Q(for_participant_id__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.action}"


class ChainCheck(models.Model):
    """The result of one walk of the chain by the periodic task (audit.tasks): the manager's
    access log shows the latest, and the next walk starts from the latest that verified."""

    at = models.DateTimeField()
    full = models.BooleanField(default=False)
    ok = models.BooleanField()
    # The head the walk reached and found sound: the next walk checks that it is still there.
    verified_up_to_seq = models.BigIntegerField(null=True, blank=True)
    head_hash = models.CharField(max_length=64, blank=True)
    first_broken_seq = models.BigIntegerField(null=True, blank=True)
    # A code of kring.audit.chain.REASONS: what is wrong at first_broken_seq.
    reason = models.CharField(max_length=20, blank=True)

    class Meta:
        get_latest_by = ("at", "pk")

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {'ok' if self.ok else self.reason}"
