"""`kring check --deploy` about the seal (docs/deployment.md, "The seal"): a warning while no
PKCS#12 file is configured (signed plans would stay unmade: the task refuses to seal), an error
when the configured file cannot be read with its passphrase."""

from __future__ import annotations

from django.conf import settings
from django.core import checks
from django.core.exceptions import ImproperlyConfigured


def seal_configured(app_configs, **kwargs):
    if settings.KRING_SEAL_PKCS12:
        from kring.signing import seal

        try:
            seal.load_signer()
        except (ImproperlyConfigured, OSError, ValueError) as exc:
            return [
                checks.Error(
                    f"The seal (KRING_SEAL_PKCS12) cannot be loaded: {type(exc).__name__}.",
                    hint="Check the file's path and permissions and KRING_SEAL_PASSPHRASE.",
                    id="kring.E002",
                )
            ]
        return []
    if settings.KRING_SEAL_DEMO:
        return []
    return [
        checks.Warning(
            "No seal is configured: signed plans cannot be made into sealed PDFs.",
            hint="Set KRING_SEAL_PKCS12 and KRING_SEAL_PASSPHRASE to the organisation's "
            "certificate (docs/deployment.md, 'The seal').",
            id="kring.W002",
        )
    ]
