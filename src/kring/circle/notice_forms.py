"""The coordinator's forms for what participants bring to them (issue 8): recording a return
and answering a question. They parse input only; the rules are in circle.policy."""

from django import forms
from django.utils.translation import gettext_lazy as _

from kring.circle.forms import LocalDateTimeField, _modes, _now_local
from kring.circle.models import Mode


class ReturnForm(forms.Form):
    returned_at = LocalDateTimeField(
        label=_("When did they tell you they want to take part again?"), initial=_now_local
    )
    mode = forms.ChoiceField(
        label=_("How did they tell you?"),
        choices=_modes(Mode.IN_PERSON, Mode.PHONE, Mode.VIDEO),
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose how they told you.")},
    )


class AnswerForm(forms.Form):
    answer = forms.CharField(
        label=_("Your answer"),
        help_text=_("The participant reads this on their personal page. Write in plain words."),
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=2000,
        required=False,
        error_messages={"max_length": _("Keep your answer under %(limit_value)d characters.")},
    )
    by_phone = forms.BooleanField(
        label=_("I answered by telephone (nothing is shown on their page)"), required=False
    )

    def clean(self):
        data = super().clean()
        if not data.get("by_phone") and not (data.get("answer") or "").strip():
            raise forms.ValidationError(
                _("Type your answer, or choose that you answered by telephone.")
            )
        return data
