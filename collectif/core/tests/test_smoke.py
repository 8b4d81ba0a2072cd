import pytest
from django.test import Client

from collectif.core.models import Province
from collectif.ecosystem.testing import assert_role_access


@pytest.mark.smoke
@pytest.mark.django_db
def test_the_thirteen_provinces_add_up_to_the_2021_census() -> None:
    assert Province.objects.count() == 13
    assert sum(p.population_2021 for p in Province.objects.all()) == 36_991_981


@pytest.mark.smoke
@pytest.mark.django_db
def test_the_staff_home_is_for_backbone_staff_only(client: Client) -> None:
    assert_role_access(client, "/en/backbone/", allowed={"staff"})
