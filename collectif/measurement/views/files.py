"""Files in and out: blank templates to download, filled files to upload."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from collectif.accounts.permissions import organisations_acting_for
from collectif.core.actors import actor_may, request_actor
from collectif.core.formatting import format_number
from collectif.core.permissions import permission_required
from collectif.ecosystem.models import Organisation
from collectif.measurement.domain.validation import Problem, describe_problem
from collectif.measurement.files.templates import (
    CONTENT_TYPES,
    FORMATS,
    LANGUAGES,
    template_filename,
    write_template,
)
from collectif.measurement.forms.files import UploadForm
from collectif.measurement.models import Dataset
from collectif.measurement.selectors import submissions as selectors
from collectif.measurement.services import submissions as services
from collectif.measurement.services.files import submission_import


def _can_download(request: HttpRequest, dataset: Dataset) -> bool:
    """Staff, or a steward of an organisation the dataset is assigned to."""
    if actor_may(request_actor(request), "measurement.manage"):
        return True
    acting_for = organisations_acting_for(request.user)
    return bool(acting_for) and selectors.dataset_reported_by_any(
        dataset=dataset, organisation_ids=acting_for
    )


@login_required
def template_download(request: HttpRequest, code: str, fmt: str) -> HttpResponse:
    dataset = selectors.dataset_get(code=code)
    if fmt not in FORMATS:
        raise Http404
    if not _can_download(request, dataset):
        raise PermissionDenied
    language = request.GET.get("lang") or request.LANGUAGE_CODE
    language = language if language in LANGUAGES else "en"
    response = HttpResponse(content_type=CONTENT_TYPES[fmt])
    write_template(dataset, language=language, fmt=fmt, out=response)  # type: ignore[arg-type]
    filename = template_filename(dataset, language=language, fmt=fmt)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _rows(problems: list[Problem]) -> list[dict[str, Any]]:
    return [
        {"row": p.row, "column": p.column if p.column and "/" not in p.column else "", "p": p}
        for p in problems
    ]


def _organisation(request: HttpRequest, slug: str) -> Organisation:
    return selectors.organisation_for_report(slug=slug)


@login_required
@permission_required("measurement.submit_for", fn=_organisation)
def upload(request: HttpRequest, slug: str) -> HttpResponse:
    """Upload a filled-in template; every problem is listed at once and nothing is saved."""
    organisation = selectors.organisation_for_report(slug=slug)
    initial = {key: request.GET[key] for key in ("dataset", "period") if request.GET.get(key)}
    form = UploadForm(
        request.POST or None, request.FILES or None, organisation=organisation, initial=initial
    )
    problems: list[Problem] = []
    if request.method == "POST" and form.is_valid():
        upload_file = form.cleaned_data["file"]
        try:
            result = submission_import(
                actor=request_actor(request),
                organisation=organisation,
                dataset=form.cleaned_data["dataset"],
                period=form.cleaned_data["period"],
                data=upload_file,
                filename=upload_file.name or "",
                submit=form.cleaned_data["submit"],
            )
        except services.SubmissionInvalid as exc:
            problems = exc.problems
            form.add_error(
                "file", _("Fix the problems listed above in your file, then upload it again.")
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(
                request,
                _("Your file is imported: %(values)s values from %(rows)s rows.")
                % {"values": format_number(result.cells), "rows": format_number(result.rows)},
            )
            for warning in result.warnings:
                messages.warning(request, describe_problem(warning))
            assert result.submission is not None
            return redirect("measurement:submission_detail", pk=result.submission.pk)
    errors = [p for p in problems if p.severity == "error"]
    return render(
        request,
        "measurement/upload.html",
        {
            "organisation": organisation,
            "form": form,
            "datasets": form.datasets,
            "problems": _rows(errors),
            "warnings": _rows([p for p in problems if p.severity != "error"]),
        },
    )
