"""The coordinator's forms for the circle. They parse and check input only; the rules are in
circle.actions and circle.guards, whose refusals the views show as a form error."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kring.circle.models import (
    Acknowledgment,
    Answer,
    Conversation,
    Mode,
    Participant,
    RiskFlag,
    Side,
)
from kring.core.dates import check_moment

MAIN_SIDES = (Side.HARMED, Side.RESPONSIBLE)


class LocalDateTimeField(forms.DateTimeField):
    """A date and time typed in Europe/Amsterdam (the site's TIME_ZONE), not in the future, and
    within Kring's days (kring.core.dates: the year 1 crashed the action, issue 14 finding 3)."""

    widget = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")

    def __init__(self, **kwargs):
        kwargs.setdefault(
            "error_messages",
            {
                "required": _("Enter the date and time."),
                "invalid": _("Enter a real date and time, for example 14-03-2026 15:30."),
            },
        )
        super().__init__(**kwargs)
        self.input_formats = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%d-%m-%Y %H:%M"]

    def to_python(self, value):
        # Checked as typed, in local time, before anything compares or converts it to UTC.
        return check_moment(super().to_python(value))

    def clean(self, value):
        moment = super().clean(value)
        # A minute of slack: the form opened at 15:30 is sent at 15:30:40.
        if moment is not None and moment > timezone.now() + timezone.timedelta(minutes=1):
            raise forms.ValidationError(_("The date and time cannot be in the future."))
        return moment


def _now_local():
    return timezone.localtime().replace(second=0, microsecond=0)


def _modes(*modes):
    return [(m.value, m.label) for m in modes]


class ParticipantForm(forms.ModelForm):
    """Add a person to the circle, or change their details (not their side)."""

    class Meta:
        model = Participant
        fields = [
            "name",
            "side",
            "supports",
            "relation",
            "email",
            "phone",
            "address",
            "language",
            "interpreter_needed",
            "interpreter_language",
            "accessibility_needs",
            "is_minor",
            "guardian",
            "wishes",
        ]
        widgets = {
            "side": forms.RadioSelect,
            "language": forms.RadioSelect,
            "phone": forms.TextInput(attrs={"type": "tel", "autocomplete": "off"}),
            "email": forms.EmailInput(attrs={"autocomplete": "off"}),
            "address": forms.Textarea(attrs={"rows": 3}),
            "wishes": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {
            "supports": _(
                "For family, friends and others: the harmed or responsible person "
                "they stand beside."
            ),
            "email": _(
                "The invitation with the personal link goes here. Without one, print a letter."
            ),
            "guardian": _("For a minor: their parent or guardian, who must be in the circle too."),
            "wishes": _("Only for a person harmed: who they would like there, or not."),
            "interpreter_language": _("The language the interpreter translates into."),
        }
        error_messages = {
            "name": {"required": _("Enter the person's name.")},
            "side": {"required": _("Choose the person's side.")},
            "email": {"invalid": _("Enter an e-mail address like name@example.org.")},
        }

    def __init__(self, *args, case, **kwargs):
        super().__init__(*args, **kwargs)
        others = case.participants.all()
        if self.instance.pk:
            others = others.exclude(pk=self.instance.pk)
            del self.fields["side"]  # a side is chosen once, when the person is added
            if self.instance.is_main:
                del self.fields["supports"]
            if self.instance.side != Side.HARMED:
                del self.fields["wishes"]
        else:
            self.fields["side"].choices = list(Side.choices)
        if "supports" in self.fields:
            supports = self.fields["supports"]
            supports.queryset = others.filter(side__in=MAIN_SIDES).order_by("pk")
            supports.empty_label = _("No one (a person harmed or responsible)")
            supports.error_messages["invalid_choice"] = _(
                "Choose a person harmed or responsible in this case."
            )
        self.fields["guardian"].queryset = others.order_by("pk")
        self.fields["guardian"].empty_label = _("No one")
        self.fields["guardian"].error_messages["invalid_choice"] = _(
            "Choose a participant of this case."
        )
        self.fields["is_minor"].label = _("This person is a minor (under 18)")
        self.fields["interpreter_needed"].label = _("Needs an interpreter")

    def clean(self):
        data = super().clean()
        if data.get("interpreter_language") and not data.get("interpreter_needed"):
            data["interpreter_needed"] = True
        return data


class ConversationForm(forms.Form):
    held_at = LocalDateTimeField(label=_("When was the conversation?"), initial=_now_local)
    mode = forms.ChoiceField(
        label=_("How"),
        choices=Conversation._meta.get_field("mode").choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose how the conversation took place.")},
    )
    notes = forms.CharField(
        label=_("Short notes"),
        help_text=_("Only you see these notes, never the office or the participants."),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=2000,
        required=False,
    )


class AcknowledgmentForm(forms.Form):
    acknowledges = forms.TypedChoiceField(
        label=_("Does the person acknowledge their part?"),
        help_text=_("An acknowledgment, not a confession: it is never exported as evidence."),
        choices=[
            ("yes", _("Yes, acknowledges their part")),
            ("no", _("No, does not acknowledge their part")),
        ],
        coerce=lambda v: v == "yes",
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose whether the person acknowledges their part.")},
    )
    given_at = LocalDateTimeField(label=_("When"), initial=_now_local)
    mode = forms.ChoiceField(
        label=_("How"),
        choices=Acknowledgment._meta.get_field("mode").choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose how the acknowledgment was given.")},
    )


RIGHTS_ERROR = _("Choose the person's answer.")


class ConsentForm(forms.Form):
    """Consent recorded by the coordinator (paper, phone, in person) after reading out the
    information of circle.information.CURRENT_VERSION (R9, R17)."""

    given_by = forms.TypedChoiceField(
        label=_("Who gives consent?"),
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose who gives consent.")},
    )
    mode = forms.ChoiceField(
        label=_("How was consent given?"),
        choices=_modes(Mode.PAPER, Mode.PHONE, Mode.IN_PERSON),
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose how consent was given.")},
    )
    informed = forms.BooleanField(
        label=_("I have given the person all of the information above."),
        error_messages={"required": _("Confirm that the information was given.")},
    )
    legal_advice = forms.ChoiceField(
        label=_("Right to legal advice: does the person want it?"),
        choices=Answer.choices,
        widget=forms.RadioSelect,
        error_messages={"required": RIGHTS_ERROR},
    )
    interpreter = forms.ChoiceField(
        label=_("Right to an interpreter: does the person want one?"),
        choices=Answer.choices,
        widget=forms.RadioSelect,
        error_messages={"required": RIGHTS_ERROR},
    )
    support_person = forms.ChoiceField(
        label=_("Right to a support person: does the person want one?"),
        choices=Answer.choices,
        widget=forms.RadioSelect,
        error_messages={"required": RIGHTS_ERROR},
    )

    def __init__(self, *args, participant, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [(participant.pk, _("%(name)s themselves") % {"name": participant.name})]
        if participant.is_minor and participant.guardian_id:
            choices.append(
                (
                    participant.guardian_id,
                    _("%(name)s, parent or guardian") % {"name": participant.guardian.name},
                )
            )
            self.fields["given_by"].help_text = _(
                "A minor takes part only when both the minor and the parent or guardian "
                "consent: record each separately."
            )
        self.fields["given_by"].choices = choices
        if len(choices) == 1:
            self.fields["given_by"].initial = participant.pk


class RespondForm(forms.Form):
    accepts = forms.TypedChoiceField(
        label=_("What did the person answer?"),
        choices=[("yes", _("Accepts the invitation")), ("no", _("Declines the invitation"))],
        coerce=lambda v: v == "yes",
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose the person's answer.")},
    )


class WithdrawForm(forms.Form):
    confirm = forms.BooleanField(
        label=_("The person told me they withdraw. I record this now."),
        error_messages={"required": _("Confirm the withdrawal.")},
    )


class NominateForm(forms.Form):
    name = forms.CharField(
        label=_("Name of the person named"),
        max_length=200,
        error_messages={"required": _("Enter the name of the person named.")},
    )
    relation = forms.CharField(
        label=_("Who they are"),
        help_text=_("For example: aunt, neighbour, football coach."),
        max_length=200,
        required=False,
    )
    via = forms.ChoiceField(
        label=_("How did you hear it?"),
        choices=_modes(Mode.PHONE, Mode.IN_PERSON, Mode.VIDEO, Mode.PAPER),
        initial=Mode.PHONE,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose how you heard it.")},
    )


class NominationDecisionForm(forms.Form):
    invite = forms.TypedChoiceField(
        label=_("Your decision"),
        choices=[
            ("yes", _("Add to the circle, to be invited")),
            ("no", _("Do not invite")),
        ],
        coerce=lambda v: v == "yes",
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose whether to add this person.")},
    )
    reason = forms.CharField(
        label=_("Why not?"),
        help_text=_("Only when you do not invite this person."),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def clean(self):
        data = super().clean()
        if data.get("invite") is False and not data.get("reason", "").strip():
            self.add_error("reason", _("Say why this person is not invited."))
        return data


class RiskForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Risk"),
        choices=RiskFlag.Kind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose the kind of risk.")},
    )
    level = forms.ChoiceField(
        label=_("Level"),
        help_text=_("An unresolved high risk blocks a face-to-face meeting."),
        choices=RiskFlag.Level.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose the level of the risk.")},
    )
    assessment = forms.CharField(
        label=_("Your assessment"),
        help_text=_("Only you see this, never the office or the participants."),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": _("Write down your assessment of the risk.")},
    )


class ResolveRiskForm(forms.Form):
    resolution = forms.CharField(
        label=_("What makes it safe now?"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": _("Say what makes it safe now.")},
    )


class InviteForm(forms.Form):
    channel = forms.ChoiceField(
        label=_("How do you send the invitation?"),
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose how to send the invitation.")},
    )

    def __init__(self, *args, participant, **kwargs):
        super().__init__(*args, **kwargs)
        choices = []
        if participant.email:
            choices.append(("email", _("By e-mail, with the personal link")))
        choices.append(("letter", _("As a letter to print (PDF), with the personal link")))
        self.fields["channel"].choices = choices
        self.fields["channel"].initial = choices[0][0]
