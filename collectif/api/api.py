"""The API's root: /api/v1/, its OpenAPI document and the way to its docs page.

Each app keeps its own `api.py`; its manifest imports the router object and names the
path, and the root mounts every installed app's routers, in dependency order.
"""

from ninja import NinjaAPI

from collectif.accounts.api_auth import optional_auth
from collectif.api.docs import LocalisedDocs
from collectif.core.api_errors import install_error_handlers
from collectif.core.manifest import manifests

api = NinjaAPI(
    title="Collectif API",
    version="1",
    description=(
        "Read and write the movement's data. Authenticate with a personal API token "
        "(`Authorization: Bearer <token>`), created on the API tokens page. Errors have "
        "one format and follow `Accept-Language` (en or fr)."
    ),
    urls_namespace="api",
    docs_url="/docs",
    docs=LocalisedDocs(),
    # Endpoints anyone may read still refuse a wrong token; routers may ask for more.
    auth=optional_auth,
)
install_error_handlers(api)

for manifest in manifests():
    for mount in manifest.api:
        api.add_router(mount.prefix, mount.router)
