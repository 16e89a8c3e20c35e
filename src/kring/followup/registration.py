"""What follow-up registers with the apps below it, called once from FollowupConfig.ready().
Each part of the app adds its registrations in its own function (guards, timeline labels,
task-list steps, case panels, portal panels, notices, audit labels)."""


def register() -> None:
    _core()
    _staff_pages()
    _portal()
    _reminders()
    _closing()


def _core() -> None:
    """The tracker's rows follow every fully signed version (signing's hook); the timeline's
    words; the notices of reports; the task-list step of "following_up"."""
    from django.utils.translation import gettext_lazy as _

    from kring.cases import registry
    from kring.cases.lifecycle import State
    from kring.circle import notices
    from kring.followup import actions, presentation
    from kring.signing.actions import on_fully_signed

    on_fully_signed(actions.sync)
    # A report from the personal page reaches the coordinator at once ("Wacht op jou", a mail).
    notices.add_kinds(
        {
            actions.REPORTED_DONE: _("reported an agreement done: read it on the page Agreements"),
            actions.INVOKED: _(
                "reported that an agreement is not kept: read it on the page Agreements"
            ),
        }
    )
    registry.add_event_labels(presentation.EVENT_LABELS)
    registry.add_timeline_details(presentation.timeline_detail)
    registry.provide_step(State.FOLLOWING_UP, next_step=presentation.NEXT_STEP)


def _staff_pages() -> None:
    """The tracker panel on the case page, the follow-up contact on the task list ("Mijn
    zaken" counts what waits), the access log's words for the reads."""
    from django.utils.translation import gettext_lazy as _

    from kring.audit.labels import add_labels
    from kring.cases import registry
    from kring.followup import overdue_views, panel, views

    registry.add_case_panel(panel.case_panel)
    registry.add_waiting(panel.waiting)
    add_labels(
        {
            views.VIEWED: _("Read the agreements of a case and how they are kept"),
            overdue_views.VIEWED: _("Read the team's agreements past their date"),
        }
    )


def _portal() -> None:
    """The agreements on the participant's personal page (issue 12, point 2): the panel on
    their page and the access log's words for reading them (reports are audited by the
    actions)."""
    from django.utils.translation import gettext_lazy as _

    from kring.audit.labels import add_labels
    from kring.followup import portal_views
    from kring.portal import registry as portal_registry

    portal_registry.add_home_panel(portal_views.home_panel)
    add_labels({portal_views.VIEWED: _("Read the agreements on the personal page")})


def _reminders() -> None:
    """The access log's words for the reminders (none: mails are in the outbox)."""


def _closing() -> None:
    """The closed step, the timeline words of closing (the outcome's label, never the note),
    the closing panel on the case page, the access log's words. The outcome is checked as input
    by closing.close; the `close` move's guards are other stages' (scheduling's), read by
    policy.may_close."""
    from django.utils.translation import gettext_lazy as _

    from kring.audit.labels import add_labels
    from kring.cases import registry
    from kring.cases.lifecycle import State
    from kring.followup import closing, closing_views

    # One text per state: the date the case is kept until is in the closing panel.
    registry.provide_step(
        State.CLOSED,
        next_step=_(
            "Nothing more to do: the case is closed. It is kept until the date under “Closed” "
            "on the case page."
        ),
    )
    registry.add_event_labels({"case.closed": _("Closed with an outcome")})
    registry.add_timeline_details(closing.timeline_detail)
    registry.add_case_panel(closing_views.case_panel)
    add_labels(
        {
            closing_views.CLOSE_VIEWED: _("Opened the page to close a case"),
            closing.CLOSURE_MADE: _("Recorded the outcome of a closed case"),
        }
    )
