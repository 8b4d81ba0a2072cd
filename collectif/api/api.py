"""The API's root: /api/v1/, its OpenAPI document and docs page; apps bring routers."""

from ninja import NinjaAPI

from collectif.api.errors import install_error_handlers

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
)
install_error_handlers(api)

api.add_router("/provinces", "collectif.core.api.router")
api.add_router("/postal-codes", "collectif.core.api.postal_router")
api.add_router("/organisations", "collectif.ecosystem.api.router")
api.add_router("/sectors", "collectif.ecosystem.api.sector_router")
api.add_router("/me", "collectif.accounts.api.router")
api.add_router("/measurement", "collectif.measurement.api.router")
api.add_router("/results", "collectif.measurement.api_results.router")
