"""Every list of organisations, page or API, costs the same queries for 3 rows as for 30."""

import pytest
from django.test import Client

from collectif.core.models import Province
from collectif.core.testing import same_queries_for_3_and_30
from collectif.ecosystem.models import Sector
from collectif.ecosystem.testing import user_with_role
from collectif.ecosystem.tests.factories import OrganisationFactory


def _organisations(count: int) -> None:
    served = list(Province.objects.filter(code__in=["NS", "PE"]))
    for organisation in OrganisationFactory.create_batch(count):
        organisation.provinces_served.set(served)


@pytest.fixture
def staff_client(client: Client) -> Client:
    staff = user_with_role("staff")
    assert staff is not None
    client.force_login(staff)
    return client


@pytest.mark.django_db
def test_the_staff_organisation_list_costs_a_fixed_number_of_queries(
    staff_client: Client,
) -> None:
    url = "/en/ecosystem/organisations/"
    # One more than the public list's count: how many are private or archived.
    assert same_queries_for_3_and_30(staff_client, url, _organisations) == 10


@pytest.mark.django_db
def test_the_public_partner_list_costs_a_fixed_number_of_queries(client: Client) -> None:
    assert same_queries_for_3_and_30(client, "/en/ecosystem/partners/", _organisations) == 5


@pytest.mark.django_db
def test_the_organisation_api_list_costs_a_fixed_number_of_queries(client: Client) -> None:
    # The count, the page, and the provinces, population groups and equity identities.
    assert same_queries_for_3_and_30(client, "/api/v1/organisations", _organisations) == 5


@pytest.mark.django_db
def test_the_sector_api_list_costs_two_queries(client: Client) -> None:
    """The count and the page, however many sectors there are."""

    def add(count: int) -> None:
        start = Sector.objects.count()
        Sector.objects.bulk_create(
            Sector(code=f"sector-{n}", name_en=f"Sector {n}", name_fr=f"Secteur {n}", position=n)
            for n in range(start, start + count)
        )

    assert same_queries_for_3_and_30(client, "/api/v1/sectors", add) == 2
