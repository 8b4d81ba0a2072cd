"""The reference geography over the API: provinces and postal codes, for every client."""

from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from collectif.ecosystem.testing import ROLES, assert_role_access


def _error(response: Any, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/json")
    error: dict[str, Any] = response.json()["error"]
    assert set(error) == {"code", "message", "details"}
    return error


@pytest.mark.smoke
@pytest.mark.django_db
def test_the_provinces_are_listed_with_their_population(client: Client) -> None:
    response = client.get("/api/v1/provinces")
    assert response.status_code == 200
    page = response.json()
    assert (page["count"], page["pages"], page["next"], page["previous"]) == (13, 1, None, None)
    provinces = page["results"]
    assert [p["code"] for p in provinces][:2] == ["NL", "PE"]
    assert len(provinces) == 13
    assert sum(p["population_2021"] for p in provinces) == 36_991_981
    quebec = next(p for p in provinces if p["code"] == "QC")
    assert quebec == {
        "code": "QC",
        "sgc_code": 24,
        "name_en": "Quebec",
        "name_fr": "Québec",
        "population_2021": 8_501_833,
        "is_territory": False,
    }


@pytest.mark.django_db
def test_reference_data_is_public_to_every_role(client: Client) -> None:
    assert_role_access(client, "/api/v1/provinces", allowed=set(ROLES), api=True)
    assert_role_access(client, "/api/v1/postal-codes/H2X1Y4", allowed=set(ROLES), api=True)


@pytest.mark.django_db
def test_a_postal_code_finds_its_area(client: Client) -> None:
    response = client.get("/api/v1/postal-codes/h2x-1y4")
    assert response.status_code == 200
    area = response.json()
    assert area["postal_code"] == "H2X 1Y4"
    assert area["fsa"] == "H2X"
    assert area["province_code"] == "QC"
    assert "Plateau Mont-Royal" in area["place"]
    assert 45 < area["latitude"] < 46
    assert -74 < area["longitude"] < -73


@pytest.mark.parametrize(
    ("language", "message"),
    [
        ("en", "“D1A 1A1” is not a Canadian postal code."),
        ("fr", "«\u202fD1A 1A1\u202f» n’est pas un code postal canadien."),
    ],
)
@pytest.mark.django_db
def test_an_impossible_postal_code_is_refused_in_the_clients_language(
    client: Client, language: str, message: str
) -> None:
    response = client.get("/api/v1/postal-codes/D1A 1A1", headers={"Accept-Language": language})
    error = _error(response, 422)
    assert error["code"] == "invalid"
    [detail] = error["details"]
    assert detail["field"] == "code"
    assert detail["message"].startswith(message)


@pytest.mark.django_db
def test_the_province_list_costs_two_queries(client: Client) -> None:
    """The count and the page."""
    with CaptureQueriesContext(connection) as captured:
        assert client.get("/api/v1/provinces").status_code == 200
    assert len(captured.captured_queries) == 2
