"""The invitations' pages (issue 9, point 5): the coordinator's letter for a participant without
e-mail (a PDF download from the case page's panel "Letters to print"), and the meeting's
calendar file on the participant's own page. Both are GET only and change nothing; both are
read from scheduling.policy and logged as reads."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from kring.audit.actors import Actor
from kring.audit.log import record
from kring.cases.access import case_for
from kring.circle.models import Participant
from kring.core.policy import enforce, options
from kring.portal.decorators import portal_page
from kring.scheduling import ics, invitations, policy
from kring.scheduling.models import Meeting


def letters_panel(case, user) -> tuple[str, dict[str, Any]] | None:
    """On the case page, for the coordinator: who takes part without an e-mail address and so
    needs a printed letter, each with its download."""
    meeting = invitations.meeting_for_letters(case)
    if meeting is None:
        return None
    meeting.case = case
    rows = [
        {
            "participant": participant,
            "may": options(
                print_letter=policy.may_print_meeting_letter(user, participant, meeting)
            ),
        }
        for participant in invitations.letters_needed(meeting)
    ]
    rows = [row for row in rows if row["may"]["print_letter"]]
    if not rows:
        return None
    return "scheduling/_letters_panel.html", {
        "meeting": meeting,
        "cancelled": meeting.status == Meeting.Status.CANCELLED,
        "rows": rows,
    }


@require_safe
@login_required
@never_cache
def letter(request, pk, participant_id):
    """The letter (PDF) with the date and place of meeting `pk` for one participant."""
    case_id = get_object_or_404(Meeting.objects.only("case_id"), pk=pk).case_id
    case = case_for(request.user, case_id)  # 404 for whoever may not see the case
    meeting = Meeting.objects.select_related("venue").get(pk=pk)
    meeting.case = case
    participant = get_object_or_404(Participant, pk=participant_id, case=case)
    enforce(policy.may_print_meeting_letter(request.user, participant, meeting))
    from kring.scheduling import letters  # WeasyPrint loads slowly: only when needed

    record("scheduling.letter_printed", actor=request.user, case=case, obj=participant)
    response = HttpResponse(
        letters.letter_pdf(participant, meeting), content_type="application/pdf"
    )
    response["Content-Disposition"] = (
        f'attachment; filename="{letters.letter_filename(participant, meeting)}"'
    )
    return response


@portal_page
@require_safe
def calendar_file(request, participant, pk):
    """The calendar file of meeting `pk`, for a participant of its case in this portal session
    (anyone else: not found)."""
    meeting = Meeting.objects.select_related("venue").filter(pk=pk).first()
    if policy.may_download_calendar_file(Actor.in_portal(participant), participant, meeting):
        raise Http404
    assert meeting is not None
    record(
        "scheduling.calendar_file_downloaded",
        actor=Actor.in_portal(participant),
        case=participant.case,
        obj=meeting,
    )
    response = HttpResponse(ics.ics_text(meeting), content_type=ics.content_type(meeting))
    response["Content-Disposition"] = f'attachment; filename="{ics.filename(meeting)}"'
    return response
