"""What research registers with the apps below it, called once from ResearchConfig.ready().
Each part of the app adds its registrations in its own function."""


def register() -> None:
    _questionnaires()
    _figures()
    _history()


def _questionnaires() -> None:
    """The conference is recorded and the questionnaires go out when the plan is first fully
    signed (signing's hook; follow-up's closing hook for safety); the portal panel; the case
    panel; the timeline's and the access log's words (helper C)."""


def _figures() -> None:
    """The access log's words for the figures pages and exports (helper D)."""


def _history() -> None:
    """The access log's words for the import (helper B)."""
