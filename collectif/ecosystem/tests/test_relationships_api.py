"""Relationships over the API: the public reads ties between public organisations, staff write."""

import pytest
from django.test import Client
from django.utils import timezone

from collectif.accounts.models import User
from collectif.core.testing import same_queries_for_3_and_30
from collectif.ecosystem.models import Relationship, RelationshipType
from collectif.ecosystem.testing import bearer_secret, user_with_role
from collectif.ecosystem.tests.factories import OrganisationFactory, RelationshipFactory

API = "/api/v1/relationships"


def _bearer(role: str) -> dict[str, str]:
    user = user_with_role(role)
    assert isinstance(user, User)
    return {"Authorization": f"Bearer {bearer_secret(user)}"}


@pytest.mark.django_db
def test_anyone_lists_public_ties_and_only_staff_see_private_ones_and_notes(
    client: Client,
) -> None:
    RelationshipFactory.create(note="Met at the fair", source__slug="open")
    RelationshipFactory.create(source__is_public=False)
    RelationshipFactory.create(target__archived_at=timezone.now())

    public = client.get(API).json()
    assert public["count"] == 1
    tie = public["results"][0]
    assert tie["source"]["slug"] == "open" and tie["type"] == "refers"
    assert tie["directed"] is True and tie["note"] is None

    staff = client.get(API, headers=_bearer("staff")).json()
    assert staff["count"] == 3
    assert "Met at the fair" in [t["note"] for t in staff["results"]]


@pytest.mark.django_db
def test_a_private_tie_is_not_found_for_the_public(client: Client) -> None:
    hidden = RelationshipFactory.create(source__is_public=False)
    assert client.get(f"{API}/{hidden.pk}").status_code == 404
    assert client.get(f"{API}/{hidden.pk}", headers=_bearer("staff")).status_code == 200


@pytest.mark.django_db
def test_the_list_filters_and_costs_the_same_for_3_and_30(client: Client) -> None:
    funder = OrganisationFactory.create(slug="funder")
    RelationshipFactory.create(source=funder, type=RelationshipType.objects.get(code="funds"))
    RelationshipFactory.create()
    assert client.get(f"{API}?type=funds").json()["count"] == 1
    assert client.get(f"{API}?organisation=funder").json()["count"] == 1
    assert client.get(f"{API}?province=QC").json()["count"] == 0
    same_queries_for_3_and_30(client, API, lambda n: RelationshipFactory.create_batch(n))


@pytest.mark.django_db
def test_staff_create_change_and_delete_a_tie(client: Client) -> None:
    OrganisationFactory.create(slug="from-here")
    OrganisationFactory.create(slug="to-there")
    staff = _bearer("staff")

    created = client.post(
        API,
        {"source": "from-here", "target": "to-there", "type": "partners", "strength": 3},
        content_type="application/json",
        headers=staff,
    )
    assert created.status_code == 201, created.content
    tie_id = created.json()["id"]
    assert created.json()["directed"] is False

    again = client.post(
        API,
        {"source": "to-there", "target": "from-here", "type": "partners"},
        content_type="application/json",
        headers=staff,
    )
    assert again.status_code == 422
    assert again.json()["error"]["details"][0]["field"] == "target"

    changed = client.patch(
        f"{API}/{tie_id}",
        {"ended_on": "2026-01-31"},
        content_type="application/json",
        headers=staff,
    )
    assert changed.status_code == 200 and changed.json()["ended_on"] == "2026-01-31"

    deleted = client.delete(f"{API}/{tie_id}", headers=staff)
    assert deleted.status_code == 200 and deleted.json()["id"] == tie_id
    assert not Relationship.objects.exists()


@pytest.mark.django_db
def test_unknown_slugs_and_types_are_named_field_by_field(client: Client) -> None:
    response = client.post(
        API,
        {"source": "nobody", "target": "nowhere", "type": "adopts"},
        content_type="application/json",
        headers=_bearer("staff"),
    )
    assert response.status_code == 422
    fields = {detail["field"] for detail in response.json()["error"]["details"]}
    assert fields == {"source", "target", "type"}


@pytest.mark.django_db
def test_only_staff_write(client: Client) -> None:
    tie = RelationshipFactory.create()
    steward = _bearer("steward")
    body = {"source": tie.source.slug, "target": tie.target.slug, "type": "funds"}
    assert (
        client.post(API, body, content_type="application/json", headers=steward).status_code == 403
    )
    assert client.delete(f"{API}/{tie.pk}", headers=steward).status_code == 403
    assert client.delete(f"{API}/{tie.pk}").status_code == 401
    assert Relationship.objects.count() == 1


@pytest.mark.django_db
def test_the_types_are_listed_with_both_names_and_direction(client: Client) -> None:
    types = {t["code"]: t for t in client.get(f"{API}/types").json()["results"]}
    assert types["partners"]["directed"] is False
    assert types["refers"]["name_fr"] == "oriente des jeunes vers"
