"""Relationship pages: the public list of ties, staff's forms, types and the file import."""

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from collectif.core.actors import request_actor
from collectif.core.files import FileProblem
from collectif.core.formatting import format_number
from collectif.core.forms import FormPage, posted, render_form_page
from collectif.core.permissions import permission_required
from collectif.ecosystem.files import pending
from collectif.ecosystem.files.relationships import RelationshipPlan, read_relationships
from collectif.ecosystem.forms.relationships import (
    RelationshipForm,
    RelationshipImportForm,
    RelationshipTypeForm,
)
from collectif.ecosystem.models import Organisation, Relationship, RelationshipType
from collectif.ecosystem.selectors import organisations as organisation_selectors
from collectif.ecosystem.selectors import relationships as selectors
from collectif.ecosystem.services import relationships as services

FILTER_KEYS = ("organisation", "type", "province", "sector")
IMPORT_PURPOSE = "relationships"
COLUMNS = [
    ("from", pgettext_lazy("relationship", "From")),
    ("type", gettext_lazy("Relationship")),
    ("to", pgettext_lazy("relationship", "To")),
    ("since", gettext_lazy("Since")),
]
# How many problem rows the preview lists; the counts say how many there are in all.
PROBLEMS_SHOWN = 200


def relationship_panel(request: HttpRequest, organisation: Organisation) -> dict[str, Any]:
    """The organisation page's ties in and out (one query), for its relationships panel."""
    return {
        "ties": selectors.organisation_ties(user=request.user, organisation=organisation),
        "can_manage_relationships": request.user.has_perm("ecosystem.manage_relationships")
        and not organisation.is_archived,
    }


def _filtered_organisation(request: HttpRequest, slug: str) -> Organisation | None:
    """The organisation whose ties are listed, if the reader may see it (for the heading)."""
    if not slug:
        return None
    try:
        return organisation_selectors.organisation_get(user=request.user, slug=slug)
    except Http404:
        return None


def _columns(sort: str) -> list[dict[str, Any]]:
    """Column headers that sort by link: a second click reverses the order."""
    columns = []
    for key, label in COLUMNS:
        state = "ascending" if sort == key else "descending" if sort == f"-{key}" else ""
        columns.append(
            {"label": label, "next": f"-{key}" if sort == key else key, "aria_sort": state}
        )
    return columns


def relationship_list(request: HttpRequest) -> HttpResponse:
    filters = {key: request.GET.get(key, "").strip()[:80] for key in FILTER_KEYS}
    sort = request.GET.get("sort", "from")
    sort = sort if sort in selectors.SORTS else "from"
    relationships = selectors.relationship_list(user=request.user, **filters, sort=sort)
    page = Paginator(relationships, settings.COLLECTIF["PAGE_SIZE"]).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "ecosystem/relationship_list.html",
        {
            "page": page,
            "filters": filters,
            "filtered": any(filters.values()),
            "sort": sort,
            "columns": _columns(sort),
            "organisation": _filtered_organisation(request, filters["organisation"]),
            "types": selectors.relationship_type_list(include_inactive=True),
            "sectors": organisation_selectors.sector_list(),
            "provinces": organisation_selectors.province_choices(),
            "can_manage": request.user.has_perm("ecosystem.manage_relationships"),
        },
    )


def _after_save(relationship: Relationship) -> str:
    return relationship.source.get_absolute_url()


@login_required
@permission_required("ecosystem.manage_relationships")
def relationship_create(request: HttpRequest) -> HttpResponse:
    actor = request_actor(request)
    source = None
    if slug := request.GET.get("from", "").strip()[:80]:
        source = selectors.organisation_for_slug(slug=slug)
    page: FormPage[RelationshipForm, Relationship] = FormPage(
        template="ecosystem/relationship_form.html",
        save=lambda form: services.relationship_create(actor=actor, data=form.relationship_data()),
        done=lambda saved: _("The relationship was recorded: %(tie)s.") % {"tie": saved},
        next_url=_after_save,
        context={"source": source},
        fallback_field="target",
    )
    return page.handle(request, RelationshipForm(posted(request), source=source))


def _relationship(request: HttpRequest, relationship_id: int) -> Relationship:
    return selectors.relationship_get(user=request.user, pk=relationship_id)


@login_required
@permission_required("ecosystem.manage_relationships")
def relationship_edit(request: HttpRequest, relationship_id: int) -> HttpResponse:
    actor = request_actor(request)
    relationship = _relationship(request, relationship_id)

    def save(form: RelationshipForm) -> Relationship:
        editing = _relationship(request, relationship_id)
        return services.relationship_update(
            actor=actor, relationship=editing, data=form.relationship_data()
        )

    page: FormPage[RelationshipForm, Relationship] = FormPage(
        template="ecosystem/relationship_form.html",
        save=save,
        done=lambda saved: _("Your changes to the relationship were saved."),
        next_url=_after_save,
        context={"relationship": relationship},
        fallback_field="target",
    )
    return page.handle(request, RelationshipForm(posted(request), relationship=relationship))


@login_required
@permission_required("ecosystem.manage_relationships")
def relationship_delete(request: HttpRequest, relationship_id: int) -> HttpResponse:
    relationship = _relationship(request, relationship_id)
    if request.method == "POST":
        back = relationship.source.get_absolute_url()
        services.relationship_delete(actor=request_actor(request), relationship=relationship)
        messages.success(request, _("The relationship was deleted."))
        return redirect(back)
    return render(request, "ecosystem/relationship_confirm.html", {"relationship": relationship})


# --- Types ---------------------------------------------------------------------------


@login_required
@permission_required("ecosystem.manage_relationship_types")
def relationship_types(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "ecosystem/relationship_types.html",
        {"types": selectors.relationship_type_list(include_inactive=True)},
    )


@login_required
@permission_required("ecosystem.manage_relationship_types")
def relationship_type_create(request: HttpRequest) -> HttpResponse:
    actor = request_actor(request)
    page: FormPage[RelationshipTypeForm, RelationshipType] = FormPage(
        template="ecosystem/relationship_type_form.html",
        save=lambda form: services.relationship_type_create(actor=actor, data=form.type_data()),
        done=lambda saved: _("The type “%(name)s” was added.") % {"name": saved},
        next_url="ecosystem:relationship_types",
    )
    return page.handle(request, RelationshipTypeForm(posted(request)))


def _type(code: str) -> RelationshipType:
    relationship_type = selectors.relationship_type_get(code=code)
    if relationship_type is None:
        raise Http404
    return relationship_type


@login_required
@permission_required("ecosystem.manage_relationship_types")
def relationship_type_edit(request: HttpRequest, type_code: str) -> HttpResponse:
    actor = request_actor(request)
    relationship_type = _type(type_code)
    page: FormPage[RelationshipTypeForm, RelationshipType] = FormPage(
        template="ecosystem/relationship_type_form.html",
        save=lambda form: services.relationship_type_update(
            actor=actor, relationship_type=_type(type_code), data=form.type_data()
        ),
        done=lambda saved: _("Your changes to “%(name)s” were saved.") % {"name": saved},
        next_url="ecosystem:relationship_types",
        context={
            "relationship_type": relationship_type,
            "in_use": selectors.relationship_type_in_use(relationship_type=relationship_type),
        },
    )
    form = RelationshipTypeForm(posted(request), relationship_type=relationship_type)
    return page.handle(request, form)


@login_required
@permission_required("ecosystem.manage_relationship_types")
def relationship_type_delete(request: HttpRequest, type_code: str) -> HttpResponse:
    relationship_type = _type(type_code)
    in_use = selectors.relationship_type_in_use(relationship_type=relationship_type)
    if request.method == "POST" and not in_use:
        name = str(relationship_type)
        try:
            services.relationship_type_delete(
                actor=request_actor(request), relationship_type=relationship_type
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The type “%(name)s” was deleted.") % {"name": name})
        return redirect("ecosystem:relationship_types")
    return render(
        request,
        "ecosystem/relationship_type_confirm.html",
        {"relationship_type": relationship_type, "in_use": in_use},
        status=409 if request.method == "POST" else 200,
    )


# --- Import --------------------------------------------------------------------------


def _preview(
    request: HttpRequest, plan: RelationshipPlan, *, token: str, form: RelationshipImportForm
) -> HttpResponse:
    return render(
        request,
        "ecosystem/relationship_import.html",
        {
            "form": form,
            "plan": plan,
            "counts": plan.counts(),
            "problems": plan.problems[:PROBLEMS_SHOWN],
            "more_problems": max(0, len(plan.problems) - PROBLEMS_SHOWN),
            "token": token,
        },
        status=422 if not plan.is_clean else 200,
    )


def _confirm(request: HttpRequest, token: str) -> HttpResponse:
    upload = pending.find(request.session, token, purpose=IMPORT_PURPOSE)
    if upload is None:
        messages.error(request, _("That file is no longer waiting: upload it again."))
        return redirect("ecosystem:relationship_import")
    try:
        with pending.open_kept(upload) as data:
            plan = read_relationships(data, filename=upload.filename)
    except FileProblem as problem:
        pending.discard(request.session, token)
        messages.error(request, str(problem))
        return redirect("ecosystem:relationship_import")
    if not plan.is_clean:
        # The organisations changed since the preview: show the new report.
        return _preview(request, plan, token=token, form=RelationshipImportForm())
    counts = services.relationship_import(
        actor=request_actor(request),
        creates=plan.creates,
        updates=plan.updates,
        filename=upload.filename,
    )
    pending.discard(request.session, token)
    messages.success(
        request,
        _("The file was imported: %(created)s relationships created, %(updated)s updated.")
        % {key: format_number(value) for key, value in counts.items()},
    )
    return redirect(reverse("ecosystem:relationship_list"))


@login_required
@permission_required("ecosystem.manage_relationships")
def relationship_import(request: HttpRequest) -> HttpResponse:
    """Upload, see what the file would do, then confirm; nothing is written before."""
    if request.method == "POST" and request.POST.get("cancel"):
        pending.discard(request.session, request.POST["cancel"][:64])
        return redirect("ecosystem:relationship_import")
    if request.method == "POST" and request.POST.get("confirm"):
        return _confirm(request, request.POST["confirm"][:64])
    form = RelationshipImportForm(posted(request), request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            plan = read_relationships(upload, filename=upload.name)
        except FileProblem as problem:
            form.add_error("file", str(problem))
        else:
            # Only a file that can be imported waits for the confirmation.
            token = (
                pending.keep(request.session, upload, purpose=IMPORT_PURPOSE, filename=upload.name)
                if plan.is_clean
                else ""
            )
            return _preview(request, plan, token=token, form=RelationshipImportForm())
    return render_form_page(request, "ecosystem/relationship_import.html", {"form": form})
