from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SchedulingConfig(AppConfig):
    """Scheduling (R8): venues, a date poll, the booking of a venue and the coordinator, the
    invitations with a calendar file, and the reminders. It plugs into the case and the portal
    through their registries (docs/architecture.md, "Layers")."""

    name = "kring.scheduling"
    label = "scheduling"
    verbose_name = _("scheduling")

    def ready(self):
        from kring.scheduling import registration

        registration.register()
        # What a participant's export holds of this app (issue 14, point 8).
        from kring.cases.registry import add_participant_export
        from kring.scheduling import export

        add_participant_export(export.participant_export)
