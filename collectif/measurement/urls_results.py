"""Results pages, under /<lang>/measurement/."""

from django.urls import URLPattern, URLResolver, path

from collectif.measurement import views_results as views

urlpatterns: list[URLPattern | URLResolver] = [
    path("scorecard/", views.scorecard, name="scorecard"),
    path("indicators/<str:code>/", views.indicator_detail, name="indicator_detail"),
    path("indicators/<str:code>/story/", views.indicator_story, name="indicator_story"),
    path("organisations/<slug:slug>/results/", views.partner_results, name="partner_results"),
    path("completeness/", views.completeness, name="completeness"),
    path("completeness/remind/", views.completeness_remind, name="completeness_remind"),
    path("report-card/", views.report_card, name="report_card"),
    path("report-card.csv", views.report_card_csv, name="report_card_csv"),
    path("export/", views.export, name="export"),
    path("export/approved.csv", views.export_csv, name="export_csv"),
    path("export/approved.xlsx", views.export_xlsx, name="export_xlsx"),
]
