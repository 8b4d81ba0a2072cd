from django.urls import path

from collectif.ecosystem.views import organisations as views

app_name = "ecosystem"

urlpatterns = [
    path("partners/", views.public_organisation_list, name="public_organisation_list"),
    path("organisations/", views.organisation_list, name="organisation_list"),
    path("organisations/new/", views.organisation_create, name="organisation_create"),
    path("organisations/export/", views.organisation_export, name="organisation_export"),
    path("organisations/<slug:slug>/", views.organisation_detail, name="organisation_detail"),
    path("organisations/<slug:slug>/edit/", views.organisation_edit, name="organisation_edit"),
    path(
        "organisations/<slug:slug>/archive/",
        views.organisation_archive,
        name="organisation_archive",
    ),
    path(
        "organisations/<slug:slug>/restore/",
        views.organisation_restore,
        name="organisation_restore",
    ),
    path(
        "organisations/<slug:slug>/delete/", views.organisation_delete, name="organisation_delete"
    ),
]
