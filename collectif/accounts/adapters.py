from allauth.account.adapter import DefaultAccountAdapter
from django.http import HttpRequest


class InvitationOnlyAccountAdapter(DefaultAccountAdapter):
    """People join through a staff invitation; the open sign-up form stays closed."""

    def is_open_for_signup(self, request: HttpRequest) -> bool:
        return False
