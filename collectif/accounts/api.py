"""`/api/v1/me`: who the token or session belongs to, so a client can check its setup."""

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from ninja import Router, Schema

from collectif.accounts import selectors
from collectif.accounts.api_auth import required_auth
from collectif.accounts.models import User
from collectif.accounts.organisations import organisation_names, organisation_slug
from collectif.accounts.permissions import user_roles
from collectif.core.api_errors import responses

router = Router(tags=["people"], auth=required_auth)


class MembershipOut(Schema):
    organisation: str
    organisation_name_en: str
    organisation_name_fr: str
    role: str
    role_label: str


class MeOut(Schema):
    email: str
    full_name: str
    language: str
    roles: list[str]
    memberships: list[MembershipOut]


@router.get(
    "", response=responses(MeOut, 403), summary="The person the request is authenticated as"
)
def me(request: HttpRequest) -> MeOut:
    user = request.user
    if not isinstance(user, User):
        raise PermissionDenied
    return MeOut(
        email=user.email,
        full_name=user.full_name,
        language=user.preferred_language,
        roles=sorted(user_roles(user)),
        memberships=[
            MembershipOut(
                organisation=organisation_slug(membership.organisation),
                organisation_name_en=organisation_names(membership.organisation)["en"],
                organisation_name_fr=organisation_names(membership.organisation)["fr"],
                role=membership.role,
                role_label=str(membership.get_role_display()),
            )
            for membership in selectors.membership_list(user=user)
        ],
    )
