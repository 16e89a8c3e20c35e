"""Who is in the portal: a personal link exchanged for a session (issue 3, point 7).

The portal session is two keys in the ordinary Django session: the participant and the link
it came from. It never logs anyone in, so staff pages stay closed to it; and a signed-in
staff user never reaches the portal through it (`participant_for` refuses), so the two cannot
mix in one browser. The link is checked on every request: re-issuing or revoking it, or its
expiry, ends every session opened with it.
"""

from django.contrib.auth import logout
from django.utils import timezone

from kring.accounts import sessions
from kring.audit.actors import Actor
from kring.audit.log import record
from kring.circle.models import PersonalLink
from kring.core import ratelimit
from kring.core.models import RateLimitHit

PARTICIPANT_KEY = "portal_participant"
LINK_KEY = "portal_link"
# Set when a portal session times out, so that the next page says the session ended rather than
# that the link does not work (issue 8, point 6). Holds nothing but True: no participant, no
# link; a browser that never had a portal session cannot be told apart from one with a bad link.
ENDED_KEY = "portal_ended"
GUESS_WINDOW_SECONDS = 3600


def start_session(request, link: PersonalLink) -> None:
    """Exchange a live link for a portal session in this browser (a new session key)."""
    if request.user.is_authenticated:
        # A staff login and a portal session never share a browser session.
        record("account.logout", actor=request.user, obj=request.user)
        logout(request)
    else:
        end_session(request)
    request.session.cycle_key()
    request.session[PARTICIPANT_KEY] = link.participant_id
    request.session[LINK_KEY] = link.pk
    sessions.start(request.session)  # the same idle and absolute time-outs as for staff
    now = timezone.now()
    PersonalLink.objects.filter(pk=link.pk).update(last_used_at=now)
    participant = link.participant
    record(
        "portal.entered", actor=Actor.in_portal(participant), case=participant.case, obj=participant
    )


def end_session(request) -> None:
    for key in (PARTICIPANT_KEY, LINK_KEY, ENDED_KEY, sessions.LOGIN_AT, sessions.SEEN_AT):
        request.session.pop(key, None)


def session_ended(request) -> bool:
    """This browser's portal session timed out (and no new one has started since)."""
    return bool(request.session.get(ENDED_KEY)) and not request.user.is_authenticated


def participant_for(request):
    """The participant of this browser's portal session, or None (no session, a staff user,
    a link since revoked or expired, a participant since removed)."""
    if request.user.is_authenticated:
        return None
    participant_id = request.session.get(PARTICIPANT_KEY)
    link_id = request.session.get(LINK_KEY)
    if not participant_id or not link_id:
        return None
    if sessions.expired(request.session):
        # A phone left unlocked: after the idle time-out the link must be opened again.
        end_session(request)
        request.session[ENDED_KEY] = True
        return None
    link = (
        PersonalLink.objects.select_related("participant__case__coordinator")
        .filter(
            pk=link_id,
            participant_id=participant_id,
            revoked_at__isnull=True,
            expires_at__gt=timezone.now(),
        )
        .first()
    )
    if link is None:
        end_session(request)
        return None
    return link.participant


def guess_key(request) -> str:
    return ratelimit.address_key("portal-link", request)


def guessing_throttled(key: str, *, limit: int) -> bool:
    """True while this address has used up its wrong guesses in the current window. Reads
    without counting, so that a right link is refused too while throttled."""
    start = ratelimit.window_start(timezone.now(), GUESS_WINDOW_SECONDS)
    count = (
        RateLimitHit.objects.filter(key=key, window_start=start)
        .values_list("count", flat=True)
        .first()
    )
    return count is not None and count >= limit


def count_wrong_guess(key: str, *, limit: int) -> bool:
    """Count one wrong token; False once the address is over its limit."""
    return ratelimit.hit(key, limit=limit, window_seconds=GUESS_WINDOW_SECONDS)
