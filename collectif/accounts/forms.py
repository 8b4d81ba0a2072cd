"""Forms for inviting people, accepting an invitation and naming an API token."""

from typing import Any

from django import forms
from django.conf import settings
from django.contrib.auth.password_validation import password_validators_help_texts
from django.core.exceptions import ValidationError
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from collectif.accounts import selectors
from collectif.accounts.models import Role

ROLE_DESCRIPTIONS = {
    Role.STAFF: _(
        "Runs the initiative day to day: invites people, approves data, sees everything."
    ),
    Role.STEWARD: _("Submits and corrects the data of their organisation."),
    Role.GOVERNANCE: _(
        "Sits on a governance table: follows the scorecard, the report card and what "
        "changed since their last visit."
    ),
    Role.RESEARCHER: _(
        "Studies the initiative's results: downloads the published figures by region, "
        "breakdown and period, with small figures hidden."
    ),
}


class RoleChoiceField(forms.ChoiceField):
    """Role radios whose labels carry a one-line description of each role."""

    def __init__(self, **kwargs: Any) -> None:
        # Lazy, so the form module may be imported in one language and shown in another.
        choices = [
            (role.value, format_lazy("{} – {}", role.label, ROLE_DESCRIPTIONS[role]))
            for role in Role
        ]
        super().__init__(choices=choices, widget=forms.RadioSelect, **kwargs)


class InvitationForm(forms.Form):
    email = forms.EmailField(
        label=_("E-mail address"),
        max_length=254,
        help_text=_("The invitation goes to this address; the person signs in with it."),
        widget=forms.EmailInput(attrs={"autocomplete": "off"}),
    )
    organisation = forms.ModelChoiceField(
        label=_("Organisation"),
        queryset=selectors.organisation_choices(),
        empty_label=_("Choose an organisation"),
        help_text=_("Staff, governance members and researchers belong to the backbone's."),
    )
    role = RoleChoiceField(label=_("Role"))
    language = forms.ChoiceField(
        label=_("Language to write the e-mail in first"),
        choices=settings.LANGUAGES,
        widget=forms.RadioSelect,
        help_text=_("The e-mail is always in both languages; this one comes first."),
    )


class AcceptForm(forms.Form):
    """What a new person chooses when accepting: their name and a password, typed twice."""

    full_name = forms.CharField(
        label=_("Full name"),
        max_length=150,
        help_text=_("As colleagues know you; others see it next to your work."),
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    password1 = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    password2 = forms.CharField(
        label=_("Password again"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("Type the same password, to be sure it is the one you meant."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["password1"].help_text = " ".join(password_validators_help_texts())

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        first, second = cleaned.get("password1"), cleaned.get("password2")
        if first and second and first != second:
            self.add_error("password2", ValidationError(_("The two passwords are different.")))
        return cleaned


class TokenForm(forms.Form):
    name = forms.CharField(
        label=_("Name"),
        max_length=100,
        help_text=_("What the token is for, such as “Monthly export script”."),
    )
