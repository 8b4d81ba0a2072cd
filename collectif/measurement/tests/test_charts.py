import re
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
import vl_convert
from django.utils import translation

from collectif.core.testing import clear_cache
from collectif.measurement import charts
from collectif.measurement.domain.results import Figure, forecast
from collectif.measurement.models import Baseline, Indicator, Period, Target


def _figure(code: str, end: date, value: float, *, suppressed: bool = False) -> Figure:
    start = end.replace(month=end.month - 2, day=1)
    period = Period(code=code, kind="quarter", start=start, end=end)
    return Figure(
        period=period,
        region="CA",
        member="",
        value=Decimal(str(value)),
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
    clear_cache()


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
    assert "Young people served" in title.group(1)
    expected = "from 12,000 (January to March 2024) to 13,500 (October to December 2024)."
    assert expected in title.group(1)
    assert "2024Q4" not in chart.svg


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


PROVINCES = [
    ("Newfoundland and Labrador", 120),
    ("Prince Edward Island", 40),
    ("Ontario", 900),
    ("Northwest Territories", 12),
]


def _percent() -> Indicator:
    return Indicator(
        code="share",
        name_en="Share of youth reporting a caring adult",
        name_fr="Part des jeunes qui disent avoir un adulte bienveillant",
        unit=Indicator.Unit.PERCENT,
        decimals=1,
    )


def _per_100() -> Indicator:
    """As in the demo: a computed ratio × 100 stored with the unit "percent"."""
    return Indicator(
        code="waitlist_ratio",
        name_en="Young people waiting per 100 served",
        name_fr="Jeunes en attente pour 100 jeunes servis",
        unit=Indicator.Unit.PERCENT,
        source=Indicator.Source.COMPUTED,
        factor=Decimal(100),
        decimals=1,
        polarity=Indicator.Polarity.LOWER,
    )


def _province_bars(indicator: Indicator) -> charts.Chart:
    items = [(name, _figure("2024Q4", date(2024, 12, 31), v)) for name, v in PROVINCES]
    chart = charts.bars("provinces", indicator, items=items, title="By province")
    assert chart is not None
    return chart


def _all_charts(indicator: Indicator) -> list[charts.Chart | None]:
    tiles = [
        (code, _figure("2024Q4", date(2024, 12, 31), 10 + n)) for n, code in enumerate(charts.TILES)
    ]
    return [
        charts.sparkline(indicator, SERIES),
        _curve(),
        _province_bars(indicator),
        charts.tile_map(indicator, tiles, "By province"),
    ]


def _font_sizes(svg: str) -> list[float]:
    return [float(size) for size in re.findall(r'font-size="([\d.]+)px"', svg)]


@pytest.mark.parametrize("language", ["en", "fr"])
def test_every_chart_text_is_at_least_12_px_for_a_projector(language: str) -> None:
    with translation.override(language):
        drawn = _all_charts(_per_100()) + _all_charts(_percent())
    svgs = [chart.svg for chart in drawn if chart is not None]
    assert len(svgs) == 8
    sizes = [size for svg in svgs for size in _font_sizes(svg)]
    assert sizes and min(sizes) >= 12


def test_province_bars_keep_the_whole_name_and_room_for_it() -> None:
    with translation.override("en"):
        chart = _province_bars(_indicator())
    assert ">Newfoundland and Labrador<" in chart.svg and "…" not in chart.svg
    # The plot starts right of the longest name, measured generously (13 px text).
    plot = re.search(r'class="mark-group role-frame root".*?transform="translate\((\d+)', chart.svg)
    offset = re.search(r'<g fill="none"[^>]*transform="translate\((\d+)', chart.svg)
    assert offset is not None or plot is not None
    left = int((offset or plot).group(1))  # type: ignore[union-attr]
    assert left >= len("Newfoundland and Labrador") * 13 * 0.6


def test_values_carry_their_unit_in_both_languages() -> None:
    with translation.override("en"):
        percent = _province_bars(_percent())
        rate = _province_bars(_per_100())
    with translation.override("fr"):
        pourcentage = _province_bars(_percent())
        taux = _province_bars(_per_100())
    assert ">120.0%<" in percent.svg and ">Percent<" in percent.svg
    assert ">120,0\u00a0%<" in pourcentage.svg
    assert ">120.0 per 100<" in rate.svg and ">Rate per 100<" in rate.svg
    assert "Percent" not in rate.svg
    assert ">120,0 pour 100<" in taux.svg and ">Taux pour 100<" in taux.svg


def test_unit_names_follow_the_computed_indicators_factor() -> None:
    with translation.override("en"):
        assert charts.unit_name(_per_100()) == "Rate per 100"
        assert charts.unit_name(_percent()) == "Percent"
        assert charts.unit_name(_indicator()) == "Count"
        assert charts.with_unit(Decimal("2.5"), _percent(), signed=True) == "+2.5 points"
        assert charts.with_unit(Decimal("-1.25"), _per_100()) == "\u22121.2 per 100"


def test_sparkline_and_curve_say_whether_higher_or_lower_is_better() -> None:
    with translation.override("en"):
        lower = charts.sparkline(_per_100(), SERIES)
        higher = charts.sparkline(_indicator(), SERIES)
    assert lower is not None and higher is not None
    assert lower.title.endswith("Lower is better.") and higher.title.endswith("Higher is better.")
    assert "per 100" in lower.title


@pytest.mark.parametrize("language", ["en", "fr"])
def test_captions_are_whole_sentences(language: str) -> None:
    with translation.override(language):
        curve = _curve()
        sparkline = charts.sparkline(_indicator(), SERIES)
        bars = _province_bars(_indicator())
    assert curve is not None and sparkline is not None
    for chart in (curve, sparkline, bars):
        assert chart.caption.endswith(".")
        assert ".." not in chart.caption
    assert curve.caption.count(". ") == 2  # what it shows. Latest: …. Higher is better.
    if language == "en":
        assert "Latest: 13,500 in October to December 2024." in curve.caption


def test_a_caption_gets_its_full_stop_once() -> None:
    assert charts.sentence("Young people served by province") == (
        "Young people served by province."
    )
    assert charts.sentence("Latest: 12 in 2024.") == "Latest: 12 in 2024."
