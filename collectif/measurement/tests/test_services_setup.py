"""The setup services: staff only, audited, and keeping the shared figures true."""

from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from collectif.agenda.tests.factories import PlanVersionFactory
from collectif.core.actors import SYSTEM
from collectif.core.models import AuditEvent
from collectif.ecosystem.tests.factories import OrganisationFactory
from collectif.measurement.domain import rollups
from collectif.measurement.models import (
    Baseline,
    DatasetIndicator,
    Dimension,
    DimensionMember,
    Indicator,
    Period,
    Rollup,
    Submission,
    Target,
    ValidationRule,
)
from collectif.measurement.selectors.dimensions import member_in_use
from collectif.measurement.services import datasets, dimensions, indicators, periods, rules
from collectif.measurement.services import targets as plan
from collectif.measurement.services.datasets import DatasetData
from collectif.measurement.services.indicators import IndicatorData
from collectif.measurement.services.rules import ValidationRuleData
from collectif.measurement.tests.factories import (
    DatasetFactory,
    IndicatorFactory,
    PeriodFactory,
    SubmissionFactory,
    ValueFactory,
    backbone_staff,
    steward_of,
)


def actions() -> list[str]:
    return list(AuditEvent.objects.order_by("pk").values_list("action", flat=True))


def approved_value(indicator, organisation, period, value, breakdown=""):
    submission = Submission.objects.filter(
        organisation=organisation, period=period
    ).first() or SubmissionFactory.create(
        organisation=organisation, period=period, status=Submission.Status.APPROVED
    )
    ValueFactory.create(
        submission=submission, indicator=indicator, breakdown=breakdown, value=value
    )
    return submission


def change(indicator, **fields):
    """The indicator as it is, but for `fields`."""
    return replace(IndicatorData.of(indicator), **fields)


def rule_data(left, right, **fields):
    return ValidationRuleData(
        left=left,
        operator=fields.pop("operator", "<="),
        right=right,
        message_en=fields.pop("message_en", "New matches cannot exceed active mentors."),
        message_fr=fields.pop(
            "message_fr", "Les nouveaux jumelages ne peuvent dépasser les personnes mentores."
        ),
        **fields,
    )


@pytest.fixture
def staff():
    return backbone_staff()


@pytest.fixture
def steward():
    return steward_of(OrganisationFactory.create())


@pytest.mark.django_db
def test_every_setup_service_refuses_people_who_are_not_staff(steward):
    indicator = IndicatorFactory.create()
    other = IndicatorFactory.create()
    period = PeriodFactory.create(code="2026Q1")
    dataset = DatasetFactory.create(indicators=[indicator])
    member = DimensionMember.objects.filter(dimension__code="age").earliest("pk")
    version = PlanVersionFactory.create(number=1)
    calls = [
        lambda: indicators.indicator_create(
            actor=steward,
            code="new",
            data=IndicatorData(name_en="N", name_fr="N", kind="population"),
        ),
        lambda: indicators.indicator_update(
            actor=steward, indicator=indicator, data=change(indicator, is_published=True)
        ),
        lambda: periods.period_create(actor=steward, code="2026Q2"),
        lambda: periods.period_update(actor=steward, period=period, opens_on=None, deadline=None),
        lambda: periods.period_create_next_quarters(actor=steward),
        lambda: datasets.dataset_create(
            actor=steward, code="new", data=DatasetData(name_en="N", name_fr="N"), items=[]
        ),
        lambda: datasets.dataset_update(
            actor=steward, dataset=dataset, data=DatasetData(name_en="N", name_fr="N")
        ),
        lambda: datasets.dataset_assign(actor=steward, dataset=dataset, organisations=[]),
        lambda: datasets.dataset_assignment_change(
            actor=steward, dataset=dataset, assign=[], unassign=[]
        ),
        lambda: dimensions.dimension_member_add(
            actor=steward,
            dimension=Dimension.objects.get(code="age"),
            code="25-29",
            name_en="25 to 29",
            name_fr="25 à 29 ans",
        ),
        lambda: dimensions.dimension_member_rename(
            actor=steward, member=member, name_en="x", name_fr="y"
        ),
        lambda: dimensions.dimension_member_delete(actor=steward, member=member),
        lambda: rules.validation_rule_create(
            actor=steward, code="rule", data=rule_data(indicator, other)
        ),
        lambda: plan.baseline_set(
            actor=steward, indicator=indicator, period=period, value=Decimal(1)
        ),
        lambda: plan.baseline_remove(actor=steward, indicator=indicator),
        lambda: plan.target_set(
            actor=steward,
            plan_version=version,
            indicator=indicator,
            period=period,
            value=Decimal(1),
        ),
        lambda: plan.target_remove(
            actor=steward, plan_version=version, indicator=indicator, period=period
        ),
        lambda: plan.indicator_plan_set(
            actor=steward, indicator=indicator, baseline_period=None, baseline_value=None
        ),
    ]
    for call in calls:
        with pytest.raises(PermissionDenied):
            call()
    assert AuditEvent.objects.count() == 0
    assert DimensionMember.objects.filter(pk=member.pk).exists()
    assert not ValidationRule.objects.exists()


@pytest.mark.django_db
def test_reference_data_is_written_by_staff_and_the_system_and_audited(staff):
    period = periods.period_create(
        actor=staff, code="2026q2", opens_on=date(2026, 7, 1), deadline=date(2026, 7, 31)
    )
    assert (period.code, period.start, period.end) == (
        "2026Q2",
        date(2026, 4, 1),
        date(2026, 6, 30),
    )
    indicator = indicators.indicator_create(
        actor=SYSTEM,
        code="mentors",
        data=IndicatorData(
            name_en="Active mentors",
            name_fr="Personnes mentores actives",
            kind=Indicator.Kind.PERFORMANCE,
            dimensions=("province",),
        ),
    )
    assert [d.code for d in indicator.dimensions.all()] == ["province"]
    indicators.indicator_update(
        actor=staff, indicator=indicator, data=change(indicator, is_published=True)
    )
    indicator.refresh_from_db()
    assert indicator.is_published
    dataset = datasets.dataset_create(
        actor=staff,
        code="quarterly",
        data=DatasetData(name_en="Quarterly", name_fr="Trimestriel"),
        items=[(indicator, True)],
    )
    organisation = OrganisationFactory.create()
    datasets.dataset_assign(actor=staff, dataset=dataset, organisations=[organisation])
    assert list(dataset.organisations.all()) == [organisation]
    plan.baseline_set(actor=staff, indicator=indicator, period=period, value=Decimal(5))
    plan.baseline_set(actor=staff, indicator=indicator, period=period, value=Decimal(6))
    assert Baseline.objects.get().value == Decimal(6)
    version = PlanVersionFactory.create(number=1)
    plan.target_set(
        actor=staff, plan_version=version, indicator=indicator, period=period, value=Decimal(9)
    )
    assert Target.objects.get().value == Decimal(9)
    assert actions() == [
        "measurement.period_create",
        "measurement.indicator_create",
        "measurement.indicator_update",
        "measurement.dataset_create",
        "measurement.dataset_assign",
        "measurement.baseline_set",
        "measurement.baseline_set",
        "measurement.target_set",
    ]
    assert AuditEvent.objects.get(action="measurement.indicator_create").actor_label == "system"


@pytest.mark.django_db
def test_an_update_writes_only_the_columns_that_changed(staff):
    indicator = IndicatorFactory.create(code="served", name_en="Served")
    with CaptureQueriesContext(connection) as queries:
        indicators.indicator_update(
            actor=staff, indicator=indicator, data=change(indicator, name_en="Youth served")
        )
    (update,) = [q["sql"] for q in queries if q["sql"].startswith('UPDATE "measurement_indicator"')]
    assert '"name_en"' in update and '"updated_at"' in update
    assert '"name_fr"' not in update and '"aggregation"' not in update
    assert AuditEvent.objects.get().changes == {"name_en": ["Served", "Youth served"]}


@pytest.mark.smoke
@pytest.mark.django_db
def test_changing_how_an_indicator_combines_rebuilds_its_rollups_in_the_same_change(staff):
    served = IndicatorFactory.create(code="served")
    rate = IndicatorFactory.create(code="rate", unit=Indicator.Unit.PERCENT)
    period = PeriodFactory.create(code="2026Q1")
    for total_served, percent in ((100, 50), (300, 90)):
        organisation = OrganisationFactory.create()
        approved_value(served, organisation, period, total_served)
        approved_value(rate, organisation, period, percent)
    rollups.rebuild_all()
    canada = Rollup.objects.get(indicator=rate, period=period, region="CA", member="")
    assert (canada.total, canada.weight) == (Decimal(140), Decimal(0))

    indicators.indicator_update(
        actor=staff,
        indicator=rate,
        data=change(rate, aggregation=Indicator.Aggregation.WEIGHTED_MEAN, weight_indicator=served),
    )

    canada = Rollup.objects.get(indicator=rate, period=period, region="CA", member="")
    assert canada.weight == Decimal(400)
    assert canada.weighted_total == Decimal(100 * 50 + 300 * 90)
    event = AuditEvent.objects.get(action="measurement.indicator_update")
    assert event.changes["aggregation"] == ["sum", "weighted_mean"]
    assert event.changes["rollups_rebuilt"] > 0


@pytest.mark.django_db
def test_changing_an_indicators_dimensions_rebuilds_stale_rollups_and_is_audited(staff):
    served = IndicatorFactory.create(code="served")
    period = PeriodFactory.create(code="2026Q1")
    approved_value(served, OrganisationFactory.create(), period, 40)
    Rollup.objects.create(indicator=served, period=period, region="CA", total=999, count=1)

    indicators.indicator_update(
        actor=staff, indicator=served, data=change(served, dimensions=("age",))
    )

    assert Rollup.objects.get(indicator=served, period=period, region="CA").total == Decimal(40)
    event = AuditEvent.objects.get(action="measurement.indicator_update")
    assert event.changes["dimensions"] == [[], ["age"]]


@pytest.mark.django_db
def test_an_unknown_dimension_is_refused_and_nothing_is_written(staff):
    served = IndicatorFactory.create(code="served")
    with pytest.raises(ValidationError) as raised:
        indicators.indicator_update(
            actor=staff, indicator=served, data=change(served, dimensions=("age", "planet"))
        )
    assert "planet" in raised.value.error_dict["dimensions"][0].messages[0]
    assert not served.dimensions.exists() and not AuditEvent.objects.exists()


@pytest.mark.django_db
def test_changing_only_the_name_leaves_rollups_alone(staff):
    served = IndicatorFactory.create(code="served")
    period = PeriodFactory.create(code="2026Q1")
    Rollup.objects.create(indicator=served, period=period, region="CA", total=999, count=1)
    indicators.indicator_update(
        actor=staff, indicator=served, data=change(served, name_en="Youth served")
    )
    assert Rollup.objects.get(indicator=served).total == Decimal(999)
    assert "rollups_rebuilt" not in AuditEvent.objects.get().changes


@pytest.mark.django_db
def test_an_invalid_indicator_change_writes_nothing(staff):
    rate = IndicatorFactory.create(code="rate")
    with pytest.raises(ValidationError) as raised:
        indicators.indicator_update(
            actor=staff,
            indicator=rate,
            data=change(rate, aggregation=Indicator.Aggregation.WEIGHTED_MEAN),
        )
    assert "weight_indicator" in raised.value.error_dict
    rate.refresh_from_db()
    assert rate.aggregation == Indicator.Aggregation.SUM
    assert not AuditEvent.objects.exists()


@pytest.mark.django_db
def test_periods_refuse_duplicates_and_bad_codes_and_windows_move(staff):
    periods.period_create(actor=staff, code="2026Q1")
    with pytest.raises(ValidationError) as raised:
        periods.period_create(actor=staff, code="2026q1")
    assert "2026Q1 already exists" in raised.value.error_dict["code"][0].messages[0]
    with pytest.raises(ValidationError) as raised:
        periods.period_create(actor=staff, code="spring")
    assert "is not a period" in raised.value.error_dict["code"][0].messages[0]
    period = Period.objects.get(code="2026Q1")
    with pytest.raises(ValidationError):
        periods.period_update(
            actor=staff, period=period, opens_on=date(2026, 5, 1), deadline=date(2026, 4, 1)
        )
    periods.period_update(
        actor=staff, period=period, opens_on=date(2026, 3, 20), deadline=date(2026, 4, 30)
    )
    period.refresh_from_db()
    assert (period.opens_on, period.deadline) == (date(2026, 3, 20), date(2026, 4, 30))
    assert actions() == ["measurement.period_create", "measurement.period_update"]


@pytest.mark.django_db
def test_the_next_four_quarters_are_created_once(staff):
    created = periods.period_create_next_quarters(actor=staff, today=date(2026, 11, 5))
    assert [p.code for p in created] == ["2026Q4", "2027Q1", "2027Q2", "2027Q3"]
    q4 = Period.objects.get(code="2026Q4")
    assert (q4.opens_on, q4.deadline) == (date(2026, 12, 17), date(2027, 1, 30))
    again = periods.period_create_next_quarters(actor=staff, today=date(2026, 11, 5))
    assert again == []
    assert Period.objects.count() == 4
    assert set(actions()) == {"measurement.period_create_next_quarters"}


@pytest.mark.django_db
def test_a_dataset_update_replaces_its_indicators_in_order(staff):
    first, second, third = IndicatorFactory.create_batch(3)
    dataset = DatasetFactory.create(indicators=[first, second])
    datasets.dataset_update(
        actor=staff,
        dataset=dataset,
        data=DatasetData(name_en="Renamed", name_fr=getattr(dataset, "name_fr", "")),
        items=[(third, True), (first, False)],
    )
    items = list(
        DatasetIndicator.objects.filter(dataset=dataset).values_list(
            "indicator__code", "position", "required"
        )
    )
    assert items == [(third.code, 1, True), (first.code, 2, False)]
    event = AuditEvent.objects.get(action="measurement.dataset_update")
    assert event.changes["indicators"][1] == [third.code, f"{first.code}?"]
    assert event.changes["name_en"][1] == "Renamed"


@pytest.mark.django_db
def test_assignment_changes_add_and_remove_only_what_differs(staff):
    kept, removed, added = OrganisationFactory.create_batch(3)
    dataset = DatasetFactory.create(organisations=[kept, removed])
    counts = datasets.dataset_assignment_change(
        actor=staff, dataset=dataset, assign=[kept, added], unassign=[removed]
    )
    assert counts == (1, 1)
    assert set(dataset.organisations.all()) == {kept, added}
    assert datasets.dataset_assignment_change(
        actor=staff, dataset=dataset, assign=[kept], unassign=[]
    ) == (0, 0)
    assert actions() == ["measurement.dataset_assignment_change"]


@pytest.mark.django_db
def test_members_are_added_renamed_and_deleted_only_when_unused(staff):
    age = Dimension.objects.get(code="age")
    member = dimensions.dimension_member_add(
        actor=staff, dimension=age, code="25-29", name_en="25 to 29", name_fr="25 à 29 ans"
    )
    assert member.position > 1
    with pytest.raises(ValidationError) as raised:
        dimensions.dimension_member_add(
            actor=staff, dimension=age, code="25-29", name_en="Again", name_fr="Encore"
        )
    assert "code" in raised.value.error_dict
    with pytest.raises(ValidationError):
        dimensions.dimension_member_add(
            actor=staff,
            dimension=Dimension.objects.get(code="province"),
            code="XX",
            name_en="X",
            name_fr="X",
        )
    dimensions.dimension_member_rename(
        actor=staff, member=member, name_en="25 to 29 years", name_fr="25 à 29 ans"
    )
    member.refresh_from_db()
    assert getattr(member, "name_en", None) == "25 to 29 years"
    assert AuditEvent.objects.latest("pk").changes == {"name_en": ["25 to 29", "25 to 29 years"]}

    used = DimensionMember.objects.get(dimension=age, code="12-17")
    indicator = IndicatorFactory.create(dimensions=["age"])
    ValueFactory.create(indicator=indicator, breakdown="age:12-17|gender:women")
    with pytest.raises(ValidationError):
        dimensions.dimension_member_delete(actor=staff, member=used)
    assert DimensionMember.objects.filter(pk=used.pk).exists()
    dimensions.dimension_member_delete(actor=staff, member=member)
    assert not DimensionMember.objects.filter(pk=member.pk).exists()
    assert actions() == [
        "measurement.dimension_member_add",
        "measurement.dimension_member_rename",
        "measurement.dimension_member_delete",
    ]


@pytest.mark.django_db
def test_a_member_whose_code_prefixes_a_used_one_is_not_in_use():
    age = Dimension.objects.get(code="age")
    short = DimensionMember.objects.create(dimension=age, code="12", name_en="12", name_fr="12")
    ValueFactory.create(breakdown="age:12-17")
    assert not member_in_use(short)
    assert member_in_use(DimensionMember.objects.get(dimension=age, code="12-17"))


@pytest.mark.django_db
def test_validation_rules_compare_two_indicators_and_are_audited(staff):
    matches, mentors = IndicatorFactory.create_batch(2)
    with pytest.raises(ValidationError) as raised:
        rules.validation_rule_create(actor=staff, code="same", data=rule_data(matches, matches))
    assert "right" in raised.value.error_dict
    rule = rules.validation_rule_create(
        actor=staff, code="matches_mentors", data=rule_data(matches, mentors)
    )
    rules.validation_rule_update(
        actor=staff,
        rule=rule,
        data=rule_data(matches, mentors, severity=ValidationRule.Severity.WARNING),
    )
    rule.refresh_from_db()
    assert rule.severity == "warning"
    assert actions() == [
        "measurement.validation_rule_create",
        "measurement.validation_rule_update",
    ]
    assert AuditEvent.objects.latest("pk").changes == {"severity": ["error", "warning"]}
