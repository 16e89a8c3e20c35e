"""The two wrappers every portal view wears."""

from functools import wraps

from django.conf import settings
from django.shortcuts import render
from django.urls import reverse
from django.utils import translation
from django.utils.cache import add_never_cache_headers

from kring.accounts import contact
from kring.portal import access

INVALID_TEMPLATE = "portal/invalid.html"
ENDED_TEMPLATE = "portal/ended.html"


def portal_headers(view):
    """No referrer (the address may hold a token) and nothing cached (a shared phone or a
    proxy must not keep a portal page)."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        response["Referrer-Policy"] = "no-referrer"
        add_never_cache_headers(response)  # Cache-Control: max-age=0, no-cache, no-store, ...
        return response

    return wrapper


class _AddressWithoutToken:
    """The request as a template sees it: base.html writes request.get_full_path into the page
    (the language switch's "next"), which on /p/<token>/ would put the token in the page."""

    def __init__(self, request):
        self._request = request

    def __getattr__(self, name):
        return getattr(self._request, name)

    def get_full_path(self, *args, **kwargs):
        return reverse("portal:home")


def render_plain(request, template: str, *, status: int):
    """A page that may answer on /p/<token>/: the token appears nowhere in it. Whoever this is,
    the organisation's contact is shown (a case's coordinator would say whose link it was)."""
    request.portal_contact = contact.organisation()
    return render(request, template, {"request": _AddressWithoutToken(request)}, status=status)


def invalid_link(request):
    """The one page for an unknown, expired or revoked link and for a portal page without a
    session: the same status and the same words for each, so none can be told apart. (A session
    that timed out in this browser gets session_ended instead.)"""
    return render_plain(request, INVALID_TEMPLATE, status=404)


def session_ended(request):
    """The page after a portal session timed out: why, and how to continue. Shown only to the
    browser that had the session; it names no one and says nothing about any link."""
    return render_plain(request, ENDED_TEMPLATE, status=200)


def portal_page(view):
    """A page for the participant of this browser's portal session: `view(request, participant)`.
    Everyone else gets the invalid-link page."""

    @portal_headers
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        participant = access.participant_for(request)
        if participant is None:
            if access.session_ended(request):
                return session_ended(request)
            return invalid_link(request)
        _activate_language(request, participant)
        # The contact block of portal/layout.html: the coordinator, or the organisation.
        request.portal_contact = contact.for_case(participant.case)
        return view(request, participant, *args, **kwargs)

    # Its forms post with `Origin: null` (no-referrer): kring.portal.csrf accepts that for every
    # portal page, also those of later stages (the date poll) outside the portal's namespace.
    wrapper.portal_page = True
    return wrapper


def _activate_language(request, participant) -> None:
    """The participant's preferred language, unless they chose one with the language switch
    (its cookie, which entering the portal sets to the preferred language to begin with)."""
    if settings.LANGUAGE_COOKIE_NAME in request.COOKIES:
        return  # LocaleMiddleware has activated the chosen language already
    translation.activate(participant.language)
    request.LANGUAGE_CODE = participant.language
