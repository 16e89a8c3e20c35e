"""The participant's forms: short questions in the first person (they read them on a phone)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from kring.circle.models import Answer

# The offer of rights (R17), asked of the participant themselves.
RIGHT_CHOICES = [
    (Answer.YES.value, _("Yes, I want this")),
    (Answer.NO.value, _("No, thank you")),
    (Answer.LATER.value, _("I will decide later")),
]


class ConsentForm(forms.Form):
    """R9, R17: the answers to the offer of rights and consent to one version of the
    information. A parent or guardian chooses for whom they consent: themselves or their child."""

    person = forms.TypedChoiceField(
        label=_("Who do you give consent for?"),
        coerce=int,
        widget=forms.RadioSelect,
    )
    legal_advice = forms.ChoiceField(
        label=_("Do you want legal advice?"),
        help_text=_("A lawyer or legal adviser you can ask questions, free of charge."),
        choices=RIGHT_CHOICES,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose whether you want legal advice.")},
    )
    interpreter = forms.ChoiceField(
        label=_("Do you want an interpreter?"),
        help_text=_("Someone who translates everything that is said. The coordinator arranges it."),
        choices=RIGHT_CHOICES,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose whether you want an interpreter.")},
    )
    support_person = forms.ChoiceField(
        label=_("Do you want to bring a support person?"),
        help_text=_("Someone you trust, who comes with you."),
        choices=RIGHT_CHOICES,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose whether you want a support person.")},
    )
    agree = forms.BooleanField(
        error_messages={
            "required": _("Tick the box to say you have read the information and agree.")
        },
    )

    def __init__(self, *args, participant, wards=(), include_self=True, version, **kwargs):
        super().__init__(*args, **kwargs)
        self.participant = participant
        self.wards = {ward.pk: ward for ward in wards}
        # The version is recorded with the consent; the participant reads no version code.
        self.fields["agree"].label = _(
            "I have read the explanation above and I agree to take part."
        )
        if self.wards:
            # Only those who still have to consent: not oneself once one's consent counts.
            own = [(participant.pk, _("Myself"))] if include_self else []
            self.fields["person"].initial = participant.pk if include_self else None
            self.fields["person"].choices = own + [
                (ward.pk, _("%(name)s, as their parent or guardian") % {"name": ward.name})
                for ward in wards
            ]
            self.fields["person"].error_messages["required"] = _("Choose who you consent for.")
            self.fields["person"].error_messages["invalid_choice"] = _(
                "Choose who you consent for."
            )
        else:
            del self.fields["person"]

    def consenting_for(self):
        """The participant the consent is for: the participant themself or one of their wards."""
        pk = self.cleaned_data.get("person", self.participant.pk)
        return self.wards.get(pk, self.participant)


class NominateForm(forms.Form):
    """R6: "who else should be there?"."""

    name = forms.CharField(
        label=_("Name"),
        max_length=200,
        error_messages={
            "required": _("Write the name of the person you want to be there."),
            "max_length": _("Write the name in at most %(limit_value)d characters."),
        },
    )
    relation = forms.CharField(
        label=_("Who is this person to you?"),
        help_text=_("For example: my aunt, my neighbour, my teacher."),
        max_length=200,
        required=False,
        error_messages={"max_length": _("Write this in at most %(limit_value)d characters.")},
    )
