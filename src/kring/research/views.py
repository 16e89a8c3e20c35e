"""The figures (issue 13, points 2 and 5; R16): the page, its CSV and Excel exports, and the
free-text answers for the team's manager.

- `home` and `export`: researchers read every team's figures, a manager their own team's
  (research.policy.may_see_figures, teams_for). The filters are a GET form
  (research.figures_forms); the numbers come from research.figures.compute, and an export holds
  what the page shows (figures.as_rows). No case, no name, no free text: suppressed figures are a
  dash with the reason.
- `remarks`: the free-text answers of the manager's team, newest first, with their role and
  month (never the day), linking to the case. Researchers are refused (403).

Every read is logged (who, which period, which team) and never cached; each page takes a fixed
number of queries, whatever the data."""

from __future__ import annotations

import csv
import io

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe
from openpyxl import Workbook

from kring.audit.log import record
from kring.core.pagination import paginate
from kring.core.policy import enforce, options
from kring.research import charts, figures
from kring.research.figures_forms import FiguresFilterForm
from kring.research.models import Remark
from kring.research.policy import may_import_history, may_read_remarks, may_see_figures

VIEWED = "research.figures_viewed"
EXPORTED = "research.figures_exported"
REMARKS_VIEWED = "research.remarks_viewed"
FORMATS = ("csv", "xlsx")


def _filters(request) -> FiguresFilterForm:
    enforce(may_see_figures(request.user))
    return FiguresFilterForm(request.GET, actor=request.user, today=timezone.localdate())


def _log_data(form: FiguresFilterForm, team) -> dict:
    selection = form.selection()
    return {
        "from": selection.start.isoformat(),
        "to": selection.end.isoformat(),
        "team": team.pk if team is not None else None,
    }


def _page(request, form: FiguresFilterForm, shown: figures.Figures | None, *, status: int = 200):
    own_team = None if form.choose_team else form.team()
    team = form.team() if form.is_valid() else own_team
    context = {
        "form": form,
        "query": form.query(),
        "team": team,
        "may": options(
            read_remarks=may_read_remarks(request.user, team),
            import_history=may_import_history(request.user, team),
        ),
    }
    if shown is not None:
        context.update(sections(shown))
    return render(request, "research/home.html", context, status=status)


def sections(result: figures.Figures) -> dict:
    """What the page shows of `result`, section by section (research.charts)."""
    show, show_all = charts.show, charts.show_all
    return {
        "figures": result,
        "conferences": [
            show(result.conferences, charts.CONFERENCES),
            show(result.participants_mean, charts.CONFERENCES),
            show(result.participants_median, charts.CONFERENCES),
        ],
        "shares": show_all(charts.shares(result), charts.ANSWERS),
        "shares_chart": charts.shares_chart(result),
        "changes": show_all(result.changes, charts.ANSWERS),
        "response_rates": show_all(result.response_rates, charts.INVITATIONS),
        "answers": show_all(result.answers, charts.ANSWERS),
        "funnel": show_all(result.funnel, charts.REQUESTS),
        "funnel_chart": charts.funnel_chart(result),
        "declined": show_all(result.declined, charts.REQUESTS),
        "stopped": show_all(result.stopped, charts.REQUESTS),
        "teams": [
            (
                row.team,
                [
                    charts.show(f, charts.ANSWERS if f.unit == "pct" else charts.CONFERENCES)
                    for f in row.figures
                ],
            )
            for row in result.teams
        ],
        "team_labels": [str(f.label) for f in result.teams[0].figures] if result.teams else [],
    }


@require_safe
@login_required
@never_cache
def home(request):
    """The figures of a period and team (researchers: every team or one; a manager: theirs)."""
    form = _filters(request)
    if not form.is_valid():
        return _page(request, form, None, status=400)
    team = form.team()
    enforce(may_see_figures(request.user, team))
    result = figures.compute(form.selection())
    record(
        VIEWED, actor=request.user, team_id=getattr(team, "pk", None), data=_log_data(form, team)
    )
    return _page(request, form, result)


def _cell(value):
    """A cell as a spreadsheet reads it: None is empty (as_rows already quoted formulas)."""
    return "" if value is None else value


@require_safe
@login_required
@never_cache
def export(request, fmt: str):
    """What the page shows with the same filters, as CSV (UTF-8 with a byte order mark, so
    Excel reads it) or as an Excel workbook. The file's name holds the period only."""
    if fmt not in FORMATS:
        raise Http404
    form = _filters(request)
    if not form.is_valid():
        return _page(request, form, None, status=400)
    team = form.team()
    enforce(may_see_figures(request.user, team))
    selection = form.selection()
    rows = [[_cell(value) for value in row] for row in figures.as_rows(figures.compute(selection))]
    record(
        EXPORTED,
        actor=request.user,
        team_id=getattr(team, "pk", None),
        data={**_log_data(form, team), "format": fmt},
    )
    name = f"kring-cijfers-{selection.start.isoformat()}-{selection.end.isoformat()}.{fmt}"
    if fmt == "csv":
        text = io.StringIO()
        csv.writer(text).writerows(rows)
        response = HttpResponse(
            ("\ufeff" + text.getvalue()).encode("utf-8"), content_type="text/csv; charset=utf-8"
        )
    else:
        response = HttpResponse(
            _workbook(rows),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def _workbook(rows: list[list]) -> bytes:
    book = Workbook(write_only=True)
    sheet = book.create_sheet("Kring")
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@require_safe
@login_required
@never_cache
def remarks(request):
    """The free-text answers of the manager's own team, 25 to a page, newest first."""
    team = request.user.team
    enforce(may_read_remarks(request.user, team))
    page = paginate(
        request,
        Remark.objects.filter(team=team)
        .select_related("case__referral")
        .order_by("-created_on", "-pk"),
    )
    shown = list(page.object_list)
    # Which free texts were read, so "who read this case's remarks?" has an answer: the ids of
    # the remarks and of their cases (ids only, never the text).
    record(
        REMARKS_VIEWED,
        actor=request.user,
        team_id=team.pk,
        data={
            "page": page.number,
            "remarks": [remark.pk for remark in shown],
            "cases": sorted({remark.case_id for remark in shown}),
        },
    )
    return render(request, "research/remarks.html", {"page": page, "team": team})
