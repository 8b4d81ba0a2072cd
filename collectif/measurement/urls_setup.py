from django.urls import URLPattern, URLResolver, path

from collectif.measurement import views_setup as views

urlpatterns: list[URLPattern | URLResolver] = [
    path("setup/", views.setup_home, name="setup_home"),
    path("setup/indicators/", views.indicator_list, name="setup_indicators"),
    path("setup/indicators/new/", views.indicator_create, name="setup_indicator_create"),
    path("setup/indicators/<str:code>/", views.indicator_edit, name="setup_indicator_edit"),
    path(
        "setup/indicators/<str:code>/baseline-and-targets/",
        views.indicator_plan,
        name="setup_indicator_plan",
    ),
    path("setup/periods/", views.period_list, name="setup_periods"),
    path("setup/periods/new/", views.period_create, name="setup_period_create"),
    path(
        "setup/periods/next-quarters/",
        views.period_next_quarters,
        name="setup_period_next_quarters",
    ),
    path("setup/periods/<str:code>/", views.period_edit, name="setup_period_edit"),
    path("setup/datasets/", views.dataset_list, name="setup_datasets"),
    path("setup/datasets/new/", views.dataset_create, name="setup_dataset_create"),
    path("setup/datasets/<str:code>/", views.dataset_edit, name="setup_dataset_edit"),
    path(
        "setup/datasets/<str:code>/organisations/",
        views.dataset_organisations,
        name="setup_dataset_organisations",
    ),
    path("setup/dimensions/", views.dimension_list, name="setup_dimensions"),
    path("setup/dimensions/<str:code>/members/new/", views.member_add, name="setup_member_add"),
    path(
        "setup/dimensions/<str:code>/members/<str:member>/",
        views.member_rename,
        name="setup_member_rename",
    ),
    path(
        "setup/dimensions/<str:code>/members/<str:member>/delete/",
        views.member_delete,
        name="setup_member_delete",
    ),
    path("setup/rules/", views.rule_list, name="setup_rules"),
    path("setup/rules/new/", views.rule_create, name="setup_rule_create"),
    path("setup/rules/<str:code>/", views.rule_edit, name="setup_rule_edit"),
    path("setup/plans/", views.plan_list, name="setup_plans"),
    path("setup/plans/new/", views.plan_create, name="setup_plan_create"),
    path("setup/plans/<int:number>/", views.plan_edit, name="setup_plan_edit"),
]
