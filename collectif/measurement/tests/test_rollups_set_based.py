"""The set-based rollup rebuild (one SQL statement per aggregation kind) equals the
Python engine it replaced, kept here as the reference."""

from datetime import timedelta
from decimal import Decimal
from typing import Any

from django.utils import timezone
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase

from collectif.core.models import Province
from collectif.ecosystem.tests.factories import OrganisationFactory
from collectif.measurement.domain import rollups
from collectif.measurement.models import Indicator, Submission, Value
from collectif.measurement.tests.factories import (
    IndicatorFactory,
    PeriodFactory,
)
from collectif.measurement.tests.test_rollups import BREAKDOWNS, D, approved, rollup_rows

# The set-based rebuild against the Python engine it replaced, kept here as the reference:
# every organisation's `contributions` added up slice by slice.


def reference_rows() -> set[tuple[Any, ...]]:
    """Every rollup row as the former Python rebuild computed it."""
    approved_values = Value.objects.filter(submission__status=Submission.Status.APPROVED)
    grouped: dict[tuple[int, int], dict[int, tuple[dict[str, Decimal], Any, str]]] = {}
    for (
        indicator_id,
        period_id,
        organisation_id,
        breakdown,
        value,
        reviewed_at,
        head,
    ) in approved_values.values_list(
        "indicator_id",
        "period_id",
        "organisation_id",
        "breakdown",
        "value",
        "submission__reviewed_at",
        "organisation__head_office_province_id",
    ):
        per_slice = grouped.setdefault((indicator_id, period_id), {})
        per_slice.setdefault(organisation_id, ({}, reviewed_at, head))[0][breakdown] = value
    indicators = {i.pk: i for i in Indicator.objects.all()}
    rows = set()
    for (indicator_id, period_id), organisations in grouped.items():
        indicator = indicators[indicator_id]
        weighted = indicator.aggregation == Indicator.Aggregation.WEIGHTED_MEAN
        weights = (
            grouped.get((indicator.weight_indicator_id or 0, period_id), {}) if weighted else {}
        )
        cells: dict[tuple[str, str], list[Any]] = {}
        for organisation_id, (values, reviewed_at, head) in sorted(organisations.items()):
            own_weights = weights.get(organisation_id, ({}, None, head))[0] if weighted else None
            parts = rollups.contributions(indicator, values, weights=own_weights, head_office=head)
            for cell, part in parts.items():
                # total, count, weighted total, weight, latest, its organisation, its time
                acc = cells.setdefault(cell, [D(0), 0, D(0), D(0), None, None, None])
                product, weight = rollups._weighted(part)
                acc[0] += part.value
                acc[1] += 1
                acc[2] += product
                acc[3] += weight
                if indicator.aggregation == Indicator.Aggregation.LATEST and (
                    acc[6] is None or reviewed_at >= acc[6]
                ):
                    acc[4], acc[5], acc[6] = part.value, organisation_id, reviewed_at
        rows |= {
            (indicator_id, period_id, region, member, *acc, acc[1])
            for (region, member), acc in cells.items()
        }
    return rows


amounts = st.decimals(min_value=0, max_value=10_000, places=3)
# One organisation's report of one indicator: its cells, whether it is approved, and when.
indicator_reports = st.none() | st.tuples(
    st.dictionaries(st.sampled_from(BREAKDOWNS), amounts, min_size=1, max_size=5),
    st.booleans() | st.just(True),
    st.integers(0, 3),
)
# reports[organisation][period][indicator]
datasets = st.lists(
    st.lists(st.lists(indicator_reports, min_size=4, max_size=4), min_size=2, max_size=2),
    min_size=1,
    max_size=4,
)


class SetBasedRebuildEqualsThePythonEngine(TestCase):
    @settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(datasets)
    @example(
        [
            [[({"": D(4), "province:QC": D(3)}, True, 0), None, None, None], [None] * 4],
            [[({"province:ON": D("1.5")}, True, 0), None, None, None], [None] * 4],
        ]
    )
    def test_every_aggregation_kind_gives_the_rows_of_the_python_engine(self, reports):
        count = IndicatorFactory.create(code="count", dimensions=["province", "age", "gender"])
        indicators = [
            count,
            IndicatorFactory.create(code="average", aggregation=Indicator.Aggregation.MEAN),
            IndicatorFactory.create(
                code="share",
                aggregation=Indicator.Aggregation.WEIGHTED_MEAN,
                weight_indicator=count,
            ),
            IndicatorFactory.create(code="last", aggregation=Indicator.Aggregation.LATEST),
        ]
        periods = [PeriodFactory.create(code="2023Q1"), PeriodFactory.create(code="2023Q2")]
        offices = ["QC", "BC", "ON", "QC"]
        now = timezone.now()
        for number, by_period in enumerate(reports):
            organisation = OrganisationFactory.create(
                head_office_province=Province.objects.get(code=offices[number])
            )
            for period, by_indicator in zip(periods, by_period, strict=True):
                for indicator, report in zip(indicators, by_indicator, strict=True):
                    if report is None:
                        continue
                    values, is_approved, hours_ago = report
                    submission = approved(
                        indicator,
                        organisation,
                        period,
                        values,
                        reviewed_at=now - timedelta(hours=hours_ago),
                    )
                    if not is_approved:
                        submission.status = Submission.Status.SUBMITTED
                        submission.save(update_fields=["status"])
        rollups.rebuild_all()
        assert rollup_rows() == reference_rows()
