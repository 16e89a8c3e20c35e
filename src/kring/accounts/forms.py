from django import forms
from django.contrib.auth import password_validation
from django.contrib.auth.forms import PasswordChangeForm
from django.utils.translation import gettext_lazy as _

from kring.accounts.models import User
from kring.accounts.second_factor import normalise_code


class LoginForm(forms.Form):
    username = forms.CharField(
        label=_("Username"),
        max_length=150,
        widget=forms.TextInput(
            attrs={"autocomplete": "username", "autocapitalize": "none", "spellcheck": "false"}
        ),
    )
    password = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )


class CodeForm(forms.Form):
    """A code from the authenticator app, or (when `allow_recovery`) a recovery code."""

    code = forms.CharField(label=_("Verification code"), max_length=40)

    def __init__(self, *args, allow_recovery: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.allow_recovery = allow_recovery
        field = self.fields["code"]
        field.widget.attrs.update(
            {"autocomplete": "one-time-code", "class": "code", "spellcheck": "false"}
        )
        if allow_recovery:
            field.help_text = _(
                "The 6-digit code that your authenticator app shows now, or one of your "
                "recovery codes."
            )
            field.widget.attrs["autocapitalize"] = "none"
        else:
            field.help_text = _("The 6-digit code that your authenticator app shows now.")
            field.widget.attrs["inputmode"] = "numeric"

    def clean_code(self):
        code = normalise_code(self.cleaned_data["code"])
        if not self.allow_recovery and not (code.isdigit() and len(code) == 6):
            raise forms.ValidationError(_("Enter the 6 digits that your app shows."))
        return code


def _password_hint() -> str:
    lengths = [
        v.min_length
        for v in password_validation.get_default_password_validators()
        if isinstance(v, password_validation.MinimumLengthValidator)
    ]
    if lengths:
        return _(
            "At least %(min_length)d characters. A sentence of a few words is easy to remember. "
            "Common passwords and passwords like your name are refused."
        ) % {"min_length": max(lengths)}
    return _("Common passwords and passwords like your name are refused.")


class KringPasswordChangeForm(PasswordChangeForm):
    """Django's form and validators, with a plain-text hint (the default is an HTML list), and
    the current password refused as the new one (issue 14, point 4)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["new_password1"].help_text = _password_hint()
        self.fields["new_password2"].help_text = ""

    def clean(self):
        data = super().clean()
        new, old = data.get("new_password1"), data.get("old_password")
        # old_password is only in the data when it was correct: no second hash to compare.
        if new and old and new == old:
            self.add_error(
                "new_password1", _("Choose a password that differs from your current one.")
            )
        return data


class ContactDetailsForm(forms.ModelForm):
    """How participants reach this user (issue 8, point 3): work details, and "away"."""

    class Meta:
        model = User
        fields = ["work_phone", "work_email", "away"]
        widgets = {
            "work_phone": forms.TextInput(attrs={"type": "tel", "autocomplete": "tel-national"}),
            "work_email": forms.EmailInput(attrs={"autocomplete": "email"}),
        }
        error_messages = {
            "work_email": {
                "invalid": _("Enter an e-mail address like name@organisation.nl."),
            },
            "work_phone": {
                "max_length": _("Enter at most %(limit_value)d characters."),
            },
        }

    def clean_work_phone(self):
        return " ".join(self.cleaned_data["work_phone"].split())
