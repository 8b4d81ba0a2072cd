"""The measurement setup pages: staff only, writing through the services, GOV.UK errors."""

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils.translation import override

from collectif.agenda.tests.factories import PlanVersionFactory
from collectif.core.manifest import nav_entries
from collectif.core.models import AuditEvent
from collectif.ecosystem.models import Sector
from collectif.ecosystem.testing import assert_role_access
from collectif.ecosystem.tests.factories import OrganisationFactory
from collectif.measurement.models import (
    Baseline,
    Dataset,
    DatasetIndicator,
    Dimension,
    DimensionMember,
    Indicator,
    Period,
    Target,
    ValidationRule,
)
from collectif.measurement.tests.factories import (
    DatasetFactory,
    IndicatorFactory,
    PeriodFactory,
    ValueFactory,
    backbone_staff,
)


def url(name, lang="en", **kwargs):
    with override(lang):
        return reverse(f"measurement:{name}", kwargs=kwargs)


@pytest.fixture
def world():
    indicator = IndicatorFactory.create(
        code="served", name_en="Young people served", name_fr="Jeunes servis"
    )
    mentors = IndicatorFactory.create(
        code="mentors", name_en="Active mentors", name_fr="Personnes mentores actives"
    )
    dataset = DatasetFactory.create(code="quarterly", indicators=[indicator])
    period = PeriodFactory.create(code="2026Q1")
    rule = ValidationRule.objects.create(
        code="served_mentors",
        left=mentors,
        operator="<=",
        right=indicator,
        message_en="Too many mentors.",
        message_fr="Trop de personnes mentores.",
    )
    plan = PlanVersionFactory.create(number=1)
    return {
        "indicator": indicator,
        "mentors": mentors,
        "dataset": dataset,
        "period": period,
        "rule": rule,
        "plan": plan,
    }


@pytest.fixture
def staff_client(client):
    client.force_login(backbone_staff())
    return client


@pytest.mark.smoke
@pytest.mark.django_db
def test_every_setup_page_is_for_backbone_staff_only(client, world):
    pages = [
        url("setup_home"),
        url("setup_indicators"),
        url("setup_indicator_create"),
        url("setup_indicator_edit", code="served"),
        url("setup_indicator_plan", code="served"),
        url("setup_periods"),
        url("setup_period_create"),
        url("setup_period_edit", code="2026Q1"),
        url("setup_datasets"),
        url("setup_dataset_create"),
        url("setup_dataset_edit", code="quarterly"),
        url("setup_dataset_organisations", code="quarterly"),
        url("setup_dimensions"),
        url("setup_member_add", code="age"),
        url("setup_member_rename", code="age", member="12-17"),
        url("setup_member_delete", code="age", member="12-17"),
        url("setup_rules"),
        url("setup_rule_create"),
        url("setup_rule_edit", code="served_mentors"),
    ]
    for page in pages:
        assert_role_access(client, page, allowed={"staff"})
    assert_role_access(
        client, url("setup_period_next_quarters"), allowed={"staff"}, method="post", data={}
    )


@pytest.mark.django_db
def test_posts_from_people_who_are_not_staff_write_nothing(client, world):
    assert_role_access(
        client,
        url("setup_member_delete", code="age", member="6-11"),
        allowed={"staff"},
        method="post",
        data={},
    )
    # Only the staff member's request went through.
    assert AuditEvent.objects.filter(action="measurement.dimension_member_delete").count() == 1


@pytest.mark.django_db
def test_staff_see_setup_in_the_navigation(world):
    staff = backbone_staff()
    entries = [e for e in nav_entries() if e.url_name == "measurement:setup_home"]
    assert len(entries) == 1 and staff.has_perm(entries[0].perm)


@pytest.mark.django_db
def test_the_home_counts_and_explains_each_list(staff_client, world):
    page = staff_client.get(url("setup_home")).content.decode()
    assert "<h1>Measurement setup</h1>" in page
    assert "2 indicators." in page
    assert "What a partner reports each period" in page
    french = staff_client.get(url("setup_home", lang="fr")).content.decode()
    assert "Configuration de la mesure" in french
    assert "2 indicateurs." in french


def indicator_data(**overrides):
    data = {
        "code": "waitlist",
        "name_en": "Young people on waitlists",
        "name_fr": "Jeunes en liste d’attente",
        "definition_en": "Waiting for a mentor at the end of the period.",
        "definition_fr": "En attente d’une personne mentore à la fin de la période.",
        "kind": "performance",
        "question": "how_much",
        "unit": "count",
        "decimals": "0",
        "polarity": "lower",
        "aggregation": "sum",
        "frequency": "quarter",
        "source": "partner",
        "factor": "1",
        "dimensions": [Dimension.objects.get(code="age").pk],
        "consistency": "error",
        "position": "3",
        "is_published": "on",
    }
    data.update(overrides)
    return data


@pytest.mark.smoke
@pytest.mark.django_db
def test_staff_add_an_indicator_with_every_field(staff_client, world):
    response = staff_client.post(url("setup_indicator_create"), indicator_data())
    assert response.status_code == 302
    indicator = Indicator.objects.get(code="waitlist")
    assert getattr(indicator, "name_fr", None) == "Jeunes en liste d’attente"
    assert indicator.polarity == "lower" and indicator.is_published
    assert [d.code for d in indicator.dimensions.all()] == ["age"]
    assert AuditEvent.objects.filter(action="measurement.indicator_create").exists()
    listing = staff_client.get(url("setup_indicators"), {"q": "waitlist"}).content.decode()
    assert "Young people on waitlists" in listing and "Young people served" not in listing


@pytest.mark.django_db
def test_the_model_rules_show_as_errors_beside_the_field_and_keep_the_input(staff_client, world):
    data = indicator_data(source="computed", aggregation="weighted_mean")
    response = staff_client.post(url("setup_indicator_create"), data)
    assert response.status_code == 422
    page = response.content.decode()
    assert "There is a problem" in page
    assert 'href="#id_numerator"' in page
    assert "A computed indicator needs a numerator and a denominator." in page
    assert "A weighted mean needs the indicator to weight by." in page
    assert 'value="Young people on waitlists"' in page
    assert not Indicator.objects.filter(code="waitlist").exists()
    assert not AuditEvent.objects.exists()


@pytest.mark.django_db
def test_a_duplicate_code_is_refused(staff_client, world):
    response = staff_client.post(url("setup_indicator_create"), indicator_data(code="served"))
    assert response.status_code == 422
    assert Indicator.objects.filter(code="served").count() == 1


@pytest.mark.django_db
def test_editing_an_indicator_saves_it_and_keeps_its_code(staff_client, world):
    data = indicator_data(name_en="Youth served", code="ignored")
    response = staff_client.post(url("setup_indicator_edit", code="served"), data)
    assert response.status_code == 302
    world["indicator"].refresh_from_db()
    assert world["indicator"].name_en == "Youth served"
    assert world["indicator"].code == "served"
    assert not Indicator.objects.filter(code="ignored").exists()
    event = AuditEvent.objects.get(action="measurement.indicator_update")
    assert event.changes["name_en"] == ["Young people served", "Youth served"]


@pytest.mark.django_db
def test_the_indicator_form_pairs_the_languages_and_marks_computed_fields(staff_client, world):
    page = staff_client.get(url("setup_indicator_edit", code="served")).content.decode()
    assert 'class="field-pair"' in page
    assert "Name in English" in page and "Name in French" in page
    assert "Only for computed indicators." in page
    french = staff_client.get(url("setup_indicator_edit", lang="fr", code="served")).content
    assert "Nom en français" in french.decode()


@pytest.mark.django_db
def test_periods_are_created_from_a_code_and_bad_codes_keep_the_input(staff_client, world):
    response = staff_client.post(url("setup_period_create"), {"code": "2026q3"})
    assert response.status_code == 302
    assert Period.objects.get(code="2026Q3").end == date(2026, 9, 30)
    bad = staff_client.post(url("setup_period_create", lang="fr"), {"code": "printemps"})
    assert bad.status_code == 422
    page = bad.content.decode()
    assert "n’est pas une période" in page
    assert 'value="printemps"' in page
    duplicate = staff_client.post(url("setup_period_create"), {"code": "2026Q1"})
    assert "The period 2026Q1 already exists." in duplicate.content.decode()
    assert Period.objects.count() == 2


@pytest.mark.django_db
def test_a_periods_window_is_edited(staff_client, world):
    edit = url("setup_period_edit", code="2026Q1")
    bad = staff_client.post(edit, {"opens_on": "2026-04-10", "deadline": "2026-04-01"})
    assert bad.status_code == 422
    assert "The deadline must come after the window opens." in bad.content.decode()
    staff_client.post(edit, {"opens_on": "2026-03-20", "deadline": "2026-04-30"})
    world["period"].refresh_from_db()
    assert world["period"].deadline == date(2026, 4, 30)


@pytest.mark.django_db
def test_the_next_four_quarters_button_is_idempotent(staff_client, world):
    staff_client.post(url("setup_period_next_quarters"))
    count = Period.objects.count()
    assert count >= 4
    response = staff_client.post(url("setup_period_next_quarters"), follow=True)
    assert Period.objects.count() == count
    assert "nothing was added" in response.content.decode()


@pytest.mark.django_db
def test_staff_build_a_dataset_with_order_and_required_flags(staff_client, world):
    served, mentors = world["indicator"], world["mentors"]
    data = {
        "code": "annual",
        "name_en": "Annual report",
        "name_fr": "Rapport annuel",
        "frequency": "year",
        "is_active": "on",
        f"use_{served.pk}": "on",
        f"pos_{served.pk}": "2",
        f"use_{mentors.pk}": "on",
        f"pos_{mentors.pk}": "1",
        f"req_{mentors.pk}": "on",
    }
    response = staff_client.post(url("setup_dataset_create"), data)
    assert response.status_code == 302
    dataset = Dataset.objects.get(code="annual")
    items = list(dataset.items.values_list("indicator__code", "required"))
    assert items == [("mentors", True), ("served", False)]


@pytest.mark.django_db
def test_a_dataset_without_indicators_is_refused_and_nothing_is_written(staff_client, world):
    data = {"code": "empty", "name_en": "Empty", "name_fr": "Vide", "frequency": "year"}
    response = staff_client.post(url("setup_dataset_create"), data)
    assert response.status_code == 422
    assert "Choose at least one indicator" in response.content.decode()
    assert 'value="Empty"' in response.content.decode()
    assert not Dataset.objects.filter(code="empty").exists()


@pytest.mark.django_db
def test_editing_a_dataset_replaces_its_indicators(staff_client, world):
    mentors = world["mentors"]
    data = {
        "name_en": "Quarterly",
        "name_fr": "Trimestriel",
        "frequency": "quarter",
        "is_active": "on",
        f"use_{mentors.pk}": "on",
        f"req_{mentors.pk}": "on",
    }
    assert staff_client.post(url("setup_dataset_edit", code="quarterly"), data).status_code == 302
    assert list(
        DatasetIndicator.objects.filter(dataset=world["dataset"]).values_list(
            "indicator__code", flat=True
        )
    ) == ["mentors"]


@pytest.mark.django_db
def test_organisations_are_assigned_by_ticking_and_by_sector(staff_client, world):
    dataset = world["dataset"]
    business = Sector.objects.get(code="business")
    first = OrganisationFactory.create(name_en="Alpha Mentoring")
    second = OrganisationFactory.create(name_en="Beta Mentoring")
    archived = OrganisationFactory.create(name_en="Gamma Mentoring", sector=business)
    archived.archived_at = archived.created_at
    archived.save()
    in_sector = OrganisationFactory.create(name_en="Delta Business", sector=business)
    dataset.organisations.add(second)
    page_url = url("setup_dataset_organisations", code="quarterly")
    page = staff_client.get(page_url, {"q": "Mentoring"}).content.decode()
    assert "Alpha Mentoring" in page and "Gamma Mentoring" not in page
    staff_client.post(page_url, {"shown": [first.pk, second.pk], "organisations": [first.pk]})
    assert set(dataset.organisations.all()) == {first}
    staff_client.post(page_url, {"sector": business.pk})
    assert set(dataset.organisations.all()) == {first, in_sector}


@pytest.mark.django_db
def test_dimension_members_are_added_renamed_and_used_ones_not_deleted(staff_client, world):
    add = url("setup_member_add", code="age")
    response = staff_client.post(add, {"code": "25-29", "name_en": "25 to 29", "name_fr": ""})
    assert response.status_code == 422
    assert not DimensionMember.objects.filter(code="25-29").exists()
    staff_client.post(add, {"code": "25-29", "name_en": "25 to 29", "name_fr": "25 à 29 ans"})
    member = DimensionMember.objects.get(dimension__code="age", code="25-29")
    staff_client.post(
        url("setup_member_rename", code="age", member="25-29"),
        {"name_en": "25 to 29 years", "name_fr": "25 à 29 ans"},
    )
    member.refresh_from_db()
    assert getattr(member, "name_en", None) == "25 to 29 years"

    ValueFactory.create(indicator=world["indicator"], breakdown="age:12-17")
    used = url("setup_member_delete", code="age", member="12-17")
    assert "cannot be deleted" in staff_client.get(used).content.decode()
    assert staff_client.post(used).status_code == 409
    assert DimensionMember.objects.filter(dimension__code="age", code="12-17").exists()
    unused = url("setup_member_delete", code="age", member="25-29")
    assert "This cannot be undone." in staff_client.get(unused).content.decode()
    assert staff_client.post(unused).status_code == 302
    assert not DimensionMember.objects.filter(code="25-29").exists()


@pytest.mark.django_db
def test_validation_rules_are_created_and_edited(staff_client, world):
    data = {
        "code": "mentors_served",
        "left": world["mentors"].pk,
        "operator": "<=",
        "right": world["mentors"].pk,
        "severity": "warning",
        "message_en": "More mentors than young people.",
        "message_fr": "Plus de personnes mentores que de jeunes.",
        "is_active": "on",
    }
    same = staff_client.post(url("setup_rule_create"), data)
    assert same.status_code == 422
    assert "Compare two different indicators." in same.content.decode()
    data["right"] = world["indicator"].pk
    assert staff_client.post(url("setup_rule_create"), data).status_code == 302
    assert ValidationRule.objects.get(code="mentors_served").severity == "warning"
    data["severity"] = "error"
    staff_client.post(url("setup_rule_edit", code="mentors_served"), data)
    assert ValidationRule.objects.get(code="mentors_served").severity == "error"


@pytest.mark.django_db
def test_the_plan_pages_sit_in_the_setup_and_count_targets_and_list_indicators(staff_client, world):
    year = PeriodFactory.create(code="2026")
    Target.objects.create(
        plan_version=world["plan"], indicator=world["indicator"], period=year, value=10
    )
    with override("en"):
        plans = reverse("agenda:plan_list")
    page = staff_client.get(plans).content.decode()
    assert f'<a href="{url("setup_home")}">Measurement setup</a>' in page
    assert '<th scope="col" class="num">Targets</th>' in page
    assert '<td class="num">1</td>' in page
    assert url("setup_indicator_plan", code="served") in page
    home = staff_client.get(url("setup_home")).content.decode()
    assert f'href="{plans}"' in home
    with override("en"):
        form = staff_client.get(reverse("agenda:plan_create")).content.decode()
    assert "Measurement setup" in form and f'href="{plans}"' in form


@pytest.mark.smoke
@pytest.mark.django_db
def test_baseline_and_targets_are_saved_in_one_post_in_either_language(staff_client, world):
    revised = PlanVersionFactory.create(number=2)
    PeriodFactory.create(code="2025")
    PeriodFactory.create(code="2026")
    page = url("setup_indicator_plan", lang="fr", code="served")
    response = staff_client.post(
        page,
        {
            "baseline_period": "2025",
            "baseline_value": "1 234,5",
            "baseline_source_en": "Partner reports",
            "baseline_source_fr": "Rapports des partenaires",
            "target_1_2026": "1 500",
            "target_2_2026": "1 400,5",
        },
    )
    assert response.status_code == 302
    assert Baseline.objects.get().value == Decimal("1234.5")
    targets = dict(Target.objects.values_list("plan_version__number", "value"))
    assert targets == {1: Decimal(1500), 2: Decimal("1400.5")}
    assert revised.targets.count() == 1
    shown = staff_client.get(page).content.decode()
    assert "Point de départ pour le Canada" in shown
    assert "1\u00a0234,5" in shown or "1\u202f234,5" in shown


@pytest.mark.django_db
def test_one_bad_target_saves_nothing_and_keeps_every_input(staff_client, world):
    PeriodFactory.create(code="2025")
    PeriodFactory.create(code="2026")
    response = staff_client.post(
        url("setup_indicator_plan", code="served"),
        {
            "baseline_period": "2025",
            "baseline_value": "100",
            "target_1_2025": "120",
            "target_1_2026": "lots",
        },
    )
    assert response.status_code == 422
    page = response.content.decode()
    assert "There is a problem" in page
    assert 'value="lots"' in page and 'value="120"' in page
    assert not Baseline.objects.exists() and not Target.objects.exists()


@pytest.mark.django_db
def test_empty_lists_teach_what_to_do_first(staff_client):
    assert "No indicator yet: add the first one." in (
        staff_client.get(url("setup_indicators")).content.decode()
    )
    assert "No dataset yet: add the first one." in (
        staff_client.get(url("setup_datasets")).content.decode()
    )
    french = staff_client.get(url("setup_rules", lang="fr")).content.decode()
    assert "Aucune règle" in french
