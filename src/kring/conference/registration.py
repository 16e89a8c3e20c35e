"""What the conference registers with the apps below it, called once from
ConferenceConfig.ready(). Each part of the app adds its registrations in its own function
(guards, timeline labels, task-list steps, case panels, audit labels)."""


def register() -> None:
    _conference_mode()
    _plan()
    _versions_and_lifecycle()
    _second_screen_and_print()


def _conference_mode() -> None:
    """Issue 10, point 1: the `hold` move needs both sides present (R10)."""
    from kring.cases import registry
    from kring.conference import actions

    registry.add_guards("hold", actions.both_sides_present)


def _plan() -> None:
    """Issue 10, points 2 and 4: the plan and its editing."""


def _versions_and_lifecycle() -> None:
    """Issue 10, points 5 and 6: versions, the informal part, a meeting that did not take place."""


def _second_screen_and_print() -> None:
    """Issue 10, points 3 and 7: the second screen and the printout."""
