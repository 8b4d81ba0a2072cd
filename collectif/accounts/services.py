"""Writes about people: API tokens, invitations and memberships."""

import secrets
from datetime import UTC, datetime, timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Model
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _

from collectif.accounts import selectors
from collectif.accounts.audit import AccountsAction
from collectif.accounts.models import ApiToken, Invitation, Membership, Role, User
from collectif.accounts.organisations import is_archived
from collectif.accounts.selectors import hash_secret
from collectif.core.actors import Actor, require
from collectif.core.services import audit_record, enqueue_on_commit

TOKEN_PREFIX = "clf_"  # noqa: S105 (a label, not a secret)
INVITATION_SECRET_SALT = "collectif.accounts.invitation"  # noqa: S105 (a label, not a secret)


@transaction.atomic
def api_token_create(*, actor: Actor, name: str) -> tuple[ApiToken, str]:
    """Create the actor's own token and return it with its secret, never stored or shown again.

    A token stands for a person; the system has no roles to lend one.
    """
    require(actor, "accounts.manage_tokens")
    if not isinstance(actor, User):
        raise PermissionDenied
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=actor, name=name.strip()[:100], prefix=secret[:12], key_hash=hash_secret(secret)
    )
    audit_record(
        actor=actor, action=AccountsAction.API_TOKEN_CREATE, target=token, changes={"name": name}
    )
    return token, secret


@transaction.atomic
def api_token_revoke(*, actor: Actor, token: ApiToken) -> ApiToken:
    require(actor, "accounts.manage_tokens", token)
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        audit_record(actor=actor, action=AccountsAction.API_TOKEN_REVOKE, target=token)
    return token


def invitation_secret(invitation: Invitation) -> str:
    """The secret in an invitation's link, derived from the invitation and SECRET_KEY.

    Deriving it, rather than drawing it at random, lets the e-mail task rebuild the link
    from the invitation's id: the task queue's table keeps its arguments in plain text,
    and a live secret must never rest there. A new expiry gives a new secret.
    """
    moment = invitation.expires_at.astimezone(UTC).strftime("%Y%m%dT%H%M%S.%f")
    return salted_hmac(
        INVITATION_SECRET_SALT, f"{invitation.pk}:{moment}", algorithm="sha256"
    ).hexdigest()


def _new_expiry() -> datetime:
    return timezone.now() + timedelta(days=settings.COLLECTIF["INVITATION_DAYS"])


def _queue_invitation_email(invitation: Invitation) -> None:
    from collectif.accounts.tasks import invitation_email_send

    enqueue_on_commit(invitation_email_send, invitation.pk)


@transaction.atomic
def invitation_create(
    *, actor: Actor, email: str, organisation: Model, role: str, language: str
) -> tuple[Invitation, str]:
    """Invite a person by e-mail; the link's secret is returned, only its hash is kept."""
    require(actor, "accounts.invite")
    email = email.strip().lower()
    errors: dict[str, str] = {}
    if role not in Role.values:
        errors["role"] = _("Choose a role.")
    if language not in dict(settings.LANGUAGES):
        errors["language"] = _("Choose the language of the e-mail.")
    if is_archived(organisation):
        errors["organisation"] = _("This organisation is archived; nobody can be invited to it.")
    if not errors:
        if selectors.membership_exists(email=email, organisation=organisation, role=role):
            errors["email"] = _("This person already has this role for this organisation.")
        elif selectors.invitation_pending_exists(email=email, organisation=organisation, role=role):
            errors["email"] = _(
                "An invitation for this person, organisation and role is already waiting for "
                "an answer. Send it again from the list instead."
            )
    if errors:
        raise ValidationError(errors)
    invitation = Invitation.objects.create(
        email=email,
        organisation_id=organisation.pk,
        role=role,
        language=language,
        invited_by=actor if isinstance(actor, User) else None,
        expires_at=_new_expiry(),
        token_hash=hash_secret(secrets.token_urlsafe(32)),
    )
    secret = invitation_secret(invitation)
    invitation.token_hash = hash_secret(secret)
    invitation.save(update_fields=["token_hash"])
    audit_record(
        actor=actor,
        action=AccountsAction.INVITATION_CREATE,
        target=invitation,
        changes={"email": email, "organisation": organisation, "role": role, "language": language},
    )
    _queue_invitation_email(invitation)
    return invitation, secret


@transaction.atomic
def invitation_resend(*, actor: Actor, invitation: Invitation) -> tuple[Invitation, str]:
    """Send again with a new link and a new expiry; the old link stops working."""
    require(actor, "accounts.invite", invitation)
    status = selectors.invitation_status(invitation)
    if status == "accepted":
        raise ValidationError(_("This invitation was already accepted."))
    if status == "withdrawn":
        raise ValidationError(_("This invitation was withdrawn. Send a new invitation instead."))
    others = selectors.invitation_list(status="pending").filter(
        email=invitation.email, organisation=invitation.organisation, role=invitation.role
    )
    if others.exclude(pk=invitation.pk).exists():
        raise ValidationError(
            _("Another invitation for this person, organisation and role is already waiting.")
        )
    before = invitation.expires_at
    invitation.expires_at = _new_expiry()
    secret = invitation_secret(invitation)
    invitation.token_hash = hash_secret(secret)
    invitation.save(update_fields=["expires_at", "token_hash"])
    audit_record(
        actor=actor,
        action=AccountsAction.INVITATION_RESEND,
        target=invitation,
        changes={"expires_at": [before, invitation.expires_at]},
    )
    _queue_invitation_email(invitation)
    return invitation, secret


@transaction.atomic
def invitation_revoke(*, actor: Actor, invitation: Invitation) -> Invitation:
    """Withdraw an invitation that has not been accepted; its link stops working."""
    require(actor, "accounts.invite", invitation)
    status = selectors.invitation_status(invitation)
    if status == "accepted":
        raise ValidationError(_("This invitation was already accepted and cannot be withdrawn."))
    if status != "withdrawn":
        invitation.revoked_at = timezone.now()
        invitation.save(update_fields=["revoked_at"])
        audit_record(actor=actor, action=AccountsAction.INVITATION_REVOKE, target=invitation)
    return invitation


def invitation_problem(invitation: Invitation) -> str:
    """Why an invitation can no longer be accepted, in the reader's language ("" if it can)."""
    status = selectors.invitation_status(invitation)
    if status == "accepted":
        return _("This invitation was already accepted. Sign in to continue.")
    if status == "withdrawn":
        return _("This invitation was withdrawn by the backbone team.")
    if status == "expired":
        return _("This invitation has expired. Ask the backbone team to send you a new one.")
    return ""


@transaction.atomic
def invitation_accept(
    *, invitation: Invitation, user: User | None = None, full_name: str = "", password: str = ""
) -> User:
    """Accept an invitation: link the signed-in or existing person, or create their account.

    Holding the link proves the person reads that mailbox, which is why the account is
    tied to the invited e-mail address and a different signed-in person is refused. The
    link is the permission: there is no actor yet, the person who accepts is audited.
    """
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    problem = invitation_problem(invitation)
    if problem:
        raise ValidationError(problem)
    if user is not None and user.email.lower() != invitation.email.lower():
        raise ValidationError(
            _(
                "This invitation was sent to %(email)s, but you are signed in as another "
                "person. Sign out, then open the link again."
            )
            % {"email": invitation.email}
        )
    person = user if user is not None else selectors.user_get_by_email(email=invitation.email)
    created = person is None
    if person is None:
        full_name = full_name.strip()
        errors: dict[str, Any] = {}
        if not full_name:
            errors["full_name"] = _("Enter your full name.")
        candidate = User(email=invitation.email, full_name=full_name)
        try:
            validate_password(password, user=candidate)
        except ValidationError as exc:
            errors["password"] = exc.messages
        if errors:
            raise ValidationError(errors)
        person = User.objects.create_user(
            invitation.email,
            password,
            full_name=full_name[:150],
            preferred_language=invitation.language,
        )
    Membership.objects.get_or_create(
        user=person, organisation=invitation.organisation, role=invitation.role
    )
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = person
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    audit_record(
        actor=person,
        action=AccountsAction.INVITATION_ACCEPT,
        target=invitation,
        changes={
            "organisation": invitation.organisation,
            "role": invitation.role,
            "account_created": created,
        },
    )
    return person


@transaction.atomic
def membership_remove(*, actor: Actor, membership: Membership) -> None:
    """Take a role away; the person's account stays, with their other roles."""
    require(actor, "accounts.manage_memberships", membership)
    if membership.user_id == getattr(actor, "pk", None) and membership.role == Role.STAFF:
        raise ValidationError(
            _("You cannot remove your own staff role. Ask another staff member to do it.")
        )
    audit_record(
        actor=actor,
        action=AccountsAction.MEMBERSHIP_REMOVE,
        target=membership,
        changes={
            "person": membership.user.email,
            "organisation": membership.organisation,
            "role": membership.role,
        },
    )
    membership.delete()


def user_sign_in_note(*, user: User) -> None:
    """Keep the sign-in that is about to be replaced, before Django stamps the new one.

    Called by the sign-in adapter just before it signs the person in. Not audited: a
    sign-in is not a change to the movement's data, and allauth already logs it.
    """
    if user.pk is None or user.last_login is None:
        return
    User.objects.filter(pk=user.pk).update(previous_login=user.last_login)
    user.previous_login = user.last_login
