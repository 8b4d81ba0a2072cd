from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from collectif.accounts.services import user_sign_in_note


class InvitationOnlyAccountAdapter(DefaultAccountAdapter):  # type: ignore[misc]  # allauth is untyped
    """People join through a staff invitation; the open sign-up form stays closed.

    allauth's messages are reworded here so they read plainly in both languages and
    the French uses "courriel", as Canadian readers expect.
    """

    error_messages: dict[str, Any] = {
        **DefaultAccountAdapter.error_messages,
        "email_password_mismatch": _(
            "The e-mail address or the password is not correct. Check both and try again."
        ),
        "too_many_login_attempts": _(
            "Too many failed attempts to sign in. Wait a few minutes, then try again, "
            "or reset your password."
        ),
        "rate_limited": _("Too many requests in a short time. Wait a minute, then try again."),
    }

    def is_open_for_signup(self, request: HttpRequest) -> bool:
        return False

    def format_email_subject(self, subject: str) -> str:
        """Our subjects already name the initiative; allauth's "[domain]" prefix is noise."""
        return subject

    def login(self, request: HttpRequest, user: Any) -> None:
        """Sign in, keeping the previous sign-in for "what changed since your last visit"."""
        user_sign_in_note(user=user)
        super().login(request, user)
