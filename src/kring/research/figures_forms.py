"""The filters of the figures page (issue 13, point 2): from, to and (researchers) the team.

A GET form, always bound: what the URL does not say takes its default (the 12 calendar months up
to and including this one, every team the actor may see), so the page, its exports and a link someone
copied all read the same selection. A manager has no team to choose: their own team is the
selection, whatever the URL says (research.policy.teams_for). Periods are whole months: the
days given snap to the first day of the first month and the last day of the last
(research.figures.Selection), and the page says so."""

from __future__ import annotations

import calendar
from collections.abc import Mapping
from datetime import date
from typing import Any

from django import forms
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from kring.accounts.models import Team
from kring.audit.actors import By
from kring.core.dates import check_day, day_input_attrs
from kring.research.figures import Selection
from kring.research.policy import sees_every_team, teams_for

# Outside kring.core.dates.FIRST_DAY and LAST_DAY a date is a typing error (0001-01-01,
# 9999-12-31), refused with a message rather than computed (never a 500).
ENTER_A_DATE = _("Enter a date, for example 2026-11-26.")


def default_period(today: date) -> tuple[date, date]:
    """The 12 calendar months up to and including `today`'s month, so a conference held this
    month counts: on 29 November 2026, from 1 December 2025 to 30 November 2026."""
    end = today.replace(day=calendar.monthrange(today.year, today.month)[1])
    months = today.year * 12 + today.month - 1 - 11
    return date(months // 12, months % 12 + 1, 1), end


class FiguresFilterForm(forms.Form):
    def __init__(self, data: Mapping[str, str], *, actor: By, today: date) -> None:
        self.actor = actor
        start, end = default_period(today)
        self.teams = teams_for(actor)
        # Researchers choose among every team; a manager's only team is not a choice.
        self.choose_team = sees_every_team(actor)
        values = {"from": start.isoformat(), "to": end.isoformat(), "team": ""}
        values.update({key: data[key] for key in ("from", "to", "team") if key in data})
        super().__init__(values)
        date_field: dict[str, Any] = {
            "required": True,
            "widget": forms.DateInput(attrs=day_input_attrs(), format="%Y-%m-%d"),
            "error_messages": {"invalid": ENTER_A_DATE, "required": ENTER_A_DATE},
        }
        self.fields["from"] = forms.DateField(label=_("From"), **date_field)
        self.fields["to"] = forms.DateField(label=_("Until"), **date_field)
        if self.choose_team:
            self.fields["team"] = forms.ModelChoiceField(
                label=_("Team"),
                queryset=self.teams.order_by("name"),
                required=False,
                empty_label=_("All teams"),
                error_messages={"invalid_choice": _("Choose a team from the list.")},
            )

    def _clean_day(self, name: str) -> date | None:
        return check_day(self.cleaned_data.get(name))

    def clean_from(self) -> date | None:
        return self._clean_day("from")

    def clean_to(self) -> date | None:
        return self._clean_day("to")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("from") and data.get("to") and data["from"] > data["to"]:
            self.add_error("to", _("The end date must not be before the start date."))
        return data

    def team(self) -> Team | None:
        """The team chosen (None: every team the actor may see). A manager's own team."""
        if self.choose_team:
            return self.cleaned_data.get("team")
        if not hasattr(self, "_own_team"):
            self._own_team = self.teams.first()
        return self._own_team

    def selection(self) -> Selection:
        """The selection of a valid form."""
        team = self.team()
        if team is not None:
            team_ids: tuple[int, ...] | None = (team.pk,)
        elif self.choose_team:
            team_ids = None
        else:
            team_ids = ()  # a manager without a team: refused by the policy before this
        return Selection(
            start=self.cleaned_data["from"], end=self.cleaned_data["to"], team_ids=team_ids
        )

    def query(self) -> str:
        """The filters as a query string, for the export links and the pages."""
        query = QueryDict(mutable=True)
        for key in ("from", "to", "team"):
            value = self.data.get(key, "")
            if value and (key != "team" or self.choose_team):
                query[key] = value
        return query.urlencode()
