"""Going back in a submission's history: putting earlier values back.

Every version in the history is a frozen list of values: what was sent for approval,
or the saved values a file (or an earlier restore) replaced. Restoring one replaces
the submission's values by it and keeps the values it replaces in the history in turn,
so a restore is undone by restoring again.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from collectif.core.actors import Actor, require
from collectif.core.results_version import results_version_bump
from collectif.core.services import audit_record
from collectif.measurement.audit import MeasurementAction
from collectif.measurement.domain.changes import version_cells
from collectif.measurement.domain.validation import Problem
from collectif.measurement.models import Submission, SubmissionVersion
from collectif.measurement.services.submissions import submission_save_values


@transaction.atomic
def submission_restore(
    *, actor: Actor, submission: Submission, version: SubmissionVersion
) -> list[Problem]:
    """Put a version's values back as the values of a draft or returned submission.

    The values are checked as they would be today (SubmissionInvalid lists what no
    longer passes); returns the warnings.
    """
    require(actor, "measurement.submit_for", submission.organisation)
    if version.submission_id != submission.pk:
        raise ValidationError(_("This version belongs to another submission."), code="foreign")
    cells = version_cells(version)
    warnings = submission_save_values(
        actor=actor,
        submission=submission,
        cells=cells,
        channel=version.channel,
        keep_previous=True,
    )
    audit_record(
        actor=actor,
        action=MeasurementAction.SUBMISSION_RESTORE,
        target=submission,
        changes={"version": version.number, "kind": version.kind, "values": len(cells)},
    )
    results_version_bump()
    return warnings
