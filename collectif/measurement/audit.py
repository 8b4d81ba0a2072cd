"""Measurement's audit vocabulary: one action per service that writes, named after it."""

from django.utils.translation import gettext_lazy as _

from collectif.core.audit import AuditAction


class MeasurementAction(AuditAction):
    SUBMISSION_OPEN = "measurement.submission_open", _("%(actor)s started the report %(object)s")
    SUBMISSION_SAVE_VALUES = (
        "measurement.submission_save_values",
        _("%(actor)s saved the values of %(object)s"),
    )
    SUBMISSION_IMPORT = (
        "measurement.submission_import",
        _("%(actor)s imported a file into %(object)s"),
    )
    SUBMISSION_RESTORE = (
        "measurement.submission_restore",
        _("%(actor)s restored earlier values of %(object)s"),
    )
    SUBMISSION_SUBMIT = (
        "measurement.submission_submit",
        _("%(actor)s sent %(object)s for approval"),
    )
    SUBMISSION_APPROVE = "measurement.submission_approve", _("%(actor)s approved %(object)s")
    SUBMISSION_APPROVE_MANY = (
        "measurement.submission_approve_many",
        _("%(actor)s approved several submissions together"),
    )
    SUBMISSION_RETURN = (
        "measurement.submission_return",
        _("%(actor)s returned %(object)s for corrections"),
    )
    SUBMISSION_REOPEN = "measurement.submission_reopen", _("%(actor)s reopened %(object)s")
    INDICATOR_CREATE = "measurement.indicator_create", _("%(actor)s added the indicator %(object)s")
    INDICATOR_UPDATE = (
        "measurement.indicator_update",
        _("%(actor)s changed the indicator %(object)s"),
    )
    INDICATOR_STORY_UPDATE = (
        "measurement.indicator_story_update",
        _("%(actor)s edited the story behind the curve of %(object)s"),
    )
    PERIOD_CREATE = "measurement.period_create", _("%(actor)s added the period %(object)s")
    PERIOD_UPDATE = "measurement.period_update", _("%(actor)s changed the period %(object)s")
    PERIOD_CREATE_NEXT_QUARTERS = (
        "measurement.period_create_next_quarters",
        _("%(actor)s added the next quarters"),
    )
    DATASET_CREATE = "measurement.dataset_create", _("%(actor)s added the dataset %(object)s")
    DATASET_UPDATE = "measurement.dataset_update", _("%(actor)s changed the dataset %(object)s")
    DATASET_ASSIGN = (
        "measurement.dataset_assign",
        _("%(actor)s asked organisations to report the dataset %(object)s"),
    )
    DATASET_ASSIGNMENT_CHANGE = (
        "measurement.dataset_assignment_change",
        _("%(actor)s changed who reports the dataset %(object)s"),
    )
    DIMENSION_MEMBER_ADD = (
        "measurement.dimension_member_add",
        _("%(actor)s added %(object)s to a breakdown"),
    )
    DIMENSION_MEMBER_RENAME = (
        "measurement.dimension_member_rename",
        _("%(actor)s renamed %(object)s in a breakdown"),
    )
    DIMENSION_MEMBER_DELETE = (
        "measurement.dimension_member_delete",
        _("%(actor)s removed %(object)s from a breakdown"),
    )
    VALIDATION_RULE_CREATE = (
        "measurement.validation_rule_create",
        _("%(actor)s added the validation rule %(object)s"),
    )
    VALIDATION_RULE_UPDATE = (
        "measurement.validation_rule_update",
        _("%(actor)s changed the validation rule %(object)s"),
    )
    BASELINE_SET = "measurement.baseline_set", _("%(actor)s set a baseline of %(object)s")
    BASELINE_REMOVE = "measurement.baseline_remove", _("%(actor)s removed a baseline of %(object)s")
    TARGET_SET = "measurement.target_set", _("%(actor)s set a target of %(object)s")
    TARGET_REMOVE = "measurement.target_remove", _("%(actor)s removed a target of %(object)s")
    ROLLUPS_REBUILD = (
        "measurement.rollups_rebuild",
        _("%(actor)s recomputed the movement's figures from the approved values"),
    )
    COMPLETENESS_REMINDERS_SEND = (
        "measurement.completeness_reminders_send",
        _("%(actor)s sent reminders to the organisations late for %(object)s"),
    )
    VALUES_EXPORT_START = (
        "measurement.values_export_start",
        _("%(actor)s started an export of every approved value"),
    )
