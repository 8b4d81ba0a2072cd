"""Who may use the measurement pages and API (the permission matrix, decision 0023).

OWN_OR_STAFF is the object rule of `measurement.submit_for` and friends: the stewards
of the organisation the URL names (or of the submission's organisation) and staff.
"""

from collectif.core.manifest import (
    MEMBERS,
    OWN_OR_STAFF,
    PUBLIC,
    SIGNED_IN,
    STAFF,
    STEWARDS,
    Access,
    access,
)

# Any steward, and staff who help in a steward's place.
STEWARDS_AND_STAFF = access(*STEWARDS.allowed, *STAFF.allowed)
# Researchers take the published figures away (decision 0026); staff may too.
RESEARCHERS_AND_STAFF = access("researcher", *STAFF.allowed)

ACCESS: dict[str, Access] = {
    # Submissions
    "measurement:steward_home": STEWARDS,
    "measurement:submission_start": OWN_OR_STAFF,
    "measurement:submission_detail": OWN_OR_STAFF,
    "measurement:submission_edit": OWN_OR_STAFF,
    "measurement:submission_send": OWN_OR_STAFF.by_post(),
    "measurement:review_queue": STAFF,
    "measurement:review_approve_many": STAFF,
    "measurement:submission_approve": STAFF,
    "measurement:submission_return": STAFF,
    "measurement:submission_reopen": STAFF,
    "measurement:version_restore": OWN_OR_STAFF,
    # Files
    "measurement:template_download": STEWARDS_AND_STAFF,
    "measurement:upload": OWN_OR_STAFF,
    "measurement:upload_confirm": OWN_OR_STAFF.by_post(),
    "measurement:upload_job": OWN_OR_STAFF,
    # Results: public figures are suppressed; members see the scorecard.
    "measurement:scorecard": MEMBERS,
    "measurement:indicator_detail": MEMBERS,
    "measurement:indicator_story": STAFF,
    "measurement:partner_results": OWN_OR_STAFF,
    "measurement:completeness": STAFF,
    "measurement:completeness_remind": STAFF.by_post(),
    "measurement:report_card": PUBLIC,
    "measurement:report_card_csv": PUBLIC,
    "measurement:export": RESEARCHERS_AND_STAFF,
    "measurement:export_figures_csv": RESEARCHERS_AND_STAFF,
    "measurement:export_figures_xlsx": RESEARCHERS_AND_STAFF,
    "measurement:export_csv": STAFF.by_post(),
    "measurement:export_xlsx": STAFF.by_post(),
    # Setup: the backbone's alone.
    "measurement:setup_*": STAFF,
    "measurement:setup_period_next_quarters": STAFF.by_post(),
    # API
    "collectif_measurement_api_submissions_indicator_list": PUBLIC,
    "collectif_measurement_api_submissions_indicator_detail": PUBLIC,
    "collectif_measurement_api_submissions_period_list": PUBLIC,
    "collectif_measurement_api_submissions_dataset_list": SIGNED_IN,
    "collectif_measurement_api_submissions_dataset_detail": SIGNED_IN,
    # Everyone signed in may ask; each sees only the submissions they may see.
    "collectif_measurement_api_submissions_submission_list": SIGNED_IN,
    "collectif_measurement_api_submissions_submission_create": OWN_OR_STAFF,
    "collectif_measurement_api_submissions_submission_detail": OWN_OR_STAFF,
    "collectif_measurement_api_submissions_submission_values_replace": OWN_OR_STAFF,
    "collectif_measurement_api_submissions_submission_submit": OWN_OR_STAFF,
    "collectif_measurement_api_submissions_submission_approve": STAFF,
    "collectif_measurement_api_submissions_submission_return": STAFF,
    # A file import's job: its organisation's stewards and staff (decision 0023).
    "collectif_measurement_api_imports_file_import": OWN_OR_STAFF,
    "collectif_measurement_api_imports_import_status": OWN_OR_STAFF,
    # Every approved value leaves as a file: staff start it; its starter and staff read it.
    "collectif_measurement_api_exports_export_start": STAFF,
    "collectif_measurement_api_exports_export_status": OWN_OR_STAFF,
    "collectif_measurement_api_exports_export_download": OWN_OR_STAFF,
    "collectif_measurement_api_results_aggregate": PUBLIC,
    "collectif_measurement_api_research_figures": RESEARCHERS_AND_STAFF,
}
