import random

import pytest

from collectif.accounts.models import Invitation, Membership, Role, User
from collectif.accounts.selectors import invitation_status
from collectif.ecosystem import demo_people as demo
from collectif.ecosystem.tests.factories import OrganisationFactory


class QuietOutput:
    def line(self, text):
        pass

    def progress(self, items, label, total=None):
        yield from items


@pytest.mark.django_db
def test_the_demo_gives_one_account_per_role_and_prints_them():
    steward_slugs = pytest.importorskip("collectif.ecosystem.demo").DEMO_STEWARD_ORGANISATIONS
    OrganisationFactory.create(slug="backbone")
    for slug in steward_slugs:
        OrganisationFactory.create(slug=slug)
    assert not demo.is_loaded()

    demo.load(rng=random.Random(1), out=QuietOutput())

    assert demo.is_loaded()
    for role, email, _name, _language in demo.DEMO_ACCOUNTS:
        person = User.objects.get(email=email)
        assert person.check_password("collectif-demo-2026")
        assert Membership.objects.filter(user=person, role=role).exists()
    steward = User.objects.get(email="steward@example.org")
    assert set(steward.memberships.values_list("organisation__slug", flat=True)) == set(
        steward_slugs
    )
    assert (
        User.objects.get(email="staff@example.org").memberships.get().organisation.slug
        == "backbone"
    )
    assert User.objects.get(email="admin@example.org").is_superuser
    statuses = [invitation_status(i) for i in Invitation.objects.all()]
    assert statuses.count("expired") == 1 and statuses.count("pending") >= 2

    table = "\n".join(demo.summary())
    assert "staff@example.org" in table and "collectif-demo-2026" in table
    assert str(Role.RESEARCHER.label) in table
