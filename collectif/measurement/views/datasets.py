"""The dataset setup pages: the list, adding or changing a dataset, and who reports it."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from collectif.core.actors import request_actor
from collectif.core.forms import FormPage, posted
from collectif.core.permissions import permission_required
from collectif.measurement.forms.datasets import (
    AssignmentForm,
    DatasetForm,
    OrganisationSearchForm,
    SectorAssignForm,
)
from collectif.measurement.models import Dataset
from collectif.measurement.permissions import MANAGE
from collectif.measurement.selectors import datasets as selectors
from collectif.measurement.selectors.indicators import reportable_indicators
from collectif.measurement.services import datasets as services

PAGE_SIZE = 50
TEMPLATE = "measurement/setup_dataset_form.html"


def _dataset_form(request: HttpRequest, dataset: Dataset | None = None) -> DatasetForm:
    return DatasetForm(
        posted(request),
        instance=dataset,
        indicators=list(reportable_indicators()),
        items=selectors.dataset_items(dataset=dataset),
    )


@login_required
@permission_required(MANAGE)
def dataset_list(request: HttpRequest) -> HttpResponse:
    return render(
        request, "measurement/setup_datasets.html", {"datasets": selectors.datasets_for_setup()}
    )


@login_required
@permission_required(MANAGE)
def dataset_create(request: HttpRequest) -> HttpResponse:
    actor = request_actor(request)
    page: FormPage[DatasetForm, Dataset] = FormPage(
        template=TEMPLATE,
        save=lambda form: services.dataset_create(
            actor=actor,
            code=form.cleaned_data["code"],
            data=form.dataset_data(),
            items=form.items(),
        ),
        done=lambda dataset: (
            _("The dataset %(name)s was added. Now choose the organisations that report it.")
            % {"name": dataset.name}
        ),
        next_url=lambda dataset: reverse(
            "measurement:setup_dataset_organisations", kwargs={"code": dataset.code}
        ),
        context={"dataset": None},
    )
    return page.handle(request, _dataset_form(request))


@login_required
@permission_required(MANAGE)
def dataset_edit(request: HttpRequest, code: str) -> HttpResponse:
    actor = request_actor(request)
    page: FormPage[DatasetForm, Dataset] = FormPage(
        template=TEMPLATE,
        save=lambda form: services.dataset_update(
            actor=actor, dataset=form.instance, data=form.dataset_data(), items=form.items()
        ),
        done=lambda dataset: _("The dataset %(name)s was saved.") % {"name": dataset.name},
        next_url="measurement:setup_datasets",
        # The form changes its instance while it validates; the page names the stored one.
        context={"dataset": selectors.dataset_for_setup(code=code)},
    )
    return page.handle(request, _dataset_form(request, selectors.dataset_for_setup(code=code)))


def _assign_sector(request: HttpRequest, dataset: Dataset, form: SectorAssignForm) -> bool:
    """Every organisation of the chosen sector reports the dataset; False if none chosen."""
    if not form.is_valid():
        return False
    chosen = form.cleaned_data["sector"]
    added, _removed = services.dataset_assignment_change(
        actor=request_actor(request),
        dataset=dataset,
        assign=selectors.organisations_for_assignment(sector=chosen),
        unassign=[],
    )
    messages.success(
        request,
        _("%(count)s organisations of the sector %(sector)s were added.")
        % {"count": added, "sector": chosen.name},
    )
    return True


def _assign_ticked(request: HttpRequest, dataset: Dataset) -> bool:
    """The ticked organisations report the dataset, those shown but unticked stop."""
    form = AssignmentForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Some organisations could not be found. Try again."))
        return False
    ticked = set(form.cleaned_data["organisations"])
    added, removed = services.dataset_assignment_change(
        actor=request_actor(request),
        dataset=dataset,
        assign=ticked,
        unassign=set(form.cleaned_data["shown"]) - ticked,
    )
    messages.success(
        request,
        _("Saved: %(added)s organisations added, %(removed)s removed.")
        % {"added": added, "removed": removed},
    )
    return True


@login_required
@permission_required(MANAGE)
def dataset_organisations(request: HttpRequest, code: str) -> HttpResponse:
    """Choose who reports a dataset: tick organisations found by a search, or every
    organisation of a sector at once."""
    dataset = selectors.dataset_for_setup(code=code)
    search = OrganisationSearchForm(request.GET, auto_id="search_%s")
    query, sector = "", None
    if search.is_valid():
        query, sector = search.cleaned_data["q"], search.cleaned_data["sector"]
    sector_form = SectorAssignForm(request.POST if "sector" in request.POST else None)
    if request.method == "POST":
        if sector_form.is_bound:
            saved = _assign_sector(request, dataset, sector_form)
        else:
            saved = _assign_ticked(request, dataset)
        if saved:
            return redirect(request.get_full_path())
    page = Paginator(
        selectors.organisations_for_assignment(query=query, sector=sector), PAGE_SIZE
    ).get_page(request.GET.get("page"))
    assigned = selectors.dataset_assigned_ids(dataset=dataset)
    return render(
        request,
        "measurement/setup_dataset_organisations.html",
        {
            "dataset": dataset,
            "search": search,
            "sector_form": sector_form,
            "form": sector_form,
            "page": page,
            "assigned": assigned,
            "assigned_count": len(assigned),
            "filtered": bool(query or sector),
        },
        status=422 if sector_form.is_bound and sector_form.errors else 200,
    )
