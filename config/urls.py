"""URLs: everything a person reads lives under /fr/ or /en/; machines get /api and /health.

Each app's pages are mounted from its manifest, so adding an app needs no line here.
"""

from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path
from django.views.i18n import set_language

from collectif.api.api import api
from collectif.api.docs import api_docs
from collectif.core import views as core_views
from collectif.core.manifest import ADMIN_SITE, NOBODY, PUBLIC, Access, manifests
from collectif.core.security import admin_login

# The admin's own password form would be a second, unlimited door: people sign in
# through the product's sign-in page first (decision 0024).
admin.site.login = admin_login  # type: ignore[method-assign]

urlpatterns = [
    path("health", core_views.health, name="health"),
    path("api/v1/", api.urls),
    path("i18n/setlang/", set_language, name="set_language"),
]

urlpatterns += i18n_patterns(
    *(
        path(mount.prefix, include(mount.module))
        for manifest in manifests()
        for mount in manifest.urls
    ),
    path("api/", api_docs, name="api_docs"),
    path("admin/", admin.site.urls),
    prefix_default_language=True,
)

handler400 = "collectif.core.middleware.bad_request"
# Who may use the routes mounted here rather than by a manifest (decision 0023).
ACCESS: dict[str, Access] = {
    "health": PUBLIC,
    "set_language": PUBLIC,
    "api:openapi-json": PUBLIC,
    "api:openapi-view": PUBLIC,  # leads to api_docs in the reader's language
    "api_docs": PUBLIC,
    "api:api-root": NOBODY,  # /api/v1/ itself has no page
    "admin:*": ADMIN_SITE,
    "admin:logout": PUBLIC.by_post(),
    # Read-only in the admin (changes go through the audited services): nobody adds or
    # deletes these there.
    "admin:measurement_submission_add": NOBODY,
    "admin:measurement_submission_delete": NOBODY,
    "admin:measurement_rollup_add": NOBODY,
    "admin:measurement_rollup_delete": NOBODY,
    "admin:django_tasks_database_dbtaskresult_add": NOBODY,
    "admin:django_tasks_database_dbtaskresult_delete": NOBODY,
    # They answer only with parameters the matrix does not build (a model's field to
    # complete, an object with a public page): refused to all without them.
    "admin:autocomplete": NOBODY,
    "admin:view_on_site": NOBODY,
}

handler403 = "collectif.core.views.permission_denied"
handler404 = "collectif.core.views.page_not_found"
handler500 = "collectif.core.views.server_error"
