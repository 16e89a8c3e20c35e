from django.conf import settings

from kring.accounts.nav import nav_items


def _verified(request) -> bool:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return False
    return settings.DEMO_MODE or (hasattr(user, "is_verified") and user.is_verified())


def nav(request):
    # No menu until the second factor is passed: its links would only lead back to it.
    return {"nav_items": nav_items(request) if _verified(request) else []}
