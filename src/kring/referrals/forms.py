"""The public request form (R1): the requester's details and any number of people involved."""

from django import forms
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from kring.referrals.models import PeopleInformed, PersonSide, Referral, RequesterRelation

# The trap for robots: a text input that people never see and leave empty.
HONEYPOT_FIELD = "website"
# More people than anyone would name on a first request; the coordinator asks for the rest.
MAX_PEOPLE = 30
DESCRIPTION_MAX_LENGTH = Referral._meta.get_field("description").max_length


class MultilineField(forms.CharField):
    """A textarea's text with line ends as one character, so a browser's maxlength count
    and ours agree."""

    def to_python(self, value):
        value = super().to_python(value)
        return value.replace("\r\n", "\n").replace("\r", "\n")


class ReferralForm(forms.Form):
    requester_relation = forms.ChoiceField(
        label=_("How are you connected to what happened?"),
        choices=RequesterRelation.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose how you are connected to what happened.")},
    )
    requester_organisation = forms.CharField(
        label=_("Organisation"),
        help_text=_("If you ask on behalf of a school, the police or another organisation."),
        max_length=200,
        required=False,
    )
    description = MultilineField(
        label=_("What happened, briefly?"),
        help_text=_(
            "A few sentences are enough: what happened and roughly when. The coordinator will "
            "talk it through with everyone later. At most 4,000 characters."
        ),
        max_length=DESCRIPTION_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={
            "required": _("Describe briefly what happened."),
            "max_length": _(
                "Keep the description to at most %(limit_value)d characters (it has "
                "%(show_value)d). The coordinator will ask for the details later."
            ),
        },
    )
    place = forms.CharField(
        label=_("Place or postcode"),
        help_text=_(
            "Where it happened, or where the people involved live, such as “Zwolle” or "
            "“8011”. We send your request to the team that works there. Leave it empty if "
            "you do not know."
        ),
        max_length=100,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    people_informed = forms.ChoiceField(
        label=_("Do the people involved know that you are asking for a conference?"),
        choices=PeopleInformed.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Say whether the people involved know that you are asking.")},
    )
    requester_name = forms.CharField(
        label=_("Your name"),
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
        error_messages={"required": _("Enter your name.")},
    )
    requester_email = forms.EmailField(
        label=_("Your e-mail address"),
        help_text=_("We send a confirmation with your reference to this address."),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
        error_messages={
            "required": _("Enter your e-mail address."),
            "invalid": _("Enter an e-mail address in the right form, like name@example.org."),
        },
    )
    requester_phone = forms.CharField(
        label=_("Your telephone number"),
        help_text=_("If you would rather be called back."),
        max_length=40,
        required=False,
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
    )
    privacy_consent = forms.BooleanField(
        label=_("I have read the privacy statement and agree that Kring stores my request."),
        error_messages={
            "required": _("Agree to the privacy statement so that we may store your request.")
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Built per request: the link's text is translated in the visitor's language.
        self.fields["privacy_consent"].help_text = format_html(
            '<a href="{}">{}</a>',
            reverse("referrals:privacy"),
            gettext("Read the privacy statement"),
        )

    def raw_values(self) -> dict:
        """What the visitor typed, unvalidated: to show the form again as it was."""
        return {name: self[name].data for name in self.fields}


class PersonForm(forms.Form):
    name = forms.CharField(
        label=_("Name"),
        help_text=_("Or a description, such as “the neighbour” or “a classmate”."),
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    side = forms.ChoiceField(
        label=_("How is this person involved?"),
        choices=[("", _("Choose…")), *PersonSide.choices],
        required=False,
    )
    contact = forms.CharField(
        label=_("Contact details, if you know them"),
        help_text=_("A telephone number, e-mail or address."),
        max_length=300,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )

    def clean(self):
        data = super().clean()
        if data.get("DELETE"):
            return data  # left out: nothing in it matters any more
        name, side, contact = data.get("name"), data.get("side"), data.get("contact")
        if not name and contact:
            self.add_error(
                "name",
                _(
                    "Give this person’s name or a description, such as “the neighbour”, or "
                    "leave out the contact details."
                ),
            )
        elif not name and side:
            self.add_error(
                "name", _("Give this person’s name or a description, such as “the neighbour”.")
            )
        elif name and not side:
            self.add_error("side", _("Choose how this person is involved, or “Not sure”."))
        return data

    @property
    def is_blank(self) -> bool:
        return not any(self.cleaned_data.get(f) for f in ("name", "side", "contact"))


class BasePeopleFormSet(forms.BaseFormSet):
    """Rows of people; every row is new (there are no "initial" rows to keep), so a blank
    row is always allowed and simply ignored."""

    @classmethod
    def get_default_prefix(cls):
        return "people"

    def initial_form_count(self):
        return 0

    def total_form_count(self):
        if self.is_bound:
            return super().total_form_count()
        return min(len(self.initial or []) + self.extra, self.absolute_max)

    def add_fields(self, form, index):
        super().add_fields(form, index)
        form.fields["DELETE"].label = _("Leave this person out")

    @property
    def can_add(self) -> bool:
        return self.total_form_count() < self.max_num

    def people(self) -> list[dict]:
        """The named people of a valid formset: blank rows and rows left out are skipped."""
        return [
            {k: form.cleaned_data[k] for k in ("name", "side", "contact")}
            for form in self.forms
            if form.cleaned_data and not form.cleaned_data.get("DELETE") and not form.is_blank
        ]

    def as_typed(self, *, add_row: bool) -> "BasePeopleFormSet":
        """The rows as typed (unvalidated, rows left out dropped), optionally plus an empty
        row, to show again without error messages."""
        rows = [
            {name: form[name].data for name in ("name", "side", "contact")}
            for form in self.forms
            if not form["DELETE"].data
        ]
        formset = type(self)(initial=rows)
        formset.extra = 1 if add_row or not rows else 0
        return formset


PeopleFormSet = forms.formset_factory(
    PersonForm,
    formset=BasePeopleFormSet,
    extra=1,
    can_delete=True,
    max_num=MAX_PEOPLE,
    absolute_max=MAX_PEOPLE,
    validate_max=True,
)


def error_summary(form: ReferralForm, people: BasePeopleFormSet) -> list[dict]:
    """The summary above the form: each error, linked to the field it belongs to."""
    items = []

    def anchor(field) -> str:
        return f"#{field.auto_id}_group" if field.use_fieldset else f"#{field.auto_id}"

    for error in form.non_field_errors():
        items.append({"href": "#referral-form", "message": error})
    for field in form:
        items.extend({"href": anchor(field), "message": e} for e in field.errors)
    for error in people.non_form_errors():
        items.append({"href": "#people", "message": error})
    for number, row in enumerate(people.forms, start=1):
        if people.can_delete and people._should_delete_form(row):
            continue
        label = gettext("Person %(number)d") % {"number": number}
        for field in row:
            items.extend(
                {"href": anchor(field), "message": f"{label}: {error}"} for error in field.errors
            )
    return items
