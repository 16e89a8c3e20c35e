from django.conf import settings

from kring.core.nav import nav_items


def kring(request):
    return {
        "DEMO_MODE": settings.DEMO_MODE,
        "ORGANISATION": settings.KRING_ORGANISATION,
        "nav_items": nav_items(request),
    }
