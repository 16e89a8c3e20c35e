"""What scheduling registers with the apps below it, called once from SchedulingConfig.ready().
Each part of the app adds its registrations here (guards, timeline labels, task-list steps,
case panels, portal panels, audit labels)."""


def register() -> None:
    _venues_and_calendar()
    _confirming_and_changing()
    _date_poll()
    _invitations()
    _follow_up_meeting()


def _venues_and_calendar() -> None:
    """Issue 9, points 1 and 8: how the access log names the venue changes and calendar reads."""
    from django.utils.translation import gettext_lazy as _

    from kring.audit.labels import add_labels

    add_labels(
        {
            "venue.added": _("Added a venue"),
            "venue.changed": _("Changed a venue"),
            "venue.retired": _("Took a venue out of use"),
            "venue.reinstated": _("Put a venue back in use"),
            "scheduling.calendar_viewed": _("Read the team's calendar of meetings"),
        }
    )


def _confirming_and_changing() -> None:
    """Issue 9, points 4, 5 and 7: the `schedule` move also needs a confirmed date and venue;
    the timeline and the access log name moving and cancelling; the case page shows the
    meeting; "scheduled" has its task-list step."""
    from django.utils.translation import gettext_lazy as _

    from kring.audit.labels import add_labels
    from kring.cases import registry
    from kring.cases.lifecycle import State
    from kring.scheduling import actions, meeting_panel

    registry.add_guards("schedule", actions.has_confirmed_meeting)
    registry.on_case_stopped(actions.end_with_case)
    registry.on_coordinator_accepted(actions.follow_new_coordinator)
    labels = {
        "scheduling.meeting_moved": _("Meeting moved to another time or venue"),
        "scheduling.meeting_cancelled": _("Meeting cancelled"),
        "scheduling.coordinator_not_booked": _(
            "The new coordinator has another meeting at this time: move this meeting"
        ),
        "case.unscheduled": _("Back to preparation: the meeting was cancelled"),
    }
    registry.add_event_labels(labels)
    add_labels({**labels, "scheduling.meeting_viewed": _("Read the meeting of a case")})
    registry.add_case_panel(meeting_panel.case_panel)
    registry.provide_step(State.SCHEDULED, next_step=meeting_panel.NEXT_STEP)


def _date_poll() -> None:
    """Issue 9, point 2: the timeline and the access log name the poll's changes and reads; the
    case page leads the coordinator to the poll; the participant's page asks for answers
    (through kring.portal.registry)."""
    from django.utils.translation import gettext_lazy as _

    from kring.audit.labels import add_labels
    from kring.cases import registry
    from kring.portal import registry as portal_registry
    from kring.scheduling import poll_views, portal_views

    labels = {
        "scheduling.poll_opened": _("Date poll opened"),
        "scheduling.option_added": _("Date proposed in the poll"),
        "scheduling.option_removed": _("Date taken out of the poll"),
        "scheduling.poll_answered": _("Said when they can come"),
        "scheduling.poll_answers_entered": _("Answers to the date poll entered (by telephone)"),
        "scheduling.poll_reminded": _("Reminder to answer the date poll sent"),
    }
    registry.add_event_labels(labels)
    add_labels({**labels, "scheduling.poll_viewed": _("Read the date poll of a case")})
    registry.add_case_panel(poll_views.case_panel)
    portal_registry.add_home_panel(portal_views.home_panel)


def _invitations() -> None:
    """Issue 9, point 5: the participant's page shows the meeting (through kring.portal.registry),
    the case page the letters to print; the access log names the letter and calendar file."""
    from django.utils.translation import gettext_lazy as _

    from kring.audit.labels import add_labels
    from kring.cases import registry
    from kring.portal import registry as portal_registry
    from kring.scheduling import invitation_views, invitations

    add_labels(
        {
            "scheduling.letter_printed": _("Printed the letter with the date of the meeting"),
            "scheduling.calendar_file_downloaded": _("Downloaded the meeting's calendar file"),
        }
    )
    registry.add_case_panel(invitation_views.letters_panel)
    portal_registry.add_home_panel(invitations.portal_panel)


def _follow_up_meeting() -> None:
    """Issue 12, point 4: a follow-up meeting is planned while the case is in follow-up; the
    case is not closed while one is still to come; the timeline names its confirmation."""
    from django.utils.translation import gettext_lazy as _

    from kring.audit.labels import add_labels
    from kring.cases import registry
    from kring.scheduling import actions

    registry.add_guards("close", actions.no_follow_up_meeting_pending)
    labels = {
        "scheduling.follow_up_confirmed": _("Date of the follow-up meeting set"),
        "scheduling.poll_stopped": _("Date poll of the follow-up meeting stopped"),
        "scheduling.meeting_held": _("The follow-up meeting has taken place"),
    }
    registry.add_event_labels(labels)
    add_labels(labels)
