from django.urls import path

from collectif.ecosystem import views

app_name = "ecosystem"

urlpatterns = [
    path("partners/", views.public_organisation_list, name="public_organisation_list"),
    path("organisations/", views.organisation_list, name="organisation_list"),
    path("organisations/<slug:slug>/", views.organisation_detail, name="organisation_detail"),
]
