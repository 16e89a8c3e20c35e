"""Personal links to the participant portal: only a hash is stored; a link expires and is
revoked when the coordinator issues a new one."""

from django.conf import settings
from django.db import models
from django.db.models import Q


class PersonalLink(models.Model):
    participant = models.ForeignKey(
        "circle.Participant", on_delete=models.CASCADE, related_name="links"
    )
    token_hash = models.CharField(max_length=64, unique=True)  # SHA-256 hex of the token
    issued_at = models.DateTimeField()
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    expires_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            # At most one live link per participant: issuing a new one revokes the old.
            models.UniqueConstraint(
                fields=["participant"],
                condition=Q(revoked_at__isnull=True),
                name="personallink_one_live_per_participant",
            )
        ]

    def __str__(self) -> str:
        return f"link {self.pk} of participant {self.participant_id}"
