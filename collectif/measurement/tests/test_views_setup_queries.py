"""Every setup list page costs the same number of queries for 3 rows as for 30."""

from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse

from collectif.core.testing import queries_for
from collectif.ecosystem.tests.factories import OrganisationFactory
from collectif.measurement.models import Dataset, Dimension, DimensionMember, Period, ValidationRule
from collectif.measurement.tests.factories import (
    DatasetFactory,
    IndicatorFactory,
    PeriodFactory,
    backbone_staff,
)


def indicators(count: int) -> str:
    dataset = DatasetFactory.create()
    for _ in range(count):
        indicator = IndicatorFactory.create()
        dataset.items.create(indicator=indicator)
    return reverse("measurement:setup_indicators")


def periods(count: int) -> str:
    start = 1900 + Period.objects.count()
    for year in range(start, start + count):
        PeriodFactory.create(code=str(year))
    return reverse("measurement:setup_periods")


def datasets(count: int) -> str:
    indicator = IndicatorFactory.create()
    organisation = OrganisationFactory.create()
    DatasetFactory.create_batch(count, indicators=[indicator], organisations=[organisation])
    return reverse("measurement:setup_datasets")


def dataset_organisations(count: int) -> str:
    dataset = Dataset.objects.filter(code="reported").first() or DatasetFactory.create(
        code="reported"
    )
    dataset.organisations.add(*OrganisationFactory.create_batch(count))
    return reverse("measurement:setup_dataset_organisations", kwargs={"code": "reported"})


def dimensions(count: int) -> str:
    existing = Dimension.objects.count()
    for number in range(existing, existing + count):
        dimension = Dimension.objects.create(
            code=f"group_{number}", name_en=f"Group {number}", name_fr=f"Groupe {number}"
        )
        DimensionMember.objects.create(
            dimension=dimension, code="one", name_en="One", name_fr="Un", position=1
        )
    return reverse("measurement:setup_dimensions")


def rules(count: int) -> str:
    for _ in range(count):
        left, right = IndicatorFactory.create_batch(2)
        ValidationRule.objects.create(
            code=f"rule_{left.pk}",
            left=left,
            operator="<=",
            right=right,
            message_en="Too many.",
            message_fr="Trop.",
        )
    return reverse("measurement:setup_rules")


PAGES: dict[str, tuple[Callable[[int], str], int]] = {
    "indicators": (indicators, 7),
    "periods": (periods, 5),
    "datasets": (datasets, 6),
    "dataset organisations": (dataset_organisations, 9),
    "dimensions": (dimensions, 5),
    "rules": (rules, 4),
}


@pytest.mark.django_db
@pytest.mark.parametrize("page", PAGES, ids=list(PAGES))
def test_a_setup_list_costs_the_same_for_3_and_30_rows(client: Client, page: str) -> None:
    add_rows, expected = PAGES[page]
    client.force_login(backbone_staff())
    path = add_rows(3)
    few = queries_for(client, path)
    add_rows(27)
    assert (few, queries_for(client, path)) == (expected, expected)
