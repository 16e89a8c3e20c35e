from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FollowupConfig(AppConfig):
    """Follow-up (R15): the agreements of the signed plan are kept and checked. The coordinator
    keeps a tracker of every agreement; its owner reports one done and anyone in the plan can
    invoke one from their personal page; reminders go out through the task queue; the
    follow-up contact about four weeks after the meeting appears by itself; the case is closed
    with an outcome. It plugs into the case through its registries (docs/architecture.md,
    "Layers")."""

    name = "kring.followup"
    label = "followup"
    verbose_name = _("follow-up")

    def ready(self):
        from kring.followup import registration

        registration.register()
        # What erasure removes (issue 14; docs/data-retention.md).
        from kring.followup import erasure

        erasure.register()
        # What a participant's export holds of this app (issue 14, point 8).
        from kring.cases.registry import add_participant_export
        from kring.followup import export

        add_participant_export(export.participant_export)
