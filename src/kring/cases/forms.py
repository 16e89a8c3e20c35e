from django import forms
from django.utils.translation import gettext_lazy as _

from kring.accounts.models import Role, User
from kring.cases.actions import DECLINE_NOTE_MAX_LENGTH, decline_note_refusal
from kring.cases.models import DeclineReason, HandBackReason, StopReason


class _TextareaText(forms.CharField):
    """A textarea's text with line ends as one character, so that the browser's maxlength
    count and ours agree."""

    def to_python(self, value):
        return super().to_python(value).replace("\r\n", "\n").replace("\r", "\n")


class DeclineForm(forms.Form):
    reason = forms.ChoiceField(
        label=_("Why is the request declined?"),
        help_text=_("The requester receives this reason in plain words by e-mail."),
        choices=DeclineReason.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose the reason for declining.")},
    )
    note = _TextareaText(
        label=_("A note to the requester (optional)"),
        help_text=_(
            "What help fits better, for example another organisation to ask. The requester "
            "receives this in the e-mail exactly as you write it. Do not repeat what the "
            "request says about what happened, and name no one. At most 1,000 characters."
        ),
        max_length=DECLINE_NOTE_MAX_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={
            "max_length": _(
                "Keep the note to at most %(limit_value)d characters (it has %(show_value)d)."
            ),
        },
    )

    def __init__(self, *args, case=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.case = case

    def clean_note(self):
        note = self.cleaned_data["note"]
        if self.case is not None:
            refusal = decline_note_refusal(self.case, note)
            if refusal is not None:
                raise forms.ValidationError(refusal.message, code=refusal.code)
        return note


class AssignForm(forms.Form):
    coordinator = forms.ModelChoiceField(
        label=_("Coordinator"),
        help_text=_(
            "The coordinator is notified and must accept the case with a declaration "
            "of independence."
        ),
        queryset=User.objects.none(),
        empty_label=_("Choose a coordinator"),
        error_messages={
            "required": _("Choose a coordinator."),
            "invalid_choice": _("Choose a coordinator from the list."),
        },
    )

    def __init__(self, *args, team, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["coordinator"].queryset = User.objects.filter(
            role=Role.COORDINATOR, team=team, is_active=True
        ).order_by("first_name", "username")


class AcceptForm(forms.Form):
    declares_independence = forms.BooleanField(
        label=_(
            "I declare that I have no tie with anyone in this case: not family, not a "
            "friend, not a colleague, not a neighbour, not a client."
        ),
        required=False,
    )


class HandBackForm(forms.Form):
    reason = forms.ChoiceField(
        label=_("Why do you hand the case back?"),
        choices=HandBackReason.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose the reason for handing the case back.")},
    )


class StopForm(forms.Form):
    reason = forms.ChoiceField(
        label=_("Why is the case stopped?"),
        choices=StopReason.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose the reason for stopping.")},
    )
