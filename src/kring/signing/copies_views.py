"""The copies of the signed plan, for the coordinator (issue 11, point 4; R14): per signer
whether their copy was e-mailed (queued, sent, failed), downloaded on their personal page or
printed, with "no copy yet" standing out; resend a mail, print a cover letter, record a printed
copy; the sealed PDF itself. The team's manager reads the page; only the coordinator acts.

Each page reads signing.policy; anyone who may not see the case gets a 404 (cases.access),
anyone else who may never do this a 403. Reads are logged; nothing is cached. Contact details
appear on these staff pages and in the letter, never in an address."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST, require_safe

from kring.accounts.models import User
from kring.audit.log import record
from kring.cases.access import case_for
from kring.cases.models import Case
from kring.circle.models import Participant
from kring.core.policy import Refused, enforce, options
from kring.signing import deliveries, documents, policy, queries
from kring.signing.models import Delivery, SignedDocument
from kring.signing.views import access

# While the PDF is being made the page asks again this often (htmx), until it is made.
POLL_SECONDS = 3


def _printed_by(found) -> dict[int, str]:
    """Who printed each signer's latest printed copy, by name: one query for all."""
    latest = {}
    for entry in found:
        printed = [d for d in entry.deliveries if d.channel == Delivery.Channel.PRINT]
        if printed and printed[-1].by_id:
            latest[entry.participant.pk] = printed[-1].by_id
    users = {u.pk: u for u in User.objects.filter(pk__in=set(latest.values()))} if latest else {}
    return {
        pk: (users[by].get_full_name() or users[by].get_username())
        for pk, by in latest.items()
        if by in users
    }


def _document_or_404(case) -> SignedDocument:
    document = queries.document_of(case)
    if document is None:
        raise Http404
    document.case = case
    return document


def _signer_or_404(document: SignedDocument, participant_id: int) -> Participant:
    return get_object_or_404(Participant, pk=participant_id, case_id=document.case_id)


def _signers_copy(request, pk, participant_id) -> tuple[Case, SignedDocument, Participant]:
    """The case (404 unless the user may see it), after the policy allows reading its signing,
    with its signed document and the signer `participant_id` of it (404 when there is none)."""
    case = case_for(request.user, pk)
    enforce(policy.may_read_signing(request.user, case))
    document = _document_or_404(case)
    return case, document, _signer_or_404(document, participant_id)


def _act_on_copy(request, case: Case, act, success: str):
    """Does `act()` (a deliveries action) and says `success`, or the refusal's reason, on the
    copies page it goes back to."""
    try:
        act()
    except Refused as refused:
        messages.error(request, str(refused.reason))
    else:
        messages.success(request, success)
    return redirect("signing:copies", case.pk)


@require_safe
@login_required
@never_cache
def copies(request, pk):
    """Who has their copy and who not yet, with what the coordinator can do about it. While the
    PDF is being made the page says so and asks again by itself (htmx) until it is made."""
    case = case_for(request.user, pk)
    enforce(policy.may_read_signing(request.user, case))
    document = queries.document_of(case)
    rows: list[dict[str, Any]] = []
    if document is not None:
        document.case = case
        if document.status == SignedDocument.Status.MADE:
            found = deliveries.status(document)
            printers = _printed_by(found)
            for entry in found:
                may_print = policy.may_record_printed_copy(
                    request.user, document, entry.participant
                )
                may_resend = policy.may_resend_copy(request.user, document, entry.participant)
                rows.append(
                    {
                        "copy": entry,
                        "may": options(
                            print_letter=may_print,
                            mark_printed=may_print,
                            resend=may_resend,
                        ),
                        "printed_by": printers.get(entry.participant.pk, ""),
                    }
                )
    polling = request.headers.get("HX-Request") == "true"
    if not polling or document is None or document.status != SignedDocument.Status.PENDING:
        record("signing.copies_viewed", actor=request.user, case=case, obj=document or case)
    context = {
        "case": case,
        "document": document,
        "code": documents.grouped(document.code) if document is not None else "",
        "rows": rows,
        "without_copy": sum(1 for row in rows if not row["copy"].has_copy),
        "poll_seconds": POLL_SECONDS,
        "may": options(
            download=policy.may_download_document(request.user, document)
            if document is not None
            else policy.may_read_signing(request.user, case)
        ),
    }
    return render(request, "signing/copies.html", context)


def pdf_filename(document: SignedDocument) -> str:
    """`herstelplan-2026-0042-v2.pdf`: the case's reference and the version, ASCII only."""
    reference = slugify(document.case.reference) or str(document.case_id)
    return f"herstelplan-{reference}-v{document.version.number}.pdf"


@require_safe
@login_required
@never_cache
def document_pdf(request, pk):
    """The sealed PDF, for the coordinator and the team's manager; the read is logged."""
    case = case_for(request.user, pk)
    enforce(policy.may_read_signing(request.user, case))
    document = _document_or_404(case)
    refusal = policy.may_download_document(request.user, document)
    access(refusal)
    if refusal is not None:
        # Not made yet (or it failed): the copies page says so.
        messages.info(request, str(refusal.message))
        return redirect("signing:copies", case.pk)
    data = documents.pdf_bytes(document)
    record("signing.document_read", actor=request.user, case=case, obj=document)
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{pdf_filename(document)}"'
    return response


@require_safe
@login_required
@never_cache
def cover_letter(request, pk, participant_id):
    """The cover letter (a PDF to print) that goes with a signer's printed copy: addressed to
    them, in their language and plain words, with the verification address and the code."""
    case, document, participant = _signers_copy(request, pk, participant_id)
    enforce(policy.may_record_printed_copy(request.user, document, participant))
    from kring.signing import letters  # WeasyPrint loads slowly: only when needed

    record("signing.cover_letter_printed", actor=request.user, case=case, obj=participant)
    response = HttpResponse(
        letters.cover_letter_pdf(document, participant), content_type="application/pdf"
    )
    response["Content-Disposition"] = (
        f'attachment; filename="{letters.cover_letter_filename(participant)}"'
    )
    return response


@require_POST
@login_required
@never_cache
def mark_printed(request, pk, participant_id):
    """The coordinator printed a signer's copy with its letter and gave or posted it."""
    case, document, participant = _signers_copy(request, pk, participant_id)
    return _act_on_copy(
        request,
        case,
        lambda: deliveries.record_printed(document, participant, by=request.user),
        _("Recorded: %(name)s has a printed copy.") % {"name": participant.name},
    )


@require_POST
@login_required
@never_cache
def resend(request, pk, participant_id):
    """A signer's copy by e-mail again."""
    case, document, participant = _signers_copy(request, pk, participant_id)
    return _act_on_copy(
        request,
        case,
        lambda: deliveries.resend(document, participant, by=request.user),
        _("The copy for %(name)s is being sent again.") % {"name": participant.name},
    )
