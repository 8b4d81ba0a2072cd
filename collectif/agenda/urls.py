"""The plan pages, mounted by the manifest under /<lang>/measurement/setup/plans/."""

from django.urls import URLPattern, URLResolver, path

from collectif.agenda import views

app_name = "agenda"

urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.plan_list, name="plan_list"),
    path("new/", views.plan_create, name="plan_create"),
    path("<int:number>/", views.plan_edit, name="plan_edit"),
]
