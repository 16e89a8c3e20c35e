from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SigningConfig(AppConfig):
    """Signing and copies (R14): everyone present at the conference signs the final version of
    the plan, in person on the coordinator's tablet or later through their personal page; the
    signed plan becomes a sealed PDF, every signer gets a copy, and anyone can check a copy on
    the public verification page. It plugs into the case through its registries
    (docs/architecture.md, "Layers")."""

    name = "kring.signing"
    label = "signing"
    verbose_name = _("signing")

    def ready(self):
        from kring.signing import registration

        registration.register()
        # What erasure removes (issue 14; docs/data-retention.md).
        from kring.signing import erasure

        erasure.register()
        # What a participant's export holds of this app (issue 14, point 8).
        from kring.cases.registry import add_participant_export
        from kring.signing import export

        add_participant_export(export.participant_export)
