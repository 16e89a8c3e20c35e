"""What scheduling registers with the apps below it, called once from SchedulingConfig.ready().
Each part of the app adds its registrations here (guards, timeline labels, task-list steps,
case panels, portal panels, audit labels)."""


def register() -> None:
    _venues_and_calendar()


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
