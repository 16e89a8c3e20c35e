"""Settings for the test suite: the real settings, with tasks run at once and fast hashing."""

import os

os.environ.setdefault("KRING_SECRET_KEY", "test-secret-key-0123456789abcdefghijklmnopqrstuvwxyz")
os.environ.setdefault("KRING_SECURE", "false")
# A fixed test key (URL-safe base64 of 32 bytes), apart from the secret key.
os.environ.setdefault("KRING_FIELD_KEYS", "dGVzdC1maWVsZC1rZXktMDEyMzQ1Njc4OWFiY2RlZmc=")

from kring.settings import *  # noqa: F403
from kring.settings import HUEY, STORAGES

HUEY = {**HUEY, "immediate": True}
# Argon2 is what production uses; tests hash thousands of times, MD5 keeps them quick.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
# The tests seal with a self-signed demo certificate made in their own KRING_VAR_DIR.
KRING_SEAL_DEMO = True
