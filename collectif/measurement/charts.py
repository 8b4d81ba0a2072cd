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

from collectif.core.formatting import format_number
from collectif.measurement.domain.results import Figure, forecast
from collectif.measurement.models import Baseline, Indicator, Target

CACHE_SECONDS = 24 * 3600
INK = "#1b1b1b"
BLUE = "#1d4f91"
ORANGE = "#b54708"
GREEN = "#1a7f37"
GREY = "#6b6b6b"
NO_DATA = "#e6e6e6"
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


def _language() -> str:
    return (translation.get_language() or "en")[:2]


def _locale(language: str) -> Literal["fr-CA", "en-CA"]:
    return "fr-CA" if language == "fr" else "en-CA"


def _d3_format(indicator: Indicator) -> str:
    return f",.{indicator.decimals}f"


def _label(value: Decimal | None, indicator: Indicator, language: str) -> str:
    if value is None:
        return "–"
    return format_number(value, indicator.decimals, language)


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


def _spec(chart: alt.TopLevelMixin) -> dict[str, Any]:
    spec: dict[str, Any] = chart.to_dict(validate=False)
    spec.setdefault("config", {}).update(
        {"font": "system-ui, sans-serif", "view": {"stroke": None}, "background": "white"}
    )
    return spec


# ---- Sparkline ------------------------------------------------------------------------


def sparkline(indicator: Indicator, series: Sequence[Figure]) -> Chart | None:
    points = [f for f in series if f.shown is not None]
    if len(points) < 2:
        return None
    language = _language()
    title = _("Trend of %(indicator)s: from %(first)s (%(from)s) to %(last)s (%(to)s)") % {
        "indicator": indicator.name,
        "first": _label(points[0].value, indicator, language),
        "from": points[0].period.code,
        "last": _label(points[-1].value, indicator, language),
        "to": points[-1].period.code,
    }
    rows = [{"i": n, "v": float(f.value or 0)} for n, f in enumerate(points)]
    chart = (
        alt.Chart(alt.InlineData(values=rows))
        .mark_line(color=BLUE, strokeWidth=2)
        .encode(
            x=alt.X("i:Q", axis=None),
            y=alt.Y("v:Q", axis=None, scale=alt.Scale(zero=False)),
        )
        .properties(width=120, height=32)
    )
    spec = _spec(chart)
    spec["padding"] = 2
    return render("sparkline", indicator, spec=spec, title=title)


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
    unit = indicator.get_unit_display()
    x = alt.X("d:T", title=_("Period"), axis=alt.Axis(format="%Y", tickCount="year"))
    y = alt.Y(
        "v:Q",
        title=f"{indicator.name} ({unit})",
        axis=alt.Axis(format=_d3_format(indicator), titleLimit=300),
        scale=alt.Scale(zero=False),
    )
    base = alt.Chart(alt.InlineData(values=rows))
    chart = alt.layer(
        base.mark_line(strokeWidth=2.5).encode(x=x, y=y, color=colour, strokeDash=dash),
        base.transform_filter(alt.FieldOneOfPredicate(field="s", oneOf=marked))
        .mark_point(filled=True, size=40)
        .encode(x=x, y=y, color=colour),
    ).properties(width=560, height=280)
    language = _language()
    last = history[-1] if history else None
    title = _("%(indicator)s over time: baseline, targets and forecast") % {
        "indicator": indicator.name
    }
    if last is not None:
        title += ". " + _("Latest: %(value)s in %(period)s.") % {
            "value": _label(last.value, indicator, language),
            "period": last.period.code,
        }
    return render("curve", indicator, spec=_spec(chart), title=title)


# ---- Breakdowns -----------------------------------------------------------------------


def bars(
    kind: str, indicator: Indicator, *, items: Sequence[tuple[str, Figure]], title: str
) -> Chart | None:
    """Horizontal bars, one per label; hidden and empty cells are left to the table."""
    rows = [
        {"k": label, "v": float(f.value or 0), "n": position}
        for position, (label, f) in enumerate(items)
        if f.shown is not None
    ]
    if not rows:
        return None
    language = _language()
    rows = [{**r, "t": _label(Decimal(str(r["v"])), indicator, language)} for r in rows]
    y = alt.Y("k:N", title=None, sort=alt.EncodingSortField("n"), axis=alt.Axis(labelLimit=220))
    x = alt.X(
        "v:Q", title=indicator.get_unit_display(), axis=alt.Axis(format=_d3_format(indicator))
    )
    base = alt.Chart(alt.InlineData(values=rows))
    chart = alt.layer(
        base.mark_bar(color=BLUE).encode(x=x, y=y),
        base.mark_text(align="left", dx=4, color=INK).encode(x=x, y=y, text="t:N"),
    ).properties(width=420, height=alt.Step(24))
    return render(kind, indicator, spec=_spec(chart), title=title)


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
            label = _label(value, indicator, language)
        rows.append({"c": column, "r": row, "code": code, "fill": fill, "ink": ink, "t": label})
    base = alt.Chart(alt.InlineData(values=rows)).encode(
        x=alt.X("c:O", axis=None), y=alt.Y("r:O", axis=None)
    )
    chart = alt.layer(
        base.mark_rect(stroke="white", strokeWidth=3).encode(color=alt.Color("fill:N", scale=None)),
        base.mark_text(baseline="bottom", dy=-2, fontWeight="bold", fontSize=13).encode(
            text="code:N", color=alt.Color("ink:N", scale=None)
        ),
        base.mark_text(baseline="top", dy=2, fontSize=11).encode(
            text="t:N", color=alt.Color("ink:N", scale=None)
        ),
    ).properties(width=alt.Step(66), height=alt.Step(56))
    return render("tiles", indicator, spec=_spec(chart), title=title)
