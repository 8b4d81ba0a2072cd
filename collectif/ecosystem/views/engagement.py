"""The pipeline's pages (staff only): the board, one stage's list, recording a step.

Thin: they read the filters, call a selector or a service, and render. The board shows
every stage's first cards; a stage's own page lists them all, a page at a time.
"""

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from collectif.accounts.models import User
from collectif.core.actors import request_actor
from collectif.core.forms import FormPage, posted
from collectif.core.permissions import permission_required
from collectif.ecosystem.domain.engagement import STAGES, START, as_stage, next_stage
from collectif.ecosystem.forms.engagement import EngagementForm
from collectif.ecosystem.models import EngagementEvent, Organisation, Stage
from collectif.ecosystem.selectors import engagement as selectors
from collectif.ecosystem.selectors import organisations as organisation_selectors
from collectif.ecosystem.services import engagement as services


def board_filters(params: QueryDict) -> selectors.BoardFilters:
    """The board's filters from a query string; anything unreadable is ignored."""
    owner = params.get("owner", "")
    return selectors.BoardFilters(
        q=params.get("q", "").strip()[:200],
        sector=params.get("sector", "").strip()[:50],
        province=params.get("province", "").strip()[:2],
        owner=int(owner) if owner.isdigit() and len(owner) < 10 else None,
        overdue=params.get("overdue") == "1",
    )


def _filter_context(filters: selectors.BoardFilters) -> dict[str, Any]:
    return {
        "filters": filters,
        "sectors": organisation_selectors.sector_list(),
        "provinces": organisation_selectors.province_choices(),
        "owners": list(selectors.staff_people()),
    }


def _sections(board: dict[str, list[Organisation]], counts: dict[str, int]) -> list[dict[str, Any]]:
    return [
        {
            "stage": stage,
            "count": counts[stage.value],
            "cards": board[stage.value],
            "more": counts[stage.value] > len(board[stage.value]),
            "next": next_stage(stage),
        }
        for stage in STAGES
    ]


@login_required
@permission_required("ecosystem.view_pipeline")
def pipeline_board(request: HttpRequest) -> HttpResponse:
    filters = board_filters(request.GET)
    counts = selectors.pipeline_stage_counts(filters=filters)
    board = selectors.pipeline_board(filters=filters)
    return render(
        request,
        "ecosystem/pipeline_board.html",
        {
            **_filter_context(filters),
            "sections": _sections(board, counts),
            "total": sum(counts.values()),
            "my_steps": selectors.my_next_steps(user=request.user),
        },
    )


@login_required
@permission_required("ecosystem.view_pipeline")
def pipeline_stage(request: HttpRequest, stage: str) -> HttpResponse:
    chosen = as_stage(stage)
    if chosen is None:
        raise Http404
    filters = board_filters(request.GET)
    organisations = selectors.pipeline_stage_list(stage=chosen.value, filters=filters)
    page = Paginator(organisations, settings.COLLECTIF["PAGE_SIZE"]).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "ecosystem/pipeline_stage.html",
        {
            **_filter_context(filters),
            "stage": chosen,
            "next": next_stage(chosen),
            "page": page,
        },
    )


def _current_stage(organisation: Organisation) -> str:
    engagement = selectors.engagement_get(organisation=organisation)
    return engagement.stage if engagement is not None else START.value


@login_required
@permission_required("ecosystem.manage_pipeline")
def engagement_record(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = organisation_selectors.organisation_get(user=request.user, slug=slug)
    actor = request_actor(request)
    current = _current_stage(organisation)

    def save(form: EngagementForm) -> EngagementEvent:
        data = form.cleaned_data
        return services.engagement_record(actor=actor, organisation=organisation, **data)

    page: FormPage[EngagementForm, EngagementEvent] = FormPage(
        template="ecosystem/engagement_record.html",
        save=save,
        done=lambda event: _("The step with %(name)s was recorded.") % {"name": organisation},
        next_url=lambda event: organisation.get_absolute_url() + "#pipeline",
        context={"organisation": organisation, "current_stage": Stage(current)},
    )
    return page.handle(request, EngagementForm(posted(request), current_stage=current))


def _back(request: HttpRequest) -> str:
    """Where a move returns: the page it came from (the board with its filters)."""
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse("ecosystem:pipeline_board")


@require_POST
@login_required
@permission_required("ecosystem.manage_pipeline")
def engagement_move(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = organisation_selectors.organisation_get(user=request.user, slug=slug)
    to_stage = request.POST.get("to_stage", "")
    try:
        services.engagement_move(
            actor=request_actor(request), organisation=organisation, to_stage=to_stage
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("%(name)s moved to “%(stage)s”.")
            % {"name": organisation, "stage": Stage(to_stage).label},
        )
    return redirect(_back(request))


@require_POST
@login_required
@permission_required("ecosystem.manage_pipeline")
def engagement_assign(request: HttpRequest, slug: str) -> HttpResponse:
    """Name who looks after the relationship, from the organisation page's pipeline panel."""
    organisation = organisation_selectors.organisation_get(user=request.user, slug=slug)
    chosen = request.POST.get("owner", "")
    owner = (
        selectors.staff_person_get(pk=int(chosen))
        if chosen.isdigit() and len(chosen) < 10
        else None
    )
    if chosen and owner is None:
        messages.error(request, _("Choose a member of the backbone staff."))
        return redirect(organisation.get_absolute_url() + "#pipeline")
    services.engagement_assign(actor=request_actor(request), organisation=organisation, owner=owner)
    if owner is None:
        messages.success(request, _("Nobody looks after %(name)s now.") % {"name": organisation})
    else:
        messages.success(
            request,
            _("%(person)s now looks after %(name)s.") % {"person": owner, "name": organisation},
        )
    return redirect(organisation.get_absolute_url() + "#pipeline")


def pipeline_context(request: HttpRequest, organisation: Organisation) -> dict[str, Any]:
    """The organisation page's pipeline section, for staff only (two queries)."""
    user = request.user
    if not isinstance(user, User) or not user.has_perm("ecosystem.view_pipeline"):
        return {}
    panel = selectors.pipeline_panel(organisation=organisation)
    engagement = panel["engagement"]
    stage = Stage(engagement.stage) if engagement is not None else START
    return {
        "pipeline": {
            **panel,
            "stage": stage,
            "next": next_stage(stage),
            "can_manage": user.has_perm("ecosystem.manage_pipeline")
            and not organisation.is_archived,
            "staff": list(selectors.staff_people()),
        }
    }
