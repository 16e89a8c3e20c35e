"""What signing registers with the apps below it, called once from SigningConfig.ready(). Each
part of the app adds its registrations in its own function (guards, timeline labels, task-list
steps, case panels, portal panels, audit labels)."""


def register() -> None:
    _signing()
    _document()
    _staff_pages()
    _portal()


def _signing() -> None:
    """The core (issue 11, points 1 and 2): the `follow_up` move's guard (every slot of the
    version to sign is signed), the notice of a remote declination, the timeline labels of
    signing and declining (which version, never the typed name or the reason), and what follows
    once the plan is signed (the task-list step of "following_up" is follow-up's)."""
    from django.utils.translation import gettext_lazy as _

    from kring.cases import registry
    from kring.circle import notices
    from kring.signing import actions, presentation

    registry.add_guards("follow_up", actions.fully_signed)
    # Declining remotely reaches the coordinator as a notice ("Wacht op jou") and a mail.
    notices.add_kinds(
        {
            actions.DECLINED_TO_SIGN: _(
                "does not sign the plan and said why: read it on the page Signing the plan"
            )
        }
    )
    registry.add_event_labels(
        {
            "signing.signed": _("Signed the plan"),
            "signing.declined": _("Declined to sign the plan"),
            "case.plan_signed": _("Everyone present signed the plan"),
        }
    )
    registry.add_timeline_details(presentation.timeline_detail)


def _document() -> None:
    """The sealed PDF and its verification (issue 11, points 3, 5 and 6)."""
    from django.core import checks
    from django.utils.translation import gettext_lazy as _

    from kring.audit.labels import add_labels
    from kring.signing import seal_checks
    from kring.signing.verify_views import VERIFIED

    add_labels({VERIFIED: _("Checked a signed plan on the verification page")})
    checks.register(seal_checks.seal_configured, checks.Tags.security, deploy=True)


def _staff_pages() -> None:
    """The signing page on the tablet and the copies (issue 11, points 1 and 4): the case panel
    and what the access log calls the reads. The task-list step of "conference_held" is the
    conference's (conference.mode_panel.NEXT_STEP, which ends with everyone signing): the
    registry holds one step per state."""
    from django.utils.translation import gettext_lazy as _

    from kring.audit.labels import add_labels
    from kring.cases import registry
    from kring.signing import panel

    registry.add_case_panel(panel.case_panel)
    add_labels(
        {
            "signing.overview_viewed": _("Read who signed the plan of a case"),
            "signing.sign_page_viewed": _("Opened the plan on the tablet for someone to sign"),
            "signing.decline_page_viewed": _("Opened the page to decline to sign on the tablet"),
            "signing.copies_viewed": _("Read who has a copy of the signed plan"),
            "signing.document_read": _("Downloaded the signed plan (PDF)"),
            "signing.cover_letter_printed": _("Printed the letter with a copy of the signed plan"),
        }
    )


def _portal() -> None:
    """Remote signing and the copy in the portal (issue 11, points 1 and 4): the panel on the
    participant's page, the sealed PDF as a mail attachment fetched when sending, the access
    log's words for the code and the copies."""
    from django.utils.translation import gettext_lazy as _

    from kring.audit.labels import add_labels
    from kring.notifications import attachments
    from kring.portal import registry as portal_registry
    from kring.signing import deliveries, portal_views

    portal_registry.add_home_panel(portal_views.home_panel)
    attachments.add_source(deliveries.SOURCE, deliveries.load_pdf)
    add_labels(
        {
            "signing.code_sent": _("Code to sign the plan sent by e-mail"),
            "signing.code_checked": _("Code to sign the plan typed"),
            "signing.plan_read": _("Read the plan to sign it on the personal page"),
            "signing.copy_sent": _("Copy of the signed plan sent by e-mail"),
            "signing.copy_resent": _("Copy of the signed plan sent by e-mail again"),
            "signing.copy_downloaded": _("Copy of the signed plan downloaded"),
            "signing.copy_printed": _("Copy of the signed plan printed"),
        }
    )
