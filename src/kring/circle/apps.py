from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CircleConfig(AppConfig):
    name = "kring.circle"
    label = "circle"
    verbose_name = _("circle")

    def ready(self):
        """Preparation plugs into the case (cases/registry.py): the guards of the move to
        "scheduled" (R3–R9), its timeline, its task-list steps, and its part of the case page."""
        from kring.audit.labels import add_labels
        from kring.cases import registry
        from kring.cases.lifecycle import State
        from kring.circle import actions, audit_labels, guards, notices, presentation

        registry.add_guards("schedule", *guards.READY_TO_SCHEDULE)
        registry.add_event_labels(presentation.EVENT_LABELS)
        registry.provide_step(State.ASSIGNED, next_step=presentation.NEXT_STEPS[State.ASSIGNED])
        registry.provide_step(State.PREPARING, next_step=presentation.NEXT_STEPS[State.PREPARING])
        registry.add_timeline_details(presentation.risk_detail)
        registry.set_people(presentation.people)
        registry.add_case_panel(presentation.case_panel)
        registry.on_coordinator_accepted(actions.tell_new_coordinator)
        registry.add_waiting(notices.waiting)
        add_labels(audit_labels.LABELS)  # how the access log names its reads
        # What erasure removes (issue 14; docs/data-retention.md).
        from kring.circle import erasure

        erasure.register()
        from kring.circle import export

        registry.add_participant_export(export.participant_export)  # issue 14, point 8
