from factory.declarations import Sequence, SubFactory
from factory.django import DjangoModelFactory, Password

from collectif.accounts.models import Membership, Role, User
from collectif.ecosystem.tests.factories import OrganisationFactory


class UserFactory(DjangoModelFactory[User]):
    class Meta:
        model = User

    email = Sequence(lambda n: f"person{n}@example.org")
    full_name = Sequence(lambda n: f"Person {n}")
    password = Password("a-strong-test-password")


class MembershipFactory(DjangoModelFactory[Membership]):
    class Meta:
        model = Membership

    user = SubFactory(UserFactory)
    organisation = SubFactory(OrganisationFactory)
    role = Role.STEWARD
