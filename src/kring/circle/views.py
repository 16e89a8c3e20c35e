"""The coordinator's pages for preparing the circle (issue 3). Views parse input, call one action
from circle.actions, and redirect; a refusal (Refused.reason) is shown on the form.

Who may see what (DESIGN.md "Roles", R18): the case's coordinator sees and does everything; the
office and the team's manager see the people and their states only (read only: no notes, no
assessments, no acknowledgment details, no contact details); every other role nothing."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from kring.accounts.models import Role
from kring.audit.log import record
from kring.cases.access import case_for
from kring.cases.lifecycle import MoveRefused, State
from kring.circle import actions, forms, guards, information, queries
from kring.circle.actions import Refused
from kring.circle.drawing import circle_drawing
from kring.circle.models import Mode, Nomination, Participant, RiskFlag, Side, Status
from kring.core.forms import posted

FORM_METHODS = ["GET", "HEAD", "POST"]


def _coordinators_case(request, pk):
    """The case, for its own coordinator only: other roles 403, other coordinators 404."""
    if request.user.role != Role.COORDINATOR:
        raise PermissionDenied
    case = case_for(request.user, pk)
    if case.coordinator_id != request.user.pk:
        raise PermissionDenied
    return case


def _participant(request, pk, participant_id):
    case = _coordinators_case(request, pk)
    participant = get_object_or_404(
        Participant.objects.select_related("supports", "guardian"), pk=participant_id, case=case
    )
    participant.case = case
    return case, participant


def _to_overview(case, participant=None):
    anchor = f"#person-{participant.pk}" if participant is not None else ""
    return redirect(case_url(case) + anchor)


def case_url(case):
    return reverse("circle:overview", args=[case.pk])


def _render_form(request, template, case, form, participant=None, **context):
    if participant is not None and request.method != "POST":
        record("circle.viewed", actor=request.user, case=case, obj=participant)
    return render(
        request,
        template,
        {"case": case, "participant": participant, "form": form, **context},
    )


# --- the circle -------------------------------------------------------------------------------


@require_POST
@login_required
def start(request, pk):
    """The coordinator starts the preparation: assigned -> preparing."""
    case = _coordinators_case(request, pk)
    try:
        actions.start_preparation(case, by=request.user)
    except MoveRefused as exc:
        messages.error(request, exc.reason)
        return redirect("cases:detail", pk=case.pk)
    messages.success(
        request,
        _("The preparation has started. Begin with the person responsible (R3)."),
    )
    return redirect("circle:overview", pk=case.pk)


@require_safe
@login_required
@never_cache
def overview(request, pk):
    """The circle of the case: per harmed and responsible person their own circle, everyone's
    state, and for the coordinator the preparation itself (R3-R9, R17)."""
    if request.user.role not in (Role.COORDINATOR, Role.OFFICE, Role.MANAGER):
        raise PermissionDenied
    case = case_for(request.user, pk)
    full = request.user.role == Role.COORDINATOR and case.coordinator_id == request.user.pk
    circle = queries.load_circle(case, full=full)
    context = {
        "case": case,
        "circle": circle,
        "full": full,
        "drawing": _drawing(circle.participants),
        "preparing": case.state == State.PREPARING,
        # R9: a participant may withdraw until the plan is signed.
        "may_withdraw": full and case.state in (State.PREPARING, State.SCHEDULED),
        "can_start": full and case.state == State.ASSIGNED,
    }
    if full:
        context["readiness"] = guards.readiness(case) if case.state == State.PREPARING else None
        context["pending"] = [
            n for n in circle.nominations if n.decision == Nomination.Decision.PENDING
        ]
    record("circle.viewed", actor=request.user, case=case)
    return render(request, "circle/overview.html", context)


def _drawing(participants):
    return circle_drawing(participants)["drawing"]


@require_http_methods(FORM_METHODS)
@login_required
def add(request, pk):
    case = _coordinators_case(request, pk)
    form = forms.ParticipantForm(
        posted(request), case=case, instance=Participant(case=case), initial=_add_initial(request)
    )
    if request.method == "POST" and form.is_valid():
        try:
            participant = actions.add_participant(case, by=request.user, **form.cleaned_data)
        except Refused as exc:
            form.add_error(None, exc.reason)
        else:
            messages.success(
                request, _("%(name)s is added to the circle.") % {"name": participant.name}
            )
            return _to_overview(case, participant)
    return _render_form(request, "circle/participant_form.html", case, form)


def _add_initial(request):
    """ "Add someone to Daan's circle" links pass ?supports=<id>; the form checks the choice."""
    supports = request.GET.get("supports", "")
    return {"side": Side.SUPPORTER, "supports": supports} if supports.isdigit() else {}


@require_http_methods(FORM_METHODS)
@login_required
def edit(request, pk, participant_id):
    case, participant = _participant(request, pk, participant_id)
    form = forms.ParticipantForm(posted(request), case=case, instance=participant)
    if request.method == "POST" and form.is_valid():
        try:
            actions.update_participant(participant, by=request.user, **form.cleaned_data)
        except Refused as exc:
            form.add_error(None, exc.reason)
        else:
            messages.success(
                request, _("The details of %(name)s are saved.") % {"name": participant.name}
            )
            return _to_overview(case, participant)
    return _render_form(request, "circle/participant_form.html", case, form, participant)


@require_http_methods(FORM_METHODS)
@login_required
def conversation(request, pk, participant_id):
    """R7: a preparatory conversation, with short notes only the coordinator sees."""
    case, participant = _participant(request, pk, participant_id)
    form = forms.ConversationForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            actions.record_conversation(participant, by=request.user, **form.cleaned_data)
        except Refused as exc:
            form.add_error(None, exc.reason)
        else:
            messages.success(
                request,
                _("The conversation with %(name)s is recorded.") % {"name": participant.name},
            )
            return _to_overview(case, participant)
    return _render_form(request, "circle/conversation.html", case, form, participant)


@require_http_methods(FORM_METHODS)
@login_required
def acknowledgment(request, pk, participant_id):
    """R3: whether a responsible person acknowledges their part."""
    case, participant = _participant(request, pk, participant_id)
    form = forms.AcknowledgmentForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            actions.record_acknowledgment(participant, by=request.user, **form.cleaned_data)
        except Refused as exc:
            form.add_error(None, exc.reason)
        else:
            if form.cleaned_data["acknowledges"]:
                text = _("%(name)s acknowledges their part: they can now be invited (R3, R4).")
            else:
                text = _(
                    "%(name)s does not acknowledge their part and cannot take part (R5). If no "
                    "one responsible acknowledges, the case can be stopped."
                )
            messages.success(request, text % {"name": participant.name})
            return _to_overview(case, participant)
    return _render_form(
        request,
        "circle/acknowledgment.html",
        case,
        form,
        participant,
        wrong_side=participant.side != Side.RESPONSIBLE,
    )


@require_http_methods(FORM_METHODS)
@login_required
@never_cache
def invite(request, pk, participant_id):
    """Invite by e-mail, or print the letter (a PDF download with the personal link)."""
    case, participant = _participant(request, pk, participant_id)
    form = forms.InviteForm(posted(request), participant=participant)
    if request.method == "POST" and form.is_valid():
        channel = form.cleaned_data["channel"]
        try:
            sent = actions.invite(participant, channel=channel, by=request.user)
        except Refused as exc:
            form.add_error(None, exc.reason)
        else:
            if channel == "letter":
                return _letter(participant, sent.token)
            messages.success(
                request,
                _("The invitation is sent to %(name)s by e-mail.") % {"name": participant.name},
            )
            return _to_overview(case, participant)
    return _render_form(
        request,
        "circle/invite.html",
        case,
        form,
        participant,
        refusal=guards.may_be_invited(participant),
    )


def _letter(participant, token):
    """The printed invitation, downloaded once: it carries the personal link."""
    from kring.circle.letters import letter_pdf  # noqa: PLC0415 (WeasyPrint loads slowly)

    response = HttpResponse(letter_pdf(participant, token), content_type="application/pdf")
    # No name in the file name: downloads folders and browser histories are not private.
    response["Content-Disposition"] = 'attachment; filename="kring-uitnodiging.pdf"'
    response["Cache-Control"] = "no-store"
    return response


@require_http_methods(FORM_METHODS)
@login_required
@never_cache
def reissue(request, pk, participant_id):
    """A new personal link on a printed letter; the old link stops working at once."""
    case, participant = _participant(request, pk, participant_id)
    error = None
    if request.method == "POST":
        try:
            token = actions.reissue_link(participant, by=request.user)
        except Refused as exc:
            error = exc.reason
        else:
            return _letter(participant, token)
    if request.method != "POST":
        record("circle.viewed", actor=request.user, case=case, obj=participant)
    return render(
        request,
        "circle/reissue.html",
        {"case": case, "participant": participant, "error": error},
    )


@require_http_methods(FORM_METHODS)
@login_required
def respond(request, pk, participant_id):
    """An answer to the invitation told by phone (R9: voluntary)."""
    case, participant = _participant(request, pk, participant_id)
    form = forms.RespondForm(posted(request))
    if request.method == "POST" and form.is_valid():
        accepts = form.cleaned_data["accepts"]
        try:
            actions.respond(participant, accepts=accepts, mode=Mode.PHONE, by=request.user)
        except Refused as exc:
            form.add_error(None, exc.reason)
        else:
            text = (
                _("%(name)s accepts the invitation.")
                if accepts
                else _("%(name)s declines the invitation.")
            )
            messages.success(request, text % {"name": participant.name})
            return _to_overview(case, participant)
    return _render_form(request, "circle/respond.html", case, form, participant)


@require_http_methods(FORM_METHODS)
@login_required
def consent(request, pk, participant_id):
    """Informed consent on paper, by phone or in person (R9, R17), after the information of
    the current version was given."""
    case, participant = _participant(request, pk, participant_id)
    form = forms.ConsentForm(posted(request), participant=participant)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        given_by = participant.guardian if data["given_by"] != participant.pk else participant
        try:
            actions.give_consent(
                participant,
                given_by=given_by,
                mode=data["mode"],
                legal_advice=data["legal_advice"],
                interpreter=data["interpreter"],
                support_person=data["support_person"],
                by=request.user,
            )
        except Refused as exc:
            form.add_error(None, exc.reason)
        else:
            messages.success(
                request,
                _("The consent of %(name)s is recorded (information version %(version)s).")
                % {"name": given_by.name, "version": information.CURRENT_VERSION},
            )
            return _to_overview(case, participant)
    return _render_form(
        request,
        "circle/consent.html",
        case,
        form,
        participant,
        version=information.CURRENT_VERSION,
        sections=information.sections(),
    )


@require_http_methods(FORM_METHODS)
@login_required
def nominate(request, pk, participant_id):
    """R6: someone this participant names, told to the coordinator."""
    case, participant = _participant(request, pk, participant_id)
    form = forms.NominateForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            actions.nominate(participant, by=request.user, **form.cleaned_data)
        except Refused as exc:
            form.add_error(None, exc.reason)
        else:
            messages.success(
                request,
                _("%(nominee)s, named by %(name)s, is on the list of nominations.")
                % {"nominee": form.cleaned_data["name"], "name": participant.name},
            )
            return redirect(case_url(case) + "#nominations")
    return _render_form(request, "circle/nominate.html", case, form, participant)


@require_http_methods(FORM_METHODS)
@login_required
def withdraw(request, pk, participant_id):
    """R9: a withdrawal told to the coordinator by phone; effective at once."""
    case, participant = _participant(request, pk, participant_id)
    form = forms.WithdrawForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            actions.withdraw(participant, mode=Mode.PHONE, by=request.user)
        except Refused as exc:
            form.add_error(None, exc.reason)
        else:
            messages.success(request, _("%(name)s has withdrawn.") % {"name": participant.name})
            return _to_overview(case, participant)
    return _render_form(
        request,
        "circle/withdraw.html",
        case,
        form,
        participant,
        withdrawn=participant.status == Status.WITHDRAWN,
    )


@require_http_methods(FORM_METHODS)
@login_required
def remove(request, pk, participant_id):
    """Take out a person added by mistake; refused once anything happened with them."""
    case, participant = _participant(request, pk, participant_id)
    error = None
    if request.method == "POST":
        try:
            actions.remove_participant(participant, by=request.user)
        except Refused as exc:
            error = exc.reason
        else:
            messages.success(
                request, _("%(name)s is taken out of the circle.") % {"name": participant.name}
            )
            return redirect("circle:overview", pk=case.pk)
    else:
        record("circle.viewed", actor=request.user, case=case, obj=participant)
    return render(
        request, "circle/remove.html", {"case": case, "participant": participant, "error": error}
    )


@require_http_methods(FORM_METHODS)
@login_required
def nomination(request, pk, nomination_id):
    """R6: add a nominee to the circle of the person who named them, or record why not."""
    case = _coordinators_case(request, pk)
    item = get_object_or_404(
        Nomination.objects.select_related("nominated_by__supports", "participant"),
        pk=nomination_id,
        case=case,
    )
    main = guards.main_person(item.nominated_by)
    harmed_person = main if main is not None and main.side == Side.HARMED else None
    form = forms.NominationDecisionForm(posted(request))
    if request.method == "POST" and form.is_valid():
        invite_nominee = form.cleaned_data["invite"]
        try:
            decided = actions.decide_nomination(
                item,
                invite_nominee=invite_nominee,
                reason=form.cleaned_data["reason"],
                by=request.user,
            )
        except Refused as exc:
            form.add_error(None, exc.reason)
        else:
            if invite_nominee:
                messages.success(
                    request,
                    _("%(name)s is added to the circle. Add their contact details.")
                    % {"name": decided.participant.name},
                )
                return redirect("circle:edit", pk=case.pk, participant_id=decided.participant.pk)
            messages.success(
                request, _("Recorded why %(name)s is not invited.") % {"name": item.name}
            )
            return redirect(case_url(case) + "#nominations")
    if request.method != "POST":
        record("circle.viewed", actor=request.user, case=case, obj=item)
    return render(
        request,
        "circle/nomination.html",
        {"case": case, "nomination": item, "form": form, "harmed_person": harmed_person},
    )


@require_http_methods(FORM_METHODS)
@login_required
def risk_add(request, pk):
    """R7: a risk in the safety check, with the coordinator's assessment."""
    case = _coordinators_case(request, pk)
    form = forms.RiskForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            actions.flag_risk(case, by=request.user, **form.cleaned_data)
        except Refused as exc:
            form.add_error(None, exc.reason)
        else:
            messages.success(request, _("The risk is recorded in the safety check."))
            return redirect(case_url(case) + "#safety")
    return render(request, "circle/risk_add.html", {"case": case, "form": form})


@require_http_methods(FORM_METHODS)
@login_required
def risk_resolve(request, pk, risk_id):
    """R7: what makes a flagged risk safe now."""
    case = _coordinators_case(request, pk)
    flag = get_object_or_404(RiskFlag, pk=risk_id, case=case)
    form = forms.ResolveRiskForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            actions.resolve_risk(flag, by=request.user, **form.cleaned_data)
        except Refused as exc:
            form.add_error(None, exc.reason)
        else:
            messages.success(request, _("The risk is resolved."))
            return redirect(case_url(case) + "#safety")
    if request.method != "POST":
        record("circle.viewed", actor=request.user, case=case, obj=flag)
    return render(request, "circle/risk_resolve.html", {"case": case, "flag": flag, "form": form})
