from typing import Any

import pytest
from django.db import connection
from django.http import Http404
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from collectif.accounts.models import Membership, Role
from collectif.accounts.tests.factories import UserFactory
from collectif.core.models import Province
from collectif.ecosystem.models import Sector
from collectif.ecosystem.selectors import organisations as selectors
from collectif.ecosystem.testing import user_with_role
from collectif.ecosystem.tests.factories import OrganisationFactory


def _slugs(queryset) -> list[str]:
    """The organisations found, leaving out those the test people belong to."""
    return [o.slug for o in queryset if not o.slug.startswith("backbone")]


@pytest.fixture
def staff():
    return user_with_role("staff", OrganisationFactory.create(slug="backbone"))


@pytest.mark.django_db
def test_search_looks_in_both_names_and_descriptions(staff) -> None:
    OrganisationFactory.create(slug="a", name_en="Harbour Mentors", name_fr="")
    OrganisationFactory.create(slug="b", name_en="", name_fr="Les mentors du port")
    OrganisationFactory.create(slug="c", description_fr="Mentorat en milieu PORTUAIRE")
    OrganisationFactory.create(slug="d")
    assert sorted(_slugs(selectors.organisation_list(user=staff, q="harbour"))) == ["a"]
    assert sorted(_slugs(selectors.organisation_list(user=staff, q="port"))) == ["b", "c"]


@pytest.mark.django_db
def test_the_province_filter_matches_head_office_or_provinces_served_once(staff) -> None:
    nb, ns, pe = (Province.objects.get(code=c) for c in ("NB", "NS", "PE"))
    head = OrganisationFactory.create(slug="head", head_office_province=nb)
    serving = OrganisationFactory.create(slug="serving")
    serving.provinces_served.set([nb, ns, pe])
    OrganisationFactory.create(slug="elsewhere")
    found = _slugs(selectors.organisation_list(user=staff, province="nb"))
    assert sorted(found) == ["head", "serving"]
    head.provinces_served.set([nb, pe])
    assert sorted(_slugs(selectors.organisation_list(user=staff, province="NB"))) == [
        "head",
        "serving",
    ]


@pytest.mark.django_db
def test_the_sector_filter_uses_the_code(staff) -> None:
    OrganisationFactory.create(slug="funder", sector=Sector.objects.get(code="funder"))
    OrganisationFactory.create(slug="program")
    assert _slugs(selectors.organisation_list(user=staff, sector="funder")) == ["funder"]


@pytest.mark.django_db
def test_only_staff_see_private_and_archived_organisations(staff) -> None:
    OrganisationFactory.create(slug="public")
    OrganisationFactory.create(slug="private", is_public=False)
    OrganisationFactory.create(slug="archived", archived_at=timezone.now())
    steward = user_with_role(
        "steward", OrganisationFactory.create(slug="backbone-steward", is_public=False)
    )
    for user in (None, steward):
        assert _slugs(selectors.organisation_list(user=user, include_archived=True)) == ["public"]
        with pytest.raises(Http404):
            selectors.organisation_get(user=user, slug="private")
    assert sorted(_slugs(selectors.organisation_list(user=staff))) == ["private", "public"]
    everything = selectors.organisation_list(user=staff, include_archived=True)
    assert sorted(_slugs(everything)) == ["archived", "private", "public"]
    assert selectors.organisation_get(user=staff, slug="archived").slug == "archived"


@pytest.mark.django_db
def test_sorting_by_name_follows_the_readers_language_and_falls_back(staff) -> None:
    OrganisationFactory.create(slug="z-en", name_en="Zebra Mentors", name_fr="Alpaga Mentorat")
    OrganisationFactory.create(slug="m-en-only", name_en="Maple Mentors", name_fr="")
    assert _slugs(selectors.organisation_list(user=staff)) == ["m-en-only", "z-en"]
    with translation.override("fr"):
        assert _slugs(selectors.organisation_list(user=staff)) == ["z-en", "m-en-only"]
    assert _slugs(selectors.organisation_list(user=staff, sort="-name")) == ["z-en", "m-en-only"]
    assert _slugs(selectors.organisation_list(user=staff, sort="drop table")) == [
        "m-en-only",
        "z-en",
    ]


@pytest.mark.django_db
def test_sorting_by_province_and_sector(staff) -> None:
    OrganisationFactory.create(slug="yt", head_office_province=Province.objects.get(code="YT"))
    OrganisationFactory.create(slug="ab", head_office_province=Province.objects.get(code="AB"))
    assert _slugs(selectors.organisation_list(user=staff, sort="province")) == ["ab", "yt"]
    assert _slugs(selectors.organisation_list(user=staff, sort="-province")) == ["yt", "ab"]
    OrganisationFactory.create(slug="biz", sector=Sector.objects.get(code="business"))
    assert _slugs(selectors.organisation_list(user=staff, sort="sector"))[0] == "biz"


def _add_organisations(count: int) -> None:
    nb, ns = Province.objects.get(code="NB"), Province.objects.get(code="NS")
    for _ in range(count):
        OrganisationFactory.create().provinces_served.set([nb, ns])


@pytest.mark.django_db
def test_the_list_page_costs_the_same_queries_for_3_or_30_organisations(
    client, staff, django_assert_max_num_queries
) -> None:
    client.force_login(staff)
    _add_organisations(3)
    client.get("/en/ecosystem/organisations/")  # session and roles warm-up
    with CaptureQueriesContext(connection) as few:
        response = client.get("/en/ecosystem/organisations/")
    assert "4 organisations" in response.content.decode()
    _add_organisations(27)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get("/en/ecosystem/organisations/")
    assert "31 organisations" in response.content.decode()


@pytest.mark.django_db
def test_organisations_without_a_steward_need_attention(staff) -> None:
    program = OrganisationFactory.create(slug="program")
    OrganisationFactory.create(slug="youth", sector=Sector.objects.get(code="youth-led"))
    OrganisationFactory.create(slug="funder", sector=Sector.objects.get(code="funder"))
    OrganisationFactory.create(slug="gone", archived_at=timezone.now())
    assert selectors.organisation_without_steward_count(user=staff) == 2
    Membership.objects.create(user=UserFactory.create(), organisation=program, role=Role.STEWARD)
    assert _slugs(selectors.organisation_list(user=staff, needs_steward=True)) == ["youth"]


@pytest.mark.django_db
def test_figures_count_public_partners_and_the_places_they_reach() -> None:
    nu = Province.objects.get(code="NU")
    OrganisationFactory.create().provinces_served.set([nu])
    OrganisationFactory.create(head_office_province=Province.objects.get(code="QC"))
    OrganisationFactory.create(
        is_public=False, head_office_province=Province.objects.get(code="YT")
    )
    assert selectors.organisation_figures() == {"organisations": 2, "provinces": 3}


@pytest.mark.django_db
def test_attachments_count_every_kind_of_record_in_one_query(
    django_assert_num_queries: Any,
) -> None:
    from collectif.ecosystem.tests.factories import (
        ContactFactory,
        EngagementFactory,
        RelationshipFactory,
    )
    from collectif.measurement.tests.factories import DatasetFactory

    organisation = OrganisationFactory.create()
    EngagementFactory.create(organisation=organisation)
    assert selectors.organisation_attachments(organisation=organisation) == []

    ContactFactory.create_batch(2, organisation=organisation)
    RelationshipFactory.create(source=organisation)
    RelationshipFactory.create(target=organisation)
    DatasetFactory.create(organisations=[organisation])
    with django_assert_num_queries(1):
        found = dict(selectors.organisation_attachments(organisation=organisation))
    assert found == {"contacts": 2, "relationships": 2, "datasets": 1}
