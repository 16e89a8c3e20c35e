from django.conf import settings
from django.core import checks


@checks.register(checks.Tags.security, deploy=False)
def demo_mode_without_debug(app_configs, **kwargs):
    """The demo switch turns the second factor off: never acceptable on a real server."""
    if settings.DEMO_MODE and not settings.DEBUG:
        return [
            checks.Warning(
                "KRING_DEMO_MODE is on while KRING_DEBUG is off: the second factor is switched "
                "off for every user. Use demo mode only for a demonstration.",
                id="kring.W001",
            )
        ]
    return []
