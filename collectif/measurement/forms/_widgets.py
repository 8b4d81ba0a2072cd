"""What the setup forms share: bilingual text inputs, dates, codes and indicator choices."""

from django import forms
from django.utils.translation import gettext_lazy as _

from collectif.measurement.models import Indicator

CODE_HINT = _(
    "Used in files, templates and the API; it cannot be changed later. 2 to 40 lower-case "
    "letters, digits or underscores, e.g. active_mentors."
)


def text_input(lang: str, rows: int = 0) -> forms.Widget:
    """A text box (or area, with `rows`) marked with the language it is written in."""
    if rows:
        return forms.Textarea(attrs={"rows": rows, "lang": lang})
    return forms.TextInput(attrs={"lang": lang})


def date_input() -> forms.DateInput:
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class IndicatorChoiceField(forms.ModelChoiceField[Indicator]):
    def label_from_instance(self, obj: Indicator) -> str:
        return f"{obj.name} ({obj.code})"
