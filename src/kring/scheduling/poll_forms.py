"""The forms of the date poll: an option proposed by the coordinator, and the answers to every
option (in the portal, or told by phone). The rules an option must meet are checked by the
action (scheduling.poll.check_option), under the case lock."""

from django import forms
from django.utils.translation import gettext_lazy as _

from kring.scheduling import poll
from kring.scheduling.models import Availability, Venue


class OptionForm(forms.Form):
    day = forms.DateField(
        label=_("Date"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        input_formats=["%Y-%m-%d", "%d-%m-%Y"],
        error_messages={
            "required": _("Enter the date."),
            "invalid": _("Enter a real date, for example 14-03-2027."),
        },
    )
    starts = forms.TimeField(
        label=_("Start (Dutch time)"),
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        error_messages={
            "required": _("Enter the start time."),
            "invalid": _("Enter a time, for example 14:30."),
        },
    )
    ends = forms.TimeField(
        label=_("End (Dutch time)"),
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        error_messages={
            "required": _("Enter the end time."),
            "invalid": _("Enter a time, for example 17:00."),
        },
    )
    # Not a ModelChoiceField: a venue that is retired, of another team, or unknown gets its
    # own clear message from the action instead of "select a valid choice".
    venue = forms.TypedChoiceField(
        label=_("Venue"),
        coerce=int,
        error_messages={"required": _("Choose a venue.")},
    )

    def __init__(self, *args, case, **kwargs):
        super().__init__(*args, **kwargs)
        venues = Venue.objects.filter(team_id=case.team_id, retired_at__isnull=True)
        self.fields["venue"].choices = [("", "")] + [
            (v.pk, f"{v.name} ({v.capacity})") for v in venues
        ]
        # Any number is let through to the action, which names what is wrong with it.
        self.fields["venue"].valid_value = lambda value: True

    def moment(self):
        """(starts_at, ends_at, venue or None) as the action takes them."""
        data = self.cleaned_data
        venue = Venue.objects.filter(pk=data["venue"]).first()
        return (
            poll.local(data["day"], data["starts"]),
            poll.local(data["day"], data["ends"]),
            venue,
        )


def field_name(option) -> str:
    return f"option_{option.pk}"


class AnswersForm(forms.Form):
    """One radio group per option: yes, if need be, no. Every option must be answered: a blank
    is not a no."""

    def __init__(self, *args, options, initial_answers=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.options = list(options)
        initial_answers = initial_answers or {}
        self.answered_before = bool(initial_answers)
        for option in self.options:
            label = poll.describe(option)
            self.fields[field_name(option)] = forms.ChoiceField(
                label=label,
                choices=Availability.choices,
                widget=forms.RadioSelect,
                initial=initial_answers.get(option.pk),
                help_text=option.venue.name,
                error_messages={
                    "required": _("Give an answer for %(option)s.") % {"option": label},
                },
            )

    def answers(self) -> dict[int, str]:
        return {option.pk: self.cleaned_data[field_name(option)] for option in self.options}
