from django.urls import path
from django.views.generic import TemplateView

from collectif.core import views

app_name = "core"

urlpatterns = [
    path("", views.home, name="home"),
    path("home/", views.dashboard, name="dashboard"),
    path("about/", TemplateView.as_view(template_name="core/about.html"), name="about"),
    path("privacy/", TemplateView.as_view(template_name="core/privacy.html"), name="privacy"),
    path(
        "accessibility/",
        TemplateView.as_view(template_name="core/accessibility.html"),
        name="accessibility",
    ),
    path("backbone/", views.staff_home, name="staff_home"),
    path("backbone/audit/", views.audit_list, name="audit_list"),
    path("jobs/<uuid:job_id>/", views.job_detail, name="job_detail"),
    path("jobs/<uuid:job_id>/status.json", views.job_status, name="job_status"),
    path("jobs/<uuid:job_id>/download/", views.job_download, name="job_download"),
    path("jobs/<uuid:job_id>/retry/", views.job_retry, name="job_retry"),
]
