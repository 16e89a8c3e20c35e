from django.conf import settings
from django.utils.cache import add_never_cache_headers

from kring.core import health

# No inline script or style anywhere: every file is served by Kring itself (no CDN).
CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
        "base-uri 'none'",
        "object-src 'none'",
    ]
)


class SecurityHeadersMiddleware:
    """CSP, HSTS (browsers ignore it over plain http), nosniff and a tight Permissions-Policy;
    and no page shown to a signed-in user is kept by a browser or a proxy (Cache-Control:
    no-store), as for the portal. Nor is any error answer, to anyone: an error page, a form sent
    back with what was typed in it (the request form over its limit), a refusal."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        response.setdefault("X-Content-Type-Options", "nosniff")
        response.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
        if settings.SECURE_HSTS_SECONDS:
            preload = "; preload" if settings.SECURE_HSTS_PRELOAD else ""
            response.setdefault(
                "Strict-Transport-Security",
                f"max-age={settings.SECURE_HSTS_SECONDS}; includeSubDomains{preload}",
            )
        user = getattr(request, "user", None)  # set by AuthenticationMiddleware, further in
        if (user is not None and user.is_authenticated) or response.status_code >= 400:
            add_never_cache_headers(response)
        return response


class HealthCheckMiddleware:
    """First in MIDDLEWARE: answers /health/ itself, so that a probe on the machine reaches it
    over plain http and with any Host header. Later middleware would redirect it to https
    (SecurityMiddleware) or refuse its Host with a 400 and an ERROR in the log
    (CommonMiddleware, ALLOWED_HOSTS). Nothing else runs for it: no session, no user."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path_info == health.PATH:
            return health.response(request)
        return self.get_response(request)
