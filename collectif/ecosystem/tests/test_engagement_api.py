"""The pipeline over the API: staff list and record steps and read where each stands."""

from datetime import timedelta
from typing import Any

import pytest
from django.test import Client

from collectif.accounts.models import User
from collectif.core.testing import same_queries_for_3_and_30
from collectif.ecosystem.domain.engagement import site_today
from collectif.ecosystem.models import Engagement, EngagementEvent, Organisation, Stage
from collectif.ecosystem.testing import assert_role_access, bearer_secret, user_with_role
from collectif.ecosystem.tests.factories import EngagementFactory, OrganisationFactory

API = "/api/v1/engagement"


def _staff_headers() -> tuple[User, dict[str, str]]:
    staff = user_with_role("staff")
    assert staff is not None
    return staff, {"Authorization": f"Bearer {bearer_secret(staff)}"}


def _event(organisation: Organisation, **fields: Any) -> EngagementEvent:
    return EngagementEvent.objects.create(
        organisation=organisation,
        **{
            "from_stage": Stage.IDENTIFIED,
            "to_stage": Stage.APPROACHED,
            "happened_on": site_today() - timedelta(days=10),
            "channel": "email",
            **fields,
        },
    )


@pytest.mark.django_db
def test_staff_record_a_step_and_read_where_the_organisation_stands(client: Client) -> None:
    staff, headers = _staff_headers()
    organisation = OrganisationFactory.create(slug="harbour-mentors")
    body = {
        "organisation": "harbour-mentors",
        "to_stage": "in_conversation",
        "happened_on": (site_today() - timedelta(days=1)).isoformat(),
        "channel": "meeting",
        "note": "Coffee with the director.",
        "next_step": "Send the terms",
        "next_step_owner": staff.email.upper(),
        "next_step_due": (site_today() + timedelta(days=6)).isoformat(),
    }
    response = client.post(f"{API}/events", body, content_type="application/json", headers=headers)
    assert response.status_code == 201, response.content
    created = response.json()
    assert created["from_stage"] == "identified" and created["to_stage"] == "in_conversation"
    assert created["next_step_owner"] == staff.email and created["recorded_by"] == staff.email

    stands = client.get(f"{API}/organisations/harbour-mentors", headers=headers).json()
    assert stands["stage"] == "in_conversation"
    assert stands["next_step"] == "Send the terms" and stands["overdue"] is False
    assert Engagement.objects.get(organisation=organisation).stage == Stage.IN_CONVERSATION


@pytest.mark.django_db
def test_an_organisation_with_no_pipeline_row_stands_at_identified(client: Client) -> None:
    _, headers = _staff_headers()
    OrganisationFactory.create(slug="fresh")
    stands = client.get(f"{API}/organisations/fresh", headers=headers).json()
    assert stands == {
        "organisation": "fresh",
        "stage": "identified",
        "stage_since": None,
        "owner": None,
        "next_step": "",
        "next_step_owner": None,
        "next_step_due": None,
        "overdue": False,
    }
    assert client.get(f"{API}/organisations/nowhere", headers=headers).status_code == 404


@pytest.mark.django_db
def test_a_refused_step_answers_422_with_the_fields_and_writes_nothing(client: Client) -> None:
    _, headers = _staff_headers()
    steward = user_with_role("steward")
    assert steward is not None
    EngagementFactory.create(organisation__slug="committed-one", stage=Stage.COMMITTED)
    body = {
        "organisation": "committed-one",
        "to_stage": "approached",
        "happened_on": (site_today() + timedelta(days=2)).isoformat(),
        "channel": "email",
    }
    response = client.post(f"{API}/events", body, content_type="application/json", headers=headers)
    assert response.status_code == 422
    fields = {d["field"] for d in response.json()["error"]["details"]}
    assert {"to_stage", "happened_on"} <= fields
    not_staff = {**body, "to_stage": "committed", "happened_on": site_today().isoformat()}
    not_staff |= {"next_step": "Call", "next_step_owner": steward.email}
    response = client.post(
        f"{API}/events", not_staff, content_type="application/json", headers=headers
    )
    assert response.status_code == 422
    assert response.json()["error"]["details"][0]["field"] == "next_step_owner"
    assert not EngagementEvent.objects.exists()


@pytest.mark.django_db
def test_the_event_list_filters_by_organisation_stage_and_date(client: Client) -> None:
    _, headers = _staff_headers()
    first = OrganisationFactory.create(slug="first")
    second = OrganisationFactory.create(slug="second")
    _event(first, happened_on=site_today() - timedelta(days=40))
    _event(first, from_stage="approached", to_stage="engaged", happened_on=site_today())
    _event(second)

    def ids(query: str) -> list[str]:
        page = client.get(f"{API}/events{query}", headers=headers).json()
        return [f"{row['organisation']}:{row['to_stage']}" for row in page["results"]]

    assert ids("") == ["first:engaged", "second:approached", "first:approached"]
    assert ids("?organisation=first") == ["first:engaged", "first:approached"]
    assert ids("?stage=approached") == ["second:approached", "first:approached"]
    since = (site_today() - timedelta(days=20)).isoformat()
    assert ids(f"?since={since}") == ["first:engaged", "second:approached"]


@pytest.mark.django_db
def test_the_event_list_costs_the_same_for_3_and_30(client: Client) -> None:
    staff, headers = _staff_headers()

    def add(count: int) -> None:
        for organisation in OrganisationFactory.create_batch(count):
            _event(organisation, next_step_owner=staff, recorded_by=staff)

    # A token's first use records the time: do it before counting.
    assert client.get(f"{API}/events", headers=headers).status_code == 200
    same_queries_for_3_and_30(client, f"{API}/events?page_size=100", add, headers=headers)


@pytest.mark.django_db
def test_only_staff_may_use_the_engagement_api(client: Client) -> None:
    organisation = OrganisationFactory.create(slug="asked-about")
    assert_role_access(client, f"{API}/events", allowed={"staff"}, api=True)
    assert_role_access(
        client, f"{API}/organisations/{organisation.slug}", allowed={"staff"}, api=True
    )
    body = {
        "organisation": organisation.slug,
        "to_stage": "identified",
        "happened_on": site_today().isoformat(),
        "channel": "other",
    }
    assert_role_access(
        client, f"{API}/events", allowed={"staff"}, api=True, method="post", data=body
    )
