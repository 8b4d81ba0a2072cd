"""The targets services: baselines and targets against plan versions, all or nothing."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from collectif.agenda.tests.factories import PlanVersionFactory
from collectif.core.models import AuditEvent
from collectif.measurement.models import (
    Baseline,
    Indicator,
    Target,
)
from collectif.measurement.services import targets as plan
from collectif.measurement.services.targets import TargetInput
from collectif.measurement.tests.factories import (
    IndicatorFactory,
    PeriodFactory,
    backbone_staff,
)


def actions() -> list[str]:
    return list(AuditEvent.objects.order_by("pk").values_list("action", flat=True))


@pytest.fixture
def staff():
    return backbone_staff()


@pytest.mark.django_db
def test_baseline_and_targets_are_saved_all_or_nothing(staff):
    indicator = IndicatorFactory.create(unit=Indicator.Unit.PERCENT)
    original = PlanVersionFactory.create(number=1)
    revised = PlanVersionFactory.create(number=2)
    y2025, y2026 = PeriodFactory.create(code="2025"), PeriodFactory.create(code="2026")
    plan.indicator_plan_set(
        actor=staff,
        indicator=indicator,
        baseline_period=y2025,
        baseline_value=Decimal(40),
        baseline_source_en="Partner reports",
        baseline_source_fr="Rapports des partenaires",
        targets=[
            TargetInput(original, y2026, Decimal(50)),
            TargetInput(revised, y2026, Decimal(45)),
        ],
    )
    assert Target.objects.count() == 2
    baseline = Baseline.objects.get()
    assert (baseline.value, getattr(baseline, "source_fr", None)) == (
        Decimal(40),
        "Rapports des partenaires",
    )

    with pytest.raises(ValidationError) as raised:
        plan.indicator_plan_set(
            actor=staff,
            indicator=indicator,
            baseline_period=y2025,
            baseline_value=Decimal(42),
            targets=[
                TargetInput(original, y2026, Decimal(55)),
                TargetInput(revised, y2026, Decimal(120), field="target_2_2026"),
            ],
        )
    assert "target_2_2026" in raised.value.error_dict
    assert Baseline.objects.get().value == Decimal(40)
    assert sorted(Target.objects.values_list("value", flat=True)) == [45, 50]

    plan.indicator_plan_set(
        actor=staff,
        indicator=indicator,
        baseline_period=None,
        baseline_value=None,
        targets=[TargetInput(original, y2026, None)],
    )
    assert not Baseline.objects.exists()
    assert list(Target.objects.values_list("plan_version__number", flat=True)) == [2]
    assert {"measurement.baseline_remove", "measurement.target_remove"} <= set(actions())


@pytest.mark.django_db
def test_removing_what_is_not_there_is_not_audited(staff):
    indicator = IndicatorFactory.create()
    period = PeriodFactory.create(code="2026")
    version = PlanVersionFactory.create(number=1)
    assert not plan.baseline_remove(actor=staff, indicator=indicator)
    assert not plan.target_remove(
        actor=staff, plan_version=version, indicator=indicator, period=period
    )
    assert not AuditEvent.objects.exists()


@pytest.mark.django_db
def test_a_baseline_needs_both_period_and_value(staff):
    indicator = IndicatorFactory.create()
    with pytest.raises(ValidationError) as raised:
        plan.indicator_plan_set(
            actor=staff, indicator=indicator, baseline_period=None, baseline_value=Decimal(3)
        )
    assert "baseline_period" in raised.value.error_dict
