"""The upload page of the historical import (issue 13, point 3): `onderzoek/importeren/`, for
a manager (their own team's rows) and an administrator (any team, and may have unknown teams
made). GET shows the form and what the file holds; POST checks the whole file
(research.importing.read) and either lists every fault (line, column, value, reason) under an
error summary, importing nothing, or imports it (research.importing.run) and comes back with
the counts. The file's size is checked from the request's header before its body is read. The
page shows no case data and is never cached; the import itself is audited by importing.run."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_http_methods

from kring.core.policy import Refused, enforce, options
from kring.research import importing, policy
from kring.research.import_forms import MAX_BODY, TOO_BIG, ImportForm

TEMPLATE = "research/import.html"
SHOWN_FAULTS = 1000  # a page lists at most this many faults; the rest are counted


def _form(request: HttpRequest, **kwargs) -> ImportForm:
    return ImportForm(may_create_teams=policy.may_create_teams(request.user) is None, **kwargs)


def _page(
    request: HttpRequest,
    form: ImportForm,
    *,
    status: int = 200,
    result: importing.Result | None = None,
) -> HttpResponse:
    user = request.user
    faults = [fault for fault in result.faults if fault.line is not None] if result else []
    context = {
        "form": form,
        "result": result,
        "faults": faults[:SHOWN_FAULTS],
        "not_shown": (len(faults) - SHOWN_FAULTS if len(faults) > SHOWN_FAULTS else 0)
        + (result.more_faults if result else 0),
        "team": user.team if policy.may_create_teams(user) is not None else None,
        "columns": importing.COLUMNS,
        "may": options(import_history=policy.may_import_history(user)),
    }
    return render(request, TEMPLATE, context, status=status)


def _too_big(request: HttpRequest) -> bool:
    """Is the request's body announced larger than a file we accept plus its form? Read from the
    header only: the body is not read (Django would spool a large upload to disk)."""
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0) > MAX_BODY
    except ValueError:
        return True


@csrf_exempt  # checked in _post, after the size: the CSRF middleware would read the whole body
@require_http_methods(["GET", "HEAD", "POST"])
@login_required
@never_cache
def import_history(request: HttpRequest) -> HttpResponse:
    enforce(policy.may_import_history(request.user))
    if request.method != "POST":
        return _page(request, _form(request))
    if _too_big(request):
        form = _form(request, data={}, files={})
        form.errors["file"] = form.error_class([TOO_BIG])
        return _page(request, form, status=413)
    return _post(request)


@csrf_protect
def _post(request: HttpRequest) -> HttpResponse:
    form = _form(request, data=request.POST, files=request.FILES)
    if not form.is_valid():
        return _page(request, form)
    result = importing.read(
        form.cleaned_data["file"],
        by=request.user,
        create_teams=form.cleaned_data.get("create_teams", False),
    )
    if result.ok:
        try:
            done = importing.run(result, by=request.user)
        except Refused as refused:
            form.add_error("file", refused.reason)
            return _page(request, form)
        messages.success(request, " ".join(importing.summary(result, done)))
        return redirect("research:import")
    for fault in result.faults:
        if fault.line is None:
            form.add_error("file", fault.reason)
    return _page(request, form, result=result)
