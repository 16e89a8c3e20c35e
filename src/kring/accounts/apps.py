from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "kring.accounts"
    label = "accounts"
    verbose_name = _("accounts")

    def ready(self):
        """How the access log names signing in and the administration of accounts."""
        from kring.accounts import audit_labels
        from kring.audit.labels import add_labels

        add_labels(audit_labels.LABELS, refused=audit_labels.REFUSED)
        # The TOTP secrets are sealed: `kring rotate-keys` re-seals them (docs/adr/0014).
        from kring.core import sealing

        sealing.register("accounts.SealedTOTPDevice", "sealed_key")
