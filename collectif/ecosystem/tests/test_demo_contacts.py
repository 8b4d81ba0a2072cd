"""The demo's contacts and reach: realistic, varied, and the same from the same seed."""

import random
from typing import Any

import pytest
from django.utils import timezone

from collectif.ecosystem import demo_contacts
from collectif.ecosystem.domain.consent import ConsentStatus
from collectif.ecosystem.models import Consent, Contact, Organisation
from collectif.ecosystem.selectors.contacts import consent_status_expression
from collectif.ecosystem.tests.factories import OrganisationFactory


class QuietOutput:
    def line(self, text: str) -> None:
        pass

    def progress(self, items: Any, label: str, total: int | None = None) -> Any:
        yield from items


def _world() -> None:
    OrganisationFactory.create(slug="backbone")
    for number in range(40):
        OrganisationFactory.create(
            name_en=f"Indigenous Youth Mentorship {number}" if number % 10 == 0 else None,
            head_office_province_id="NU" if number % 7 == 0 else "ON",
        )


def _snapshot() -> list[tuple[str, str, str]]:
    return list(Contact.objects.order_by("pk").values_list("name", "email", "role_title_fr"))


@pytest.mark.django_db
def test_most_organisations_get_one_to_three_contacts_with_every_kind_of_consent() -> None:
    _world()
    demo_contacts.load(rng=random.Random(7), out=QuietOutput())
    backbone = Organisation.objects.get(slug="backbone")
    assert not backbone.contacts.exists()
    per_organisation = [o.contacts.count() for o in Organisation.objects.exclude(pk=backbone.pk)]
    assert max(per_organisation) <= 3
    assert sum(1 for count in per_organisation if count) >= len(per_organisation) * 0.6
    assert all(c.role_title_en and c.role_title_fr for c in Contact.objects.all())  # type: ignore[attr-defined]
    today = timezone.localdate()
    statuses = set(
        Contact.objects.annotate(status=consent_status_expression(today)).values_list(
            "status", flat=True
        )
    )
    assert {ConsentStatus.MAY_EMAIL, ConsentStatus.NONE} <= statuses
    assert Consent.objects.filter(kind="implied").exists()
    assert Consent.objects.filter(kind="express").exists()
    indigenous = Organisation.objects.filter(name_en__startswith="Indigenous")
    assert all(o.equity_identities.filter(code="indigenous-led").exists() for o in indigenous)
    assert Organisation.objects.filter(equity_identities__code="rural-remote").exists()
    assert "Contacts:" in demo_contacts.summary()[0]


@pytest.mark.django_db
def test_the_same_seed_gives_the_same_contacts() -> None:
    _world()
    demo_contacts.load(rng=random.Random(3), out=QuietOutput())
    first = _snapshot()
    Consent.objects.all().delete()
    Contact.objects.all().delete()
    for organisation in Organisation.objects.all():
        organisation.equity_identities.clear()
        organisation.populations_served.clear()
    demo_contacts.load(rng=random.Random(3), out=QuietOutput())
    assert [row[0] for row in _snapshot()] == [row[0] for row in first]
