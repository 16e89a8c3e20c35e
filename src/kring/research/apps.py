from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ResearchConfig(AppConfig):
    """The research stage (R16): the questionnaires after the conference, the figures per team
    and period with small numbers suppressed, the historical import, and the figures command.
    It plugs into the case and the portal through their registries (docs/architecture.md,
    "Layers"), and into signing and follow-up through their hooks."""

    name = "kring.research"
    label = "research"
    verbose_name = _("research")

    def ready(self):
        from kring.research import registration

        registration.register()
        # What erasure removes (issue 14; docs/data-retention.md).
        from kring.research import erasure

        erasure.register()
        # What a participant's export holds of this app (issue 14, point 8).
        from kring.cases.registry import add_participant_export
        from kring.research import export

        add_participant_export(export.participant_export)
