"""Forms of the period setup pages: a period's code, and the window partners report in."""

from django import forms
from django.utils.translation import gettext_lazy as _

from collectif.measurement.forms._widgets import date_input


class PeriodWindowForm(forms.Form):
    opens_on = forms.DateField(
        label=_("Submissions open"),
        required=False,
        widget=date_input(),
        help_text=_("The first day partners can send their data."),
    )
    deadline = forms.DateField(
        label=_("Deadline"),
        required=False,
        widget=date_input(),
        help_text=_("After this day, partners that have not reported are shown as late."),
    )


class PeriodCreateForm(PeriodWindowForm):
    code = forms.CharField(
        label=_("Period code"),
        max_length=20,
        help_text=_(
            "A year (2026), a fiscal year (FY2026), a quarter (2026Q1) or a month (2026-03). "
            "The start and end dates follow from the code."
        ),
    )
    field_order = ["code", "opens_on", "deadline"]
