"""The contact forms: the person, a consent granted, a consent withdrawn."""

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from collectif.ecosystem.models import ConsentBasis, ConsentKind, Contact, Language, Organisation
from collectif.ecosystem.selectors import contacts as selectors
from collectif.ecosystem.services.contacts import ContactData

NAME_MAX = Contact._meta.get_field("name").max_length
ROLE_MAX = Contact._meta.get_field("role_title").max_length


class OrganisationChoiceField(forms.ModelChoiceField[Organisation]):
    def label_from_instance(self, obj: Organisation) -> str:
        return f"{obj.name} ({obj.head_office_province_id})"


class ContactForm(forms.Form):
    organisation = OrganisationChoiceField(
        label=_("Organisation"),
        queryset=Organisation.objects.none(),
        empty_label=_("Choose an organisation"),
    )
    name = forms.CharField(
        label=_("Name"),
        max_length=NAME_MAX,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    role_title_en = forms.CharField(
        label=_("Role (English)"),
        required=False,
        max_length=ROLE_MAX,
        widget=forms.TextInput(attrs={"lang": "en"}),
    )
    role_title_fr = forms.CharField(
        label=_("Role (French)"),
        required=False,
        max_length=ROLE_MAX,
        widget=forms.TextInput(attrs={"lang": "fr"}),
    )
    preferred_language = forms.ChoiceField(
        label=_("Preferred language"), choices=Language.choices, widget=forms.RadioSelect
    )
    email = forms.EmailField(label=_("E-mail"), required=False, max_length=254)
    phone = forms.CharField(label=_("Phone"), required=False, max_length=40)
    notes = forms.CharField(
        label=_("Notes"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(
        self,
        *args: Any,
        contact: Contact | None = None,
        organisation: Organisation | None = None,
        **kwargs: Any,
    ) -> None:
        if contact is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                "organisation": contact.organisation_id,
                "name": contact.name,
                "role_title_en": getattr(contact, "role_title_en", "") or "",
                "role_title_fr": getattr(contact, "role_title_fr", "") or "",
                "preferred_language": contact.preferred_language,
                "email": contact.email,
                "phone": contact.phone,
                "notes": contact.notes,
            }
        elif "initial" not in kwargs:
            kwargs["initial"] = {
                "organisation": organisation.pk if organisation else None,
                "preferred_language": Language.FRENCH,
            }
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = selectors.organisation_choices()  # type: ignore[attr-defined]

    def contact_data(self) -> ContactData:
        data = self.cleaned_data
        return ContactData(
            organisation=data["organisation"],
            name=data["name"],
            role_title_en=data["role_title_en"],
            role_title_fr=data["role_title_fr"],
            preferred_language=data["preferred_language"],
            email=data["email"],
            phone=data["phone"],
            notes=data["notes"],
        )


class DateInput(forms.DateInput):
    input_type = "date"


class ConsentForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Kind of consent"), choices=ConsentKind.choices, widget=forms.RadioSelect
    )
    basis = forms.ChoiceField(
        label=_("Why"),
        choices=ConsentBasis.choices,
        help_text=_("Express consent is “Asked and agreed”; every other reason is implied."),
    )
    given_on = forms.DateField(label=_("Given on"), widget=DateInput)
    source = forms.CharField(
        label=_("Where and how"),
        max_length=300,
        help_text=_("For example: the registration form of the May webinar."),
    )
    expires_on = forms.DateField(
        label=_("Ends on (implied consent)"),
        required=False,
        widget=DateInput,
        help_text=_(
            "Leave empty for the legal end: two years after a relationship, six months "
            "after an inquiry."
        ),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault(
            "initial", {"given_on": timezone.localdate(), "kind": ConsentKind.EXPRESS}
        )
        kwargs.setdefault("prefix", "consent")
        super().__init__(*args, **kwargs)


class WithdrawForm(forms.Form):
    withdrawn_on = forms.DateField(label=_("Withdrawn on"), widget=DateInput)
    source = forms.CharField(
        label=_("How"),
        max_length=300,
        help_text=_("For example: replied “unsubscribe” to the March newsletter."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"withdrawn_on": timezone.localdate()})
        kwargs.setdefault("prefix", "withdraw")
        super().__init__(*args, **kwargs)
