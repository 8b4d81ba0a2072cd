"""The measurement pages under /<lang>/measurement/: submissions, files, results, setup."""

from django.urls import URLPattern, URLResolver, path

from collectif.measurement.views import (
    completeness,
    datasets,
    dimensions,
    files,
    history,
    indicators,
    periods,
    research,
    results,
    review,
    rules,
    setup,
    submissions,
    targets,
)

app_name = "measurement"

urlpatterns: list[URLPattern | URLResolver] = [
    # Submissions
    path("my-data/", submissions.steward_home, name="steward_home"),
    path(
        "organisations/<slug:slug>/report/<str:dataset>/<str:period>/",
        submissions.submission_start,
        name="submission_start",
    ),
    path("submissions/<int:pk>/", submissions.submission_detail, name="submission_detail"),
    path("submissions/<int:pk>/edit/", submissions.submission_edit, name="submission_edit"),
    path("submissions/<int:pk>/send/", submissions.submission_send, name="submission_send"),
    path("review/", submissions.review_queue, name="review_queue"),
    path("review/approve/", review.review_approve_many, name="review_approve_many"),
    *[
        path(
            f"submissions/<int:pk>/{action}/",
            submissions.submission_review,
            {"action": action},
            name=f"submission_{action}",
        )
        for action in ("approve", "return", "reopen")
    ],
    # Files
    path(
        "datasets/<str:code>/template.<str:fmt>",
        files.template_download,
        name="template_download",
    ),
    path("organisations/<slug:slug>/upload/", files.upload, name="upload"),
    path(
        "organisations/<slug:slug>/upload/confirm/",
        files.upload_confirm,
        name="upload_confirm",
    ),
    path(
        "organisations/<slug:slug>/upload/jobs/<uuid:job_id>/",
        files.upload_job,
        name="upload_job",
    ),
    path(
        "submissions/<int:pk>/history/<int:version>/restore/",
        history.version_restore,
        name="version_restore",
    ),
    # Results
    path("scorecard/", results.scorecard, name="scorecard"),
    path("indicators/<str:code>/", results.indicator_detail, name="indicator_detail"),
    path("indicators/<str:code>/story/", results.indicator_story, name="indicator_story"),
    path("organisations/<slug:slug>/results/", results.partner_results, name="partner_results"),
    path("completeness/", completeness.completeness, name="completeness"),
    path("completeness/remind/", completeness.completeness_remind, name="completeness_remind"),
    path("report-card/", results.report_card, name="report_card"),
    path("report-card.csv", results.report_card_csv, name="report_card_csv"),
    path("export/", results.export, name="export"),
    path("export/approved.csv", results.export_csv, name="export_csv"),
    path("export/approved.xlsx", results.export_xlsx, name="export_xlsx"),
    path("export/figures.csv", research.export_figures_csv, name="export_figures_csv"),
    path("export/figures.xlsx", research.export_figures_xlsx, name="export_figures_xlsx"),
    # Setup
    path("setup/", setup.setup_home, name="setup_home"),
    path("setup/indicators/", indicators.indicator_list, name="setup_indicators"),
    path("setup/indicators/new/", indicators.indicator_create, name="setup_indicator_create"),
    path("setup/indicators/<str:code>/", indicators.indicator_edit, name="setup_indicator_edit"),
    path(
        "setup/indicators/<str:code>/baseline-and-targets/",
        targets.indicator_plan,
        name="setup_indicator_plan",
    ),
    path("setup/periods/", periods.period_list, name="setup_periods"),
    path("setup/periods/new/", periods.period_create, name="setup_period_create"),
    path(
        "setup/periods/next-quarters/",
        periods.period_next_quarters,
        name="setup_period_next_quarters",
    ),
    path("setup/periods/<str:code>/", periods.period_edit, name="setup_period_edit"),
    path("setup/datasets/", datasets.dataset_list, name="setup_datasets"),
    path("setup/datasets/new/", datasets.dataset_create, name="setup_dataset_create"),
    path("setup/datasets/<str:code>/", datasets.dataset_edit, name="setup_dataset_edit"),
    path(
        "setup/datasets/<str:code>/organisations/",
        datasets.dataset_organisations,
        name="setup_dataset_organisations",
    ),
    path("setup/dimensions/", dimensions.dimension_list, name="setup_dimensions"),
    path(
        "setup/dimensions/<str:code>/members/new/",
        dimensions.member_add,
        name="setup_member_add",
    ),
    path(
        "setup/dimensions/<str:code>/members/<str:member>/",
        dimensions.member_rename,
        name="setup_member_rename",
    ),
    path(
        "setup/dimensions/<str:code>/members/<str:member>/delete/",
        dimensions.member_delete,
        name="setup_member_delete",
    ),
    path("setup/rules/", rules.rule_list, name="setup_rules"),
    path("setup/rules/new/", rules.rule_create, name="setup_rule_create"),
    path("setup/rules/<str:code>/", rules.rule_edit, name="setup_rule_edit"),
    # The plan pages (setup/plans/) are agenda's, mounted by its manifest.
]
