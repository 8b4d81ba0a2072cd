"""The results pages kept under the results version: the same page with and without the
cache, and every change that moves the figures seen on the very next request."""

import dataclasses
import re
from datetime import date
from decimal import Decimal
from typing import Any

import altair as alt
import pytest
import vl_convert
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import translation

from collectif.agenda.models import PlanVersion
from collectif.agenda.services import PlanVersionData, plan_version_update
from collectif.agenda.tests.factories import PlanVersionFactory
from collectif.core.actors import SYSTEM
from collectif.core.results_version import results_version
from collectif.ecosystem.tests.factories import OrganisationFactory
from collectif.measurement import charts
from collectif.measurement.models import Dataset, Indicator, Period, Rollup, Submission, Value
from collectif.measurement.services import dimensions as dimension_services
from collectif.measurement.services import results as result_services
from collectif.measurement.services import submissions as submission_services
from collectif.measurement.services import targets as target_services
from collectif.measurement.services.indicators import IndicatorData, indicator_update
from collectif.measurement.tests.factories import (
    IndicatorFactory,
    backbone_staff,
    steward_of,
)
from collectif.measurement.tests.results_data import approve, movement

QUARTERS = ["2024Q1", "2024Q2", "2024Q3", "2024Q4"]
NO_CACHE = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}


def _url(name: str, language: str = "en", **kwargs: Any) -> str:
    with translation.override(language):
        return reverse(f"measurement:{name}", kwargs=kwargs or None)


@pytest.fixture
def world() -> tuple[Indicator, Dataset, list[Period]]:
    """A published indicator reported by four partners, broken down by age and province."""
    served = IndicatorFactory.create(
        code="served", name_en="Young people served", dimensions=["age", "province"]
    )
    _orgs, dataset, periods = movement([served], QUARTERS, 4, 1234)
    return served, dataset, periods


def _page(client: Client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    html = re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", html)
    return re.sub(r'nonce="[^"]*"', "", html)


PAGES = [
    ("anonymous", "report_card", {}, ""),
    ("anonymous", "report_card", {}, "fr"),
    ("steward", "scorecard", {}, ""),
    ("staff", "scorecard", {}, ""),
    ("steward", "indicator_detail", {"code": "served"}, ""),
    ("staff", "indicator_detail", {"code": "served"}, "?period=2024Q2"),
    ("staff", "indicator_detail", {"code": "served"}, "fr"),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("who", "name", "kwargs", "extra"), PAGES)
def test_a_page_is_the_same_from_the_cache_and_without_it(
    client: Client, world: Any, who: str, name: str, kwargs: dict[str, str], extra: str
) -> None:
    if who == "staff":
        client.force_login(backbone_staff())
    elif who == "steward":
        client.force_login(steward_of(OrganisationFactory.create()))
    language = "fr" if extra == "fr" else "en"
    url = _url(name, language, **kwargs) + ("" if extra == "fr" else extra)

    cold = _page(client, url)
    warm = _page(client, url)
    with override_settings(CACHES=NO_CACHE):
        uncached = _page(client, url)

    assert cold == warm == uncached
    assert 'role="img"' in cold  # the charts are part of what is kept


@pytest.mark.django_db
def test_members_and_staff_never_share_a_cached_page(client: Client, world: Any) -> None:
    IndicatorFactory.create(code="draft", name_en="Draft indicator", is_published=False)
    client.force_login(backbone_staff())
    assert "Draft indicator" in _page(client, _url("scorecard"))
    client.force_login(steward_of(OrganisationFactory.create()))
    assert "Draft indicator" not in _page(client, _url("scorecard"))
    assert client.get(_url("indicator_detail", code="draft")).status_code == 404


@pytest.mark.django_db
def test_an_approval_is_on_the_report_card_at_the_very_next_request(
    client: Client, world: Any
) -> None:
    served, dataset, periods = world
    latest = "<strong>4,936</strong>"  # 4 partners × 1,234
    assert latest in _page(client, _url("report_card"))
    submission = approve(
        OrganisationFactory.create(), dataset, periods[-1], {(served, ""): 1000}, status="submitted"
    )
    assert latest in _page(client, _url("report_card"))

    submission_services.submission_approve(actor=SYSTEM, submission=submission)

    assert "<strong>5,936</strong>" in _page(client, _url("report_card"))


@pytest.mark.django_db
def test_a_reopened_submission_leaves_the_figures_at_the_very_next_request(
    client: Client, world: Any
) -> None:
    _served, _dataset, periods = world
    client.force_login(steward_of(OrganisationFactory.create()))
    assert "3,702" not in _page(client, _url("scorecard"))
    submission = Submission.objects.filter(period=periods[-1]).first()
    assert submission is not None

    submission_services.submission_reopen(actor=SYSTEM, submission=submission, reason="Typo")

    assert "3,702" in _page(client, _url("scorecard"))  # 3 partners left × 1,234


@pytest.mark.django_db
def test_a_returned_submission_moves_the_results_version(world: Any) -> None:
    served, dataset, periods = world
    submission = approve(
        OrganisationFactory.create(), dataset, periods[-1], {(served, ""): 1}, status="submitted"
    )
    before = results_version()
    submission_services.submission_return(actor=SYSTEM, submission=submission, comment="Check")
    assert results_version() > before


@pytest.mark.django_db
def test_a_rebuild_is_on_the_pages_at_the_very_next_request(client: Client, world: Any) -> None:
    _served, _dataset, periods = world
    assert "4,936" in _page(client, _url("report_card"))
    Value.objects.filter(period=periods[-1], breakdown="").update(value=Decimal(2000))
    Rollup.objects.all().delete()  # what an operator repairs with a full rebuild

    result_services.rollups_rebuild(actor=SYSTEM)

    assert "<strong>8,000</strong>" in _page(client, _url("report_card"))


@pytest.mark.django_db
def test_configuration_changes_are_on_the_pages_at_the_very_next_request(
    client: Client, world: Any
) -> None:
    served, _dataset, periods = world
    client.force_login(backbone_staff())
    detail = _url("indicator_detail", code="served")
    assert "Mentors matched" not in _page(client, _url("scorecard"))
    _page(client, detail)

    renamed = dataclasses.replace(IndicatorData.of(served), name_en="Mentors matched")
    indicator_update(actor=SYSTEM, indicator=served, data=renamed)
    assert "Mentors matched" in _page(client, _url("scorecard"))

    result_services.indicator_story_update(
        actor=SYSTEM, indicator=served, story_en="Winter slowed matching.", story_fr="L’hiver."
    )
    assert "Winter slowed matching." in _page(client, detail)

    target_services.baseline_set(
        actor=SYSTEM, indicator=served, period=periods[0], value=Decimal(3210)
    )
    assert "3,210" in _page(client, detail)

    plan = PlanVersionFactory.create(number=1)
    target_services.target_set(
        actor=SYSTEM, plan_version=plan, indicator=served, period=periods[-1], value=Decimal(6543)
    )
    assert "6,543" in _page(client, detail)

    member = served.dimensions.get(code="age").members.first()
    dimension_services.dimension_member_rename(
        actor=SYSTEM, member=member, name_en="Youngest of all", name_fr="Les plus jeunes"
    )
    assert "Youngest of all" in _page(client, detail)


@pytest.mark.django_db
def test_a_change_of_plan_is_on_the_indicator_page_at_the_very_next_request(
    client: Client, world: Any
) -> None:
    served, _dataset, periods = world
    PlanVersionFactory.create(number=1)
    revised = PlanVersionFactory.create(number=2)
    target_services.target_set(
        actor=SYSTEM,
        plan_version=revised,
        indicator=served,
        period=periods[-1],
        value=Decimal(7777),
    )
    client.force_login(backbone_staff())
    detail = _url("indicator_detail", code="served")
    assert "7,777" not in _page(client, detail)  # version 2 is not current yet

    data = PlanVersionData(
        number=2, name_en="Revised", name_fr="Révisé", adopted_on=date(2025, 4, 1), is_current=True
    )
    plan_version_update(actor=SYSTEM, plan=PlanVersion.objects.get(number=2), data=data)

    assert "7,777" in _page(client, detail)


def test_the_sparkline_draws_the_same_image_as_its_altair_chart() -> None:
    rows = [{"i": n, "v": v} for n, v in enumerate([12.5, 14.0, 13.2, 17.9, 16.1])]
    base = alt.Chart(alt.InlineData(values=rows)).encode(
        x=alt.X("i:Q", axis=None), y=alt.Y("v:Q", axis=None, scale=alt.Scale(zero=False))
    )
    chart = alt.layer(
        base.mark_line(color=charts.BLUE, strokeWidth=2),
        base.transform_filter("datum.i == 4").mark_point(
            color=charts.BLUE, filled=True, size=30, opacity=1
        ),
    ).properties(width=120, height=32)
    altair = charts._spec(chart)
    altair["padding"] = 2

    drawn = vl_convert.vegalite_to_svg(charts.sparkline_spec(rows))

    assert drawn == vl_convert.vegalite_to_svg(altair)
