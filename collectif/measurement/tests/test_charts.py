import re
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
import vl_convert
from django.core.cache import cache
from django.utils import translation

from collectif.measurement import charts
from collectif.measurement.domain.results import Figure, forecast
from collectif.measurement.models import Baseline, Indicator, Period, Target


def _figure(code: str, end: date, value: int, *, suppressed: bool = False) -> Figure:
    period = Period(code=code, kind="quarter", start=end.replace(day=1), end=end)
    return Figure(
        period=period,
        region="CA",
        member="",
        value=Decimal(value),
        organisations=4,
        suppressed=suppressed,
        reason="suppressed: fewer than 3 organisations" if suppressed else "",
    )


SERIES = [
    _figure("2024Q1", date(2024, 3, 31), 12000),
    _figure("2024Q2", date(2024, 6, 30), 12500),
    _figure("2024Q3", date(2024, 9, 30), 13000),
    _figure("2024Q4", date(2024, 12, 31), 13500),
]


def _indicator() -> Indicator:
    return Indicator(code="served", name_en="Young people served", name_fr="Jeunes servis")


@pytest.fixture(autouse=True)
def _empty_cache() -> None:
    cache.clear()


def _year(code: str, year: int) -> Period:
    return Period(code=code, kind="year", start=date(year, 1, 1), end=date(year, 12, 31))


def _curve() -> charts.Chart | None:
    baseline = Baseline(value=Decimal(11000), period=_year("2023", 2023))
    current = [Target(value=Decimal(15000), period=_year("2026", 2026))]
    original = [Target(value=Decimal(17000), period=_year("2026", 2026))]
    return charts.turn_the_curve(
        _indicator(), SERIES, baseline=baseline, current=current, original=original
    )


def test_sparkline_is_an_svg_image_with_an_accessible_name() -> None:
    with translation.override("en"):
        chart = charts.sparkline(_indicator(), SERIES)
    assert chart is not None
    assert chart.svg.startswith('<svg role="img" aria-labelledby=')
    title = re.search(r"<title id=\"[^\"]+\">([^<]+)</title>", chart.svg)
    assert title is not None
    assert "Young people served" in title.group(1) and "2024Q4" in title.group(1)


def test_sparkline_needs_two_points() -> None:
    assert charts.sparkline(_indicator(), SERIES[:1]) is None


@pytest.mark.smoke
def test_turn_the_curve_formats_numbers_in_the_readers_language() -> None:
    with translation.override("fr"):
        french = _curve()
    with translation.override("en"):
        english = _curve()
    assert french is not None and english is not None
    assert "12\u00a0000" in french.svg and "12,000" not in french.svg
    assert "12,000" in english.svg
    assert "Jeunes servis" in french.title and "Young people served" in english.title
    assert "13\u00a0500" in french.title


def test_turn_the_curve_draws_both_plans_baseline_and_forecast() -> None:
    with translation.override("en"):
        chart = _curve()
    assert chart is not None
    for label in (
        "Reported",
        "Baseline",
        "Original plan target",
        "Current plan target",
        "Forecast if the trend continues",
    ):
        assert label in chart.svg


def test_forecast_extends_the_linear_trend_from_the_last_point() -> None:
    points = forecast(SERIES, date(2025, 12, 31))
    assert points[0] == (date(2024, 12, 31), 13500.0)
    # 500 a quarter is about 2,000 a year.
    assert 15400 < points[-1][1] < 15600
    assert forecast(SERIES[:3], date(2025, 12, 31)) == []


def test_tile_map_shows_every_province_and_marks_hidden_ones() -> None:
    codes = list(charts.TILES)
    items = [(code, _figure("2024Q4", date(2024, 12, 31), 100 + n)) for n, code in enumerate(codes)]
    items[0] = (codes[0], _figure("2024Q4", date(2024, 12, 31), 3, suppressed=True))
    with translation.override("en"):
        chart = charts.tile_map(_indicator(), items, "Young people served by province")
    assert chart is not None
    for code in codes:
        assert f">{code}<" in chart.svg
    assert ">hidden<" in chart.svg
    assert "Young people served by province</title>" in chart.svg


def test_bars_leave_suppressed_cells_out() -> None:
    items = [("Ontario", SERIES[0]), ("Yukon", _figure("x", date(2024, 3, 31), 2, suppressed=True))]
    with translation.override("en"):
        chart = charts.bars("provinces", _indicator(), items=items, title="By province")
    assert chart is not None
    assert "Ontario" in chart.svg and "Yukon" not in chart.svg


def test_charts_are_cached_per_language(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[str] = []
    real = vl_convert.vegalite_to_svg

    def counting(*args: Any, **kwargs: Any) -> str:
        calls.append(str(kwargs.get("format_locale")))
        return str(real(*args, **kwargs))

    monkeypatch.setattr(vl_convert, "vegalite_to_svg", counting)
    with translation.override("en"):
        first = charts.sparkline(_indicator(), SERIES)
        again = charts.sparkline(_indicator(), SERIES)
    with translation.override("fr"):
        charts.sparkline(_indicator(), SERIES)
    assert first == again
    assert calls == ["en-CA", "fr-CA"]


def test_svg_ids_are_unique_per_chart() -> None:
    svg = charts._accessible(
        '<svg a="1"><clipPath id="clip1"/><g clip-path="url(#clip1)"/></svg>', "T", "x"
    )
    assert 'id="x-clip1"' in svg and "url(#x-clip1)" in svg
    assert '<title id="x-title">T</title>' in svg
