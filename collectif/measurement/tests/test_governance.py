"""A governance member's home: the scorecard's standing, and what changed since their visit."""

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from collectif.accounts.models import Role
from collectif.agenda.tests.factories import PlanVersionFactory
from collectif.core.actors import SYSTEM
from collectif.core.services import audit_record
from collectif.core.testing import same_queries_for_3_and_30
from collectif.ecosystem.testing import user_with_role
from collectif.ecosystem.tests.factories import OrganisationFactory
from collectif.measurement.audit import MeasurementAction
from collectif.measurement.models import Baseline, Indicator, Submission, Target
from collectif.measurement.tests.factories import (
    DatasetFactory,
    IndicatorFactory,
    PeriodFactory,
)
from collectif.measurement.tests.results_data import approve, movement

QUARTERS = ["2024Q1", "2024Q2", "2024Q3", "2024Q4"]


@pytest.fixture
def behind() -> Indicator:
    """A published indicator below its baseline (off track), and one with no plan."""
    served = IndicatorFactory.create(code="served", name_en="Young people served")
    IndicatorFactory.create(code="mentors", name_en="Active mentors")
    _orgs, _dataset, periods = movement([served], QUARTERS, 3, 100)
    Baseline.objects.create(indicator=served, period=periods[0], value=400)
    plan = PlanVersionFactory.create(number=1, is_original=True, is_current=True)
    year = PeriodFactory.create(code="2026")
    Target.objects.create(plan_version=plan, indicator=served, period=year, value=500)
    return served


def _governance_member(*, previous_visit_days_ago: int | None) -> object:
    user = user_with_role(Role.GOVERNANCE)
    assert user is not None
    if previous_visit_days_ago is not None:
        user.previous_login = timezone.now() - timedelta(days=previous_visit_days_ago)
        user.save(update_fields=["previous_login"])
    return user


def _home(client: Client, user: object, language: str = "en") -> str:
    client.force_login(user)  # type: ignore[arg-type]
    with translation.override(language):
        url = reverse("core:dashboard")
    return client.get(url).content.decode()


@pytest.mark.django_db
def test_home_shows_the_scorecard_standing_and_the_indicators_off_track(
    client: Client, behind: Indicator
) -> None:
    page = _home(client, _governance_member(previous_visit_days_ago=2))

    assert "Where the scorecard stands" in page
    assert "1 indicator" in page  # off track: served; no data: mentors
    assert "Indicators off track or at risk" in page
    assert f'href="{behind.get_absolute_url()}">Young people served</a>' in page
    assert "Off track" in page
    assert 'href="/en/measurement/scorecard/"' in page
    assert 'href="/en/measurement/report-card/"' in page


@pytest.mark.django_db
def test_what_changed_counts_only_what_came_after_the_previous_visit(
    client: Client, behind: Indicator
) -> None:
    member = _governance_member(previous_visit_days_ago=2)
    Submission.objects.update(reviewed_at=timezone.now() - timedelta(days=10))
    newer = IndicatorFactory.create(code="matches", name_en="New matches")
    period = PeriodFactory.create(code="2025Q1")
    organisations = [OrganisationFactory.create() for _ in range(2)]
    dataset = DatasetFactory.create(indicators=[newer])
    for organisation in organisations:
        approve(organisation, dataset, period, {(newer, ""): 7})
    audit_record(actor=SYSTEM, action=MeasurementAction.TARGET_SET, target=behind)

    page = _home(client, member)

    assert "What changed since your last visit on" in page
    assert "2 reports approved" in page  # the twelve older approvals are not counted
    assert "January to March 2025: 2 reports" in page
    assert "Indicators with new figures" in page and ">New matches</a>" in page
    assert ">Young people served</a>" not in page.split("Indicators with new figures")[1]
    assert "Changes to the plan" in page and "set a target of" in page


@pytest.mark.django_db
def test_a_first_visit_looks_back_thirty_days_and_says_so(
    client: Client, behind: Indicator
) -> None:
    page = _home(client, _governance_member(previous_visit_days_ago=None))

    assert "What changed in the last 30 days" in page
    assert "12 reports approved" in page


@pytest.mark.django_db
def test_a_quiet_period_says_nothing_is_new(client: Client, behind: Indicator) -> None:
    Submission.objects.update(reviewed_at=timezone.now() - timedelta(days=10))

    page = _home(client, _governance_member(previous_visit_days_ago=1))

    assert "Nothing new: no report was approved and the plan did not change." in page


@pytest.mark.django_db
def test_other_roles_do_not_get_the_governance_panel(client: Client, behind: Indicator) -> None:
    for role in (Role.STEWARD, Role.RESEARCHER):
        page = _home(client, user_with_role(role))
        assert "Where the scorecard stands" not in page


@pytest.mark.django_db
def test_governance_menu_leads_to_the_scorecard_and_the_report_card(
    client: Client, behind: Indicator
) -> None:
    page = _home(client, _governance_member(previous_visit_days_ago=1))
    nav = page.split('class="site-nav"')[1].split("</nav>")[0]

    assert 'href="/en/measurement/scorecard/"' in nav
    assert 'href="/en/measurement/report-card/"' in nav
    assert "/en/measurement/export/" not in nav  # researchers' and staff's only


@pytest.mark.django_db
def test_the_home_speaks_french(client: Client, behind: Indicator) -> None:
    page = _home(client, _governance_member(previous_visit_days_ago=2), "fr")

    assert "Où en est le tableau de bord" in page
    assert "Ce qui a changé depuis votre dernière visite" in page


@pytest.mark.django_db
def test_the_home_reads_changes_in_bulk(client: Client, behind: Indicator) -> None:
    """Approvals, periods and plan events cost the same queries, however many there are."""
    client.force_login(_governance_member(previous_visit_days_ago=1))  # type: ignore[arg-type]
    dataset = DatasetFactory.create(indicators=[behind])

    def add(count: int) -> None:
        for _ in range(count):
            period = PeriodFactory.create()
            approve(OrganisationFactory.create(), dataset, period, {(behind, ""): 5})
            audit_record(actor=SYSTEM, action=MeasurementAction.TARGET_SET, target=behind)

    same_queries_for_3_and_30(client, reverse("core:dashboard"), add)
