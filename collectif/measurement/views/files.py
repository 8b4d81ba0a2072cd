"""Files in and out: blank templates to download, filled files to upload."""

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from collectif.accounts.permissions import is_backbone_staff, organisations_acting_for
from collectif.core.files.reader import MEGABYTE, upload_limit
from collectif.core.formatting import format_number
from collectif.ecosystem.models import Organisation
from collectif.measurement.domain.validation import Problem, describe_problem
from collectif.measurement.files.templates import (
    CONTENT_TYPES,
    FORMATS,
    LANGUAGES,
    template_filename,
    write_template,
)
from collectif.measurement.models import Dataset, Period
from collectif.measurement.permissions import can_submit_for
from collectif.measurement.selectors import submissions as selectors
from collectif.measurement.selectors.submissions import PERIOD_KINDS
from collectif.measurement.services import submissions as services
from collectif.measurement.services.files import import_file

# The most recent periods offered in the upload form.
PERIOD_CHOICES = 24


def _period_kinds(frequency: str) -> list[str]:
    """The kinds of period a dataset reported at this frequency is reported for."""
    return [str(kind) for key, kinds in PERIOD_KINDS.items() if key == frequency for kind in kinds]


def _can_download(user: Any, dataset: Dataset) -> bool:
    """Staff, or a steward of an organisation the dataset is assigned to."""
    if is_backbone_staff(user):
        return True
    acting_for = organisations_acting_for(user)
    return bool(acting_for) and dataset.organisations.filter(pk__in=acting_for).exists()


@login_required
def template_download(request: HttpRequest, code: str, fmt: str) -> HttpResponse:
    dataset = selectors.dataset_get(code=code)
    if fmt not in FORMATS:
        raise Http404
    if not _can_download(request.user, dataset):
        raise PermissionDenied
    language = request.GET.get("lang") or request.LANGUAGE_CODE
    language = language if language in LANGUAGES else "en"
    response = HttpResponse(content_type=CONTENT_TYPES[fmt])
    write_template(dataset, language=language, fmt=fmt, out=response)  # type: ignore[arg-type]
    filename = template_filename(dataset, language=language, fmt=fmt)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _period_label(period: Period) -> str:
    return f"{period.label} ({period.code})"


class UploadForm(forms.Form):
    dataset: "forms.ModelChoiceField[Dataset]" = forms.ModelChoiceField(
        label=gettext_lazy("Dataset"),
        queryset=Dataset.objects.none(),
        to_field_name="code",
        empty_label=None,
    )
    period: "forms.ModelChoiceField[Period]" = forms.ModelChoiceField(
        label=gettext_lazy("Period the data covers"),
        queryset=Period.objects.none(),
        to_field_name="code",
        empty_label=None,
    )
    file = forms.FileField(label=gettext_lazy("File"))
    submit = forms.BooleanField(
        label=gettext_lazy("Send for approval once the file is imported"),
        required=False,
    )

    def __init__(self, *args: Any, organisation: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        datasets = Dataset.objects.filter(organisations=organisation, is_active=True).order_by(
            "code"
        )
        self.fields["dataset"].queryset = datasets  # type: ignore[attr-defined]
        kinds = {kind for d in datasets for kind in _period_kinds(d.frequency)}
        today = timezone.localdate()
        periods = (
            Period.objects.filter(kind__in=kinds, start__lte=today)
            .order_by("-start")
            .values_list("pk", flat=True)[:PERIOD_CHOICES]
        )
        self.fields["period"].queryset = Period.objects.filter(  # type: ignore[attr-defined]
            pk__in=list(periods)
        ).order_by("-start")
        self.fields["period"].label_from_instance = _period_label  # type: ignore[attr-defined]
        self.fields["file"].help_text = _(
            "The filled-in template: CSV or Excel workbook (.xlsx), up to %(limit)s MB."
        ) % {"limit": format_number(upload_limit() / MEGABYTE, decimals=0)}

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        dataset, period = data.get("dataset"), data.get("period")
        if dataset and period and period.kind not in _period_kinds(dataset.frequency):
            self.add_error(
                "period",
                _(
                    "%(dataset)s is not reported for this kind of period. Choose a period "
                    "that matches its frequency (%(frequency)s)."
                )
                % {"dataset": dataset, "frequency": dataset.get_frequency_display().lower()},
            )
        return data


def _rows(problems: list[Problem]) -> list[dict[str, Any]]:
    return [
        {"row": p.row, "column": p.column if p.column and "/" not in p.column else "", "p": p}
        for p in problems
    ]


@login_required
def upload(request: HttpRequest, slug: str) -> HttpResponse:
    """Upload a filled-in template; every problem is listed at once and nothing is saved."""
    organisation = selectors.organisation_for_report(slug=slug)
    if not can_submit_for(request.user, organisation):
        raise PermissionDenied
    initial = {key: request.GET[key] for key in ("dataset", "period") if request.GET.get(key)}
    form = UploadForm(
        request.POST or None, request.FILES or None, organisation=organisation, initial=initial
    )
    problems: list[Problem] = []
    if request.method == "POST" and form.is_valid():
        upload_file = form.cleaned_data["file"]
        try:
            result = import_file(
                actor=request.user,
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
    datasets = list(form.fields["dataset"].queryset)  # type: ignore[attr-defined]
    errors = [p for p in problems if p.severity == "error"]
    return render(
        request,
        "measurement/upload.html",
        {
            "organisation": organisation,
            "form": form,
            "datasets": datasets,
            "problems": _rows(errors),
            "warnings": _rows([p for p in problems if p.severity != "error"]),
        },
    )
