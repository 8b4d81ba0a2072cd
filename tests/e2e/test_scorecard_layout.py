"""The scorecard on a meeting-room screen (1280 px) and on a phone (375 px): every column,
"Change since baseline" and "Status" included, is on screen without scrolling sideways,
in both languages, and axe-core finds nothing to fix."""

from decimal import Decimal
from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.urls import reverse
from django.utils import translation
from playwright.sync_api import Page, expect

from collectif.accounts.models import Membership, Role
from collectif.accounts.tests.factories import UserFactory
from collectif.agenda.tests.factories import PlanVersionFactory
from collectif.ecosystem.tests.factories import OrganisationFactory
from collectif.measurement.domain import rollups
from collectif.measurement.models import Baseline, Indicator, Target
from collectif.measurement.tests.factories import DatasetFactory, IndicatorFactory, PeriodFactory
from collectif.measurement.tests.results_data import approve
from tests.e2e.conftest import assert_accessible, sign_in

PASSWORD = "a-strong-test-password"
QUARTERS = ["2025Q1", "2025Q2", "2025Q3", "2025Q4", "2026Q1", "2026Q2"]
HEADERS = {
    "en": ("Indicator", "Status", "Change since baseline"),
    "fr": ("Indicateur", "État", "Variation depuis le point de départ"),
}


def _movement() -> str:
    """Indicators with long names, a percentage and a rate per 100, with baselines and
    targets so that every column is filled in; returns the staff member's email."""
    served = IndicatorFactory.create(
        code="youth_served",
        name_en="Young people served by mentoring programs across the movement",
        name_fr="Jeunes servis par les programmes de mentorat de l’ensemble du mouvement",
    )
    waiting = IndicatorFactory.create(
        code="waitlist",
        name_en="Young people on waitlists",
        name_fr="Jeunes en liste d’attente",
        polarity=Indicator.Polarity.LOWER,
    )
    share = IndicatorFactory.create(
        code="caring_adult_share",
        name_en="Share of youth reporting a caring adult",
        name_fr="Part des jeunes qui disent avoir un adulte bienveillant",
        unit=Indicator.Unit.PERCENT,
        aggregation=Indicator.Aggregation.MEAN,
        decimals=1,
    )
    IndicatorFactory.create(
        code="waitlist_ratio",
        name_en="Young people waiting per 100 served",
        name_fr="Jeunes en attente pour 100 jeunes servis",
        unit=Indicator.Unit.PERCENT,
        source=Indicator.Source.COMPUTED,
        numerator=waiting,
        denominator=served,
        factor=Decimal(100),
        decimals=1,
        polarity=Indicator.Polarity.LOWER,
    )
    dataset = DatasetFactory.create(indicators=[served, waiting, share])
    partners = [OrganisationFactory.create() for _ in range(4)]
    for step, code in enumerate(QUARTERS):
        period = PeriodFactory.create(code=code)
        for partner in partners:
            values = {(served, ""): 18000 + 120 * step, (waiting, ""): 900 - 10 * step}
            approve(partner, dataset, period, {**values, (share, ""): Decimal("71.5") + step})
    plan = PlanVersionFactory.create(number=1, is_original=True, is_current=True)
    for indicator, baseline, target in ((served, 60000, 90000), (waiting, 4000, 2000)):
        Baseline.objects.create(
            indicator=indicator,
            period=PeriodFactory.create(code="2024"),
            value=baseline,
            source="Partner reports",
        )
        Target.objects.create(
            plan_version=plan,
            indicator=indicator,
            period=PeriodFactory.create(code="2028"),
            value=target,
        )
    rollups.rebuild_all()
    staff = UserFactory.create(email="staff@example.org", full_name="Sam Staff")
    Membership.objects.create(
        user=staff, organisation=OrganisationFactory.create(slug="backbone"), role=Role.STAFF
    )
    return staff.email


GEOMETRY = """() => {
  const wrap = document.querySelector('.scorecard-wrap');
  const table = wrap.querySelector('table.scorecard');
  const box = (el) => {
    const r = el.getBoundingClientRect();
    return {left: r.left, right: r.right, width: r.width, text: el.textContent.trim()};
  };
  return {
    viewport: document.documentElement.clientWidth,
    pageScroll: document.documentElement.scrollWidth,
    wrap: box(wrap),
    tableScroll: wrap.scrollWidth,
    wrapClient: wrap.clientWidth,
    headers: [...table.querySelectorAll('thead th')].map(box),
    cells: [...table.querySelectorAll('tbody th, tbody td')].map(box),
    labels: [...table.querySelectorAll('tbody tr:first-child td')].map(
      (td) => getComputedStyle(td, '::before').content),
  };
}"""


def _geometry(page: Page) -> dict[str, Any]:
    result: dict[str, Any] = page.evaluate(GEOMETRY)
    return result


def _assert_wide_screen(page: Page, language: str) -> None:
    shape = _geometry(page)
    widths = [(h["text"], h["width"]) for h in shape["headers"]]
    assert shape["tableScroll"] <= shape["wrapClient"], widths
    assert shape["pageScroll"] <= shape["viewport"]
    for header in shape["headers"]:
        assert header["width"] > 20, header
        assert shape["wrap"]["left"] <= header["left"] + 1, header
        assert header["right"] <= shape["wrap"]["right"] + 1, header
    texts = [h["text"] for h in shape["headers"]]
    indicator, status, change = HEADERS[language]
    assert texts.index(status) == texts.index(indicator) + 1  # status beside the name
    for name in (status, change):
        expect(page.locator("table.scorecard thead th", has_text=name)).to_be_in_viewport()


def _assert_phone(page: Page, language: str) -> None:
    shape = _geometry(page)
    assert shape["pageScroll"] <= shape["viewport"], shape
    for cell in shape["cells"]:
        assert cell["left"] >= 0 and cell["right"] <= shape["viewport"] + 1, cell
    # Stacked into cards: every value says which column it belongs to.
    labels = " ".join(shape["labels"])
    for name in HEADERS[language][1:]:
        assert name in labels, labels


@pytest.mark.parametrize("language", ["en", "fr"])
def test_scorecard_has_no_clipped_column_at_1280_and_375_px(
    page: Page, axe: Axe, language: str
) -> None:
    email = _movement()
    sign_in(page, email, PASSWORD, language)
    for width, check in ((1280, _assert_wide_screen), (375, _assert_phone)):
        page.set_viewport_size({"width": width, "height": 800})
        page.goto(_scorecard_url(language))
        expect(page.locator("table.scorecard tbody tr")).to_have_count(4)
        check(page, language)
        assert_accessible(axe, page)


def _scorecard_url(language: str) -> str:
    with translation.override(language):
        return reverse("measurement:scorecard")
