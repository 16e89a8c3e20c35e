from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConferenceConfig(AppConfig):
    """The conference and its plan (R10–R13): conference mode on a tablet (check-in, the
    introductions, the rounds in the method's order), the restoration plan written while the
    participants make it, its second screen, its versions and its printout. It plugs into the
    case through its registries (docs/architecture.md, "Layers")."""

    name = "kring.conference"
    label = "conference"
    verbose_name = _("conference")

    def ready(self):
        from kring.conference import registration

        registration.register()
        # What erasure removes (issue 14; docs/data-retention.md).
        from kring.conference import erasure

        erasure.register()
        # What a participant's export holds of this app (issue 14, point 8).
        from kring.cases.registry import add_participant_export
        from kring.conference import export

        add_participant_export(export.participant_export)
