from django import forms
from django.utils.translation import gettext_lazy as _

from kring.accounts.models import User


class AuditFilterForm(forms.Form):
    actor = forms.ModelChoiceField(
        label=_("Who"), queryset=User.objects.none(), required=False, empty_label=_("Everyone")
    )
    action = forms.ChoiceField(
        label=_("What"),
        required=False,
        choices=[
            ("", _("Everything")),
            ("case.viewed", _("Case pages read")),
            ("referral.viewed", _("Requests read")),
            ("case.", _("Cases: every read and change")),
            ("circle.", _("The circle: every read and change")),
            ("portal.", _("The participant portal")),
            ("account.", _("Signing in and accounts")),
            ("admin", _("Administration: changes to users and teams")),
            ("case.access_refused", _("Refused attempts to open a case")),
        ],
    )
    reference = forms.CharField(label=_("Case reference"), max_length=16, required=False)
    date_from = forms.DateField(
        label=_("From"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": _("Enter a date, for example 2026-11-26.")},
    )
    date_to = forms.DateField(
        label=_("Until"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": _("Enter a date, for example 2026-11-26.")},
    )

    def __init__(self, *args, team_id, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["actor"].queryset = User.objects.filter(team_id=team_id).order_by("username")

    def clean(self):
        data = super().clean()
        if data.get("date_from") and data.get("date_to") and data["date_from"] > data["date_to"]:
            self.add_error("date_to", _("The end date must not be before the start date."))
        return data
