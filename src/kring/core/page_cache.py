"""A page that is the same for every anonymous visitor, rendered once per process and language and
then answered from memory with a fresh CSRF token (issue 15; docs/adr/0019-request-form-page-cache.md).

`anonymous_page(request, template_name, context)` answers as `render(request, template_name,
context())` does, byte for byte apart from the CSRF token's value. It answers from a kept copy
only when nothing of the request can change the page's bytes:

- a GET without a query string: the layout's language switch holds `request.get_full_path`;
- an anonymous visitor: the layout shows a signed-in user's menu, name, account and log-out
  links, and the staff-login link only to the anonymous;
- no messages waiting: the layout shows them (and, in showing them, uses them up);
- templates fixed for the life of the process: DEBUG off, and every Django template engine
  reading through the cached loader (Django's default). With DEBUG on, or templates read from
  disk on each render, every request is rendered: a development server never serves a stale
  page. A file changed under the autoreloader, or a setting changed (the tests'
  override_settings), clears the copies.

A copy is kept per template, language and path (`request.path`, with the script prefix). All
else that the page shows is fixed per process: settings (DEMO_MODE, the organisation, the contact
address), URLs, static files' names, the translations, and `context()`, which must depend on
nothing else (the request form's empty form and rows); it is called once per copy.

The CSRF token: the copy is rendered with a placeholder for `csrf_token`, the one value that
every `{% csrf_token %}` of an ordinary render prints (the csrf context processor's lazy token,
read once), and each answer fills in `get_token(request)`: a token of this request's secret,
freshly masked, with the side effects of an ordinary render (the CSRF middleware sets or renews
the cookie and adds Vary: Cookie). A page that reads the request's token itself while it is
rendered (not through `csrf_token`) is answered as rendered and not kept: no visitor's token
ever goes into a copy. The user and the messages are read as the layout reads them,
so the session is touched alike; every header after that is the middleware's, as for any page
(Content-Language, Vary, Cache-Control, the security headers).
"""

import secrets
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib.messages import get_messages
from django.core.signals import setting_changed
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import render
from django.template import engines
from django.template.backends.django import DjangoTemplates
from django.template.loaders.cached import Loader as CachedLoader
from django.utils import translation
from django.utils.autoreload import file_changed

# Copies per process: a few templates in two languages. Past it a page is rendered each time.
MAX_PAGES = 32

# Stands in for the CSRF token in a copy: letters and digits, as a token is, so escaping leaves
# it alone; random per process, so no page can contain it by chance or by a visitor's doing.
_PLACEHOLDER = "csrfplaceholder" + secrets.token_hex(24)

# get_token sets it: the CSRF middleware then sets or renews the cookie.
_COOKIE_NEEDS_UPDATE = "CSRF_COOKIE_NEEDS_UPDATE"

# (template, language, path) -> the page's bytes, split where the token goes.
_pages: dict[tuple[str, str, str], list[bytes]] = {}


def anonymous_page(
    request: HttpRequest, template_name: str, context: Callable[[], dict[str, Any]]
) -> HttpResponse:
    """The page `template_name` with `context()`, from this process's copy when it may be."""
    if not _may_answer_from_copy(request):
        return render(request, template_name, context())
    key = (template_name, translation.get_language() or settings.LANGUAGE_CODE, request.path)
    parts = _pages.get(key)
    if parts is None:
        asked = request.META.pop(_COOKIE_NEEDS_UPDATE, None)
        page = render(request, template_name, {**context(), "csrf_token": _PLACEHOLDER})
        if _COOKIE_NEEDS_UPDATE in request.META:
            # The page read this request's token by another way than csrf_token (a Jinja2
            # csrf_input, a get_token in the context): it is this visitor's page only.
            return page
        if asked is not None:
            request.META[_COOKIE_NEEDS_UPDATE] = asked
        parts = page.content.split(_PLACEHOLDER.encode())
        if len(_pages) < MAX_PAGES:
            _pages[key] = parts
    if len(parts) == 1:
        return HttpResponse(parts[0])  # no form on the page: no token, no CSRF cookie
    return HttpResponse(get_token(request).encode().join(parts))


def _may_answer_from_copy(request: HttpRequest) -> bool:
    # The same reads as the layout's, in its order: the user, then the messages.
    user = getattr(request, "user", None)
    return (
        request.method == "GET"
        and not request.META.get("QUERY_STRING")
        and user is not None
        and not user.is_authenticated
        and not len(get_messages(request))
        and _templates_fixed()
    )


def _templates_fixed() -> bool:
    if settings.DEBUG:
        return False
    return all(
        isinstance(loader, CachedLoader)
        for backend in engines.all()
        if isinstance(backend, DjangoTemplates)
        for loader in backend.engine.template_loaders
    )


def clear(**_: Any) -> None:
    """Forget every copy: a setting or a file may have changed what the pages show."""
    _pages.clear()


setting_changed.connect(clear, dispatch_uid="kring.core.page_cache")
file_changed.connect(clear, dispatch_uid="kring.core.page_cache")
