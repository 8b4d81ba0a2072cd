"""Charts drawn on the server as SVG (Altair → Vega-Lite → vl-convert): no JavaScript.

Every chart is an image with an accessible name (`role="img"` and a `<title>`), is
always shown beside a table of the same numbers, and speaks the reader's language:
titles through gettext, numbers through the d3 locale of fr-CA or en-CA.

Rendering takes tens of milliseconds, so SVGs are cached under a key made of the chart
kind, the indicator, a hash of the whole specification (data included) and the
language: new data makes a new key, so nothing has to be invalidated.
"""

import hashlib
import html
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal
from typing import Any, Literal

import altair as alt
import vl_convert
from django.core.cache import cache
from django.utils import translation
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from collectif.core.formatting import format_money, format_number
from collectif.measurement.domain.results import Figure, forecast
from collectif.measurement.models import Baseline, Indicator, Target

CACHE_SECONDS = 24 * 3600
INK = "#1b1b1b"
BLUE = "#1d4f91"
ORANGE = "#b54708"
GREEN = "#1a7f37"
GREY = "#6b6b6b"
NO_DATA = "#e6e6e6"
# Projector-readable sizes (px): nothing smaller than 12, ticks and legends at 13.
TEXT = 13
AXIS_TITLE = 14
# A generous width per character of a 13 px label: the browser's font may be wider than
# the one the server measures with, and a label that overflows is cut at the image edge.
CHAR_WIDTH = 0.62
# Light to dark; text on the two darkest tiles is white so it keeps AA contrast.
SEQUENTIAL = ["#dbe7f5", "#a9c6ea", "#6f9fd8", "#2f6db5", "#123f77"]

# A tile-grid map of Canada: (column, row), roughly where each one lies.
TILES: dict[str, tuple[int, int]] = {
    "YT": (0, 0),
    "NT": (1, 0),
    "NU": (2, 0),
    "BC": (0, 1),
    "AB": (1, 1),
    "SK": (2, 1),
    "MB": (3, 1),
    "ON": (4, 1),
    "QC": (5, 1),
    "NL": (6, 1),
    "NB": (5, 2),
    "PE": (6, 2),
    "NS": (7, 2),
}


@dataclass(frozen=True)
class Chart:
    title: str
    svg: SafeString

    @property
    def caption(self) -> str:
        return sentence(self.title)


def sentence(text: str) -> str:
    """End a caption with a full stop, so that the next sentence does not run into it."""
    text = text.strip()
    return text if not text or text[-1] in ".!?" else text + "."


def _language() -> str:
    return (translation.get_language() or "en")[:2]


def _locale(language: str) -> Literal["fr-CA", "en-CA"]:
    return "fr-CA" if language == "fr" else "en-CA"


def _d3_format(indicator: Indicator) -> str:
    return f",.{indicator.decimals}f"


def _rate_base(indicator: Indicator) -> Decimal | None:
    """The "per N" of a rate: a computed indicator's factor, or the unit's own base.

    A computed indicator (numerator ÷ denominator × 100) is a count per 100 of the
    denominator, which may exceed 100: "waiting per 100 served" is not a percentage.
    """
    if indicator.is_computed and indicator.factor not in (0, 1):
        return Decimal(indicator.factor)
    bases = {
        Indicator.Unit.RATE_1000.value: Decimal(1000),
        Indicator.Unit.RATE_10000.value: Decimal(10000),
    }
    return bases.get(str(indicator.unit))


def unit_name(indicator: Indicator) -> str:
    """The unit as a reader should name it: "Percent", "Rate per 100", "Count"."""
    base = _rate_base(indicator)
    if base is not None:
        return _("Rate per %(base)s") % {"base": format_number(base.normalize(), 0)}
    return str(indicator.get_unit_display())


def is_percent(indicator: Indicator) -> bool:
    return indicator.unit == Indicator.Unit.PERCENT and _rate_base(indicator) is None


def with_unit(
    value: Decimal | None,
    indicator: Indicator,
    *,
    language: str | None = None,
    signed: bool = False,
) -> str:
    """A value with its unit, as it reads in a sentence: 62.4%, 12.3 per 100, $1,200."""
    language = language or _language()
    if value is None:
        return "–"
    sign = "+" if signed and value > 0 else ""
    if indicator.unit == Indicator.Unit.DOLLARS and _rate_base(indicator) is None:
        return sign + format_money(value, language)
    number = sign + format_number(value, indicator.decimals, language)
    base = _rate_base(indicator)
    if base is not None:
        return _("%(value)s per %(base)s") % {
            "value": number,
            "base": format_number(base.normalize(), 0, language),
        }
    if is_percent(indicator):
        if signed:
            return _("%(value)s points") % {"value": number}
        return number + ("\u00a0%" if language == "fr" else "%")
    return number


def polarity_cue(indicator: Indicator) -> str:
    """Whether up is good: a reader cannot tell from a line alone."""
    return str(indicator.get_polarity_display())


def _accessible(svg: str, title: str, prefix: str) -> str:
    """Name the image for screen readers, and keep its ids unique on a page of charts."""
    svg = re.sub(r'id="([^"]+)"', lambda m: f'id="{prefix}-{m.group(1)}"', svg)
    svg = re.sub(r"url\(#([^)]+)\)", lambda m: f"url(#{prefix}-{m.group(1)})", svg)
    title_id = f"{prefix}-title"
    return re.sub(
        r"<svg\b",
        f'<svg role="img" aria-labelledby="{title_id}" focusable="false"',
        svg,
        count=1,
    ).replace(">", f'><title id="{title_id}">{html.escape(title)}</title>', 1)


def render(kind: str, indicator: Indicator, *, spec: dict[str, Any], title: str) -> Chart:
    """The chart's SVG, from the cache when the same chart was drawn before."""
    language = _language()
    digest = hashlib.sha256(
        json.dumps([spec, title], sort_keys=True, default=str).encode()
    ).hexdigest()[:24]
    key = f"chart:{kind}:{indicator.code}:{digest}:{language}"
    svg = cache.get(key)
    if svg is None:
        raw = vl_convert.vegalite_to_svg(
            spec, format_locale=_locale(language), time_format_locale=_locale(language)
        )
        svg = _accessible(raw, title, f"{kind}-{indicator.code}-{digest[:8]}")
        cache.set(key, svg, CACHE_SECONDS)
    return Chart(title=title, svg=mark_safe(svg))  # noqa: S308 - vl-convert output, title escaped


def _look() -> dict[str, Any]:
    """Every chart's shared look: text big enough for a meeting-room screen."""
    return {
        "font": "system-ui, sans-serif",
        "view": {"stroke": None},
        "background": "white",
        "axis": {
            "labelFontSize": TEXT,
            "titleFontSize": AXIS_TITLE,
            "labelColor": INK,
            "titleColor": INK,
        },
        "legend": {"labelFontSize": TEXT, "titleFontSize": TEXT, "labelColor": INK},
        "title": {"fontSize": 16},
        "text": {"fontSize": TEXT},
    }


def _spec(chart: alt.TopLevelMixin) -> dict[str, Any]:
    spec: dict[str, Any] = chart.to_dict(validate=False)
    spec.setdefault("config", {}).update(_look())
    return spec


def _tick_labels(indicator: Indicator, language: str) -> str | None:
    """A Vega expression adding % to each tick of a percentage axis."""
    if not is_percent(indicator):
        return None
    sign = "\u00a0%" if language == "fr" else "%"
    return f"format(datum.value, '{_d3_format(indicator)}') + '{sign}'"


def _label_width(labels: Sequence[str]) -> int:
    """Room for the longest label, so that no province name is cut at the image edge."""
    return int(max((len(label) for label in labels), default=0) * TEXT * CHAR_WIDTH) + 8


# ---- Sparkline ------------------------------------------------------------------------


def sparkline(indicator: Indicator, series: Sequence[Figure]) -> Chart | None:
    points = [f for f in series if f.shown is not None]
    if len(points) < 2:
        return None
    title = _("Trend of %(indicator)s: from %(first)s (%(from)s) to %(last)s (%(to)s).") % {
        "indicator": indicator.name,
        "first": with_unit(points[0].value, indicator),
        "from": points[0].period.label,
        "last": with_unit(points[-1].value, indicator),
        "to": points[-1].period.label,
    }
    title += " " + sentence(polarity_cue(indicator))
    rows = [{"i": n, "v": float(f.value or 0)} for n, f in enumerate(points)]
    return render("sparkline", indicator, spec=sparkline_spec(rows), title=title)


def sparkline_spec(rows: list[dict[str, Any]]) -> dict[str, Any]:
    """A line with its last point marked, written out as Vega-Lite: a scorecard draws one
    per indicator, and building each through Altair cost more than the page's queries.
    (tests/test_results_cache.py checks it draws the same image as the Altair chart.)"""
    encoding = {
        "x": {"field": "i", "type": "quantitative", "axis": None},
        "y": {"field": "v", "type": "quantitative", "axis": None, "scale": {"zero": False}},
    }
    return {
        "data": {"values": rows},
        "layer": [
            {"mark": {"type": "line", "color": BLUE, "strokeWidth": 2}, "encoding": encoding},
            {
                "mark": {"type": "point", "color": BLUE, "filled": True, "size": 30, "opacity": 1},
                "encoding": encoding,
                "transform": [{"filter": f"datum.i == {len(rows) - 1}"}],
            },
        ],
        "width": 120,
        "height": 32,
        "padding": 2,
        "config": _look(),
    }


# ---- Turn the curve -------------------------------------------------------------------


def turn_the_curve(
    indicator: Indicator,
    series: Sequence[Figure],
    *,
    baseline: Baseline | None,
    current: Sequence[Target],
    original: Sequence[Target],
) -> Chart | None:
    """History, baseline, both plans' targets as dashed paths, and a dotted forecast."""
    history = [f for f in series if f.shown is not None]
    if not history and baseline is None:
        return None
    names = {
        "history": _("Reported"),
        "baseline": _("Baseline"),
        "original": _("Original plan target"),
        "current": _("Current plan target"),
        "forecast": _("Forecast if the trend continues"),
    }
    rows: list[dict[str, Any]] = [
        {"d": f.period.end.isoformat(), "v": float(f.value or 0), "s": names["history"]}
        for f in history
    ]
    ends = [f.period.end for f in history] + [t.period.end for t in (*current, *original)]
    if baseline is not None:
        ends.append(baseline.period.end)
        for when in (min(ends), max(ends)):
            rows.append({"d": when.isoformat(), "v": float(baseline.value), "s": names["baseline"]})
    for plan, targets in (("original", original), ("current", current)):
        if baseline is not None and targets:
            rows.append(
                {
                    "d": baseline.period.end.isoformat(),
                    "v": float(baseline.value),
                    "s": names[plan],
                }
            )
        rows.extend(
            {"d": t.period.end.isoformat(), "v": float(t.value), "s": names[plan]} for t in targets
        )
    horizon = max((t.period.end for t in (*current, *original)), default=None)
    if horizon is None and history:
        horizon = history[-1].period.end + timedelta(days=365)
    if horizon is not None:
        rows.extend(
            {"d": d.isoformat(), "v": v, "s": names["forecast"]}
            for d, v in forecast(history, horizon)
        )
    domain = [names[k] for k in ("history", "baseline", "original", "current", "forecast")]
    marked = [names[k] for k in ("history", "original", "current")]
    colour = alt.Color(
        "s:N",
        title=None,
        scale=alt.Scale(domain=domain, range=[BLUE, GREY, ORANGE, GREEN, BLUE]),
        legend=alt.Legend(
            orient="bottom", columns=2, labelLimit=260, symbolType="stroke", symbolStrokeWidth=2.5
        ),
    )
    dash = alt.StrokeDash(
        "s:N",
        title=None,
        scale=alt.Scale(domain=domain, range=[[1, 0], [2, 2], [8, 4], [8, 4], [2, 4]]),
    )
    language = _language()
    x = alt.X("d:T", title=_("Year"), axis=alt.Axis(format="%Y", tickCount="year"))
    axis: dict[str, Any] = {"format": _d3_format(indicator), "titleLimit": 280}
    if expression := _tick_labels(indicator, language):
        axis["labelExpr"] = expression
    y = alt.Y(
        "v:Q",
        title=unit_name(indicator),
        axis=alt.Axis(**axis),
        scale=alt.Scale(zero=False),
    )
    base = alt.Chart(alt.InlineData(values=rows))
    chart = alt.layer(
        base.mark_line(strokeWidth=2.5).encode(x=x, y=y, color=colour, strokeDash=dash),
        base.transform_filter(alt.FieldOneOfPredicate(field="s", oneOf=marked))
        .mark_point(filled=True, size=40)
        .encode(x=x, y=y, color=colour),
    ).properties(width=560, height=280)
    last = history[-1] if history else None
    title = sentence(
        _("%(indicator)s over time: baseline, targets and forecast") % {"indicator": indicator.name}
    )
    if last is not None:
        title += " " + _("Latest: %(value)s in %(period)s.") % {
            "value": with_unit(last.value, indicator),
            "period": last.period.label,
        }
    title += " " + sentence(polarity_cue(indicator))
    return render("curve", indicator, spec=_spec(chart), title=title)


# ---- Breakdowns -----------------------------------------------------------------------


def bars(
    kind: str, indicator: Indicator, *, items: Sequence[tuple[str, Figure]], title: str
) -> Chart | None:
    """Horizontal bars, one per label; hidden and empty cells are left to the table."""
    language = _language()
    rows = [
        {
            "k": label,
            "v": float(f.shown),
            "n": position,
            "t": with_unit(f.shown, indicator, language=language),
        }
        for position, (label, f) in enumerate(items)
        if f.shown is not None
    ]
    if not rows:
        return None
    width = _label_width([str(r["k"]) for r in rows])
    y = alt.Y(
        "k:N",
        title=None,
        sort=alt.EncodingSortField("n"),
        axis=alt.Axis(labelLimit=width, minExtent=width),
    )
    axis: dict[str, Any] = {"format": _d3_format(indicator)}
    if expression := _tick_labels(indicator, language):
        axis["labelExpr"] = expression
    x = alt.X("v:Q", title=unit_name(indicator), axis=alt.Axis(**axis))
    base = alt.Chart(alt.InlineData(values=rows))
    chart = alt.layer(
        base.mark_bar(color=BLUE).encode(x=x, y=y),
        base.mark_text(align="left", dx=4, color=INK, fontSize=TEXT).encode(x=x, y=y, text="t:N"),
    ).properties(width=420, height=alt.Step(26))
    spec = _spec(chart)
    # Room on the right for the longest value label ("1 234,5 pour 100").
    longest = _label_width([str(r["t"]) for r in rows])
    spec["padding"] = {"left": 8, "top": 5, "bottom": 5, "right": longest}
    return render(kind, indicator, spec=spec, title=title)


def tile_map(indicator: Indicator, items: Sequence[tuple[str, Figure]], title: str) -> Chart | None:
    """Canada as 13 tiles, coloured by value (five steps, darker = more), each labelled."""
    shown = [f.shown for _code, f in items if f.shown is not None]
    if not shown:
        return None
    language = _language()
    low, high = float(min(shown)), float(max(shown))
    rows = []
    for code, figure in items:
        if code not in TILES:
            continue
        column, row = TILES[code]
        value = figure.shown
        if value is None:
            fill, ink = NO_DATA, INK
            label = _("hidden") if figure.suppressed else "–"
        else:
            step = 0 if high == low else int((float(value) - low) / (high - low) * 4.999)
            fill, ink = SEQUENTIAL[step], "#ffffff" if step >= 3 else INK
            label = with_unit(value, indicator, language=language)
        rows.append({"c": column, "r": row, "code": code, "fill": fill, "ink": ink, "t": label})
    base = alt.Chart(alt.InlineData(values=rows)).encode(
        x=alt.X("c:O", axis=None), y=alt.Y("r:O", axis=None)
    )
    chart = alt.layer(
        base.mark_rect(stroke="white", strokeWidth=3).encode(color=alt.Color("fill:N", scale=None)),
        base.mark_text(baseline="bottom", dy=-2, fontWeight="bold", fontSize=13).encode(
            text="code:N", color=alt.Color("ink:N", scale=None)
        ),
        base.mark_text(baseline="top", dy=2, fontSize=TEXT).encode(
            text="t:N", color=alt.Color("ink:N", scale=None)
        ),
    ).properties(width=alt.Step(_tile_width(rows)), height=alt.Step(60))
    return render("tiles", indicator, spec=_spec(chart), title=title)


def _tile_width(rows: Sequence[dict[str, Any]]) -> int:
    """Tiles wide enough for their longest label, and never narrower than 66 px."""
    return max(66, _label_width([str(r["t"]) for r in rows]) + 6)
