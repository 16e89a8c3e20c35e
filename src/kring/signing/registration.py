"""What signing registers with the apps below it, called once from SigningConfig.ready(). Each
part of the app adds its registrations in its own function (guards, timeline labels, task-list
steps, case panels, portal panels, audit labels)."""


def register() -> None:
    _signing()
    _document()
    _staff_pages()
    _portal()


def _signing() -> None:
    """The core (issue 11, points 1 and 2): the `follow_up` move's guard, the timeline labels of
    signing and declining."""


def _document() -> None:
    """The sealed PDF and its verification (issue 11, points 3, 5 and 6)."""


def _staff_pages() -> None:
    """The signing page on the tablet and the copies (issue 11, points 1 and 4): the case panel,
    the task-list step of "conference_held"."""


def _portal() -> None:
    """Remote signing and the copy in the portal (issue 11, points 1 and 4)."""
