"""The participant portal, reached by a personal link.

A participant sees only their own data: every page works from the participant of the portal
session (access.participant_for) and reads nothing of anyone else in the case, except the
names of the minors they are parent or guardian of and the coordinator's first name.
Nothing changes on a GET (mail scanners open links); every change is a POST that calls one
circle action, with the participant as its actor (audit.actors.Actor.in_portal). What the pages
offer is read from circle.policy.
"""

from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from kring.audit.actors import Actor
from kring.audit.log import record
from kring.circle import actions, information, links, policy
from kring.circle.models import Status
from kring.core.forms import posted
from kring.core.policy import Refused, options
from kring.portal import access, registry
from kring.portal.decorators import invalid_link, portal_headers, portal_page, render_plain
from kring.portal.forms import ConsentForm, NominateForm


def _me(participant) -> Actor:
    """The participant acting in their own portal: the actor of every change made here."""
    return Actor.in_portal(participant)


def see_other(name: str):
    """303: after a POST (and after entering), the browser fetches the next page with GET."""
    response = redirect(name)
    response.status_code = 303
    return response


@portal_headers
@require_safe
def enter(request, token):
    """Exchange a personal link for a portal session and take the token out of the address
    bar. Changes nothing else: a mail scanner that opens the link answers nothing."""
    key = access.guess_key(request)
    limit = settings.KRING_PORTAL_GUESSES_PER_HOUR
    # While throttled even a right link is refused: guessing must never be rewarded.
    if access.guessing_throttled(key, limit=limit):
        return _too_many(request)
    match, link = links.match_token(token)
    if match is links.Match.SUPERSEDED:
        # A real link from an older letter or e-mail: not a guess (issue 8, point 4).
        return superseded(request)
    if link is None:
        if not access.count_wrong_guess(key, limit=limit):
            return _too_many(request)
        return invalid_link(request)
    return entered(request, link)


def superseded(request):
    """A link or code that a newer invitation replaced: says so, and opens nothing."""
    return render_plain(request, "portal/superseded.html", status=410)


def entered(request, link):
    """Start the portal session for a live link (opened, or typed as a letter code), and go to
    the participant's page."""
    access.start_session(request, link)
    response = see_other("portal:home")
    # The portal speaks the participant's language; the language switch still overrides it.
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        link.participant.language,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        path=settings.LANGUAGE_COOKIE_PATH,
        domain=settings.LANGUAGE_COOKIE_DOMAIN,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
    )
    return response


def _too_many(request):
    response = render_plain(request, "portal/too_many.html", status=429)
    response["Retry-After"] = str(access.GUESS_WINDOW_SECONDS)
    return response


def _wards(participant):
    """The minors in this case for whom the participant is parent or guardian (R9); never a
    child on the other side, even if recorded so before that rule was enforced."""
    wards = participant.wards.filter(case_id=participant.case_id, is_minor=True)
    wards = wards.select_related("supports").prefetch_related("consents")
    return [ward for ward in wards if policy.is_guardian_of(participant, ward)]


def _latest_consent(consents, given_by_pk):
    mine = [c for c in consents if c.given_by_id == given_by_pk]
    return max(mine, key=lambda c: (c.given_at, c.pk), default=None)


@portal_page
@require_safe
def home(request, participant):
    case = participant.case
    consents = list(participant.consents.all())
    my_wards = _wards(participant)
    wards = [
        {"participant": ward, "consent": _latest_consent(ward.consents.all(), participant.pk)}
        for ward in my_wards
    ]
    record("portal.viewed", actor=_me(participant), case=case, obj=participant)
    return render(
        request,
        "portal/home.html",
        {
            "participant": participant,
            "first_name": _first_name(participant.name),
            "coordinator_name": case.coordinator.first_name if case.coordinator else "",
            "sections": information.sections(),
            "version": information.CURRENT_VERSION,
            "consent": _latest_consent(consents, participant.pk),
            "wards": wards,
            "nominations": list(participant.nominations_made.all()),
            "questions": list(participant.questions.all()),
            "Status": Status,
            # Panels of later stages (the date poll, ...), through portal.registry.
            "panels": registry.home_panels(participant),
            **_possible(participant, my_wards),
        },
    )


def _first_name(name: str) -> str:
    return name.split()[0] if name.strip() else name


def _possible(participant, wards=None) -> dict:
    """What the page offers, read from the circle's policy, which the actions enforce again
    when the POST arrives. `wards`: _wards(participant), if the caller has it already."""
    me = _me(participant)
    return {
        "may": options(
            respond=policy.may_respond(me, participant),
            consent=_may_consent_for_anyone(me, participant, wards),
            nominate=policy.may_nominate(me, participant),
            withdraw=policy.may_withdraw(me, participant),
            ask_question=policy.may_ask_question(me, participant),
        )
    }


def _may_consent_for_anyone(me, participant, wards=None):
    """Consent is offered while the participant, or a minor they are guardian of, still has to
    give it; once given (and counting) it is shown as given, not asked again (issue 8, point 6).
    The minors are read only when needed, unless the caller has them (`wards`)."""
    own = policy.may_consent(me, participant)
    if own is not None:
        minors = _wards(participant) if wards is None else wards
        if any(policy.may_consent(me, ward) is None for ward in minors):
            return None
    return own


@portal_page
@require_POST
def respond(request, participant):
    answer = request.POST.get("answer")
    if answer not in ("accept", "decline"):
        messages.error(request, _("Choose whether you take part or not."))
        return see_other("portal:home")
    try:
        actions.respond(participant, accepts=answer == "accept", by=_me(participant))
    except Refused as refused:
        messages.error(request, refused.reason)
        return see_other("portal:home")
    if answer == "accept":
        messages.success(request, _("Thank you. You have said that you will take part."))
    else:
        messages.success(
            request,
            _(
                "You have said that you will not take part. Your coordinator hears this and will "
                "get in touch with you. You can still take part later, if you want to."
            ),
        )
    return see_other("portal:home")


@portal_page
@require_http_methods(["GET", "HEAD", "POST"])
def consent(request, participant):
    me = _me(participant)
    # Only those who still have to consent are offered (issue 8, point 6).
    wards = [ward for ward in _wards(participant) if policy.may_consent(me, ward) is None]
    form = ConsentForm(
        posted(request),
        participant=participant,
        wards=wards,
        include_self=policy.may_consent(me, participant) is None,
        version=information.CURRENT_VERSION,
    )
    if request.method == "POST" and form.is_valid():
        person = form.consenting_for()
        try:
            # A parent or guardian consenting for a minor acts for the minor (R9).
            actions.give_consent(
                person,
                legal_advice=form.cleaned_data["legal_advice"],
                interpreter=form.cleaned_data["interpreter"],
                support_person=form.cleaned_data["support_person"],
                by=Actor.in_portal(participant, for_participant=person),
            )
        except Refused as refused:
            form.add_error(None, refused.reason)
        else:
            if person.pk == participant.pk:
                messages.success(request, _("Thank you. Your consent has been recorded."))
            else:
                # No names in a message: messages may travel in a cookie.
                messages.success(request, _("Thank you. The consent has been recorded."))
            return see_other("portal:home")
    if request.method != "POST":
        record("portal.viewed", actor=_me(participant), case=participant.case, obj=participant)
    return render(
        request,
        "portal/consent.html",
        {
            "participant": participant,
            "form": form,
            "sections": information.sections(),
            "version": information.CURRENT_VERSION,
            **_possible(participant),
        },
    )


@portal_page
@require_http_methods(["GET", "HEAD", "POST"])
def nominate(request, participant):
    if request.method != "POST" and policy.may_nominate(_me(participant), participant) is not None:
        # Not offered to someone who stopped or said no (issue 8, point 6): their page instead.
        return see_other("portal:home")
    form = NominateForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            actions.nominate(
                participant,
                name=form.cleaned_data["name"],
                relation=form.cleaned_data["relation"],
                by=_me(participant),
            )
        except Refused as refused:
            form.add_error(None, refused.reason)
        else:
            messages.success(
                request, _("Thank you. Your coordinator will talk with you about this person.")
            )
            return see_other("portal:nominate")
    if request.method != "POST":
        record("portal.viewed", actor=_me(participant), case=participant.case, obj=participant)
    return render(
        request,
        "portal/nominate.html",
        {
            "participant": participant,
            "form": form,
            "nominations": list(participant.nominations_made.all()),
            **_possible(participant),
        },
    )


@portal_page
@require_http_methods(["GET", "HEAD", "POST"])
def withdraw(request, participant):
    """R9: a confirmation page (GET) and the withdrawal itself (POST): no reason asked."""
    if request.method == "POST":
        return _withdraw(request, participant)
    record("portal.viewed", actor=_me(participant), case=participant.case, obj=participant)
    return render(
        request, "portal/withdraw.html", {"participant": participant, **_possible(participant)}
    )


def _withdraw(request, participant):
    try:
        actions.withdraw(participant, by=_me(participant))
    except Refused as refused:
        messages.error(request, refused.reason)
        return see_other("portal:home")
    messages.success(
        request,
        _(
            "You have stopped taking part. This took effect at once. Your coordinator hears this "
            "and will get in touch with you. You can take part again later, if you want to."
        ),
    )
    return see_other("portal:home")


@portal_headers
@require_POST
def leave(request):
    """End the portal session: the whole browser session, which holds nothing else. The
    answer is the page itself, not a redirect: there is nothing left to go back to."""
    participant = access.participant_for(request)
    if participant is None:
        return invalid_link(request)
    record("portal.left", actor=_me(participant), case=participant.case, obj=participant)
    request.session.flush()
    return render(request, "portal/left.html")
