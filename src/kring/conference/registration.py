"""What the conference registers with the apps below it, called once from
ConferenceConfig.ready(). Each part of the app adds its registrations in its own function
(guards, timeline labels, task-list steps, case panels, audit labels)."""


def register() -> None:
    _conference_mode()
    _plan()
    _versions_and_lifecycle()
    _second_screen_and_print()


def _conference_mode() -> None:
    """Issue 10, point 1: the `hold` move waits for the meeting's day (R12) and needs both sides
    present (R10); the timeline and the access log name the steps of conference mode (never a
    round's note); the case page leads the coordinator into conference mode, or says on which
    day it opens; "conference held" has its task-list step."""
    from django.utils.translation import gettext_lazy as _

    from kring.audit.labels import add_labels
    from kring.cases import registry
    from kring.cases.lifecycle import State
    from kring.conference import actions, mode_panel, policy

    registry.add_guards("hold", policy.on_its_day, actions.both_sides_present)
    registry.add_event_labels(
        {
            "case.conference_held": _("Conference started"),
            "conference.introductions_done": _("Everyone present was introduced"),
            "conference.round_done": _("Round done"),
            "conference.rounds_done": _("Every round done: the plan may begin"),
        }
    )
    add_labels(
        {
            "conference.opened": _("Began check-in for the conference"),
            "conference.checked_in": _("Marked someone present or not there"),
            "conference.mode_viewed": _("Read conference mode of a case"),
        }
    )
    registry.add_case_panel(mode_panel.case_panel)
    registry.provide_step(State.CONFERENCE_HELD, next_step=mode_panel.NEXT_STEP)


def _plan() -> None:
    """Issue 10, points 2 and 4: the plan and its editing. The timeline says the plan was begun;
    each save is in the access log only (ids and field names, never the text)."""
    from django.utils.translation import gettext_lazy as _

    from kring.audit.labels import add_labels
    from kring.cases import registry

    labels = {"conference.plan_begun": _("Plan begun")}
    registry.add_event_labels(labels)
    add_labels(
        {
            **labels,
            "conference.plan_viewed": _("Read the plan editor of a case"),
            "conference.plan_changed": _("Changed the plan"),
            "conference.idea_added": _("Added an idea to the plan"),
            "conference.idea_changed": _("Changed an idea of the plan"),
            "conference.idea_removed": _("Removed an idea from the plan"),
            "conference.agreement_added": _("Added an agreement to the plan"),
            "conference.agreement_changed": _("Changed an agreement of the plan"),
            "conference.agreement_removed": _("Removed an agreement from the plan"),
            "conference.agreement_moved": _("Moved an agreement in the plan"),
        }
    )


def _versions_and_lifecycle() -> None:
    """Issue 10, points 5 and 6: versions, the informal part, a meeting that did not take place:
    how the timeline and the access log name them, and which version a timeline line is about."""
    from django.utils.translation import gettext_lazy as _

    from kring.audit.labels import add_labels
    from kring.cases import registry
    from kring.conference import presentation_versions

    labels = {
        "conference.plan_finalised": _("Plan made final"),
        "conference.informal_part": _("The informal part began"),
        "conference.not_held": _("The conference did not go on"),
        "scheduling.meeting_not_held": _("Meeting ended: the conference did not go on"),
    }
    registry.add_event_labels(labels)
    add_labels(
        {
            **labels,
            "conference.versions_viewed": _("Read the versions of a plan"),
            "conference.version_viewed": _("Read a version of a plan"),
            "conference.finalise_viewed": _("Read the plan before making it final"),
        }
    )
    registry.add_timeline_details(presentation_versions.timeline_detail)


def _second_screen_and_print() -> None:
    """Issue 10, points 3 and 7: the second screen and the printout; the case page offers the
    printout and the paper form."""
    from django.utils.translation import gettext_lazy as _

    from kring.audit.labels import add_labels
    from kring.cases import registry
    from kring.conference import presentation

    registry.add_case_panel(presentation.case_panel)

    labels = {"conference.marked_on_paper": _("Plan marked as made on paper, typed in afterwards")}
    registry.add_event_labels(labels)
    add_labels(
        {
            **labels,
            "conference.screen_viewed": _("Opened the second screen of a plan"),
            "conference.plan_printed": _("Printed the plan"),
            "conference.paper_form_printed": _("Printed the paper form of a plan"),
        }
    )
