"""The one-time code of remote signing (R14, issue 11 point 1): a participant in the portal asks
for a code, gets it by e-mail at the address the coordinator recorded, and types it before the
plan can be signed there. The personal link opens the page; the code shows that whoever holds it
also reads the participant's e-mail.

- `send(participant)`: policy `may_send_signing_code` (which also allows at most
  `HOURLY_LIMIT` codes per participant in an hour, counting their rows). Six digits from `secrets`; only an HMAC-SHA-256
  of it is kept (keyed with a key derived from SECRET_KEY and salted with the row's participant
  and time), valid `KRING_SIGNING_CODE_MINUTES`. The participant's earlier unused codes die. The
  code travels in the mail as its one secret (kring.notifications.secrets: encrypted in the
  outbox, put into the body only when sending); subject and body name no one and no case.
- `check(participant, typed, session)`: a constant-time compare with the participant's latest
  live code; a wrong code counts a try, and the code dies after `KRING_SIGNING_CODE_TRIES`;
  expired and used codes are refused. The right code is used up and the session is verified
  for signing for `VERIFIED_MINUTES` (the session holds the code's id; `verified(...)` asks
  again on every request that it is this participant's code).

Both record an audit row (signing.code_sent, signing.code_checked with ok), never the code."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import timedelta
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from kring.audit.actors import Actor
from kring.audit.log import record
from kring.core.policy import enforce
from kring.notifications.mail import queue_mail
from kring.signing import policy
from kring.signing.models import SigningCode

if TYPE_CHECKING:
    from django.contrib.sessions.backends.base import SessionBase

    from kring.circle.models import Participant

DIGITS = 6
HOURLY_LIMIT = policy.CODES_PER_HOUR  # a rule of the policy (may_send_signing_code)
VERIFIED_MINUTES = 30
SESSION_KEY = "signing_code"


def _key() -> bytes:
    return hashlib.sha256(b"kring-signing-code:" + settings.SECRET_KEY.encode()).digest()


def _digest(code: SigningCode, typed: str) -> str:
    """The HMAC of a code, salted with its row's participant and time of making."""
    salt = f"{code.participant_id}:{code.created_at.timestamp():.6f}:"
    return hmac.new(_key(), (salt + typed).encode(), hashlib.sha256).hexdigest()


def _minutes() -> int:
    return int(getattr(settings, "KRING_SIGNING_CODE_MINUTES", 15))


def _tries() -> int:
    return int(getattr(settings, "KRING_SIGNING_CODE_TRIES", 5))


def send(participant: Participant) -> SigningCode:
    """A new code for `participant`, e-mailed to them after commit (see the module)."""
    from kring.circle.models import Participant

    me = Actor.in_portal(participant)
    with transaction.atomic():
        # One at a time per participant: the policy's count of the last hour cannot be raced
        # past.
        participant = Participant.objects.select_for_update(no_key=True).get(pk=participant.pk)
        enforce(policy.may_send_signing_code(me, participant))
        now = timezone.now()
        SigningCode.objects.filter(participant=participant, used_at__isnull=True).update(
            expires_at=now
        )
        typed = "".join(secrets.choice("0123456789") for _ in range(DIGITS))
        code = SigningCode(
            participant=participant,
            created_at=now,
            expires_at=now + timedelta(minutes=_minutes()),
        )
        code.code_hash = _digest(code, typed)
        code.save()
        queue_mail(
            "signing.code",
            to=participant.email,
            language=participant.language,
            context={"minutes": _minutes()},
            secret_link=typed,
        )
        record("signing.code_sent", actor=me, case=participant.case, obj=participant)
    return code


def check(participant: Participant, typed: str, session: SessionBase) -> bool:
    """True when `typed` is the participant's live code: it is used up and `session` verified
    for signing. A wrong code counts a try; so many tries end the code."""
    me = Actor.in_portal(participant)
    typed = "".join(str(typed or "").split())
    now = timezone.now()
    ok = False
    used: int | None = None
    with transaction.atomic():
        code = (
            SigningCode.objects.select_for_update(no_key=True)
            .filter(
                participant=participant,
                used_at__isnull=True,
                expires_at__gt=now,
                wrong_tries__lt=_tries(),
            )
            .order_by("-created_at", "-pk")
            .first()
        )
        if code is not None:
            if len(typed) == DIGITS and hmac.compare_digest(code.code_hash, _digest(code, typed)):
                SigningCode.objects.filter(pk=code.pk).update(used_at=now)
                ok, used = True, code.pk
            else:
                SigningCode.objects.filter(pk=code.pk).update(wrong_tries=F("wrong_tries") + 1)
        record(
            "signing.code_checked",
            actor=me,
            case=participant.case,
            obj=participant,
            data={"ok": ok},
        )
    if used is not None:
        session[SESSION_KEY] = used
    return ok


def verified(participant: Participant, session: SessionBase) -> bool:
    """This session typed `participant`'s code less than VERIFIED_MINUTES ago. Asked on every
    request: a code of someone else (the session changed hands) never counts."""
    code_id = session.get(SESSION_KEY)
    if not isinstance(code_id, int):
        return False
    since = timezone.now() - timedelta(minutes=VERIFIED_MINUTES)
    return SigningCode.objects.filter(
        pk=code_id, participant=participant, used_at__gt=since
    ).exists()


def has_live_code(participant: Participant) -> bool:
    """A code was sent and can still be typed (the page then shows the field for it)."""
    return SigningCode.objects.filter(
        participant=participant,
        used_at__isnull=True,
        expires_at__gt=timezone.now(),
        wrong_tries__lt=_tries(),
    ).exists()
