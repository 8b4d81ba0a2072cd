"""What researchers take away: published figures by region, breakdown and period, with
the public's disclosure rules, as CSV, XLSX and through the API (decision 0026)."""

import csv
import io
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from collectif.accounts.forms import ROLE_DESCRIPTIONS
from collectif.accounts.models import Role
from collectif.ecosystem.testing import bearer_secret, user_with_role
from collectif.ecosystem.tests.factories import OrganisationFactory
from collectif.measurement.models import CANADA, Indicator, Rollup, Submission, Value
from collectif.measurement.selectors import results
from collectif.measurement.selectors.research import research_figures
from collectif.measurement.tests.factories import DatasetFactory, IndicatorFactory, PeriodFactory
from collectif.measurement.tests.results_data import approve


@pytest.fixture
def served() -> Indicator:
    """Three partners in Ontario and one in Québec, by age; one unpublished indicator."""
    indicator = IndicatorFactory.create(
        code="served", name_en="Young people served", name_fr="Jeunes servis", dimensions=["age"]
    )
    internal = IndicatorFactory.create(code="internal", is_published=False)
    dataset = DatasetFactory.create(indicators=[indicator, internal])
    period = PeriodFactory.create(code="2024Q1")
    for province, value in (("ON", 40), ("ON", 50), ("ON", 60), ("QC", 30)):
        organisation = OrganisationFactory.create(
            head_office_province_id=province, name_en=f"Secret {province} {value}"
        )
        approve(
            organisation,
            dataset,
            period,
            {
                (indicator, ""): value,
                (indicator, "age:12-17"): value - 10,
                (indicator, "age:18-24"): 10,
                (internal, ""): 1,
            },
        )
    return indicator


def _csv(client: Client, language: str = "en") -> list[list[str]]:
    with translation.override(language):
        url = reverse("measurement:export_figures_csv")
    response = client.get(url)
    assert response.status_code == 200
    text = b"".join(response.streaming_content).decode()  # type: ignore[attr-defined]
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:]), delimiter=";" if language == "fr" else ","))


def _researcher(client: Client) -> Any:
    user = user_with_role(Role.RESEARCHER)
    client.force_login(user)  # type: ignore[arg-type]
    return user


@pytest.mark.django_db
def test_researcher_downloads_aggregates_with_small_cells_hidden(
    client: Client, served: Indicator
) -> None:
    _researcher(client)
    header, *rows = _csv(client)

    assert header[:4] == ["Indicator code", "Indicator", "Period", "Region"]
    assert header[-3:] == ["Value", "Organisations", "Suppressed"]
    age = header.index("Age group")
    by_cell = {(row[3], row[age]): row for row in rows}
    canada = by_cell[(CANADA, "")]
    assert canada[:4] == ["served", "Young people served", "2024Q1", CANADA]
    assert canada[-3:] == ["180", "4", ""]
    quebec = by_cell[("QC", "")]
    assert quebec[-3] == "" and quebec[-2] == ""
    assert "fewer than 3 organisations" in quebec[-1]
    # Whatever is shown comes from at least three organisations.
    assert all(int(row[-2]) >= 3 for row in rows if row[-3])
    text = repr(rows)
    assert "Secret" not in text and "internal" not in text


@pytest.mark.django_db
def test_the_file_hides_exactly_what_the_public_report_hides(served: Indicator) -> None:
    figures = research_figures(served)
    public = results.aggregate(served, regions=[CANADA, "ON", "QC"], members=[""], suppress=True)

    shown = {(f.region, f.member): f.value for f in figures if f.member == ""}
    assert shown == {
        (f.region, f.member): (None if f.suppressed else f.value) for f in public if f.value
    }


@pytest.mark.django_db
def test_xlsx_keeps_numbers_and_speaks_french(client: Client, served: Indicator) -> None:
    _researcher(client)
    with translation.override("fr"):
        url = reverse("measurement:export_figures_xlsx")
    response = client.get(url)
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)))  # type: ignore[attr-defined]
    sheet = workbook.active
    assert sheet is not None
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][1:4] == ("Indicateur", "Période", "Région")
    canada = next(row for row in rows[1:] if row[3] == CANADA and not row[4])
    assert canada[1] == "Jeunes servis"
    assert canada[-3] == 180 and canada[-2] == 4


@pytest.mark.django_db
def test_the_export_page_offers_researchers_only_the_figures(
    client: Client, served: Indicator
) -> None:
    _researcher(client)
    page = client.get(reverse("measurement:export")).content.decode()

    assert reverse("measurement:export_figures_csv") in page
    assert reverse("measurement:export_figures_xlsx") in page
    assert reverse("measurement:export_csv") not in page
    assert client.get(reverse("measurement:export_csv")).status_code == 403
    nav = page.split('class="site-nav"')[1].split("</nav>")[0]
    assert 'href="/en/measurement/export/"' in nav


def _api(client: Client, query: str, secret: str | None) -> Any:
    headers = {"Authorization": f"Bearer {secret}"} if secret else {}
    return client.get(f"/api/v1/research/figures?{query}", headers=headers)


@pytest.mark.django_db
def test_api_gives_researchers_the_same_figures_paged(client: Client, served: Indicator) -> None:
    researcher = user_with_role(Role.RESEARCHER)
    assert researcher is not None
    secret = bearer_secret(researcher)

    first = _api(client, "indicator=served&page_size=2", secret).json()
    everything = _api(client, "indicator=served&page_size=100", secret).json()

    assert first["count"] == everything["count"] == len(research_figures(served))
    assert len(first["results"]) == 2 and first["next"]
    canada = next(r for r in everything["results"] if r["region"] == CANADA and r["member"] == "")
    assert canada["value"] == 180 and canada["organisations"] == 4
    quebec = next(r for r in everything["results"] if r["region"] == "QC" and r["member"] == "")
    assert quebec["suppressed"] and quebec["value"] is None and quebec["organisations"] is None
    teen = next(r for r in everything["results"] if r["member"] == "age:12-17")
    assert teen["breakdown"] == {"age": "12-17"}


@pytest.mark.django_db
def test_api_refuses_others_and_hides_internal_indicators(
    client: Client, served: Indicator
) -> None:
    steward = user_with_role(Role.STEWARD)
    researcher = user_with_role(Role.RESEARCHER)
    assert steward is not None and researcher is not None

    assert _api(client, "indicator=served", None).status_code == 401
    assert _api(client, "indicator=served", bearer_secret(steward)).status_code == 403
    assert _api(client, "indicator=internal", bearer_secret(researcher)).status_code == 404
    assert (
        _api(client, "indicator=served&from=2099Q1", bearer_secret(researcher)).json()["count"] == 0
    )


@pytest.mark.django_db
def test_role_descriptions_promise_what_the_roles_can_open(client: Client) -> None:
    assert "published figures" in str(ROLE_DESCRIPTIONS[Role.RESEARCHER])
    assert "scorecard" in str(ROLE_DESCRIPTIONS[Role.GOVERNANCE])
    _researcher(client)
    assert client.get(reverse("measurement:export")).status_code == 200
    with translation.override("fr"):
        assert "chiffres publiés" in str(ROLE_DESCRIPTIONS[Role.RESEARCHER])


@pytest.mark.django_db(transaction=False)
@settings(max_examples=8, deadline=None)
@given(st.lists(st.integers(min_value=0, max_value=60), min_size=1, max_size=5))
def test_no_shown_figure_comes_from_fewer_than_three_organisations(counts: list[int]) -> None:
    """Whatever the partners report, a shown cell adds up at least three of them."""
    Rollup.objects.all().delete()
    Value.objects.all().delete()
    Submission.objects.all().delete()
    indicator = IndicatorFactory.create(dimensions=["age"])
    dataset = DatasetFactory.create(indicators=[indicator])
    period = PeriodFactory.create()
    for position, count in enumerate(counts):
        organisation = OrganisationFactory.create(
            head_office_province_id="ON" if position % 2 else "QC"
        )
        approve(
            organisation,
            dataset,
            period,
            {(indicator, ""): count, (indicator, "age:12-17"): count},
        )
    for figure in research_figures(indicator):
        if figure.value is not None:
            assert figure.organisations is not None and figure.organisations >= 3
        else:
            assert figure.reason
