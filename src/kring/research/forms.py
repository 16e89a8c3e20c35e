"""The questionnaire as a form (issue 13, point 1; R16), built from research.questionnaire, the
one definition of the questions: the portal's page and the coordinator's typing-in from paper
use it alike. A role's form has only that role's questions: a harmed-only question posted by
anyone else is no field here, so it is never read.

Every question may be left open (a participant answers what they want to), but a form with no
answer at all is refused with a message. A number outside 1 to 5 or an unknown choice is the
field's error; nothing is stored."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from kring.research import actions
from kring.research.models import YesNo
from kring.research.questionnaire import CHANGES, REMARK, REMARK_HINT, SCALE, Question, scales_for


def _scale_choices(question: Question) -> list[tuple[int, str]]:
    """1 to 5, the ends with their words: "1: not satisfied at all" ... "5: very satisfied"."""
    choices = []
    for number in SCALE:
        words = question.low if number == SCALE[0] else question.high if number == SCALE[-1] else ""
        choices.append((number, f"{number}: {words}" if words else str(number)))
    return choices


class QuestionnaireForm(forms.Form):
    """The questions for `role` (research.models.AnswerRole)."""

    def __init__(self, *args, role: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.role = role
        self.scales = []
        for question in scales_for(role):
            self.fields[question.field] = forms.TypedChoiceField(
                label=question.text,
                choices=_scale_choices(question),
                coerce=int,
                empty_value=None,
                required=False,
                widget=forms.RadioSelect,
                error_messages={"invalid_choice": actions.BAD_SCALE},
            )
            self.scales.append(question.field)
        self.changes = []
        for question in CHANGES:
            self.fields[question.field] = forms.ChoiceField(
                label=question.text,
                choices=YesNo.choices,
                required=False,
                widget=forms.RadioSelect,
                error_messages={"invalid_choice": actions.BAD_CHOICE},
            )
            self.changes.append(question.field)
        self.fields["remark"] = forms.CharField(
            label=REMARK,
            help_text=REMARK_HINT,
            required=False,
            max_length=actions.REMARK_MAX,
            widget=forms.Textarea(attrs={"rows": 5}),
            error_messages={"max_length": actions.TOO_LONG},
        )

    def scale_fields(self):
        return [self[name] for name in self.scales]

    def change_fields(self):
        return [self[name] for name in self.changes]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if not self.errors and not any(value not in (None, "") for value in cleaned.values()):
            raise forms.ValidationError(actions.EMPTY, code="empty")
        return cleaned

    def answers(self) -> dict[str, Any]:
        return dict(self.cleaned_data)


# The roles a blank questionnaire is printed for (research:print), by their URL word.
PRINT_ROLES = ("harmed", "responsible", "supporter", "other")
PRINT_TITLE = _("Questionnaire")
