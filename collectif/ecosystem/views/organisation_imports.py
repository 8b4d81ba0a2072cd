"""Importing organisations from a spreadsheet, from a staff page: upload, preview, confirm.

The preview writes nothing: it shows what each row would do and every row to fix. The
file is kept privately (`files/pending.py`) until the person confirms; confirming reads
it again and writes all of it in one transaction, or nothing if any row became invalid.
"""

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from collectif.core.actors import request_actor
from collectif.core.formatting import format_number
from collectif.core.forms import render_form_page
from collectif.core.permissions import permission_required
from collectif.ecosystem.files import pending
from collectif.ecosystem.services import organisation_imports as services
from collectif.ecosystem.services.organisation_imports import ImportReport

PURPOSE = "organisation_import"
TEMPLATE = "ecosystem/organisation_import.html"


class UploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Spreadsheet (CSV or Excel .xlsx)"),
        help_text=gettext_lazy(
            "One organisation a row. Columns, in English or French: name_en, name_fr, "
            "sector, province (of the head office), provinces served, website, "
            "populations, equity, public."
        ),
    )


def _counts(report: ImportReport) -> dict[str, str]:
    return {key: format_number(value) for key, value in report.counts().items()}


def _preview(request: HttpRequest, form: UploadForm) -> HttpResponse:
    upload = form.cleaned_data["file"]
    report = services.organisation_import_plan(
        actor=request_actor(request), data=upload, filename=upload.name
    )
    token = ""
    if report.valid:
        token = pending.keep(request.session, upload, purpose=PURPOSE, filename=upload.name)
    else:
        form.add_error("file", _("The file cannot be imported: fix the rows listed below."))
    return render_form_page(
        request,
        TEMPLATE,
        {"form": form, "report": report, "counts": _counts(report), "token": token},
    )


def _confirm(request: HttpRequest) -> HttpResponse:
    token = request.POST.get("token", "")[:100]
    kept = pending.find(request.session, token, purpose=PURPOSE)
    if kept is None:
        messages.error(request, _("That upload has expired. Upload the file again."))
        return redirect("ecosystem:organisation_import")
    with pending.open_kept(kept) as data:
        report = services.organisation_import(
            actor=request_actor(request), data=data, filename=kept.filename
        )
    pending.discard(request.session, token)
    if not report.written:
        form = UploadForm()
        form.add_error(None, _("The organisations changed since the preview: nothing was written."))
        return render_form_page(
            request, TEMPLATE, {"form": form, "report": report, "counts": _counts(report)}
        )
    messages.success(
        request,
        _("Imported. Organisations created: %(created)s; updated: %(updated)s.") % _counts(report),
    )
    return redirect("ecosystem:organisation_list")


@login_required
@permission_required("ecosystem.import_organisations")
def organisation_import(request: HttpRequest) -> HttpResponse:
    context: dict[str, Any] = {}
    if request.method == "POST" and request.POST.get("action") == "confirm":
        return _confirm(request)
    if request.method == "POST" and request.POST.get("action") == "cancel":
        pending.discard(request.session, request.POST.get("token", "")[:100])
        messages.success(request, _("The import was cancelled: nothing was written."))
        return redirect("ecosystem:organisation_list")
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        return _preview(request, form)
    context["form"] = form
    return render_form_page(request, TEMPLATE, context)
