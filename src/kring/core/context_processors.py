from django.conf import settings


def kring(request):
    return {
        "DEMO_MODE": settings.DEMO_MODE,
        "ORGANISATION": settings.KRING_ORGANISATION,
    }
