"""Measurement's part of the organisation page: where its reports stand, what it sent,
and the way to its results; and the public home's figure of partners reporting."""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from collectif.core.manifest import extensions
from collectif.core.testing import same_queries_for_3_and_30
from collectif.ecosystem.models import Organisation
from collectif.ecosystem.organisation_page import ORGANISATION_PANELS, OrganisationPanels
from collectif.ecosystem.tests.factories import OrganisationFactory
from collectif.measurement.models import Dataset, Indicator, Submission
from collectif.measurement.tests.factories import (
    DatasetFactory,
    IndicatorFactory,
    PeriodFactory,
    backbone_staff,
    steward_of,
)
from collectif.measurement.tests.results_data import approve


def _page(client: Client, organisation: Organisation, query: str = "", lang: str = "en") -> str:
    response = client.get(f"/{lang}/ecosystem/organisations/{organisation.slug}/{query}")
    assert response.status_code == 200
    return response.content.decode()


@pytest.fixture
def served() -> Indicator:
    return IndicatorFactory.create(code="served")


@pytest.fixture
def reporting(served: Indicator) -> tuple[Organisation, Dataset]:
    """An organisation that reported 2024Q1 (approved) and 2024Q2 (waiting), and owes
    2024Q3, the newest open period, past its deadline."""
    organisation = OrganisationFactory.create()
    dataset = DatasetFactory.create(indicators=[served], name_en="Quarterly mentoring report")
    approve(organisation, dataset, PeriodFactory.create(code="2024Q1"), {(served, ""): 5})
    Submission.objects.create(
        organisation=organisation,
        dataset=dataset,
        period=PeriodFactory.create(code="2024Q2"),
        status=Submission.Status.SUBMITTED,
        submitted_at=timezone.now(),
    )
    PeriodFactory.create(code="2024Q3")
    return organisation, dataset


def test_measurement_fills_the_organisation_page_extension_point() -> None:
    parts = extensions(ORGANISATION_PANELS, OrganisationPanels)
    assert len(parts) == 1 and parts[0].panels


@pytest.mark.django_db
def test_staff_see_the_current_period_the_history_and_the_results_link(
    client: Client, reporting: tuple[Organisation, Dataset]
) -> None:
    organisation, _dataset = reporting
    client.force_login(backbone_staff())
    page = _page(client, organisation)

    current = page.split("Current periods")[1].split("Submission history")[0]
    assert "July to September 2024" in current
    assert '<span aria-hidden="true">✗</span> Late' in current
    history = page.split("Submission history")[1]
    assert "2 submissions in all, the newest period first." in history
    assert history.index("April to June 2024") < history.index("January to March 2024")
    assert "Waiting for approval" in history and "Approved" in history
    submission = Submission.objects.get(period__code="2024Q2")
    assert f'href="/en/measurement/submissions/{submission.pk}/"' in history
    assert f'href="/en/measurement/organisations/{organisation.slug}/results/"' in page

    french = _page(client, organisation, lang="fr")
    assert "Historique des soumissions" in french
    assert "Voir les résultats de cet organisme" in french


@pytest.mark.django_db
def test_a_report_sent_before_its_deadline_shows_as_waiting(
    client: Client, served: Indicator
) -> None:
    organisation = OrganisationFactory.create()
    dataset = DatasetFactory.create(indicators=[served], organisations=[organisation])
    period = PeriodFactory.create(code="2024Q1", deadline=timezone.localdate() + timedelta(days=9))
    Submission.objects.create(
        organisation=organisation, dataset=dataset, period=period, status="submitted"
    )
    client.force_login(backbone_staff())
    current = _page(client, organisation).split("Current periods")[1]
    assert '<span aria-hidden="true">◔</span> Waiting for approval' in current


@pytest.mark.django_db
def test_the_history_is_shown_ten_at_a_time(client: Client, served: Indicator) -> None:
    organisation = OrganisationFactory.create()
    dataset = DatasetFactory.create(indicators=[served])
    for year in range(2020, 2023):
        for quarter in range(1, 5):
            period = PeriodFactory.create(code=f"{year}Q{quarter}")
            approve(organisation, dataset, period, {(served, ""): 1})
    client.force_login(backbone_staff())

    first = _page(client, organisation).split("Submission history")[1]
    assert "12 submissions in all" in first
    assert "October to December 2022" in first and "January to March 2020" not in first
    assert '?submissions=2#submission-history" rel="next">Older' in first
    second = _page(client, organisation, "?submissions=2").split("Submission history")[1]
    assert "January to March 2020" in second and "October to December 2022" not in second


@pytest.mark.django_db
def test_an_organisation_that_reports_nothing_says_so(client: Client) -> None:
    organisation = OrganisationFactory.create()
    client.force_login(backbone_staff())
    page = _page(client, organisation)
    assert "This organisation is not asked to report any dataset for an open period." in page
    assert "No submission yet." in page


@pytest.mark.django_db
def test_the_reporting_panel_is_for_the_backbone_only(
    client: Client, reporting: tuple[Organisation, Dataset]
) -> None:
    organisation, _dataset = reporting
    for visitor in (None, steward_of(organisation)):
        client.logout()
        if visitor is not None:
            client.force_login(visitor)
        page = _page(client, organisation)
        assert "Submission history" not in page and "Current periods" not in page


@pytest.mark.django_db
def test_the_page_costs_the_same_with_3_or_30_submissions(
    client: Client, served: Indicator
) -> None:
    organisation = OrganisationFactory.create()
    datasets = [
        DatasetFactory.create(indicators=[served], organisations=[organisation]) for _ in range(2)
    ]
    PeriodFactory.create(code="2024Q4")
    client.force_login(backbone_staff())
    made: list[int] = []

    def add(count: int) -> None:
        for _ in range(count):
            number = len(made)
            made.append(number)
            period = PeriodFactory.create(code=f"{2010 + number // 8}Q{number % 4 + 1}")
            Submission.objects.create(
                organisation=organisation, dataset=datasets[number // 4 % 2], period=period
            )

    url = f"/en/ecosystem/organisations/{organisation.slug}/"
    # Ecosystem's own panels (reach, contacts, pipeline, relationships) and measurement's.
    assert same_queries_for_3_and_30(client, url, add) == 20


@pytest.mark.django_db
def test_the_home_says_how_many_listed_partners_reported_lately(
    client: Client, served: Indicator
) -> None:
    today = timezone.localdate()
    recent = PeriodFactory.create(
        code="2099Q1", start=today - timedelta(days=120), end=today - timedelta(days=30)
    )
    old = PeriodFactory.create(code="2024Q1")
    dataset = DatasetFactory.create(indicators=[served])
    for organisation in OrganisationFactory.create_batch(2):
        approve(organisation, dataset, recent, {(served, ""): 3})
    approve(OrganisationFactory.create(), dataset, old, {(served, ""): 3})
    approve(OrganisationFactory.create(is_public=False), dataset, recent, {(served, ""): 3})

    english = client.get("/en/").content.decode()
    assert "3</span> active partner organisations" in english
    assert "2</span> partner organisations reported approved data in the past 12 months" in (
        english
    )
    french = client.get("/fr/").content.decode()
    assert "2</span> organismes partenaires ont transmis des données approuvées" in french
