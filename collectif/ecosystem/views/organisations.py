"""Organisation pages: the staff's list and forms, the public partner list, one detail page."""

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.utils.translation import get_language, gettext_lazy, ngettext
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from collectif.accounts.models import Role
from collectif.core.actors import request_actor
from collectif.core.formatting import format_number
from collectif.core.forms import FormPage, posted
from collectif.core.permissions import permission_required
from collectif.ecosystem.domain.consent import status_label
from collectif.ecosystem.forms.organisations import OrganisationForm
from collectif.ecosystem.models import Organisation
from collectif.ecosystem.organisation_page import organisation_panels
from collectif.ecosystem.selectors import contacts as contact_selectors
from collectif.ecosystem.selectors import organisations as selectors
from collectif.ecosystem.services import organisations as services
from collectif.ecosystem.views.engagement import pipeline_context
from collectif.ecosystem.views.relationships import relationship_panel

FILTER_KEYS = ("q", "sector", "province")
# Staff filter by how organisations identify themselves (issue 11, part 4).
STAFF_FILTER_KEYS = ("equity",)

COLUMNS = [
    ("name", gettext_lazy("Name")),
    ("sector", gettext_lazy("Sector")),
    ("province", gettext_lazy("Head office")),
]


def _filters(params: QueryDict, *, staff: bool) -> dict[str, Any]:
    filters: dict[str, Any] = {key: params.get(key, "").strip()[:200] for key in FILTER_KEYS}
    filters["sort"] = params.get("sort", "name")
    if filters["sort"] not in selectors.SORTS:
        filters["sort"] = "name"
    if staff:
        for key in STAFF_FILTER_KEYS:
            filters[key] = params.get(key, "").strip()[:50]
        filters["include_archived"] = params.get("archived") == "1"
        filters["needs_steward"] = params.get("steward") == "none"
    return filters


def _columns(sort: str) -> list[dict[str, Any]]:
    """Column headers that sort by link: a second click reverses the order."""
    columns = []
    for key, label in COLUMNS:
        state = "ascending" if sort == key else "descending" if sort == f"-{key}" else ""
        columns.append(
            {
                "label": label,
                "next": f"-{key}" if sort == key else key,
                "aria_sort": state,
            }
        )
    return columns


def _count_notes(counts: dict[str, int]) -> list[str]:
    """Why the staff's count differs from the public one: private and archived ones."""
    notes = []
    if counts["private"]:
        notes.append(
            ngettext(
                "%(count)s of them is private: the public site does not list or count it.",
                "%(count)s of them are private: the public site does not list or count them.",
                counts["private"],
            )
            % {"count": format_number(counts["private"])}
        )
    if counts["archived"]:
        notes.append(
            ngettext(
                "%(count)s of them is archived.",
                "%(count)s of them are archived.",
                counts["archived"],
            )
            % {"count": format_number(counts["archived"])}
        )
    return notes


def _list_context(request: HttpRequest, *, staff: bool) -> dict[str, Any]:
    filters = _filters(request.GET, staff=staff)
    organisations = selectors.organisation_list(user=request.user if staff else None, **filters)
    page = Paginator(organisations, settings.COLLECTIF["PAGE_SIZE"]).get_page(
        request.GET.get("page")
    )
    filtered = any(filters.get(key) for key in (*FILTER_KEYS, *STAFF_FILTER_KEYS, "needs_steward"))
    notes = (
        _count_notes(selectors.organisation_list_counts(organisations=organisations))
        if staff
        else []
    )
    return {
        "count_notes": notes,
        "page": page,
        "filters": filters,
        "filtered": filtered,
        "columns": _columns(filters["sort"]),
        "sectors": selectors.sector_list(),
        "provinces": selectors.province_choices(),
        "equity_options": selectors.equity_choices() if staff else [],
    }


def public_organisation_list(request: HttpRequest) -> HttpResponse:
    return render(
        request, "ecosystem/public_organisation_list.html", _list_context(request, staff=False)
    )


@login_required
@permission_required("ecosystem.list_organisations")
def organisation_list(request: HttpRequest) -> HttpResponse:
    return render(request, "ecosystem/organisation_list.html", _list_context(request, staff=True))


def _people(request: HttpRequest, organisation: Organisation) -> dict[str, Any]:
    """Who acts for the organisation, its stewards apart, for those who invite people."""
    if not request.user.has_perm("accounts.view_people"):
        return {}
    people = selectors.organisation_people(organisation=organisation)
    return {
        "people": people,
        "stewards": [m for m in people["memberships"] if m.role == Role.STEWARD],
        "can_invite": request.user.has_perm("accounts.invite") and not organisation.is_archived,
        "reports_data": organisation.sector.code in selectors.STEWARD_SECTORS,
    }


def _contacts(request: HttpRequest, organisation: Organisation) -> dict[str, Any]:
    """The staff's contacts panel: one query, whatever the number of contacts."""
    if not request.user.has_perm("ecosystem.view_contacts"):
        return {}
    contacts = contact_selectors.organisation_contacts(user=request.user, organisation=organisation)
    for contact in contacts:
        contact.status_label = status_label(contact.consent_status)  # type: ignore[attr-defined]
    return {"show_contacts": True, "contacts": contacts}


def organisation_detail(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = selectors.organisation_get(user=request.user, slug=slug)
    user = request.user
    can_manage = user.has_perm("ecosystem.change_organisation")
    return render(
        request,
        "ecosystem/organisation_detail.html",
        {
            "organisation": organisation,
            "provinces_served": list(organisation.provinces_served.all()),
            "populations_served": list(organisation.populations_served.all()),
            "equity_identities": list(organisation.equity_identities.all()),
            **_contacts(request, organisation),
            "can_manage": can_manage,
            "can_delete": can_manage
            and not selectors.organisation_attachments(organisation=organisation),
            **_people(request, organisation),
            **pipeline_context(request, organisation),
            **relationship_panel(request, organisation),
            "panels": organisation_panels(request, organisation),
        },
    )


def _organisation_url(organisation: Organisation) -> str:
    return organisation.get_absolute_url()


@login_required
@permission_required("ecosystem.add_organisation")
def organisation_create(request: HttpRequest) -> HttpResponse:
    actor = request_actor(request)
    page: FormPage[OrganisationForm, Organisation] = FormPage(
        template="ecosystem/organisation_form.html",
        save=lambda form: services.organisation_create(actor=actor, data=form.organisation_data()),
        done=lambda organisation: (
            _("%(name)s was added to the organisations.") % {"name": organisation}
        ),
        next_url=_organisation_url,
    )
    return page.handle(request, OrganisationForm(posted(request)))


@login_required
@permission_required("ecosystem.change_organisation")
def organisation_edit(request: HttpRequest, slug: str) -> HttpResponse:
    actor = request_actor(request)
    organisation = selectors.organisation_get(user=request.user, slug=slug)

    def save(form: OrganisationForm) -> Organisation:
        # A copy of its own, so a refused change leaves the page's organisation as stored.
        editing = selectors.organisation_get(user=request.user, slug=slug)
        return services.organisation_update(
            actor=actor, organisation=editing, data=form.organisation_data()
        )

    page: FormPage[OrganisationForm, Organisation] = FormPage(
        template="ecosystem/organisation_form.html",
        save=save,
        done=lambda saved: _("Your changes to %(name)s were saved.") % {"name": saved},
        next_url=_organisation_url,
        context={"organisation": organisation},
    )
    return page.handle(request, OrganisationForm(posted(request), organisation=organisation))


@login_required
@permission_required("ecosystem.archive_organisation")
def organisation_archive(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = selectors.organisation_get(user=request.user, slug=slug)
    if request.method == "POST":
        services.organisation_archive(actor=request_actor(request), organisation=organisation)
        messages.success(
            request,
            _("%(name)s is archived. It no longer appears in the lists.") % {"name": organisation},
        )
        return redirect(organisation)
    return render(
        request,
        "ecosystem/organisation_confirm.html",
        {"organisation": organisation, "action": "archive"},
    )


@require_POST
@login_required
@permission_required("ecosystem.archive_organisation")
def organisation_restore(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = selectors.organisation_get(user=request.user, slug=slug)
    services.organisation_restore(actor=request_actor(request), organisation=organisation)
    messages.success(
        request, _("%(name)s is restored and appears in the lists again.") % {"name": organisation}
    )
    return redirect(organisation)


@login_required
@permission_required("ecosystem.delete_organisation")
def organisation_delete(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = selectors.organisation_get(user=request.user, slug=slug)
    attachments = selectors.organisation_attachments(organisation=organisation)
    if request.method == "POST" and not attachments:
        name = str(organisation)
        try:
            services.organisation_delete(actor=request_actor(request), organisation=organisation)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect(organisation)
        messages.success(request, _("%(name)s was deleted.") % {"name": name})
        return redirect("ecosystem:organisation_list")
    return render(
        request,
        "ecosystem/organisation_confirm.html",
        {"organisation": organisation, "action": "delete", "attachments": attachments},
        status=409 if request.method == "POST" else 200,
    )


@require_POST
@login_required
@permission_required("ecosystem.export_organisations")
def organisation_export(request: HttpRequest) -> HttpResponse:
    filters = _filters(request.POST, staff=True)
    job = services.organisation_export_start(
        actor=request_actor(request), language=get_language() or "en", filters=filters
    )
    messages.success(request, _("The export has started. The file will be ready in a moment."))
    return redirect("core:job_detail", job_id=job.pk)
