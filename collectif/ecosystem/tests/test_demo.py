import random

import pytest

from collectif.core.demo import ConsoleOutput, load_reference_data
from collectif.ecosystem import demo
from collectif.ecosystem.models import Organisation, Sector
from collectif.ecosystem.selectors import organisations as selectors


def _load(seed: int) -> list[str]:
    demo.load(rng=random.Random(seed), out=ConsoleOutput(None, show_progress=False))
    return sorted(Organisation.objects.values_list("slug", flat=True))


@pytest.mark.django_db
def test_the_demo_loads_about_150_organisations_everywhere_and_in_every_sector() -> None:
    assert not demo.is_loaded()
    _load(1)
    assert demo.is_loaded()
    organisations = Organisation.objects.all()
    assert 140 <= organisations.count() <= 170
    head_offices = set(organisations.values_list("head_office_province_id", flat=True))
    assert len(head_offices) == 13
    assert set(organisations.values_list("sector__code", flat=True)) == set(
        Sector.objects.values_list("code", flat=True)
    )
    assert organisations.filter(archived_at__isnull=False).count() == 3
    private = organisations.filter(is_public=False).count()
    assert 5 <= private <= 30
    assert organisations.filter(name_en="").exists()
    assert organisations.filter(name_fr="").exists()
    for slug in ("backbone", *demo.DEMO_STEWARD_ORGANISATIONS):
        organisation = organisations.get(slug=slug)
        assert organisation.is_public and not organisation.is_archived
    backbone = organisations.get(slug="backbone")
    assert backbone.provinces_served.count() == 13
    for organisation in organisations:
        texts = selectors.translated_values(organisation)
        assert (
            "Fictional organisation" in texts["description_en"]
            or "Organisme fictif" in texts["description_fr"]
        )
    assert "mentoring-circle-of-halifax" in " ".join(demo.summary())


@pytest.mark.django_db
def test_the_same_seed_gives_the_same_organisations() -> None:
    first = _load(7)
    Organisation.objects.all().delete()
    assert _load(7) == first
    Organisation.objects.all().delete()
    assert _load(8) != first


@pytest.mark.django_db
def test_every_province_has_at_least_two_organisations() -> None:
    load_reference_data()
    _load(3)
    for code in ("NU", "YT", "NT", "PE"):
        assert Organisation.objects.filter(head_office_province_id=code).count() >= 2
