"""The indicator setup pages: the list, and adding or changing an indicator."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from collectif.core.actors import request_actor
from collectif.core.forms import FormPage, posted
from collectif.core.permissions import permission_required
from collectif.measurement.forms.indicators import IndicatorForm, IndicatorSearchForm
from collectif.measurement.models import Indicator
from collectif.measurement.permissions import MANAGE
from collectif.measurement.selectors import indicators as selectors
from collectif.measurement.services import indicators as services

PAGE_SIZE = 50
TEMPLATE = "measurement/setup_indicator_form.html"


@login_required
@permission_required(MANAGE)
def indicator_list(request: HttpRequest) -> HttpResponse:
    form = IndicatorSearchForm(request.GET)
    query = published = ""
    if form.is_valid():
        query, published = form.cleaned_data["q"], form.cleaned_data["published"]
    page = Paginator(
        selectors.indicator_search(query=query, published=published), PAGE_SIZE
    ).get_page(request.GET.get("page"))
    return render(
        request,
        "measurement/setup_indicators.html",
        {
            "form": form,
            "page": page,
            "filtered": bool(query or published),
            "total": selectors.indicator_count(),
        },
    )


@login_required
@permission_required(MANAGE)
def indicator_create(request: HttpRequest) -> HttpResponse:
    actor = request_actor(request)
    page: FormPage[IndicatorForm, Indicator] = FormPage(
        template=TEMPLATE,
        save=lambda form: services.indicator_create(
            actor=actor, code=form.cleaned_data["code"], data=form.indicator_data()
        ),
        done=lambda indicator: _("The indicator %(name)s was added.") % {"name": indicator.name},
        next_url="measurement:setup_indicators",
        context={"indicator": None},
    )
    return page.handle(request, IndicatorForm(posted(request)))


@login_required
@permission_required(MANAGE)
def indicator_edit(request: HttpRequest, code: str) -> HttpResponse:
    actor = request_actor(request)
    form = IndicatorForm(posted(request), instance=selectors.indicator_for_setup(code=code))
    page: FormPage[IndicatorForm, Indicator] = FormPage(
        template=TEMPLATE,
        save=lambda valid: services.indicator_update(
            actor=actor, indicator=valid.instance, data=valid.indicator_data()
        ),
        done=lambda indicator: _("The indicator %(name)s was saved.") % {"name": indicator.name},
        next_url="measurement:setup_indicators",
        # The form changes its instance while it validates; the page names the stored one.
        context={"indicator": selectors.indicator_for_setup(code=code)},
    )
    return page.handle(request, form)
