"""The completeness page as staff chase reports: late first, a filter by status, and when
each organisation was last reminded."""

import re
from datetime import timedelta
from typing import Any

import pytest
from django.conf import settings
from django.db import transaction
from django.test import Client
from django.utils import timezone

from collectif.core.results_version import results_version_bump
from collectif.core.testing import queries_for, same_queries_for_3_and_30
from collectif.ecosystem.models import Organisation
from collectif.ecosystem.tests.factories import OrganisationFactory
from collectif.measurement.models import Dataset, Indicator, Period, Submission
from collectif.measurement.tests.factories import (
    DatasetFactory,
    IndicatorFactory,
    PeriodFactory,
    backbone_staff,
    steward_of,
)

URL = "/{language}/measurement/completeness/?period={period}"


@pytest.fixture
def served() -> Indicator:
    return IndicatorFactory.create(code="served")


@pytest.fixture
def staff_client(client: Client) -> Client:
    client.force_login(backbone_staff())
    return client


def _organisation(name: str) -> Organisation:
    return OrganisationFactory.create(name_en=name, name_fr=name)


def _report(organisation: Organisation, dataset: Dataset, period: Period, status: str) -> None:
    dataset.organisations.add(organisation)
    Submission.objects.create(
        organisation=organisation, dataset=dataset, period=period, status=status
    )


def _rows(page: str) -> list[str]:
    """The organisation names in the table, in order."""
    return re.findall(r'<th scope="row"><a href="[^"]+">([^<]+)</a></th>', page)


def _get(client: Client, period: str, query: str = "", language: str = "en") -> str:
    response = client.get(URL.format(language=language, period=period) + query)
    assert response.status_code == 200
    return response.content.decode()


@pytest.fixture
def late_period(served: Indicator) -> tuple[Period, Dataset]:
    """2024Q1, past its deadline: Aardvark approved, Beaver waiting, Caribou returned,
    Zebra never started."""
    period = PeriodFactory.create(code="2024Q1")
    dataset = DatasetFactory.create(indicators=[served])
    _report(_organisation("Aardvark Youth"), dataset, period, Submission.Status.APPROVED)
    _report(_organisation("Beaver Mentors"), dataset, period, Submission.Status.SUBMITTED)
    _report(_organisation("Caribou Club"), dataset, period, Submission.Status.RETURNED)
    dataset.organisations.add(_organisation("Zebra Crossing"))
    return period, dataset


@pytest.mark.django_db
def test_the_late_come_first_then_waiting_then_approved(
    staff_client: Client, late_period: Any
) -> None:
    page = _get(staff_client, "2024Q1")
    assert _rows(page) == ["Caribou Club", "Zebra Crossing", "Beaver Mentors", "Aardvark Youth"]
    assert "returned for changes" in page
    assert "2 organisations have not reported for January to March 2024." in page


@pytest.mark.django_db
def test_waiting_and_approved_differ_by_icon_and_word(
    staff_client: Client, late_period: Any
) -> None:
    page = _get(staff_client, "2024Q1")
    waiting = '<span class="tag tag-pending"><span aria-hidden="true">◔</span> Waiting for approval'
    approved = '<span class="tag tag-ok"><span aria-hidden="true">✓</span> Approved'
    late = '<span class="tag tag-bad"><span aria-hidden="true">✗</span> Late'
    assert page.count(waiting) == 1 and page.count(approved) == 1 and page.count(late) == 2

    french = _get(staff_client, "2024Q1", language="fr")
    assert '<span aria-hidden="true">◔</span> En attente d’approbation' in french
    assert '<span aria-hidden="true">✓</span> Approuvée' in french


@pytest.mark.django_db
def test_late_only_shows_the_late_with_counts_on_each_filter(
    staff_client: Client, late_period: Any
) -> None:
    page = _get(staff_client, "2024Q1")
    assert "Late only (2)" in page and "Waiting for approval (1)" in page
    assert "All reports (4)" in page

    late = _get(staff_client, "2024Q1", "&state=late")
    assert _rows(late) == ["Caribou Club", "Zebra Crossing"]
    assert _rows(_get(staff_client, "2024Q1", "&state=approved")) == ["Aardvark Youth"]
    # An unknown status is no filter, never an error.
    assert len(_rows(_get(staff_client, "2024Q1", "&state=bogus"))) == 4

    french = _get(staff_client, "2024Q1", "&state=late", language="fr")
    assert "En retard seulement (2)" in french


@pytest.mark.django_db
def test_before_the_deadline_missing_reports_are_due_not_late(
    staff_client: Client, served: Indicator
) -> None:
    period = PeriodFactory.create(code="2024Q2", deadline=timezone.localdate() + timedelta(days=10))
    dataset = DatasetFactory.create(indicators=[served])
    dataset.organisations.add(_organisation("Moose Mentoring"))
    _report(_organisation("Otter Works"), dataset, period, Submission.Status.DRAFT)
    page = _get(staff_client, period.code)
    assert page.count("</span> Not reported yet</span>") == 2
    assert "draft started" in page
    assert "Late only (0)" in page
    assert "No report is in this state for this period." in _get(
        staff_client, period.code, "&state=late"
    )


@pytest.mark.django_db
def test_the_late_fill_the_first_page_whatever_their_names(
    staff_client: Client, served: Indicator
) -> None:
    period = PeriodFactory.create(code="2024Q1")
    dataset = DatasetFactory.create(indicators=[served])
    size = settings.COLLECTIF["PAGE_SIZE"] * 2
    for number in range(size):
        name = f"A approved {number:03}"
        _report(_organisation(name), dataset, period, Submission.Status.APPROVED)
    for number in range(3):
        dataset.organisations.add(_organisation(f"Z late {number}"))
    first = _rows(_get(staff_client, "2024Q1"))
    assert first[:3] == ["Z late 0", "Z late 1", "Z late 2"]
    assert len(first) == size
    second = _rows(_get(staff_client, "2024Q1", "&page=2"))
    assert len(second) == 3 and all(name.startswith("A approved") for name in second)


@pytest.mark.django_db
def test_the_page_says_when_each_organisation_was_last_reminded(
    staff_client: Client, late_period: Any, django_capture_on_commit_callbacks: Any
) -> None:
    zebra = Organisation.objects.get(name_en="Zebra Crossing")
    steward_of(zebra)  # Caribou Club has no steward: nobody to remind
    before = _get(staff_client, "2024Q1", "&state=late")
    assert before.count("Not reminded") == 2

    with django_capture_on_commit_callbacks(execute=True):
        staff_client.post("/en/measurement/completeness/remind/", {"period": "2024Q1"})

    after = _get(staff_client, "2024Q1", "&state=late")
    today = timezone.localdate()
    zebra_row = after.split("Zebra Crossing")[1].split("</tr>")[0]
    assert f"{today:%B} {today.day}, {today.year}" in zebra_row
    caribou_row = after.split("Caribou Club")[1].split("</tr>")[0]
    assert "Not reminded" in caribou_row

    french = _get(staff_client, "2024Q1", "&state=late", language="fr")
    assert "Dernière relance" in french and "Pas relancé" in french


@pytest.mark.django_db
def test_a_reminder_for_another_period_does_not_count(
    staff_client: Client, late_period: Any, django_capture_on_commit_callbacks: Any
) -> None:
    steward_of(Organisation.objects.get(name_en="Zebra Crossing"))
    PeriodFactory.create(code="2024Q2")
    with django_capture_on_commit_callbacks(execute=True):
        staff_client.post("/en/measurement/completeness/remind/", {"period": "2024Q2"})
    assert _get(staff_client, "2024Q1", "&state=late").count("Not reminded") == 2


@pytest.mark.django_db
def test_the_page_costs_the_same_with_3_or_30_organisations(
    staff_client: Client, served: Indicator
) -> None:
    period = PeriodFactory.create(code="2024Q1")
    dataset = DatasetFactory.create(indicators=[served])
    statuses = [None, Submission.Status.SUBMITTED, Submission.Status.APPROVED]

    def add(count: int) -> None:
        for number in range(count):
            organisation = OrganisationFactory.create()
            status = statuses[number % 3]
            if status is None:
                dataset.organisations.add(organisation)
            else:
                _report(organisation, dataset, period, status)
        with transaction.atomic():
            results_version_bump()  # as the services that assign and submit do

    url = URL.format(language="en", period=period.code)
    # The first request after a change counts and sorts every row; the next ones only
    # read their page's rows (the counts and the order are kept under the version).
    assert same_queries_for_3_and_30(staff_client, url, add) == 10
    assert queries_for(staff_client, url) == 8


@pytest.mark.django_db
def test_a_later_page_of_one_state_reads_only_that_page(
    staff_client: Client, served: Indicator, django_assert_num_queries: Any
) -> None:
    """Counts, paging and rows come from the database: the second page of the late costs
    what the first page of everything costs, and holds only what is left of the late."""
    period = PeriodFactory.create(code="2024Q1")
    dataset = DatasetFactory.create(indicators=[served])
    page_size = settings.COLLECTIF["PAGE_SIZE"] * 2
    for number in range(page_size + 3):
        dataset.organisations.add(_organisation(f"Late {number:03d}"))
    _report(_organisation("Approved Club"), dataset, period, Submission.Status.APPROVED)
    _get(staff_client, "2024Q1")  # the session is cached and the language read once

    with django_assert_num_queries(9):
        second = _get(staff_client, "2024Q1", "&state=late&page=2")

    assert _rows(second) == [f"Late {number:03d}" for number in range(page_size, page_size + 3)]
