"""The researchers' downloads: published figures with the public's disclosure rules.

Researchers and staff may take them (decision 0026); the page that offers them is the
export page (`views.results.export`), which offers staff the organisation-level file too.
"""

import tempfile

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpRequest, StreamingHttpResponse
from django.utils import timezone
from django.utils.translation import get_language

from collectif.core.permissions import permission_required
from collectif.measurement.files import research


def _language() -> str:
    return (get_language() or "en")[:2]


def _file_name(extension: str) -> str:
    return f"published-figures-{timezone.localdate():%Y-%m-%d}.{extension}"


@login_required
@permission_required("measurement.export_figures")
def export_figures_csv(request: HttpRequest) -> StreamingHttpResponse:
    response = StreamingHttpResponse(
        research.csv_lines(_language()), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{_file_name("csv")}"'
    return response


@login_required
@permission_required("measurement.export_figures")
def export_figures_xlsx(request: HttpRequest) -> FileResponse:
    """Written to a temporary file first: an XLSX is a zip and cannot be streamed as built."""
    handle = tempfile.TemporaryFile(suffix=".xlsx")  # noqa: SIM115 - FileResponse closes it
    research.write_xlsx(handle, _language())
    handle.seek(0)
    return FileResponse(
        handle,
        as_attachment=True,
        filename=_file_name("xlsx"),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
