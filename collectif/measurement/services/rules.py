"""Writes of the validation rules: checks between two indicators of one partner."""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from collectif.core.actors import Actor, require
from collectif.core.services import assign, audit_record, field_values, save_changed
from collectif.measurement.audit import MeasurementAction
from collectif.measurement.models import Indicator, ValidationRule
from collectif.measurement.permissions import MANAGE


@dataclass(frozen=True)
class ValidationRuleData:
    """Everything staff write about a rule but its code: `left operator right`, and the
    message partners read in their language."""

    left: Indicator
    operator: str
    right: Indicator
    message_en: str
    message_fr: str
    severity: str = ValidationRule.Severity.ERROR
    is_active: bool = True


def _check_rule(rule: ValidationRule) -> None:
    if rule.left_id and rule.left_id == rule.right_id:
        raise ValidationError(
            {"right": _("Compare two different indicators.")}, code="same_indicator"
        )


@transaction.atomic
def validation_rule_create(*, actor: Actor, code: str, data: ValidationRuleData) -> ValidationRule:
    require(actor, MANAGE)
    values = field_values(data)
    rule = ValidationRule(code=code, **values)
    _check_rule(rule)
    rule.full_clean()
    rule.save()
    audit_record(
        actor=actor,
        action=MeasurementAction.VALIDATION_RULE_CREATE,
        target=rule,
        changes={"code": code, **values},
    )
    return rule


@transaction.atomic
def validation_rule_update(
    *, actor: Actor, rule: ValidationRule, data: ValidationRuleData
) -> ValidationRule:
    """Change a rule, writing only the fields that differ."""
    require(actor, MANAGE)
    changes = assign(rule, field_values(data))
    _check_rule(rule)
    rule.full_clean()
    save_changed(rule, changes)
    audit_record(
        actor=actor,
        action=MeasurementAction.VALIDATION_RULE_UPDATE,
        target=rule,
        changes=changes,
    )
    return rule
