"""What signing holds that erasure removes (issue 14, points 7 and 8; docs/data-retention.md,
"What erasure removes"), and why a participant cannot be erased while a signed plan names them.
Registered with kring.cases.registry from signing/apps.py.

Kept: who signed or declined which version, how and when (the slots), each sealed document's
row (its verification code, SHA-256, size, when sealed, how many signed: the public
verification page still answers for a copy someone kept), and the copies given (channel, when).
Emptied or deleted: the names typed and the drawn signatures, the words beside the tick box, the
browser's address and user agent, the reasons for declining, the sealed PDF itself (its bytes in
the database, or its file in the object store named by `KRING_DOCUMENT_STORAGE`, deleted after
the commit), and the one-time signing codes."""

from __future__ import annotations

import logging
from typing import Any

from django.core.files.storage import storages
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from kring.cases.models import Case
from kring.conference import content
from kring.conference.models import PlanVersion
from kring.core.erasure import blank, scrub
from kring.notifications import outbox
from kring.notifications.models import OutgoingMail
from kring.signing.models import (
    ERASED_STORAGE,
    Declination,
    Delivery,
    Signature,
    SignedDocument,
    SigningCode,
    StoredPdf,
)
from kring.signing.storage import DATABASE

log = logging.getLogger(__name__)

SIGNED_PLAN_NAMES_THEM = _(
    "This person signed the plan, or is named in a signed plan. Their name stays in the signed "
    "plan until the case is erased at the end of its retention period."
)


def _delete_files(files: list[tuple[str, str]]) -> None:
    """After the commit: remove the erased documents' files from their object store. A file
    that cannot be removed is logged by document store and name only (the name is
    `signed/<code>-<attempt>.pdf`: no personal data), for the operator to remove by hand."""
    for where, name in files:
        try:
            storages[where].delete(name)
        except Exception:
            log.exception("could not delete an erased document's file %s from %s", name, where)


def erase_case(case: Case) -> int:
    """Empty the signatures, declinations, sealed PDFs and signing codes of `case`."""
    rows = blank(
        Signature.objects.filter(version__plan__case=case),
        "consent_text",
        "typed_name",
        "drawing",
        "user_agent",
    )
    rows += Signature.objects.filter(version__plan__case=case, remote_address__isnull=False).update(
        remote_address=None
    )
    rows += blank(Declination.objects.filter(version__plan__case=case), "reason")
    deleted, _ = StoredPdf.objects.filter(document__case=case).delete()
    rows += deleted
    elsewhere = SignedDocument.objects.filter(case=case).exclude(name="").exclude(storage=DATABASE)
    files = list(elsewhere.values_list("storage", "name"))
    if files:
        transaction.on_commit(lambda: _delete_files(files))
    rows += (
        SignedDocument.objects.filter(case=case)
        .exclude(storage=ERASED_STORAGE, name="")
        .update(name="", storage=ERASED_STORAGE)
    )
    # The copies still waiting to be sent are never sent; the others' mails are emptied.
    rows += outbox.withdraw(
        OutgoingMail.objects.filter(
            pk__in=Delivery.objects.filter(document__case=case).values("mail")
        )
    )
    deleted, _ = SigningCode.objects.filter(participant__case=case).delete()
    return rows + deleted


def _signed_versions(case_id: int) -> Any:
    return PlanVersion.objects.filter(plan__case_id=case_id).filter(
        Q(signatures__isnull=False) | Q(document__isnull=False)
    )


def erase_participant(participant: Any) -> int:
    """Delete the participant's signing codes, empty their reasons for declining, and take their
    name out of the versions of the plan that nobody signed (a signed one blocks the erasure:
    `blocker`); such a version gets the hash of what it now says."""
    deleted, _ = SigningCode.objects.filter(participant=participant).delete()
    rows = deleted + blank(
        Declination.objects.filter(Q(participant=participant) | Q(declined_by=participant)),
        "reason",
    )
    # The name as stored, read before the circle emptied the row (circle.erasure).
    name = participant.__dict__.get("name") or ""
    if not name:
        return rows
    signed = _signed_versions(participant.case_id).values("pk")
    unsigned = PlanVersion.objects.filter(plan__case_id=participant.case_id).exclude(pk__in=signed)
    for version in unsigned:  # a case has a few versions at most
        scrubbed = scrub(version.content, {name})
        if scrubbed != version.content:
            PlanVersion.objects.filter(pk=version.pk).update(
                content=scrubbed, content_hash=content.content_hash(scrubbed)
            )
            rows += 1
    return rows


def _names_them(value: Any, name: str) -> bool:
    return bool(scrub(value, {name}) != value)


def blocker(participant: Any) -> Any:
    """Why the participant cannot be erased now: they signed a version of the plan (also for a
    minor, or as a minor's parent), or a version that is signed or being sealed names them."""
    if Signature.objects.filter(Q(participant=participant) | Q(signed_by=participant)).exists():
        return SIGNED_PLAN_NAMES_THEM
    name = participant.__dict__.get("name") or ""
    if name and any(
        _names_them(version_content, name)
        for version_content in _signed_versions(participant.case_id).values_list(
            "content", flat=True
        )
    ):
        return SIGNED_PLAN_NAMES_THEM
    return None


def register() -> None:
    from kring.cases import registry

    registry.add_case_eraser(erase_case)
    registry.add_participant_eraser(erase_participant)
    registry.add_erasure_blocker(blocker)
