"""The office's venue form (issue 9, point 1). It parses and checks input only; who may save it
is scheduling.policy, enforced by scheduling.venues."""

from django import forms
from django.utils.translation import gettext_lazy as _

from kring.scheduling.models import Venue
from kring.scheduling.venues import FIELDS

CAPACITY_MIN = 1
CAPACITY_MAX = 500
CAPACITY_ERROR = _("Enter how many people fit in the room: a number from 1 to 500.")


class VenueForm(forms.ModelForm):
    capacity = forms.IntegerField(
        label=_("Capacity (people)"),
        min_value=CAPACITY_MIN,
        max_value=CAPACITY_MAX,
        help_text=_("How many people fit in the room, the coordinator included. From 1 to 500."),
        error_messages={
            "required": CAPACITY_ERROR,
            "invalid": CAPACITY_ERROR,
            "min_value": CAPACITY_ERROR,
            "max_value": CAPACITY_ERROR,
        },
    )

    class Meta:
        model = Venue
        fields = FIELDS
        widgets = {
            "address": forms.Textarea(attrs={"rows": 3}),
            "route": forms.Textarea(attrs={"rows": 3}),
            "notes": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {
            "name": _("For example: Wijkcentrum De Pijler, zaal 2."),
            "address": _("Street and number, postcode and town. Participants see it."),
            "route": _("Participants see this with their invitation: parking, the entrance."),
            "notes": _("For the office and the coordinators only: keys, contact person, costs."),
        }
        error_messages = {
            "name": {"required": _("Enter the name of the venue.")},
            "address": {"required": _("Enter the address of the venue.")},
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["address"].required = True

    def clean_name(self):
        name = " ".join(self.cleaned_data["name"].split())
        if not name:
            raise forms.ValidationError(_("Enter the name of the venue."))
        return name

    def clean_address(self):
        address = self.cleaned_data["address"].strip()
        if not address:
            raise forms.ValidationError(_("Enter the address of the venue."))
        return address
