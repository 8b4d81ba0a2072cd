"""The network map: a drawing readable without JavaScript, its table, its files.

The drawing and its lists are rendered once per analysis, filters, language and
audience and kept in the cache, and the whole page is kept per viewer and state by the
results front: under load the page is a read from the process's memory.
"""

import math
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from collectif.accounts.permissions import viewer_fingerprint
from collectif.core.actors import request_actor
from collectif.core.permissions import permission_required
from collectif.core.results_version import results_page
from collectif.ecosystem.domain.network import EXACT_LIMIT
from collectif.ecosystem.domain.network_files import CONTENT_TYPES, FORMATS, export_graph, write
from collectif.ecosystem.models import NetworkAnalysis
from collectif.ecosystem.selectors import network as selectors
from collectif.ecosystem.selectors import organisations as organisation_selectors
from collectif.ecosystem.services import network as services

# Colour-blind-safe (Okabe–Ito, then darker tones); the legend names every colour.
PALETTE = (
    "#0072B2",
    "#D55E00",
    "#009E73",
    "#CC79A7",
    "#E69F00",
    "#56B4E9",
    "#5D3A9B",
    "#7A6A00",
    "#000000",
    "#8C510A",
)
METRICS = {
    "degree": gettext_lazy("Ties"),
    "betweenness": gettext_lazy("Bridging (betweenness)"),
    "closeness": gettext_lazy("Closeness"),
}
WIDTH, HEIGHT, MARGIN = 800, 600, 24
CACHE_SECONDS = 60 * 60
FRESHNESS_SECONDS = 10


def _filters(params: QueryDict) -> tuple[selectors.NetworkFilters, str]:
    """The filters from the address, each kept only when it is a known value."""
    sector = params.get("sector", "").strip()[:50]
    province = params.get("province", "").strip()[:2].upper()
    type_code = params.get("type", "").strip()[:40]
    metric = params.get("size", "degree")
    return (
        selectors.NetworkFilters(province=province, sector=sector, type=type_code),
        metric if metric in METRICS else "degree",
    )


def _state(scope: str) -> str:
    """What the page shows of the analysis (which one, the changes it has not seen, the
    job on its way), looked up at most every few seconds: the whole page is kept under it.
    Plain values, so that reading it costs no model unpickling."""
    key = f"ecosystem:network:state:{scope}"
    state = cache.get(key)
    if state is None:
        fresh = selectors.analysis_freshness(scope=scope)
        state = ":".join(
            (
                str(fresh.analysis.pk if fresh.analysis else 0),
                str(fresh.changes),
                str(fresh.pending.pk if fresh.pending else "-"),
            )
        )
        cache.set(key, state, FRESHNESS_SECONDS)
    return str(state)


def _radius(value: float, largest: float) -> float:
    return round(4 + 14 * math.sqrt(value / largest), 1) if largest > 0 else 4.0


def _short_of(start: tuple[int, int], end: tuple[int, int], gap: float) -> tuple[int, int]:
    """The point `gap` before `end` on the line from `start`."""
    (x1, y1), (x2, y2) = start, end
    length = math.hypot(x2 - x1, y2 - y1)
    if length <= gap:
        return x2, y2
    keep = (length - gap) / length
    return round(x1 + (x2 - x1) * keep), round(y1 + (y2 - y1) * keep)


def _drawing(
    request: HttpRequest,
    *,
    analysis: NetworkAnalysis,
    filters: selectors.NetworkFilters,
    metric: str,
) -> dict[str, Any]:
    rows = selectors.visible_metrics(user=request.user, analysis=analysis, filters=filters)
    drawn = selectors.drawn_metrics(rows)
    colours = {
        sector.code: PALETTE[index % len(PALETTE)]
        for index, sector in enumerate(organisation_selectors.sector_list())
    }
    xs = [row.x for row in drawn] or [0.0]
    ys = [row.y for row in drawn] or [0.0]
    low_x, low_y = min(xs), min(ys)
    span_x, span_y = (max(xs) - low_x) or 1.0, (max(ys) - low_y) or 1.0
    largest = max((float(getattr(row, metric)) for row in drawn), default=0.0)
    points: dict[int, tuple[int, int]] = {}
    nodes = []
    for row in drawn:
        x = round(MARGIN + (row.x - low_x) / span_x * (WIDTH - 2 * MARGIN))
        y = round(MARGIN + (row.y - low_y) / span_y * (HEIGHT - 2 * MARGIN))
        points[row.organisation_id] = (x, y)
        nodes.append(
            {
                "row": row,
                "x": x,
                "y": y,
                "r": _radius(float(getattr(row, metric)), largest),
                "colour": colours.get(row.organisation.sector.code, PALETTE[-1]),
            }
        )
    radii = {row.organisation_id: _radius(float(getattr(row, metric)), largest) for row in drawn}
    # One short path per tie, grouped by what they share (strength, direction).
    groups: dict[tuple[int, bool], list[str]] = {}
    for e in selectors.drawn_edges(organisation_ids=list(points), type_code=filters.type):
        (x1, y1), (x2, y2) = points[e["source_id"]], points[e["target_id"]]
        if e["type__is_directed"]:
            # Stop at the target's rim, so that the arrow shows.
            x2, y2 = _short_of((x1, y1), (x2, y2), radii[e["target_id"]] + 1)
        key = (e["strength"], e["type__is_directed"])
        groups.setdefault(key, []).append(f"M{x1} {y1}L{x2} {y2}")
    edges = [
        {"strength": strength, "directed": directed, "paths": paths}
        for (strength, directed), paths in sorted(groups.items())
    ]
    shown = {row.organisation.sector.code for row in drawn}
    alone, alone_count = selectors.isolated(rows)
    return {
        "nodes": nodes,
        "edges": edges,
        "edge_count": sum(len(paths) for paths in groups.values()),
        "total": rows.count(),
        "legend": [
            (colours[sector.code], sector.name)
            for sector in organisation_selectors.sector_list()
            if sector.code in shown
        ],
        "bridging": selectors.most_bridging(rows),
        "isolated": alone,
        "isolated_count": alone_count,
        "metric_label": METRICS[metric],
        "width": WIDTH,
        "height": HEIGHT,
    }


def _drawing_html(
    request: HttpRequest,
    *,
    analysis: NetworkAnalysis,
    filters: selectors.NetworkFilters,
    metric: str,
) -> str:
    """The drawing and its lists, from the cache when another reader asked the same."""
    scope = selectors.scope_for(request.user)
    language = get_language() or "en"
    key = ":".join(
        (
            "ecosystem:network:map",
            str(analysis.pk),
            scope,
            language,
            filters.province,
            filters.sector,
            filters.type,
            metric,
        )
    )
    html = cache.get(key)
    if html is None:
        context = _drawing(request, analysis=analysis, filters=filters, metric=metric) | {
            "analysis": analysis,
            "draw_limit": selectors.DRAW_LIMIT,
            "edge_limit": selectors.EDGE_LIMIT,
            **_choices(),
            "filters": filters,
            "metric": metric,
            "metrics": list(METRICS.items()),
            "filtered": bool(filters.province or filters.sector or filters.type),
            "clear_url": reverse("ecosystem:network_map"),
        }
        html = render_to_string("ecosystem/_network_drawing.html", context)
        cache.set(key, html, CACHE_SECONDS)
    return str(html)


def _choices() -> dict[str, Any]:
    return {
        "sectors": organisation_selectors.sector_list(),
        "provinces": organisation_selectors.province_choices(),
        "types": selectors.relationship_type_choices(),
    }


def _page_context(request: HttpRequest, fresh: selectors.Freshness) -> dict[str, Any]:
    filters, metric = _filters(request.GET)
    return {
        "filters": filters,
        "metric": metric,
        "metrics": list(METRICS.items()),
        "analysis": fresh.analysis,
        "changes": fresh.changes,
        "pending": fresh.pending,
        "estimated": fresh.analysis is not None and fresh.analysis.node_count > EXACT_LIMIT,
        "can_refresh": request.user.has_perm("ecosystem.compute_network"),
        **_choices(),
        "filtered": bool(filters.province or filters.sector or filters.type),
        "clear_url": request.path,
    }


def network_map(request: HttpRequest) -> HttpResponse:
    """The whole page from the cache when this viewer saw it in the same state.

    The state is the analysis shown, the changes it has not seen and the job on its
    way; the results front (`core.results_version`) keeps the page per viewer, language
    and address, and serves it from the process's memory.
    """
    scope = selectors.scope_for(request.user)
    state = f"network_map:{_state(scope)}"

    def page() -> HttpResponse:
        context = _page_context(request, selectors.analysis_freshness(scope=scope))
        analysis = context["analysis"]
        if analysis is not None:
            context["drawing"] = _drawing_html(
                request, analysis=analysis, filters=context["filters"], metric=context["metric"]
            )
        return render(request, "ecosystem/network_map.html", context)

    return results_page(request, state, viewer=viewer_fingerprint(request.user), render_page=page)


COLUMNS = (
    ("name", gettext_lazy("Organisation")),
    ("degree", gettext_lazy("Ties")),
    ("betweenness", gettext_lazy("Bridging")),
    ("closeness", gettext_lazy("Closeness")),
    ("community", gettext_lazy("Community")),
)


def _columns(sort: str) -> list[dict[str, Any]]:
    """Sortable headers: metrics largest first, names A to Z; a second click reverses."""
    columns = []
    for key, label in COLUMNS:
        active = sort.lstrip("-") == key
        reverse = sort.startswith("-")
        ascending = (key == "name") != reverse
        columns.append(
            {
                "label": label,
                "next": f"-{key}" if active and not reverse else key,
                "aria_sort": ("ascending" if ascending else "descending") if active else "",
                "numeric": key != "name",
            }
        )
    return columns


def network_table(request: HttpRequest) -> HttpResponse:
    fresh = selectors.analysis_freshness(scope=selectors.scope_for(request.user))
    context = _page_context(request, fresh)
    sort = request.GET.get("sort", "degree")
    if sort.lstrip("-") not in selectors.METRIC_SORTS:
        sort = "degree"
    analysis = context["analysis"]
    rows = selectors.sorted_metrics(
        selectors.visible_metrics(user=request.user, analysis=analysis, filters=context["filters"]),
        sort=sort,
    )
    page = Paginator(rows, settings.COLLECTIF["PAGE_SIZE"]).get_page(request.GET.get("page"))
    context |= {"page": page, "sort": sort, "columns": _columns(sort)}
    return render(request, "ecosystem/network_table.html", context)


@require_POST
@login_required
@permission_required("ecosystem.compute_network")
def network_refresh(request: HttpRequest) -> HttpResponse:
    job = services.network_analysis_request(
        actor=request_actor(request), language=get_language() or "en"
    )
    for scope in (selectors.SCOPE_ALL, selectors.SCOPE_PUBLIC):
        cache.delete(f"ecosystem:network:state:{scope}")
    if job is None:
        messages.info(request, _("The network is already being computed again."))
        pending = selectors.analysis_job_pending()
        if pending is None:
            return redirect("ecosystem:network_map")
        return redirect("core:job_detail", job_id=pending.pk)
    messages.success(request, _("The network will be computed again in a moment."))
    return redirect("core:job_detail", job_id=job.pk)


def network_export(request: HttpRequest) -> HttpResponse:
    """The network the reader sees, as a file for Gephi or NetworkX."""
    file_format = request.GET.get("format", "graphml")
    if file_format not in FORMATS:
        raise Http404
    filters, _metric = _filters(request.GET)
    nodes, edges = selectors.export_rows(user=request.user, filters=filters)
    content = write(export_graph(nodes, edges), file_format=file_format)
    response = HttpResponse(content, content_type=CONTENT_TYPES[file_format])
    filename = f"network-{timezone.localdate().isoformat()}.{file_format}"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
