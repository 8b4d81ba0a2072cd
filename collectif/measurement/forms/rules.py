"""Forms of the validation rule setup pages."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from collectif.measurement.forms._widgets import CODE_HINT, IndicatorChoiceField, text_input
from collectif.measurement.models import ValidationRule
from collectif.measurement.selectors.indicators import reportable_indicators
from collectif.measurement.services.rules import ValidationRuleData


class RuleForm(forms.ModelForm[ValidationRule]):
    class Meta:
        model = ValidationRule
        fields = [
            "code",
            "left",
            "operator",
            "right",
            "severity",
            "message_en",
            "message_fr",
            "is_active",
        ]
        field_classes = {"left": IndicatorChoiceField, "right": IndicatorChoiceField}
        labels = {
            "left": _("This indicator"),
            "operator": _("must be"),
            "right": _("compared with this indicator"),
            "message_en": _("Message in English"),
            "message_fr": _("Message in French"),
            "is_active": _("In use: checked on every submission"),
        }
        help_texts = {
            "code": CODE_HINT,
            "left": _("The rule compares one organisation’s values for the same breakdown."),
            "severity": _("An error stops the submission; a warning only informs."),
            "message_en": _("What the partner sees, e.g. New matches cannot exceed mentors."),
        }
        widgets = {"message_en": text_input("en"), "message_fr": text_input("fr")}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["message_en"].required = True
        self.fields["message_fr"].required = True
        if self.instance.pk:
            del self.fields["code"]
        for name in ("left", "right"):
            field = self.fields[name]
            assert isinstance(field, forms.ModelChoiceField)
            field.queryset = reportable_indicators()

    def rule_data(self) -> ValidationRuleData:
        """What the valid form says, for the services (the code aside)."""
        data = self.cleaned_data
        return ValidationRuleData(
            left=data["left"],
            operator=data["operator"],
            right=data["right"],
            message_en=data["message_en"],
            message_fr=data["message_fr"],
            severity=data["severity"],
            is_active=data["is_active"],
        )
