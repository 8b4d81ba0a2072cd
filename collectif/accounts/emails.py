"""The bilingual invitation e-mail: one message, the invitee's language first."""

from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from collectif.accounts.models import Invitation


def languages_first(language: str) -> list[str]:
    """Every site language, the given one first: the order of a bilingual message."""
    codes = [code for code, _name in settings.LANGUAGES]
    return [language, *[code for code in codes if code != language]] if language in codes else codes


def _part(invitation: Invitation, secret: str, language: str) -> dict[str, Any]:
    with translation.override(language):
        inviter = invitation.invited_by
        context = {
            "language": language,
            "initiative": settings.COLLECTIF[f"INITIATIVE_NAME_{language.upper()}"],
            "organisation": invitation.organisation.name,
            "role": invitation.get_role_display(),
            "inviter": inviter.get_full_name() if inviter else "",
            "expires_at": invitation.expires_at,
            "url": settings.SITE_URL.rstrip("/")
            + reverse("accounts:invitation_accept", kwargs={"secret": secret}),
        }
        context["subject"] = _("Invitation: join %(organisation)s on %(initiative)s") % context
        context["text"] = render_to_string("accounts/email/invitation_part.txt", context)
        context["html"] = render_to_string("accounts/email/invitation_part.html", context)
        return context


def invitation_email(*, invitation: Invitation, secret: str) -> EmailMultiAlternatives:
    parts = [_part(invitation, secret, code) for code in languages_first(invitation.language)]
    subject = " / ".join(part["subject"] for part in parts)
    context = {"parts": parts, "subject": subject, "language": invitation.language}
    message = EmailMultiAlternatives(
        subject=subject,
        body=render_to_string("accounts/email/invitation.txt", context),
        to=[invitation.email],
        headers={"Content-Language": ", ".join(part["language"] for part in parts)},
    )
    message.attach_alternative(
        render_to_string("accounts/email/invitation.html", context), "text/html"
    )
    return message
