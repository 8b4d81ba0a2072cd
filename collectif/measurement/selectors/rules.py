"""Reads of the validation rule setup pages, for backbone staff only (the views check)."""

from django.db.models import QuerySet
from django.http import Http404

from collectif.measurement.models import ValidationRule


def rules_for_setup() -> QuerySet[ValidationRule]:
    return ValidationRule.objects.select_related("left", "right").order_by("code")


def rule_for_setup(*, code: str) -> ValidationRule:
    rule = ValidationRule.objects.filter(code=code).first()
    if rule is None:
        raise Http404
    return rule
