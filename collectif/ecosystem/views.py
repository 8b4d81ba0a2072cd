from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from collectif.ecosystem.models import Organisation


def public_organisation_list(request: HttpRequest) -> HttpResponse:
    return render(request, "ecosystem/public_organisation_list.html", {})


def organisation_list(request: HttpRequest) -> HttpResponse:
    return render(request, "ecosystem/organisation_list.html", {})


def organisation_detail(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = get_object_or_404(Organisation, slug=slug)
    return render(request, "ecosystem/organisation_detail.html", {"organisation": organisation})
