"""The shared measurement system: what is measured, by whom, when, and the results.

A reported value is keyed by indicator, period, organisation and a *breakdown*: the
canonical text of the dimension members it refers to, e.g. ``age:12-17|province:QC``
(dimension codes sorted; the empty string is the total). Nothing is pre-generated for
every combination of members: a partner stores only the cells it reports.

The models live in one module per topic (setup, submissions, results); every one is
importable from here, as `from collectif.measurement.models import Indicator`.
"""

from collectif.measurement.models.results import CANADA, Baseline, Rollup, Target
from collectif.measurement.models.setup import (
    CODE_VALIDATOR,
    Dataset,
    DatasetIndicator,
    Dimension,
    DimensionMember,
    Indicator,
    Period,
    ValidationRule,
)
from collectif.measurement.models.submissions import (
    IdempotencyKey,
    Submission,
    SubmissionVersion,
    Value,
)

__all__ = [
    "CANADA",
    "CODE_VALIDATOR",
    "Baseline",
    "Dataset",
    "DatasetIndicator",
    "Dimension",
    "DimensionMember",
    "IdempotencyKey",
    "Indicator",
    "Period",
    "Rollup",
    "Submission",
    "SubmissionVersion",
    "Target",
    "ValidationRule",
    "Value",
]
