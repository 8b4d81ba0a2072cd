"""A signed-in results page answered from the cache costs one query, and is never stale.

The account, its roles and the results version come back in one round trip
(accounts/backends.py): these tests pin that count and check that what the one query
brings is what the separate reads would have given.
"""

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from collectif.accounts.models import Membership, Role, User
from collectif.accounts.permissions import user_roles
from collectif.ecosystem.tests.factories import OrganisationFactory
from collectif.measurement.tests.factories import IndicatorFactory, steward_of
from collectif.measurement.tests.results_data import approve, movement

PAGES = ("measurement:scorecard", "measurement:report_card")


@pytest.fixture
def warm(client: Client) -> tuple[Client, Any]:
    served = IndicatorFactory.create(code="served", name_en="Young people served")
    organisations, dataset, periods = movement([served], ["2024Q1", "2024Q2"], 3, 1234)
    client.force_login(steward_of(organisations[0]))
    return client, (served, organisations, dataset, periods)


@pytest.mark.django_db
@pytest.mark.parametrize("page", [*PAGES, "indicator"])
def test_a_warm_signed_in_results_page_costs_one_query(
    warm: tuple[Client, Any], page: str, django_assert_num_queries: Any
) -> None:
    client, _world = warm
    url = (
        reverse("measurement:indicator_detail", kwargs={"code": "served"})
        if page == "indicator"
        else reverse(page)
    )
    assert client.get(url).status_code == 200  # fills the cache
    with django_assert_num_queries(1):
        response = client.get(url)
    assert response.status_code == 200


@pytest.mark.django_db
def test_an_approval_shows_on_the_signed_in_viewers_next_request(
    warm: tuple[Client, Any],
) -> None:
    client, (served, _organisations, dataset, periods) = warm
    url = reverse("measurement:scorecard")
    assert "3,702" in client.get(url).content.decode()  # 3 partners × 1,234

    approve(OrganisationFactory.create(), dataset, periods[-1], {(served, ""): 1000})

    assert "4,702" in client.get(url).content.decode()


@pytest.mark.django_db
def test_a_new_role_shows_on_the_next_request(warm: tuple[Client, Any]) -> None:
    client, (_served, organisations, _dataset, _periods) = warm
    url = reverse("measurement:scorecard")
    before = client.get(url).content.decode()
    user = client.get(url).wsgi_request.user
    assert isinstance(user, User)

    Membership.objects.create(user=user, organisation=organisations[1], role=Role.GOVERNANCE)

    after = client.get(url)
    assert Role.GOVERNANCE in user_roles(after.wsgi_request.user)
    assert after.content.decode() != before


@pytest.mark.django_db
def test_a_deactivated_account_is_signed_out_on_its_next_request(
    warm: tuple[Client, Any],
) -> None:
    client, _world = warm
    url = reverse("measurement:scorecard")
    user = client.get(url).wsgi_request.user
    assert isinstance(user.pk, int)
    User.objects.filter(pk=user.pk).update(is_active=False)

    assert not client.get(url).wsgi_request.user.is_authenticated
