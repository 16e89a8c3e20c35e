from django.conf import settings
from django.core import checks


@checks.register(checks.Tags.security, deploy=True)
def demo_mode_in_deployment(app_configs, **kwargs):
    """The demo switch turns the second factor off: never acceptable on a real server. The demo
    runs without DEBUG (it shows Kring's error pages), so DEBUG no longer tells the two apart:
    the deploy check, which every installation runs (deployment.md), warns whenever it is on."""
    if settings.DEMO_MODE:
        return [
            checks.Warning(
                "KRING_DEMO_MODE is on: the second factor is switched off for every user. Use "
                "demo mode only for a demonstration.",
                id="kring.W001",
            )
        ]
    return []


@checks.register(checks.Tags.security)
def csrf_middleware_installed(app_configs, **kwargs):
    """Django's security.W003 looks for its own CSRF middleware by name and so warns about
    Kring's subclass (kring.portal.csrf.PortalCsrfViewMiddleware): it is silenced in settings,
    and this check takes its place, accepting Django's class or any subclass of it."""
    from django.middleware.csrf import CsrfViewMiddleware
    from django.utils.module_loading import import_string

    for path in settings.MIDDLEWARE:
        try:
            middleware = import_string(path)
        except ImportError:
            continue  # Django reports a middleware that cannot be imported by itself
        if isinstance(middleware, type) and issubclass(middleware, CsrfViewMiddleware):
            return []
    return [
        checks.Error(
            "No CSRF middleware in MIDDLEWARE: forms would accept posts from other sites.",
            hint="Add kring.portal.csrf.PortalCsrfViewMiddleware (or Django's "
            "django.middleware.csrf.CsrfViewMiddleware) to MIDDLEWARE.",
            id="kring.E001",
        )
    ]
