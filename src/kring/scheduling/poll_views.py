"""The coordinator's pages of the date poll (issue 9, point 2): propose and remove options, the
grid of answers, answers told by phone, reminders. Views parse input, call one action of
scheduling.poll and redirect; what may be done is scheduling.policy, which the actions enforce
and these pages read. Only the case's coordinator (may_see_grid); anyone who may not see the
case gets a 404 (cases.access), anyone else who may see it a 403."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.db.models import prefetch_related_objects
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from kring.audit.log import record
from kring.cases.access import case_for
from kring.circle.models import Participant
from kring.core.forms import posted
from kring.core.policy import Refused, enforce, options
from kring.scheduling import grid, policy, poll
from kring.scheduling.models import Meeting, PollOption
from kring.scheduling.poll_forms import AnswersForm, OptionForm

FORM_METHODS = ["GET", "HEAD", "POST"]


def _case(request, pk):
    case = case_for(request.user, pk)
    enforce(policy.may_see_grid(request.user, case))
    return case


def poll_url(case) -> str:
    return reverse("scheduling:poll", args=[case.pk])


def answers_form(request, participant, meeting, refusal, *, by) -> tuple[AnswersForm, bool]:
    """The form with `participant`'s answers to every option of `meeting`, and on a POST
    whether they were saved (scheduling.poll.answer, as `by`). Shared by the coordinator's page
    for answers told by phone and the participant's own page: a rule's `refusal` is said on the
    form and nothing is saved."""
    option_list = list(meeting.options.select_related("venue")) if meeting is not None else []
    mine = (
        {a.option_id: a.answer for a in participant.poll_answers.filter(option__meeting=meeting)}
        if meeting is not None
        else {}
    )
    form = AnswersForm(posted(request), options=option_list, initial_answers=mine)
    if request.method != "POST":
        return form, False
    if refusal is not None:
        form.is_valid()
        form.add_error(None, refusal.message)
    elif form.is_valid():
        try:
            poll.answer(participant, form.answers(), by=by)
        except Refused as refused:
            form.add_error(None, refused.reason)
        else:
            return form, True
    return form, False


def _confirm_url(meeting: Meeting, option: PollOption) -> str:
    """P3's confirm page ("kies deze datum"), once it exists."""
    try:
        return reverse("scheduling:confirm", args=[meeting.pk, option.pk])
    except NoReverseMatch:
        return ""


def _add(case, meeting, form, by):
    """Open the poll if there is none yet and add the option, in one transaction: a refused
    option leaves no empty poll behind."""
    starts_at, ends_at, venue = form.moment()
    with transaction.atomic():
        if meeting is None:
            meeting = poll.open_poll(case, by=by)
        return poll.add_option(meeting, starts_at=starts_at, ends_at=ends_at, venue=venue, by=by)


@require_http_methods(FORM_METHODS)
@login_required
@never_cache
def poll_page(request, pk):
    """The poll of a case: the options ranked with everyone's answers, who has not answered,
    and the form to propose another date. A POST proposes a date (opening the poll first)."""
    case = _case(request, pk)
    meeting = policy.open_meeting(case)
    if meeting is not None:
        meeting.case = case
    user = request.user
    may_add = (
        policy.may_open_poll(user, case)
        if meeting is None
        else policy.may_add_option(user, meeting)
    )
    form = OptionForm(posted(request), case=case)
    if request.method == "POST":
        if may_add is not None:
            enforce(may_add if may_add.access else None)
            form.is_valid()
            form.add_error(None, may_add.message)
        elif form.is_valid():
            try:
                _add(case, meeting, form, user)
            except Refused as refused:
                form.add_error(None, refused.reason)
            else:
                messages.success(request, _("The date has been added to the poll."))
                return redirect(poll_url(case))
    table = grid.grid(meeting) if meeting is not None else None
    if table is not None:
        # The policy asks whether the poll has dates: once, not once per participant.
        prefetch_related_objects([meeting], "options")
        # The case's readiness to be scheduled: asked once, not once per date (issue 15).
        confirm = policy.confirm_refusals(user, meeting, [row.option for row in table.rows])
        for row in table.rows:
            row.may = options(
                remove=policy.may_remove_option(user, row.option),
                confirm=confirm[row.option.pk],
            )
            row.confirm_url = _confirm_url(meeting, row.option)
        for participant in table.participants:
            participant.case = case
            participant.may = options(enter=policy.may_enter_answers(user, participant, meeting))
    if request.method != "POST":
        record("scheduling.poll_viewed", actor=user, case=case, obj=meeting or case)
    return render(
        request,
        "scheduling/poll.html",
        {
            "case": case,
            "meeting": meeting,
            "grid": table,
            "form": form,
            "follow_up": policy.purpose_for(case) == Meeting.Purpose.FOLLOW_UP,
            "may": options(
                add=may_add,
                remind=(
                    policy.may_remind_to_answer(user, meeting) if meeting is not None else None
                ),
                stop=policy.stopping_the_poll(user, meeting),
            ),
        },
    )


@require_POST
@login_required
def remove_option(request, pk, option_id):
    case = _case(request, pk)
    option = get_object_or_404(
        PollOption.objects.select_related("meeting"), pk=option_id, meeting__case=case
    )
    try:
        poll.remove_option(option, by=request.user)
    except Refused as refused:
        messages.error(request, refused.reason)
    else:
        messages.success(request, _("The date has been taken out of the poll."))
    return redirect(poll_url(case))


@require_POST
@login_required
def remind(request, pk):
    case = _case(request, pk)
    meeting = policy.open_meeting(case)
    if meeting is None:
        messages.error(request, _("There is no open date poll: the date has been set already."))
        return redirect(poll_url(case))
    try:
        reminded = poll.remind_to_answer(meeting, by=request.user)
    except Refused as refused:
        messages.error(request, refused.reason)
        return redirect(poll_url(case))
    if reminded.sent:
        messages.success(
            request,
            ngettext(
                "A reminder has been sent to %(count)d person.",
                "A reminder has been sent to %(count)d people.",
                reminded.sent,
            )
            % {"count": reminded.sent},
        )
    if reminded.recently:
        messages.info(
            request,
            ngettext(
                "%(count)d person had a reminder less than a day ago and gets none now.",
                "%(count)d people had a reminder less than a day ago and get none now.",
                reminded.recently,
            )
            % {"count": reminded.recently},
        )
    if reminded.without_email:
        messages.warning(
            request,
            _("No e-mail address: call %(names)s.") % {"names": ", ".join(reminded.without_email)},
        )
    if not (reminded.sent or reminded.recently or reminded.without_email):
        messages.info(request, _("Everyone has answered: nobody needs a reminder."))
    return redirect(poll_url(case))


@require_http_methods(FORM_METHODS)
@login_required
@never_cache
def enter_answers(request, pk, participant_id):
    """Answers told by phone: the coordinator enters the participant's answer to every option;
    they are marked as entered by the coordinator."""
    case = _case(request, pk)
    participant = get_object_or_404(Participant, pk=participant_id, case=case)
    participant.case = case
    meeting = policy.open_meeting(case)
    refusal = policy.may_enter_answers(request.user, participant, meeting)
    enforce(refusal if refusal is not None and refusal.access else None)
    form, saved = answers_form(request, participant, meeting, refusal, by=request.user)
    if saved:
        messages.success(
            request, _("The answers of %(name)s have been saved.") % {"name": participant.name}
        )
        return redirect(poll_url(case))
    if request.method != "POST":
        record("scheduling.poll_viewed", actor=request.user, case=case, obj=participant)
    return render(
        request,
        "scheduling/enter_answers.html",
        {
            "case": case,
            "participant": participant,
            "form": form,
            "refusal": str(refusal.message) if refusal is not None and not form.is_bound else "",
        },
    )


def case_panel(case, user):
    """On the case page (cases.registry): the way to the date poll for the coordinator while
    the case is prepared, or in follow-up (a follow-up meeting, issue 12 point 4), and no date
    is set yet, with how many have answered."""
    if policy.may_see_grid(user, case) is not None or case.state not in policy.PLANNED_IN.values():
        return None
    meeting = policy.open_meeting(case)
    if meeting is not None and meeting.status != Meeting.Status.POLLING:
        return None
    if meeting is not None:
        meeting.case = case
    table = grid.grid(meeting, with_fit=False) if meeting is not None else None
    return (
        "scheduling/_poll_panel.html",
        {
            "case": case,
            "grid": table,
            "follow_up": policy.purpose_for(case) == Meeting.Purpose.FOLLOW_UP,
            "meeting": meeting,
            "may": options(
                see=None,
                open=policy.may_open_poll(user, case) if meeting is None else None,
                stop=policy.stopping_the_poll(user, meeting),
            ),
        },
    )
