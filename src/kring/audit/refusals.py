"""Refused attempts to open a case: a signed-in user asked for a case that exists but is not
theirs to see (cases.access.case_for answers 404). Logged once per user, case and hour, for
the case's team, so that its manager sees who tried (docs/security.md)."""

from datetime import timedelta

from django.utils import timezone

from kring.audit.labels import ACCESS_REFUSED
from kring.audit.log import record
from kring.audit.models import AuditEvent

ONCE_PER = timedelta(hours=1)


def record_refused_access(user, case) -> None:
    """Append a "case.access_refused" row unless this user was refused this case within the
    last hour. The row commits with the request's own writes: outside a transaction (Kring
    does not use ATOMIC_REQUESTS) it stands even though the response is a 404."""
    if not getattr(user, "is_authenticated", False):
        return
    recent = AuditEvent.objects.filter(
        action=ACCESS_REFUSED,
        actor_id=user.pk,
        case_id=case.pk,
        at__gte=timezone.now() - ONCE_PER,
    )
    if recent.exists():
        return
    # The case's team, so its manager sees it; a request not yet routed to a team has none,
    # and the row then goes to the user's own team (audit.log.record).
    record(ACCESS_REFUSED, actor=user, case=case, obj=case)
