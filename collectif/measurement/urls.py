"""The measurement pages: submissions, files in and out, then results."""

from collectif.measurement.urls_files import urlpatterns as file_urls
from collectif.measurement.urls_results import urlpatterns as results_urls
from collectif.measurement.urls_setup import urlpatterns as setup_urls
from collectif.measurement.urls_submissions import urlpatterns as submission_urls

app_name = "measurement"

urlpatterns = submission_urls + file_urls + results_urls + setup_urls
