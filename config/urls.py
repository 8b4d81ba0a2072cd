"""URLs: everything a person reads lives under /fr/ or /en/; machines get /api and /health.

Each app's pages are mounted from its manifest, so adding an app needs no line here.
"""

from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path
from django.views.i18n import set_language

from collectif.api.api import api
from collectif.core import views as core_views
from collectif.core.manifest import manifests

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
    path("admin/", admin.site.urls),
    prefix_default_language=True,
)

handler403 = "collectif.core.views.permission_denied"
handler404 = "collectif.core.views.page_not_found"
handler500 = "collectif.core.views.server_error"
