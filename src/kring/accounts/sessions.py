"""Idle and absolute session time-outs, kept as two timestamps in the (server-side) session."""

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

LOGIN_AT = "kring_login_at"
SEEN_AT = "kring_seen_at"
LOGOUT_REASON = "kring_logout_reason"
IDLE = "idle"
ABSOLUTE = "absolute"
# Last activity is written at most this often, so that not every request writes the session.
SEEN_RESOLUTION_SECONDS = 60


def _now() -> int:
    return int(timezone.now().timestamp())


def start(session) -> None:
    now = _now()
    session[LOGIN_AT] = now
    session[SEEN_AT] = now


def expired(session) -> str | None:
    """IDLE or ABSOLUTE when the session has run out; otherwise note the activity, None."""
    now = _now()
    login_at = session.get(LOGIN_AT)
    seen_at = session.get(SEEN_AT)
    if login_at is None or seen_at is None:
        # A session made without the login page (force_login in tests): its clock starts now.
        start(session)
        return None
    if now - login_at >= settings.KRING_SESSION_ABSOLUTE_SECONDS:
        return ABSOLUTE
    if now - seen_at >= settings.KRING_SESSION_IDLE_SECONDS:
        return IDLE
    if now - seen_at >= SEEN_RESOLUTION_SECONDS:
        session[SEEN_AT] = now
    return None


def _duration(seconds: int) -> str:
    if seconds % 3600 == 0:
        hours = seconds // 3600
        return ngettext("%(count)d hour", "%(count)d hours", hours) % {"count": hours}
    minutes = max(1, seconds // 60)
    return ngettext("%(count)d minute", "%(count)d minutes", minutes) % {"count": minutes}


def reason_text(reason: str | None) -> str:
    if reason == IDLE:
        return _("You were logged out after %(duration)s of inactivity. Please log in again.") % {
            "duration": _duration(settings.KRING_SESSION_IDLE_SECONDS)
        }
    if reason == ABSOLUTE:
        return _(
            "You were logged out because you had been logged in for %(duration)s. "
            "Please log in again."
        ) % {"duration": _duration(settings.KRING_SESSION_ABSOLUTE_SECONDS)}
    return ""
