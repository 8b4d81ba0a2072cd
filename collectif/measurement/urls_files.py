from django.urls import URLPattern, URLResolver, path

from collectif.measurement import views_files as views

urlpatterns: list[URLPattern | URLResolver] = [
    path(
        "datasets/<str:code>/template.<str:fmt>",
        views.template_download,
        name="template_download",
    ),
    path("organisations/<slug:slug>/upload/", views.upload, name="upload"),
]
