"""Reading a submission's history: its versions, and what restoring one would change."""

from django.http import Http404

from collectif.measurement.domain.changes import ValueChanges, compare_cells, version_cells
from collectif.measurement.domain.validation import CellValue
from collectif.measurement.models import Submission, SubmissionVersion, Value


def submission_version_get(*, submission: Submission, pk: int) -> SubmissionVersion:
    """One version of this submission's history (404 for another submission's)."""
    version = SubmissionVersion.objects.filter(submission=submission, pk=pk).first()
    if version is None:
        raise Http404
    return version


def restore_changes(*, submission: Submission, version: SubmissionVersion) -> ValueChanges:
    """What restoring the version would change in the values saved now."""
    saved = [
        CellValue(code, breakdown, value)
        for code, breakdown, value in Value.objects.filter(submission=submission).values_list(
            "indicator__code", "breakdown", "value"
        )
    ]
    return compare_cells(saved, version_cells(version), submission.dataset)
