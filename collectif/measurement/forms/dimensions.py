"""Forms of the dimension setup pages: a member's code and its names."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from collectif.measurement.forms._widgets import text_input


class MemberForm(forms.Form):
    code = forms.RegexField(
        label=_("Code"),
        max_length=40,
        regex=r"^[A-Za-z0-9][A-Za-z0-9_+\-]{0,39}$",
        error_messages={
            "invalid": _("Use letters, digits, “-”, “+” or “_”, starting with a letter or digit.")
        },
        help_text=_(
            "Used in files and the API, e.g. 25-29 or newcomer; it cannot be changed later."
        ),
    )
    name_en = forms.CharField(label=_("Name in English"), max_length=100, widget=text_input("en"))
    name_fr = forms.CharField(label=_("Name in French"), max_length=100, widget=text_input("fr"))

    def __init__(self, *args: Any, renaming: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if renaming:
            del self.fields["code"]
