"""Writing the audit log. Every read and change of case data goes through `record`."""

from collections.abc import Callable
from contextvars import ContextVar
from typing import Any

from django.db import models
from django.http import HttpRequest, HttpResponse

from kring.audit import chain
from kring.audit.actors import Actor, ActorKind
from kring.audit.models import AuditEvent
from kring.core.net import client_ip

# Set per request by AuditContextMiddleware, so actions need no request to know the address.
_request_ip: ContextVar[str | None] = ContextVar("kring_request_ip", default=None)


def record(
    action: str,
    *,
    actor: Any = None,
    case: Any = None,
    obj: models.Model | None = None,
    team_id: int | None = None,
    data: dict[str, Any] | None = None,
) -> AuditEvent:
    """Append one row: `action` is dotted ("case.viewed", "case.taken_on"). `actor` is a staff
    user, an `Actor` (a participant, the requester, the system), or None for a visitor who is
    not signed in (a failed login). `data` holds codes, ids and old and new values of settings,
    never free text, contact details, passwords or secrets.

    The row goes in at the head of the hash chain (kring.audit.chain), in the caller's
    transaction: on PostgreSQL the chain's lock is then held until that transaction ends. So
    every lock and every write that may wait comes before the first record, and the record is
    the last write of a transaction: besides row locks, an insert may wait on a unique or
    exclusion constraint (a booking), and the deferred foreign-key checks at COMMIT take FOR
    KEY SHARE on the rows referred to. Locks that only serialise work are FOR NO KEY UPDATE
    (`select_for_update(no_key=True)`), which lets those checks through
    (docs/adr/0012-audit-chain.md, "Deadlocks")."""
    who = actor if isinstance(actor, Actor) else None
    user = who.user if who is not None else actor
    authenticated = user is not None and getattr(user, "is_authenticated", False)
    if not authenticated:
        user = None
    if team_id is None and case is not None:
        team_id = case.team_id
    if team_id is None and user is not None:
        team_id = user.team_id
    kind = who.kind if who is not None else (ActorKind.STAFF if user is not None else "")
    return chain.append(
        {
            "actor_id": user.pk if user is not None else None,
            "actor_role": user.role if user is not None else "",
            "actor_kind": kind,
            "actor_participant_id": who.participant_id if who is not None else None,
            "for_participant_id": who.for_participant_id if who is not None else None,
            "team_id": team_id,
            "case_id": case.pk if case is not None else None,
            "action": action,
            "object_type": obj._meta.label_lower if obj is not None else "",
            "object_id": str(obj.pk) if obj is not None else "",
            "ip": _request_ip.get(),
            "data": data or {},
        }
    )


class AuditContextMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        token = _request_ip.set(client_ip(request))
        try:
            return self.get_response(request)
        finally:
            _request_ip.reset(token)
