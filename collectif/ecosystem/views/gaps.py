"""The gap matrix pages: the matrix, a cell's organisations, its CSV, the equity summary,
and the targets the matrix measures against. Backbone staff only."""

import contextlib
import csv
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from collectif.core.actors import request_actor
from collectif.core.formatting import csv_delimiter, format_number
from collectif.core.forms import FormPage, posted
from collectif.core.permissions import permission_required
from collectif.core.spreadsheets import neutralise
from collectif.ecosystem.domain.gaps import CellStatus, Target
from collectif.ecosystem.forms.gaps import GapTargetForm
from collectif.ecosystem.models import Engagement, GapAxis, GapTarget, Organisation, Stage
from collectif.ecosystem.selectors import gaps as selectors
from collectif.ecosystem.selectors.gaps import Cell, GapFilters, GapMatrix
from collectif.ecosystem.services import gaps as services

STATUS_LABELS = {
    CellStatus.EMPTY: gettext_lazy("Empty"),
    CellStatus.WEAK: gettext_lazy("Weak"),
    CellStatus.MET: gettext_lazy("Met"),
}
BOM = "\ufeff"


def target_sentence(target: Target) -> str:
    """ "at least 2 organisations at Engaged or beyond", in the reader's language."""
    return ngettext(
        "at least %(count)s organisation at “%(stage)s” or beyond",
        "at least %(count)s organisations at “%(stage)s” or beyond",
        target.count,
    ) % {"count": format_number(target.count), "stage": Stage(target.stage).label}


def _filters(params: QueryDict) -> tuple[str, GapFilters]:
    """The axis and filters asked for; anything unknown is dropped, never an error."""
    axis = params.get("axis", "")
    axis = axis if axis in selectors.AXES else GapAxis.PROVINCE.value
    equity = params.get("equity", "")[:40]
    if equity and not selectors.equity_choices().filter(code=equity).exists():
        equity = ""
    stage = params.get("stage", "")
    stage = stage if stage in Stage.values else ""
    return axis, GapFilters(equity=equity, stage=stage)


def _query(axis: str, filters: GapFilters) -> str:
    params = {"axis": axis, "equity": filters.equity, "stage": filters.stage}
    return urlencode({k: v for k, v in params.items() if v})


def _cell_url(axis: str, cell: Cell, filters: GapFilters) -> str:
    url = reverse("ecosystem:gap_cell", args=[axis, cell.sector.code, cell.column.key])
    query = urlencode(
        {k: v for k, v in (("equity", filters.equity), ("stage", filters.stage)) if v}
    )
    return f"{url}?{query}" if query else url


def _cell_view(axis: str, cell: Cell, filters: GapFilters) -> dict[str, Any]:
    return {
        "cell": cell,
        "url": _cell_url(axis, cell, filters),
        "status": cell.status.value,
        "status_label": STATUS_LABELS[cell.status],
        "target": target_sentence(cell.target),
    }


def _legend(matrix: GapMatrix) -> list[dict[str, str]]:
    every_column = (
        _("every province and territory")
        if matrix.axis == GapAxis.PROVINCE
        else _("every population group")
    )
    return [
        {
            "where": _("%(sector)s, %(column)s")
            % {
                "sector": entry.sector or _("Every sector"),
                "column": entry.column or every_column,
            },
            "target": target_sentence(entry.target),
        }
        for entry in matrix.legend
    ]


def _axis_tabs(axis: str, filters: GapFilters) -> list[dict[str, Any]]:
    return [
        {
            "label": choice.label,
            "url": "?" + _query(choice.value, filters),
            "current": choice.value == axis,
        }
        for choice in GapAxis
    ]


@login_required
@permission_required("ecosystem.view_gaps")
def gap_matrix(request: HttpRequest) -> HttpResponse:
    axis, filters = _filters(request.GET)
    matrix = selectors.gap_matrix(axis=axis, filters=filters)
    rows = [
        {"sector": row.sector, "cells": [_cell_view(axis, c, filters) for c in row.cells]}
        for row in matrix.rows
    ]
    return render(
        request,
        "ecosystem/gap_matrix.html",
        {
            "matrix": matrix,
            "rows": rows,
            "axis": axis,
            "is_province": axis == GapAxis.PROVINCE,
            "tabs": _axis_tabs(axis, filters),
            "filters": filters,
            "filtered": bool(filters.equity or filters.stage),
            "equities": selectors.equity_choices(),
            "stages": Stage.choices,
            "legend": _legend(matrix),
            "default_target": target_sentence(Target()),
            "status_counts": matrix.status_counts(),
            "export_url": reverse("ecosystem:gap_export") + "?" + _query(axis, filters),
            "can_manage": request.user.has_perm("ecosystem.manage_gap_targets"),
        },
    )


def _organisation_row(organisation: Organisation) -> dict[str, Any]:
    """What the drill-down shows of one organisation; no pipeline row means identified."""
    engagement: Engagement | None = None
    with contextlib.suppress(Engagement.DoesNotExist):
        engagement = organisation.engagement
    return {
        "organisation": organisation,
        "stage": Stage(organisation.stage_now).label,  # type: ignore[attr-defined]
        "next_step": engagement.next_step if engagement else "",
        "next_step_due": engagement.next_step_due if engagement else None,
    }


@login_required
@permission_required("ecosystem.view_gaps")
def gap_cell(
    request: HttpRequest, *, gap_axis: str, gap_sector: str, gap_column: str
) -> HttpResponse:
    _axis, filters = _filters(request.GET)
    cell = selectors.gap_cell(
        axis=gap_axis, sector_code=gap_sector, column_key=gap_column, filters=filters
    )
    organisations = selectors.gap_cell_organisations(cell=cell, axis=gap_axis, filters=filters)
    page = Paginator(organisations, settings.COLLECTIF["PAGE_SIZE"]).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "ecosystem/gap_cell.html",
        {
            "cell": cell,
            "view": _cell_view(gap_axis, cell, filters),
            "page": page,
            "items": [_organisation_row(o) for o in page.object_list],
            "filters": filters,
            "unfiltered_url": _cell_url(gap_axis, cell, GapFilters()),
            "stage_counts": [(label, cell.counts[value]) for value, label in Stage.choices],
            "matrix_url": reverse("ecosystem:gap_matrix") + "?" + _query(gap_axis, filters),
        },
    )


def _csv_header(axis: str) -> list[str]:
    column = _("Province or territory") if axis == GapAxis.PROVINCE else _("Population group")
    return [
        _("Sector"),
        column,
        *[str(label) for _value, label in Stage.choices],
        _("Total"),
        _("Target"),
        _("At or beyond the target stage"),
        _("Status"),
    ]


def _csv_row(cell: Cell) -> list[Any]:
    return [
        neutralise(cell.sector.name),
        neutralise(cell.column.name),
        *[cell.counts[value] for value in Stage.values],
        cell.total,
        neutralise(target_sentence(cell.target)),
        cell.reached,
        neutralise(str(STATUS_LABELS[cell.status])),
    ]


@login_required
@permission_required("ecosystem.view_gaps")
def gap_export(request: HttpRequest) -> HttpResponse:
    """The matrix on the screen as a CSV: one row per sector and column. Writes nothing."""
    axis, filters = _filters(request.GET)
    matrix = selectors.gap_matrix(axis=axis, filters=filters)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    name = "gap-matrix-provinces" if axis == GapAxis.PROVINCE else "gap-matrix-populations"
    response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
    response.write(BOM)
    writer = csv.writer(response, delimiter=csv_delimiter())
    writer.writerow(_csv_header(axis))
    writer.writerows(_csv_row(cell) for row in matrix.rows for cell in row.cells)
    return response


@login_required
@permission_required("ecosystem.view_gaps")
def equity_summary(request: HttpRequest) -> HttpResponse:
    summary = selectors.equity_summary()
    # Committed partners have their own column, before the other stages.
    others = [(value, label) for value, label in Stage.choices if value != Stage.COMMITTED]
    return render(
        request,
        "ecosystem/equity_summary.html",
        {
            "summary": summary,
            "stages": others,
            "rows": [
                {"row": row, "counts": [row.counts[value] for value, _label in others]}
                for row in summary.rows
            ],
            "whole_counts": [summary.whole.counts[value] for value, _label in others],
        },
    )


# --- The targets ---------------------------------------------------------------------------


def _target_view(target: GapTarget) -> dict[str, Any]:
    if target.axis == GapAxis.PROVINCE:
        column = target.province.name if target.province else _("every province and territory")
    else:
        column = (
            target.population_group.name if target.population_group else _("every population group")
        )
    return {
        "target": target,
        "sector": target.sector.name if target.sector else _("Every sector"),
        "column": column,
        "sentence": target_sentence(Target(stage=target.minimum_stage, count=target.minimum_count)),
    }


@login_required
@permission_required("ecosystem.view_gaps")
def gap_targets(request: HttpRequest) -> HttpResponse:
    targets = [_target_view(t) for t in selectors.gap_target_list()]
    return render(
        request,
        "ecosystem/gap_targets.html",
        {
            "by_axis": [
                (choice.label, [t for t in targets if t["target"].axis == choice.value])
                for choice in GapAxis
            ],
            "default_target": target_sentence(Target()),
            "can_manage": request.user.has_perm("ecosystem.manage_gap_targets"),
        },
    )


@login_required
@permission_required("ecosystem.manage_gap_targets")
def gap_target_create(request: HttpRequest) -> HttpResponse:
    actor = request_actor(request)
    page: FormPage[GapTargetForm, GapTarget] = FormPage(
        template="ecosystem/gap_target_form.html",
        save=lambda form: services.gap_target_create(actor=actor, data=form.target_data()),
        done=lambda _target: _("The target was added. The matrix now measures against it."),
        next_url="ecosystem:gap_targets",
    )
    return page.handle(request, GapTargetForm(posted(request)))


@login_required
@permission_required("ecosystem.manage_gap_targets")
def gap_target_edit(request: HttpRequest, gap_target_id: int) -> HttpResponse:
    actor = request_actor(request)
    target = selectors.gap_target_get(pk=gap_target_id)

    def save(form: GapTargetForm) -> GapTarget:
        editing = selectors.gap_target_get(pk=gap_target_id)
        return services.gap_target_update(actor=actor, target=editing, data=form.target_data())

    page: FormPage[GapTargetForm, GapTarget] = FormPage(
        template="ecosystem/gap_target_form.html",
        save=save,
        done=lambda _target: _("Your changes to the target were saved."),
        next_url="ecosystem:gap_targets",
        context={"editing": _target_view(target)},
    )
    return page.handle(request, GapTargetForm(posted(request), target=target))


@login_required
@permission_required("ecosystem.manage_gap_targets")
def gap_target_delete(request: HttpRequest, gap_target_id: int) -> HttpResponse:
    target = selectors.gap_target_get(pk=gap_target_id)
    if request.method == "POST":
        services.gap_target_delete(actor=request_actor(request), target=target)
        messages.success(request, _("The target was deleted."))
        return redirect("ecosystem:gap_targets")
    return render(request, "ecosystem/gap_target_delete.html", {"view": _target_view(target)})
