from ninja import Router

from collectif.api.auth import optional_auth

router = Router(tags=["organisations"], auth=optional_auth)
sector_router = Router(tags=["organisations"], auth=optional_auth)
