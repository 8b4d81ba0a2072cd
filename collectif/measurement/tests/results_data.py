"""Approved data for the results tests, built with the shared factories."""

from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from collectif.core.results_version import results_version_bump
from collectif.ecosystem.tests.factories import OrganisationFactory
from collectif.measurement.domain import rollups
from collectif.measurement.models import Dataset, Indicator, Period, Submission, Value
from collectif.measurement.tests.factories import DatasetFactory, PeriodFactory


def approve(
    organisation: Any,
    dataset: Dataset,
    period: Period,
    values: dict[tuple[Indicator, str], Any],
    *,
    status: str = Submission.Status.APPROVED,
) -> Submission:
    """A submission with these values, approved (or not) and rolled up."""
    dataset.organisations.add(organisation)
    submission = Submission.objects.create(
        organisation=organisation,
        dataset=dataset,
        period=period,
        status=status,
        reviewed_at=timezone.now() if status == Submission.Status.APPROVED else None,
    )
    Value.objects.bulk_create(
        Value(
            submission=submission,
            indicator=indicator,
            organisation=organisation,
            period=period,
            breakdown=breakdown,
            value=Decimal(str(value)),
        )
        for (indicator, breakdown), value in values.items()
    )
    rollups.apply_submission(submission, counted_before=False)
    with transaction.atomic():
        results_version_bump()
    return submission


def movement(
    indicators: list[Indicator],
    periods: list[str],
    organisations: int,
    value: Any = 10,
    *,
    province: str = "ON",
) -> tuple[list[Any], Dataset, list[Period]]:
    """`organisations` partners, each reporting `value` for every indicator and period."""
    dataset = DatasetFactory.create(indicators=indicators)
    period_rows = [PeriodFactory.create(code=code) for code in periods]
    orgs = [
        OrganisationFactory.create(
            head_office_province_id=province,
        )
        for _ in range(organisations)
    ]
    for org in orgs:
        for period in period_rows:
            approve(org, dataset, period, {(i, ""): value for i in indicators})
    return orgs, dataset, period_rows
