"""Kring's error pages: 400, 403 (and the CSRF failure), 404, 429 and 500.

Each is a page in Kring's layout and the visitor's language that says what happened in plain
words, what to do next, and links home; never the exception, a traceback, the URL map or a
setting. Each keeps the security headers (set here too: a failure inside a middleware skips the
middleware further in) and is never cached. On a participant's addresses (PORTAL_PREFIXES) the
page has the participant's layout, sends no referrer, links to their page, and never writes the
address into the page: on /p/<token>/ it holds the token.

Django calls the handlers named in kring.urls (handler400 ...) and CSRF_FAILURE_VIEW (settings);
a view that throttles answers with `too_many_requests`. The 500 page is rendered without the
database, the session or the context processors, since whatever failed may fail again.
"""

import logging
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import REASON_NO_CSRF_COOKIE
from django.shortcuts import render
from django.template import loader
from django.templatetags.static import static
from django.urls import NoReverseMatch, reverse
from django.utils.cache import add_never_cache_headers
from django.utils.html import escape
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.csrf import requires_csrf_token

from kring.core.middleware import CONTENT_SECURITY_POLICY

logger = logging.getLogger(__name__)

# The participant's addresses: the personal link, the short address on a letter, and every page
# of the portal, also those of later stages (/portaal/datum/, /portaal/ondertekenen/ ...).
PORTAL_PREFIXES = ("/p/", "/code/", "/portaal/")


def _in_portal(request: HttpRequest) -> bool:
    return request.path_info.startswith(PORTAL_PREFIXES)


def _home_url(portal: bool) -> str:
    try:
        return reverse("portal:home" if portal else "core:home")
    except NoReverseMatch:
        return "/"


class _SafeAddress:
    """The request as the layout sees it: base.html writes request.get_full_path into the page
    (the language switch goes back there). A participant's address may hold their token, so on
    those the switch goes to their page instead."""

    def __init__(self, request: HttpRequest, home_url: str):
        self._request = request
        self._home_url = home_url

    def __getattr__(self, name: str) -> Any:
        return getattr(self._request, name)

    def get_full_path(self, *args: Any, **kwargs: Any) -> str:
        return self._home_url


def _finish(request: HttpRequest, response: HttpResponse, *, portal: bool) -> HttpResponse:
    add_never_cache_headers(response)  # Cache-Control: no-store, for every visitor
    response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("X-Frame-Options", "DENY")
    if portal:
        response["Referrer-Policy"] = "no-referrer"
    elif isinstance(settings.SECURE_REFERRER_POLICY, str):
        response.headers.setdefault("Referrer-Policy", settings.SECURE_REFERRER_POLICY)
    return response


def _page(request: HttpRequest, template: str, status: int, **context: Any) -> HttpResponse:
    """An error page in Kring's layout (base.html, with the visitor's menu and language switch);
    the failure page if even that cannot be rendered."""
    portal = _in_portal(request)
    home_url = _home_url(portal)
    request_seen = _SafeAddress(request, home_url) if portal else request
    try:
        response = render(
            request,
            template,
            {"request": request_seen, "portal": portal, "home_url": home_url, **context},
            status=status,
        )
    except Exception:  # an error page must not fail in turn: the page that needs nothing
        logger.exception("The %s page could not be rendered", status)
        return _bare(request, status, portal=portal)
    return _finish(request, response, portal=portal)


@requires_csrf_token  # the language switch's form, as Django's own handlers
def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    """400: a body larger than DATA_UPLOAD_MAX_MEMORY_SIZE, more fields than
    DATA_UPLOAD_MAX_NUMBER_FIELDS, a host not allowed, and other requests Django refuses."""
    return _page(request, "400.html", 400)


@requires_csrf_token  # the language switch's form, as Django's own handlers
def permission_denied(request: HttpRequest, exception: Exception) -> HttpResponse:
    """403: an action the policy refuses this actor (kring.core.policy.NotAllowed), a page the
    role may not open. The refusal's reason is for the log, not this page."""
    return _page(request, "403.html", 403)


@requires_csrf_token  # the language switch's form, as Django's own handlers
def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    """404: an address that does not exist, and a case the user may not see (security.md)."""
    return _page(request, "404.html", 404)


@requires_csrf_token
def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """403 for a form posted without a valid CSRF token (CSRF_FAILURE_VIEW): most often a page
    left open too long, or a session that ended. What to do: reload the form and send it again.
    Django's reason is not shown; a missing cookie only adds the advice to allow cookies."""
    return _page(
        request,
        "403_csrf.html",
        403,
        cookie_missing=reason == REASON_NO_CSRF_COOKIE,
        form_url=_same_site_referer(request),
    )


def _same_site_referer(request: HttpRequest) -> str:
    """The page the form was on, when the browser said so and it is Kring's own: as a path."""
    referer = str(request.META.get("HTTP_REFERER", ""))
    try:
        host = request.get_host()
    except Exception:  # DisallowedHost: offer no link
        return ""
    if not referer or not url_has_allowed_host_and_scheme(
        referer, allowed_hosts={host}, require_https=request.is_secure()
    ):
        return ""
    parts = urlsplit(referer)
    if parts.path.startswith(PORTAL_PREFIXES):
        return ""  # never a personal link's address (the portal sends no referrer anyway)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def too_many_requests(request: HttpRequest, *, retry_after: int) -> HttpResponse:
    """429 for a limit that has no page of its own (the request form, the portal's links and
    codes and the verification page keep their own, which say which limit and keep the input):
    wait and try again, and `Retry-After` in seconds."""
    response = _page(request, "429.html", 429)
    response["Retry-After"] = str(retry_after)
    return response


def server_error(request: HttpRequest) -> HttpResponse:
    """500: rendered from 500.html with a context of settings and the language only: no
    database, no session, no user, no context processors."""
    portal = _in_portal(request)
    try:
        stylesheets = [static("kring/kring.css")] + (
            [static("portal/portal.css")] if portal else []
        )
        html = loader.get_template("500.html").render(
            {
                "LANGUAGE_CODE": get_language() or settings.LANGUAGE_CODE,
                "portal": portal,
                "home_url": _home_url(portal),
                "stylesheets": stylesheets,
                "DEMO_MODE": settings.DEMO_MODE,
                "ORGANISATION": settings.KRING_ORGANISATION,
            }
        )
    except Exception:
        logger.exception("The 500 page could not be rendered")
        return _bare(request, 500, portal=portal)
    return _finish(request, HttpResponse(html, status=500), portal=portal)


def _bare(request: HttpRequest, status: int, *, portal: bool) -> HttpResponse:
    """The last resort: a page built from a string, for when no template can be rendered."""
    language = escape(get_language() or settings.LANGUAGE_CODE)
    title = escape(_("Something went wrong"))
    advice = escape(_("Try again in a few minutes."))
    html = (
        f'<!DOCTYPE html><html lang="{language}"><head><meta charset="utf-8">'
        f'<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{title} – Kring</title></head><body>"
        f'<a class="skip-link" href="#main">{escape(_("Skip to main content"))}</a>'
        f'<main id="main"><h1>{title}</h1><p>{advice}</p>'
        f'<p><a href="/">{escape(_("Back to the start page"))}</a></p></main></body></html>'
    )
    return _finish(request, HttpResponse(html, status=status), portal=portal)
