"""Writing the audit log. Every read and change of case data goes through `record`."""

from contextvars import ContextVar

from django.utils import timezone

from kring.audit.models import AuditEvent
from kring.core.net import client_ip

# Set per request by AuditContextMiddleware, so actions need no request to know the address.
_request_ip: ContextVar[str | None] = ContextVar("kring_request_ip", default=None)


def record(action: str, *, actor=None, case=None, obj=None, team_id=None) -> AuditEvent:
    """Append one row: `action` is dotted ("case.view", "case.taken_on")."""
    if team_id is None and case is not None:
        team_id = case.team_id
    if team_id is None and actor is not None and getattr(actor, "is_authenticated", False):
        team_id = actor.team_id
    authenticated = actor is not None and getattr(actor, "is_authenticated", False)
    return AuditEvent.objects.create(
        at=timezone.now(),
        actor=actor if authenticated else None,
        actor_role=actor.role if authenticated else "",
        team_id=team_id,
        case=case,
        action=action,
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        ip=_request_ip.get(),
    )


class AuditContextMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _request_ip.set(client_ip(request))
        try:
            return self.get_response(request)
        finally:
            _request_ip.reset(token)
