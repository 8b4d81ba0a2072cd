"""The gap matrix over the API: the same cells as the page, for backbone staff only."""

from datetime import date

import pytest
from django.test import Client

from collectif.core.models import Province
from collectif.ecosystem.models import Engagement, EquityIdentity, GapTarget, Organisation, Stage
from collectif.ecosystem.testing import assert_role_access, bearer_secret, user_with_role
from collectif.ecosystem.tests.factories import OrganisationFactory

URL = "/api/v1/gaps"


def _auth() -> dict[str, str]:
    backbone = OrganisationFactory.create(slug="backbone")
    Organisation.objects.filter(pk=backbone.pk).update(archived_at="2026-01-01T00:00Z")
    staff = user_with_role("staff", backbone)
    assert staff is not None
    return {"Authorization": f"Bearer {bearer_secret(staff)}"}


@pytest.mark.django_db
def test_staff_read_the_matrix_with_counts_targets_and_statuses(client: Client) -> None:
    headers = _auth()
    committed = OrganisationFactory.create(slug="committed")
    Engagement.objects.create(
        organisation=committed, stage=Stage.COMMITTED, stage_since=date(2026, 1, 5)
    )
    quebec = OrganisationFactory.create(
        slug="quebec", head_office_province=Province.objects.get(code="QC")
    )
    quebec.equity_identities.set(EquityIdentity.objects.filter(code="youth-led"))
    GapTarget.objects.create(axis="province", minimum_stage=Stage.IDENTIFIED, minimum_count=1)

    body = client.get(URL, headers=headers).json()
    assert body["axis"] == "province" and len(body["columns"]) == 13
    assert body["columns"][0] == {"code": "NL", "name": "Newfoundland and Labrador"}
    row = next(r for r in body["rows"] if r["sector"] == "non-profit")
    cells = {c["column"]: c for c in row["cells"]}
    assert cells["ON"]["counts"]["committed"] == 1 and cells["ON"]["status"] == "met"
    assert cells["QC"]["counts"]["identified"] == 1 and cells["QC"]["status"] == "met"
    assert cells["QC"]["target"] == {"stage": "identified", "count": 1, "configured": True}
    assert cells["BC"]["status"] == "empty" and cells["BC"]["total"] == 0

    youth = client.get(URL + "?equity=youth-led", headers=headers).json()
    row = next(r for r in youth["rows"] if r["sector"] == "non-profit")
    assert sum(c["total"] for c in row["cells"]) == 1

    french = client.get(URL + "?axis=population", headers={**headers, "Accept-Language": "fr"})
    assert french.json()["axis"] == "population"
    assert len(french.json()["columns"]) == 12


@pytest.mark.django_db
def test_a_wrong_axis_or_stage_is_a_clear_422(client: Client) -> None:
    headers = _auth()
    response = client.get(URL + "?axis=galaxy", headers=headers)
    assert response.status_code == 422
    assert response.json()["error"]["details"][0]["field"] == "axis"
    assert client.get(URL + "?stage=finished", headers=headers).status_code == 422


@pytest.mark.django_db
def test_only_backbone_staff_read_the_matrix(client: Client) -> None:
    assert_role_access(client, URL, allowed={"staff"}, api=True)


@pytest.mark.django_db
def test_the_matrix_is_declared_in_the_openapi_document(client: Client) -> None:
    schema = client.get("/api/v1/openapi.json").json()
    operation = schema["paths"]["/api/v1/gaps"]["get"]
    assert operation["operationId"] == "collectif_ecosystem_api_gaps_gap_matrix"
    assert {"200", "401", "403", "422"} <= set(operation["responses"])
