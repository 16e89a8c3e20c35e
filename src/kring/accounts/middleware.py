"""Session time-outs and the mandatory second factor, enforced for every request."""

from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth import logout
from django.shortcuts import redirect
from django.urls import reverse
from django_htmx.http import HttpResponseClientRedirect

from kring.accounts import second_factor, sessions
from kring.audit.log import record


def _redirect(request, url: str):
    if request.method == "GET":
        url = f"{url}?{urlencode({'next': request.get_full_path()})}"
    if request.headers.get("HX-Request") == "true":
        # An htmx swap would put the login page inside the page; send the browser instead.
        return HttpResponseClientRedirect(url)
    return redirect(url)


class SessionTimeoutMiddleware:
    """Idle (KRING_SESSION_IDLE_SECONDS) and absolute (KRING_SESSION_ABSOLUTE_SECONDS)
    time-outs: the session is flushed on the server and the user is told why on the login page."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if user.is_authenticated:
            reason = sessions.expired(request.session)
            if reason:
                record("account.session_expired", actor=user, obj=user)
                logout(request)
                request.session[sessions.LOGOUT_REASON] = reason
                return _redirect(request, reverse("accounts:login"))
        return self.get_response(request)


class SecondFactorMiddleware:
    """A signed-in user who has not yet passed the second factor reaches nothing but the
    setup and verification pages, logout, the language switch and static files."""

    def __init__(self, get_response):
        self.get_response = get_response
        self._open_prefixes: tuple[str, ...] | None = None

    def _open(self, path: str) -> bool:
        if self._open_prefixes is None:
            self._open_prefixes = (
                reverse("accounts:login"),
                reverse("accounts:logout"),
                reverse("accounts:setup"),
                reverse("accounts:verify"),
                reverse("set_language"),
                settings.STATIC_URL,
            )
        return path.startswith(self._open_prefixes)

    def __call__(self, request):
        user = request.user
        if (
            second_factor.required()
            and user.is_authenticated
            and not user.is_verified()
            and not self._open(request.path)
        ):
            name = "accounts:verify" if second_factor.has_totp_device(user) else "accounts:setup"
            return _redirect(request, reverse(name))
        return self.get_response(request)
