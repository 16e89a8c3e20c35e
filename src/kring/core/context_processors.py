from django.conf import settings

from kring.core.nav import nav_items


def _verified(request) -> bool:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return False
    return settings.DEMO_MODE or (hasattr(user, "is_verified") and user.is_verified())


def kring(request):
    return {
        "DEMO_MODE": settings.DEMO_MODE,
        "ORGANISATION": settings.KRING_ORGANISATION,
        # No menu until the second factor is passed: its links would only lead back to it.
        "nav_items": nav_items(request) if _verified(request) else [],
    }
