import re

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from kring.accounts.models import User
from kring.audit.models import AuditEvent
from kring.core.dates import check_day, day_input_attrs

# The filter choice that shows every refused attempt (kring.audit.labels.refused_kinds).
REFUSED_GROUP = "refused"
# A case reference as Kring writes it (referrals.models.new_reference): K-7QH4-M2XD. Read out
# over the phone, it may come back in lower case, with spaces or without the dashes.
_REFERENCE = re.compile(r"K-?([0-9A-HJKMNP-TV-Z]{4})-?([0-9A-HJKMNP-TV-Z]{4})")
REFERENCE_HELP = _("As on the case page, for example K-7QH4-M2XD.")
REFERENCE_INVALID = _("This is not a case reference. A reference looks like K-7QH4-M2XD.")


class AuditFilterForm(forms.Form):
    actor = forms.ModelChoiceField(
        label=_("Person"),
        queryset=User.objects.none(),
        required=False,
        empty_label=_("Everyone"),
        error_messages={"invalid_choice": _("Choose a person from the list.")},
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
            ("portal.", _("Participants on their personal page")),
            ("account.", _("Signing in and accounts")),
            ("admin", _("Administration: changes to users and teams")),
            (REFUSED_GROUP, _("Every refused attempt")),
            ("case.access_refused", _("Refused attempts to open a case")),
        ],
        error_messages={"invalid_choice": _("Choose what to show from the list.")},
    )
    reference = forms.CharField(
        label=_("Case reference"),
        required=False,
        help_text=REFERENCE_HELP,
        # Longer than a reference, so that a pasted reference with spaces still fits.
        max_length=40,
        error_messages={"max_length": REFERENCE_INVALID},
    )
    date_from = forms.DateField(
        label=_("From"),
        required=False,
        widget=forms.DateInput(attrs=day_input_attrs()),
        error_messages={"invalid": _("Enter a date, for example 2026-11-26.")},
    )
    date_to = forms.DateField(
        label=_("Until"),
        required=False,
        widget=forms.DateInput(attrs=day_input_attrs()),
        error_messages={"invalid": _("Enter a date, for example 2026-11-26.")},
    )

    def __init__(self, *args, team_id, **kwargs):
        super().__init__(*args, **kwargs)
        # The team's staff, and anyone else the team's log names (another team's coordinator
        # refused one of this team's cases, an administrator who changed an account).
        in_log = AuditEvent.objects.filter(team_id=team_id, actor__isnull=False).values("actor")
        self.fields["actor"].queryset = User.objects.filter(
            Q(team_id=team_id) | Q(pk__in=in_log)
        ).order_by("first_name", "last_name", "username")

    def clean_reference(self) -> str:
        text = "".join(self.cleaned_data.get("reference", "").split()).upper()
        if not text:
            return ""
        match = _REFERENCE.fullmatch(text)
        if match is None:
            raise forms.ValidationError(REFERENCE_INVALID, code="invalid")
        return f"K-{match[1]}-{match[2]}"

    # Outside Kring's days (kring.core.dates) a date is refused at its field: 9999-12-31 has no
    # next day to end the filter with (a 500 before, issue 14 finding 3).
    def clean_date_from(self):
        return check_day(self.cleaned_data.get("date_from"))

    def clean_date_to(self):
        return check_day(self.cleaned_data.get("date_to"))

    def clean(self):
        data = super().clean()
        if data.get("date_from") and data.get("date_to") and data["date_from"] > data["date_to"]:
            self.add_error("date_to", _("The end date must not be before the start date."))
        return data
