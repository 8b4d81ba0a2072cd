"""API authentication: a personal bearer token, or the browser's session.

Endpoints that anyone may read use `optional_auth`: no credentials means the public
view, but a token that is wrong is refused rather than silently ignored.
"""

from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest
from ninja.errors import AuthenticationError
from ninja.security import HttpBearer, django_auth

from collectif.accounts.selectors import api_token_user


class ApiTokenAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> Any:
        user = api_token_user(raw_token=token)
        if user is None:
            raise AuthenticationError
        request.user = user
        return user


token_auth = ApiTokenAuth()


def optional_auth(request: HttpRequest) -> Any:
    header = request.headers.get("Authorization", "")
    if header:
        scheme, _, token = header.partition(" ")
        if scheme.lower() != "bearer" or not token:
            raise AuthenticationError
        return token_auth.authenticate(request, token.strip())
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return user
    request.user = AnonymousUser()
    return request.user


required_auth = [token_auth, django_auth]
