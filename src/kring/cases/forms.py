from django import forms
from django.utils.translation import gettext_lazy as _

from kring.accounts.models import Role, User
from kring.cases.models import DeclineReason, HandBackReason, StopReason


class DeclineForm(forms.Form):
    reason = forms.ChoiceField(
        label=_("Why is the request declined?"),
        help_text=_("The requester receives this reason in plain words by e-mail."),
        choices=DeclineReason.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose the reason for declining.")},
    )


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
