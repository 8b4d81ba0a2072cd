"""The dimension setup pages: the members of each dimension, added, renamed, deleted."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from collectif.core.actors import request_actor
from collectif.core.forms import FormPage, posted
from collectif.core.permissions import permission_required
from collectif.measurement.forms.dimensions import MemberForm
from collectif.measurement.models import DimensionMember
from collectif.measurement.permissions import MANAGE
from collectif.measurement.selectors import dimensions as selectors
from collectif.measurement.services import dimensions as services

TEMPLATE = "measurement/setup_member_form.html"


@login_required
@permission_required(MANAGE)
def dimension_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "measurement/setup_dimensions.html",
        {"dimensions": selectors.dimensions_with_members()},
    )


@login_required
@permission_required(MANAGE)
def member_add(request: HttpRequest, code: str) -> HttpResponse:
    actor = request_actor(request)
    dimension = selectors.dimension_for_setup(code=code)
    page: FormPage[MemberForm, DimensionMember] = FormPage(
        template=TEMPLATE,
        save=lambda form: services.dimension_member_add(
            actor=actor,
            dimension=dimension,
            code=form.cleaned_data["code"],
            name_en=form.cleaned_data["name_en"],
            name_fr=form.cleaned_data["name_fr"],
        ),
        done=lambda member: (
            _("%(member)s was added to %(dimension)s.")
            % {"member": member.name, "dimension": dimension.name}
        ),
        next_url="measurement:setup_dimensions",
        context={"dimension": dimension, "member": None},
    )
    return page.handle(request, MemberForm(posted(request)))


@login_required
@permission_required(MANAGE)
def member_rename(request: HttpRequest, code: str, member: str) -> HttpResponse:
    actor = request_actor(request)
    found = selectors.member_for_setup(dimension=code, code=member)
    form = MemberForm(
        posted(request),
        renaming=True,
        initial={field: getattr(found, field, "") for field in ("name_en", "name_fr")},
    )
    page: FormPage[MemberForm, DimensionMember] = FormPage(
        template=TEMPLATE,
        save=lambda valid: services.dimension_member_rename(
            actor=actor,
            member=found,
            name_en=valid.cleaned_data["name_en"],
            name_fr=valid.cleaned_data["name_fr"],
        ),
        done=lambda _renamed: _("The member was renamed."),
        next_url="measurement:setup_dimensions",
        context={"dimension": found.dimension, "member": found},
    )
    return page.handle(request, form)


@login_required
@permission_required(MANAGE)
def member_delete(request: HttpRequest, code: str, member: str) -> HttpResponse:
    """Confirm, then delete a member nobody has reported against."""
    found = selectors.member_for_setup(dimension=code, code=member)
    in_use = found.dimension.is_province or selectors.member_in_use(found)
    if request.method == "POST" and not in_use:
        services.dimension_member_delete(actor=request_actor(request), member=found)
        messages.success(request, _("%(member)s was deleted.") % {"member": found.name})
        return redirect("measurement:setup_dimensions")
    return render(
        request,
        "measurement/setup_member_delete.html",
        {"member": found, "in_use": in_use},
        status=409 if request.method == "POST" else 200,
    )
