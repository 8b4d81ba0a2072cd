"""The period setup pages: the list, adding a period, moving its window, next quarters."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from collectif.core.actors import request_actor
from collectif.core.forms import FormPage, posted
from collectif.core.permissions import permission_required
from collectif.measurement.forms.periods import PeriodCreateForm, PeriodWindowForm
from collectif.measurement.models import Period
from collectif.measurement.permissions import MANAGE
from collectif.measurement.selectors import periods as selectors
from collectif.measurement.services import periods as services

PAGE_SIZE = 50
TEMPLATE = "measurement/setup_period_form.html"


@login_required
@permission_required(MANAGE)
def period_list(request: HttpRequest) -> HttpResponse:
    page = Paginator(selectors.periods_for_setup(), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "measurement/setup_periods.html", {"page": page})


@login_required
@permission_required(MANAGE)
def period_create(request: HttpRequest) -> HttpResponse:
    actor = request_actor(request)
    page: FormPage[PeriodCreateForm, Period] = FormPage(
        template=TEMPLATE,
        save=lambda form: services.period_create(
            actor=actor,
            code=form.cleaned_data["code"],
            opens_on=form.cleaned_data["opens_on"],
            deadline=form.cleaned_data["deadline"],
        ),
        done=lambda period: (
            _("The period %(code)s (%(label)s) was added.")
            % {"code": period.code, "label": period.label}
        ),
        next_url="measurement:setup_periods",
        context={"period": None},
        fallback_field="code",
    )
    return page.handle(request, PeriodCreateForm(posted(request)))


@login_required
@permission_required(MANAGE)
def period_edit(request: HttpRequest, code: str) -> HttpResponse:
    actor = request_actor(request)
    period = selectors.period_for_setup(code=code)
    form = PeriodWindowForm(
        posted(request), initial={"opens_on": period.opens_on, "deadline": period.deadline}
    )
    page: FormPage[PeriodWindowForm, Period] = FormPage(
        template=TEMPLATE,
        save=lambda valid: services.period_update(
            actor=actor,
            period=period,
            opens_on=valid.cleaned_data["opens_on"],
            deadline=valid.cleaned_data["deadline"],
        ),
        done=lambda saved: _("The window of %(label)s was saved.") % {"label": saved.label},
        next_url="measurement:setup_periods",
        context={"period": period},
        fallback_field="deadline",
    )
    return page.handle(request, form)


@login_required
@permission_required(MANAGE)
@require_POST
def period_next_quarters(request: HttpRequest) -> HttpResponse:
    created = services.period_create_next_quarters(actor=request_actor(request))
    if created:
        messages.success(
            request,
            _("Periods added: %(codes)s.") % {"codes": ", ".join(p.code for p in created)},
        )
    else:
        messages.info(request, _("The next four quarters exist already: nothing was added."))
    return redirect("measurement:setup_periods")
