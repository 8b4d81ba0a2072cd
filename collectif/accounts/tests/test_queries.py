"""Every list page about people costs the same queries for 3 rows as for 30."""

import pytest
from django.test import Client

from collectif.accounts import selectors, services
from collectif.accounts.models import Role, User
from collectif.accounts.tests.factories import MembershipFactory
from collectif.core.testing import same_queries_for_3_and_30
from collectif.ecosystem.testing import user_with_role
from collectif.ecosystem.tests.factories import OrganisationFactory


@pytest.fixture
def staff(client: Client) -> User:
    person = user_with_role(Role.STAFF)
    assert person is not None
    client.force_login(person)
    return person


@pytest.mark.django_db
def test_the_invitation_list_costs_a_fixed_number_of_queries(client: Client, staff: User) -> None:
    organisation = OrganisationFactory.create()

    def add(count: int) -> None:
        start = selectors.invitation_list().count()
        for n in range(start, start + count):
            services.invitation_create(
                actor=staff,
                email=f"invitee{n}@example.org",
                organisation=organisation,
                role=Role.STEWARD,
                language="en",
            )

    assert same_queries_for_3_and_30(client, "/en/accounts/invitations/", add) == 5


@pytest.mark.django_db
def test_the_people_list_costs_a_fixed_number_of_queries(client: Client, staff: User) -> None:
    def add(count: int) -> None:
        MembershipFactory.create_batch(count)

    assert same_queries_for_3_and_30(client, "/en/accounts/people/", add) == 6


@pytest.mark.django_db
def test_the_token_list_costs_a_fixed_number_of_queries(client: Client, staff: User) -> None:
    def add(count: int) -> None:
        for n in range(count):
            services.api_token_create(actor=staff, name=f"Script {n}")

    assert same_queries_for_3_and_30(client, "/en/accounts/tokens/", add) == 4
