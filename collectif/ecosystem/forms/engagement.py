"""The "record a step" form: the stages it may reach, the date, how, and what comes next.

The form offers only the moves the pipeline allows from where the organisation stands;
the service checks them again (and the dates and owner), whatever the channel.
"""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from collectif.accounts.models import User
from collectif.ecosystem.domain.engagement import allowed_targets, site_today
from collectif.ecosystem.models import Channel
from collectif.ecosystem.selectors import engagement as selectors
from collectif.ecosystem.services.engagement import NEXT_STEP_MAX_LENGTH, NOTE_MAX_LENGTH


class StaffChoiceField(forms.ModelChoiceField[User]):
    def label_from_instance(self, obj: User) -> str:
        return str(obj)


class DateInput(forms.DateInput):
    """The browser's date picker; the value travels as YYYY-MM-DD in either language."""

    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class EngagementForm(forms.Form):
    to_stage = forms.ChoiceField(
        label=_("Stage after this step"),
        help_text=_("Keep the current stage to record a step that does not change it."),
    )
    happened_on = forms.DateField(label=_("Date"), widget=DateInput())
    channel = forms.ChoiceField(label=_("How"), choices=Channel.choices)
    note = forms.CharField(
        label=_("What happened"),
        required=False,
        max_length=NOTE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    next_step = forms.CharField(
        label=_("Next step"),
        required=False,
        max_length=NEXT_STEP_MAX_LENGTH,
        help_text=_("For example: send the partnership agreement. Leave empty if none."),
    )
    next_step_owner = StaffChoiceField(
        label=_("Who does it"),
        queryset=User.objects.none(),
        required=False,
        empty_label=_("Nobody yet"),
    )
    next_step_due = forms.DateField(label=_("By when"), required=False, widget=DateInput())

    def __init__(self, *args: Any, current_stage: str, **kwargs: Any) -> None:
        kwargs.setdefault(
            "initial", {"to_stage": current_stage, "happened_on": site_today().isoformat()}
        )
        super().__init__(*args, **kwargs)
        targets = allowed_targets(current_stage)
        stage_field = self.fields["to_stage"]
        assert isinstance(stage_field, forms.ChoiceField)
        stage_field.choices = [
            (
                stage.value,
                _("%(stage)s (no change)") % {"stage": stage.label}
                if stage.value == current_stage
                else stage.label,
            )
            for stage in targets
        ]
        owner_field = self.fields["next_step_owner"]
        assert isinstance(owner_field, forms.ModelChoiceField)
        owner_field.queryset = selectors.staff_people()
