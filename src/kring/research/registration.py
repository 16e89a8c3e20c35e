"""What research registers with the apps below it, called once from ResearchConfig.ready().
Each part of the app adds its registrations in its own function."""


def register() -> None:
    _questionnaires()
    _figures()
    _history()


def _questionnaires() -> None:
    """The conference is recorded and the questionnaires go out when the plan is first fully
    signed (signing's hook, in a savepoint; follow-up's closing hook and the hourly task for
    safety); the portal panel; the case panel; the timeline's and the access log's words."""
    from django.utils.translation import gettext_lazy as _

    from kring.audit.labels import add_labels
    from kring.cases import registry
    from kring.followup.closing import add_on_closed
    from kring.portal import registry as portal_registry
    from kring.research import actions, case_views, panel, portal_views, presentation
    from kring.signing.actions import on_fully_signed

    # In a savepoint: a failure in research never undoes a signature (actions.record_after_signing).
    on_fully_signed(actions.record_after_signing)
    add_on_closed(actions.on_closed)
    registry.add_case_panel(panel.case_panel)
    registry.add_event_labels(presentation.EVENT_LABELS)
    registry.add_timeline_details(presentation.timeline_detail)
    portal_registry.add_home_panel(portal_views.home_panel)
    add_labels(
        {
            portal_views.VIEWED: _("Read a questionnaire on the personal page"),
            portal_views.REFUSED: _("Tried to send a questionnaire; nothing was stored"),
            case_views.ON_PAPER_VIEWED: _("Opened the page to type in a questionnaire from paper"),
            case_views.ON_PAPER_REFUSED: _(
                "Tried to type in a questionnaire from paper; nothing was stored"
            ),
        },
        refused=(portal_views.REFUSED, case_views.ON_PAPER_REFUSED),
    )


def _figures() -> None:
    """The figures' summary hears of every change of a case (research.summary); the access
    log's words for the figures pages and exports (helper D)."""
    from django.utils.translation import gettext_lazy as _

    from kring.audit.labels import add_labels
    from kring.cases import registry
    from kring.research import summary, views

    registry.on_case_event(summary.case_changed)

    add_labels(
        {
            views.VIEWED: _("Read the figures"),
            views.EXPORTED: _("Downloaded the figures"),
            views.REMARKS_VIEWED: _("Read what participants wrote in the questionnaires"),
        }
    )


def _history() -> None:
    """The access log's words for the import (helper B)."""
    from django.utils.translation import gettext_lazy as _

    from kring.audit.labels import add_labels
    from kring.research import importing

    add_labels({importing.IMPORTED: _("Imported earlier conferences for the figures")})
