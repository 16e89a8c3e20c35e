"""The coordinator's pages for preparing the circle. Views parse input, call one action from
circle.actions, and redirect. What may be done is circle.policy: the actions enforce it; these
pages read it, so that a link shows only when its action is allowed, and a step that is not
possible yet shows its reason instead of a form. Not allowed at all: 403 (404 for a case the
user may not see, cases.access).

Who sees what (docs/rules.md "Roles", R18): the case's coordinator sees and does everything;
the office and the team's manager see the people and their states only (read only: no notes,
no assessments, no acknowledgment details, no contact details); every other role nothing."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from kring.audit.log import record
from kring.cases.access import case_for
from kring.cases.lifecycle import State
from kring.circle import actions, forms, from_request, guards, information, policy, queries
from kring.circle.drawing import circle_drawing
from kring.circle.models import Mode, Nomination, Participant, RiskFlag, Side, Status
from kring.circle.steps import StepUrls, steps_of
from kring.core.forms import posted
from kring.core.policy import Refused, enforce, options
from kring.referrals.models import ReferralPerson

FORM_METHODS = ["GET", "HEAD", "POST"]


def _allowed(refusal):
    """403 when the actor may not do this at all; otherwise the rule refusal (or None), which
    the page shows as the reason instead of the form."""
    enforce(refusal if refusal is not None and refusal.access else None)
    return refusal


def _participant(request, pk, participant_id):
    case = case_for(request.user, pk)
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


def _render_form(request, template, case, form, participant=None, refusal=None, **context):
    # Every page shown is a read, also the one shown again after a mistake in a POST: it holds
    # the same names (issue 14, finding 8). A POST that succeeds redirects and is its own row.
    record("circle.viewed", actor=request.user, case=case, obj=participant or case)
    return render(
        request,
        template,
        {
            "case": case,
            "participant": participant,
            "form": form,
            "refusal": _reason(refusal, form),
            **context,
        },
    )


def _reason(refusal, form) -> str:
    """Not possible now: the page says why instead of showing the form. After a POST the form
    stays, with the reason in its error summary and nothing typed lost."""
    return str(refusal.message) if refusal is not None and not form.is_bound else ""


def _form_action(request, refusal, form, act, done):
    """POST: do the action when the policy allows it and the form is valid; a refusal from the
    action (a rule checked under the lock) goes on the form. Returns the redirect, or None."""
    if request.method != "POST":
        return None
    if refusal is not None:
        form.is_valid()
        form.add_error(None, refusal.message)
        return None
    if not form.is_valid():
        return None
    try:
        result = act(form.cleaned_data)
    except Refused as exc:
        form.add_error(None, exc.reason)
        return None
    return done(result)


# --- the circle -------------------------------------------------------------------------------


@require_POST
@login_required
def start(request, pk):
    """The coordinator starts the preparation: assigned -> preparing."""
    case = case_for(request.user, pk)
    try:
        actions.start_preparation(case, by=request.user)
    except Refused as exc:
        messages.error(request, exc.reason)
        return redirect("cases:detail", pk=case.pk)
    messages.success(request, _("The preparation has started. Begin with the person responsible."))
    return redirect("circle:overview", pk=case.pk)


@require_safe
@login_required
@never_cache
def overview(request, pk):
    """The circle of the case: per harmed and responsible person their own circle, everyone's
    state, and for the coordinator the preparation itself (R3-R9, R17)."""
    case = case_for(request.user, pk)
    enforce(policy.may_view_circle(request.user, case))
    full = policy.sees_everything(request.user, case)
    circle = queries.load_circle(case, full=full)
    if full:
        urls = StepUrls(case)
        for p in circle.participants:
            p.may = _person_options(request.user, p)
            p.steps = steps_of(case, p, urls)  # the task list of circle/_steps.html (circle.steps)
        for n in circle.nominations:
            n.may = options(decide=policy.may_decide_nomination(request.user, n))
        for risk in circle.risks:
            risk.case = case
            risk.may = options(resolve=policy.may_resolve_risk(request.user, risk))
    context = {
        "case": case,
        "circle": circle,
        "full": full,
        "drawing": circle_drawing(circle.participants, coordinator=case.coordinator)["drawing"],
        "may": options(
            start=policy.may_start_preparation(request.user, case),
            add=policy.may_add_participant(request.user, case),
            flag_risk=policy.may_flag_risk(request.user, case),
        ),
    }
    if full:
        context["readiness"] = (
            guards.readiness(case, people=circle.participants)
            if case.state == State.PREPARING
            else None
        )
        context["pending"] = [
            n for n in circle.nominations if n.decision == Nomination.Decision.PENDING
        ]
        context["from_request"] = from_request.offers(request.user, case)  # issue 8, point 8
        context["mains"] = [g.person for g in circle.harmed + circle.responsible]
        context["sides"] = Side.choices
    record("circle.viewed", actor=request.user, case=case)
    return render(request, "circle/overview.html", context)


def _person_options(actor, p):
    """What the coordinator may do with one person now (circle/_person.html reads it)."""
    return options(
        edit=policy.may_update_participant(actor, p),
        conversation=policy.may_record_conversation(actor, p),
        acknowledgment=policy.may_record_acknowledgment(actor, p),
        invite=policy.may_invite(actor, p),
        reissue=policy.may_reissue_link(actor, p),
        respond=policy.may_respond(actor, p),
        consent=policy.may_consent(actor, p),
        nominate=policy.may_nominate(actor, p),
        remove=policy.may_remove_participant(actor, p),
        withdraw=policy.may_withdraw(actor, p),
        record_return=policy.may_record_return(actor, p),
    )


@require_http_methods(FORM_METHODS)
@login_required
def add(request, pk):
    case = case_for(request.user, pk)
    refusal = _allowed(policy.may_add_participant(request.user, case))
    form = forms.ParticipantForm(
        posted(request), case=case, instance=Participant(case=case), initial=_add_initial(request)
    )

    def done(participant):
        messages.success(
            request, _("%(name)s is added to the circle.") % {"name": participant.name}
        )
        return _to_overview(case, participant)

    return _form_action(
        request,
        refusal,
        form,
        lambda data: actions.add_participant(case, by=request.user, **data),
        done,
    ) or _render_form(request, "circle/participant_form.html", case, form, refusal=refusal)


def _add_initial(request):
    """ "Add someone to Daan's circle" links pass ?supports=<id>; the form checks the choice."""
    supports = request.GET.get("supports", "")
    return {"side": Side.SUPPORTER, "supports": supports} if supports.isdigit() else {}


def _saved(request, case, participant, text):
    def done(_result):
        messages.success(request, text % {"name": participant.name})
        return _to_overview(case, participant)

    return done


@require_http_methods(FORM_METHODS)
@login_required
def edit(request, pk, participant_id):
    case, participant = _participant(request, pk, participant_id)
    refusal = _allowed(policy.may_update_participant(request.user, participant))
    form = forms.ParticipantForm(posted(request), case=case, instance=participant)
    return _form_action(
        request,
        refusal,
        form,
        lambda data: actions.update_participant(participant, by=request.user, **data),
        _saved(request, case, participant, _("The details of %(name)s are saved.")),
    ) or _render_form(
        request, "circle/participant_form.html", case, form, participant, refusal=refusal
    )


@require_http_methods(FORM_METHODS)
@login_required
def conversation(request, pk, participant_id):
    """R7: a preparatory conversation, with short notes only the coordinator sees."""
    case, participant = _participant(request, pk, participant_id)
    refusal = _allowed(policy.may_record_conversation(request.user, participant))
    form = forms.ConversationForm(posted(request))
    return _form_action(
        request,
        refusal,
        form,
        lambda data: actions.record_conversation(participant, by=request.user, **data),
        _saved(request, case, participant, _("The conversation with %(name)s is recorded.")),
    ) or _render_form(request, "circle/conversation.html", case, form, participant, refusal=refusal)


@require_http_methods(FORM_METHODS)
@login_required
def acknowledgment(request, pk, participant_id):
    """R3: whether a responsible person acknowledges their part."""
    case, participant = _participant(request, pk, participant_id)
    refusal = _allowed(policy.may_record_acknowledgment(request.user, participant))
    form = forms.AcknowledgmentForm(posted(request))

    def done(acknowledgment):
        if acknowledgment.acknowledges:
            text = _("%(name)s acknowledges their part: they can now be invited.")
        else:
            text = _(
                "%(name)s does not acknowledge their part and cannot take part. If no "
                "one responsible acknowledges, the case can be stopped."
            )
        messages.success(request, text % {"name": participant.name})
        return _to_overview(case, participant)

    return _form_action(
        request,
        refusal,
        form,
        lambda data: actions.record_acknowledgment(participant, by=request.user, **data),
        done,
    ) or _render_form(
        request, "circle/acknowledgment.html", case, form, participant, refusal=refusal
    )


@require_http_methods(FORM_METHODS)
@login_required
@never_cache
def invite(request, pk, participant_id):
    """Invite by e-mail, or print the letter (a PDF download with the personal link)."""
    case, participant = _participant(request, pk, participant_id)
    refusal = _allowed(policy.may_invite(request.user, participant))
    form = forms.InviteForm(posted(request), participant=participant)

    def done(sent):
        if sent.invitation.channel == "letter":
            return _letter(participant, sent.token, sent.code)
        messages.success(
            request,
            _("The invitation is sent to %(name)s by e-mail.") % {"name": participant.name},
        )
        return _to_overview(case, participant)

    return _form_action(
        request,
        refusal,
        form,
        lambda data: actions.invite(participant, channel=data["channel"], by=request.user),
        done,
    ) or _render_form(
        request,
        "circle/invite.html",
        case,
        form,
        participant,
        refusal=refusal,
        may=options(update=policy.may_update_participant(request.user, participant)),
    )


def _letter(participant, token, code):
    """The printed invitation, downloaded once: it carries the personal link and its code."""
    from kring.circle import letters  # WeasyPrint loads slowly: only when needed

    response = HttpResponse(
        letters.letter_pdf(participant, token, code), content_type="application/pdf"
    )
    # Named per person and date, so that letters for several people are not mixed up.
    response["Content-Disposition"] = (
        f'attachment; filename="{letters.letter_filename(participant)}"'
    )
    response["Cache-Control"] = "no-store"
    return response


@require_http_methods(FORM_METHODS)
@login_required
@never_cache
def reissue(request, pk, participant_id):
    """A new personal link on a printed letter; the old link stops working at once."""
    case, participant = _participant(request, pk, participant_id)
    refusal = _allowed(policy.may_reissue_link(request.user, participant))
    error = refusal.message if refusal is not None else None
    if request.method == "POST" and refusal is None:
        try:
            issued = actions.reissue_link(participant, by=request.user)
        except Refused as exc:
            error = exc.reason
        else:
            return _letter(participant, issued.token, issued.code)
    if request.method != "POST":
        record("circle.viewed", actor=request.user, case=case, obj=participant)
    return render(
        request,
        "circle/reissue.html",
        {
            "case": case,
            "participant": participant,
            "error": error,
            "blocked": refusal is not None,
            "may": options(
                invite=policy.may_invite(request.user, participant),
                update=policy.may_update_participant(request.user, participant),
            ),
        },
    )


@require_http_methods(FORM_METHODS)
@login_required
def respond(request, pk, participant_id):
    """An answer to the invitation told by phone (R9: voluntary)."""
    case, participant = _participant(request, pk, participant_id)
    refusal = _allowed(policy.may_respond(request.user, participant))
    form = forms.RespondForm(posted(request))

    def done(answered):
        text = (
            _("%(name)s accepts the invitation.")
            if answered.status == Status.ACCEPTED
            else _("%(name)s declines the invitation.")
        )
        messages.success(request, text % {"name": participant.name})
        return _to_overview(case, participant)

    return _form_action(
        request,
        refusal,
        form,
        lambda data: actions.respond(
            participant, accepts=data["accepts"], mode=Mode.PHONE, by=request.user
        ),
        done,
    ) or _render_form(request, "circle/respond.html", case, form, participant, refusal=refusal)


@require_http_methods(FORM_METHODS)
@login_required
def consent(request, pk, participant_id):
    """Informed consent on paper, by phone or in person (R9, R17), after the information of
    the current version was given."""
    case, participant = _participant(request, pk, participant_id)
    refusal = _allowed(policy.may_consent(request.user, participant))
    form = forms.ConsentForm(posted(request), participant=participant)

    def act(data):
        given_by = participant.guardian if data["given_by"] != participant.pk else participant
        return actions.give_consent(
            participant,
            given_by=given_by,
            mode=data["mode"],
            legal_advice=data["legal_advice"],
            interpreter=data["interpreter"],
            support_person=data["support_person"],
            by=request.user,
        )

    def done(consent):
        messages.success(
            request,
            _("The consent of %(name)s is recorded (information version %(version)s).")
            % {"name": consent.given_by.name, "version": information.CURRENT_VERSION},
        )
        return _to_overview(case, participant)

    return _form_action(request, refusal, form, act, done) or _render_form(
        request,
        "circle/consent.html",
        case,
        form,
        participant,
        refusal=refusal,
        version=information.CURRENT_VERSION,
        sections=information.sections(),
    )


@require_http_methods(FORM_METHODS)
@login_required
def nominate(request, pk, participant_id):
    """R6: someone this participant names, told to the coordinator."""
    case, participant = _participant(request, pk, participant_id)
    refusal = _allowed(policy.may_nominate(request.user, participant))
    form = forms.NominateForm(posted(request))

    def done(nomination):
        messages.success(
            request,
            _("%(nominee)s, named by %(name)s, is on the list of nominations.")
            % {"nominee": nomination.name, "name": participant.name},
        )
        return redirect(case_url(case) + "#nominations")

    return _form_action(
        request,
        refusal,
        form,
        lambda data: actions.nominate(participant, by=request.user, **data),
        done,
    ) or _render_form(request, "circle/nominate.html", case, form, participant, refusal=refusal)


@require_http_methods(FORM_METHODS)
@login_required
def withdraw(request, pk, participant_id):
    """R9: a withdrawal told to the coordinator by phone; effective at once."""
    case, participant = _participant(request, pk, participant_id)
    refusal = _allowed(policy.may_withdraw(request.user, participant))
    form = forms.WithdrawForm(posted(request))
    return _form_action(
        request,
        refusal,
        form,
        lambda data: actions.withdraw(participant, mode=Mode.PHONE, by=request.user),
        _saved(request, case, participant, _("%(name)s has withdrawn.")),
    ) or _render_form(
        request,
        "circle/withdraw.html",
        case,
        form,
        participant,
        refusal=refusal,
        withdrawn=participant.status == Status.WITHDRAWN,
    )


@require_http_methods(FORM_METHODS)
@login_required
def remove(request, pk, participant_id):
    """Take out a person added by mistake; refused once anything happened with them."""
    case, participant = _participant(request, pk, participant_id)
    refusal = _allowed(policy.may_remove_participant(request.user, participant))
    error = refusal.message if refusal is not None else None
    if request.method == "POST" and refusal is None:
        try:
            actions.remove_participant(participant, by=request.user)
        except Refused as exc:
            error = exc.reason
        else:
            messages.success(
                request, _("%(name)s is taken out of the circle.") % {"name": participant.name}
            )
            return redirect("circle:overview", pk=case.pk)
    if request.method != "POST":
        record("circle.viewed", actor=request.user, case=case, obj=participant)
    return render(
        request,
        "circle/remove.html",
        {"case": case, "participant": participant, "error": error, "blocked": refusal is not None},
    )


@require_http_methods(FORM_METHODS)
@login_required
def nomination(request, pk, nomination_id):
    """R6: add a nominee to the circle of the person who named them, or record why not."""
    case = case_for(request.user, pk)
    item = get_object_or_404(
        Nomination.objects.select_related("nominated_by__supports", "participant"),
        pk=nomination_id,
        case=case,
    )
    item.case = case
    refusal = _allowed(policy.may_decide_nomination(request.user, item))
    main = guards.main_person(item.nominated_by)
    harmed_person = main if main is not None and main.side == Side.HARMED else None
    form = forms.NominationDecisionForm(posted(request))

    def act(data):
        return actions.decide_nomination(
            item, invite_nominee=data["invite"], reason=data["reason"], by=request.user
        )

    def done(decided):
        if decided.participant is not None:
            messages.success(
                request,
                _("%(name)s is added to the circle. Add their contact details.")
                % {"name": decided.participant.name},
            )
            return redirect("circle:edit", pk=case.pk, participant_id=decided.participant.pk)
        messages.success(request, _("Recorded why %(name)s is not invited.") % {"name": item.name})
        return redirect(case_url(case) + "#nominations")

    response = _form_action(request, refusal, form, act, done)
    if response is not None:
        return response
    if request.method != "POST":
        record("circle.viewed", actor=request.user, case=case, obj=item)
    return render(
        request,
        "circle/nomination.html",
        {
            "case": case,
            "nomination": item,
            "form": form,
            "harmed_person": harmed_person,
            "refusal": _reason(refusal, form),
        },
    )


@require_http_methods(FORM_METHODS)
@login_required
def risk_add(request, pk):
    """R7: a risk in the safety check, with the coordinator's assessment."""
    case = case_for(request.user, pk)
    refusal = _allowed(policy.may_flag_risk(request.user, case))
    form = forms.RiskForm(posted(request))

    def done(_flag):
        messages.success(request, _("The risk is recorded in the safety check."))
        return redirect(case_url(case) + "#safety")

    response = _form_action(
        request, refusal, form, lambda data: actions.flag_risk(case, by=request.user, **data), done
    )
    # The read is logged like every other form page of the circle (issue 14, finding 8).
    return response or _render_form(request, "circle/risk_add.html", case, form, refusal=refusal)


@require_http_methods(FORM_METHODS)
@login_required
def risk_resolve(request, pk, risk_id):
    """R7: what makes a flagged risk safe now."""
    case = case_for(request.user, pk)
    flag = get_object_or_404(RiskFlag, pk=risk_id, case=case)
    flag.case = case
    refusal = _allowed(policy.may_resolve_risk(request.user, flag))
    form = forms.ResolveRiskForm(posted(request))

    def done(_flag):
        messages.success(request, _("The risk is resolved."))
        return redirect(case_url(case) + "#safety")

    response = _form_action(
        request,
        refusal,
        form,
        lambda data: actions.resolve_risk(flag, by=request.user, **data),
        done,
    )
    if response is not None:
        return response
    if request.method != "POST":
        record("circle.viewed", actor=request.user, case=case, obj=flag)
    return render(
        request,
        "circle/risk_resolve.html",
        {
            "case": case,
            "flag": flag,
            "form": form,
            "refusal": _reason(refusal, form),
        },
    )


@require_POST
@login_required
def add_from_request(request, pk, person_id):
    """Issue 8, point 8: one click adds a person named in the request to the circle (`add`),
    or sets them aside (`skip`). Only the case's coordinator, while preparing (403 otherwise)."""
    case = case_for(request.user, pk)
    person = get_object_or_404(ReferralPerson, pk=person_id, referral_id=case.referral_id)
    try:
        if request.POST.get("choice") == "skip":
            actions.set_aside_from_request(person, by=request.user)
            messages.success(
                request, _("%(name)s is not added to the circle.") % {"name": person.name}
            )
            return redirect(case_url(case))
        supports = request.POST.get("supports", "")
        participant = actions.add_from_request(
            person,
            by=request.user,
            side=request.POST.get("side", ""),
            supports=(
                Participant.objects.filter(case=case, pk=supports).first()
                if supports.isdigit()
                else None
            ),
        )
    except Refused as exc:
        messages.error(request, exc.reason)
        return redirect(case_url(case) + "#from-request")
    messages.success(
        request,
        _("%(name)s is added to the circle. Check their details.") % {"name": participant.name},
    )
    return _to_overview(case, participant)
