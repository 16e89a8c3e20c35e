"""The pages of a participant's rights (issue 14, point 8; docs/data-retention.md "A person's
rights"): the export's preview and its two downloads (PDF, JSON), the correction of a person's
details, and the erasure's confirm step with, when a signed plan still needs the name, the note
that the person asked.

Views parse input, call one action or read, and redirect. A case the user may not see is a 404
(cases.access); an action the user may never do here is a 403 (privacy.policy). Every page and
download is a read of case data, and audited with ids and the format only. Nothing is cached."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from kring.audit.log import record
from kring.cases.access import case_for
from kring.circle import policy as circle_policy
from kring.circle.models import Participant
from kring.core.forms import posted
from kring.core.policy import Refused, enforce, options
from kring.privacy import export, policy, rights
from kring.privacy.rights_forms import CONTACT_FIELDS, CorrectionForm, EraseForm

FORMATS = {"pdf": "application/pdf", "json": "application/json; charset=utf-8"}


def _participant(request, pk, participant_id):
    case = case_for(request.user, pk)
    participant = get_object_or_404(
        Participant.objects.select_related("supports", "guardian"), pk=participant_id, case=case
    )
    participant.case = case
    return case, participant


def _access(refusal):
    """403 when the actor may never do this here; a rule refusal is returned, for the page."""
    enforce(refusal if refusal is not None and refusal.access else None)
    return refusal


@require_safe
@login_required
@never_cache
def export_preview(request, pk, participant_id):
    """What the export will hold, section by section, with what is left out and why; the
    exporter reviews it before downloading."""
    case, participant = _participant(request, pk, participant_id)
    refusal = _access(policy.may_export_participant(request.user, participant))
    collected = export.collect(participant, language=request.LANGUAGE_CODE) if not refusal else None
    record("privacy.export_viewed", actor=request.user, case=case, obj=participant)
    return render(
        request,
        "privacy/export_preview.html",
        {
            "case": case,
            "participant": participant,
            "export": collected,
            "left_out": export.LEFT_OUT,
            "refusal": refusal,
            "may": options(export_participant=refusal),
        },
    )


@require_safe
@login_required
@never_cache
def export_download(request, pk, participant_id, fmt):
    if fmt not in FORMATS:
        raise Http404
    case, participant = _participant(request, pk, participant_id)
    if _access(policy.may_export_participant(request.user, participant)) is not None:
        # Not possible now (the person is erased): the preview says why.
        return redirect("privacy:export", pk=case.pk, participant_id=participant.pk)
    collected = export.collect(participant)
    body = export.as_pdf(collected) if fmt == "pdf" else export.as_json(collected)
    record("privacy.exported", actor=request.user, case=case, obj=participant, data={"format": fmt})
    response = HttpResponse(body, content_type=FORMATS[fmt])
    response["Content-Disposition"] = f'attachment; filename="{export.filename(participant, fmt)}"'
    response["Cache-Control"] = "no-store"
    return response


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
@never_cache
def erase(request, pk, participant_id):
    """The confirm step: what is erased, what stays, that it cannot be undone. When something
    needs the name (a signed plan), no erase button: the reason, what happens instead, and a
    way to note the request."""
    case, participant = _participant(request, pk, participant_id)
    refusal = _access(policy.may_erase_participant(request.user, participant))
    note = policy.may_note_erasure_request(request.user, participant)
    form = EraseForm(posted(request))
    if request.method == "POST":
        if refusal is not None:
            form.is_valid()
            form.add_error(None, refusal.message)
        elif form.is_valid():
            try:
                rights.erase_participant(participant, by=request.user)
            except Refused as exc:
                form.add_error(None, exc.reason)
            else:
                messages.success(request, _("The details of this person are erased."))
                return redirect("cases:detail", pk=case.pk)
    record("privacy.erasure_viewed", actor=request.user, case=case, obj=participant)
    return render(
        request,
        "privacy/rights_erase.html",
        {
            "case": case,
            "participant": participant,
            "form": form,
            "refusal": refusal,
            "may": options(erase_participant=refusal, note_erasure_request=note),
        },
    )


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
@never_cache
def correct(request, pk, participant_id):
    """Correct a person's name, contact details and language (GDPR article 16). The coordinator
    sees the current values, as on the circle's page for a person's details. The office never
    sees contact details (docs/rules.md "Roles"): they are shown masked, and their fields start
    empty; what the office types replaces a detail, an empty field leaves it as it is."""
    case, participant = _participant(request, pk, participant_id)
    refusal = _access(policy.may_correct_participant(request.user, participant))
    write_only = not circle_policy.sees_everything(request.user, case)
    form = CorrectionForm(posted(request), participant=participant, write_only=write_only)
    if request.method == "POST":
        if refusal is not None:
            form.is_valid()
            form.add_error(None, refusal.message)
        elif form.is_valid():
            try:
                changed = rights.correct_participant(participant, by=request.user, **form.changes())
            except Refused as exc:
                form.add_error(None, exc.reason)
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                text = _("The details are corrected.") if changed else _("Nothing was changed.")
                messages.success(request, text)
                return redirect("cases:detail", pk=case.pk)
    record("privacy.correction_viewed", actor=request.user, case=case, obj=participant)
    return render(
        request,
        "privacy/rights_correct.html",
        {
            "case": case,
            "participant": participant,
            "form": form,
            "write_only": write_only,
            "contact_fields": CONTACT_FIELDS,
            "refusal": refusal,
            "may": options(correct_participant=refusal),
        },
    )


@require_POST
@login_required
def note_request(request, pk, participant_id):
    """The person asked to be erased while a signed plan needs their name: noted, audited."""
    case, participant = _participant(request, pk, participant_id)
    try:
        rights.note_erasure_request(participant, by=request.user)
    except Refused as exc:
        messages.error(request, exc.reason)
        return redirect("privacy:erase", pk=case.pk, participant_id=participant.pk)
    messages.success(
        request,
        _("The request is noted. The name is erased when the time to keep the case is over."),
    )
    return redirect("cases:detail", pk=case.pk)


def case_panel(case, user):
    """On the case page (registered from privacy/apps.py): per participant the links "Export
    data", "Correct details" and "Erase data" (the erasure page, which erases or notes the
    request), each only when its policy allows it; nothing for anyone else."""
    rows = []
    for participant in Participant.objects.filter(case=case).order_by("pk"):
        participant.case = case
        # None asks the database: the panel's queries do not grow with the circle.
        may = options(
            export_participant=policy.may_export_participant(user, participant),
            correct_participant=policy.may_correct_participant(user, participant),
            handle_erasure_request=policy.may_handle_erasure_request(user, participant),
        )
        if any(may.values()):
            rows.append({"participant": participant, "may": may})
    if not rows:
        return None
    return "privacy/rights_case_panel.html", {"case": case, "rows": rows}
