"""What the results pages cost in queries: the same whatever the volume of data."""

from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from collectif.core.testing import queries_for
from collectif.ecosystem.tests.factories import OrganisationFactory
from collectif.measurement.tests.factories import (
    DatasetFactory,
    IndicatorFactory,
    PeriodFactory,
    backbone_staff,
    steward_of,
)
from collectif.measurement.tests.results_data import approve, movement
from collectif.measurement.tests.test_views_results import QUARTERS, _url


def _queries(client: Client, url: str, django_assert_max_num_queries: Any, limit: int) -> int:

    with django_assert_max_num_queries(limit), CaptureQueriesContext(connection) as context:
        assert client.get(url).status_code == 200
    return len(context.captured_queries)


@pytest.mark.django_db
def test_dashboards_cost_the_same_queries_whatever_the_data_volume(
    client: Client, django_assert_max_num_queries: Any
) -> None:
    served = IndicatorFactory.create(code="served", dimensions=["age", "province"])
    dataset = DatasetFactory.create(indicators=[served])
    periods = [PeriodFactory.create(code=code) for code in QUARTERS]
    client.force_login(backbone_staff())
    scorecard, detail = _url("scorecard"), _url("indicator_detail", code="served")

    def add_partners(count: int) -> None:
        for _ in range(count):
            organisation = OrganisationFactory.create()
            for period in periods:
                approve(
                    organisation,
                    dataset,
                    period,
                    {(served, ""): 40, (served, "age:12-17"): 25, (served, "province:QC"): 40},
                )

    add_partners(3)
    small = (
        _queries(client, scorecard, django_assert_max_num_queries, 10),
        _queries(client, detail, django_assert_max_num_queries, 15),
    )
    add_partners(27)
    large = (
        _queries(client, scorecard, django_assert_max_num_queries, 10),
        _queries(client, detail, django_assert_max_num_queries, 15),
    )
    assert small == large


@pytest.mark.django_db
def test_scorecard_and_report_card_cost_the_same_with_3_or_30_indicators(client: Client) -> None:
    client.force_login(backbone_staff())
    urls = [_url("scorecard"), _url("report_card"), _url("report_card_csv")]
    movement([IndicatorFactory.create() for _ in range(3)], ["2024Q1", "2024Q2"], 3, 40)
    small = [queries_for(client, url) for url in urls]
    movement([IndicatorFactory.create() for _ in range(27)], ["2024Q1", "2024Q2"], 3, 40)
    assert [queries_for(client, url) for url in urls] == small


@pytest.mark.django_db
def test_partner_page_costs_the_same_with_3_or_30_figures(client: Client) -> None:
    organisation = OrganisationFactory.create()
    period = PeriodFactory.create(code="2024Q1")

    def report(count: int) -> None:
        indicators = [IndicatorFactory.create() for _ in range(count)]
        dataset = DatasetFactory.create(indicators=indicators)
        approve(organisation, dataset, period, {(i, ""): 12 for i in indicators})

    client.force_login(steward_of(organisation))
    url = _url("partner_results", slug=organisation.slug)
    report(3)
    small = queries_for(client, url)
    report(27)
    assert queries_for(client, url) == small
    assert client.get(url).content.decode().count('<th scope="row">') == 30


@pytest.mark.django_db
def test_completeness_costs_the_same_with_3_or_30_partners(client: Client) -> None:
    served = IndicatorFactory.create(code="served")
    period = PeriodFactory.create(code="2024Q1")
    dataset = DatasetFactory.create(indicators=[served])

    def assign(count: int) -> None:
        for number in range(count):
            organisation = OrganisationFactory.create()
            dataset.organisations.add(organisation)
            if number % 2:
                approve(organisation, dataset, period, {(served, ""): 5})

    client.force_login(backbone_staff())
    url = _url("completeness") + "?period=2024Q1"
    assign(3)
    small = queries_for(client, url)
    assign(27)
    assert queries_for(client, url) == small


@pytest.mark.django_db
def test_aggregate_api_costs_the_same_with_3_or_30_periods(client: Client) -> None:
    served = IndicatorFactory.create(code="served")
    url = "/api/v1/results/aggregate?indicator=served&dimension=province"
    client.force_login(backbone_staff())
    movement([served], [f"2020Q{q}" for q in range(1, 4)], 3, 10)
    small = queries_for(client, url)
    later = [f"{year}Q{q}" for year in range(2021, 2028) for q in range(1, 5)][:27]
    movement([served], later, 3, 10)
    assert queries_for(client, url) == small
    assert len({row["period"] for row in client.get(url).json()}) == 30


@pytest.mark.django_db
def test_members_pages_cost_the_same_queries_whatever_the_data_volume(
    client: Client, django_assert_max_num_queries: Any
) -> None:
    """Complementary suppression reads whole slices in the same one query: no per-cell reads."""
    served = IndicatorFactory.create(code="served", dimensions=["age", "province"])
    dataset = DatasetFactory.create(indicators=[served])
    periods = [PeriodFactory.create(code=code) for code in QUARTERS]
    client.force_login(steward_of(OrganisationFactory.create()))
    pages = (_url("scorecard"), _url("indicator_detail", code="served"), _url("report_card"))
    api = "/api/v1/results/aggregate?indicator=served&dimension=age"

    def add_partners(provinces: list[str]) -> None:
        for province in provinces:
            organisation = OrganisationFactory.create(head_office_province_id=province)
            for period in periods:
                values = {(served, ""): 40, (served, "age:12-17"): 25, (served, "age:6-11"): 15}
                approve(organisation, dataset, period, values)

    add_partners(["ON", "ON", "ON", "QC"])
    small = [_queries(client, url, django_assert_max_num_queries, 15) for url in (*pages, api)]
    add_partners(["ON", "QC", "NS", "BC"] * 5)
    large = [_queries(client, url, django_assert_max_num_queries, 15) for url in (*pages, api)]
    assert small == large
