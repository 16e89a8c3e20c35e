"""Django's CSRF check, able to accept the forms of pages sent with `Referrer-Policy: no-referrer`.

The portal's pages carry that policy (their address may have held a token). Under it, browsers
send a form with `Origin: null` and no Referer, even to the same site (Fetch standard,
"serializing a request origin"), and Django refuses such a request before it looks at the CSRF
token: in a real browser every answer, consent, nomination and withdrawal in the portal failed
with 403 (the test client sends no Origin, so only the browser journey saw it).

So for the views that forms on portal pages post to, `Origin: null` is judged by the CSRF token
alone. A forged cross-site post still fails: it has no token, and the session cookie is
SameSite=Lax. Every other origin, and every other view, is checked exactly as Django does.
"""

from django.middleware.csrf import CsrfViewMiddleware

# Where forms on portal pages post: the portal's own views, the language switch, and any view
# wearing decorators.portal_page (a later stage's page in the portal, such as the date poll).
NULL_ORIGIN_NAMESPACES = frozenset({"portal"})
NULL_ORIGIN_URL_NAMES = frozenset({"set_language"})


class PortalCsrfViewMiddleware(CsrfViewMiddleware):
    def _origin_verified(self, request):
        if request.META.get("HTTP_ORIGIN") == "null" and _posted_from_portal(request):
            return True
        return super()._origin_verified(request)


def _posted_from_portal(request) -> bool:
    match = getattr(request, "resolver_match", None)
    if match is None:
        return False
    return (
        match.namespace in NULL_ORIGIN_NAMESPACES
        or match.url_name in NULL_ORIGIN_URL_NAMES
        # A page of a later stage in the participant's portal (decorators.portal_page).
        or getattr(match.func, "portal_page", False)
    )
